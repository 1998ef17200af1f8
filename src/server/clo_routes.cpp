// CLO analytics over HTTP (the `keel clo` commands) on a deal sent inline as JSON (its collateral
// inline too: a request can never name a server file): POST /api/v1/clo/run, /api/v1/clo/tests,
// /api/v1/clo/grid and /api/v1/clo/montecarlo — a background job (202, kind "clo.montecarlo")
// when more than kInlineScenarios scenarios are asked for or {"async": true}.
#include <algorithm>
#include <limits>

#include "app.h"
#include "job_kinds.h"
#include "requests.h"
#include "keel/server/jobs.h"
#include "keel/clo/simulation.h"
#include "keel/service/clo.h"
#include "keel/service/sharding.h"

namespace keel::server {
namespace {

constexpr std::int64_t kInlineScenarios = 1000;

// The body as a Req; a deal naming a collateral file is refused with the other problems.
template <class Req>
Req read_request(const nlohmann::json& body, std::string_view what) {
  std::vector<std::string> problems;
  if (body.is_object()) {
    const auto deal = body.find("deal");
    if (deal != body.end() && deal->is_object()) {
      if (auto col = deal->find("collateral"); col != deal->end() && col->is_string()) {
        problems.push_back("deal.collateral: must be inline (an array): server files cannot be named over HTTP");
      }
    }
  }
  Req r;
  try {
    spec::read_json(body, r, what);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput) throw;
    std::vector<std::string> all = e.details();
    all.insert(all.end(), problems.begin(), problems.end());
    throw Error::invalid_input(e.what(), all);
  }
  if (!problems.empty()) throw Error::invalid_input("invalid " + std::string(what), problems);
  return r;
}

void clo_run(Call& c) {
  const auto req = read_request<service::CloRunRequest>(c.json_body(), "CLO request");
  c.send(200, spec::to_json(service::clo_run(c.service(), req)));
}

void clo_tests(Call& c) {
  const auto req = read_request<service::CloTestsRequest>(c.json_body(), "CLO tests request");
  c.send(200, spec::to_json(service::clo_tests(c.service(), req)));
}

void clo_grid(Call& c) {
  const auto req = read_request<service::CloGridRequest>(c.json_body(), "CLO grid request");
  c.send(200, spec::to_json(service::clo_grid(c.service(), req)));
}

// Above `shard_scenarios` (0: never), the run is split into shards of scenarios on its first claim
// and reduced from every scenario's values on the claim after the last shard (job_kinds.h).
nlohmann::json run_montecarlo(JobContext& ctx, const nlohmann::json& request, const Env& env,
                              std::int64_t shard_scenarios) {
  const nlohmann::json body = request.value("options", nlohmann::json::object());
  const auto req = read_request<service::CloMonteCarloRequest>(body, "CLO Monte Carlo request");
  const bool sharded = (shard_scenarios > 0 && req.scenarios > shard_scenarios) || ctx.job().shards > 0;
  if (!sharded) {
    ctx.progress(0.05, "simulating " + std::to_string(req.scenarios) + " scenarios");
    return spec::to_json(service::clo_montecarlo({nullptr, env}, req));
  }
  if (ctx.job().shards == 0) {
    ctx.progress(0.02, "splitting " + std::to_string(req.scenarios) + " scenarios");
    ctx.split("clo.montecarlo.shard", shard_requests({{"options", body}}, req.scenarios, shard_scenarios, 0));
  }
  ctx.progress(std::max(0.95, ctx.job().progress), "reducing " + std::to_string(ctx.job().shards) + " shards");
  const clo::CloModel model(service::load_clo_deal({nullptr, env}, req.source).deal);
  std::uint64_t fingerprint = 0;
  nlohmann::json first;
  const auto values = gather_shards(ctx, req.scenarios, clo::scenario_value_count(model), &fingerprint, &first);
  return spec::to_json(service::clo_montecarlo_reduce({nullptr, env}, req, values));
}

nlohmann::json run_montecarlo_shard(JobContext& ctx, const nlohmann::json& request, const Env& env) {
  const nlohmann::json body = request.value("options", nlohmann::json::object());
  const auto req = read_request<service::CloMonteCarloRequest>(body, "CLO Monte Carlo request");
  return run_shard(ctx, request, [&](service::ShardRange range, const service::ShardProgress& progress) {
    return service::clo_montecarlo_scenarios({nullptr, env}, req, range, progress);
  });
}

void clo_montecarlo(Call& c) {
  const auto body = c.json_body();
  const auto req = read_request<service::CloMonteCarloRequest>(body, "CLO Monte Carlo request");
  service::load_clo_deal(c.service(), req.source);  // a bad deal is a 400 now, not a failed job
  if (req.async || req.scenarios > kInlineScenarios) {
    nlohmann::json options = body;
    options.erase("async");
    enqueue_job(c, "clo.montecarlo", {{"options", options}});
    return;
  }
  c.send(200, spec::to_json(service::clo_montecarlo(c.service(), req)));
}

}  // namespace

void check_clo_montecarlo_job_request(const nlohmann::json& request) {
  const auto it = request.find("options");
  if (it == request.end() || !it->is_object()) {
    throw Error::invalid_input("invalid job request", {"request.options: required: the clo/montecarlo body (deal, ...)"});
  }
  const auto req = read_request<service::CloMonteCarloRequest>(*it, "CLO Monte Carlo request");
  service::load_clo_deal({nullptr, server_env()}, req.source);
}

void add_clo_routes(App& app) {
  using namespace service;
  app.jobs->register_kind("clo.montecarlo", [&app](JobContext& ctx, const nlohmann::json& request) {
    return run_montecarlo(ctx, request, app.env(), app.config.shard_scenarios);
  });
  app.jobs->register_kind("clo.montecarlo.shard", [&app](JobContext& ctx, const nlohmann::json& request) {
    return run_montecarlo_shard(ctx, request, app.env());
  });
  app.add_route(RouteSpec{"POST", "/api/v1/clo/run", "CLO cash-flow projection and waterfall {deal, cdr, cpr, recovery}",
                          "clo", Permission::kCompute, clo_run, "json"}
                    .takes<CloRunRequest>()
                    .returns<CloRunResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/tests",
                          "Collateral quality and coverage tests {deal, as_of, cdr, cpr, recovery}", "clo",
                          Permission::kCompute, clo_tests, "json"}
                    .takes<CloTestsRequest>()
                    .returns<CloTestsResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/grid", "Tranche IRR/WAL/loss over a CDR x CPR x recovery grid", "clo",
                          Permission::kCompute, clo_grid, "json"}
                    .takes<CloGridRequest>()
                    .returns<CloGridResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/montecarlo",
                          "Correlated-default Monte Carlo {deal, scenarios, seed, correlation} (> 1000 scenarios: a "
                          "job, 202)",
                          "clo", Permission::kCompute, clo_montecarlo, "json"}
                    .takes<CloMonteCarloRequest>()
                    .returns<CloMonteCarloResult>()
                    .returns<JobView>(202));
}

}  // namespace keel::server
