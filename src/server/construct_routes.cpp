// Portfolio construction on a stored portfolio: POST .../optimize and .../optimize/frontier. The
// body is `keel optimize`'s options as JSON (keel/service/construct.h); the portfolio is the path's.
#include "app.h"
#include "keel/service/construct.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/rebalance.h"

namespace keel::server {
namespace {

template <class R>
R read_on_portfolio(Call& c, const std::string& portfolio, std::string_view what) {
  R r;
  spec::read_json(c.json_body(), r, what);
  r.inputs.inputs.source.portfolio = portfolio;
  return r;
}

void optimize(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  auto out = service::optimize(c.service(), read_on_portfolio<service::OptimizeRequest>(c, p.name, "optimize request"));
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

void frontier(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  auto out = service::optimize_frontier(
      c.service(), read_on_portfolio<service::OptimizeFrontierRequest>(c, p.name, "optimize/frontier request"));
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

void rebalance(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  service::RebalanceRequest r;
  spec::read_json(c.json_body(), r, "rebalance request");
  r.source.portfolio = p.name;
  c.send(200, spec::to_json(service::rebalance(c.service(), r)));
}

}  // namespace

void add_construct_routes(App& app) {
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/optimize",
                          "Portfolio construction over the portfolio's symbols (keel optimize options as JSON)",
                          "construction", Permission::kCompute, optimize, "json"}
                    .takes<service::OptimizeRequest>()
                    .returns<service::OptimizeResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/optimize/frontier",
                          "The efficient frontier over the portfolio's symbols (points, constraints)", "construction",
                          Permission::kCompute, frontier, "json"}
                    .takes<service::OptimizeFrontierRequest>()
                    .returns<service::OptimizeFrontierResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/rebalance",
                          "Trades from the portfolio's holdings to target weights (tax-aware on an account's lots)",
                          "construction", Permission::kCompute, rebalance, "json"}
                    .takes<service::RebalanceRequest>()
                    .returns<service::RebalanceResult>());
}

}  // namespace keel::server
