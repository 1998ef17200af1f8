// Risk of a stored portfolio: POST .../risk/var|backtest|correlation, GET .../risk/var (the cached
// last result), POST .../exposures and .../greeks. The body is the command's options as JSON.
// VaR runs inline unless {"async": true} or a Monte Carlo run of more than kAsyncPaths paths is
// asked for; then it is a job (202).
#include "app.h"
#include "job_kinds.h"
#include "requests.h"
#include "keel/service/exposures.h"
#include "keel/service/factors.h"
#include "keel/service/risk.h"

namespace keel::server {
namespace {

constexpr std::int64_t kAsyncPaths = 50000;

void risk_var(Call& c) {
  const auto body = c.json_body();
  const auto p = resolve_portfolio(c.store(), c.tenant(), c.param("id"));
  const auto req = var_request_from_json(body, c.tenant(), p.name);
  bool mc = false;
  for (auto m : req.methods) mc = mc || m == risk::VarMethod::kMonteCarlo;
  const bool async = req.async || (mc && req.var.monte_carlo.paths > static_cast<std::size_t>(kAsyncPaths));
  if (async) {
    nlohmann::json options = body;
    options.erase("async");
    enqueue_job(c, "risk.var", {{"portfolio", p.id}, {"options", options}});
    return;
  }
  auto result = service::risk_var(c.service(), req);
  result.portfolio_id = p.id;
  const auto out = spec::to_json(result);
  c.store().results().put(c.tenant(), p.id, "var", out.dump());
  c.send(200, out);
}

void cached_var(Call& c) {
  const auto p = resolve_portfolio(c.store(), c.tenant(), c.param("id"));
  const auto cached = c.app.timed_store("cache_get", [&] {
    return c.store().results().get(c.tenant(), p.id, "var");
  });
  if (!cached) throw Error::not_found("no VaR computed yet for portfolio " + std::to_string(p.id));
  c.res.status = 200;
  c.res.set_header("Last-Modified-Keel", cached->computed_at);
  c.res.set_content(cached->result, "application/json");
}

void risk_backtest(Call& c) {
  const auto body = c.json_body();
  const auto p = resolve_portfolio(c.store(), c.tenant(), c.param("id"));
  const auto req = backtest_request_from_json(body, c.tenant(), p.name);
  if (req.async) {
    nlohmann::json options = body;
    options.erase("async");
    enqueue_job(c, "risk.backtest", {{"portfolio", p.id}, {"options", options}});
    return;
  }
  auto out = service::risk_backtest(c.service(), req);
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

void risk_correlation(Call& c) {
  const auto body = c.json_body();
  const auto p = resolve_portfolio(c.store(), c.tenant(), c.param("id"));
  auto out = service::risk_correlation(c.service(), correlation_request_from_json(body, c.tenant(), p.name));
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

void exposures(Call& c) {
  const auto body = c.json_body();
  const auto p = resolve_portfolio(c.store(), c.tenant(), c.param("id"));
  auto out = service::book_exposures(c.service(), exposures_request_from_json(body, c.tenant(), p.name));
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

void greeks(Call& c) {
  const auto body = c.json_body();
  const auto p = resolve_portfolio(c.store(), c.tenant(), c.param("id"));
  auto out = service::option_greeks(c.service(), greeks_request_from_json(body, c.tenant(), p.name));
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

// Factor data over HTTP comes from a set imported into the store (`keel import factors --set`),
// never from a server file: the file fields are CLI-only in the requests' descriptions.
void risk_factors(Call& c) {
  const auto body = c.json_body();
  const auto p = resolve_portfolio(c.store(), c.tenant(), c.param("id"));
  auto out = service::risk_factors(c.service(), factors_request_from_json(body, c.tenant(), p.name));
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

void risk_stress(Call& c) {
  const auto body = c.json_body();
  const auto p = resolve_portfolio(c.store(), c.tenant(), c.param("id"));
  auto out = service::risk_stress(c.service(), stress_request_from_json(body, c.tenant(), p.name));
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

}  // namespace

void add_risk_routes(App& app) {
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/risk/factors",
                          "Factor betas (OLS on a factor set stored with keel import factors --set)", "risk",
                          Permission::kCompute, risk_factors, "json"}
                    .takes<service::FactorsRequest>()
                    .returns<service::FactorsResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/risk/stress",
                          "Stress scenarios (scenario: name, list or all; shock: user factor shocks)", "risk",
                          Permission::kCompute, risk_stress, "json"}
                    .takes<service::StressRequest>()
                    .returns<service::StressResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/risk/var",
                          "VaR/ES (keel risk var options as JSON; async or large Monte Carlo -> 202 job)", "risk",
                          Permission::kCompute, risk_var, "json"}
                    .takes<service::RiskVarRequest>()
                    .returns<service::RiskVarResult>()
                    .returns<JobView>(202));
  app.add_route(RouteSpec{"GET", "/api/v1/portfolios/{id}/risk/var", "The last VaR result computed for the portfolio",
                          "risk", Permission::kRead, cached_var}
                    .returns<service::RiskVarResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/risk/backtest",
                          "VaR backtest (Kupiec, Christoffersen, zone; async -> 202 job)", "risk",
                          Permission::kCompute, risk_backtest, "json"}
                    .takes<service::RiskBacktestRequest>()
                    .returns<service::RiskBacktestResult>()
                    .returns<JobView>(202));
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/risk/correlation",
                          "Correlation matrix of the positions' drivers, with diversification figures", "risk",
                          Permission::kCompute, risk_correlation, "json"}
                    .takes<service::RiskCorrelationRequest>()
                    .returns<service::RiskCorrelationResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/exposures",
                          "Gross/net/long/short and grouped exposures (by)", "risk", Permission::kCompute, exposures,
                          "json"}
                    .takes<service::ExposuresRequest>()
                    .returns<service::ExposuresResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/greeks", "Per-position option Greeks and book totals",
                          "risk", Permission::kCompute, greeks, "json"}
                    .takes<service::OptionGreeksRequest>()
                    .returns<service::OptionGreeksResult>());
}

}  // namespace keel::server
