// Jobs of the caller's tenant: POST /api/v1/jobs, GET /api/v1/jobs, GET /api/v1/jobs/{id},
// GET /api/v1/jobs/{id}/events (server-sent events), POST /api/v1/jobs/{id}/cancel.
#include "app.h"
#include "job_kinds.h"
#include "keel/server/jobs.h"
#include "keel/store/job_repository.h"
#include "resources.h"

namespace keel::server {
namespace {

void create_job(Call& c) {
  CreateJobRequest req;
  spec::read_json(c.json_body(), req, "job");
  if (!req.request.is_object()) throw Error::invalid_input("invalid job", {"request: expected an object"});
  enqueue_job(c, req.kind, req.request);
}

void list_jobs(Call& c) {
  const auto q = c.query_as<JobListQuery>("job list parameters");
  const Page page = decode_page(q.page.limit, q.page.cursor);
  std::optional<std::int64_t> before;
  if (page.cursor) before = cursor_number(page, "j:");
  const auto jobs = c.store().jobs().list(c.tenant(), before, page.limit + 1, q.status);
  PageOf<JobView> out;
  for (std::size_t i = 0; i < jobs.size() && i < page.limit; ++i) out.items.push_back(job_view(jobs[i]));
  if (jobs.size() > page.limit) out.next_cursor.emplace(encode_cursor("j:" + std::to_string(jobs[page.limit - 1].id)));
  c.send(200, spec::to_json(out));
}

store::JobRecord find_job(Call& c) {
  const auto job = c.store().jobs().find(c.tenant(), c.int_param("id"));
  if (!job) throw Error::not_found("no job " + c.param("id"));
  return *job;
}

void get_job(Call& c) { c.send(200, spec::to_json(job_view(find_job(c)))); }

void cancel_job(Call& c) {
  const auto job = find_job(c);
  const auto outcome = c.store().jobs().request_cancel(c.tenant(), job.id);
  if (outcome == store::CancelOutcome::kAlreadyFinished) {
    throw Error::conflict("job " + std::to_string(job.id) + " has already finished");
  }
  c.audit("job.cancel", "job/" + std::to_string(job.id), {{"kind", job.kind}});
  c.app.jobs->notify();
  c.send(202, spec::to_json(job_view(*c.store().jobs().find(job.id))));
}

// The stream itself is written by the connection and fed by the EventHub (event_hub.h): here the
// job is checked to exist in the caller's tenant.
void job_events(Call& c) {
  const auto job = find_job(c);
  c.res.status = 200;
  c.res.set_header("X-Accel-Buffering", "no");  // nginx: do not buffer the stream
  c.res.stream = EventStreamSpec{job.id, {}};
}

}  // namespace

void add_job_routes(App& app) {
  app.add_route(RouteSpec{"POST", "/api/v1/jobs", "Start a background job {kind, request}", "jobs",
                          Permission::kCompute, create_job, "json"}
                    .takes<CreateJobRequest>()
                    .returns<JobView>(202));
  app.add_route(RouteSpec{"GET", "/api/v1/jobs", "Jobs of the tenant, newest first", "jobs", Permission::kRead,
                          list_jobs}
                    .query<JobListQuery>()
                    .returns<PageOf<JobView>>());
  app.add_route(RouteSpec{"GET", "/api/v1/jobs/{id}", "A job: status, progress, result or error", "jobs",
                          Permission::kRead, get_job}
                    .returns<JobView>());
  app.add_route(RouteSpec{"GET", "/api/v1/jobs/{id}/events", "Server-sent events: progress until the job ends",
                          "jobs", Permission::kRead, job_events}
                    .returns_media("text/event-stream"));
  app.add_route(RouteSpec{"POST", "/api/v1/jobs/{id}/cancel", "Cancel a queued or running job", "jobs",
                          Permission::kCompute, cancel_job}
                    .returns<JobView>(202));
}

}  // namespace keel::server
