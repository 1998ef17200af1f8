#include "keel/service/risk_runs.h"
#include "keel/service/changes.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "keel/core/error.h"
#include "keel/service/jobs.h"
#include "keel/service/portfolio_view.h"

namespace keel::service {
namespace {

constexpr const char* kLastVar = "var";  // the result cache's kind for a portfolio's last VaR

// The stored portfolio a request names (id or name), resolved in the actor's tenant; the request's
// book source then points at it by name, in that tenant.
PortfolioSummary point_at_portfolio(const Context& cx, BookSource& source) {
  if (!source.portfolio) throw Error::usage("a run on a stored portfolio names the portfolio");
  auto p = resolve_portfolio(cx, *source.portfolio);
  source.portfolio = p.name;
  return p;
}

std::string portfolio_of(const nlohmann::json& job_request) {
  const auto it = job_request.find("portfolio");
  if (it == job_request.end()) throw Error::invalid_input("invalid job request", {"request.portfolio: required"});
  if (it->is_number_integer()) return fmt::format("{}", it->get<std::int64_t>());
  if (it->is_string()) return it->get<std::string>();
  throw Error::invalid_input("invalid job request", {"request.portfolio: expected an id or a name"});
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

}  // namespace

bool var_runs_in_background(const RiskVarRequest& request) {
  const bool monte_carlo = std::find(request.methods.begin(), request.methods.end(), risk::VarMethod::kMonteCarlo) !=
                           request.methods.end();
  return request.async || (monte_carlo && request.var.monte_carlo.paths > kForegroundMonteCarloPaths);
}

template <class Request>
nlohmann::json portfolio_job_request(std::int64_t portfolio_id, const Request& request) {
  Request kept = request;
  kept.async = false;  // the job is the background run: its request is the run itself
  return {{"portfolio", portfolio_id}, {"options", spec::to_request_json(kept)}};
}
template nlohmann::json portfolio_job_request(std::int64_t, const RiskVarRequest&);
template nlohmann::json portfolio_job_request(std::int64_t, const RiskBacktestRequest&);

PortfolioJob<RiskVarRequest> read_var_job(const Context& cx, const nlohmann::json& job_request) {
  return read_portfolio_job<RiskVarRequest>(cx, job_request, "risk/var request");
}

PortfolioJob<RiskBacktestRequest> read_backtest_job(const Context& cx, const nlohmann::json& job_request) {
  return read_portfolio_job<RiskBacktestRequest>(cx, job_request, "risk/backtest request");
}

nlohmann::json keep_last_var(const Context& cx, std::int64_t portfolio_id, RiskVarResult& result) {
  result.portfolio_id = portfolio_id;
  auto out = spec::to_json(result);
  require_store(cx, "a VaR result is kept").results().put(cx.actor.tenant, portfolio_id, kLastVar, out.dump());
  portfolio_changed(cx, portfolio_id, result.portfolio, "var");
  return out;
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

PortfolioRun<RiskVarResult> run_portfolio_var(const Context& cx, RiskVarRequest request) {
  authorize(cx, kPortfolioRiskRun, fmt::format("portfolio/{}", request.inputs.source.portfolio.value_or("")));
  const auto p = point_at_portfolio(cx, request.inputs.source);
  PortfolioRun<RiskVarResult> run;
  // The cost from the stored book's size (keel/service/admission.h): over a limit is refused here,
  // over the foreground's runs as a job.
  const Placement placed = admit(cx, var_cost(request.methods, request.var, request.window, {p.positions, p.options}));
  // Without a job queue (the keel command) every run is computed here, as the command always did.
  if (cx.jobs != nullptr && (var_runs_in_background(request) || placed == Placement::kBackground)) {
    run.job = queue_job(cx, "risk.var", portfolio_job_request(p.id, request));
    return run;
  }
  run.result = risk_var(cx, request);
  keep_last_var(cx, p.id, *run.result);
  return run;
}

PortfolioRun<RiskBacktestResult> run_portfolio_backtest(const Context& cx, RiskBacktestRequest request) {
  authorize(cx, kPortfolioRiskRun, fmt::format("portfolio/{}", request.inputs.source.portfolio.value_or("")));
  const auto p = point_at_portfolio(cx, request.inputs.source);
  PortfolioRun<RiskBacktestResult> run;
  if (request.async) {
    run.job = queue_job(cx, "risk.backtest", portfolio_job_request(p.id, request));
    return run;
  }
  run.result = risk_backtest(cx, request);
  run.result->portfolio_id = p.id;
  return run;
}

nlohmann::json batch_var(const Context& cx, const RiskVarRequest& request,
                         const std::function<void(double fraction, const std::string& message)>& progress) {
  RiskVarRequest base = request;
  const auto portfolios = require_store(cx, "a batch reads stored portfolios").list_portfolios(cx.actor.tenant);
  nlohmann::json items = nlohmann::json::array();
  std::size_t ok = 0;
  for (std::size_t i = 0; i < portfolios.size(); ++i) {
    const auto& p = portfolios[i];
    progress(static_cast<double>(i) / static_cast<double>(portfolios.size()),
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
  progress(1.0, "done");
  return {{"portfolios", items}, {"succeeded", ok}, {"failed", portfolios.size() - ok}};
}

}  // namespace keel::service
