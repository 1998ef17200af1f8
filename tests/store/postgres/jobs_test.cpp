// The job queue on PostgreSQL: one queue for every tenant (claimed through the owner's
// SKIP LOCKED function, expired leases included), each job otherwise reachable only under its own
// tenant; concurrent claimers never take one job twice; every change is NOTIFYed; the rate limits
// and login throttling shared by every server.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "keel/core/error.h"
#include "keel/store/job_repository.h"
#include "keel/store/shared_state.h"
#include "keel/store/store.h"
#include "pg_cluster.h"

namespace keel {
namespace {

using store::CancelOutcome;
using store::JobStatus;
using store::listen_job_changes;
using store::open_shared_limits;
using testing::PgCluster;

TEST(PostgresJobs, ClaimsTheOldestDueJobOfAnyTenantAndKeepsEachTenantsJobsItsOwn) {
  auto* cluster = PgCluster::shared();
  KEEL_PG_REQUIRE_OR_SKIP(cluster);
  auto s = open_store(cluster->url(cluster->fresh_database(), "keel_app"));
  auto& jobs = s->jobs();
  const auto a = jobs.enqueue("acme", "alice", "risk.var", "{}", 2, 100);
  const auto b = jobs.enqueue("globex", "bob", "risk.var", "{}", 2, 50);       // due earlier
  const auto later = jobs.enqueue("acme", "alice", "risk.var", "{}", 2, 500);  // not due at 200
  // Ordered by run_after, then id: globex's job (50) before acme's (100); the one due at 500 waits.
  auto first = jobs.claim_next({"w:1", 200, 200000, 30000});
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->id, b);
  EXPECT_EQ(first->tenant, "globex");
  EXPECT_EQ(first->status, JobStatus::kRunning);
  EXPECT_EQ(first->attempts, 1);
  auto second = jobs.claim_next({"w:2", 200, 200000, 30000});
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->id, a);
  EXPECT_FALSE(jobs.claim_next({"w:3", 200, 200000, 30000}).has_value());

  EXPECT_TRUE(jobs.set_progress({b, 1}, 0.5, "half"));
  EXPECT_DOUBLE_EQ(jobs.find(b)->progress, 0.5);
  EXPECT_TRUE(jobs.succeed({b, 1}, R"({"var":1})"));
  EXPECT_EQ(*jobs.find(b)->result, R"({"var":1})");
  // Another tenant neither finds nor cancels it.
  EXPECT_FALSE(jobs.find("acme", b).has_value());
  EXPECT_EQ(jobs.request_cancel("acme", b), CancelOutcome::kNotFound);
  EXPECT_EQ(jobs.list("acme", std::nullopt, 10, std::nullopt).size(), 2u);
  EXPECT_EQ(jobs.request_cancel("acme", later), CancelOutcome::kCancelled);
  EXPECT_EQ(jobs.request_cancel("acme", a), CancelOutcome::kRequested);
  EXPECT_TRUE(jobs.cancel_requested(a));
  // acme's `a` was claimed by w:2 until 230000 ms: after that, any claimer takes it over.
  EXPECT_FALSE(jobs.claim_next({"w:3", 229, 229999, 30000}).has_value());
  const auto over = jobs.claim_next({"w:3", 231, 231000, 30000});
  ASSERT_TRUE(over.has_value());
  EXPECT_EQ(over->id, a);
  EXPECT_EQ(over->attempts, 2);
  const auto counts = jobs.count_by_status();
  EXPECT_EQ(counts.at("running"), 1u);
  EXPECT_EQ(counts.at("succeeded"), 1u);
  EXPECT_EQ(counts.at("cancelled"), 1u);
  // The result cache: per tenant and portfolio; a portfolio that does not exist is refused.
  EXPECT_THROW(s->results().put("acme", 999, "var", "{}"), Error);
  const auto p = s->save_portfolio("acme", "book", {}, "test");
  s->results().put("acme", p.id, "var", R"({"v":2})");
  EXPECT_EQ(s->results().get("acme", p.id, "var")->result, R"({"v":2})");
  EXPECT_FALSE(s->results().get("globex", p.id, "var").has_value());
}

TEST(PostgresJobs, ConcurrentClaimersNeverTakeOneJobTwice) {
  auto* cluster = PgCluster::shared();
  KEEL_PG_REQUIRE_OR_SKIP(cluster);
  const std::string url = cluster->url(cluster->fresh_database(), "keel_app") + "&pool_size=8";
  constexpr int kJobs = 60;
  {
    auto s = open_store(url);
    for (int i = 0; i < kJobs; ++i) s->jobs().enqueue(i % 2 ? "acme" : "globex", "u", "k", "{}", 1, 0);
  }
  std::mutex m;
  std::multiset<std::int64_t> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      auto s = open_store(url);
      while (auto j = s->jobs().claim_next({"w:" + std::to_string(t), 1, 1000, 600000})) {
        std::lock_guard lock(m);
        seen.insert(j->id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kJobs));
  for (auto id : seen) EXPECT_EQ(seen.count(id), 1u) << "job " << id << " claimed twice";
}

TEST(PostgresJobs, EveryNewJobAndEveryChangeIsNotified) {
  auto* cluster = PgCluster::shared();
  KEEL_PG_REQUIRE_OR_SKIP(cluster);
  const std::string url = cluster->url(cluster->fresh_database(), "keel_app");
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::pair<std::int64_t, std::string>> heard;
  auto listener = listen_job_changes(url, [&](std::int64_t id, std::string_view status) {
    std::lock_guard lock(m);
    if (id != 0) heard.emplace_back(id, std::string(status));  // 0: "(re)connected, look again"
    cv.notify_all();
  });
  ASSERT_TRUE(listener);
  for (int i = 0; i < 100 && !listener->listening(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(listener->listening());
  auto s = open_store(url);
  const auto id = s->jobs().enqueue("acme", "u", "k", "{}", 1, 0);
  ASSERT_TRUE(s->jobs().claim_next({"w", 1, 1000, 60000}));
  EXPECT_TRUE(s->jobs().heartbeat({id, 1}, 99000));  // no event: no notification
  EXPECT_TRUE(s->jobs().succeed({id, 1}, "{}"));
  std::unique_lock lock(m);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return heard.size() >= 3; }));
  lock.unlock();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  lock.lock();
  const std::vector<std::pair<std::int64_t, std::string>> expected = {
      {id, "queued"}, {id, "running"}, {id, "succeeded"}};
  EXPECT_EQ(heard, expected);
  // An SQLite store has no notifications: its callers poll.
  EXPECT_FALSE(listen_job_changes("keel.db", [](std::int64_t, std::string_view) {}));
}

TEST(PostgresJobs, RateLimitsAndLoginThrottlingAreSharedByEveryProcess) {
  auto* cluster = PgCluster::shared();
  KEEL_PG_REQUIRE_OR_SKIP(cluster);
  const std::string url = cluster->url(cluster->fresh_database(), "keel_app");
  // Two handles stand for two servers (each its own pool of connections would be the same rows).
  auto one = open_shared_limits(url);
  auto two = open_shared_limits(url);
  ASSERT_TRUE(one && two);
  // Capacity 3, refilled at 3 per minute: three requests in all, whichever server takes them.
  EXPECT_TRUE(one->take("user:ann", 3, 0.05, 100.0).allowed);
  EXPECT_TRUE(two->take("user:ann", 3, 0.05, 100.0).allowed);
  EXPECT_TRUE(one->take("user:ann", 3, 0.05, 100.0).allowed);
  const auto refused = two->take("user:ann", 3, 0.05, 100.0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_NEAR(refused.retry_after_seconds, 20.0, 1e-9);         // one token at 0.05 per second
  EXPECT_TRUE(one->take("user:bob", 3, 0.05, 100.0).allowed);   // another key, another bucket
  EXPECT_FALSE(one->take("user:ann", 3, 0.05, 110.0).allowed);  // half a token back
  EXPECT_TRUE(one->take("user:ann", 3, 0.05, 121.0).allowed);   // 21 s later: one token back
  // Login throttling as LoginThrottle counts it: from the 2nd failure in a row (free_failures 2)
  // blocked for 1 s x 2^(failures - 2), whichever server saw the failures.
  two->record_failure("acct:ip|ann", 100.0, 2, 1.0, 900.0, 0.0);
  EXPECT_DOUBLE_EQ(one->blocked_until("acct:ip|ann"), 0.0);
  one->record_failure("acct:ip|ann", 100.0, 2, 1.0, 900.0, 0.0);  // second: 1 s
  EXPECT_DOUBLE_EQ(two->blocked_until("acct:ip|ann"), 101.0);
  two->record_failure("acct:ip|ann", 101.0, 2, 1.0, 900.0, 0.0);  // third: 2 s
  EXPECT_DOUBLE_EQ(one->blocked_until("acct:ip|ann"), 103.0);
  one->record_failure("acct:ip|ann", 103.0, 2, 1.0, 900.0, 0.0);  // fourth: 4 s
  EXPECT_DOUBLE_EQ(two->blocked_until("acct:ip|ann"), 107.0);
  two->record_success("acct:ip|ann");
  EXPECT_DOUBLE_EQ(one->blocked_until("acct:ip|ann"), 0.0);
  // forget_after: a failure long after the last one starts counting afresh.
  for (int i = 0; i < 3; ++i) one->record_failure("ip:x", 200.0, 2, 1.0, 900.0, 60.0);
  EXPECT_DOUBLE_EQ(one->blocked_until("ip:x"), 202.0);
  one->record_failure("ip:x", 400.0, 2, 1.0, 900.0, 60.0);  // count 1 again: no new block
  EXPECT_DOUBLE_EQ(one->blocked_until("ip:x"), 202.0);
  one->sweep(1000.0, 1000.0);
  EXPECT_DOUBLE_EQ(one->blocked_until("ip:x"), 0.0);
  EXPECT_FALSE(open_shared_limits("keel.db"));
}

TEST(PostgresJobs, TokensTakenInBatchesComeOutOfTheOneSharedBucket) {
  auto* cluster = PgCluster::shared();
  KEEL_PG_REQUIRE_OR_SKIP(cluster);
  const std::string url = cluster->url(cluster->fresh_database(), "keel_app");
  auto one = open_shared_limits(url);
  auto two = open_shared_limits(url);
  ASSERT_TRUE(one && two);
  // Capacity 10, refilled at 0.5 per second: 4 + 4, then the 2 left, then none.
  EXPECT_EQ(one->take_up_to("user:ann", 4, 10, 0.5, 100.0).granted, 4);
  EXPECT_EQ(two->take_up_to("user:ann", 4, 10, 0.5, 100.0).granted, 4);
  EXPECT_EQ(one->take_up_to("user:ann", 4, 10, 0.5, 100.0).granted, 2);
  const auto none = two->take_up_to("user:ann", 4, 10, 0.5, 100.0);
  EXPECT_EQ(none.granted, 0);
  EXPECT_NEAR(none.retry_after_seconds, 2.0, 1e-9);  // one token at 0.5 per second
  EXPECT_FALSE(one->take("user:ann", 10, 0.5, 100.0).allowed);  // the one-token path sees the same row
  EXPECT_EQ(two->take_up_to("user:ann", 4, 10, 0.5, 105.0).granted, 2);  // 2.5 tokens back after 5 s
  // Two servers taking at once from a new key: every token once, none lost or doubled.
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto& limits = t % 2 ? *one : *two;
      for (int i = 0; i < 10; ++i) granted += limits.take_up_to("user:bob", 3, 50, 1e-6, 100.0).granted;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(granted.load(), 50);
}

}  // namespace
}  // namespace keel
