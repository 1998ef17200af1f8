// Macro series and prices, market data shared by every tenant (keel/service/macro.h, prices.h):
// GET /api/v1/macro (the stored series), GET /api/v1/macro/{id}?from=&to= (its observations with
// their year-over-year changes; `keel fetch macro` stores them) and GET /api/v1/prices/{symbol}
// (a symbol's stored closes).
#include "app.h"
#include "query.h"
#include "keel/service/macro.h"
#include "keel/service/prices.h"

namespace keel::server {
namespace {

void list_series(Call& c) { c.send(200, spec::to_json(service::macro_list(c.service()))); }

void show_series(Call& c) {
  service::MacroShowRequest req;
  read_query(c, req, "macro series parameters");
  req.id = c.param("id");
  c.send(200, spec::to_json(service::macro_show(c.service(), req)));
}

void show_prices(Call& c) {
  service::PricesShowRequest req;
  read_query(c, req, "prices parameters");
  req.symbol = c.param("symbol");
  c.send(200, spec::to_json(service::prices_show(c.service(), req)));
}

}  // namespace

void add_macro_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/api/v1/macro", "Stored macro series (keel fetch macro) with units, dates, counts",
                          "market data", Permission::kRead, list_series}
                    .returns<service::MacroListResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/macro/{id}",
                          "A macro series' observations with their year-over-year changes (?from= ?to=)",
                          "market data", Permission::kRead, show_series}
                    .query<service::MacroShowRequest>()
                    .returns<service::MacroShowResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/prices/{symbol}",
                          "A symbol's stored closes and adjusted closes (?from= ?to=), its first and last stored "
                          "dates",
                          "market data", Permission::kRead, show_prices}
                    .query<service::PricesShowRequest>()
                    .returns<service::PricesShowResult>());
}

}  // namespace keel::server
