// Macro series and prices, market data shared by every tenant (keel/service/macro.h, prices.h):
// GET /api/v1/macro (the stored series), GET /api/v1/macro/{id}?from=&to= (its observations with
// their year-over-year changes; `keel fetch macro` stores them) and GET /api/v1/prices/{symbol}
// (a symbol's stored closes), POST /api/v1/prices/fetch (a prices.fetch job: a sync from the
// server's provider), POST /api/v1/symbols/fetch (a symbols.fetch job: the security master
// from the same provider), POST /api/v1/factors/fetch and POST /api/v1/fx/fetch (factors.fetch and
// fx.fetch jobs: Kenneth French's factor returns and the ECB's reference rates, as the server
// reaches them).
#include <fmt/format.h>

#include "app.h"
#include "job_kinds.h"
#include "keel/server/jobs.h"
#include "query.h"
#include "keel/service/fx_fetch.h"
#include "keel/service/macro.h"
#include "keel/service/market_data.h"
#include "keel/service/prices.h"
#include "keel/service/security_master.h"

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

void fetch_prices(Call& c) { enqueue_job(c, "prices.fetch", c.json_body()); }

// The job: the stored request (names resolved when it was queued) fetched from the server's
// provider as the user who queued it, with a progress step per symbol.
nlohmann::json run_prices_fetch_job(const App& app, JobContext& ctx, const nlohmann::json& request) {
  service::PricesFetchRequest req;
  spec::read_json(request, req, "prices.fetch job");
  const service::Context cx = job_service(app, ctx);
  service::FetchPricesRequest fetch = service::prices_fetch_request(cx, req, app.config.batch_market_data);
  fetch.progress = [&ctx](const std::string& symbol, std::size_t done, std::size_t total) {
    ctx.progress(total ? static_cast<double>(done) / static_cast<double>(total) : 1.0,
                 symbol.empty() ? fmt::format("fetched {} symbols", total)
                                : fmt::format("symbol {} of {}: {}", done + 1, total, symbol));
  };
  ctx.progress(0.0, "starting the fetch");
  return spec::to_json(service::fetch_prices(cx, fetch));
}

void fetch_symbols(Call& c) { enqueue_job(c, "symbols.fetch", c.json_body()); }

// The job: the security master of the stored request's symbols from the server's provider, as the
// user who queued it (the records of every symbol, or of none when one fails).
nlohmann::json run_symbols_fetch_job(const App& app, JobContext& ctx, const nlohmann::json& request) {
  service::SymbolsFetchRequest req;
  spec::read_json(request, req, "symbols.fetch job");
  const service::Context cx = job_service(app, ctx);
  ctx.progress(0.0, "fetching the security master");
  return spec::to_json(service::fetch_symbols(cx, service::symbols_fetch_request(cx, req, app.config.batch_market_data)));
}

void fetch_factors(Call& c) { enqueue_job(c, "factors.fetch", c.json_body()); }

nlohmann::json run_factors_fetch_job(const App& app, JobContext& ctx, const nlohmann::json& request) {
  service::FactorsFetchRequest req;
  spec::read_json(request, req, "factors.fetch job");
  const service::Context cx = job_service(app, ctx);
  ctx.progress(0.0, "fetching the " + req.dataset + " factor returns");
  return spec::to_json(service::fetch_factors(cx, service::factors_fetch_request(cx, req, app.config.batch_market_data)));
}

void fetch_fx(Call& c) { enqueue_job(c, "fx.fetch", c.json_body()); }

nlohmann::json run_fx_fetch_job(const App& app, JobContext& ctx, const nlohmann::json& request) {
  service::FxFetchRequest req;
  spec::read_json(request, req, "fx.fetch job");
  const service::Context cx = job_service(app, ctx);
  ctx.progress(0.0, "fetching the reference rates");
  return spec::to_json(service::fetch_fx(cx, service::fx_fetch_request(cx, req, app.config.batch_market_data)));
}

}  // namespace

nlohmann::json factors_fetch_job_request(Call& call, const nlohmann::json& request) {
  service::FactorsFetchRequest req;
  spec::read_json(request, req, "factors fetch request");
  (void)service::factors_fetch_request(call.service(), req, call.app.config.batch_market_data);
  return spec::to_request_json(req);
}

nlohmann::json fx_fetch_job_request(Call& call, const nlohmann::json& request) {
  service::FxFetchRequest req;
  spec::read_json(request, req, "FX fetch request");
  const service::FetchFxRequest fetch = service::fx_fetch_request(call.service(), req, call.app.config.batch_market_data);
  // The currencies the portfolio needs when the job was asked for.
  req.currencies = fetch.currencies;
  req.portfolio.reset();
  return spec::to_request_json(req);
}

nlohmann::json symbols_fetch_job_request(Call& call, const nlohmann::json& request) {
  service::SymbolsFetchRequest req;
  spec::read_json(request, req, "symbols fetch request");
  const service::FetchSymbolsRequest fetch =
      service::symbols_fetch_request(call.service(), req, call.app.config.batch_market_data);
  req.portfolio = fetch.portfolio;
  return spec::to_request_json(req);
}

nlohmann::json prices_fetch_job_request(Call& call, const nlohmann::json& request) {
  service::PricesFetchRequest req;
  spec::read_json(request, req, "prices fetch request");
  const service::FetchPricesRequest fetch = service::prices_fetch_request(call.service(), req, call.app.config.batch_market_data);
  req.symbols = fetch.symbols;
  req.portfolio = fetch.portfolio;
  req.account = fetch.account;
  return spec::to_json(req);
}

void add_macro_routes(App& app) {
  app.jobs->register_kind("prices.fetch", [&app](JobContext& ctx, const nlohmann::json& request) {
    return run_prices_fetch_job(app, ctx, request);
  });
  app.add_route(RouteSpec{"POST", "/api/v1/prices/fetch",
                          "Sync prices from the server's market-data provider {symbols, portfolio, account, "
                          "all_holdings, from, to, full} (a job prices.fetch: 202; its result is a FetchPricesResult)",
                          "market data", service::kPricesFetch, fetch_prices, "json"}
                    .takes<service::PricesFetchRequest>()
                    .returns<JobView>(202));
  app.jobs->register_kind("symbols.fetch", [&app](JobContext& ctx, const nlohmann::json& request) {
    return run_symbols_fetch_job(app, ctx, request);
  });
  app.add_route(RouteSpec{"POST", "/api/v1/symbols/fetch",
                          "Fetch the security master (sector, industry, country, ...) from the server's market-data "
                          "provider {symbols, portfolio, refresh_days, full} (a job symbols.fetch: 202; its result is a "
                          "FetchSymbolsResult)",
                          "market data", service::kSymbolsFetchFromServer, fetch_symbols, "json"}
                    .takes<service::SymbolsFetchRequest>()
                    .returns<JobView>(202));
  app.jobs->register_kind("factors.fetch", [&app](JobContext& ctx, const nlohmann::json& request) {
    return run_factors_fetch_job(app, ctx, request);
  });
  app.add_route(RouteSpec{"POST", "/api/v1/factors/fetch",
                          "Fetch daily factor returns from Kenneth French's data library as the server reaches it "
                          "{dataset, set} (a job factors.fetch: 202; its result is a FetchFactorsResult)",
                          "market data", service::kFactorsFetchFromServer, fetch_factors, "json"}
                    .takes<service::FactorsFetchRequest>()
                    .returns<JobView>(202));
  app.jobs->register_kind("fx.fetch", [&app](JobContext& ctx, const nlohmann::json& request) {
    return run_fx_fetch_job(app, ctx, request);
  });
  app.add_route(RouteSpec{"POST", "/api/v1/fx/fetch",
                          "Fetch the ECB's euro reference rates of currencies, or of those a portfolio needs, as the "
                          "server reaches them {currencies, portfolio, from, full} (a job fx.fetch: 202; its result is "
                          "a FetchFxResult)",
                          "market data", service::kFxFetchFromServer, fetch_fx, "json"}
                    .takes<service::FxFetchRequest>()
                    .returns<JobView>(202));
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
