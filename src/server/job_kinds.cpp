#include "job_kinds.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>

#include "app.h"
#include "keel/plan/sensitivity.h"
#include "keel/plan/simulation.h"
#include "keel/server/jobs.h"
#include "keel/service/plan.h"
#include "keel/service/job_steps.h"
#include "keel/service/jobs.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/risk.h"
#include "keel/service/risk_runs.h"
#include "keel/service/sharding.h"
#include "keel/service/whatif_sessions.h"
#include "requests.h"

namespace keel::server {
namespace {

void act_for_job(service::Context& cx, JobContext& ctx) {
  cx.actor.user = ctx.job().username;
  cx.actor.tenant = ctx.job().tenant;
  cx.actor.client = "job";
}

// The Context of a job's use case: the server's, acting for the user who queued the job in its
// tenant (the permission to start it was checked when it was queued).
service::Context job_context(JobContext& ctx, const Env& env) {
  service::Context cx{&ctx.store(), env};
  cx.in_job = true;
  act_for_job(cx, ctx);
  cx.changes = ctx.changes();
  return cx;
}

nlohmann::json run_plan_sensitivity(JobContext& ctx, const nlohmann::json& request, const Env& env) {
  const auto q = service::read_plan_sensitivity_job(service::job_options(request));
  ctx.progress(0.1,
               fmt::format("simulating {} values of {}", q.values.size(), plan::sensitivity_parameter_name(q.vary)));
  return spec::to_json(service::plan_sensitivity(service::Context{nullptr, env}, q));
}

nlohmann::json run_plan_compare(JobContext& ctx, const nlohmann::json& request, const Env& env) {
  const auto q = service::read_plan_compare_job(service::job_options(request));
  ctx.progress(0.1, "simulating each strategy");
  return spec::to_json(service::plan_compare(service::Context{nullptr, env}, q));
}

// A job function given the server's Env (its clock; no file access), as routes give their use cases.
template <class Fn>
JobFn with_env(App& app, Fn fn) {
  return [&app, fn](JobContext& ctx, const nlohmann::json& request) { return fn(ctx, request, app.env()); };
}

}  // namespace

void register_job_kinds(App& app) {
  app.jobs->register_kind("risk.var", [&app](JobContext& ctx, const nlohmann::json& request) {
    return service::run_var_job(job_context(ctx, app.env()), ctx, request, app.config.shard_paths);
  });
  app.jobs->register_kind("risk.var.shard", [&app](JobContext& ctx, const nlohmann::json& request) {
    return service::run_var_shard_job(job_context(ctx, app.env()), ctx, request);
  });
  app.jobs->register_kind("risk.backtest", [&app](JobContext& ctx, const nlohmann::json& request) {
    return service::run_backtest_job(job_context(ctx, app.env()), ctx, request);
  });
  app.jobs->register_kind("batch.var", [&app](JobContext& ctx, const nlohmann::json& request) {
    return service::run_batch_var_job(job_context(ctx, app.env()), ctx, request);
  });
  app.jobs->register_kind("plan.retire", [&app](JobContext& ctx, const nlohmann::json& request) {
    return service::run_plan_job(service::Context{nullptr, app.env()}, ctx, request, app.config.shard_trials);
  });
  app.jobs->register_kind("plan.retire.shard", [&app](JobContext& ctx, const nlohmann::json& request) {
    return service::run_plan_shard_job(service::Context{nullptr, app.env()}, ctx, request);
  });
  app.jobs->register_kind("plan.sensitivity", with_env(app, run_plan_sensitivity));
  app.jobs->register_kind("plan.compare", with_env(app, run_plan_compare));
}

service::Context job_service(const App& app, JobContext& ctx) {
  service::Context cx = app.service_context(ctx.store());
  cx.in_job = true;
  act_for_job(cx, ctx);
  return cx;
}

void send_job(Call& call, const service::JobView& job) {
  call.res.set_header("Location", fmt::format("/api/v1/jobs/{}", job.id));
  call.send(202, spec::to_json(job));
}

void enqueue_job(Call& call, const std::string& kind, const nlohmann::json& request) {
  // Shards are made by the job they belong to (JobContext::split), never asked for.
  const auto is_shard = [](const std::string& k) { return k.size() > 6 && k.compare(k.size() - 6, 6, ".shard") == 0; };
  if (!call.app.jobs->has_kind(kind) || is_shard(kind)) {
    nlohmann::json kinds = nlohmann::json::array();
    for (const auto& k : call.app.jobs->kinds()) {
      if (!is_shard(k)) kinds.push_back(k);
    }
    throw Error::invalid_input(fmt::format("unknown job kind '{}'", kind), {"kind: expected one of " + kinds.dump()});
  }
  const service::Context cx = call.service();
  // Read now, so a bad request is a 400 rather than a failed job; a VaR or backtest is kept in the
  // typed form its worker reads (every field written, the portfolio by id).
  nlohmann::json stored = request;
  if (kind == "risk.var" || kind == "risk.backtest") {
    stored = service::portfolio_risk_job_request(cx, kind, request);
  } else if (kind == "batch.var") {
    service::RiskVarRequest check;
    spec::read_json(service::job_options(request), check, "risk/var request");
  } else if (kind == "plan.retire") {
    // The plan's own checks too (a balance, a horizon, a withdrawal...): {} is a 400, not a job
    // that fails.
    const service::PlanRequest q = service::read_plan_job(service::job_options(request));
    (void)service::build_plan_inputs(cx, q, nullptr);
    service::admit(cx, service::plan_retire_cost(q));
  } else if (kind == "plan.sensitivity") {
    service::admit(cx, service::plan_sensitivity_cost(service::read_plan_sensitivity_job(service::job_options(request))));
  } else if (kind == "plan.compare") {
    service::admit(cx, service::plan_compare_cost(service::read_plan_compare_job(service::job_options(request))));
  } else if (kind == "batch.run") {
    stored = batch_run_job_request(call, request);
  } else if (kind == "batch.backfill") {
    stored = batch_backfill_job_request(call, request);
  } else if (kind == "clo.montecarlo") {
    check_clo_montecarlo_job_request(call, request);
  } else if (kind == "clo.deal.montecarlo") {
    check_clo_deal_montecarlo_job_request(call, request);
  } else if (kind == "clo.deal.run") {
    check_clo_deal_run_job_request(call, request);
  } else if (kind == "prices.fetch") {
    stored = prices_fetch_job_request(call, request);
  } else if (kind == "symbols.fetch") {
    stored = symbols_fetch_job_request(call, request);
  } else if (kind == "factors.fetch") {
    stored = factors_fetch_job_request(call, request);
  } else if (kind == "fx.fetch") {
    stored = fx_fetch_job_request(call, request);
  } else if (kind == "whatif.calculate") {
    // The calculate body's fields, and the caller's session (not_found otherwise).
    service::show_modelling_session(cx, service::read_session_job(request).session);
  }
  send_job(call, service::queue_job(cx, kind, stored));
}

}  // namespace keel::server
