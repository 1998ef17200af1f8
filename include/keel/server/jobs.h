// keel/server/jobs.h: the background job runner of `keel serve` and `keel worker`.
//
// Jobs live in the store (its job repository, which only jobs.cpp includes: a job function sees
// RunningJob and JobShard, never the store's row); the runner owns `workers` threads that claim the
// oldest due job under a lease, run the function registered for its kind and store the result. While a job runs, one heartbeat thread per runner renews the lease of every job the
// runner holds every `heartbeat_seconds`; a lease that could not be renewed is lost (another
// claimer may take the job over), and the job stops at its next step without writing anything.
// Every write names the attempt the runner claimed (the fencing token), so a runner whose lease was
// lost cannot overwrite the new attempt's result. Any number of runners, in any number of
// processes, share one store: a runner that dies leaves its jobs to be claimed again when their
// leases expire, which is how a job survives a crash.
//
// A job function reports progress through JobContext::progress, which is also where it stops: when
// a client asked to cancel (the job ends "cancelled"), when the runner is shutting down (the job
// goes back to the queue without counting the attempt) or when the lease was lost. Each held job
// also has a Cancellation (keel/core/cancel.h), installed on its thread (CancelScope) while its
// function runs, so the engines' loops stop within 100 ms of work: it is fired by cancel_local()
// (a cancel made by this process), by the heartbeat thread when it finds the job's cancel request
// in the store (every cancel_poll_seconds: a cancel made by another process), by request_stop()
// (shutdown) and when the lease is lost. An engine stopped so throws keel::Error (cancelled), which
// the runner reads as the reason it fired for.
//
// Fair share (docs/server.md, "Fair share"): a worker claims the next job round-robin across
// tenants, then users (JobRepository::claim_next), passing over the tenants that already run
// `tenant_workers` jobs (shards included) on this runner. Failures: a
// keel::Error of a category other than `internal` is the caller's fault and fails the job at once;
// anything else is retried after base x 2^(attempt - 1) seconds (capped) until max_attempts, then
// fails with the error kept. A job may split itself into shards (JobContext::split): it then waits
// without a lease, the shards run as jobs of their own on any runner, and the job is claimed again
// to reduce them (JobContext::shards). Every change wakes the watchers (server-sent events)
// waiting in wait_for_change.
//
// Thread-safety: every method may be called from any thread; register kinds before start().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "keel/core/cancel.h"
#include "keel/core/env.h"
#include "keel/core/job_status.h"
#include "keel/service/job_steps.h"

namespace keel {
class Store;
}  // namespace keel

namespace keel::service {
class ChangeFeed;
}  // namespace keel::service

namespace keel::server {

struct JobRunnerOptions {
  std::string db_path;
  std::size_t workers = 2;
  double retry_base_seconds = 2.0;   // first retry delay
  double retry_cap_seconds = 300.0;  // longest delay
  double poll_seconds = 0.5;         // idle poll of the queue (other processes may add jobs)
  double lease_seconds = 30.0;       // a claim's lease; renewed every heartbeat_seconds
  double heartbeat_seconds = 10.0;   // must be well under lease_seconds
  // Jobs one tenant may run at once on this runner (shards included); 0: no limit.
  std::size_t tenant_workers = 0;
  double cancel_poll_seconds = 0.5;  // how often the heartbeat thread looks for the held jobs' cancel requests
  std::string owner;                 // this runner's name in lease_owner (threads add ":<n>"); empty: host:pid
  const Clock* clock = nullptr;      // claim and retry times, the stores' timestamps; null: the system clock
  // Where the jobs' use cases announce portfolio changes (keel/service/changes.h); null: nowhere.
  service::ChangeFeed* changes = nullptr;
};

// Thrown by JobContext when the job must stop (caught by the runner).
struct JobStopped {
  enum class Why { kCancelled, kShutdown, kLeaseLost };
  Why why = Why::kCancelled;
};

// Why a held job must stop: the first reason given wins, and fires its Cancellation.
class JobStopSignal {
 public:
  void stop(JobStopped::Why why, std::string message) {
    int none = -1;
    if (why_.compare_exchange_strong(none, static_cast<int>(why))) cancel_.cancel(std::move(message));
  }
  std::optional<JobStopped::Why> reason() const {
    const int w = why_.load();
    return w < 0 ? std::nullopt : std::optional<JobStopped::Why>(static_cast<JobStopped::Why>(w));
  }
  const Cancellation& cancellation() const { return cancel_; }

 private:
  std::atomic<int> why_{-1};
  Cancellation cancel_;
};

// Thrown by JobContext::split once the shards are stored: the job now waits for them.
struct JobSplit {};

// Thrown by a job function to fail the job for good (keel/service/job_steps.h).
using service::JobFailed;

// The job a function runs, as the runner claimed it (the store's row, its lease and fencing, stay
// in the runner).
struct RunningJob {
  std::int64_t id = 0;
  std::string tenant;
  std::string username;
  std::string kind;
  double progress = 0.0;  // fraction done, [0, 1]
  std::string message;
  int attempts = 0;  // this one included; with id, the fencing token of every write
  int shards = 0;    // a split job claimed again to reduce: its number of shards
};

// A shard of a split job, as the parent's reduce reads it (keel/service/job_steps.h).
using service::JobShard;

// The job a job function runs, as keel/service/job_steps.h's JobSteps: the use cases' sharded runs
// (service::run_var_job...) drive it.
class JobContext final : public service::JobSteps {
 public:
  JobContext(Store& store, RunningJob job, const std::atomic<bool>& stopping, const std::atomic<bool>& lost,
             std::function<void()> notify, const Clock& clock, JobStopSignal* signal = nullptr)
      : store_(store), job_(std::move(job)), stopping_(stopping), lost_(lost), notify_(std::move(notify)),
        clock_(clock), signal_(signal) {}
  // Stores progress (fraction in [0, 1]) and a message, then throws JobStopped when the job was
  // cancelled (asked here or in the store), the runner is stopping or the lease was lost.
  void progress(double fraction, const std::string& message) override;
  // Throws JobStopped as progress does, without writing; reads the store's cancel request at most
  // every 250 ms (the job's Cancellation is read every time).
  void check() override;
  // The job's Cancellation (installed on the job's thread while its function runs), or null: for a
  // parallel loop to hand to its tasks.
  const Cancellation* cancellation() const { return signal_ ? &signal_->cancellation() : nullptr; }
  // Splits the job into one shard of `shard_kind` per request and throws JobSplit (JobStopped when
  // the lease was lost first). The job is claimed again when every shard has ended.
  [[noreturn]] void split(const std::string& shard_kind, const std::vector<nlohmann::json>& requests) override;
  // The shards of this job (after a split), in order.
  std::vector<JobShard> shards() override;
  // Bytes kept with the job's row when it succeeds (a shard's values).
  void set_output(std::string bytes) override { output_ = std::move(bytes); }
  std::int64_t job_id() const override { return job_.id; }
  const std::string& job_tenant() const override { return job_.tenant; }
  int shard_count() const override { return job_.shards; }
  double progress_so_far() const override { return job_.progress; }
  const std::string& output() const { return output_; }
  Store& store() { return store_; }
  const RunningJob& job() const { return job_; }
  // Where the job's use cases announce portfolio changes (JobRunnerOptions::changes); may be null.
  service::ChangeFeed* changes() const { return changes_; }
  void set_changes(service::ChangeFeed* changes) { changes_ = changes; }

 private:
  Store& store_;
  RunningJob job_;
  const std::atomic<bool>& stopping_;
  const std::atomic<bool>& lost_;
  std::function<void()> notify_;
  const Clock& clock_;
  JobStopSignal* signal_ = nullptr;
  std::chrono::steady_clock::time_point store_checked_{};  // the last read of the store's cancel request
  std::string output_;
  service::ChangeFeed* changes_ = nullptr;
  void check(bool read_store);
};

// Returns the job's result (stored as JSON text). Throws keel::Error, JobStopped, JobSplit or
// JobFailed.
using JobFn = std::function<nlohmann::json(JobContext&, const nlohmann::json& request)>;

class JobRunner {
 public:
  explicit JobRunner(JobRunnerOptions options);
  ~JobRunner();  // stop()

  void register_kind(const std::string& kind, JobFn fn);
  bool has_kind(const std::string& kind) const;
  std::vector<std::string> kinds() const;

  void start();
  // Stops claiming and asks every running job to stop (its Cancellation fired: "the server is
  // shutting down"); the jobs go back to the queue at their next check. Does not wait.
  void request_stop();
  // request_stop(), then joins the job threads. Idempotent.
  void stop();
  // Fires the Cancellation of the job `id` if this runner holds it (and of its shards it holds),
  // so it ends "cancelled" at its engine's next check: the cancel route calls it after storing the
  // request. True when it held one.
  bool cancel_local(std::int64_t id, const std::string& why);
  // The last resort of a stop that did not end in time: puts every job this runner still holds
  // back in the queue without counting the attempt (fenced: a lease lost is left alone), on a
  // store connection of its own. Returns how many.
  std::size_t requeue_held(const std::string& message);
  // Wakes idle workers (a job was added) and watchers (a job changed).
  void notify();
  // Blocks until notify() is called after `seen` or `timeout` passes; returns the generation.
  std::uint64_t wait_for_change(std::uint64_t seen, std::chrono::milliseconds timeout);
  std::uint64_t generation() const { return generation_.load(); }
  bool stopping() const { return stopping_.load(); }
  std::size_t busy_workers() const { return busy_.load(); }
  const std::string& owner() const { return owner_; }
  // Jobs that ended because this runner lost their lease (they ran on elsewhere), since start.
  std::uint64_t leases_lost() const { return leases_lost_.load(); }

 private:
  struct Held {
    std::int64_t id = 0;  // with attempts, the job's lease
    int attempts = 0;
    std::string tenant;
    std::optional<std::int64_t> parent;  // a shard's job
    std::shared_ptr<std::atomic<bool>> lost;
    std::shared_ptr<JobStopSignal> signal;
  };
  void worker_loop(std::size_t index);
  void heartbeat_loop();
  void run_one(Store& store, RunningJob job, int max_attempts, const std::string& request,
               const std::shared_ptr<std::atomic<bool>>& lost, JobStopSignal& signal);
  // The tenants at their limit of running jobs on this runner (held_mutex_ held).
  std::vector<std::string> full_tenants() const;
  const Clock& clock() const { return options_.clock ? *options_.clock : system_clock_source(); }
  std::int64_t now_ms() const;

  JobRunnerOptions options_;
  std::string owner_;
  std::map<std::string, JobFn> kinds_;
  std::vector<std::thread> threads_;
  std::thread heartbeat_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> started_{false};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::size_t> busy_{0};
  std::atomic<std::uint64_t> leases_lost_{0};
  mutable std::mutex mutex_;
  std::condition_variable cv_;  // with mutex_: generation changes and stop
  std::mutex claim_mutex_;                  // one claim at a time: the tenants' limit counts each
  std::mutex held_mutex_;
  std::condition_variable held_cv_;         // with held_mutex_: the heartbeat's sleep
  std::map<std::int64_t, Held> held_;       // guarded by held_mutex_: the leases this runner holds
};

// "host:pid", the default name of a runner in lease_owner.
std::string default_runner_owner();

}  // namespace keel::server
