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
#include "keel/service/jobs.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/risk.h"
#include "keel/service/risk_runs.h"
#include "keel/service/sharding.h"
#include "keel/service/whatif_sessions.h"
#include "requests.h"

namespace keel::server {
namespace {

// HTTP requests never name server-side files (events_file is not an HTTP field at all; server_env()
// would refuse the read too, but this makes it a 400 at enqueue rather than a failed job).
void reject_server_files(const service::PlanRequest& q) {
  if (q.returns.rfind("bootstrap:", 0) == 0) {
    throw Error::invalid_input("invalid plan request",
                               {"returns: bootstrap:FILE reads a server file; send \"returns\": \"bootstrap\" with "
                                "the periodic returns inline as \"history\", or use normal:, t: or mix:"});
  }
}

// Each job thread keeps the inputs of the last VaR run it computed paths of: the next shard of the
// same run (same tenant, options, pinned date and fingerprint) skips loading the book and prices
// and factoring the covariance. A run whose inputs changed has another fingerprint, hence another
// key. The thread that splits a run leaves its inputs here for the first shard it takes.
std::pair<std::string, std::shared_ptr<service::VarPathSource>>& var_sources() {
  thread_local std::pair<std::string, std::shared_ptr<service::VarPathSource>> last;
  return last;
}

// A shard's request without its range: the same for every shard of one run.
std::string var_source_key(const std::string& tenant, const nlohmann::json& shard_request) {
  nlohmann::json run = shard_request;
  run.erase("first");
  run.erase("last");
  return tenant + "\n" + run.dump();
}

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

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

bool asks_monte_carlo(const service::RiskVarRequest& req) {
  return std::find(req.methods.begin(), req.methods.end(), risk::VarMethod::kMonteCarlo) != req.methods.end();
}

// A risk.var job whose Monte Carlo is larger than a shard: split on the first claim (the inputs'
// as-of date pinned for every shard, their fingerprint passed along), reduced on the claim after
// the last shard.
service::RiskVarResult run_var_sharded(JobContext& ctx, const service::PortfolioJob<service::RiskVarRequest>& job,
                                       std::int64_t per_shard, const Env& env) {
  const auto& req = job.request;
  const auto paths = static_cast<std::int64_t>(req.var.monte_carlo.paths);
  const service::Context cx = job_context(ctx, env);
  if (ctx.job().shards == 0) {
    ctx.progress(0.02, "checking the inputs");
    // The inputs load here: their as-of date and fingerprint pin the shards.
    auto source = std::make_shared<service::VarPathSource>(cx, req);
    auto pinned = req;
    pinned.inputs.source.as_of = Date::parse_or_throw(source->as_of(), "as_of");
    auto shards = shard_requests(service::portfolio_job_request(job.portfolio.id, pinned), paths, per_shard,
                                 source->fingerprint());
    var_sources() = {var_source_key(ctx.job().tenant, shards.front()), std::move(source)};
    ctx.split("risk.var.shard", shards);
  }
  ctx.progress(std::max(0.95, ctx.job().progress), fmt::format("reducing {} shards", ctx.job().shards));
  std::uint64_t fingerprint = 0;
  nlohmann::json first;
  const auto outputs = gather_shard_outputs(ctx, paths, &fingerprint, &first);
  std::vector<risk::PathSummary> parts;
  parts.reserve(outputs.size());
  for (const auto& o : outputs) parts.push_back(risk::path_summary_from_bytes(o.bytes));
  // The inputs the shards saw: the as-of date they were pinned to. When this thread computed a
  // shard of the run it still holds them (same request, same fingerprint): no second load and
  // factorisation.
  auto pinned = req;
  pinned.inputs.source.as_of = Date::parse_or_throw(first.at("options").at("as_of").get<std::string>());
  const auto& held = var_sources();
  if (held.second && held.first == var_source_key(ctx.job().tenant, first) && held.second->fingerprint() == fingerprint) {
    return held.second->reduce(pinned, fingerprint, parts);
  }
  return service::risk_var_reduce(cx, pinned, fingerprint, parts);
}

// A risk.var job: its request read once (the typed request the use case queued), computed in
// shards when its Monte Carlo is larger than one, and kept as the portfolio's last VaR.
nlohmann::json run_var(JobContext& ctx, const nlohmann::json& request, const Env& env, std::size_t shard_paths) {
  const bool reducing = ctx.job().shards > 0;  // progress is at 0.95 already: never backwards
  if (!reducing) ctx.progress(0.05, "loading the book");
  const service::Context cx = job_context(ctx, env);
  const auto job = service::read_var_job(cx, request);
  if (!reducing) ctx.progress(0.2, "computing VaR");
  const bool sharded =
      (shard_paths > 0 && asks_monte_carlo(job.request) && job.request.var.monte_carlo.paths > shard_paths) || reducing;
  auto result = sharded ? run_var_sharded(ctx, job, static_cast<std::int64_t>(shard_paths), env)
                        : service::risk_var(cx, job.request);
  ctx.check();
  return service::keep_last_var(cx, job.portfolio.id, result);
}

nlohmann::json run_backtest(JobContext& ctx, const nlohmann::json& request, const Env& env) {
  ctx.progress(0.05, "loading the book");
  const service::Context cx = job_context(ctx, env);
  const auto job = service::read_backtest_job(cx, request);
  ctx.progress(0.2, "backtesting");
  auto out = service::risk_backtest(cx, job.request);
  out.portfolio_id = job.portfolio.id;
  return spec::to_json(out);
}

// A batch.var job: one request (read once) on every portfolio of the tenant, each result kept as
// that portfolio's last VaR.
nlohmann::json run_batch_var(JobContext& ctx, const nlohmann::json& request, const Env& env) {
  service::RiskVarRequest base;
  spec::read_json(service::job_options(request), base, "risk/var request");
  return service::batch_var(job_context(ctx, env), base,
                            [&ctx](double fraction, const std::string& message) { ctx.progress(fraction, message); });
}

service::PlanRequest plan_request(const nlohmann::json& options) {
  service::PlanRequest q;
  spec::read_json(options, q, "plan/retire request");
  reject_server_files(q);
  return q;
}

service::PlanSensitivityRequest plan_sensitivity_request(const nlohmann::json& options) {
  service::PlanSensitivityRequest q;
  spec::read_json(options, q, "plan/sensitivity request");
  if (q.values.empty()) throw Error::invalid_input("invalid plan/sensitivity request", {"values: expected at least one value"});
  reject_server_files(q.plan);
  return q;
}

service::PlanCompareRequest plan_compare_request(const nlohmann::json& options) {
  service::PlanCompareRequest q;
  spec::read_json(options, q, "plan/compare request");
  reject_server_files(q.plan);
  return q;
}

// Above `shard_trials` trials (0: never) the run is split into shards of trials (a multiple of the
// kernel's group) on its first claim and reduced from every trial's values on the claim after the
// last shard.
nlohmann::json run_plan(JobContext& ctx, const nlohmann::json& request, const Env& env, std::int64_t shard_trials) {
  const auto q = plan_request(service::job_options(request));
  const service::Context cx{nullptr, env};
  const bool sharded = (shard_trials > 0 && q.trials > shard_trials) || ctx.job().shards > 0;
  if (!sharded) {
    ctx.progress(0.1, "simulating");
    return spec::to_json(service::plan_retire(cx, q));
  }
  if (ctx.job().shards == 0) {
    ctx.progress(0.02, fmt::format("splitting {} trials", q.trials));
    const std::int64_t align = plan::kTrialAlignment;
    const std::int64_t per = (shard_trials + align - 1) / align * align;
    ctx.split("plan.retire.shard", shard_requests({{"options", service::job_options(request)}}, q.trials, per, 0));
  }
  ctx.progress(std::max(0.95, ctx.job().progress), fmt::format("reducing {} shards", ctx.job().shards));
  std::uint64_t fingerprint = 0;
  nlohmann::json first;
  const auto values =
      gather_shards(ctx, q.trials, service::plan_retire_values_per_trial(cx, q), &fingerprint, &first);
  return spec::to_json(service::plan_retire_reduce(cx, q, values));
}

nlohmann::json run_plan_shard(JobContext& ctx, const nlohmann::json& request, const Env& env) {
  const auto q = plan_request(service::job_options(request));
  return run_shard(ctx, request, [&](service::ShardRange range, const service::ShardProgress& progress) {
    auto v = service::plan_retire_trials(service::Context{nullptr, env}, q, range);
    if (progress) progress(1.0);
    return shard_output(v);
  });
}

nlohmann::json run_plan_sensitivity(JobContext& ctx, const nlohmann::json& request, const Env& env) {
  const auto q = plan_sensitivity_request(service::job_options(request));
  ctx.progress(0.1,
               fmt::format("simulating {} values of {}", q.values.size(), plan::sensitivity_parameter_name(q.vary)));
  return spec::to_json(service::plan_sensitivity(service::Context{nullptr, env}, q));
}

nlohmann::json run_plan_compare(JobContext& ctx, const nlohmann::json& request, const Env& env) {
  const auto q = plan_compare_request(service::job_options(request));
  ctx.progress(0.1, "simulating each strategy");
  return spec::to_json(service::plan_compare(service::Context{nullptr, env}, q));
}

nlohmann::json run_var_shard(JobContext& ctx, const nlohmann::json& request, const Env& env) {
  auto& last = var_sources();
  const std::string key = var_source_key(ctx.job().tenant, request);
  if (!last.second || last.first != key) {
    last = {};  // free the previous run's inputs first
    const service::Context cx = job_context(ctx, env);
    const auto job = service::read_var_job(cx, request);
    last = {key, std::make_shared<service::VarPathSource>(cx, job.request)};
  }
  const auto source = last.second;
  return run_shard(ctx, request, [&](service::ShardRange range, const service::ShardProgress& progress) {
    const auto shard = source->paths(range, progress);
    return ShardOutput{shard.fingerprint, risk::path_summary_to_bytes(shard.summary)};
  });
}

// A job function given the server's Env (its clock; no file access), as routes give their use cases.
template <class Fn>
JobFn with_env(App& app, Fn fn) {
  return [&app, fn](JobContext& ctx, const nlohmann::json& request) { return fn(ctx, request, app.env()); };
}

}  // namespace

void register_job_kinds(App& app) {
  app.jobs->register_kind("risk.var", [&app](JobContext& ctx, const nlohmann::json& request) {
    return run_var(ctx, request, app.env(), app.config.shard_paths);
  });
  app.jobs->register_kind("risk.var.shard", with_env(app, run_var_shard));
  app.jobs->register_kind("risk.backtest", with_env(app, run_backtest));
  app.jobs->register_kind("batch.var", with_env(app, run_batch_var));
  app.jobs->register_kind("plan.retire", [&app](JobContext& ctx, const nlohmann::json& request) {
    return run_plan(ctx, request, app.env(), app.config.shard_trials);
  });
  app.jobs->register_kind("plan.retire.shard", with_env(app, run_plan_shard));
  app.jobs->register_kind("plan.sensitivity", with_env(app, run_plan_sensitivity));
  app.jobs->register_kind("plan.compare", with_env(app, run_plan_compare));
}

std::vector<nlohmann::json> shard_requests(const nlohmann::json& base, std::int64_t total, std::int64_t per_shard,
                                           std::uint64_t fingerprint) {
  std::vector<nlohmann::json> out;
  for (const auto& r : service::shard_ranges(total, per_shard)) {
    nlohmann::json q = base;
    q["first"] = r.first;
    q["last"] = r.last;
    if (fingerprint != 0) q["fingerprint"] = hex64(fingerprint);
    out.push_back(std::move(q));
  }
  return out;
}

std::vector<GatheredShard> gather_shard_outputs(JobContext& ctx, std::int64_t total, std::uint64_t* fingerprint,
                                              nlohmann::json* first_request) {
  const auto shards = ctx.shards();
  if (shards.empty()) throw Error::internal(fmt::format("job {} has no shards to reduce", ctx.job().id));
  std::vector<GatheredShard> outputs;
  outputs.reserve(shards.size());
  std::int64_t next = 0;
  std::optional<std::string> seen;
  for (std::size_t k = 0; k < shards.size(); ++k) {
    const auto& sh = shards[k];
    const auto request = nlohmann::json::parse(sh.request);
    const std::int64_t first = request.at("first").get<std::int64_t>();
    const std::int64_t last = request.at("last").get<std::int64_t>();
    const std::string where =
        fmt::format("shard {} of {} (job {}, items {} to {})", k + 1, shards.size(), sh.id, first, last);
    if (sh.status != JobStatus::kSucceeded) {
      auto e = sh.error ? nlohmann::json::parse(*sh.error, nullptr, false) : nlohmann::json();
      if (!e.is_object()) e = {{"code", "internal"}, {"message", "no error kept"}, {"details", nlohmann::json::array()}};
      if (sh.status == JobStatus::kCancelled) {
        e = {{"code", "conflict"}, {"message", "cancelled"}, {"details", nlohmann::json::array()}};
      }
      e["message"] = fmt::format("{} {}: {}", where, service::job_status_name(sh.status), e.value("message", ""));
      throw JobFailed{e.dump()};
    }
    if (first != next) throw Error::internal(where + " does not start where the previous one ended");
    const auto result = nlohmann::json::parse(sh.result.value_or("{}"));
    const std::string fp = result.value("fingerprint", std::string());
    if (seen && *seen != fp) throw Error::internal(where + " ran on other inputs than the shards before it");
    seen = fp;
    outputs.push_back({where, last - first, sh.output});
    next = last;
    if (k == 0) *first_request = request;
  }
  if (next != total) throw Error::internal(fmt::format("the shards end at {} of {}", next, total));
  *fingerprint = seen && !seen->empty() ? std::stoull(*seen, nullptr, 16) : 0;
  return outputs;
}

std::vector<double> gather_shards(JobContext& ctx, std::int64_t total, std::size_t stride,
                                  std::uint64_t* fingerprint, nlohmann::json* first_request) {
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(total) * stride);
  for (const auto& o : gather_shard_outputs(ctx, total, fingerprint, first_request)) {
    const auto part = service::values_from_bytes(o.bytes);
    if (part.size() != static_cast<std::size_t>(o.items) * stride) {
      throw Error::internal(fmt::format("{} kept {} values, not {}", o.where, part.size(),
                                        static_cast<std::size_t>(o.items) * stride));
    }
    values.insert(values.end(), part.begin(), part.end());
  }
  return values;
}

nlohmann::json run_shard(JobContext& ctx, const nlohmann::json& request,
                         const std::function<ShardOutput(service::ShardRange, const service::ShardProgress&)>& compute) {
  const service::ShardRange range{request.at("first").get<std::int64_t>(), request.at("last").get<std::int64_t>()};
  ctx.progress(0.0, fmt::format("computing items {} to {}", range.first, range.last));
  auto done = compute(range, [&](double f) { ctx.progress(f * 0.99, "computing"); });
  const std::string fp = done.fingerprint != 0 ? hex64(done.fingerprint) : std::string();
  const std::string expected = request.value("fingerprint", std::string());
  if (!expected.empty() && fp != expected) {
    throw Error(ErrorCode::kConflict,
                "the inputs of the Monte Carlo run changed after it was split (prices or the book were written "
                "meanwhile): run it again");
  }
  ctx.set_output(std::move(done.bytes));
  return {{"first", range.first}, {"last", range.last}, {"fingerprint", fp}};
}

ShardOutput shard_output(const service::ShardValues& values) {
  return {values.fingerprint, service::values_to_bytes(values.values)};
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
  if (kind == "risk.var") {
    const auto job = service::read_var_job(cx, request);
    stored = service::portfolio_job_request(job.portfolio.id, job.request);
  } else if (kind == "risk.backtest") {
    const auto job = service::read_backtest_job(cx, request);
    stored = service::portfolio_job_request(job.portfolio.id, job.request);
  } else if (kind == "batch.var") {
    service::RiskVarRequest check;
    spec::read_json(service::job_options(request), check, "risk/var request");
  } else if (kind == "plan.retire") {
    // The plan's own checks too (a balance, a horizon, a withdrawal...): {} is a 400, not a job
    // that fails.
    const service::PlanRequest q = plan_request(service::job_options(request));
    (void)service::build_plan_inputs(cx, q, nullptr);
    service::admit(cx, service::plan_retire_cost(q));
  } else if (kind == "plan.sensitivity") {
    service::admit(cx, service::plan_sensitivity_cost(plan_sensitivity_request(service::job_options(request))));
  } else if (kind == "plan.compare") {
    service::admit(cx, service::plan_compare_cost(plan_compare_request(service::job_options(request))));
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
