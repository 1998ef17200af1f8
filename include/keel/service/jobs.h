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

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/job_status.h"
#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"
#include "keel/store/job_repository.h"

namespace keel::service {

inline constexpr std::array<spec::Choice<JobStatus>, 5> kJobStatusNames = {{{JobStatus::kQueued, "queued"},
                                                                           {JobStatus::kRunning, "running"},
                                                                           {JobStatus::kSucceeded, "succeeded"},
                                                                           {JobStatus::kFailed, "failed"},
                                                                           {JobStatus::kCancelled, "cancelled"}}};
// "queued", "running", "succeeded", "failed", "cancelled".
std::string_view job_status_name(JobStatus status);
// The status of one of those names; nullopt for any other text.
std::optional<JobStatus> parse_job_status(std::string_view name);

struct JobLinks {
  std::string self;
  std::string events;
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Why a job failed (the error body of the route that would have run it at once).
struct JobError {
  std::string code;
  std::string message;
  std::vector<std::string> details;
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A job as the faces show it: its state, who started it, its result or error (parsed), and where
// keel serve answers it. The store's row (its lease, fencing, shards and request) stays behind.
struct JobView {
  std::int64_t id = 0;
  std::string kind;
  JobStatus status = JobStatus::kQueued;
  double progress = 0.0;
  std::string message;
  int attempts = 0;
  int max_attempts = 0;
  std::string created_by;
  std::string created_at;
  spec::Nullable<std::string> started_at;
  spec::Nullable<std::string> finished_at;
  bool cancel_requested = false;
  JobLinks links;
  nlohmann::json result;  // null until the job succeeds
  spec::Nullable<JobError> error;  // null unless it failed (or failed an attempt it retries)
  std::optional<std::int64_t> retry_at_epoch;
  // Grows with every change of the job (not sent: the id of its event stream's messages).
  std::int64_t version = 0;
  static constexpr const char* kSchemaName = "Job";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The view of a stored job.
JobView job_view(const store::JobRecord& job);

// The options of a job's request, {"options": {..the body of the route it stands for..}, ...}: an
// empty object when absent or null. Error::invalid_input ("invalid job request") when the request
// is not an object or its options are not one.
const nlohmann::json& job_options(const nlohmann::json& job_request);

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
  // wakes the job threads and returns the row as stored — unless the actor has a job of that kind
  // with the very same request queued or running: then that job, and `joined` is set (a client
  // repeating itself, a tab per screen, cannot multiply the work).
  virtual store::JobRecord enqueue(Store& store, const Actor& actor, std::string_view kind,
                                   const nlohmann::json& request, bool& joined) = 0;
  // A cancel of job `id` was stored while it ran (or while its shards ran): the job threads of
  // this process that hold it (or its shards) stop them now, through their Cancellations, rather
  // than at the next read of the store (keel/server/jobs.h). `why` names who asked.
  virtual void cancel_requested(std::int64_t id, const std::string& why) {
    (void)id;
    (void)why;
  }
};

// Queues `request` as a job of `kind` for the Context's actor and returns it as queued, audited
// as job.create (resource job/ID, details the kind and `audit_details`' members). Throws Error: forbidden (kJobCreate),
// usage when the Context has no job queue (outside keel serve) or no store.
JobView queue_job(const Context& cx, std::string_view kind, const nlohmann::json& request,
                  const nlohmann::json& audit_details = nlohmann::json::object());

// `keel job list`, GET /api/v1/jobs: a page of the actor's tenant's jobs, newest first.
struct JobListRequest {
  std::optional<std::int64_t> before_id;  // only ids below it (the next page's cursor)
  std::size_t limit = 50;                 // at most this many
  std::optional<JobStatus> status;        // only jobs in this state
};
std::vector<JobView> list_jobs(const Context& cx, const JobListRequest& request);
// How many jobs of the actor's tenant list_jobs pages through (in `status` when given).
std::size_t count_jobs(const Context& cx, std::optional<JobStatus> status);

// The actor's tenant's job `id`. Throws Error: not_found ("no job ID"), usage without a store.
JobView find_job(const Context& cx, std::int64_t id);

// Cancels the actor's tenant's job `id`: a queued job at once, a running one when its runner next
// checks; audited as job.cancel (resource job/ID, details kind). Returns the job as stored after
// the request. Throws Error: forbidden (kJobCancel), not_found, conflict when it has already
// finished, usage without a store.
JobView cancel_job(const Context& cx, std::int64_t id);

// The jobs `ids` of any tenant as they are now (nullopt: gone): what keel serve's job event
// streams push. Each stream's job was found in its actor's tenant (find_job) before it was watched.
std::map<std::int64_t, std::optional<JobView>> watch_jobs(const Context& cx, const std::vector<std::int64_t>& ids);

// The daily batch schedule's run: batch.run ({"portfolios": null, "scheduled_at_epoch"}) queued
// (queue_job, the Context's job queue) for every tenant that has users and portfolios, each by the
// actor (the scheduler) in that tenant, audited as job.create (resource job/ID, details kind and
// scheduled_at_epoch).
struct ScheduledBatches {
  std::size_t tenants = 0;           // tenants with users (those without portfolios get no job)
  std::vector<std::int64_t> jobs;    // the jobs enqueued
};
ScheduledBatches enqueue_scheduled_batches(const Context& cx, std::int64_t scheduled_epoch);

// Jobs of every tenant by status name ("queued", "running", ...): the metrics' gauges.
std::map<std::string, std::size_t> job_counts(const Context& cx);

}  // namespace keel::service
