// src/server/job_kinds.h (private): the kinds of background job the server runs, and how a route
// enqueues one (202 + the job's JSON).
//
// Kinds (request JSON -> result JSON, both documented in docs/server.md):
//   risk.var       {"portfolio": id, "options": {..POST risk/var body..}} -> the risk/var JSON; kept
//                  as the typed request (keel/service/risk_runs.h), read once by the worker
//   risk.backtest  {"portfolio": id, "options": {..}}                      -> the risk/backtest JSON
//   batch.var      {"options": {..}}  VaR of every portfolio of the tenant, progress per portfolio
//   plan.retire    {"options": {..POST plan/retire body..}}                -> the plan retire JSON
//   plan.sensitivity {"options": {"vary","values",..plan/retire body..}}   -> the plan sensitivity JSON
//   clo.montecarlo {"options": {..POST clo/montecarlo body..}} -> the clo montecarlo JSON (clo_routes.cpp)
//   clo.deal.montecarlo {"deal": id, "options": {..}} -> the same on a stored deal's version
//   clo.deal.run   {"deal": id, "options": {..POST clo/deals/{id}/run body, version pinned..}} -> the
//                  clo run JSON of that version (a large pool, or async)
//   risk.var.shard, clo.montecarlo.shard  {..the parent's request.., "first", "last", "fingerprint"}
//                  -> {"first","last","fingerprint"} with the range's values as the row's output
//
// Sharding: a risk.var job whose Monte Carlo has more than ServerConfig::shard_paths paths (a
// clo.montecarlo job with more than shard_scenarios scenarios) splits itself into shards of that
// many on its first claim, and reduces them on the claim after the last shard ended
// (keel/service/sharding.h; docs/server.md "Background jobs").
//   batch.run      {"portfolios": [ids]|absent, "as_of"} -> the run_batch JSON (report_routes.cpp)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keel/service/jobs.h"
#include "keel/service/sharding.h"
#include "resources.h"

namespace keel::server {

class App;
class Call;
class JobContext;

void register_job_kinds(App& app);

// Validates `request` for `kind` (Error::invalid_input naming the field; unknown kind), queues it
// through service::queue_job (the caller's tenant; audited job.create) and answers 202 with the job.
void enqueue_job(Call& call, const std::string& kind, const nlohmann::json& request);
// The Context of a job's use case: the server's (its clock, key vault, outbound guard, job queue),
// acting for the user who queued the job, in that user's tenant, with client "job".
service::Context job_service(const App& app, JobContext& ctx);
// 202 with the job (schema Job) and its Location.
void send_job(Call& call, const service::JobView& job);

// The request of a batch.run job, checked before it is queued: {"portfolios": [ids or names] |
// absent/null (every portfolio), "as_of"} -> the same with the portfolios as names (what the job
// reads). invalid_input naming the field; not_found listing unknown portfolios (report_routes.cpp).
nlohmann::json batch_run_job_request(Call& call, const nlohmann::json& request);
// The request of a batch.backfill job (service::BackfillRequest), checked and admitted on its cost
// before it is queued -> the same with the portfolios as names (report_routes.cpp).
nlohmann::json batch_backfill_job_request(Call& call, const nlohmann::json& request);
// The request of a clo.montecarlo job, {"options": {..POST clo/montecarlo body..}}, checked (the
// body's fields and the deal) and admitted on its cost before it is queued; invalid_input naming
// the field, payload_too_large over the job limits (clo_routes.cpp).
void check_clo_montecarlo_job_request(Call& call, const nlohmann::json& request);
// The request of a clo.deal.montecarlo job, {"deal": id, "options": {..POST clo/deals/{id}/montecarlo
// body..}}, checked (the fields, the caller's deal and version) before it is queued (clo_routes.cpp).
void check_clo_deal_montecarlo_job_request(Call& call, const nlohmann::json& request);
// The request of a clo.deal.run job, {"deal": id, "options": {..POST clo/deals/{id}/run body..}},
// checked the same way (clo_routes.cpp).
void check_clo_deal_run_job_request(Call& call, const nlohmann::json& request);
// The request of a prices.fetch job (service::PricesFetchRequest), checked before it is queued: the
// caller may fetch, the server has a provider, the portfolio and account exist -> the request with
// their names (what the job reads) (macro_routes.cpp).
nlohmann::json prices_fetch_job_request(Call& call, const nlohmann::json& request);
// The request of a symbols.fetch job (service::SymbolsFetchRequest), checked the same way: the
// caller may fetch, the server's provider has reference data, the portfolio exists -> the request
// with its name (macro_routes.cpp).
nlohmann::json symbols_fetch_job_request(Call& call, const nlohmann::json& request);
// The requests of factors.fetch and fx.fetch jobs (service::FactorsFetchRequest, FxFetchRequest),
// checked the same way; an FX fetch's portfolio is stored as the currencies it needs
// (macro_routes.cpp).
nlohmann::json factors_fetch_job_request(Call& call, const nlohmann::json& request);
nlohmann::json fx_fetch_job_request(Call& call, const nlohmann::json& request);

}  // namespace keel::server
