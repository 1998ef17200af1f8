// Two tenants using the same names in every tenant repository: each sees, changes and deletes only
// its own rows. On PostgreSQL this runs as the application role, so row-level security is in the
// path of every call as well as keel's own tenant conditions.
#include <gtest/gtest.h>

#include "backends.h"
#include "keel/core/error.h"
#include "keel/store/alm_repository.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "keel/store/modelling_repository.h"
#include "keel/store/store.h"
#include "keel/store/tag_repository.h"

namespace keel::store {
namespace {

class TenantIsolation : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, TenantIsolation, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

Position stock(const char* symbol, double quantity, std::vector<std::string> tags = {}) {
  Position p;
  p.symbol = symbol;
  p.quantity = quantity;
  p.tags = std::move(tags);
  return p;
}

ledger::Transaction buy(const char* symbol, const char* quantity) {
  ledger::Transaction t;
  t.date = Date::parse_or_throw("2024-01-02");
  t.type = ledger::TxType::kBuy;
  t.symbol = symbol;
  t.quantity = ledger::Decimal::parse(quantity).value();
  t.price = ledger::Decimal::parse("10").value();
  return t;
}

TEST_P(TenantIsolation, LedgerAccountsTransactionsAndSnapshots) {
  auto s = open_store_under_test();
  LedgerRepository& ledger = s->ledger();
  ledger.create_account("acme", "ira", ledger::LotMethod::kFifo, false, "USD");
  ledger.create_account("globex", "ira", ledger::LotMethod::kHifo, true, "EUR");
  ledger.save_transactions("acme", "ira", std::vector<ledger::Transaction>{buy("AAA", "1")}, false);
  ledger.save_transactions("globex", "ira",
                           std::vector<ledger::Transaction>{buy("BBB", "2"), buy("CCC", "3")}, false);
  EXPECT_EQ(ledger.find_account("acme", "ira")->transactions, 1u);
  EXPECT_EQ(ledger.find_account("globex", "ira")->currency, "EUR");
  ASSERT_EQ(ledger.all_transactions("acme").size(), 1u);
  EXPECT_EQ(ledger.all_transactions("acme")[0].symbol, "AAA");
  EXPECT_EQ(ledger.transactions("globex", "ira").size(), 2u);
  EXPECT_TRUE(ledger.list_accounts("initech").empty());
  EXPECT_THROW(ledger.transactions("initech", "ira"), Error);

  LedgerSnapshot snap;
  snap.tenant = "acme";
  snap.account = "ira";
  snap.as_of = Date::parse_or_throw("2024-01-31");
  s->ledger_snapshots().save(snap);
  EXPECT_TRUE(s->ledger_snapshots().list("globex", "ira").empty());
  EXPECT_FALSE(s->ledger_snapshots().remove("globex", "ira", snap.as_of));

  // Replacing and deleting one tenant's account leaves the other's rows.
  ledger.save_transactions("acme", "ira", std::vector<ledger::Transaction>{}, true);
  EXPECT_EQ(ledger.transactions("globex", "ira").size(), 2u);
  EXPECT_TRUE(ledger.delete_account("acme", "ira"));
  EXPECT_FALSE(ledger.delete_account("acme", "ira"));
  EXPECT_EQ(ledger.list_accounts("globex").size(), 1u);
  EXPECT_EQ(ledger.transactions("globex", "ira").size(), 2u);
}

TEST_P(TenantIsolation, TagsAndTheirPositions) {
  auto s = open_store_under_test();
  s->save_portfolio("acme", "book", {stock("AAA", 1, {"core"})}, "test");
  s->save_portfolio("globex", "book", {stock("AAA", 1, {"core"})}, "test");
  TagRepository& tags = s->tags();
  // Each save registered "core" in its own tenant's registry.
  tags.create("acme", "hedge", "mine");
  tags.create("globex", "hedge", "theirs");
  EXPECT_EQ(tags.find("acme", "hedge")->description, "mine");
  EXPECT_EQ(tags.find("globex", "hedge")->description, "theirs");
  EXPECT_EQ(tags.find("acme", "core")->positions, 1u);  // acme's position only
  // Removing acme's tag strips it from acme's positions, not globex's.
  EXPECT_EQ(tags.remove("acme", "core"), std::optional<std::size_t>(1));
  EXPECT_TRUE(s->positions("acme", "book")[0].tags.empty());
  EXPECT_EQ(s->positions("globex", "book")[0].tags, (std::vector<std::string>{"core"}));
  EXPECT_TRUE(tags.find("globex", "core").has_value());
  EXPECT_THROW(tags.attach("initech", "book", {"AAA"}, "core"), Error);  // no such tag there
}

TEST_P(TenantIsolation, AlmSessions) {
  auto s = open_store_under_test();
  AlmRepository& alm = s->alm_sessions();
  alm::BalanceSheet book;
  book.source = "bs.csv";
  const auto a = alm.create("acme", "q4", book, {}, std::nullopt, std::nullopt, "USD", "{}", 3600, 1000);
  alm.create("globex", "q4", book, {}, std::nullopt, std::nullopt, "EUR", "{}", 3600, 1000);
  EXPECT_EQ(alm.find("globex", "q4")->currency, "EUR");
  EXPECT_EQ(alm.list("acme").size(), 1u);
  alm.save_result(a.id, "eve", "{\"acme\":1}", 1100);
  EXPECT_EQ(alm.result(a.id, "eve"), std::optional<std::string>("{\"acme\":1}"));
  EXPECT_FALSE(alm.result(alm.find("globex", "q4")->id, "eve"));
  EXPECT_THROW(alm.load("initech", "q4", 1200), Error);
  EXPECT_TRUE(alm.remove("acme", "q4"));
  EXPECT_TRUE(alm.find("globex", "q4").has_value());
  // Cleanup serves every tenant: at 1000 + 3600 + 1 globex's session has expired too.
  EXPECT_EQ(alm.cleanup(4601, 0).expired, 1u);
  EXPECT_FALSE(alm.find("globex", "q4").has_value());
}

TEST_P(TenantIsolation, WhatIfSessions) {
  auto s = open_store_under_test();
  const auto acme_book = s->save_portfolio("acme", "book", {}, "test");
  const auto globex_book = s->save_portfolio("globex", "book", {}, "test");
  ModellingRepository& m = s->modelling_sessions();
  const auto mine = m.create("acme", "ana", acme_book.id, "hedge");
  const auto theirs = m.create("globex", "bob", globex_book.id, "hedge");
  EXPECT_FALSE(m.find("acme", theirs.id).has_value());  // another tenant's id is not found
  EXPECT_FALSE(m.remove("acme", theirs.id));
  ModellingTrade t;
  t.position = stock("AAA", 5);
  m.add_trades(mine.id, {t});
  m.add_trades(theirs.id, {t, t});
  EXPECT_EQ(m.find("acme", mine.id)->trades, 1u);
  EXPECT_EQ(m.find("globex", theirs.id)->trades, 2u);
  EXPECT_EQ(m.list("acme").size(), 1u);
  EXPECT_EQ(m.list("acme")[0].portfolio, "book");
  EXPECT_TRUE(m.remove("globex", theirs.id));
  EXPECT_EQ(m.trades(mine.id).size(), 1u);
}

}  // namespace
}  // namespace keel::store
