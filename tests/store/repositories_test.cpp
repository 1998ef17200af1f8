// The store's repository interfaces as a caller sees them: timestamps from the store's Clock,
// Store::transaction all-or-nothing across repositories, and the audit log's append-only rule.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "keel/core/env.h"
#include "keel/core/error.h"
#include "keel/store/alm_repository.h"
#include "keel/store/audit_repository.h"
#include "keel/store/job_repository.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "keel/store/market_data_repository.h"
#include "keel/store/modelling_repository.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/store.h"
#include "backends.h"
#include "keel/store/tag_repository.h"
#include "keel/store/user_repository.h"
#include "sqlite_connection.h"

namespace keel::store {
namespace {

using namespace std::chrono;

// 2021-03-04 05:06:07.089 UTC, built from the calendar (not from any keel formatter), so the
// expected texts below are the ISO-8601 spelling of that instant written out by hand.
system_clock::time_point march_4_2021() {
  return sys_days{year{2021} / March / 4} + hours{5} + minutes{6} + seconds{7} + milliseconds{89};
}

// A clock the test moves by hand.
class HandClock final : public Clock {
 public:
  explicit HandClock(system_clock::time_point at) : at_(at) {}
  system_clock::time_point now() const override { return at_; }
  void advance(system_clock::duration d) { at_ += d; }

 private:
  system_clock::time_point at_;
};

Position stock(const char* symbol, double quantity) {
  Position p;
  p.symbol = symbol;
  p.quantity = quantity;
  return p;
}

// The same tests on every backend this binary runs (tests/store/backends.h).
class RepositoryContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, RepositoryContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

// Portfolio changes: kept in order with the clock's time, read after an id a page at a time, and
// those older than a day removed when a new one is kept.
TEST_P(RepositoryContract, PortfolioChangesComeBackInOrderAndAgeOut) {
  HandClock clock(march_4_2021());
  auto s = open_store_under_test(clock);
  EXPECT_EQ(s->last_change_id(), 0);
  EXPECT_TRUE(s->changes_after(0, 10).empty());
  const std::int64_t a = s->record_change({0, "acme", 7, "book", "positions", 0, "portfolio", ""});
  clock.advance(hours{1});
  const std::int64_t b = s->record_change({0, "globex", 9, "other", "var", 0, "clo", "ann"});
  EXPECT_GT(b, a);
  EXPECT_EQ(s->last_change_id(), b);
  const auto all = s->changes_after(0, 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, a);
  EXPECT_EQ(all[0].tenant, "acme");
  EXPECT_EQ(all[0].portfolio_id, 7);
  EXPECT_EQ(all[0].portfolio, "book");
  EXPECT_EQ(all[0].what, "positions");
  EXPECT_EQ(all[0].changed_at, 1614834367);  // 2021-03-04T05:06:07Z
  EXPECT_EQ(all[1].changed_at, 1614834367 + 3600);
  EXPECT_EQ(all[0].kind, "portfolio");
  EXPECT_EQ(all[1].kind, "clo");
  EXPECT_EQ(all[1].username, "ann");
  const auto page = s->changes_after(a, 1);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].id, b);
  // A day and a minute after the first: it goes, the second (23 hours old) stays.
  clock.advance(hours{23} + minutes{1});
  const std::int64_t c = s->record_change({0, "acme", 7, "book", "snapshot", 0, "portfolio", ""});
  const auto left = s->changes_after(0, 10);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].id, b);
  EXPECT_EQ(left[1].id, c);
}

TEST_P(RepositoryContract, StoreClockEveryCreatedAtComesFromTheStoresClock) {
  const FixedClock clock(march_4_2021());
  auto s = open_store_under_test(clock);
  EXPECT_EQ(&s->clock(), &clock);
  const std::string at = "2021-03-04T05:06:07Z";

  const auto p = s->save_portfolio("acme", "book", {stock("AAA", 1)}, "test");
  EXPECT_EQ(p.created_at, at);
  EXPECT_EQ(p.updated_at, at);

  const auto u = s->users().add("alice", "acme", Role::kAnalyst, "$argon2id$fake");
  EXPECT_EQ(u.created_at, at);
  EXPECT_EQ(u.updated_at, at);

  AuditEntry e;
  e.username = "alice";
  e.tenant = "acme";
  e.action = "portfolio.create";
  s->audit().append(e);
  AuditQuery acme;
  acme.tenant = "acme";
  EXPECT_EQ(s->audit().list(acme).at(0).at, "2021-03-04T05:06:07.089Z");  // the log keeps milliseconds

  const auto job = s->jobs().enqueue("acme", "alice", "risk.var", "{}", 1, 0);
  EXPECT_EQ(s->jobs().find(job)->created_at, at);
  const auto claimed = s->jobs().claim_next({"w:1", 0, 0, 30000});
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->started_at, at);
  EXPECT_TRUE(s->jobs().succeed({job, claimed->attempts}, "{}"));
  EXPECT_EQ(s->jobs().find(job)->finished_at, at);

  s->results().put("acme", p.id, "var", "{}");
  EXPECT_EQ(s->results().get("acme", p.id, "var")->computed_at, at);

  EXPECT_EQ(s->tags().create("acme", "core", "").created_at, at);
  EXPECT_EQ(s->ledger().create_account("acme", "ira", ledger::LotMethod::kFifo, false, "USD").created_at, at);

  LedgerSnapshot ls;
  ls.tenant = "acme";
  ls.account = "ira";
  ls.as_of = Date::parse_or_throw("2021-03-03");
  s->ledger_snapshots().save(ls);
  EXPECT_EQ(s->ledger_snapshots().list("acme", "ira").at(0).created_at, at);

  PortfolioSnapshot ps;
  ps.tenant = "acme";
  ps.portfolio = "book";
  ps.as_of = Date::parse_or_throw("2021-03-03");
  s->snapshots().save(ps);
  EXPECT_EQ(s->snapshots().find("acme", "book", ps.as_of)->created_at, at);

  EXPECT_EQ(s->modelling_sessions().create("acme", "alice", p.id, "hedge").created_at, at);

  alm::BalanceSheet book;
  book.source = "bs.csv";
  EXPECT_EQ(s->alm_sessions().create("acme", "alm", book, {}, std::nullopt, std::nullopt, "USD", "{}", 3600, 0).created_at,
            at);

  MarketDataWrite w;
  w.coverage.push_back({"prices", "AAA", "test", Date::parse_or_throw("2021-01-04"), Date::parse_or_throw("2021-03-03"), ""});
  s->market_data().save_fetch(w);
  EXPECT_EQ(s->market_data().coverage("prices", "AAA")->synced_at, at);
}

// The same request of a user while their job of that kind is queued or running is that job; a
// claimed (running) one still joins, an ended or cancelled one does not.
TEST_P(RepositoryContract, AnIdenticalPendingJobIsJoinedNotRepeated) {
  auto s = open_store_under_test();
  bool joined = true;
  const auto first = s->jobs().enqueue_or_join("acme", "alice", "risk.var", R"({"window":250})", 1, 0, joined);
  EXPECT_FALSE(joined);
  EXPECT_EQ(s->jobs().enqueue_or_join("acme", "alice", "risk.var", R"({"window":250})", 1, 0, joined), first);
  EXPECT_TRUE(joined);
  EXPECT_NE(s->jobs().enqueue_or_join("acme", "alice", "risk.var", R"({"window":251})", 1, 0, joined), first);
  EXPECT_NE(s->jobs().enqueue_or_join("acme", "bob", "risk.var", R"({"window":250})", 1, 0, joined), first);
  EXPECT_NE(s->jobs().enqueue_or_join("acme", "alice", "plan.retire", R"({"window":250})", 1, 0, joined), first);
  const auto claimed = s->jobs().claim_next({"w:1", 0, 0, 30000});
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->id, first);
  EXPECT_EQ(s->jobs().enqueue_or_join("acme", "alice", "risk.var", R"({"window":250})", 1, 0, joined), first);
  EXPECT_TRUE(joined);
  EXPECT_TRUE(s->jobs().succeed({first, claimed->attempts}, "{}"));
  EXPECT_NE(s->jobs().enqueue_or_join("acme", "alice", "risk.var", R"({"window":250})", 1, 0, joined), first);
  EXPECT_FALSE(joined);
}

TEST_P(RepositoryContract, StoreClockUpdatesMoveUpdatedAtAndKeepCreatedAt) {
  HandClock clock(march_4_2021());
  auto s = open_store_under_test(clock);
  s->users().add("alice", "acme", Role::kAnalyst, "h1");
  s->save_portfolio("acme", "book", {stock("AAA", 1)}, "test");
  clock.advance(hours{24} + seconds{1});
  s->users().set_password("alice", "h2");
  const auto u = *s->users().find("alice");
  EXPECT_EQ(u.created_at, "2021-03-04T05:06:07Z");
  EXPECT_EQ(u.updated_at, "2021-03-05T05:06:08Z");
  const auto p = s->save_portfolio("acme", "book", {stock("BBB", 2)}, "test");
  EXPECT_EQ(p.created_at, "2021-03-04T05:06:07Z");
  EXPECT_EQ(p.updated_at, "2021-03-05T05:06:08Z");
}

// Writes through six repositories and the portfolio methods inside one transaction that throws:
// none of them is kept.
TEST_P(RepositoryContract, StoreTransactionRollsBackEveryRepositorysWritesWhenTheFunctionThrows) {
  auto s = open_store_under_test();
  EXPECT_THROW(s->transaction([&] {
    s->save_portfolio("acme", "book", {stock("AAA", 1)}, "test");
    s->users().add("alice", "acme", Role::kAnalyst, "h");
    AuditEntry e;
    e.tenant = "acme";
    e.action = "user.create";
    s->audit().append(e);
    s->jobs().enqueue("acme", "alice", "risk.var", "{}", 1, 0);
    s->tags().create("acme", "core", "");
    s->ledger().create_account("acme", "ira", ledger::LotMethod::kFifo, false, "USD");
    s->transaction([&] { s->modelling_sessions().create("acme", "alice", s->find_portfolio("acme", "book")->id, "m"); });
    throw std::runtime_error("stop");
  }),
               std::runtime_error);
  EXPECT_TRUE(s->list_portfolios("acme").empty());
  EXPECT_EQ(s->users().count(), 0u);
  AuditQuery acme;
  acme.tenant = "acme";
  EXPECT_TRUE(s->audit().list(acme).empty());
  EXPECT_TRUE(s->jobs().list("acme", std::nullopt, 10, std::nullopt).empty());
  EXPECT_TRUE(s->tags().list("acme").empty());
  EXPECT_TRUE(s->ledger().list_accounts("acme").empty());
  EXPECT_TRUE(s->modelling_sessions().list("acme").empty());
}

TEST_P(RepositoryContract, StoreTransactionCommitsTogetherAndReturnsTheFunctionsValue) {
  auto s = open_store_under_test();
  const std::int64_t job = s->transaction([&] {
    s->users().add("alice", "acme", Role::kAnalyst, "h");
    return s->jobs().enqueue("acme", "alice", "risk.var", "{}", 1, 0);
  });
  EXPECT_EQ(s->users().count(), 1u);
  EXPECT_EQ(s->jobs().find(job)->username, "alice");
  // A repository error inside rolls back what came before it, and the error reaches the caller.
  try {
    s->transaction([&] {
      s->tags().create("acme", "core", "");
      s->users().add("alice", "globex", Role::kViewer, "h");  // the name is taken
    });
    FAIL() << "expected a conflict";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
  }
  EXPECT_TRUE(s->tags().list("acme").empty());
}

// Until the transaction commits, another connection to the same file sees none of its writes.
TEST(StoreTransaction, OtherConnectionsSeeNothingBeforeTheCommit) {
  const auto path = (std::filesystem::temp_directory_path() / "keel_store_transaction_test.db").string();
  std::filesystem::remove(path);
  {
    auto writer = open_store(path);
    auto reader = open_store(path);
    writer->transaction([&] {
      writer->users().add("alice", "acme", Role::kAnalyst, "h");
      writer->jobs().enqueue("acme", "alice", "risk.var", "{}", 1, 0);
      EXPECT_EQ(reader->users().count(), 0u);
      EXPECT_TRUE(reader->jobs().list("acme", std::nullopt, 10, std::nullopt).empty());
    });
    EXPECT_EQ(reader->users().count(), 1u);
    EXPECT_EQ(reader->jobs().list("acme", std::nullopt, 10, std::nullopt).size(), 1u);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST(Store, PingAnswers) {
  auto s = open_store(":memory:", system_clock_source(), StoreOptions{.page_cache_kib = 1024});
  EXPECT_TRUE(s->ping());
}

// The audit log's triggers (migration 5) refuse to rewrite history, whatever the caller.
TEST(AuditLog, TriggersRefuseUpdateAndDelete) {
  SqliteConnection db(":memory:");
  db.exec("INSERT INTO audit_log (username, tenant, action, resource, outcome, client, request_id, details) "
          "VALUES ('alice', 'acme', 'auth.login', '', 'ok', '', '', '{}')");
  EXPECT_THROW(db.exec("UPDATE audit_log SET username = 'mallory'"), Error);
  EXPECT_THROW(db.exec("DELETE FROM audit_log"), Error);
  auto st = db.prepare("SELECT username FROM audit_log");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.get_text(0), "alice");
}

}  // namespace
}  // namespace keel::store

namespace keel::store {
namespace {

// The security master: the CSV's fields and the fetched ones written apart, read back whole, an
// empty text stored as NULL (read as ""), the market cap exact, the list in symbol order.
TEST_P(RepositoryContract, SecurityMasterKeepsFetchedFieldsApartFromTheFilesFields) {
  auto s = open_store_under_test();
  s->upsert_symbol_info({{"MSFT", "Microsoft", "Information Technology", "Systems Software"}});
  SymbolInfo a;
  a.symbol = "AAPL";
  a.name = "Apple Inc.";
  a.sector = "Technology";
  a.industry = "Consumer Electronics";
  a.exchange = "NMS";
  a.currency = "USD";
  a.country = "United States";
  a.market_cap = 2954937630720.0;
  a.asset_type = "equity";
  a.source = "yahoo";
  a.fetched_at = "2026-11-23T12:00:00Z";
  SymbolInfo b;
  b.symbol = "BRK.B";
  b.name = "Berkshire Hathaway";
  b.asset_type = "equity";
  b.source = "polygon";
  b.fetched_at = "2026-11-22T08:30:00Z";
  EXPECT_EQ(s->upsert_security_master({a, b}), 2u);
  const auto back = s->symbol_info("AAPL");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->exchange, "NMS");
  EXPECT_EQ(back->currency, "USD");
  EXPECT_EQ(back->country, "United States");
  EXPECT_EQ(back->market_cap, std::optional<double>(2954937630720.0));
  EXPECT_EQ(back->source, "yahoo");
  EXPECT_EQ(back->fetched_at, "2026-11-23T12:00:00Z");
  const auto brk = s->symbol_info("BRK.B");
  EXPECT_EQ(brk->sector, "");
  EXPECT_FALSE(brk->market_cap);
  // The file's import changes name, sector and industry only.
  s->upsert_symbol_info({{"AAPL", "Apple", "Information Technology", "Technology Hardware"}});
  const auto after = s->symbol_info("AAPL");
  EXPECT_EQ(after->name, "Apple");
  EXPECT_EQ(after->sector, "Information Technology");
  EXPECT_EQ(after->exchange, "NMS");
  EXPECT_EQ(after->fetched_at, "2026-11-23T12:00:00Z");
  // A position's instrument (no name, no sector, never fetched) is not a record.
  s->save_portfolio("default", "book", {stock("NVDA", 1)}, "test");
  std::vector<std::string> symbols;
  for (const auto& i : s->list_symbol_info()) symbols.push_back(i.symbol);
  EXPECT_EQ(symbols, (std::vector<std::string>{"AAPL", "BRK.B", "MSFT"}));
}

}  // namespace
}  // namespace keel::store
