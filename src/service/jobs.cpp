// The jobs of the actor's tenant (keel/service/jobs.h).
#include "keel/service/jobs.h"

#include <fmt/format.h>

#include <set>

#include "keel/core/error.h"
#include "keel/store/store.h"

namespace keel::service {

// One table of the names: the store's, which keeps them in its rows.
std::string_view job_status_name(JobStatus status) { return store::job_status_name(status); }
std::optional<JobStatus> parse_job_status(std::string_view name) { return store::parse_job_status(name); }

JobView job_view(const store::JobRecord& j) {
  JobView v;
  v.id = j.id;
  v.kind = j.kind;
  v.status = j.status;
  v.progress = j.progress;
  v.message = j.message;
  v.attempts = j.attempts;
  v.max_attempts = j.max_attempts;
  v.created_by = j.username;
  v.created_at = j.created_at;
  if (j.started_at) v.started_at.emplace(*j.started_at);
  if (j.finished_at) v.finished_at.emplace(*j.finished_at);
  v.cancel_requested = j.cancel_requested;
  v.links = {fmt::format("/api/v1/jobs/{}", j.id), fmt::format("/api/v1/jobs/{}/events", j.id)};
  v.result = j.result ? nlohmann::json::parse(*j.result) : nlohmann::json(nullptr);
  if (j.error) {
    const auto e = nlohmann::json::parse(*j.error, nullptr, false);
    JobError err;
    if (e.is_object()) {
      err.code = e.value("code", std::string("internal"));
      err.message = e.value("message", std::string());
      for (const auto& d : e.value("details", nlohmann::json::array())) {
        if (d.is_string()) err.details.push_back(d.get<std::string>());
      }
    } else {
      err.code = "internal";
    }
    v.error.emplace(std::move(err));
  }
  if (j.status == JobStatus::kQueued && j.attempts > 0) v.retry_at_epoch = j.run_after;
  v.version = j.version;
  return v;
}

const nlohmann::json& job_options(const nlohmann::json& job_request) {
  static const nlohmann::json kNone = nlohmann::json::object();
  if (!job_request.is_object()) throw Error::invalid_input("invalid job request", {"request: expected an object"});
  const auto it = job_request.find("options");
  if (it == job_request.end() || it->is_null()) return kNone;
  if (!it->is_object()) throw Error::invalid_input("invalid job request", {"request.options: expected an object"});
  return *it;
}

std::vector<JobView> list_jobs(const Context& cx, const JobListRequest& request) {
  Store& store = require_store(cx, "jobs are stored");
  std::vector<JobView> out;
  for (const auto& job : store.jobs().list(cx.actor.tenant, request.before_id, request.limit, request.status)) {
    out.push_back(job_view(job));
  }
  return out;
}

std::size_t count_jobs(const Context& cx, std::optional<JobStatus> status) {
  return require_store(cx, "jobs are stored").jobs().count(cx.actor.tenant, status);
}

namespace {

store::JobRecord find_record(Store& store, const Context& cx, std::int64_t id) {
  auto job = store.jobs().find(cx.actor.tenant, id);
  if (!job) throw Error::not_found(fmt::format("no job {}", id));
  return *job;
}

}  // namespace

JobView find_job(const Context& cx, std::int64_t id) {
  return job_view(find_record(require_store(cx, "jobs are stored"), cx, id));
}

JobView cancel_job(const Context& cx, std::int64_t id) {
  const std::string resource = fmt::format("job/{}", id);
  authorize(cx, kJobCancel, resource);
  Store& store = require_store(cx, "jobs are stored");
  const store::JobRecord job = find_record(store, cx, id);
  const auto outcome = store.jobs().request_cancel(cx.actor.tenant, job.id);
  if (outcome == store::CancelOutcome::kAlreadyFinished) {
    throw Error::conflict(fmt::format("job {} has already finished", job.id));
  }
  // A running job (or the running shards of one) stops within 100 ms of its engine's work when
  // this process runs it; another process's runner reads the request within its poll (500 ms).
  if (cx.jobs != nullptr && (outcome == store::CancelOutcome::kRequested || job.status == JobStatus::kRunning)) {
    cx.jobs->cancel_requested(job.id, "cancelled by " + cx.actor.user);
  }
  audit(cx, kJobCancel, resource, {{"kind", job.kind}});
  return job_view(*store.jobs().find(job.id));
}

std::map<std::int64_t, std::optional<JobView>> watch_jobs(const Context& cx, const std::vector<std::int64_t>& ids) {
  Store& store = require_store(cx, "jobs are stored");
  std::map<std::int64_t, std::optional<JobView>> out;
  for (const auto id : ids) {
    auto job = store.jobs().find(id);
    out[id] = job ? std::optional<JobView>(job_view(*job)) : std::nullopt;
  }
  return out;
}

ScheduledBatches enqueue_scheduled_batches(const Context& cx, std::int64_t scheduled_epoch) {
  Store& store = require_store(cx, "jobs are stored");
  std::set<std::string> tenants;
  for (const auto& u : store.users().list(std::nullopt)) tenants.insert(u.tenant);
  ScheduledBatches out;
  out.tenants = tenants.size();
  for (const auto& tenant : tenants) {
    if (store.list_portfolios(tenant).empty()) continue;  // nothing to report on
    Context in_tenant = cx;
    in_tenant.actor.tenant = tenant;
    const nlohmann::json request = {{"portfolios", nullptr}, {"scheduled_at_epoch", scheduled_epoch}};
    out.jobs.push_back(queue_job(in_tenant, "batch.run", request, {{"scheduled_at_epoch", scheduled_epoch}}).id);
  }
  return out;
}

std::map<std::string, std::size_t> job_counts(const Context& cx) {
  return require_store(cx, "jobs are stored").jobs().count_by_status();
}

JobView queue_job(const Context& cx, std::string_view kind, const nlohmann::json& request,
                  const nlohmann::json& audit_details) {
  authorize(cx, kJobCreate, fmt::format("job/{}", kind));
  Store& store = require_store(cx, "a job is queued");
  if (cx.jobs == nullptr) throw Error::usage("background jobs run under keel serve only");
  bool joined = false;
  auto job = cx.jobs->enqueue(store, cx.actor, kind, request, joined);
  nlohmann::json details = {{"kind", job.kind}};
  if (joined) details["joined"] = true;  // the same request's job, already queued or running
  details.update(audit_details);
  audit(cx, kJobCreate, fmt::format("job/{}", job.id), details);
  return job_view(job);
}

}  // namespace keel::service
