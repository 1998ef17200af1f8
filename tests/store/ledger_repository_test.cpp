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

// A page of an account's rows is filtered, counted and cut in the database; each row keeps its
// number in stored order. One row is changed in place or removed (the rows after it move up one
// place), and the others are untouched.
TEST_P(LedgerContract, OneRowIsPagedChangedOrRemovedInPlace) {
  auto s = open_store_under_test();
  LedgerRepository& repo = s->ledger();
  repo.create_account("default", "ira", ledger::LotMethod::kFifo, false, "USD");
  repo.create_account("default", "other", ledger::LotMethod::kFifo, false, "USD");
  using ledger::TxType;
  // Numbers 1..6: AAA buys on 2, 4, 6; BBB buys on 1, 3; an AAA sale on 5.
  repo.save_transactions("default", "ira",
                         std::vector{tx("2024-01-02", TxType::kBuy, "BBB", "1", "10"),
                                     tx("2024-01-03", TxType::kBuy, "AAA", "2", "20"),
                                     tx("2024-01-04", TxType::kBuy, "BBB", "3", "30"),
                                     tx("2024-01-05", TxType::kBuy, "AAA", "4", "40")},
                         false);
  repo.save_transactions("default", "ira",
                         std::vector{tx("2024-01-06", TxType::kSell, "AAA", "1", "50"),
                                     tx("2024-01-07", TxType::kBuy, "AAA", "6", "60")},
                         false);
  repo.save_transactions("default", "other", std::vector{tx("2024-01-03", TxType::kBuy, "AAA", "9", "9")}, false);
  using Filter = LedgerRepository::TransactionsFilter;
  const auto numbers = [](const LedgerRepository::TransactionsPage& p) {
    std::vector<std::size_t> out;
    for (const auto& r : p.rows) out.push_back(r.number);
    return out;
  };
  Filter aaa;
  aaa.symbol = "AAA";
  auto page = repo.transactions_page("default", "ira", aaa, 0, 0);
  EXPECT_EQ(page.total, 4u);
  EXPECT_EQ(numbers(page), (std::vector<std::size_t>{2, 4, 5, 6}));
  EXPECT_EQ(page.rows[0].row.account, "ira");
  EXPECT_EQ(page.rows[0].row.quantity.to_string(), "2");
  page = repo.transactions_page("default", "ira", aaa, 1, 2);
  EXPECT_EQ(page.total, 4u);
  EXPECT_EQ(numbers(page), (std::vector<std::size_t>{4, 5}));
  Filter buys_in_range;
  buys_in_range.type = "BUY";
  buys_in_range.from = Date::parse("2024-01-04");
  buys_in_range.to = Date::parse("2024-01-07");
  page = repo.transactions_page("default", "ira", buys_in_range, 0, 0);
  EXPECT_EQ(numbers(page), (std::vector<std::size_t>{3, 4, 6}));
  EXPECT_THROW(repo.transactions_page("default", "nope", Filter{}, 0, 0), Error);

  // Row 4 changed in place; row 2 removed: 3..6 become 2..5.
  EXPECT_TRUE(repo.update_transaction("default", "ira", 4, tx("2024-01-05", TxType::kBuy, "AAA", "4.5", "41")));
  EXPECT_TRUE(repo.delete_transaction("default", "ira", 2));
  EXPECT_FALSE(repo.delete_transaction("default", "ira", 9));
  EXPECT_FALSE(repo.update_transaction("default", "ira", 0, tx("2024-01-05", TxType::kBuy, "AAA", "1", "1")));
  const auto rows = repo.transactions("default", "ira");
  std::vector<std::string> got;
  for (const auto& t : rows) got.push_back(t.symbol + " " + t.quantity.to_string() + "@" + t.price.to_string());
  EXPECT_EQ(got, (std::vector<std::string>{"BBB 1@10", "BBB 3@30", "AAA 4.5@41", "AAA 1@50", "AAA 6@60"}));
  page = repo.transactions_page("default", "ira", aaa, 0, 0);
  EXPECT_EQ(numbers(page), (std::vector<std::size_t>{3, 4, 5}));
  // Appending after a removal continues the numbers.
  repo.save_transactions("default", "ira", std::vector{tx("2024-01-08", TxType::kBuy, "AAA", "7", "70")}, false);
  EXPECT_EQ(repo.transactions_page("default", "ira", aaa, 0, 0).rows.back().number, 6u);
  EXPECT_EQ(repo.transactions("default", "other").size(), 1u);
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
