// The job queue's contract on both backends: claims under a lease, expiry and claiming again,
// fencing by the attempt number, retries with the error kept, split jobs whose shards end into a
// reduce, and cancellation of a job waiting for its shards. Times are passed in, so leases expire
// when the test says.
#include <gtest/gtest.h>

#include "backends.h"
#include "keel/core/env.h"
#include "keel/store/job_repository.h"
#include "keel/store/store.h"

namespace keel::store {
namespace {

class JobQueue : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, JobQueue, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

// A claim by `owner` at `ms` milliseconds (run_after compared with ms / 1000) for a lease of `lease_ms`.
ClaimOptions at(const std::string& owner, std::int64_t ms, std::int64_t lease_ms = 500) {
  return {owner, ms / 1000, ms, lease_ms};
}

TEST_P(JobQueue, ClaimsInOrderRetriesWithBackoffAndCancels) {
  auto s = open_store_under_test();
  JobRepository& jobs = s->jobs();
  const auto j1 = jobs.enqueue("acme", "alice", "risk.var", "{}", 2, 100);
  const auto j2 = jobs.enqueue("acme", "alice", "risk.var", "{}", 2, 100);
  EXPECT_FALSE(jobs.claim_next(at("A", 99000)));  // not due yet
  auto c = jobs.claim_next(at("A", 100000, 60000));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->id, j1);
  EXPECT_EQ(c->status, JobStatus::kRunning);
  EXPECT_EQ(c->attempts, 1);
  EXPECT_EQ(c->lease_owner, "A");
  EXPECT_EQ(c->lease_expires_ms, 160000);
  const JobLease l1{j1, 1};
  EXPECT_TRUE(jobs.set_progress(l1, 0.5, "half"));
  EXPECT_EQ(jobs.find(j1)->progress, 0.5);
  EXPECT_GT(jobs.find(j1)->version, c->version);
  EXPECT_TRUE(jobs.fail(l1, R"({"code":"internal","message":"disk"})", 110));  // retry at 110 s
  EXPECT_EQ(jobs.find(j1)->status, JobStatus::kQueued);
  EXPECT_FALSE(jobs.find(j1)->lease_owner.has_value());
  c = jobs.claim_next(at("A", 105000, 60000));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->id, j2);  // j1 waits for its backoff
  EXPECT_EQ(jobs.request_cancel("acme", j2), CancelOutcome::kRequested);
  EXPECT_TRUE(jobs.cancel_requested(j2));
  EXPECT_TRUE(jobs.mark_cancelled({j2, 1}, "stopped"));
  EXPECT_EQ(jobs.request_cancel("acme", j2), CancelOutcome::kAlreadyFinished);
  EXPECT_EQ(jobs.request_cancel("globex", j1), CancelOutcome::kNotFound);  // another tenant's
  c = jobs.claim_next(at("B", 110000, 60000));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->attempts, 2);
  EXPECT_EQ(*c->error, R"({"code":"internal","message":"disk"})");  // the last error is kept meanwhile
  // Graceful shutdown: back in the queue without counting the attempt.
  EXPECT_TRUE(jobs.requeue({j1, 2}, "shutdown"));
  EXPECT_EQ(jobs.find(j1)->attempts, 1);
  EXPECT_EQ(jobs.find(j1)->status, JobStatus::kQueued);
  const auto counts = jobs.count_by_status();
  EXPECT_EQ(counts.at("queued"), 1u);
  EXPECT_EQ(counts.at("cancelled"), 1u);
  EXPECT_EQ(jobs.list("acme", std::nullopt, 10, std::nullopt).size(), 2u);
  EXPECT_EQ(jobs.list("globex", std::nullopt, 10, std::nullopt).size(), 0u);
}

TEST_P(JobQueue, AnExpiredLeaseIsClaimedAgainAndTheOldHolderIsFencedOut) {
  auto s = open_store_under_test();
  JobRepository& jobs = s->jobs();
  const auto id = jobs.enqueue("acme", "alice", "risk.var", "{}", 3, 0);
  const auto a = jobs.claim_next(at("A", 1000));  // lease until 1500
  ASSERT_TRUE(a);
  const JobLease la{id, a->attempts};
  EXPECT_FALSE(jobs.claim_next(at("B", 1400)));   // still held
  EXPECT_TRUE(jobs.heartbeat(la, 2000));          // renewed: held until 2000
  EXPECT_EQ(jobs.find(id)->version, a->version);  // a heartbeat is no event
  EXPECT_FALSE(jobs.claim_next(at("B", 1999)));
  const auto b = jobs.claim_next(at("B", 2001));  // A stopped renewing: B takes it over
  ASSERT_TRUE(b);
  EXPECT_EQ(b->id, id);
  EXPECT_EQ(b->attempts, 2);
  EXPECT_EQ(b->lease_owner, "B");
  EXPECT_EQ(b->message, "claimed again: the lease of attempt 1 expired");
  // A (still running somewhere, its lease lost) can write nothing any more.
  EXPECT_FALSE(jobs.heartbeat(la, 9000));
  EXPECT_FALSE(jobs.set_progress(la, 0.9, "A's progress"));
  EXPECT_FALSE(jobs.succeed(la, R"({"by":"A"})", "A"));
  EXPECT_FALSE(jobs.fail(la, R"({"code":"internal"})", std::nullopt));
  EXPECT_FALSE(jobs.requeue(la, "A stops"));
  EXPECT_FALSE(jobs.mark_cancelled(la, "A"));
  auto j = *jobs.find(id);
  EXPECT_EQ(j.status, JobStatus::kRunning);
  EXPECT_EQ(j.lease_owner, "B");
  EXPECT_FALSE(j.result.has_value());
  EXPECT_TRUE(jobs.succeed({id, 2}, R"({"by":"B"})"));
  j = *jobs.find(id);
  EXPECT_EQ(j.status, JobStatus::kSucceeded);
  EXPECT_EQ(*j.result, R"({"by":"B"})");
  EXPECT_FALSE(jobs.succeed({id, 2}, R"({"by":"B again"})"));  // ended: nothing more
}

TEST_P(JobQueue, AJobWhoseLeaseExpiresInItsLastAttemptFailsWithTheErrorKept) {
  auto s = open_store_under_test();
  JobRepository& jobs = s->jobs();
  const auto once = jobs.enqueue("acme", "alice", "risk.var", "{}", 1, 0);
  ASSERT_TRUE(jobs.claim_next(at("A", 1000)));
  EXPECT_FALSE(jobs.claim_next(at("B", 1600)));  // out of attempts: failed, not claimed
  auto j = *jobs.find(once);
  EXPECT_EQ(j.status, JobStatus::kFailed);
  EXPECT_FALSE(j.lease_owner.has_value());
  EXPECT_NE(j.error->find("its lease expired"), std::string::npos) << *j.error;

  const auto twice = jobs.enqueue("acme", "alice", "risk.var", "{}", 2, 0);
  ASSERT_TRUE(jobs.claim_next(at("A", 2000)));
  EXPECT_TRUE(jobs.fail({twice, 1}, R"({"code":"internal","message":"first failure"})", 2));
  ASSERT_TRUE(jobs.claim_next(at("A", 3000)));  // attempt 2, never ended
  EXPECT_FALSE(jobs.claim_next(at("B", 4000)));
  j = *jobs.find(twice);
  EXPECT_EQ(j.status, JobStatus::kFailed);
  EXPECT_EQ(*j.error, R"({"code":"internal","message":"first failure"})");
}

TEST_P(JobQueue, ShardsEndIntoTheParentsReduce) {
  auto s = open_store_under_test();
  JobRepository& jobs = s->jobs();
  const auto parent = jobs.enqueue("acme", "alice", "risk.var", R"({"portfolio":1})", 3, 0);
  const auto claimed = jobs.claim_next(at("A", 1000, 60000));
  ASSERT_TRUE(claimed);
  const JobLease lp{parent, 1};
  ASSERT_TRUE(jobs.split(lp, "risk.var.shard", {R"({"first":0,"last":2})", R"({"first":2,"last":3})"}, 1));
  auto p = *jobs.find(parent);
  EXPECT_EQ(p.status, JobStatus::kRunning);
  EXPECT_EQ(p.shards, 2);
  EXPECT_EQ(p.pending_shards, 2);
  EXPECT_EQ(p.max_attempts, 4);  // the reduce is a claim of its own
  EXPECT_FALSE(p.lease_owner.has_value());
  EXPECT_FALSE(jobs.split(lp, "risk.var.shard", {"{}"}, 1));  // the lease went with the split
  EXPECT_FALSE(jobs.heartbeat(lp, 99999));
  EXPECT_FALSE(jobs.succeed(lp, "{}"));
  // The tenant's list shows the job, not its shards.
  ASSERT_EQ(jobs.list("acme", std::nullopt, 10, std::nullopt).size(), 1u);

  const auto s1 = jobs.claim_next(at("B", 2000, 60000));
  const auto s2 = jobs.claim_next(at("C", 2000, 60000));
  ASSERT_TRUE(s1 && s2);
  EXPECT_EQ(s1->kind, "risk.var.shard");
  EXPECT_EQ(s1->parent_id, parent);
  EXPECT_EQ(s1->request, R"({"first":0,"last":2})");
  EXPECT_EQ(s2->request, R"({"first":2,"last":3})");
  EXPECT_FALSE(jobs.claim_next(at("D", 2000, 60000)));  // the parent waits without a lease
  const std::string bytes1("\x00\x01\xff\x80\x00", 5);
  EXPECT_TRUE(jobs.succeed({s1->id, 1}, R"({"first":0})", bytes1));
  p = *jobs.find(parent);
  EXPECT_EQ(p.pending_shards, 1);
  EXPECT_DOUBLE_EQ(p.progress, 0.05 + 0.9 * 0.5);
  EXPECT_EQ(p.message, "shard 1 of 2 done");
  EXPECT_EQ(p.status, JobStatus::kRunning);
  // The second shard fails once, then succeeds on its retry.
  EXPECT_TRUE(jobs.fail({s2->id, 1}, R"({"code":"internal"})", 3));
  EXPECT_EQ(jobs.find(parent)->pending_shards, 1);
  const auto again = jobs.claim_next(at("B", 3000, 60000));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, s2->id);
  EXPECT_TRUE(jobs.succeed({s2->id, 2}, R"({"first":2})", "\x07"));
  p = *jobs.find(parent);
  EXPECT_EQ(p.status, JobStatus::kQueued);
  EXPECT_EQ(p.pending_shards, 0);
  EXPECT_EQ(p.message, "reducing 2 shards");
  const auto reduce = jobs.claim_next(at("C", 4000, 60000));
  ASSERT_TRUE(reduce);
  EXPECT_EQ(reduce->id, parent);
  EXPECT_EQ(reduce->attempts, 2);
  EXPECT_EQ(reduce->shards, 2);
  const auto outs = jobs.shard_outputs(parent);
  ASSERT_EQ(outs.size(), 2u);
  EXPECT_EQ(outs[0].id, s1->id);
  EXPECT_EQ(outs[0].status, JobStatus::kSucceeded);
  EXPECT_EQ(outs[0].output, bytes1);
  EXPECT_EQ(*outs[0].result, R"({"first":0})");
  EXPECT_EQ(outs[1].output, "\x07");
  EXPECT_FALSE(jobs.succeed(lp, R"({"stale":true})"));  // the splitter's token is spent
  EXPECT_TRUE(jobs.succeed({parent, 2}, R"({"var":1})"));
  EXPECT_EQ(jobs.find(parent)->status, JobStatus::kSucceeded);
}

TEST_P(JobQueue, CancellingAJobWaitingForItsShardsEndsItAndStopsThem) {
  auto s = open_store_under_test();
  JobRepository& jobs = s->jobs();
  const auto parent = jobs.enqueue("acme", "alice", "clo.montecarlo", "{}", 3, 0);
  ASSERT_TRUE(jobs.claim_next(at("A", 1000, 60000)));
  ASSERT_TRUE(jobs.split({parent, 1}, "clo.montecarlo.shard", {"{}", "{}"}, 1));
  const auto s1 = jobs.claim_next(at("B", 2000, 60000));
  ASSERT_TRUE(s1);
  EXPECT_EQ(jobs.request_cancel("acme", parent), CancelOutcome::kCancelled);
  EXPECT_EQ(jobs.find(parent)->status, JobStatus::kCancelled);
  const auto outs = jobs.shard_outputs(parent);
  ASSERT_EQ(outs.size(), 2u);
  EXPECT_EQ(outs[1].status, JobStatus::kCancelled);  // queued: at once
  EXPECT_TRUE(jobs.cancel_requested(s1->id));        // running: at its next step
  EXPECT_TRUE(jobs.mark_cancelled({s1->id, 1}, "cancelled while running"));
  EXPECT_EQ(jobs.find(parent)->status, JobStatus::kCancelled);  // not queued again to reduce
  EXPECT_FALSE(jobs.claim_next(at("C", 3000, 60000)));
}

// A job's end is journaled for its owner in the transaction that ends it (migration 96's trigger),
// whichever way it ends; a retry, a start and a split job's shards are not announced.
TEST_P(JobQueue, AJobsEndIsJournaledForItsOwner) {
  auto s = open_store_under_test();
  JobRepository& jobs = s->jobs();
  const std::int64_t before = s->last_change_id();
  const auto j1 = jobs.enqueue("acme", "alice", "risk.var", "{}", 2, 100);
  const auto j2 = jobs.enqueue("globex", "bob", "plan.retire", "{}", 1, 100);
  auto c = jobs.claim_next(at("A", 100000, 60000));
  ASSERT_TRUE(c);
  ASSERT_TRUE(jobs.fail({c->id, 1}, R"({"code":"internal","message":"disk"})", 101));  // a retry: queued again
  c = jobs.claim_next(at("A", 100500, 60000));
  ASSERT_TRUE(c);
  ASSERT_TRUE(jobs.succeed({c->id, c->attempts}, "{}"));
  c = jobs.claim_next(at("A", 102000, 60000));
  ASSERT_TRUE(c);
  ASSERT_TRUE(jobs.fail({c->id, c->attempts}, R"({"code":"internal","message":"disk"})", std::nullopt));
  const auto events = s->changes_after(before, 10);
  ASSERT_EQ(events.size(), 2u);
  for (const auto& e : events) {
    EXPECT_EQ(e.kind, "job");
    if (e.portfolio_id == j1) {
      EXPECT_EQ(e.tenant, "acme");
      EXPECT_EQ(e.username, "alice");
      EXPECT_EQ(e.portfolio, "risk.var");
    } else {
      EXPECT_EQ(e.portfolio_id, j2);
      EXPECT_EQ(e.tenant, "globex");
      EXPECT_EQ(e.username, "bob");
    }
  }
  // j2 ran while j1 waited for its retry; j1 then failed for good on its second attempt.
  EXPECT_EQ((events[0].portfolio_id == j2 ? events[0] : events[1]).what, "succeeded");
  EXPECT_EQ((events[0].portfolio_id == j1 ? events[0] : events[1]).what, "failed");
}

// Retention: the top-level jobs that ended before the cut are deleted with their shards (a split
// job's shards go with it, whatever their own end); queued and running jobs stay, however old.
TEST_P(JobQueue, JobsThatEndedBeforeTheRetentionAreDeletedWithTheirShards) {
  keel::FixedClock clock(std::chrono::sys_days{std::chrono::year{2021} / std::chrono::March / 4});
  auto s = open_store_under_test(clock);
  JobRepository& jobs = s->jobs();
  const auto done = jobs.enqueue("acme", "alice", "risk.var", "{}", 1, 100);
  const auto running = jobs.enqueue("acme", "alice", "risk.var", "{\"x\":1}", 1, 100);
  const auto other = jobs.enqueue("globex", "bob", "risk.var", "{}", 1, 100);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(jobs.claim_next(at("A", 100000, 60000)));  // all three running
  ASSERT_TRUE(jobs.succeed({done, 1}, R"({"var":1})", "bytes"));
  ASSERT_TRUE(jobs.split({other, 1}, "risk.var.shard", {"{}", "{}"}, 100));
  for (int i = 0; i < 2; ++i) {
    const auto shard = jobs.claim_next(at("B", 101000, 60000));
    ASSERT_TRUE(shard);
    ASSERT_TRUE(jobs.succeed({shard->id, 1}, "{}", "values"));
  }
  const auto reduce = jobs.claim_next(at("C", 102000, 60000));
  ASSERT_TRUE(reduce);
  ASSERT_EQ(reduce->id, other);
  ASSERT_TRUE(jobs.succeed({other, reduce->attempts}, "{}"));
  // Every job ended on 4 March (the store's clock): a cut on that day keeps them all.
  EXPECT_EQ(jobs.prune_finished("2021-03-04T00:00:00Z"), 0u);
  // A cut a day later: the succeeded job and the split one with its two shards; the running one stays.
  EXPECT_EQ(jobs.prune_finished("2021-03-05T00:00:00Z"), 4u);
  EXPECT_FALSE(jobs.find(done));
  EXPECT_FALSE(jobs.find(other));
  EXPECT_TRUE(jobs.find(running));
  EXPECT_EQ(jobs.count_by_status().at("running"), 1u);
}

}  // namespace
}  // namespace keel::store
