// Jobs of the caller's tenant: POST /api/v1/jobs, GET /api/v1/jobs, GET /api/v1/jobs/{id},
// GET /api/v1/jobs/{id}/events (server-sent events), POST /api/v1/jobs/{id}/cancel.
#include "app.h"
#include "job_kinds.h"
#include "keel/server/jobs.h"
#include "keel/store/job_repository.h"
#include "requests.h"

namespace keel::server {
namespace {

void create_job(Call& c) {
  const auto body = c.json_body();
  Fields f(body);
  const auto kind = f.text("kind");
  if (!kind) f.fail("kind", "required");
  if (body.contains("request") && !body["request"].is_object()) f.fail("request", "expected an object");
  f.throw_if_errors("job");
  enqueue_job(c, *kind, body.value("request", nlohmann::json::object()));
}

void list_jobs(Call& c) {
  const Page page = read_page(c);
  std::optional<std::int64_t> before;
  if (page.cursor) {
    before = cursor_number(page, "j:");
  }
  std::optional<store::JobStatus> status;
  if (auto s = c.query("status")) {
    status = store::parse_job_status(*s);
    if (!status) throw Error::invalid_input("bad status", {"status: expected queued, running, succeeded, failed or cancelled"});
  }
  const auto jobs = c.store().jobs().list(c.tenant(), before, page.limit + 1, status);
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = 0; i < jobs.size() && i < page.limit; ++i) items.push_back(job_json(jobs[i]));
  nlohmann::json next = nullptr;
  if (jobs.size() > page.limit) next = encode_cursor("j:" + std::to_string(jobs[page.limit - 1].id));
  c.send(200, {{"items", items}, {"next_cursor", next}});
}

store::JobRecord find_job(Call& c) {
  const auto job = c.store().jobs().find(c.tenant(), c.int_param("id"));
  if (!job) throw Error::not_found("no job " + c.param("id"));
  return *job;
}

void get_job(Call& c) { c.send(200, job_json(find_job(c))); }

void cancel_job(Call& c) {
  const auto job = find_job(c);
  const auto outcome = c.store().jobs().request_cancel(c.tenant(), job.id);
  if (outcome == store::CancelOutcome::kAlreadyFinished) {
    throw Error::conflict("job " + std::to_string(job.id) + " has already finished");
  }
  c.audit("job.cancel", "job/" + std::to_string(job.id), {{"kind", job.kind}});
  c.app.jobs->notify();
  c.send(202, job_json(*c.store().jobs().find(job.id)));
}

// The stream itself is written by the connection and fed by the EventHub (event_hub.h): here the
// job is checked to exist in the caller's tenant.
void job_events(Call& c) {
  const auto job = find_job(c);
  c.res.status = 200;
  c.res.set_header("X-Accel-Buffering", "no");  // nginx: do not buffer the stream
  c.res.stream = EventStreamSpec{job.id};
}

}  // namespace

void add_job_routes(App& app) {
  app.add_route({"POST", "/api/v1/jobs", "Start a background job {kind, request}", "jobs", Permission::kCompute,
                 create_job, "json"});
  app.add_route({"GET", "/api/v1/jobs", "Jobs of the tenant, newest first (?status= ?limit= ?cursor=)", "jobs",
                 Permission::kRead, list_jobs});
  app.add_route({"GET", "/api/v1/jobs/{id}", "A job: status, progress, result or error", "jobs", Permission::kRead,
                 get_job});
  app.add_route({"GET", "/api/v1/jobs/{id}/events", "Server-sent events: progress until the job ends", "jobs",
                 Permission::kRead, job_events});
  app.add_route({"POST", "/api/v1/jobs/{id}/cancel", "Cancel a queued or running job", "jobs", Permission::kCompute,
                 cancel_job});
}

}  // namespace keel::server
