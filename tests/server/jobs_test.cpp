// The job runner: progress, retry with backoff, permanent failures, cancellation, shutdown, leases
// lost to another claimer (fenced out), and jobs split into shards run by several runners.
#include "keel/server/jobs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "keel/core/error.h"
#include "keel/store/job_repository.h"
#include "keel/store/store.h"

namespace keel::server {
namespace {

class JobRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() / ("keel_jobs_test_" + std::to_string(::getpid()) + "_" +
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
  std::int64_t enqueue(const std::string& kind, int max_attempts = 3) {
    return store_->jobs().enqueue("acme", "alice", kind, "{}", max_attempts, 0);
  }
  store::JobRecord wait_terminal(std::int64_t id) {
    for (int i = 0; i < 500; ++i) {
      auto j = store_->jobs().find(id);
      if (j && store::is_terminal(j->status)) return *j;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "job " << id << " did not finish";
    return {};
  }
  std::string path_;
  std::unique_ptr<Store> store_;
  JobRunnerOptions options_;
};

TEST_F(JobRunnerTest, RunsAJobWithProgressAndStoresTheResult) {
  JobRunner r(options_);
  r.register_kind("count", [](JobContext& ctx, const nlohmann::json&) {
    for (int i = 1; i <= 4; ++i) ctx.progress(i / 4.0, "step " + std::to_string(i));
    return nlohmann::json{{"steps", 4}};
  });
  const auto id = enqueue("count");
  r.start();
  const auto j = wait_terminal(id);
  EXPECT_EQ(j.status, store::JobStatus::kSucceeded);
  EXPECT_EQ(j.progress, 1.0);
  EXPECT_EQ(nlohmann::json::parse(*j.result)["steps"], 4);
  EXPECT_GE(j.version, 6);  // claim + 4 progress updates + success
}

TEST_F(JobRunnerTest, InternalFailuresAreRetriedUntilSuccess) {
  JobRunner r(options_);
  auto calls = std::make_shared<std::atomic<int>>(0);
  r.register_kind("flaky", [calls](JobContext&, const nlohmann::json&) {
    if (++*calls < 3) throw Error::internal("disk hiccup");
    return nlohmann::json{{"ok", true}};
  });
  const auto id = enqueue("flaky", 3);
  r.start();
  const auto j = wait_terminal(id);
  EXPECT_EQ(j.status, store::JobStatus::kSucceeded);
  EXPECT_EQ(j.attempts, 3);
  EXPECT_EQ(calls->load(), 3);
}

TEST_F(JobRunnerTest, RetriesStopAtMaxAttempts) {
  JobRunner r(options_);
  r.register_kind("broken", [](JobContext&, const nlohmann::json&) -> nlohmann::json { throw std::runtime_error("boom"); });
  const auto id = enqueue("broken", 2);
  r.start();
  const auto j = wait_terminal(id);
  EXPECT_EQ(j.status, store::JobStatus::kFailed);
  EXPECT_EQ(j.attempts, 2);
  EXPECT_EQ(nlohmann::json::parse(*j.error)["message"], "boom");
}

TEST_F(JobRunnerTest, BackoffDelaysTheRetry) {
  options_.retry_base_seconds = 30.0;  // first retry after 30 s
  JobRunner r(options_);
  r.register_kind("flaky", [](JobContext&, const nlohmann::json&) -> nlohmann::json { throw Error::internal("x"); });
  const auto id = enqueue("flaky", 3);
  const auto before = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  r.start();
  for (int i = 0; i < 300; ++i) {
    auto j = store_->jobs().find(id);
    if (j->attempts == 1 && j->status == store::JobStatus::kQueued) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto j = *store_->jobs().find(id);
  EXPECT_EQ(j.status, store::JobStatus::kQueued);
  EXPECT_GE(j.run_after, before + 30);
  EXPECT_LE(j.run_after, before + 32);
}

TEST_F(JobRunnerTest, BadInputFailsAtOnceWithoutRetry) {
  JobRunner r(options_);
  r.register_kind("bad", [](JobContext&, const nlohmann::json&) -> nlohmann::json {
    throw Error::invalid_input("bad confidence", {"confidence: expected (0, 1)"});
  });
  const auto id = enqueue("bad", 3);
  r.start();
  const auto j = wait_terminal(id);
  EXPECT_EQ(j.status, store::JobStatus::kFailed);
  EXPECT_EQ(j.attempts, 1);
  const auto err = nlohmann::json::parse(*j.error);
  EXPECT_EQ(err["code"], "invalid_input");
  EXPECT_EQ(err["details"][0], "confidence: expected (0, 1)");
}

TEST_F(JobRunnerTest, CancellingARunningJobStopsItAtItsNextStep) {
  JobRunner r(options_);
  auto steps = std::make_shared<std::atomic<int>>(0);
  r.register_kind("long", [steps](JobContext& ctx, const nlohmann::json&) {
    for (int i = 0; i < 1000; ++i) {
      ++*steps;
      ctx.progress(i / 1000.0, "working");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return nlohmann::json{};
  });
  const auto id = enqueue("long");
  r.start();
  while (steps->load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_EQ(store_->jobs().request_cancel("acme", id), store::CancelOutcome::kRequested);
  const auto j = wait_terminal(id);
  EXPECT_EQ(j.status, store::JobStatus::kCancelled);
  EXPECT_LT(steps->load(), 1000);
}

TEST_F(JobRunnerTest, ShutdownPutsARunningJobBackInTheQueueAndANewRunnerFinishesIt) {
  auto first_run = std::make_shared<std::atomic<bool>>(true);
  auto started = std::make_shared<std::atomic<bool>>(false);
  auto work = [first_run, started](JobContext& ctx, const nlohmann::json&) {
    started->store(true);
    const int n = first_run->load() ? 100000 : 3;
    for (int i = 0; i < n; ++i) {
      ctx.progress(0.0, "working");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return nlohmann::json{{"done", true}};
  };
  const auto id = enqueue("resumable");
  {
    JobRunner r(options_);
    r.register_kind("resumable", work);
    r.start();
    while (!started->load()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    r.stop();
  }
  auto j = *store_->jobs().find(id);
  EXPECT_EQ(j.status, store::JobStatus::kQueued);
  EXPECT_EQ(j.attempts, 0);  // an interrupted attempt does not count
  first_run->store(false);
  JobRunner r2(options_);
  r2.register_kind("resumable", work);
  r2.start();
  j = wait_terminal(id);
  EXPECT_EQ(j.status, store::JobStatus::kSucceeded);
}

TEST_F(JobRunnerTest, UnknownKindFails) {
  JobRunner r(options_);
  const auto id = enqueue("nope");
  r.start();
  EXPECT_EQ(wait_terminal(id).status, store::JobStatus::kFailed);
}

TEST_F(JobRunnerTest, ARunnerWhoseLeaseWasTakenOverStopsAndWritesNothing) {
  options_.lease_seconds = 30.0;
  options_.heartbeat_seconds = 0.05;
  JobRunner r(options_);
  auto steps = std::make_shared<std::atomic<int>>(0);
  r.register_kind("long", [steps](JobContext& ctx, const nlohmann::json&) {
    for (int i = 0; i < 5000; ++i) {
      ++*steps;
      ctx.progress(0.1, "working");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return nlohmann::json{{"by", "runner"}};
  });
  const auto id = enqueue("long");
  r.start();
  while (steps->load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  // Another claimer whose clock is an hour ahead sees the lease expired and takes the job over
  // (attempt 2): the runner's next write is refused, so it stops without a word.
  const auto later_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
      3600000;
  const auto thief = store_->jobs().claim_next({"thief", later_ms / 1000, later_ms, 600000});
  ASSERT_TRUE(thief);
  ASSERT_EQ(thief->id, id);
  ASSERT_EQ(thief->attempts, 2);
  for (int i = 0; i < 500 && r.leases_lost() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(r.leases_lost(), 1u);
  for (int i = 0; i < 500 && r.busy_workers() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(r.busy_workers(), 0u);
  EXPECT_LT(steps->load(), 5000);
  auto j = *store_->jobs().find(id);
  EXPECT_EQ(j.status, store::JobStatus::kRunning);
  EXPECT_EQ(j.lease_owner, "thief");
  EXPECT_TRUE(store_->jobs().succeed({id, 2}, R"({"by":"thief"})"));
  EXPECT_EQ(*store_->jobs().find(id)->result, R"({"by":"thief"})");
}

TEST_F(JobRunnerTest, ASplitJobsShardsRunOnEveryRunnerAndItReducesThemInOrder) {
  // "sum" splits [0, 100) into shards of 7 ("part" kind), each keeping its numbers as output; the
  // reduce concatenates them in order. Two runners (as two processes would) share the store.
  const auto sum = [](JobContext& ctx, const nlohmann::json&) -> nlohmann::json {
    if (ctx.job().shards == 0) {
      std::vector<nlohmann::json> parts;
      for (int first = 0; first < 100; first += 7) parts.push_back({{"first", first}, {"last", std::min(100, first + 7)}});
      ctx.split("part", parts);
    }
    std::string all;
    std::vector<std::int64_t> ids;
    for (const auto& shard : ctx.shards()) {
      EXPECT_EQ(shard.status, store::JobStatus::kSucceeded);
      all += shard.output;
      ids.push_back(shard.id);
    }
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    return {{"bytes", all.size()}, {"ok", all == [] {
                                      std::string s;
                                      for (int i = 0; i < 100; ++i) s += static_cast<char>(i);
                                      return s;
                                    }()}};
  };
  auto owners = std::make_shared<std::mutex>();
  auto by = std::make_shared<std::set<std::string>>();
  const auto part = [owners, by](JobContext& ctx, const nlohmann::json& request) -> nlohmann::json {
    std::string out;
    for (int i = request["first"].get<int>(); i < request["last"].get<int>(); ++i) out += static_cast<char>(i);
    ctx.progress(0.5, "half");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ctx.set_output(out);
    std::lock_guard lock(*owners);
    by->insert(ctx.store().jobs().find(ctx.job().id)->lease_owner.value_or(""));
    return nlohmann::json::object();
  };
  options_.workers = 1;
  auto a = options_;
  a.owner = "A";
  auto b = options_;
  b.owner = "B";
  JobRunner ra(a), rb(b);
  for (auto* r : {&ra, &rb}) {
    r->register_kind("sum", sum);
    r->register_kind("part", part);
  }
  const auto id = enqueue("sum");
  ra.start();
  rb.start();
  const auto j = wait_terminal(id);
  ASSERT_EQ(j.status, store::JobStatus::kSucceeded) << j.error.value_or("");
  const auto result = nlohmann::json::parse(*j.result);
  EXPECT_EQ(result["bytes"], 100);
  EXPECT_EQ(result["ok"], true);
  EXPECT_EQ(j.shards, 15);
  EXPECT_EQ(j.attempts, 2);  // the split, then the reduce
  EXPECT_EQ(by->size(), 2u) << "both runners ran shards";
  // The shards are the job's, not listed beside it.
  EXPECT_EQ(store_->jobs().list("acme", std::nullopt, 100, std::nullopt).size(), 1u);
}

}  // namespace
}  // namespace keel::server
