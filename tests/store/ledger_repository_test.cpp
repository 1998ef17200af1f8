#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"

#include <gtest/gtest.h>

#include "backends.h"
#include "keel/core/error.h"
#include "keel/store/store.h"

namespace keel::store {
namespace {

// The same tests on every backend this binary runs (tests/store/backends.h).
class LedgerContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, LedgerContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

using ledger::Decimal;

ledger::Transaction tx(const char* date, ledger::TxType type, const char* sym, const char* qty, const char* px) {
  ledger::Transaction t;
  t.date = Date::parse(date).value();
  t.type = type;
  t.symbol = sym;
  t.quantity = Decimal::parse(qty).value();
  t.price = Decimal::parse(px).value();
  return t;
}

TEST_P(LedgerContract, AccountsCreateListConflict) {
  auto s = open_store_under_test();
  LedgerRepository& repo = s->ledger();
  repo.create_account("default", "ira", ledger::LotMethod::kHifo, false, "USD");
  repo.create_account("default", "brokerage", ledger::LotMethod::kFifo, true, "USD");
  EXPECT_THROW(repo.create_account("default", "ira", ledger::LotMethod::kFifo, false, "USD"), Error);
  const auto all = repo.list_accounts("default");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "brokerage");
  EXPECT_TRUE(all[0].allow_short);
  EXPECT_EQ(all[1].method, ledger::LotMethod::kHifo);
  EXPECT_TRUE(repo.list_accounts("other").empty());
  EXPECT_FALSE(repo.find_account("default", "nope"));
}

TEST_P(LedgerContract, AccountsAreRenamedAndUpdatedWithTheirSnapshots) {
  auto s = open_store_under_test();
  LedgerRepository& repo = s->ledger();
  auto ira = repo.create_account("default", "ira", ledger::LotMethod::kFifo, false, "USD");
  repo.create_account("default", "taxable", ledger::LotMethod::kFifo, false, "USD");
  EXPECT_EQ(ira.type, "brokerage");  // the column's default
  EXPECT_EQ(ira.institution, "");
  repo.save_transactions("default", "ira", std::vector{tx("2024-01-02", ledger::TxType::kBuy, "AAA", "10", "5")},
                         false);
  LedgerSnapshot snap;
  snap.tenant = "default";
  snap.account = "ira";
  snap.as_of = Date::parse("2024-01-31").value();
  s->ledger_snapshots().save(snap);

  LedgerAccount next = ira;
  next.name = "roth ira";
  next.type = "retirement";
  next.institution = "Vanguard";
  next.notes = "opened 2019; \"backdoor\" conversions";
  next.method = ledger::LotMethod::kHifo;
  next.allow_short = true;
  const auto stored = repo.update_account("default", "ira", next);
  EXPECT_EQ(stored.id, ira.id);
  EXPECT_EQ(stored.name, "roth ira");
  EXPECT_EQ(stored.type, "retirement");
  EXPECT_EQ(stored.institution, "Vanguard");
  EXPECT_EQ(stored.notes, "opened 2019; \"backdoor\" conversions");
  EXPECT_EQ(stored.method, ledger::LotMethod::kHifo);
  EXPECT_TRUE(stored.allow_short);
  EXPECT_EQ(stored.transactions, 1u);  // the rows follow the account
  EXPECT_FALSE(repo.find_account("default", "ira"));
  EXPECT_EQ(repo.transactions("default", "roth ira").size(), 1u);
  // The snapshots are the renamed account's.
  EXPECT_EQ(s->ledger_snapshots().list("default", "roth ira").size(), 1u);
  EXPECT_TRUE(s->ledger_snapshots().list("default", "ira").empty());
  // Another account's name, an unknown account, an empty name.
  next.name = "taxable";
  EXPECT_THROW(
      {
        try {
          repo.update_account("default", "roth ira", next);
        } catch (const Error& e) {
          EXPECT_EQ(e.code(), ErrorCode::kConflict);
          throw;
        }
      },
      Error);
  EXPECT_EQ(repo.find_account("default", "roth ira")->institution, "Vanguard");  // nothing changed
  next.name = "x";
  EXPECT_THROW(repo.update_account("default", "nope", next), Error);
  EXPECT_THROW(repo.update_account("other", "roth ira", next), Error);  // another tenant's
  next.name = "";
  EXPECT_THROW(repo.update_account("default", "roth ira", next), Error);
}

TEST_P(LedgerContract, MappingsSavedByNamePerTenant) {
  auto s = open_store_under_test();
  LedgerRepository& repo = s->ledger();
  EXPECT_FALSE(repo.save_mapping("default", "my broker", R"({"columns":{"When":"date"}})", "ana"));
  EXPECT_FALSE(repo.save_mapping("default", "alpha", "{}", "ana"));
  EXPECT_TRUE(repo.save_mapping("default", "my broker", R"({"columns":{"Day":"date"}})", "bob"));  // replaced
  const auto all = repo.list_mappings("default");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "alpha");
  EXPECT_EQ(all[1].document, R"({"columns":{"Day":"date"}})");
  EXPECT_EQ(all[1].updated_by, "bob");
  EXPECT_FALSE(all[1].created_at.empty());
  EXPECT_TRUE(repo.list_mappings("other").empty());
  EXPECT_FALSE(repo.find_mapping("other", "alpha"));
  EXPECT_FALSE(repo.delete_mapping("other", "alpha"));
  EXPECT_TRUE(repo.delete_mapping("default", "alpha"));
  EXPECT_FALSE(repo.find_mapping("default", "alpha"));
  EXPECT_THROW(repo.save_mapping("default", "", "{}", "ana"), Error);
}

TEST_P(LedgerContract, DecimalsRoundTripExactlyAsText) {
  auto s = open_store_under_test();
  LedgerRepository& repo = s->ledger();
  repo.create_account("default", "a", ledger::LotMethod::kFifo, false, "USD");
  std::vector<ledger::Transaction> rows = {tx("2024-01-02", ledger::TxType::kBuy, "AAPL", "0.12345678", "185.6401"),
                                           tx("2024-03-01", ledger::TxType::kSplit, "AAPL", "0", "0")};
  rows[0].fees = Decimal::parse("0.01").value();
  rows[0].amount = Decimal::parse("22.93").value();
  rows[0].lot_id = "L1";
  rows[0].note = "first, \"quoted\"";
  rows[1].split_ratio = ledger::SplitRatio{3, 2};
  rows[1].method = ledger::LotMethod::kLifo;
  EXPECT_EQ(repo.save_transactions("default", "a", rows, false), 2u);
  auto back = repo.transactions("default", "a");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].quantity.raw(), 12345678);
  EXPECT_EQ(back[0].price, Decimal::parse("185.6401").value());
  EXPECT_EQ(back[0].amount, Decimal::parse("22.93").value());
  EXPECT_EQ(back[0].note, "first, \"quoted\"");
  EXPECT_EQ(back[0].account, "a");
  EXPECT_EQ(back[1].split_ratio->numerator, 3);
  EXPECT_EQ(back[1].method, ledger::LotMethod::kLifo);
  // Append keeps order; replace starts over.
  repo.save_transactions("default", "a", std::vector<ledger::Transaction>{rows[0]}, false);
  EXPECT_EQ(repo.transactions("default", "a").size(), 3u);
  repo.save_transactions("default", "a", std::vector<ledger::Transaction>{rows[0]}, true);
  EXPECT_EQ(repo.transactions("default", "a").size(), 1u);
  EXPECT_EQ(repo.find_account("default", "a")->transactions, 1u);
  EXPECT_THROW(repo.save_transactions("default", "missing", rows, false), Error);
}

// A statement's id of a row (migration 77) is read back, absent stays absent, and an account
// holds each id once: a second row with it is refused and the batch stores nothing; another
// account may hold the same id.
TEST_P(LedgerContract, StatementIdsAreUniquePerAccount) {
  auto s = open_store_under_test();
  LedgerRepository& repo = s->ledger();
  repo.create_account("default", "a", ledger::LotMethod::kFifo, false, "USD");
  repo.create_account("default", "b", ledger::LotMethod::kFifo, false, "USD");
  std::vector<ledger::Transaction> rows = {tx("2024-01-02", ledger::TxType::kBuy, "AAPL", "1", "185"),
                                           tx("2024-01-03", ledger::TxType::kBuy, "AAPL", "1", "186"),
                                           tx("2024-01-04", ledger::TxType::kBuy, "AAPL", "1", "187")};
  rows[0].external_id = "ofx:1001";
  rows[1].external_id = "ofx:1002";
  EXPECT_EQ(repo.save_transactions("default", "a", rows, false), 3u);
  const auto back = repo.transactions("default", "a");
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0].external_id, "ofx:1001");
  EXPECT_EQ(back[1].external_id, "ofx:1002");
  EXPECT_EQ(back[2].external_id, "");
  std::vector<ledger::Transaction> again = {rows[2], rows[0]};
  EXPECT_THROW(repo.save_transactions("default", "a", again, false), Error);
  EXPECT_EQ(repo.transactions("default", "a").size(), 3u);
  // Rows without an id may repeat; another account may hold the same id.
  EXPECT_EQ(repo.save_transactions("default", "a", std::vector<ledger::Transaction>{rows[2]}, false), 1u);
  EXPECT_EQ(repo.save_transactions("default", "b", std::vector<ledger::Transaction>{rows[0]}, false), 1u);
}

}  // namespace
}  // namespace keel::store
