// src/server/job_kinds.h (private): the kinds of background job the server runs, and how a route
// enqueues one (202 + the job's JSON).
//
// Kinds (request JSON -> result JSON, both documented in docs/server.md):
//   risk.var       {"portfolio": id, "options": {..POST risk/var body..}} -> the risk/var JSON
//   risk.backtest  {"portfolio": id, "options": {..}}                      -> the risk/backtest JSON
//   batch.var      {"options": {..}}  VaR of every portfolio of the tenant, progress per portfolio
//   plan.retire    {"options": {..POST plan/retire body..}}                -> the plan retire JSON
//   plan.sensitivity {"options": {"vary","values",..plan/retire body..}}   -> the plan sensitivity JSON
//   clo.montecarlo {"options": {..POST clo/montecarlo body..}} -> the clo montecarlo JSON (clo_routes.cpp)
//   clo.deal.montecarlo {"deal": id, "options": {..}} -> the same on a stored deal's version
//   batch.run      {"portfolios": [ids]|absent, "as_of"} -> the run_batch JSON (report_routes.cpp)
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "keel/store/job_repository.h"
#include "resources.h"

namespace keel::server {

class App;
class Call;

void register_job_kinds(App& app);
// Validates `request` for `kind` (Error::invalid_input naming the field; unknown kind), enqueues
// it for the caller's tenant, audits "job.create" and answers 202 with the job.
void enqueue_job(Call& call, const std::string& kind, const nlohmann::json& request);
// The job as its routes answer it (schema Job).
JobView job_view(const store::JobRecord& job);

// The request of a batch.run job, checked before it is queued: {"portfolios": [ids or names] |
// absent/null (every portfolio), "as_of"} -> the same with the portfolios as names (what the job
// reads). invalid_input naming the field; not_found listing unknown portfolios (report_routes.cpp).
nlohmann::json batch_run_job_request(Call& call, const nlohmann::json& request);
// The request of a clo.montecarlo job, {"options": {..POST clo/montecarlo body..}}, checked (the
// body's fields and the deal) before it is queued; invalid_input naming the field (clo_routes.cpp).
void check_clo_montecarlo_job_request(const nlohmann::json& request);
// The request of a clo.deal.montecarlo job, {"deal": id, "options": {..POST clo/deals/{id}/montecarlo
// body..}}, checked (the fields, the caller's deal and version) before it is queued (clo_routes.cpp).
void check_clo_deal_montecarlo_job_request(Call& call, const nlohmann::json& request);

}  // namespace keel::server
