// keel/service/jobs.h: the background jobs of the actor's tenant — list, show and cancel them —
// behind `keel job list|show|cancel` and /api/v1/jobs, and the daily batch schedule's enqueueing
// (`keel serve --batch-daily`). A job is found by (tenant, id): another tenant's job is not found,
// like a missing one. Cancelling checks its permission and writes its audit row itself
// (keel/service/rules.h), so the command and the route refuse alike and leave the same row.
//
// Jobs are run by keel serve's job runner (keel/server/jobs.h); a cancel stored here is seen by
// every runner of the store (at once on PostgreSQL, within a poll on SQLite).
//
// Thread-safety: stateless; see the Context's store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/store/job_repository.h"

namespace keel::service {

// What cancelling a job and the schedule's enqueueing need and write (keel/service/rules.h).
inline constexpr UseCase kJobCancel{"cancel jobs", Permission::kCompute, "job.cancel"};
inline constexpr UseCase kJobCreate{"start jobs", Permission::kCompute, "job.create"};

// Handing a use case's work to the background. keel serve runs long work (large Monte Carlo runs,
// backtests, batches, retirement plans) as jobs: a row in the store's job queue that a job thread
// of any server on the store claims, runs and answers with a result (docs/server.md, "Background
// jobs"). A use case that may run in the background decides so itself (the policy lives with the
// use case, not with a face) and queues its request in the form its worker reads back: the request
// written by its description (spec::to_request_json), so the client's body is parsed once, when it
// arrives. The queue is the server's (Context::jobs); outside the server there is none.
// Thread-safety: a JobQueue is shared by the server's request threads; enqueue is thread-safe.
class JobQueue {
 public:
  virtual ~JobQueue() = default;
  // Stores a queued job of `kind` with `request` for `actor` (its tenant and user) in `store`,
  // wakes the job threads and returns the row as stored.
  virtual store::JobRecord enqueue(Store& store, const Actor& actor, std::string_view kind,
                                   const nlohmann::json& request) = 0;
};

// Queues `request` as a job of `kind` for the Context's actor. Throws Error: forbidden
// (kJobCreate), usage when the Context has no job queue (outside keel serve) or no store.
store::JobRecord queue_job(const Context& cx, std::string_view kind, const nlohmann::json& request);

// `keel job list`, GET /api/v1/jobs: a page of the actor's tenant's jobs, newest first.
struct JobListRequest {
  std::optional<std::int64_t> before_id;  // only ids below it (the next page's cursor)
  std::size_t limit = 50;                 // at most this many
  std::optional<store::JobStatus> status;  // only jobs in this state
};
std::vector<store::JobRecord> list_jobs(const Context& cx, const JobListRequest& request);

// The actor's tenant's job `id`. Throws Error: not_found ("no job ID"), usage without a store.
store::JobRecord find_job(const Context& cx, std::int64_t id);

// Cancels the actor's tenant's job `id`: a queued job at once, a running one when its runner next
// checks; audited as job.cancel (resource job/ID, details kind). Returns the job as stored after
// the request. Throws Error: forbidden (kJobCancel), not_found, conflict when it has already
// finished, usage without a store.
store::JobRecord cancel_job(const Context& cx, std::int64_t id);

// The daily batch schedule's run: batch.run ({"portfolios": null, "scheduled_at_epoch"}) enqueued
// for every tenant that has users and portfolios, each by the actor (the scheduler) in that tenant,
// audited as job.create (resource job/ID, details kind and scheduled_at_epoch).
struct ScheduledBatches {
  std::size_t tenants = 0;           // tenants with users (those without portfolios get no job)
  std::vector<std::int64_t> jobs;    // the jobs enqueued
};
ScheduledBatches enqueue_scheduled_batches(const Context& cx, std::int64_t scheduled_epoch, int max_attempts);

// Jobs of every tenant by status name ("queued", "running", ...): the metrics' gauges.
std::map<std::string, std::size_t> job_counts(const Context& cx);

}  // namespace keel::service
