// Portfolios and positions of the caller's tenant, and shared prices:
// GET/POST /api/v1/portfolios, GET/PATCH/DELETE /api/v1/portfolios/{id},
// GET/POST /api/v1/portfolios/{id}/positions, POST /api/v1/prices, GET /api/v1/symbols (the security
// master), GET /api/v1/portfolios/{id}/readiness, GET /api/v1/templates[/{kind}.csv].
#include <algorithm>

#include "app.h"
#include "portfolio_call.h"
#include "query.h"
#include "requests.h"
#include "keel/service/imports.h"
#include "keel/service/overview.h"
#include "keel/service/portfolio_history.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/position_detail.h"
#include "keel/service/readiness.h"
#include "keel/service/security_master.h"

namespace keel::server {
namespace {

// ?q= ?sort= and the page of GET /api/v1/portfolios.
struct PortfolioListQuery {
  PageQuery page;
  std::optional<std::string> q;
  std::string sort = "id";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.page);
    v.field({.name = "q", .help = "Only portfolios whose name contains this text"}, s.q);
    v.field({.name = "sort", .help = "id, name, updated_at or positions; a leading '-' for descending"}, s.sort);
  }
};

// POST /api/v1/portfolios/{id}/positions as JSON: the positions file's columns (docs/formats.md
// "Positions"), one object per position, read by the positions file's reader (a bad cell is named
// as body.json:LINE:COLUMN, position i being line i + 2, so a cell may be a number or its text).
// The body may also be the bare array, or the CSV file itself (text/csv).
struct PositionRowInput {
  std::string symbol;
  std::optional<TableCell> quantity, entry_price, entry_date, type, underlying, strike, expiry, option_type,
      multiplier, implied_vol, exercise, dividend_yield, sector, strategy, currency;
  std::optional<TagsCell> tags;

  static constexpr const char* kSchemaName = "PositionRow";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol", .help = "Ticker or OCC option symbol", .required = true}, s.symbol);
    v.field({.name = "quantity",
             .help = "Negative = short (a number)",
             .unit = "shares or contracts",
             .required = true},
            s.quantity);
    v.field({.name = "entry_price", .help = "A number", .unit = "price units"}, s.entry_price);
    v.field({.name = "entry_date", .help = "YYYY-MM-DD"}, s.entry_date);
    v.field({.name = "type", .help = "stock, etf, option, cash or other"}, s.type);
    v.field({.name = "underlying", .help = "Options"}, s.underlying);
    v.field({.name = "strike", .help = "Options (a number)"}, s.strike);
    v.field({.name = "expiry", .help = "Options: YYYY-MM-DD"}, s.expiry);
    v.field({.name = "option_type", .help = "Options: call or put"}, s.option_type);
    v.field({.name = "multiplier", .help = "Units of the underlying per contract (a number)"}, s.multiplier);
    v.field({.name = "implied_vol", .help = "Options (a number)", .unit = "annualised decimal"},
            s.implied_vol);
    v.field({.name = "exercise", .help = "Options: european or american"}, s.exercise);
    v.field({.name = "dividend_yield", .help = "Options (a number)", .unit = "continuous decimal"},
            s.dividend_yield);
    v.field({.name = "sector"}, s.sector);
    v.field({.name = "tags", .help = "';'-separated, or an array"}, s.tags);
    v.field({.name = "strategy"}, s.strategy);
    v.field({.name = "currency"}, s.currency);
  }
};
struct PositionsUpload {
  std::vector<PositionRowInput> positions;
  static constexpr const char* kSchemaName = "PositionsUpload";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "positions",
             .help = "Every position of the portfolio (they replace the stored ones)",
             .required = true},
            s.positions);
  }
};

void list_portfolios(Call& c) {
  const auto query = c.query_as<PortfolioListQuery>("portfolio list parameters");
  const std::string& sort = query.sort;
  const bool desc = !sort.empty() && sort[0] == '-';
  const std::string key = desc ? sort.substr(1) : sort;
  if (key != "id" && key != "name" && key != "updated_at" && key != "positions") {
    throw Error::invalid_input("bad sort", {"sort: expected id, name, updated_at or positions, optionally with '-'"});
  }
  auto all = c.app.timed_store("portfolio_list", [&] { return service::portfolio_list(c.service()); });
  if (query.q) {
    std::erase_if(all, [&](const service::PortfolioListItem& p) {
      return p.record.name.find(*query.q) == std::string::npos;
    });
  }
  std::stable_sort(all.begin(), all.end(),
                   [&](const service::PortfolioListItem& a, const service::PortfolioListItem& b) {
                     const service::PortfolioRecord& x = a.record;
                     const service::PortfolioRecord& y = b.record;
                     if (key == "id") return desc ? x.id > y.id : x.id < y.id;
                     if (key == "name") return desc ? x.name > y.name : x.name < y.name;
                     if (key == "updated_at")
                       return desc ? x.updated_at > y.updated_at : x.updated_at < y.updated_at;
                     return desc ? x.positions > y.positions : x.positions < y.positions;
                   });
  c.send(200, spec::to_json(page_of(query.page, std::move(all), "o")));
}

void create_portfolio(Call& c) {
  service::PortfolioCreateRequest req;
  read_named_json(c.json_body(), req, "portfolio");
  c.send(201, spec::to_json(service::create_portfolio(c.service(), req)));
}

void show_portfolio(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  auto req = c.query_as<service::PortfolioShowRequest>("portfolio parameters");
  req.portfolio = p.name;
  auto view = service::show_portfolio(c.service(), req);
  view.id = p.id;
  c.send(200, spec::to_json(view));
}

void overview(Call& c) {
  const auto req = c.query_as<service::OverviewRequest>("overview parameters");
  c.send(200, spec::to_json(service::portfolio_overview(c.service(), req)));
}

void update_portfolio(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  service::PortfolioCurrencyRequest req;
  spec::read_json(c.json_body(), req, "portfolio update");
  req.portfolio = p.name;
  c.send(200, spec::to_json(service::set_portfolio_currency(c.service(), req)));
}

void delete_portfolio(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  c.send(200, spec::to_json(service::delete_portfolio(c.service(), p.name)));
}

void list_positions(Call& c) {
  auto query = c.query_as<service::PositionsQuery>("positions query");
  query.portfolio = service::resolve_portfolio(c.service(), c.param("id")).name;
  c.send(200, spec::to_json(service::list_positions(c.service(), query)));
}

void show_position(Call& c) {
  service::PositionDetailRequest req;
  read_query(c, req, "position parameters");
  req.portfolio = c.param("id");
  req.position = c.int_param("position");
  c.send(200, spec::to_json(service::position_detail(c.service(), req)));
}

void upload_positions(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  service::ImportPositionsRequest req;
  read_query(c, req, "positions parameters");
  if (c.body_is_json()) {
    const auto body = c.json_body(true);
    const nlohmann::json rows = body.is_array() ? body : body.value("positions", nlohmann::json::array());
    if (!rows.is_array()) throw Error::invalid_input("invalid positions", {"positions: expected an array"});
    req.input = {"body.json", positions_json_to_csv(rows)};
  } else {
    req.input = {"body.csv", c.req.body};
  }
  if (req.input.text->empty()) {
    throw Error::invalid_input("empty positions upload", {"body: expected CSV or a JSON array"});
  }
  req.portfolio = p.name;
  auto out = service::import_positions(c.service(), req);
  out.id = p.id;
  c.send(200, spec::to_json(out));
}

void positions_from_ledger(Call& c) {
  portfolio_json_call<service::PortfolioFromLedgerRequest>(c, "positions from the ledger",
                                                           service::portfolio_from_ledger);
}

void import_prices(Call& c) {
  if (c.req.body.empty()) throw Error::invalid_input("empty prices upload", {"body: expected prices CSV"});
  service::ImportPricesRequest req;
  req.input = {"body.csv", c.req.body};
  c.send(200, spec::to_json(service::import_prices(c.service(), req)));
}

void list_symbols(Call& c) {
  const auto query = c.query_as<service::SymbolsListRequest>("security master query");
  c.send(200, spec::to_json(service::list_symbols(c.service(), query)));
}

void portfolio_readiness(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  auto req = c.query_as<service::ReadinessRequest>("readiness parameters");
  req.portfolio = std::to_string(p.id);
  c.send(200, spec::to_json(service::portfolio_readiness(c.service(), req)));
}

void list_templates(Call& c) {
  c.send(200, spec::to_json(service::csv_templates()));
}

void send_template(Call& c, const std::string& kind) {
  const auto t = service::csv_template(kind);
  c.res.set_header("Content-Disposition", "attachment; filename=\"" + t.file_name + "\"");
  c.res.set_content(t.csv, "text/csv; charset=utf-8");
}

}  // namespace

void add_portfolio_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/api/v1/portfolios",
                          "Portfolios of the tenant with the figures of their newest snapshot", "portfolios",
                          Permission::kRead, list_portfolios}
                    .query<PortfolioListQuery>()
                    .returns<PageOf<service::PortfolioListItem>>());
  app.add_route(RouteSpec{"GET", "/api/v1/overview",
                          "Every portfolio's view, snapshots and cached report headline in one read (the web app's "
                          "overview)",
                          "portfolios", Permission::kRead, overview}
                    .query<service::OverviewRequest>()
                    .returns<service::Overview>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios", "Create an empty portfolio {name, currency}", "portfolios",
                          service::kPortfolioCreate, create_portfolio, "json"}
                    .takes<service::PortfolioCreateRequest>()
                    .returns<service::PortfolioRecord>(201));
  app.add_route(RouteSpec{"GET", "/api/v1/portfolios/{id}",
                          "A portfolio with last prices and market values (?as_of=)", "portfolios",
                          Permission::kRead, show_portfolio}
                    .query<service::PortfolioShowRequest>()
                    .returns<service::PortfolioView>());
  app.add_route(RouteSpec{"PATCH", "/api/v1/portfolios/{id}", "Change a portfolio's reporting currency {currency}",
                          "portfolios", service::kPortfolioCurrency, update_portfolio, "json"}
                    .takes<service::PortfolioCurrencyRequest>()
                    .returns<service::PortfolioRecord>());
  app.add_route(RouteSpec{"DELETE", "/api/v1/portfolios/{id}", "Delete a portfolio and its positions",
                          "portfolios", service::kPortfolioDelete, delete_portfolio}
                    .returns<service::PortfolioDeleted>());
  app.add_route(RouteSpec{"GET", "/api/v1/portfolios/{id}/positions",
                          "Positions of a portfolio (?type=&tag=&sector=&symbol=&currency= filters, ?sort=[-]field)",
                          "portfolios", Permission::kRead, list_positions}
                    .query<service::PositionsQuery>()
                    .returns<service::PositionsList>());
  app.add_route(RouteSpec{"GET", "/api/v1/portfolios/{id}/positions/{position}",
                          "One position by its id (kept across re-imports) with its valuation at "
                          "?as_of=: price, market value, weight, cost basis, unrealized and 1-day P&L, Greeks",
                          "portfolios", Permission::kRead, show_position}
                    .query<service::PositionDetailRequest>()
                    .returns<service::PositionDetail>());
  app.add_route(
      RouteSpec{"POST", "/api/v1/portfolios/{id}/positions",
                "Replace the positions (CSV body or JSON array; a Fidelity, Schwab or Vanguard positions download, "
                "or an OFX or IBKR Flex statement, is read as it comes, ?broker_account= picking one account of "
                "several); all rows validated, nothing stored on error",
                "portfolios", service::kPositionsImport, upload_positions, "json|csv"}
          .query<service::ImportPositionsRequest>()
          .takes<PositionsUpload>()
          .returns<service::PositionsImportResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/positions/from-ledger",
                          "Replace the positions with what the ledger holds {account, as_of} (default: every "
                          "account, the latest date): shares summed over the accounts at their average cost, "
                          "cash per currency",
                          "portfolios", service::kPositionsImport, positions_from_ledger, "json"}
                    .takes<service::PortfolioFromLedgerRequest>()
                    .returns<service::PositionsImportResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/prices", "Import prices (CSV body, long or wide); shared by every tenant",
                          "market data", service::kPricesImport, import_prices, "csv"}
                    .returns<service::PricesImportResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/symbols",
                          "The security master: records imported or fetched (?symbols=A,B&sector=)", "market data",
                          Permission::kRead, list_symbols}
                    .query<service::SymbolsListRequest>()
                    .returns<service::SymbolsList>());
  app.add_route(RouteSpec{"GET", "/api/v1/portfolios/{id}/readiness",
                          "What the portfolio lacks before its risk runs (prices over the window, option inputs, "
                          "sectors, factors, FX) and the command that gets each",
                          "portfolios", Permission::kRead, portfolio_readiness}
                    .query<service::ReadinessRequest>()
                    .returns<service::ReadinessReport>());
  app.add_route(RouteSpec{"GET", "/api/v1/templates", "The CSV templates of the imports (header and one example row)",
                          "portfolios", Permission::kRead, list_templates}
                    .returns<service::CsvTemplates>());
  for (const auto& kind : service::template_kinds()) {
    app.add_route(RouteSpec{"GET", "/api/v1/templates/" + kind + ".csv",
                            "The CSV template of `keel import " + kind + "` (text/csv)", "portfolios",
                            Permission::kRead, [kind](Call& c) { send_template(c, kind); }}
                      .returns_media("text/csv"));
  }
}

}  // namespace keel::server
