// FX rates, market data shared by every tenant (keel/service/fx.h): POST /api/v1/fx (a rates CSV
// as the body), GET /api/v1/fx/pairs, GET /api/v1/fx/rate?from=&to=&date=.
#include "app.h"
#include "query.h"
#include "requests.h"
#include "keel/service/fx.h"

namespace keel::server {
namespace {

void import_fx(Call& c) {
  if (c.req.body.empty()) throw Error::invalid_input("empty FX rates upload", {"body: expected FX rates CSV"});
  service::ImportFxRequest req = c.query_as<service::ImportFxRequest>("FX import parameters");
  req.input = {"body.csv", c.req.body};
  c.send(200, spec::to_json(service::import_fx(c.service(), req)));
}

void list_pairs(Call& c) {
  c.send(200, spec::to_json(service::fx_pairs(c.service())));
}

void show_rate(Call& c) {
  const auto req = c.query_as<service::FxRateRequest>("FX rate parameters");
  c.send(200, spec::to_json(service::fx_rate(c.service(), req)));
}

}  // namespace

void add_fx_routes(App& app) {
  app.add_route(RouteSpec{"POST", "/api/v1/fx",
                          "Import FX rates (CSV body date,base,quote,rate; ?columns= renames); shared by every tenant",
                          "market data", service::kFxImport, import_fx, "csv"}
                    .query<service::ImportFxRequest>()
                    .returns<service::FxImportResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/fx/pairs", "Stored FX pairs with their first and last date and count",
                          "market data", Permission::kRead, list_pairs}
                    .returns<service::FxPairsResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/fx/rate",
                          "The rate converting ?from= into ?to= on ?date= (default: latest), with its route",
                          "market data", Permission::kRead, show_rate}
                    .query<service::FxRateRequest>()
                    .returns<service::FxRateResult>());
}

}  // namespace keel::server
