#include "keel/service/risk_runs.h"
#include "keel/service/changes.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <utility>

#include "keel/core/error.h"
#include "keel/service/job_steps.h"
#include "keel/service/jobs.h"
#include "keel/service/sharding.h"
#include "keel/service/portfolio_view.h"
#include "risk_compute.h"

namespace keel::service {
namespace {

constexpr const char* kLastVar = "var";  // the result cache's kind for a portfolio's last VaR

std::string portfolio_of(const nlohmann::json& job_request) {
  const auto it = job_request.find("portfolio");
  if (it == job_request.end()) throw Error::invalid_input("invalid job request", {"request.portfolio: required"});
  if (it->is_number_integer()) return fmt::format("{}", it->get<std::int64_t>());
  if (it->is_string()) return it->get<std::string>();
  throw Error::invalid_input("invalid job request", {"request.portfolio: expected an id or a name"});
}

template <class Request>
struct PortfolioJob {
  PortfolioSummary portfolio;
  Request request;
};

template <class Request>
nlohmann::json portfolio_job_request(std::int64_t portfolio_id, const Request& request) {
  Request kept = request;
  kept.async = false;  // the job is the background run: its request is the run itself
  return {{"portfolio", portfolio_id}, {"options", spec::to_request_json(kept)}};
}

template <class Request>
PortfolioJob<Request> read_portfolio_job(const Context& cx, const nlohmann::json& job_request, std::string_view what) {
  const auto& options = job_options(job_request);
  PortfolioJob<Request> job;
  job.portfolio = resolve_portfolio(cx, portfolio_of(job_request));
  spec::read_json(options, job.request, what);
  job.request.inputs.source.portfolio = job.portfolio.name;
  return job;
}

PortfolioJob<RiskVarRequest> read_var_job(const Context& cx, const nlohmann::json& job_request) {
  return read_portfolio_job<RiskVarRequest>(cx, job_request, "risk/var request");
}

PortfolioJob<RiskBacktestRequest> read_backtest_job(const Context& cx, const nlohmann::json& job_request) {
  return read_portfolio_job<RiskBacktestRequest>(cx, job_request, "risk/backtest request");
}

// Keeps `result` (its portfolio_id set) as the last VaR of portfolio `portfolio_id` of the actor's
// tenant, and returns it as JSON.
nlohmann::json keep_last_var(const Context& cx, std::int64_t portfolio_id, RiskVarResult& result) {
  result.portfolio_id = portfolio_id;
  auto out = spec::to_json(result);
  require_store(cx, "a VaR result is kept").results().put(cx.actor.tenant, portfolio_id, kLastVar, out.dump());
  portfolio_changed(cx, portfolio_id, result.portfolio, "var");
  return out;
}

// A run whose book is a stored portfolio: the permission checked and the portfolio resolved once
// (by id or name; the source then names it); nullopt for a book from files or memory.
std::optional<PortfolioSummary> stored_portfolio(const Context& cx, BookSource& source) {
  if (!source.portfolio) return std::nullopt;
  authorize(cx, kPortfolioRiskRun, fmt::format("portfolio/{}", *source.portfolio));
  auto p = resolve_portfolio(cx, *source.portfolio);
  source.portfolio = p.name;  // the book source then names it in the actor's tenant
  return p;
}

}  // namespace

bool var_runs_in_background(const RiskVarRequest& request) {
  const bool monte_carlo = std::find(request.methods.begin(), request.methods.end(), risk::VarMethod::kMonteCarlo) !=
                           request.methods.end();
  return request.async || (monte_carlo && request.var.monte_carlo.paths > kForegroundMonteCarloPaths);
}

nlohmann::json portfolio_risk_job_request(const Context& cx, std::string_view kind, const nlohmann::json& request) {
  if (kind == "risk.var") {
    const auto job = read_var_job(cx, request);
    return portfolio_job_request(job.portfolio.id, job.request);
  }
  if (kind == "risk.backtest") {
    const auto job = read_backtest_job(cx, request);
    return portfolio_job_request(job.portfolio.id, job.request);
  }
  throw Error::usage(fmt::format("'{}' is not a portfolio's risk job", kind));
}

std::optional<store::CachedResult> last_var(const Context& cx, std::string_view ref) {
  Store& store = require_store(cx, "a VaR result is read");
  // A portfolio named by its id: the cached row is read by its key first. It names a portfolio of
  // the tenant (its key holds the tenant; deleting the portfolio deletes it), so one statement
  // answers the common read; without it the portfolio is resolved, for the same 404 as before.
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), id);
  if (ec == std::errc() && ptr == ref.data() + ref.size()) {
    if (auto cached = store.results().get(cx.actor.tenant, id, kLastVar)) return cached;
  }
  const auto p = resolve_portfolio(cx, ref);
  return store.results().get(cx.actor.tenant, p.id, kLastVar);
}

PortfolioRun<RiskVarResult> run_var(const Context& cx, RiskVarRequest request) {
  PortfolioRun<RiskVarResult> run;
  const auto p = stored_portfolio(cx, request.inputs.source);
  // A stored book valued on other prices (a prices file) is a what-if of its own: computed only.
  const auto& source = request.inputs.source;
  if (!p || source.prices_file || source.loaded_prices) {
    run.result = risk_var(cx, request);
    if (p) run.result->portfolio_id = p->id;
    return run;
  }
  // The cost from the stored book's size (keel/service/admission.h): over a limit is refused here,
  // over the foreground's runs as a job.
  const Placement placed = admit(cx, var_cost(request.methods, request.var, request.window, {p->positions, p->options}));
  // Without a job queue (the keel command, Python) every run is computed here.
  if (cx.jobs != nullptr && (var_runs_in_background(request) || placed == Placement::kBackground)) {
    run.job = queue_job(cx, "risk.var", portfolio_job_request(p->id, request));
    return run;
  }
  run.result = risk_var(cx, request);
  keep_last_var(cx, p->id, *run.result);
  return run;
}

PortfolioRun<RiskBacktestResult> run_backtest(const Context& cx, RiskBacktestRequest request) {
  PortfolioRun<RiskBacktestResult> run;
  const auto p = stored_portfolio(cx, request.inputs.source);
  if (p && request.async && cx.jobs != nullptr) {
    run.job = queue_job(cx, "risk.backtest", portfolio_job_request(p->id, request));
    return run;
  }
  run.result = risk_backtest(cx, request);
  if (p) run.result->portfolio_id = p->id;
  return run;
}

nlohmann::json run_backtest_job(const Context& cx, JobSteps& steps, const nlohmann::json& request) {
  steps.progress(0.05, "loading the book");
  const auto job = read_backtest_job(cx, request);
  steps.progress(0.2, "backtesting");
  auto out = risk_backtest(cx, job.request);
  out.portfolio_id = job.portfolio.id;
  return spec::to_json(out);
}

nlohmann::json run_batch_var_job(const Context& cx, JobSteps& steps, const nlohmann::json& request) {
  RiskVarRequest base;
  spec::read_json(job_options(request), base, "risk/var request");
  const auto portfolios = require_store(cx, "a batch reads stored portfolios").list_portfolios(cx.actor.tenant);
  nlohmann::json items = nlohmann::json::array();
  std::size_t ok = 0;
  for (std::size_t i = 0; i < portfolios.size(); ++i) {
    const auto& p = portfolios[i];
    steps.progress(static_cast<double>(i) / static_cast<double>(portfolios.size()),
                   fmt::format("portfolio {} of {}: {}", i + 1, portfolios.size(), p.name));
    nlohmann::json item = {{"id", p.id}, {"name", p.name}};
    try {
      auto req = base;
      req.inputs.source.portfolio = p.name;
      auto result = risk_var(cx, req);
      item["result"] = keep_last_var(cx, p.id, result);
      ++ok;
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kInternal) throw;
      item["error"] = {{"code", error_code_name(e.code())}, {"message", e.what()}, {"details", e.details()}};
    }
    items.push_back(item);
  }
  steps.progress(1.0, "done");
  return {{"portfolios", items}, {"succeeded", ok}, {"failed", portfolios.size() - ok}};
}

namespace {

// Each job thread keeps the inputs of the last VaR run it computed paths of: the next shard of the
// same run (same tenant, options, pinned date and fingerprint) skips loading the book and prices
// and factoring the covariance. A run whose inputs changed has another fingerprint, hence another
// key. The thread that splits a run leaves its inputs here for the first shard it takes.
std::pair<std::string, std::shared_ptr<VarPathSource>>& var_sources() {
  thread_local std::pair<std::string, std::shared_ptr<VarPathSource>> last;
  return last;
}

// A shard's request without its range: the same for every shard of one run.
std::string var_source_key(const std::string& tenant, const nlohmann::json& shard_request) {
  nlohmann::json run = shard_request;
  run.erase("first");
  run.erase("last");
  return tenant + "\n" + run.dump();
}

bool asks_monte_carlo(const RiskVarRequest& req) {
  return std::find(req.methods.begin(), req.methods.end(), risk::VarMethod::kMonteCarlo) != req.methods.end();
}

// A risk.var job whose Monte Carlo is larger than a shard: split on the first claim (the inputs'
// as-of date pinned for every shard, their fingerprint passed along), reduced on the claim after
// the last shard.
RiskVarResult run_var_sharded(const Context& cx, JobSteps& steps, const PortfolioJob<RiskVarRequest>& job,
                              std::int64_t per_shard) {
  const auto& req = job.request;
  const auto paths = static_cast<std::int64_t>(req.var.monte_carlo.paths);
  if (steps.shard_count() == 0) {
    steps.progress(0.02, "checking the inputs");
    // The inputs load here: their as-of date and fingerprint pin the shards.
    auto source = std::make_shared<VarPathSource>(cx, req);
    auto pinned = req;
    pinned.inputs.source.as_of = Date::parse_or_throw(source->as_of(), "as_of");
    auto shards = shard_requests(portfolio_job_request(job.portfolio.id, pinned), paths, per_shard,
                                 source->fingerprint());
    var_sources() = {var_source_key(steps.job_tenant(), shards.front()), std::move(source)};
    steps.split("risk.var.shard", shards);
  }
  steps.progress(std::max(0.95, steps.progress_so_far()), fmt::format("reducing {} shards", steps.shard_count()));
  std::uint64_t fingerprint = 0;
  nlohmann::json first;
  const auto outputs = gather_shard_outputs(steps, paths, &fingerprint, &first);
  std::vector<risk::PathSummary> parts;
  parts.reserve(outputs.size());
  for (const auto& o : outputs) parts.push_back(risk::path_summary_from_bytes(o.bytes));
  // The inputs the shards saw: the as-of date they were pinned to. When this thread computed a
  // shard of the run it still holds them (same request, same fingerprint): no second load and
  // factorisation.
  auto pinned = req;
  pinned.inputs.source.as_of = Date::parse_or_throw(first.at("options").at("as_of").get<std::string>());
  const auto& held = var_sources();
  if (held.second && held.first == var_source_key(steps.job_tenant(), first) && held.second->fingerprint() == fingerprint) {
    return held.second->reduce(pinned, fingerprint, parts);
  }
  return risk_var_reduce(cx, pinned, fingerprint, parts);
}

}  // namespace

// A risk.var job: its request read once (the typed request the use case queued), computed in
// shards when its Monte Carlo is larger than one, and kept as the portfolio's last VaR.
nlohmann::json run_var_job(const Context& cx, JobSteps& steps, const nlohmann::json& request, std::size_t shard_paths) {
  const bool reducing = steps.shard_count() > 0;  // progress is at 0.95 already: never backwards
  if (!reducing) steps.progress(0.05, "loading the book");
  const auto job = read_var_job(cx, request);
  if (!reducing) steps.progress(0.2, "computing VaR");
  const bool sharded =
      (shard_paths > 0 && asks_monte_carlo(job.request) && job.request.var.monte_carlo.paths > shard_paths) || reducing;
  auto result = sharded ? run_var_sharded(cx, steps, job, static_cast<std::int64_t>(shard_paths))
                        : risk_var(cx, job.request);
  steps.check();
  return keep_last_var(cx, job.portfolio.id, result);
}

nlohmann::json run_var_shard_job(const Context& cx, JobSteps& steps, const nlohmann::json& request) {
  auto& last = var_sources();
  const std::string key = var_source_key(steps.job_tenant(), request);
  if (!last.second || last.first != key) {
    last = {};  // free the previous run's inputs first
    const auto job = read_var_job(cx, request);
    last = {key, std::make_shared<VarPathSource>(cx, job.request)};
  }
  const auto source = last.second;
  return run_shard(steps, request, [&](ShardRange range, const ShardProgress& progress) {
    const auto shard = source->paths(range, progress);
    return ShardBytes{shard.fingerprint, risk::path_summary_to_bytes(shard.summary)};
  });
}


}  // namespace keel::service
