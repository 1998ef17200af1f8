// keel/store/job_repository.h: the persistent queue of background jobs (issue #10).
//
// A job is a row: kind and request (JSON text), status queued -> running -> succeeded | failed |
// cancelled, progress in [0, 1] with a message, the result or error (JSON text), attempts and a
// `run_after` time (seconds since 1970-01-01 UTC) that implements retry with backoff. Every change
// increments `version`, so a watcher (server-sent events) sees each update once. A server that
// stops (or dies) leaves running jobs behind; `requeue_running` at start puts them back in the
// queue, which is how a job survives a restart. Scheduling times (`now_epoch`, `retry_at`) come in as
// arguments, so the worker that claims decides what "now" is; the timestamps kept as text come from
// the store's Clock.
//
// Claiming is one BEGIN IMMEDIATE transaction, so several workers (threads or processes on the
// same file) never run the same job twice.
//
// JobRepository and ResultCache are interfaces; the SQLite backend implements them and
// Store::jobs() / Store::results() hand them out.
//
// Thread-safety: like the Store that owns them, one thread at a time. Ownership: the Store owns the
// repositories; the references live as long as the Store.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::store {

enum class JobStatus { kQueued, kRunning, kSucceeded, kFailed, kCancelled };

std::string_view job_status_name(JobStatus status);  // "queued", "running", ...
std::optional<JobStatus> parse_job_status(std::string_view text);
inline bool is_terminal(JobStatus s) {
  return s == JobStatus::kSucceeded || s == JobStatus::kFailed || s == JobStatus::kCancelled;
}

struct JobRecord {
  std::int64_t id = 0;
  std::string tenant;
  std::string username;
  std::string kind;
  std::string request;  // JSON text
  JobStatus status = JobStatus::kQueued;
  double progress = 0.0;  // fraction done, [0, 1]
  std::string message;
  std::optional<std::string> result;  // JSON text
  std::optional<std::string> error;   // JSON text {"code","message","details"}
  int attempts = 0;
  int max_attempts = 3;
  std::int64_t run_after = 0;  // epoch seconds
  bool cancel_requested = false;
  std::int64_t version = 0;
  std::string created_at;
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
};

enum class CancelOutcome { kNotFound, kCancelled, kRequested, kAlreadyFinished };

class JobRepository {
 public:
  virtual ~JobRepository() = default;

  virtual std::int64_t enqueue(const std::string& tenant, const std::string& username,
                               const std::string& kind, const std::string& request_json, int max_attempts,
                               std::int64_t now_epoch) = 0;
  virtual std::optional<JobRecord> find(std::int64_t id) = 0;
  // Only a job of `tenant` (another tenant's job is "not found").
  virtual std::optional<JobRecord> find(const std::string& tenant, std::int64_t id) = 0;
  // Newest first; ids below `before_id` when given.
  virtual std::vector<JobRecord> list(const std::string& tenant, std::optional<std::int64_t> before_id,
                                      std::size_t limit, std::optional<JobStatus> status) = 0;

  // The oldest queued job with run_after <= now, now running (attempts + 1); nullopt when none.
  virtual std::optional<JobRecord> claim_next(std::int64_t now_epoch) = 0;
  virtual void set_progress(std::int64_t id, double progress, const std::string& message) = 0;
  virtual void succeed(std::int64_t id, const std::string& result_json) = 0;
  // Back to the queue at `retry_at` when given (attempts left), else failed for good.
  virtual void fail(std::int64_t id, const std::string& error_json, std::optional<std::int64_t> retry_at) = 0;
  virtual void mark_cancelled(std::int64_t id, const std::string& message) = 0;
  // Puts a running job back in the queue without counting the attempt (graceful shutdown).
  virtual void requeue(std::int64_t id, const std::string& message) = 0;
  // Queued: cancelled at once. Running: cancel_requested (the worker stops at its next step).
  virtual CancelOutcome request_cancel(const std::string& tenant, std::int64_t id) = 0;
  virtual bool cancel_requested(std::int64_t id) = 0;
  // Every running job back to queued (the server that ran them is gone; the attempt counts, and a
  // job out of attempts fails); returns how many were re-queued.
  virtual std::size_t requeue_running(const std::string& message) = 0;
  virtual std::map<std::string, std::size_t> count_by_status() = 0;
};

// The latest result of a calculation per (tenant, portfolio, kind) — what a cached read returns
// (GET /api/v1/portfolios/{id}/risk/var) without recomputing. Rows go with their portfolio.
struct CachedResult {
  std::string result;  // JSON text
  std::string computed_at;
};

class ResultCache {
 public:
  virtual ~ResultCache() = default;
  virtual void put(const std::string& tenant, std::int64_t portfolio_id, const std::string& kind,
                   const std::string& json) = 0;
  virtual std::optional<CachedResult> get(const std::string& tenant, std::int64_t portfolio_id,
                                          const std::string& kind) = 0;
};

}  // namespace keel::store
