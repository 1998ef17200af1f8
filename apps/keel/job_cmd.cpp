// `keel job list|show|cancel`: the background jobs keel serve runs, of the command's tenant (the
// use cases of keel/service/jobs.h, which /api/v1/jobs shares: a cancel is checked and audited
// alike from both). The command only reads and cancels; jobs are started through keel serve.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "context.h"
#include "keel/core/error.h"
#include "keel/service/jobs.h"
#include "text_table.h"

namespace keel::cli {
namespace {

using nlohmann::json;

// A job as `--format json` writes it: the fields of GET /api/v1/jobs/{id} a person reads (the
// result and error as the job reports them).
json job_json(const service::JobView& j) {
  return {{"id", j.id},
          {"kind", j.kind},
          {"status", std::string(service::job_status_name(j.status))},
          {"progress", j.progress},
          {"message", j.message},
          {"attempts", j.attempts},
          {"max_attempts", j.max_attempts},
          {"created_by", j.created_by},
          {"created_at", j.created_at},
          {"started_at", spec::to_json(j.started_at)},
          {"finished_at", spec::to_json(j.finished_at)},
          {"cancel_requested", j.cancel_requested},
          {"result", j.result},
          {"error", spec::to_json(j.error)}};
}

TextTable job_table(const std::vector<service::JobView>& jobs, const std::string& title = "") {
  TextTable t(title);
  t.column("id")
      .column("kind", TextTable::Align::kLeft)
      .column("status", TextTable::Align::kLeft)
      .column("progress")
      .column("created_by", TextTable::Align::kLeft)
      .column("created_at", TextTable::Align::kLeft)
      .column("message", TextTable::Align::kLeft);
  for (const auto& j : jobs) {
    t.row({std::to_string(j.id), j.kind, std::string(service::job_status_name(j.status)),
           fmt::format("{:.0f}%", j.progress * 100.0), j.created_by, j.created_at, j.message});
  }
  return t;
}

}  // namespace

void add_job_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("job", "Background jobs of keel serve: list, show, cancel");
  group->require_subcommand(1);

  struct Flags {
    std::string tenant;
    std::size_t limit = 50;
    std::string status;
    std::int64_t id = 0;
  };
  auto f = std::make_shared<Flags>();
  // The command's actor in --tenant (default: its own tenant, the default one for the operator).
  auto acting = [&ctx, f] {
    service::Context cx = ctx.service();
    if (!f->tenant.empty()) cx.actor.tenant = f->tenant;
    return cx;
  };
  auto add_tenant = [f](CLI::App* cmd) {
    cmd->add_option("--tenant", f->tenant, "Whose jobs (default: the command's own tenant, default)");
  };

  auto* list = group->add_subcommand("list", "Jobs of the tenant, newest first");
  list->add_option("--limit", f->limit, "At most this many")->check(CLI::Range(1, 1000));
  list->add_option("--status", f->status,
                   "Only jobs in this state: queued, running, succeeded, failed, cancelled");
  add_tenant(list);
  list->callback([&ctx, f, acting] {
    service::JobListRequest req;
    req.limit = f->limit;
    if (!f->status.empty()) {
      req.status = service::parse_job_status(f->status);
      if (!req.status) {
        throw Error::invalid_input("invalid job list",
                                   {"status: expected queued, running, succeeded, failed or cancelled"});
      }
    }
    const auto jobs = service::list_jobs(acting(), req);
    json items = json::array();
    for (const auto& j : jobs) items.push_back(job_json(j));
    TextTable t = job_table(jobs);
    if (jobs.empty()) t.footer("no jobs");
    ctx.emit({{"items", items}}, {t});
  });

  auto* show = group->add_subcommand("show", "A job: status, progress, result or error");
  show->add_option("id", f->id, "The job's id")->required();
  add_tenant(show);
  show->callback([&ctx, f, acting] {
    const auto job = service::find_job(acting(), f->id);
    ctx.emit(job_json(job), {job_table({job})});
  });

  auto* cancel = group->add_subcommand("cancel", "Cancel a queued or running job");
  cancel->add_option("id", f->id, "The job's id")->required();
  add_tenant(cancel);
  cancel->callback([&ctx, f, acting] {
    const auto job = service::cancel_job(acting(), f->id);
    ctx.emit(job_json(job), {job_table({job}, fmt::format("Cancel requested for job {}", job.id))});
  });
}

}  // namespace keel::cli
