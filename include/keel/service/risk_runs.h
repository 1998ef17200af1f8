// keel/service/risk_runs.h: the VaR and backtest use cases — one each, called by every face — run
// in the foreground, or as a background job when the client asks (`async`) or the run is large;
// their jobs; and the portfolio's last VaR, kept for GET /api/v1/portfolios/{id}/risk/var.
//
// The policy lives here, not in a face: a VaR whose Monte Carlo asks for more than
// kForegroundMonteCarloPaths paths runs as a job. A job's request is the typed request written by
// its description (spec::to_request_json) with the portfolio's id:
//   {"portfolio": ID, "options": {..every HTTP field of the request..}}
// so the client's body is parsed once, when it arrives, and the worker reads the stored form once
// per claim. docs/server.md lists the kinds and their requests.
//
// Thread-safety: as the Context's store.
#pragma once

#include <cstdint>
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

// What a run gives: its result, or the job that will compute it.
template <class Result>
struct PortfolioRun {
  std::optional<Result> result;
  std::optional<JobView> job;
};

// The VaR use case, which every face calls (`keel risk var`, POST /api/v1/portfolios/{id}/risk/var,
// Python's Store.var, the assistant's risk_var tool); only compositions that value a changed book
// (what-if, the report) compute VaR without it.
//
// On a stored portfolio valued on the store's prices (request.inputs.source.portfolio, its id or
// its name, in the actor's tenant): the compute permission is checked, the cost admitted (over a
// limit refused), and the result computed and kept as the portfolio's last VaR, or queued as a
// risk.var job (Context::jobs) when var_runs_in_background or admitted to the background; without
// a job queue (the keel command, Python) always computed. GET .../risk/var shows any face's last
// run. On a book from files or given in memory: computed and returned, nothing kept.
// Throws keel::Error: invalid_input for bad options, an empty portfolio, missing prices or too
// little history (naming the symbols); as resolve_portfolio; as queue_job for a job.
PortfolioRun<RiskVarResult> run_var(const Context& cx, RiskVarRequest request);
// The backtest use case, the same way (`keel risk backtest`, POST .../risk/backtest): a job
// (risk.backtest) only when asked (async); nothing is kept.
PortfolioRun<RiskBacktestResult> run_backtest(const Context& cx, RiskBacktestRequest request);

// A risk.var or risk.backtest job's request (`kind`) as a client posts it to POST /api/v1/jobs
// ({"portfolio": ID or name, "options": {..the route's body..}}), checked as it arrives and
// returned in the form the job stores: the portfolio by id, every field of the request written.
// invalid_input naming the field ("request.portfolio", "request.options.window"); not_found for a
// portfolio that is not the tenant's.
nlohmann::json portfolio_risk_job_request(const Context& cx, std::string_view kind, const nlohmann::json& request);

// The last VaR kept for the actor's tenant's portfolio `ref`: its JSON text and when it was
// computed; nullopt when none was. Throws as resolve_portfolio.
std::optional<store::CachedResult> last_var(const Context& cx, std::string_view ref);

class JobSteps;  // keel/service/job_steps.h

// A risk.var job, as any runner of the store runs it (`steps` its job): the request read once,
// computed at once, or in shards of `shard_paths` Monte Carlo paths when it asks for more (0:
// never), and kept as the portfolio's last VaR, which it returns. A sharded run splits on its
// first claim (the inputs loaded here, their as-of date and fingerprint pinned for every shard)
// and reduces on the claim after its last shard. Each runner thread keeps the inputs of the last
// run whose paths it computed: the next shard of that run, and a reduce on that thread, neither
// load the book nor factor the covariance again.
nlohmann::json run_var_job(const Context& cx, JobSteps& steps, const nlohmann::json& request, std::size_t shard_paths);
// A risk.var.shard job: the summary of its range's paths (risk::PathSummary) as its output.
nlohmann::json run_var_shard_job(const Context& cx, JobSteps& steps, const nlohmann::json& request);
// A risk.backtest job: the backtest of its request's portfolio.
nlohmann::json run_backtest_job(const Context& cx, JobSteps& steps, const nlohmann::json& request);
// A batch.var job ({"options": {..a risk/var body..}}): the request on every portfolio of the
// actor's tenant, each result kept as that portfolio's last VaR. A portfolio whose run fails on
// its input is reported with its error and the batch goes on; an internal error ends it. Returns
// {"portfolios": [{"id", "name", "result" | "error"}], "succeeded", "failed"}.
nlohmann::json run_batch_var_job(const Context& cx, JobSteps& steps, const nlohmann::json& request);

}  // namespace keel::service
