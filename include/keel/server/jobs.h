// keel/server/jobs.h: the background job runner of `keel serve`.
//
// Jobs live in the store (keel/store/job_repository.h); the runner owns `workers` threads that
// claim the oldest due job, run the function registered for its kind and store the result. A job
// function reports progress through JobContext::progress, which is also where it stops: when a
// client asked to cancel (the job ends "cancelled") or the server is shutting down (the job goes
// back to the queue and runs again on the next start). Failures: a keel::Error of a category other
// than `internal` is the caller's fault and fails the job at once; anything else is retried after
// base x 2^(attempt - 1) seconds (capped) until max_attempts, then fails. Every change wakes the
// watchers (server-sent events) waiting in wait_for_change.
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
#include <string>
#include <thread>
#include <vector>

#include "keel/core/env.h"
#include "keel/store/job_repository.h"
#include "keel/store/store.h"

namespace keel::server {

struct JobRunnerOptions {
  std::string db_path;
  std::size_t workers = 2;
  double retry_base_seconds = 2.0;   // first retry delay
  double retry_cap_seconds = 300.0;  // longest delay
  double poll_seconds = 0.5;         // idle poll of the queue (other processes may add jobs)
  const Clock* clock = nullptr;      // claim and retry times, the stores' timestamps; null: the system clock
};

// Thrown by JobContext when the job must stop (caught by the runner).
struct JobStopped {
  bool shutdown = false;  // true: server stopping (re-queue); false: cancelled by a client
};

class JobContext {
 public:
  JobContext(Store& store, store::JobRecord job, const std::atomic<bool>& stopping, std::function<void()> notify)
      : store_(store), job_(std::move(job)), stopping_(stopping), notify_(std::move(notify)) {}
  // Stores progress (fraction in [0, 1]) and a message, then throws JobStopped when the job was
  // cancelled or the server is stopping.
  void progress(double fraction, const std::string& message);
  // Throws JobStopped as progress does, without writing.
  void check();
  Store& store() { return store_; }
  const store::JobRecord& job() const { return job_; }

 private:
  Store& store_;
  store::JobRecord job_;
  const std::atomic<bool>& stopping_;
  std::function<void()> notify_;
};

// Returns the job's result (stored as JSON text). Throws keel::Error or JobStopped.
using JobFn = std::function<nlohmann::json(JobContext&, const nlohmann::json& request)>;

class JobRunner {
 public:
  explicit JobRunner(JobRunnerOptions options);
  ~JobRunner();  // stop()

  void register_kind(const std::string& kind, JobFn fn);
  bool has_kind(const std::string& kind) const;
  std::vector<std::string> kinds() const;

  // Puts back in the queue every job left running by a previous process; returns how many.
  std::size_t recover();
  void start();
  void stop();
  // Wakes idle workers (a job was added) and watchers (a job changed).
  void notify();
  // Blocks until notify() is called after `seen` or `timeout` passes; returns the generation.
  std::uint64_t wait_for_change(std::uint64_t seen, std::chrono::milliseconds timeout);
  std::uint64_t generation() const { return generation_.load(); }
  bool stopping() const { return stopping_.load(); }
  std::size_t busy_workers() const { return busy_.load(); }

 private:
  void worker_loop();
  void run_one(Store& store, store::JobRecord job);
  const Clock& clock() const { return options_.clock ? *options_.clock : system_clock_source(); }

  JobRunnerOptions options_;
  std::map<std::string, JobFn> kinds_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> started_{false};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::size_t> busy_{0};
  mutable std::mutex mutex_;
  std::condition_variable cv_;  // with mutex_: generation changes and stop
};

}  // namespace keel::server
