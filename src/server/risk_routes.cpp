// Risk of a stored portfolio: POST .../risk/var|backtest|correlation, GET .../risk/var (the cached
// last result), POST .../exposures and .../greeks. The body is the command's options as JSON.
// VaR runs inline unless {"async": true} or a large Monte Carlo run is asked for; then it is a job
// (202): keel/service/risk_runs.h decides.
#include <fmt/format.h>

#include "app.h"
#include "query.h"
#include "job_kinds.h"
#include "requests.h"
#include "keel/service/exposures.h"
#include "keel/service/factor_attribution.h"
#include "keel/service/factors.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/reference_data.h"
#include "keel/service/risk.h"
#include "keel/service/risk_runs.h"

namespace keel::server {
namespace {

// A read of the path's portfolio: the body parsed once into the request naming it, the use case
// run, the result sent with the portfolio's id.
template <class Parse, class Run>
void portfolio_read(Call& c, Parse parse, Run run) {
  const auto body = c.json_body();
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  auto out = run(c.service(), parse(body, p.name));
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

// POST .../risk/var: the use case decides whether it runs now or as a job (keel/service/risk_runs.h).
void risk_var(Call& c) {
  const auto run = service::run_var(c.service(), var_request_from_json(c.json_body(), c.param("id")));
  if (run.job) return send_job(c, *run.job);
  c.send(200, spec::to_json(*run.result));
}

void cached_var(Call& c) {
  const auto cached = c.app.timed_store("cache_get", [&] { return service::last_var(c.service(), c.param("id")); });
  if (!cached) throw Error::not_found(fmt::format("no VaR computed yet for portfolio {}", c.param("id")));
  c.res.status = 200;
  c.res.set_header("Last-Modified-Keel", cached->computed_at);
  c.res.set_content(cached->result, "application/json");
}

void risk_backtest(Call& c) {
  const auto run =
      service::run_backtest(c.service(), backtest_request_from_json(c.json_body(), c.param("id")));
  if (run.job) return send_job(c, *run.job);
  c.send(200, spec::to_json(*run.result));
}

void risk_correlation(Call& c) { portfolio_read(c, correlation_request_from_json, service::risk_correlation); }

void exposures(Call& c) { portfolio_read(c, exposures_request_from_json, service::book_exposures); }

void greeks(Call& c) { portfolio_read(c, greeks_request_from_json, service::option_greeks); }

void health(Call& c) { portfolio_read(c, health_request_from_json, service::book_health); }

// Factor data over HTTP comes from a set imported into the store (`keel import factors --set`),
// never from a server file: the file fields are CLI-only in the requests' descriptions.
void risk_factors(Call& c) { portfolio_read(c, factors_request_from_json, service::risk_factors); }

// GET (the request as query parameters) or POST (as a JSON body): an attribution is a read.
void risk_attribution(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  service::FactorAttributionRequest req;
  if (c.req.method == "GET") {
    read_query(c, req, "risk/attribution request");
  } else {
    spec::read_json(c.json_body(), req, "risk/attribution request");
  }
  req.inputs.source.portfolio = p.name;  // the path's portfolio, never a field
  auto out = service::factor_attribution(c.service(), req);
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

void risk_stress(Call& c) { portfolio_read(c, stress_request_from_json, service::risk_stress); }

void scenarios(Call& c) { c.send(200, spec::to_json(service::stress_scenarios(c.service()))); }

void factor_sets(Call& c) { c.send(200, spec::to_json(service::factor_sets(c.service()))); }

void factor_correlation(Call& c) {
  auto req = c.query_as<service::FactorCorrelationRequest>("factor correlation request");
  req.set = c.param("name");
  c.send(200, spec::to_json(service::factor_correlation(c.service(), req)));
}

}  // namespace

void add_risk_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/api/v1/stress/scenarios",
                          "The stress scenario library: each scenario's window, factor shocks and daily path length",
                          "risk", Permission::kRead, scenarios}
                    .returns<service::ScenarioListResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/factor-sets", "The store's factor sets: factors and the dates covered", "risk",
                          Permission::kRead, factor_sets}
                    .returns<service::FactorSetsResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/factor-sets/{name}/correlation",
                          "A factor set's correlation matrix and volatilities over a window (?window= ?to=)", "risk",
                          Permission::kRead, factor_correlation}
                    .query<service::FactorCorrelationRequest>()
                    .returns<service::FactorCorrelationSetResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/risk/factors",
                          "Factor betas (OLS on a factor set stored with keel import factors --set)", "risk",
                          Permission::kCompute, risk_factors, "json"}
                    .takes<service::FactorsRequest>()
                    .returns<service::FactorsResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/portfolios/{id}/risk/attribution",
                          "Factor attribution of a period's P&L (from, to; betas over the window before from)", "risk",
                          service::kFactorAttribution, risk_attribution}
                    .query<service::FactorAttributionRequest>()
                    .returns<service::FactorAttributionResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/risk/attribution",
                          "Factor attribution of a period's P&L (the GET's parameters as a JSON body)", "risk",
                          service::kFactorAttribution, risk_attribution, "json"}
                    .takes<service::FactorAttributionRequest>()
                    .returns<service::FactorAttributionResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/risk/stress",
                          "Stress scenarios (scenario: name, list or all; shock: user factor shocks)", "risk",
                          Permission::kCompute, risk_stress, "json"}
                    .takes<service::StressRequest>()
                    .returns<service::StressResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/risk/var",
                          "VaR/ES (keel risk var options as JSON; async or large Monte Carlo -> 202 job)", "risk",
                          service::kPortfolioRiskRun, risk_var, "json"}
                    .takes<service::RiskVarRequest>()
                    .returns<service::RiskVarResult>()
                    .returns<JobView>(202));
  app.add_route(RouteSpec{"GET", "/api/v1/portfolios/{id}/risk/var", "The last VaR result computed for the portfolio",
                          "risk", Permission::kRead, cached_var}
                    .returns<service::RiskVarResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/risk/backtest",
                          "VaR backtest (Kupiec, Christoffersen, zone; async -> 202 job)", "risk",
                          service::kPortfolioRiskRun, risk_backtest, "json"}
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
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/health",
                          "Health checks of the book: concentration (a holding, the top five, a sector), unclassified, "
                          "foreign-currency and cash weights, stale prices, expiring options, unvalued positions; "
                          "each with its figure, limit and positions",
                          "risk", Permission::kCompute, health, "json"}
                    .takes<service::BookHealthRequest>()
                    .returns<service::BookHealthResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/greeks", "Per-position option Greeks and book totals",
                          "risk", Permission::kCompute, greeks, "json"}
                    .takes<service::OptionGreeksRequest>()
                    .returns<service::OptionGreeksResult>());
}

}  // namespace keel::server
