// What-if modelling sessions (docs/whatif.md): proposed trades on a stored portfolio, calculated
// and saved through keel/service/whatif.h.
// POST /api/v1/portfolios/{id}/sessions, GET /api/v1/sessions, GET|DELETE /api/v1/sessions/{id},
// POST /api/v1/sessions/{id}/trades, DELETE /api/v1/sessions/{id}/trades/{n},
// POST /api/v1/sessions/{id}/calculate, POST /api/v1/sessions/{id}/save. The use cases
// (keel/service/whatif_sessions.h) check the permission and write the audit row; the routes parse
// the body, call one and answer.
#include <fmt/format.h>

#include "app.h"
#include "job_kinds.h"
#include "keel/server/jobs.h"
#include "resources.h"
#include "requests.h"
#include "keel/service/whatif_sessions.h"

namespace keel::server {
namespace {

using nlohmann::json;

using service::SessionCreateRequest;
using service::SessionDeleted;
using service::SessionInfo;
using service::SessionSaved;
using service::SessionSaveRequest;
using service::SessionShown;
using service::TradeDeleted;
using service::TradesAdded;

// POST /api/v1/sessions/{id}/trades as JSON: the trades file's columns (docs/formats.md "Trades"),
// one object per trade. The rows are read by the trades file's reader, which checks every cell and
// names a bad one as body.json:LINE:COLUMN (trade i is line i + 2); so a cell may be a number or
// its text. The body may also be the bare array, or the CSV file itself (text/csv).
struct TradeRowInput {
  std::string symbol;
  std::optional<TableCell> quantity, price, type, underlying, strike, expiry, option_type, exercise,
      multiplier, implied_vol, dividend_yield, sector, strategy, currency;
  std::optional<TagsCell> tags;

  static constexpr const char* kSchemaName = "ModellingTradeRow";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol", .help = "Ticker or OCC option symbol", .required = true}, s.symbol);
    v.field({.name = "quantity",
             .help = "Signed change: + buys, - sells (a number)",
             .unit = "shares or contracts",
             .required = true},
            s.quantity);
    v.field({.name = "price",
             .help = "Execution price for the cash impact (a number; absent: last close or model)",
             .unit = "price units"},
            s.price);
    v.field({.name = "type", .help = "stock, etf, option, cash or other"}, s.type);
    v.field({.name = "underlying", .help = "Options not yet held"}, s.underlying);
    v.field({.name = "strike", .help = "Options not yet held (a number)"}, s.strike);
    v.field({.name = "expiry", .help = "Options not yet held: YYYY-MM-DD"}, s.expiry);
    v.field({.name = "option_type", .help = "Options not yet held: call or put"}, s.option_type);
    v.field({.name = "exercise", .help = "Options: european or american"}, s.exercise);
    v.field({.name = "multiplier", .help = "Units of the underlying per contract (a number)"}, s.multiplier);
    v.field({.name = "implied_vol", .help = "Options (a number)", .unit = "annualised decimal"},
            s.implied_vol);
    v.field({.name = "dividend_yield", .help = "Options (a number)", .unit = "continuous decimal"},
            s.dividend_yield);
    v.field({.name = "sector"}, s.sector);
    v.field({.name = "tags", .help = "';'-separated, or an array"}, s.tags);
    v.field({.name = "strategy", .help = "Which holding of a symbol held in several strategies"}, s.strategy);
    v.field({.name = "currency"}, s.currency);
  }
};
struct TradesUpload {
  std::vector<TradeRowInput> trades;
  static constexpr const char* kSchemaName = "ModellingTradesUpload";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "trades", .help = "The trades, in order", .required = true}, s.trades);
  }
};

void create_session(Call& c) {
  SessionCreateRequest req;
  read_named_json(c.json_body(), req, "session");
  c.send(201, spec::to_json(service::create_modelling_session(c.service(), c.param("id"), req)));
}

void list_sessions(Call& c) {
  const auto q = c.query_as<PageQuery>("session list parameters");
  const Page page = decode_page(q.limit, q.cursor);
  const std::int64_t after = page.cursor ? cursor_number(page, "s:") : 0;
  const auto all = service::list_modelling_sessions(c.service());
  PageOf<SessionInfo> out;
  out.total = all.size();
  std::int64_t last = after;
  for (const auto& s : all) {
    if (s.id <= after) continue;
    if (out.items.size() == page.limit) {
      out.next_cursor.emplace(encode_cursor(fmt::format("s:{}", last)));
      break;
    }
    out.items.push_back(s);
    last = s.id;
  }
  c.send(200, spec::to_json(out));
}

void show_session(Call& c) {
  c.send(200, spec::to_json(service::show_modelling_session(c.service(), c.int_param("id"))));
}

void session_orders(Call& c) {
  const auto req = c.query_as<service::SessionOrdersRequest>("orders request");
  c.send(200, spec::to_json(service::session_orders(c.service(), c.int_param("id"), req)));
}

// A CSV body, or the trades as JSON rows (read as the CSV they describe, so that a bad cell is
// named as body.json:LINE:COLUMN).
void add_trades(Call& c) {
  const std::int64_t id = c.int_param("id");
  std::string name = "body.csv", text = c.req.body;
  if (c.body_is_json()) {
    const auto body = c.json_body(true);
    const json rows = body.is_array() ? body : body.value("trades", json::array());
    if (!rows.is_array()) throw Error::invalid_input("invalid trades", {"trades: expected an array"});
    name = "body.json";
    text = positions_json_to_csv(rows);
  }
  if (text.empty()) throw Error::invalid_input("empty trades upload", {"body: expected CSV or a JSON array"});
  std::vector<std::string> warnings;
  const auto trades = io::read_trades_file(name, text, &warnings);
  c.send(201, spec::to_json(service::add_session_trades(c.service(), id, trades, std::move(warnings))));
}

void delete_trade(Call& c) {
  const std::int64_t id = c.int_param("id");
  c.send(200, spec::to_json(service::delete_session_trade(c.service(), id, c.int_param("n"))));
}

void calculate(Call& c) {
  const std::int64_t id = c.int_param("id");
  const json body = c.req.body.empty() ? json::object() : c.json_body();
  service::WhatIfRequest req;
  spec::read_json(body, req, "calculate request");
  // At once, or a whatif.calculate job when its cost is over the foreground limit (docs/server.md
  // "Limits").
  const auto run = service::run_modelling_session(c.service(), id, std::move(req));
  if (run.job) return send_job(c, *run.job);
  c.send(200, spec::to_json(*run.result));
}

// A whatif.calculate job: {"session": id, "options": {..POST calculate body..}} -> the calculate
// JSON, computed for the user who queued it.
nlohmann::json run_calculate_job(App& app, JobContext& ctx, const json& request) {
  auto job = service::read_session_job(request);
  ctx.progress(0.05, "valuing both books");
  return spec::to_json(service::calculate_modelling_session(job_service(app, ctx), job.session, std::move(job.request)));
}

void save_session(Call& c) {
  const std::int64_t id = c.int_param("id");
  SessionSaveRequest req;
  read_named_json(c.json_body(), req, "save request");
  c.send(201, spec::to_json(service::save_modelling_session(c.service(), id, req)));
}

void delete_session(Call& c) {
  c.send(200, spec::to_json(service::delete_modelling_session(c.service(), c.int_param("id"))));
}

}  // namespace

void add_whatif_routes(App& app) {
  app.jobs->register_kind("whatif.calculate",
                          [&app](JobContext& ctx, const json& request) { return run_calculate_job(app, ctx, request); });
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/sessions",
                          "Open a what-if modelling session on a portfolio {name}", "what-if", service::kSessionCreate,
                          create_session, "json"}
                    .takes<SessionCreateRequest>()
                    .returns<SessionInfo>(201));
  app.add_route(RouteSpec{"GET", "/api/v1/sessions", "Modelling sessions of the tenant", "what-if", Permission::kRead,
                          list_sessions}
                    .query<PageQuery>()
                    .returns<PageOf<SessionInfo>>());
  app.add_route(RouteSpec{"GET", "/api/v1/sessions/{id}", "A modelling session with its trades", "what-if",
                          Permission::kRead, show_session}
                    .returns<SessionShown>());
  app.add_route(RouteSpec{"GET", "/api/v1/sessions/{id}/orders",
                          "The session's trades as orders: a CSV blotter or FIX 4.4 NewOrderSingle messages "
                          "(?format=csv|fix ?fix_sender= ?fix_target= ?broker_account=)",
                          "what-if", Permission::kRead, session_orders}
                    .query<service::SessionOrdersRequest>()
                    .returns<service::SessionOrdersResult>());
  app.add_route(
      RouteSpec{"POST", "/api/v1/sessions/{id}/trades",
                "Add proposed trades (CSV body or JSON array; every row validated, nothing stored on error)",
                "what-if", service::kSessionTradesAdd, add_trades, "json|csv"}
          .takes<TradesUpload>()
          .returns<TradesAdded>(201));
  app.add_route(RouteSpec{"DELETE", "/api/v1/sessions/{id}/trades/{n}", "Remove trade number n from a session",
                          "what-if", service::kSessionTradeDelete, delete_trade}
                    .returns<TradeDeleted>());
  app.add_route(RouteSpec{"POST", "/api/v1/sessions/{id}/calculate",
                          "Before / after / change of exposures, Greeks, betas, VaR/ES and stress (keel whatif options)",
                          "what-if", service::kSessionCalculate, calculate, "json"}
                    .takes<service::WhatIfRequest>()
                    .returns<service::WhatIfResult>()
                    .returns<JobView>(202));
  app.add_route(RouteSpec{"POST", "/api/v1/sessions/{id}/save",
                          "Save the book after the trades as a new portfolio {name}", "what-if",
                          service::kSessionSave, save_session, "json"}
                    .takes<SessionSaveRequest>()
                    .returns<SessionSaved>(201));
  app.add_route(RouteSpec{"DELETE", "/api/v1/sessions/{id}", "Delete a modelling session and its trades", "what-if",
                          service::kSessionDelete, delete_session}
                    .returns<SessionDeleted>());
}

}  // namespace keel::server
