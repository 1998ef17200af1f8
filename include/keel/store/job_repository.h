// keel/store/job_repository.h: the persistent queue of background jobs, shared by every
// `keel serve` and `keel worker` of one store.
//
// A job is a row: kind and request (JSON text), status queued -> running -> succeeded | failed |
// cancelled, progress in [0, 1] with a message, the result or error (JSON text), attempts and a
// `run_after` time (seconds since 1970-01-01 UTC) that implements retry with backoff. Every change
// increments `version`, so a watcher (server-sent events) sees each update once.
//
// Leases. A claim makes the job running under a lease: the claimer's name (`owner`) until
// `lease_expires_ms` (epoch milliseconds), which the claimer renews by heartbeat. A running job
// whose lease expired (its worker died, hung or lost the database) is claimed again by the next
// claimer, as a new attempt; with no attempt left it fails, its last error kept. Fencing: every
// claim increments `attempts`, and every write of a claimer names the attempt it holds (the
// fencing token, JobLease::token); a write whose token is no longer the job's, or on a job no
// longer running, changes nothing and returns false, so a worker whose lease was lost cannot
// store its result over the new attempt's.
//
// Shards. A claimer may split its job into shards (`split`): child jobs of another kind, each
// claimed, leased, retried and fenced like any job, that keep their output (bytes) with their
// row. The parent waits (running, no lease, `pending_shards` > 0); when its last shard ends
// (whatever the way: success, failure, cancellation, lease lost for good), the store queues the
// parent again, and its next claim reads the shards' outputs (`shard_outputs`) to reduce them.
//
// Scheduling times (`now_epoch`, `now_ms`, `retry_at`) come in as arguments, so the claimer decides
// what "now" is; the timestamps kept as text come from the store's Clock. Claiming is one
// transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: FOR UPDATE SKIP LOCKED), so several workers
// (threads or processes) never hold the same job at once.
//
// JobRepository and ResultCache are concrete classes, written once over the store's SQL connection
// (either backend); Store::jobs() / Store::results() hand them out.
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

#include "keel/core/job_status.h"

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

// The job's state is the service's as much as the store's: it is defined below both.
using JobStatus = keel::JobStatus;
using keel::is_terminal;

std::string_view job_status_name(JobStatus status);  // "queued", "running", ...
std::optional<JobStatus> parse_job_status(std::string_view text);

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
  std::optional<std::string> lease_owner;  // the claimer holding the lease (running jobs)
  std::int64_t lease_expires_ms = 0;       // epoch milliseconds
  std::optional<std::int64_t> parent_id;   // a shard's parent job
  int shards = 0;                          // a split job: its number of shards
  int pending_shards = 0;                  // shards not yet ended (> 0: the job waits for them)
};

// What a claimer holds: the job and its fencing token (the attempt number of its claim).
struct JobLease {
  std::int64_t id = 0;
  int token = 0;
};

struct ClaimOptions {
  std::string owner;               // who claims (e.g. "host:pid:thread"), kept in lease_owner
  std::int64_t now_epoch = 0;      // seconds: queued jobs with run_after <= now are due
  std::int64_t now_ms = 0;         // milliseconds: leases that ended before are expired
  std::int64_t lease_ms = 30000;   // the lease's length from now
};

// A shard of a split job, as the parent's reduce reads it.
struct ShardOutput {
  std::int64_t id = 0;
  JobStatus status = JobStatus::kQueued;
  std::string request;                // JSON text
  std::optional<std::string> result;  // JSON text
  std::optional<std::string> error;   // JSON text
  std::string output;                 // bytes the shard stored
};

enum class CancelOutcome { kNotFound, kCancelled, kRequested, kAlreadyFinished };

class JobRepository {
 public:
  JobRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  std::int64_t enqueue(const std::string& tenant, const std::string& username, const std::string& kind,
                       const std::string& request_json, int max_attempts, std::int64_t now_epoch);
  // The same, unless the user already has a job of `kind` with the very same request queued or
  // running (not cancelled): then that job's id, and `joined` is set. One transaction, holding the
  // user's enqueue lock, so two identical requests at once make one job.
  std::int64_t enqueue_or_join(const std::string& tenant, const std::string& username, const std::string& kind,
                               const std::string& request_json, int max_attempts, std::int64_t now_epoch, bool& joined);
  std::optional<JobRecord> find(std::int64_t id);
  // Only a job of `tenant` (another tenant's job is "not found").
  std::optional<JobRecord> find(const std::string& tenant, std::int64_t id);
  // Newest first; ids below `before_id` when given.
  std::vector<JobRecord> list(const std::string& tenant, std::optional<std::int64_t> before_id,
                              std::size_t limit, std::optional<JobStatus> status);
  // How many jobs list() pages through (the tenant's, not shards; in `status` when given).
  std::size_t count(const std::string& tenant, std::optional<JobStatus> status);

  // The next due job (queued with run_after <= now, or running with an expired lease) in fair
  // order, now running under a new lease (attempts + 1: the token); nullopt when none. Jobs whose
  // lease expired with no attempt left are failed first. Fair order (docs/server.md, "Fair
  // share"): jobs of `full_tenants` (those at the claimer's limit of running jobs) are passed over;
  // of the others, the tenant with the fewest running jobs (live leases, any process), then the
  // tenant least recently served (its last claim the oldest), then within it the user likewise,
  // then the oldest job (run_after, id): round-robin across tenants, then users.
  std::optional<JobRecord> claim_next(const ClaimOptions& claim, const std::vector<std::string>& full_tenants = {});
  // Renews the lease to `expires_ms`; false when the lease was lost (the job was claimed again,
  // ended or split). Does not change `version` (no event).
  bool heartbeat(const JobLease& lease, std::int64_t expires_ms);
  // The fenced writes: each changes the job only while `lease` still holds it (running, same
  // attempt, not waiting for shards), and returns false otherwise.
  bool set_progress(const JobLease& lease, double progress, const std::string& message);
  // Succeeded with its result; `output` (bytes) is kept with the row (a shard's values).
  bool succeed(const JobLease& lease, const std::string& result_json, const std::string& output = {});
  // Back to the queue at `retry_at` when given (attempts left), else failed for good; the error is
  // kept either way.
  bool fail(const JobLease& lease, const std::string& error_json, std::optional<std::int64_t> retry_at);
  bool mark_cancelled(const JobLease& lease, const std::string& message);
  // Puts the job back in the queue without counting the attempt (graceful shutdown).
  bool requeue(const JobLease& lease, const std::string& message);
  // Splits the job into one shard of `shard_kind` per request (in order: the shards' ids ascend
  // with it) and releases the lease: the job waits for them. Adds one attempt to the job's
  // max_attempts (its reduce is a claim of its own). False when the lease was lost (nothing is
  // inserted then). `now_epoch`: the shards' run_after.
  bool split(const JobLease& lease, const std::string& shard_kind, const std::vector<std::string>& requests,
             std::int64_t now_epoch);
  // The shards of `parent`, in the order split() made them.
  std::vector<ShardOutput> shard_outputs(std::int64_t parent);
  // Queued: cancelled at once (with its queued shards). Running: cancel_requested (the worker
  // stops at its next step); a job waiting for its shards is cancelled at once and its shards are
  // asked to stop.
  CancelOutcome request_cancel(const std::string& tenant, std::int64_t id);
  bool cancel_requested(std::int64_t id);
  std::map<std::string, std::size_t> count_by_status();
  // Deletes every tenant's top-level jobs that ended (succeeded, failed, cancelled) before
  // `before` (ISO-8601 UTC, as finished_at), with their shards; returns how many rows went
  // (keel serve --job-retention-days). Queued and running jobs are never touched.
  std::size_t prune_finished(const std::string& before);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

// The latest result of a calculation per (tenant, portfolio, kind) — what a cached read returns
// (GET /api/v1/portfolios/{id}/risk/var) without recomputing. Rows go with their portfolio.
struct CachedResult {
  std::string result;  // JSON text
  std::string computed_at;
};

class ResultCache {
 public:
  ResultCache(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  void put(const std::string& tenant, std::int64_t portfolio_id, const std::string& kind,
           const std::string& json);
  std::optional<CachedResult> get(const std::string& tenant, std::int64_t portfolio_id,
                                  const std::string& kind);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
