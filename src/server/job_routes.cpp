// Jobs of the caller's tenant: POST /api/v1/jobs, GET /api/v1/jobs, GET /api/v1/jobs/{id},
// GET /api/v1/jobs/{id}/events (server-sent events), POST /api/v1/jobs/{id}/cancel; and
// GET /api/v1/events, the tenant's portfolio changes as server-sent events (event_hub.h).
#include <fmt/format.h>

#include "app.h"
#include "job_kinds.h"
#include "keel/server/jobs.h"
#include "keel/service/jobs.h"
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
  service::JobListRequest req;
  if (page.cursor) req.before_id = cursor_number(page, "j:");
  req.limit = page.limit + 1;
  req.status = q.status;
  const auto jobs = service::list_jobs(c.service(), req);
  PageOf<JobView> out;
  for (std::size_t i = 0; i < jobs.size() && i < page.limit; ++i) out.items.push_back(jobs[i]);
  if (jobs.size() > page.limit) out.next_cursor.emplace(encode_cursor(fmt::format("j:{}", jobs[page.limit - 1].id)));
  out.total = service::count_jobs(c.service(), req.status);
  c.send(200, spec::to_json(out));
}

void get_job(Call& c) {
  c.send(200, spec::to_json(service::find_job(c.service(), c.int_param("id"))));
}

void cancel_job(Call& c) {
  const auto job = service::cancel_job(c.service(), c.int_param("id"));
  // Stored, and a job this process runs was stopped (service::JobQueue::cancel_requested): wake
  // the event streams.
  c.app.jobs->notify();
  c.send(202, spec::to_json(job));
}

// The stream itself is written by the connection and fed by the EventHub (event_hub.h): here the
// job is checked to exist in the caller's tenant.
void job_events(Call& c) {
  const auto job = service::find_job(c.service(), c.int_param("id"));
  c.res.status = 200;
  c.res.set_header("X-Accel-Buffering", "no");  // nginx: do not buffer the stream
  EventStreamSpec spec;
  spec.job_id = job.id;
  c.res.stream = std::move(spec);
}

// The caller's tenant's portfolio changes: every user who may read the tenant's portfolios may
// read what changed in them, so the stream is the tenant's, fed by the hub.
void tenant_events(Call& c) {
  c.res.status = 200;
  c.res.set_header("X-Accel-Buffering", "no");
  EventStreamSpec spec;
  spec.tenant = c.tenant();
  c.res.stream = std::move(spec);
}

}  // namespace

void add_job_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/api/v1/events",
                          "Server-sent events: portfolio.changed {portfolio_id, portfolio, what} for the tenant's "
                          "portfolios (positions imported, a snapshot stored, a VaR kept); clo.changed {deal_id, "
                          "deal, what} when a determination of a deal finds a breach or an alert; job.finished "
                          "{job_id, kind, status} when one of the caller's jobs ends",
                          "jobs", Permission::kRead, tenant_events}
                    .returns_media("text/event-stream"));
  app.add_route(RouteSpec{"POST", "/api/v1/jobs", "Start a background job {kind, request}", "jobs",
                          service::kJobCreate, create_job, "json"}
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
                          service::kJobCancel, cancel_job}
                    .returns<JobView>(202));
}

}  // namespace keel::server
