// The jobs of the actor's tenant (keel/service/jobs.h).
#include "keel/service/jobs.h"

#include <fmt/format.h>

#include <set>

#include "keel/core/error.h"
#include "keel/store/store.h"

namespace keel::service {

std::vector<store::JobRecord> list_jobs(const Context& cx, const JobListRequest& request) {
  Store& store = require_store(cx, "jobs are stored");
  return store.jobs().list(cx.actor.tenant, request.before_id, request.limit, request.status);
}

store::JobRecord find_job(const Context& cx, std::int64_t id) {
  Store& store = require_store(cx, "jobs are stored");
  auto job = store.jobs().find(cx.actor.tenant, id);
  if (!job) throw Error::not_found(fmt::format("no job {}", id));
  return *job;
}

store::JobRecord cancel_job(const Context& cx, std::int64_t id) {
  const std::string resource = fmt::format("job/{}", id);
  authorize(cx, kJobCancel, resource);
  Store& store = require_store(cx, "jobs are stored");
  const store::JobRecord job = find_job(cx, id);
  if (store.jobs().request_cancel(cx.actor.tenant, job.id) == store::CancelOutcome::kAlreadyFinished) {
    throw Error::conflict(fmt::format("job {} has already finished", job.id));
  }
  audit(cx, kJobCancel, resource, {{"kind", job.kind}});
  return *store.jobs().find(job.id);
}

ScheduledBatches enqueue_scheduled_batches(const Context& cx, std::int64_t scheduled_epoch,
                                           int max_attempts) {
  Store& store = require_store(cx, "jobs are stored");
  std::set<std::string> tenants;
  for (const auto& u : store.users().list(std::nullopt)) tenants.insert(u.tenant);
  ScheduledBatches out;
  out.tenants = tenants.size();
  for (const auto& tenant : tenants) {
    if (store.list_portfolios(tenant).empty()) continue;  // nothing to report on
    Context in_tenant = cx;
    in_tenant.actor.tenant = tenant;
    authorize(in_tenant, kJobCreate, "jobs");
    const nlohmann::json request = {{"portfolios", nullptr}, {"scheduled_at_epoch", scheduled_epoch}};
    const auto id = store.jobs().enqueue(tenant, cx.actor.user, "batch.run", request.dump(), max_attempts,
                                         cx.env.clock.unix_seconds());
    audit(in_tenant, kJobCreate, fmt::format("job/{}", id),
          {{"kind", "batch.run"}, {"scheduled_at_epoch", scheduled_epoch}});
    out.jobs.push_back(id);
  }
  return out;
}

std::map<std::string, std::size_t> job_counts(const Context& cx) {
  return require_store(cx, "jobs are stored").jobs().count_by_status();
}

store::JobRecord queue_job(const Context& cx, std::string_view kind, const nlohmann::json& request) {
  authorize(cx, kJobCreate, fmt::format("job/{}", kind));
  Store& store = require_store(cx, "a job is queued");
  if (cx.jobs == nullptr) throw Error::usage("background jobs run under keel serve only");
  auto job = cx.jobs->enqueue(store, cx.actor, kind, request);
  audit(cx, kJobCreate, fmt::format("job/{}", job.id), {{"kind", job.kind}});
  return job;
}

}  // namespace keel::service
