// The job queue on PostgreSQL: one queue for every tenant (claimed through the owner's
// SKIP LOCKED function), each job otherwise reachable only under its own tenant.
#include <gtest/gtest.h>

#include "keel/core/error.h"
#include "keel/store/job_repository.h"
#include "keel/store/store.h"
#include "pg_cluster.h"

namespace keel {
namespace {

using store::CancelOutcome;
using store::JobStatus;
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
  auto first = jobs.claim_next(200);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->id, b);
  EXPECT_EQ(first->tenant, "globex");
  EXPECT_EQ(first->status, JobStatus::kRunning);
  EXPECT_EQ(first->attempts, 1);
  auto second = jobs.claim_next(200);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->id, a);
  EXPECT_FALSE(jobs.claim_next(200).has_value());

  jobs.set_progress(b, 0.5, "half");
  EXPECT_DOUBLE_EQ(jobs.find(b)->progress, 0.5);
  jobs.succeed(b, R"({"var":1})");
  EXPECT_EQ(*jobs.find(b)->result, R"({"var":1})");
  // Another tenant neither finds nor cancels it.
  EXPECT_FALSE(jobs.find("acme", b).has_value());
  EXPECT_EQ(jobs.request_cancel("acme", b), CancelOutcome::kNotFound);
  EXPECT_EQ(jobs.list("acme", std::nullopt, 10, std::nullopt).size(), 2u);
  EXPECT_EQ(jobs.request_cancel("acme", later), CancelOutcome::kCancelled);
  EXPECT_EQ(jobs.request_cancel("acme", a), CancelOutcome::kRequested);
  EXPECT_TRUE(jobs.cancel_requested(a));
  // At start, a server puts running jobs back: only acme's `a` is running.
  EXPECT_EQ(jobs.requeue_running("server restarted"), 1u);
  const auto counts = jobs.count_by_status();
  EXPECT_EQ(counts.at("queued"), 1u);
  EXPECT_EQ(counts.at("succeeded"), 1u);
  EXPECT_EQ(counts.at("cancelled"), 1u);
  EXPECT_EQ(counts.at("running"), 0u);
  // The result cache: per tenant and portfolio; a portfolio that does not exist is refused.
  EXPECT_THROW(s->results().put("acme", 999, "var", "{}"), Error);
  const auto p = s->save_portfolio("acme", "book", {}, "test");
  s->results().put("acme", p.id, "var", R"({"v":2})");
  EXPECT_EQ(s->results().get("acme", p.id, "var")->result, R"({"v":2})");
  EXPECT_FALSE(s->results().get("globex", p.id, "var").has_value());
}

}  // namespace
}  // namespace keel
