// Fair share and cancellation without HTTP: the compute pool's round-robin across tenants and
// users with a tenant's limit of slots (bounded_pool.h), the job queue's fair claims (round-robin
// across tenants then users, tenants at the claimer's limit passed over), the job runner's limit
// of running jobs per tenant, and a held job's Cancellation fired by a cancel of this process, a
// cancel stored by another process (the heartbeat's poll) and a shutdown.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "../../src/server/bounded_pool.h"
#include "keel/core/cancel.h"
#include "keel/core/error.h"
#include "keel/server/jobs.h"
#include "keel/store/job_repository.h"
#include "keel/store/store.h"

namespace keel::server {
namespace {

using namespace std::chrono_literals;

// A gate the pool's tasks wait on, so a test decides when each ends.
struct Gate {
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  void wait() {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return open; });
  }
  void release() {
    {
      std::lock_guard lock(m);
      open = true;
    }
    cv.notify_all();
  }
};

bool eventually(const std::function<bool()>& ok, std::chrono::milliseconds within = 5000ms) {
  const auto until = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < until) {
    if (ok()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return ok();
}

TEST(BoundedPoolFairness, ATenantAtItsLimitLeavesTheOtherSlotToAnotherTenant) {
  BoundedPool pool(PoolOptions{.threads = 2, .capacity = 64, .nice_delta = 0, .tenant_slots = 1, .tenant_queue = 0});
  Gate gate;
  std::atomic<int> b_done{0};
  // Tenant B floods first: only one of its tasks runs at a time, the other slot stays free.
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(pool.try_submit(FairKey{"B", "mallory"}, [&] {
      gate.wait();
      ++b_done;
    }));
  }
  ASSERT_TRUE(eventually([&] { return pool.running() == 1; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(pool.running(), 1u);
  EXPECT_EQ(pool.tenant_load("B"), (std::pair<std::size_t, std::size_t>{1, 5}));
  // Tenant A's task runs at once on the free slot, however many of B's wait.
  std::atomic<bool> a_ran{false};
  const auto submitted = std::chrono::steady_clock::now();
  ASSERT_TRUE(pool.try_submit(FairKey{"A", "alice"}, [&] { a_ran = true; }));
  ASSERT_TRUE(eventually([&] { return a_ran.load(); }, 2000ms));
  EXPECT_LT(std::chrono::steady_clock::now() - submitted, 500ms);
  EXPECT_EQ(b_done.load(), 0);
  gate.release();
  ASSERT_TRUE(eventually([&] { return b_done.load() == 6; }));
}

TEST(BoundedPoolFairness, TasksAreTakenRoundRobinAcrossTenantsThenUsers) {
  // One slot: the order of the runs is the order of the turns.
  BoundedPool pool(PoolOptions{.threads = 1, .capacity = 64, .nice_delta = 0, .tenant_slots = 0, .tenant_queue = 0});
  Gate gate;
  std::mutex m;
  std::vector<std::string> order;
  ASSERT_TRUE(pool.try_submit(FairKey{"X", "x"}, [&] { gate.wait(); }));  // holds the slot while the rest queue
  ASSERT_TRUE(eventually([&] { return pool.running() == 1; }));
  const auto task = [&](std::string name) {
    return [&, name] {
      std::lock_guard lock(m);
      order.push_back(name);
    };
  };
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(pool.try_submit(FairKey{"B", "b1"}, task("B.b1." + std::to_string(i))));
  for (int i = 1; i <= 2; ++i) ASSERT_TRUE(pool.try_submit(FairKey{"B", "b2"}, task("B.b2." + std::to_string(i))));
  ASSERT_TRUE(pool.try_submit(FairKey{"A", "a1"}, task("A.a1.1")));
  ASSERT_TRUE(pool.try_submit(FairKey{"C", "c1"}, task("C.c1.1")));
  gate.release();
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(m);
    return order.size() == 7;
  }));
  // Tenants in turn (B, A, C, then B's rest), and B's users in turn (b1, b2, b1, b2, b1).
  EXPECT_EQ(order, (std::vector<std::string>{"B.b1.1", "A.a1.1", "C.c1.1", "B.b2.1", "B.b1.2", "B.b2.2", "B.b1.3"}));
}

TEST(BoundedPoolFairness, ATenantMayHoldOnlyItsShareOfTheQueue) {
  BoundedPool pool(PoolOptions{.threads = 1, .capacity = 8, .nice_delta = 0, .tenant_slots = 1, .tenant_queue = 4});
  Gate gate;
  ASSERT_TRUE(pool.try_submit(FairKey{"B", "b"}, [&] { gate.wait(); }));
  ASSERT_TRUE(eventually([&] { return pool.running() == 1; }));
  int accepted = 0;
  for (int i = 0; i < 8; ++i) accepted += pool.try_submit(FairKey{"B", "b"}, [] {}) ? 1 : 0;
  EXPECT_EQ(accepted, 4);  // B's share of the waiting places
  EXPECT_TRUE(pool.try_submit(FairKey{"A", "a"}, [] {}));  // another tenant still finds a place
  gate.release();
  ASSERT_TRUE(eventually([&] { return pool.queued() == 0 && pool.running() == 0; }));
}

TEST(BoundedPoolFairness, TheAnonymousLaneIsPlainFifoWithCallersRunningHere) {
  BoundedPool pool(2, 16, 0);
  std::atomic<int> n{0};
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(pool.try_submit([&] { ++n; }));
  ASSERT_TRUE(eventually([&] { return n.load() == 10; }));
  bool ran = false;
  EXPECT_TRUE(eventually([&] { return pool.try_run_here([&] { ran = true; }); }));
  EXPECT_TRUE(ran);
}

class FairJobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("keel_fair_jobs_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    store_ = open_store(path_);
    options_.db_path = path_;
    options_.workers = 2;
    options_.retry_base_seconds = 0.0;
    options_.poll_seconds = 0.02;
  }
  void TearDown() override {
    store_.reset();
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + s);
  }
  std::int64_t enqueue(const std::string& tenant, const std::string& user, const std::string& kind = "work") {
    return store_->jobs().enqueue(tenant, user, kind, "{}", 3, 0);
  }
  store::JobRecord job(std::int64_t id) { return *store_->jobs().find(id); }
  bool terminal_within(std::int64_t id, std::chrono::milliseconds within) {
    return eventually([&] { return store::is_terminal(job(id).status); }, within);
  }
  std::string path_;
  std::unique_ptr<Store> store_;
  JobRunnerOptions options_;
};

TEST_F(FairJobsTest, ClaimsGoRoundRobinAcrossTenantsThenUsers) {
  auto& jobs = store_->jobs();
  // B queued five jobs (two users) before A queued one and C one.
  const auto b1 = enqueue("B", "b1"), b2 = enqueue("B", "b1"), b3 = enqueue("B", "b2");
  const auto b4 = enqueue("B", "b1"), b5 = enqueue("B", "b2");
  const auto a1 = enqueue("A", "a1");
  const auto c1 = enqueue("C", "c1");
  std::vector<std::int64_t> order;
  for (int i = 0; i < 7; ++i) {
    auto j = jobs.claim_next({"w", 1, 1000, 60000});
    ASSERT_TRUE(j);
    order.push_back(j->id);
    ASSERT_TRUE(jobs.succeed({j->id, j->attempts}, "{}"));  // ends before the next claim: nothing running
  }
  // Every tenant once before any twice (B, then A and C never served, then B again: its users in
  // turn), each user's jobs oldest first.
  EXPECT_EQ(order, (std::vector<std::int64_t>{b1, a1, c1, b3, b2, b5, b4}));
}

TEST_F(FairJobsTest, ATenantWithFewerRunningJobsComesFirstAndFullTenantsArePassedOver) {
  auto& jobs = store_->jobs();
  const auto b1 = enqueue("B", "b"), b2 = enqueue("B", "b");
  const auto a1 = enqueue("A", "a"), a2 = enqueue("A", "a");
  auto first = jobs.claim_next({"w", 1, 1000, 60000});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, b1);
  // B runs one: A (none running) comes first, whatever the age of the jobs.
  auto second = jobs.claim_next({"w", 1, 1000, 60000});
  EXPECT_EQ(second->id, a1);
  // A claimer whose limit A has reached passes A over.
  auto third = jobs.claim_next({"w", 1, 1000, 60000}, {"B"});
  EXPECT_EQ(third->id, a2);
  EXPECT_FALSE(jobs.claim_next({"w", 1, 1000, 60000}, {"A", "B"}));
  auto fourth = jobs.claim_next({"w", 1, 1000, 60000});
  EXPECT_EQ(fourth->id, b2);
}

TEST_F(FairJobsTest, OneTenantsQueueOfLongJobsDoesNotDelayAnotherTenantsFirstJob) {
  options_.tenant_workers = 1;  // two workers: one tenant never holds both
  JobRunner r(options_);
  std::mutex m;
  std::map<std::int64_t, std::chrono::steady_clock::time_point> started;
  r.register_kind("work", [&](JobContext& ctx, const nlohmann::json&) {
    {
      std::lock_guard lock(m);
      started[ctx.job().id] = std::chrono::steady_clock::now();
    }
    // A long job whose loop checks its Cancellation as the engines do.
    for (int i = 0; i < 400; ++i) {
      cancellation_point();
      std::this_thread::sleep_for(5ms);
    }
    return nlohmann::json{};
  });
  std::vector<std::int64_t> b;
  for (int i = 0; i < 4; ++i) b.push_back(enqueue("B", "mallory"));
  r.start();
  ASSERT_TRUE(eventually([&] { return job(b[0]).status == store::JobStatus::kRunning; }));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(r.busy_workers(), 1u);  // the other worker is kept for another tenant
  EXPECT_EQ(job(b[1]).status, store::JobStatus::kQueued);
  const auto queued_at = std::chrono::steady_clock::now();
  const auto a = enqueue("A", "alice");
  r.notify();
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(m);
    return started.count(a) > 0;
  }));
  {
    std::lock_guard lock(m);
    EXPECT_LT(started[a] - queued_at, 500ms);
  }
  EXPECT_EQ(job(b[1]).status, store::JobStatus::kQueued);  // B still runs one at a time
  r.stop();
}

TEST_F(FairJobsTest, ACancelOfThisProcessStopsTheEngineLoopWithin100ms) {
  JobRunner r(options_);
  std::atomic<bool> running{false};
  r.register_kind("work", [&](JobContext&, const nlohmann::json&) {
    running = true;
    // No progress step at all: only the engine's check of its Cancellation can stop it.
    for (int i = 0; i < 60000; ++i) {
      cancellation_point();
      std::this_thread::sleep_for(1ms);
    }
    return nlohmann::json{};
  });
  const auto id = enqueue("A", "alice");
  r.start();
  ASSERT_TRUE(eventually([&] { return running.load(); }));
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(store_->jobs().request_cancel("A", id), store::CancelOutcome::kRequested);
  EXPECT_TRUE(r.cancel_local(id, "cancelled by alice"));
  ASSERT_TRUE(terminal_within(id, 1000ms));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1000ms);
  EXPECT_EQ(job(id).status, store::JobStatus::kCancelled);
  EXPECT_FALSE(r.cancel_local(id, "again"));  // no longer held
}

TEST_F(FairJobsTest, ACancelStoredByAnotherProcessReachesTheEngineThroughTheHeartbeat) {
  options_.cancel_poll_seconds = 0.2;
  JobRunner r(options_);
  std::atomic<bool> running{false};
  r.register_kind("work", [&](JobContext&, const nlohmann::json&) {
    running = true;
    for (int i = 0; i < 60000; ++i) {
      cancellation_point();
      std::this_thread::sleep_for(1ms);
    }
    return nlohmann::json{};
  });
  const auto id = enqueue("A", "alice");
  r.start();
  ASSERT_TRUE(eventually([&] { return running.load(); }));
  // Only the store knows (as after `keel job cancel` or a cancel made on another server).
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(store_->jobs().request_cancel("A", id), store::CancelOutcome::kRequested);
  ASSERT_TRUE(terminal_within(id, 1000ms));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1000ms);
  EXPECT_EQ(job(id).status, store::JobStatus::kCancelled);
}

TEST_F(FairJobsTest, AShutdownStopsTheEngineLoopAndRequeuesTheJobWithoutCountingTheAttempt) {
  JobRunner r(options_);
  std::atomic<bool> running{false};
  r.register_kind("work", [&](JobContext&, const nlohmann::json&) {
    running = true;
    for (int i = 0; i < 60000; ++i) {
      cancellation_point();
      std::this_thread::sleep_for(1ms);
    }
    return nlohmann::json{};
  });
  const auto id = enqueue("A", "alice");
  r.start();
  ASSERT_TRUE(eventually([&] { return running.load(); }));
  const auto t0 = std::chrono::steady_clock::now();
  r.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1000ms);
  const auto j = job(id);
  EXPECT_EQ(j.status, store::JobStatus::kQueued);
  EXPECT_EQ(j.attempts, 0);
}

TEST_F(FairJobsTest, AJobThatSwallowsItsStopStillEndsAsTheStopSays) {
  // A batch-like job catches each item's error and goes on: once cancelled, what it returns is
  // not stored as a success.
  JobRunner r(options_);
  std::atomic<bool> running{false};
  r.register_kind("work", [&](JobContext&, const nlohmann::json&) {
    running = true;
    int failed = 0;
    for (int i = 0; i < 3000; ++i) {
      try {
        cancellation_point();
        std::this_thread::sleep_for(1ms);
      } catch (const Error&) {
        ++failed;
      }
    }
    return nlohmann::json{{"failed", failed}};
  });
  const auto id = enqueue("A", "alice");
  r.start();
  ASSERT_TRUE(eventually([&] { return running.load(); }));
  ASSERT_EQ(store_->jobs().request_cancel("A", id), store::CancelOutcome::kRequested);
  r.cancel_local(id, "cancelled by alice");
  ASSERT_TRUE(terminal_within(id, 5000ms));
  EXPECT_EQ(job(id).status, store::JobStatus::kCancelled);
}

TEST_F(FairJobsTest, RequeueHeldPutsARunningJobBackAtOnce) {
  // One worker, held by the job: no other worker can claim it again before it is read back.
  options_.workers = 1;
  JobRunner r(options_);
  std::atomic<bool> running{false};
  std::atomic<bool> release{false};
  r.register_kind("work", [&](JobContext&, const nlohmann::json&) {
    running = true;
    while (!release.load()) std::this_thread::sleep_for(1ms);  // checks nothing
    return nlohmann::json{};
  });
  const auto id = enqueue("A", "alice");
  r.start();
  ASSERT_TRUE(eventually([&] { return running.load(); }));
  EXPECT_EQ(r.requeue_held("interrupted by a shutdown; re-queued"), 1u);
  auto j = job(id);
  EXPECT_EQ(j.status, store::JobStatus::kQueued);
  EXPECT_EQ(j.attempts, 0);
  release = true;
  r.stop();
}

}  // namespace
}  // namespace keel::server
