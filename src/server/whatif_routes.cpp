// What-if modelling sessions (docs/whatif.md): proposed trades on a stored portfolio, calculated
// and saved through keel/service/whatif.h, stored by keel/store/modelling_repository.h.
// POST /api/v1/portfolios/{id}/sessions, GET /api/v1/sessions, GET|DELETE /api/v1/sessions/{id},
// POST /api/v1/sessions/{id}/trades, DELETE /api/v1/sessions/{id}/trades/{n},
// POST /api/v1/sessions/{id}/calculate, POST /api/v1/sessions/{id}/save.
#include "app.h"
#include "resources.h"
#include "requests.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/whatif.h"
#include "keel/store/modelling_repository.h"

namespace keel::server {
namespace {

using nlohmann::json;

// A modelling session as the API writes it.
struct SessionInfo {
  std::int64_t id = 0;
  std::string name;
  std::int64_t portfolio_id = 0;
  std::string portfolio;
  std::string owner;
  std::string created_at;
  std::string updated_at;
  std::size_t trade_count = 0;

  static constexpr const char* kSchemaName = "ModellingSession";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "id"}, s.id);
    v.field({.name = "name"}, s.name);
    v.field({.name = "portfolio_id", .help = "The stored portfolio the trades apply to"}, s.portfolio_id);
    v.field({.name = "portfolio", .help = "Its name"}, s.portfolio);
    v.field({.name = "owner", .help = "The user who created the session"}, s.owner);
    v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
    v.field({.name = "updated_at", .help = "ISO-8601 UTC"}, s.updated_at);
    v.field({.name = "trade_count", .help = "Proposed trades in the session"}, s.trade_count);
  }
};

SessionInfo session_info(const store::ModellingSession& s) {
  return {s.id, s.name, s.portfolio_id, s.portfolio, s.owner, s.created_at, s.updated_at, s.trades};
}

// One proposed trade of a session: the position columns of the trade, its number and price.
struct SessionTrade {
  std::int64_t number = 0;
  service::PositionRecord position;
  spec::Nullable<double> price;
  std::string origin;

  static constexpr const char* kSchemaName = "ModellingTrade";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "number", .help = "1, 2, ... in the order added; never reused"}, s.number);
    v.flatten(s.position);
    v.field({.name = "price", .help = "The trade's price (null: the last close or model value)",
             .unit = "price units"},
            s.price);
    v.field({.name = "origin", .help = "Where the trade came from (file:line of the upload)"}, s.origin);
  }
};

SessionTrade session_trade(const store::ModellingTrade& t) {
  SessionTrade out{t.number, service::position_record(t.position), {}, t.origin};
  if (t.price) out.price.emplace(*t.price);
  return out;
}

// GET /api/v1/sessions/{id}.
struct SessionShown {
  SessionInfo session;
  std::vector<SessionTrade> trades;

  static constexpr const char* kSchemaName = "ModellingSessionShown";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.session);
    v.field({.name = "trades", .help = "The proposed trades, by number"}, s.trades);
  }
};

// POST /api/v1/portfolios/{id}/sessions.
struct SessionCreateRequest {
  std::string name;
  static constexpr const char* kSchemaName = "ModellingSessionCreateRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "Session name, 1 to 200 characters", .required = true}, s.name);
  }
};

// POST /api/v1/sessions/{id}/save.
struct SessionSaveRequest {
  std::string name;
  bool replace = false;
  static constexpr const char* kSchemaName = "ModellingSessionSaveRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "Name of the new portfolio, 1 to 200 characters", .required = true}, s.name);
    v.field({.name = "replace", .help = "Overwrite an existing portfolio of that name"}, s.replace);
  }
};

// POST /api/v1/sessions/{id}/save → 201: the new portfolio and the session it came from.
struct SessionSaved {
  service::PortfolioRecord portfolio;
  std::int64_t session_id = 0;
  static constexpr const char* kSchemaName = "ModellingSessionSaved";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.portfolio);
    v.field({.name = "session_id"}, s.session_id);
  }
};

// POST /api/v1/sessions/{id}/trades → 201.
struct TradesAdded {
  std::int64_t id = 0;  // the session
  std::vector<SessionTrade> added;
  std::vector<std::string> warnings;
  static constexpr const char* kSchemaName = "ModellingTradesAdded";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "id", .help = "The session"}, s.id);
    v.field({.name = "added", .help = "The trades added, numbered"}, s.added);
    v.field({.name = "warnings", .help = "The trades reader's warnings"}, s.warnings);
  }
};

// DELETE /api/v1/sessions/{id}/trades/{n}.
struct TradeDeleted {
  bool deleted = true;
  std::int64_t id = 0;  // the session
  std::int64_t number = 0;
  static constexpr const char* kSchemaName = "ModellingTradeDeleted";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "deleted"}, s.deleted);
    v.field({.name = "id", .help = "The session"}, s.id);
    v.field({.name = "number", .help = "The trade removed"}, s.number);
  }
};

// DELETE /api/v1/sessions/{id}.
struct SessionDeleted {
  bool deleted = true;
  std::int64_t id = 0;
  static constexpr const char* kSchemaName = "ModellingSessionDeleted";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "deleted"}, s.deleted);
    v.field({.name = "id"}, s.id);
  }
};

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

std::vector<io::Trade> as_trades(const std::vector<store::ModellingTrade>& stored) {
  std::vector<io::Trade> out;
  for (const auto& t : stored) out.push_back({t.position, t.price, "trade " + std::to_string(t.number)});
  return out;
}

// The session `id` of the caller's tenant; 404 for another tenant's or a missing one.
store::ModellingSession session_of(Call& c) {
  const std::int64_t id = c.int_param("id");
  auto s = c.store().modelling_sessions().find(c.tenant(), id);
  if (!s) throw Error::not_found("no modelling session " + std::to_string(id));
  return *s;
}

std::string session_resource(std::int64_t id) { return "session/" + std::to_string(id); }

service::BookSource book_of(Call& c, const store::ModellingSession& s) {
  service::BookSource src;
  src.portfolio = s.portfolio;
  src.tenant = c.tenant();
  return src;
}

void create_session(Call& c) {
  SessionCreateRequest req;
  read_named_json(c.json_body(), req, "session");
  const auto p = resolve_portfolio(c.store(), c.tenant(), c.param("id"));
  const auto s = c.store().modelling_sessions().create(c.tenant(), c.principal().username, p.id, req.name);
  c.audit("session.create", session_resource(s.id), {{"name", s.name}, {"portfolio_id", p.id}});
  c.send(201, spec::to_json(session_info(s)));
}

void list_sessions(Call& c) {
  const auto q = c.query_as<PageQuery>("session list parameters");
  const Page page = decode_page(q.limit, q.cursor);
  const std::int64_t after = page.cursor ? cursor_number(page, "s:") : 0;
  const auto all = c.store().modelling_sessions().list(c.tenant());
  PageOf<SessionInfo> out;
  out.total = all.size();
  std::int64_t last = after;
  for (const auto& s : all) {
    if (s.id <= after) continue;
    if (out.items.size() == page.limit) {
      out.next_cursor.emplace(encode_cursor("s:" + std::to_string(last)));
      break;
    }
    out.items.push_back(session_info(s));
    last = s.id;
  }
  c.send(200, spec::to_json(out));
}

void show_session(Call& c) {
  const auto s = session_of(c);
  SessionShown out{session_info(s), {}};
  for (const auto& t : c.store().modelling_sessions().trades(s.id)) out.trades.push_back(session_trade(t));
  c.send(200, spec::to_json(out));
}

void add_trades(Call& c) {
  const auto s = session_of(c);
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
  service::check_trades_priced(c.service(), book_of(c, s), std::nullopt, trades);
  std::vector<store::ModellingTrade> rows;
  for (const auto& t : trades) rows.push_back({0, t.position, t.price, t.origin});
  const auto added = c.store().modelling_sessions().add_trades(s.id, rows);
  TradesAdded out{s.id, {}, warnings};
  for (const auto& t : added) out.added.push_back(session_trade(t));
  c.audit("session.trades.add", session_resource(s.id), {{"trades", added.size()}});
  c.send(201, spec::to_json(out));
}

void delete_trade(Call& c) {
  const auto s = session_of(c);
  const std::int64_t n = c.int_param("n");
  if (!c.store().modelling_sessions().remove_trade(s.id, n)) {
    throw Error::not_found("session " + std::to_string(s.id) + " has no trade " + std::to_string(n));
  }
  c.audit("session.trade.delete", session_resource(s.id), {{"number", n}});
  c.send(200, spec::to_json(TradeDeleted{true, s.id, n}));
}

void calculate(Call& c) {
  const auto s = session_of(c);
  const json body = c.req.body.empty() ? json::object() : c.json_body();
  service::WhatIfRequest req;
  spec::read_json(body, req, "calculate request");
  req.inputs.source.portfolio = s.portfolio;
  req.inputs.source.tenant = c.tenant();
  req.trades = as_trades(c.store().modelling_sessions().trades(s.id));
  if (req.trades.empty()) throw Error::invalid_input("session " + std::to_string(s.id) + " has no trades yet");
  service::WhatIfResult out = service::whatif(c.service(), req);
  out.session_id = s.id;
  out.portfolio_id = s.portfolio_id;
  c.send(200, spec::to_json(out));
}

void save_session(Call& c) {
  const auto s = session_of(c);
  SessionSaveRequest req;
  read_named_json(c.json_body(), req, "save request");
  const auto trades = as_trades(c.store().modelling_sessions().trades(s.id));
  const auto p = service::save_whatif_portfolio(c.service(), book_of(c, s), trades, req.name, req.replace);
  c.audit("session.save", session_resource(s.id), {{"portfolio_id", p.id}, {"name", p.name}, {"trades", trades.size()}});
  c.send(201, spec::to_json(SessionSaved{service::portfolio_record(p), s.id}));
}

void delete_session(Call& c) {
  const auto s = session_of(c);
  c.store().modelling_sessions().remove(c.tenant(), s.id);
  c.audit("session.delete", session_resource(s.id), {{"name", s.name}, {"trades", s.trades}});
  c.send(200, spec::to_json(SessionDeleted{true, s.id}));
}

}  // namespace

void add_whatif_routes(App& app) {
  app.add_route(RouteSpec{"POST", "/api/v1/portfolios/{id}/sessions",
                          "Open a what-if modelling session on a portfolio {name}", "what-if", Permission::kCompute,
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
  app.add_route(
      RouteSpec{"POST", "/api/v1/sessions/{id}/trades",
                "Add proposed trades (CSV body or JSON array; every row validated, nothing stored on error)",
                "what-if", Permission::kCompute, add_trades, "json|csv"}
          .takes<TradesUpload>()
          .returns<TradesAdded>(201));
  app.add_route(RouteSpec{"DELETE", "/api/v1/sessions/{id}/trades/{n}", "Remove trade number n from a session",
                          "what-if", Permission::kCompute, delete_trade}
                    .returns<TradeDeleted>());
  app.add_route(RouteSpec{"POST", "/api/v1/sessions/{id}/calculate",
                          "Before / after / change of exposures, Greeks, betas, VaR/ES and stress (keel whatif options)",
                          "what-if", Permission::kCompute, calculate, "json"}
                    .takes<service::WhatIfRequest>()
                    .returns<service::WhatIfResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/sessions/{id}/save",
                          "Save the book after the trades as a new portfolio {name}", "what-if",
                          Permission::kManagePortfolios, save_session, "json"}
                    .takes<SessionSaveRequest>()
                    .returns<SessionSaved>(201));
  app.add_route(RouteSpec{"DELETE", "/api/v1/sessions/{id}", "Delete a modelling session and its trades", "what-if",
                          Permission::kCompute, delete_session}
                    .returns<SessionDeleted>());
}

}  // namespace keel::server
