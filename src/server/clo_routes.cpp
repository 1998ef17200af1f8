// CLO analytics over HTTP (the `keel clo` commands) on a deal sent inline as JSON (its collateral
// inline too: a request can never name a server file): POST /api/v1/clo/run, /api/v1/clo/tests,
// /api/v1/clo/grid and /api/v1/clo/montecarlo — a background job (202, kind "clo.montecarlo")
// when more than kInlineScenarios scenarios are asked for or {"async": true}.
#include <limits>

#include "app.h"
#include "job_kinds.h"
#include "requests.h"
#include "keel/server/jobs.h"
#include "keel/service/clo.h"

namespace keel::server {
namespace {

constexpr std::int64_t kInlineScenarios = 1000;

// The deal object of the body; problems go to `f`.
const nlohmann::json* deal_of(const nlohmann::json& body, Fields& f) {
  const auto deal = body.find("deal");
  if (deal == body.end() || !deal->is_object()) {
    f.fail("deal", "required: the deal JSON object");
    return nullptr;
  }
  if (auto col = deal->find("collateral"); col != deal->end() && col->is_string()) {
    f.fail("deal.collateral", "must be inline (an array): server files cannot be named over HTTP");
  }
  return &*deal;
}

// Parses a deal checked by deal_of (after the caller threw the field problems).
io::CloDealFile parse_deal(const nlohmann::json& deal) { return io::parse_clo_deal(deal.dump(), "deal", "/nonexistent"); }

service::CloScenarioRequest scenario_of(Fields& f) {
  service::CloScenarioRequest s;
  s.cdr = f.number("cdr");
  s.cpr = f.number("cpr");
  s.recovery = f.number("recovery");
  if (auto v = f.integer("recovery_lag", 0, 600)) s.recovery_lag_months = static_cast<int>(*v);
  return s;
}

void clo_run(Call& c) {
  const auto body = c.json_body();
  Fields f(body);
  const auto* deal = deal_of(body, f);
  const auto s = scenario_of(f);
  f.throw_if_errors("CLO request");
  const auto file = parse_deal(*deal);
  c.send(200, service::clo_run(file, s));
}

void clo_tests(Call& c) {
  const auto body = c.json_body();
  Fields f(body);
  const auto* deal = deal_of(body, f);
  const auto s = scenario_of(f);
  const auto as_of = f.date("as_of");
  f.throw_if_errors("CLO tests request");
  const auto file = parse_deal(*deal);
  c.send(200, service::clo_tests(file, s, as_of));
}

std::vector<double> numbers(Fields& f, const nlohmann::json& body, const std::string& name) {
  std::vector<double> out;
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return out;
  if (it->is_number()) return {it->get<double>()};
  if (!it->is_array()) {
    f.fail(name, "expected a number or an array of numbers");
    return out;
  }
  for (const auto& v : *it) {
    if (!v.is_number()) {
      f.fail(name, "expected a number or an array of numbers");
      return {};
    }
    out.push_back(v.get<double>());
  }
  return out;
}

void clo_grid(Call& c) {
  const auto body = c.json_body();
  Fields f(body);
  const auto* deal = deal_of(body, f);
  service::CloGridRequest req;
  req.cdr = numbers(f, body, "cdr");
  req.cpr = numbers(f, body, "cpr");
  req.recovery = numbers(f, body, "recovery");
  if (auto v = f.integer("recovery_lag", 0, 600)) req.recovery_lag_months = static_cast<int>(*v);
  f.throw_if_errors("CLO grid request");
  const auto file = parse_deal(*deal);
  c.send(200, service::clo_grid(file, req));
}

// The montecarlo body: deal, scenario overrides, scenarios, seed, correlation, confidence.
service::CloMonteCarloRequest montecarlo_request(const nlohmann::json& body, Fields& f) {
  service::CloMonteCarloRequest req;
  req.scenario = scenario_of(f);
  if (auto v = f.integer("scenarios", 1, 10000000)) req.scenarios = *v;
  if (auto v = f.integer("seed", 0, std::numeric_limits<std::int64_t>::max())) req.seed = static_cast<std::uint64_t>(*v);
  if (auto v = f.number("correlation")) req.correlation = *v;
  if (auto v = f.number("confidence")) req.confidence = *v;
  f.boolean("async");
  if (body.contains("industry_correlation")) {
    f.fail("industry_correlation", "a server file cannot be named over HTTP; use \"correlation\"");
  }
  return req;
}

nlohmann::json run_montecarlo(JobContext& ctx, const nlohmann::json& request) {
  const nlohmann::json body = request.value("options", nlohmann::json::object());
  Fields f(body);
  const auto* deal = deal_of(body, f);
  const auto req = montecarlo_request(body, f);
  f.throw_if_errors("CLO Monte Carlo request");
  ctx.progress(0.05, "simulating " + std::to_string(req.scenarios) + " scenarios");
  return service::clo_montecarlo(parse_deal(*deal), req);
}

void clo_montecarlo(Call& c) {
  const auto body = c.json_body();
  Fields f(body);
  const auto* deal = deal_of(body, f);
  const auto req = montecarlo_request(body, f);
  f.throw_if_errors("CLO Monte Carlo request");
  const auto file = parse_deal(*deal);  // a bad deal is a 400 now, not a failed job
  if (body.value("async", false) || req.scenarios > kInlineScenarios) {
    nlohmann::json options = body;
    options.erase("async");
    enqueue_job(c, "clo.montecarlo", {{"options", options}});
    return;
  }
  c.send(200, service::clo_montecarlo(file, req));
}

}  // namespace

void check_clo_montecarlo_job_request(const nlohmann::json& request) {
  const auto it = request.find("options");
  if (it == request.end() || !it->is_object()) {
    throw Error::invalid_input("invalid job request", {"request.options: required: the clo/montecarlo body (deal, ...)"});
  }
  Fields f(*it);
  const auto* deal = deal_of(*it, f);
  montecarlo_request(*it, f);
  f.throw_if_errors("CLO Monte Carlo request");
  parse_deal(*deal);
}

void add_clo_routes(App& app) {
  app.jobs->register_kind("clo.montecarlo", run_montecarlo);
  app.add_route({"POST", "/api/v1/clo/run", "CLO cash-flow projection and waterfall {deal, cdr, cpr, recovery}",
                 "clo", Permission::kCompute, clo_run, "json"});
  app.add_route({"POST", "/api/v1/clo/tests", "Collateral quality and coverage tests {deal, as_of, cdr, cpr, recovery}",
                 "clo", Permission::kCompute, clo_tests, "json"});
  app.add_route({"POST", "/api/v1/clo/grid", "Tranche IRR/WAL/loss over a CDR x CPR x recovery grid", "clo",
                 Permission::kCompute, clo_grid, "json"});
  app.add_route({"POST", "/api/v1/clo/montecarlo",
                 "Correlated-default Monte Carlo {deal, scenarios, seed, correlation} (> 1000 scenarios: a job, 202)",
                 "clo", Permission::kCompute, clo_montecarlo, "json"});
}

}  // namespace keel::server
