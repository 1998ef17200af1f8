// ALM sessions: round trip of a balance sheet and curves, TTL expiry, LRU eviction under a budget.
#include "keel/store/alm_repository.h"

#include <gtest/gtest.h>

#include "backends.h"
#include "keel/core/error.h"
#include "keel/store/store.h"

namespace keel::store {
namespace {

// The same tests on every backend this binary runs (tests/store/backends.h).
class AlmContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, AlmContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

alm::BalanceSheet small_book(std::size_t n) {
  alm::BalanceSheet b;
  b.source = "bs.csv";
  for (std::size_t i = 0; i < n; ++i) {
    alm::PositionTerms t;
    t.notional = 1000.0 * static_cast<double>(i + 1);
    t.rate = 0.03;
    t.start_date = Date::parse_or_throw("2020-01-01");
    t.maturity_date = Date::parse_or_throw("2030-01-01");
    t.first_reset_date = t.start_date;
    t.rate_type = i % 2 ? alm::RateType::kFloating : alm::RateType::kFixed;
    t.spread = 0.01;
    t.floor = i % 2 ? 0.0 : -1e9;
    t.behavioural_years = i == 2 ? 3.5 : 0.0;
    t.currency = b.intern_currency(i == 1 ? "EUR" : "USD");
    t.calendar = b.intern_calendar("none");
    b.add(t, "P" + std::to_string(i), "loan", i % 2 ? "SOFR" : "", i + 2);
  }
  return b;
}

std::map<std::string, CurveData> curves() {
  CurveData c;
  c.name = "ust";
  c.kind = CurveKind::kPar;
  c.points = {{"1Y", 1.0, 0.01}, {"10Y", 10.0, 0.02}};
  return {{"USD", c}};
}

TEST_P(AlmContract, RoundTripsTheInputs) {
  auto store = open_store_under_test();
  AlmRepository& repo = store->alm_sessions();
  alm::ShockTable shocks;
  shocks.rows = {{"USD", 200, 300, 150}};
  shocks.source = "mine.csv";
  const auto info = repo.create("default", "q4", small_book(3), curves(), shocks, Date::parse_or_throw("2020-12-31"),
                                "USD", "{\"tier1\":1}", 3600, 1000);
  EXPECT_EQ(info.positions, 3u);
  EXPECT_EQ(info.last_accessed, 1000);
  EXPECT_THROW(repo.create("default", "q4", small_book(1), curves(), std::nullopt, std::nullopt, "USD", "{}", 3600, 1000),
               Error);
  const auto data = repo.load("default", "q4", 2000);
  EXPECT_EQ(data.info.last_accessed, 2000);
  ASSERT_EQ(data.book.size(), 3u);
  EXPECT_EQ(data.book.id[1], "P1");
  EXPECT_EQ(data.book.currencies[data.book.terms[1].currency], "EUR");
  EXPECT_EQ(data.book.terms[1].rate_type, alm::RateType::kFloating);
  EXPECT_DOUBLE_EQ(data.book.terms[1].floor, 0.0);
  EXPECT_LT(data.book.terms[0].floor, -1e8);
  EXPECT_DOUBLE_EQ(data.book.terms[2].behavioural_years, 3.5);
  EXPECT_EQ(data.book.line[2], 4u);
  ASSERT_EQ(data.curves.count("USD"), 1u);
  EXPECT_EQ(data.curves.at("USD").kind, CurveKind::kPar);
  EXPECT_EQ(data.curves.at("USD").points.size(), 2u);
  ASSERT_TRUE(data.shock_table.has_value());
  EXPECT_DOUBLE_EQ(data.shock_table->rows[0].short_bp, 300);
  repo.save_result(data.info.id, "eve", "{\"base\":1}", 2100);
  EXPECT_EQ(repo.result(data.info.id, "eve"), std::optional<std::string>("{\"base\":1}"));
  EXPECT_TRUE(repo.remove("default", "q4"));
  EXPECT_FALSE(repo.remove("default", "q4"));
  EXPECT_THROW(repo.load("default", "q4", 3000), Error);
}

TEST_P(AlmContract, KeepsItsOwnerAndWhetherTheTenantSharesIt) {
  auto store = open_store_under_test();
  AlmRepository& repo = store->alm_sessions();
  const auto info = repo.create("default", "q4", small_book(2), curves(), std::nullopt, std::nullopt, "USD", "{}",
                                3600, 1000);
  EXPECT_EQ(info.owner, "");  // until the service sets it
  EXPECT_FALSE(info.shared);
  repo.set_access(info.id, "alice", false);
  auto found = repo.find("default", "q4");
  EXPECT_EQ(found->owner, "alice");
  EXPECT_FALSE(found->shared);
  repo.set_access(info.id, "alice", true);
  found = repo.list("default").at(0);
  EXPECT_EQ(found->owner, "alice");
  EXPECT_TRUE(found->shared);
  EXPECT_EQ(repo.load("default", "q4", 1100).info.owner, "alice");
  EXPECT_THROW(repo.set_access(info.id + 1000, "bob", true), Error);
}

TEST_P(AlmContract, ExpiresByInactivityAndEvictsLeastRecentlyUsed) {
  auto store = open_store_under_test();
  AlmRepository& repo = store->alm_sessions();
  repo.create("default", "old", small_book(10), curves(), std::nullopt, std::nullopt, "USD", "{}", 100, 1000);
  repo.create("default", "a", small_book(10), curves(), std::nullopt, std::nullopt, "USD", "{}", 10000, 1000);
  repo.create("default", "b", small_book(10), curves(), std::nullopt, std::nullopt, "USD", "{}", 10000, 1000);
  (void)repo.load("default", "a", 1050);  // a is now more recent than b
  // At 1200 "old" (last access 1000 + TTL 100) has expired.
  auto s = repo.cleanup(1200, 0);
  EXPECT_EQ(s.expired, 1u);
  EXPECT_FALSE(repo.find("default", "old").has_value());
  // A budget that holds one session evicts b (least recently used), keeps a.
  const std::int64_t one = repo.find("default", "a")->size_bytes;
  s = repo.cleanup(1200, one + 1);
  EXPECT_EQ(s.evicted, 1u);
  EXPECT_TRUE(repo.find("default", "a").has_value());
  EXPECT_FALSE(repo.find("default", "b").has_value());
  EXPECT_EQ(s.bytes_after, one);
}

// The budget holds for each tenant on its own: tenant "other" pushing past it loses its own least
// recently used session; tenant "acme"'s two sessions, older and shared or not, are never evicted
// for it.
TEST_P(AlmContract, ATenantOverTheBudgetEvictsOnlyItsOwnSessions) {
  auto store = open_store_under_test();
  AlmRepository& repo = store->alm_sessions();
  const auto a1 = repo.create("acme", "a1", small_book(10), curves(), std::nullopt, std::nullopt, "USD", "{}", 10000, 900);
  repo.set_access(a1.id, "alice", true);
  repo.create("acme", "a2", small_book(10), curves(), std::nullopt, std::nullopt, "USD", "{}", 10000, 950);
  repo.create("other", "o1", small_book(10), curves(), std::nullopt, std::nullopt, "USD", "{}", 10000, 1000);
  repo.create("other", "o2", small_book(10), curves(), std::nullopt, std::nullopt, "USD", "{}", 10000, 1100);
  const std::int64_t one = repo.find("other", "o1")->size_bytes;
  // Each tenant holds two sessions of `one` bytes; a budget of 2 x one + 1 holds both of each.
  auto s = repo.cleanup(1200, 2 * one + 1);
  EXPECT_EQ(s.evicted, 0u);
  // "other" adds a third: over its budget, it loses o1 (its least recently used); acme's a1 and a2,
  // used before every session of "other", stay.
  repo.create("other", "o3", small_book(10), curves(), std::nullopt, std::nullopt, "USD", "{}", 10000, 1150);
  s = repo.cleanup(1200, 2 * one + 1);
  EXPECT_EQ(s.evicted, 1u);
  EXPECT_FALSE(repo.find("other", "o1").has_value());
  EXPECT_TRUE(repo.find("other", "o2").has_value());
  EXPECT_TRUE(repo.find("other", "o3").has_value());
  EXPECT_TRUE(repo.find("acme", "a1").has_value());
  EXPECT_TRUE(repo.find("acme", "a2").has_value());
  EXPECT_EQ(s.bytes_after, 4 * one);
}

// Each user's budget holds inside the tenant's: a user over it loses their own least recently
// used session, never a colleague's older one; sessions without an owner (the tenant's, from
// before owners were kept) are not a user's. usage() shows what each owner holds.
TEST_P(AlmContract, AUserOverTheirBudgetEvictsOnlyTheirOwnSessions) {
  auto store = open_store_under_test();
  AlmRepository& repo = store->alm_sessions();
  const auto make = [&](const char* name, const char* owner, std::int64_t used_at) {
    const auto s = repo.create("acme", name, small_book(10), curves(), std::nullopt, std::nullopt, "USD", "{}", 10000,
                               used_at);
    if (*owner) repo.set_access(s.id, owner, false);
  };
  make("legacy", "", 800);
  make("a1", "alice", 900);
  make("b1", "bob", 950);
  make("a2", "alice", 1000);
  const std::int64_t one = repo.find("acme", "b1")->size_bytes;
  auto s = repo.cleanup(1200, 0, one + 1);  // each user may keep one session
  EXPECT_EQ(s.evicted, 1u);
  EXPECT_FALSE(repo.find("acme", "a1").has_value());  // alice's least recently used
  EXPECT_TRUE(repo.find("acme", "a2").has_value());
  EXPECT_TRUE(repo.find("acme", "b1").has_value());      // older than a2, but bob's
  EXPECT_TRUE(repo.find("acme", "legacy").has_value());  // the tenant's: no user's budget
  const auto usage = repo.usage("acme");
  ASSERT_EQ(usage.size(), 3u);
  for (const auto& u : usage) {
    EXPECT_EQ(u.sessions, 1u) << u.owner;
    EXPECT_EQ(u.bytes, one) << u.owner;
  }
  EXPECT_TRUE(repo.usage("other").empty());
}

}  // namespace
}  // namespace keel::store
