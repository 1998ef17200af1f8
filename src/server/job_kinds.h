// src/server/job_kinds.h (private): the kinds of background job the server runs, and how a route
// enqueues one (202 + the job's JSON).
//
// Kinds (request JSON -> result JSON, both documented in docs/server.md):
//   risk.var       {"portfolio": id, "options": {..POST risk/var body..}} -> the risk/var JSON
//   risk.backtest  {"portfolio": id, "options": {..}}                      -> the risk/backtest JSON
//   batch.var      {"options": {..}}  VaR of every portfolio of the tenant, progress per portfolio
//   plan.retire    {"options": {..POST plan/retire body..}}                -> the plan retire JSON
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "keel/store/job_repository.h"

namespace keel::server {

class App;
class Call;

void register_job_kinds(App& app);
// Validates `request` for `kind` (Error::invalid_input naming the field; unknown kind), enqueues
// it for the caller's tenant, audits "job.create" and answers 202 with the job.
void enqueue_job(Call& call, const std::string& kind, const nlohmann::json& request);
nlohmann::json job_json(const store::JobRecord& job);

}  // namespace keel::server
