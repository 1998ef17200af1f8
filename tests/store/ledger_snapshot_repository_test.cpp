#include "keel/store/ledger_snapshot_repository.h"

#include <gtest/gtest.h>

#include "backends.h"
#include "keel/core/error.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/store.h"

namespace keel::store {
namespace {

// The same tests on every backend this binary runs (tests/store/backends.h).
class LedgerSnapshotContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, LedgerSnapshotContract,
                         ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

using ledger::Decimal;

LedgerSnapshot snap(const std::string& account, const char* as_of, const char* net_worth) {
  LedgerSnapshot s;
  s.tenant = "default";
  s.account = account;
  s.as_of = Date::parse(as_of).value();
  s.net_worth = Decimal::parse(net_worth).value();
  s.market_value = Decimal::parse("1000.01").value();
  s.cash = s.net_worth - s.market_value;
  s.cost_basis = Decimal::parse("999.999").value();
  s.unrealized = s.market_value - s.cost_basis;
  return s;
}

TEST_P(LedgerSnapshotContract, SaveListReplaceRemoveExactly) {
  auto s = open_store_under_test();
  LedgerRepository& accounts = s->ledger();
  accounts.create_account("default", "ira", ledger::LotMethod::kFifo, false, "USD");
  LedgerSnapshotRepository& repo = s->ledger_snapshots();
  EXPECT_FALSE(repo.save(snap("ira", "2024-03-31", "1500.10")));
  EXPECT_FALSE(repo.save(snap("ira", "2024-01-31", "1200.00")));
  auto household = snap("", "2024-01-31", "9000.00");  // the household, a scope of its own
  household.asset_classes = {{"cash", Decimal::parse("1000.01").value()},
                             {"equity", Decimal::parse("7999.99").value()}};
  EXPECT_FALSE(repo.save(household));
  // The same date again replaces it.
  EXPECT_TRUE(repo.save(snap("ira", "2024-03-31", "1600.12345678")));
  const auto ira = repo.list("default", "ira");
  ASSERT_EQ(ira.size(), 2u);
  EXPECT_EQ(ira[0].as_of, Date::parse("2024-01-31").value());
  EXPECT_EQ(ira[1].net_worth, Decimal::parse("1600.12345678").value());  // exact decimals back
  EXPECT_EQ(ira[1].cost_basis, Decimal::parse("999.999").value());
  EXPECT_EQ(ira[1].cash, Decimal::parse("600.11345678").value());
  EXPECT_FALSE(ira[1].created_at.empty());
  // Date range, inclusive.
  EXPECT_EQ(repo.list("default", "ira", Date::parse("2024-02-01"), std::nullopt).size(), 1u);
  EXPECT_EQ(repo.list("default", "ira", std::nullopt, Date::parse("2024-01-31")).size(), 1u);
  const auto all = repo.list("default", "");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].asset_classes, household.asset_classes);  // by asset class, exactly
  EXPECT_TRUE(ira[0].asset_classes.empty());                 // none recorded
  EXPECT_TRUE(repo.list("other", "ira").empty());
  EXPECT_TRUE(repo.remove("default", "ira", Date::parse("2024-01-31").value()));
  EXPECT_FALSE(repo.remove("default", "ira", Date::parse("2024-01-31").value()));
  EXPECT_EQ(repo.list("default", "ira").size(), 1u);
}

TEST_P(LedgerSnapshotContract, UnknownAccountAndCascadeOnDelete) {
  auto s = open_store_under_test();
  LedgerRepository& accounts = s->ledger();
  LedgerSnapshotRepository& repo = s->ledger_snapshots();
  try {
    repo.save(snap("nope", "2024-01-31", "1"));
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  accounts.create_account("default", "ira", ledger::LotMethod::kFifo, false, "USD");
  repo.save(snap("ira", "2024-01-31", "1"));
  EXPECT_TRUE(accounts.delete_account("default", "ira"));
  EXPECT_TRUE(repo.list("default", "ira").empty());
}

}  // namespace
}  // namespace keel::store
