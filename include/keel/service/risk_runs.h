// keel/service/risk_runs.h: VaR and backtests of a stored portfolio as keel serve runs them — in
// the foreground, or as a background job when the client asks (`async`) or the run is large — and
// the portfolio's last VaR, kept for GET /api/v1/portfolios/{id}/risk/var.
//
// The policy lives here, not in a face: a VaR whose Monte Carlo asks for more than
// kForegroundMonteCarloPaths paths runs as a job. A job's request is the typed request written by
// its description (spec::to_request_json) with the portfolio's id:
//   {"portfolio": ID, "options": {..every HTTP field of the request..}}
// so the client's body is parsed once, when it arrives, and the worker reads the stored form once
// per claim (read_var_job). docs/server.md lists the kinds and their requests.
//
// Thread-safety: as the Context's store.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "keel/service/context.h"
#include "keel/service/jobs.h"
#include "keel/service/risk.h"
#include "keel/service/rules.h"
#include "keel/store/store.h"

namespace keel::service {

// Running risk on a stored portfolio: the compute permission (nothing changes, nothing is audited
// but a refusal; a job it queues is audited as job.create).
inline constexpr UseCase kPortfolioRiskRun{"run risk calculations", Permission::kCompute, ""};

// Monte Carlo runs above this many paths go to the background (202 and a job).
inline constexpr std::size_t kForegroundMonteCarloPaths = 50000;

// Whether `request` runs as a job: asked for (async), or a Monte Carlo run of more than
// kForegroundMonteCarloPaths paths.
bool var_runs_in_background(const RiskVarRequest& request);

// What a run on a stored portfolio gives: its result, or the job that will compute it.
template <class Result>
struct PortfolioRun {
  std::optional<Result> result;
  std::optional<JobView> job;
};

// VaR of the actor's tenant's portfolio request.inputs.source.portfolio (its id or its name; the
// request's tenant is the actor's): computed and kept as the portfolio's last VaR, or queued as a
// risk.var job (Context::jobs) when var_runs_in_background or admitted to the background; without
// a job queue (the keel command) always computed. `keel risk var --portfolio` and POST
// /api/v1/portfolios/{id}/risk/var are its faces, so GET .../risk/var shows either's last run.
// Throws as risk_var and resolve_portfolio; as queue_job for a job.
PortfolioRun<RiskVarResult> run_portfolio_var(const Context& cx, RiskVarRequest request);
// The same for a backtest; a job (risk.backtest) only when asked (async).
PortfolioRun<RiskBacktestResult> run_portfolio_backtest(const Context& cx, RiskBacktestRequest request);

// A risk.var or risk.backtest job's request: the portfolio's id and the request's HTTP fields.
template <class Request>
nlohmann::json portfolio_job_request(std::int64_t portfolio_id, const Request& request);

// A job's request read back: the portfolio (resolved in the actor's tenant) and the typed request
// on it. Error::invalid_input naming the field ("request.portfolio", "request.options.window") for
// a request that is not one; not_found for a portfolio that is gone.
template <class Request>
struct PortfolioJob {
  PortfolioSummary portfolio;
  Request request;
};
PortfolioJob<RiskVarRequest> read_var_job(const Context& cx, const nlohmann::json& job_request);
PortfolioJob<RiskBacktestRequest> read_backtest_job(const Context& cx, const nlohmann::json& job_request);

// Keeps `result` (its portfolio_id set) as the last VaR of portfolio `portfolio_id` of the actor's
// tenant, and returns it as JSON.
nlohmann::json keep_last_var(const Context& cx, std::int64_t portfolio_id, RiskVarResult& result);

// A batch.var job: `request` (its source's portfolio ignored) on every portfolio of the actor's
// tenant, each result kept as that portfolio's last VaR (keep_last_var). A portfolio whose run
// fails on its input is reported with its error and the batch goes on; an internal error ends it.
// `progress` is told the fraction done and what runs. Returns {"portfolios": [{"id", "name",
// "result" | "error"}], "succeeded", "failed"}.
nlohmann::json batch_var(const Context& cx, const RiskVarRequest& request,
                         const std::function<void(double fraction, const std::string& message)>& progress);

// The last VaR kept for the actor's tenant's portfolio `ref`: its JSON text and when it was
// computed; nullopt when none was. Throws as resolve_portfolio.
std::optional<store::CachedResult> last_var(const Context& cx, std::string_view ref);

class JobSteps;  // keel/service/job_steps.h

// A risk.var job, as any runner of the store runs it (`steps` its job): the request read once
// (read_var_job), computed at once, or in shards of `shard_paths` Monte Carlo paths when it asks
// for more (0: never), and kept as the portfolio's last VaR (keep_last_var), which it returns. A
// sharded run splits on its first claim (the inputs loaded here, their as-of date and fingerprint
// pinned for every shard) and reduces on the claim after its last shard. Each runner thread keeps
// the inputs of the last run whose paths it computed: the next shard of that run, and a reduce on
// that thread, neither load the book nor factor the covariance again.
nlohmann::json run_var_job(const Context& cx, JobSteps& steps, const nlohmann::json& request, std::size_t shard_paths);
// A risk.var.shard job: the summary of its range's paths (risk::PathSummary) as its output.
nlohmann::json run_var_shard_job(const Context& cx, JobSteps& steps, const nlohmann::json& request);

}  // namespace keel::service
