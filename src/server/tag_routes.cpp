// Tags and strategies of the caller's tenant: the tag registry (GET/POST /api/v1/tags, DELETE
// /api/v1/tags/{name}), tags on positions (POST/DELETE /api/v1/portfolios/{id}/positions/tags
// {"symbols":[..],"tag":"x"}), strategies (PUT /api/v1/portfolios/{id}/positions/strategy
// {"symbols":[..],"strategy":"x"}; GET /api/v1/portfolios/{id}/strategies = the exposures of
// `keel exposures --by strategy` plus each strategy's symbols). Positions keep their ';'-separated
// `tags` column as the source of truth. The use cases (keel/service/tags.h) check the permission and
// write the audit row; the routes parse, call one and answer.
#include <map>

#include "app.h"
#include "portfolio_call.h"
#include "query.h"
#include "requests.h"
#include "keel/service/exposures.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/tags.h"

namespace keel::server {
namespace {

// ?as_of= ?rate= ?div= ?vol_window= of GET .../strategies (the valuation inputs of the exposures).
struct StrategiesQuery {
  std::optional<Date> as_of;
  double rate = 0.0;
  double div = 0.0;
  std::size_t vol_window = options::kDefaultVolWindow;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "Valuation date (default: the latest price date)"}, s.as_of);
    v.field({.name = "rate", .help = "Risk-free rate for options", .unit = "decimal per year"}, s.rate);
    v.field({.name = "div", .help = "Dividend yield for options", .unit = "decimal per year"}, s.div);
    v.field({.name = "vol_window", .help = "Returns in the historical volatility window", .unit = "trading days",
             .min = 2, .max = 100000},
            s.vol_window);
  }
};

void list_tags(Call& c) {
  const auto q = c.query_as<PageQuery>("tag list parameters");
  c.send(200, spec::to_json(page_of(q, service::list_tags(c.service()), "t")));
}

void create_tag(Call& c) {
  service::TagCreateRequest req;
  spec::read_json(c.json_body(), req, "tag");
  c.send(201, spec::to_json(service::create_tag(c.service(), req)));
}

void delete_tag(Call& c) {
  c.send(200, spec::to_json(service::delete_tag(c.service(), c.param("name"))));
}

void tag_positions(Call& c, bool attach) {
  portfolio_json_call<service::TagPositionsRequest>(c, "tag request", service::tag_positions,
                                                    [&](service::TagPositionsRequest& req) { req.attach = attach; });
}

void attach_tag(Call& c) { tag_positions(c, true); }
void detach_tag(Call& c) { tag_positions(c, false); }

void set_strategy(Call& c) {
  portfolio_json_call<service::StrategyRequest>(c, "strategy request", service::set_strategy);
}

// The exposures JSON grouped by strategy (as_of, rate, div, vol_window as query parameters),
// with "strategies": [{"strategy", "symbols"}] naming each group's positions.
void strategies(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  const auto q = c.query_as<StrategiesQuery>("strategies request");
  service::BookRiskRequest req;
  req.source.portfolio = p.name;
  req.source.as_of = q.as_of;
  req.rate = q.rate;
  req.div = q.div;
  req.vol_window = q.vol_window;
  const auto priced = service::price_book(c.service(), req);
  auto out = service::exposures_of(priced, exposures::GroupBy::kStrategy);
  std::map<std::string, std::vector<std::string>> members;
  for (const auto& pos : priced.book.positions) {
    members[pos.strategy.empty() ? "(none)" : pos.strategy].push_back(pos.symbol);
  }
  out.strategies.emplace();
  for (const auto& [name, symbols] : members) out.strategies->push_back({name, symbols});
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

}  // namespace

void add_tag_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/api/v1/tags", "The tenant's tag registry with usage counts", "tags",
                          Permission::kRead, list_tags}
                    .query<PageQuery>()
                    .returns<PageOf<service::TagResult>>());
  app.add_route(RouteSpec{"POST", "/api/v1/tags", "Register a tag {name, description}", "tags",
                          service::kTagCreate, create_tag, "json"}
                    .takes<service::TagCreateRequest>()
                    .returns<service::TagResult>(201));
  app.add_route(RouteSpec{"DELETE", "/api/v1/tags/{name}", "Unregister a tag and remove it from every position", "tags",
                          service::kTagDelete, delete_tag}
                    .returns<service::TagDeleteResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/positions/tags", "Attach a tag to positions {symbols, tag}",
                          "tags", service::kTagAttach, attach_tag, "json"}
                    .takes<service::TagPositionsRequest>()
                    .returns<service::TagPositionsResult>());
  app.add_route(RouteSpec{"DELETE", "/api/v1/portfolios/{id}/positions/tags",
                          "Detach a tag from positions {symbols, tag}", "tags", service::kTagDetach,
                          detach_tag, "json"}
                    .takes<service::TagPositionsRequest>()
                    .returns<service::TagPositionsResult>());
  app.add_route(RouteSpec{"PUT", "/api/v1/portfolios/{id}/positions/strategy",
                          "Set the strategy of positions {symbols, strategy}", "tags", service::kStrategySet,
                          set_strategy, "json"}
                    .takes<service::StrategyRequest>()
                    .returns<service::StrategyResult>());
  app.add_compute_route(RouteSpec{"GET", "/api/v1/portfolios/{id}/strategies",
                                  "Positions grouped by strategy with market value and exposure",
                                  "tags", Permission::kRead, strategies}
                            .query<StrategiesQuery>()
                            .returns<service::ExposuresResult>());
}

}  // namespace keel::server
