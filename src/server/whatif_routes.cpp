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

json session_json(const store::ModellingSession& s) {
  return {{"id", s.id},           {"name", s.name},         {"portfolio_id", s.portfolio_id},
          {"portfolio", s.portfolio}, {"owner", s.owner},   {"created_at", s.created_at},
          {"updated_at", s.updated_at}, {"trade_count", s.trades}};
}

json trade_json(const store::ModellingTrade& t) {
  json j = service::position_to_json(t.position);
  j["number"] = t.number;
  j["price"] = t.price ? json(*t.price) : json(nullptr);
  j["origin"] = t.origin;
  return j;
}

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
  const auto body = c.json_body();
  Fields f(body);
  const auto name = f.text("name");
  if (!name || name->empty()) f.fail("name", "required");
  else if (name->size() > 200) f.fail("name", "at most 200 characters");
  f.throw_if_errors("session");
  const auto p = resolve_portfolio(c.store(), c.tenant(), c.param("id"));
  const auto s = c.store().modelling_sessions().create(c.tenant(), c.principal().username, p.id, *name);
  c.audit("session.create", session_resource(s.id), {{"name", s.name}, {"portfolio_id", p.id}});
  c.send(201, session_json(s));
}

void list_sessions(Call& c) {
  const auto q = c.query_as<PageQuery>("session list parameters");
  const Page page = decode_page(q.limit, q.cursor);
  const std::int64_t after = page.cursor ? cursor_number(page, "s:") : 0;
  const auto all = c.store().modelling_sessions().list(c.tenant());
  json items = json::array();
  json next = nullptr;
  std::int64_t last = after;
  for (const auto& s : all) {
    if (s.id <= after) continue;
    if (items.size() == page.limit) {
      next = encode_cursor("s:" + std::to_string(last));
      break;
    }
    items.push_back(session_json(s));
    last = s.id;
  }
  c.send(200, {{"items", items}, {"next_cursor", next}, {"total", all.size()}});
}

void show_session(Call& c) {
  const auto s = session_of(c);
  json out = session_json(s);
  json trades = json::array();
  for (const auto& t : c.store().modelling_sessions().trades(s.id)) trades.push_back(trade_json(t));
  out["trades"] = trades;
  c.send(200, out);
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
  service::check_trades_priced(&c.store(), book_of(c, s), std::nullopt, trades);
  std::vector<store::ModellingTrade> rows;
  for (const auto& t : trades) rows.push_back({0, t.position, t.price, t.origin});
  const auto added = c.store().modelling_sessions().add_trades(s.id, rows);
  json items = json::array();
  for (const auto& t : added) items.push_back(trade_json(t));
  c.audit("session.trades.add", session_resource(s.id), {{"trades", added.size()}});
  c.send(201, {{"id", s.id}, {"added", items}, {"warnings", warnings}});
}

void delete_trade(Call& c) {
  const auto s = session_of(c);
  const std::int64_t n = c.int_param("n");
  if (!c.store().modelling_sessions().remove_trade(s.id, n)) {
    throw Error::not_found("session " + std::to_string(s.id) + " has no trade " + std::to_string(n));
  }
  c.audit("session.trade.delete", session_resource(s.id), {{"number", n}});
  c.send(200, {{"deleted", true}, {"id", s.id}, {"number", n}});
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
  json out = service::whatif_json(&c.store(), req);
  out["session_id"] = s.id;
  out["portfolio_id"] = s.portfolio_id;
  c.send(200, out);
}

void save_session(Call& c) {
  const auto s = session_of(c);
  const auto body = c.json_body();
  Fields f(body);
  const auto name = f.text("name");
  if (!name || name->empty()) f.fail("name", "required");
  else if (name->size() > 200) f.fail("name", "at most 200 characters");
  const bool replace = f.boolean("replace").value_or(false);
  f.throw_if_errors("save request");
  const auto trades = as_trades(c.store().modelling_sessions().trades(s.id));
  const auto p = service::save_whatif_portfolio(c.store(), book_of(c, s), trades, *name, replace);
  c.audit("session.save", session_resource(s.id), {{"portfolio_id", p.id}, {"name", p.name}, {"trades", trades.size()}});
  json out = service::to_json(p);
  out["id"] = p.id;
  out["name"] = p.name;
  out["session_id"] = s.id;
  c.send(201, out);
}

void delete_session(Call& c) {
  const auto s = session_of(c);
  c.store().modelling_sessions().remove(c.tenant(), s.id);
  c.audit("session.delete", session_resource(s.id), {{"name", s.name}, {"trades", s.trades}});
  c.send(200, {{"deleted", true}, {"id", s.id}});
}

}  // namespace

void add_whatif_routes(App& app) {
  app.add_route({"POST", "/api/v1/portfolios/{id}/sessions", "Open a what-if modelling session on a portfolio {name}",
                 "what-if", Permission::kCompute, create_session, "json"});
  app.add_route(RouteSpec{"GET", "/api/v1/sessions", "Modelling sessions of the tenant", "what-if", Permission::kRead,
                          list_sessions}
                    .query<PageQuery>());
  app.add_route({"GET", "/api/v1/sessions/{id}", "A modelling session with its trades", "what-if", Permission::kRead,
                 show_session});
  app.add_route({"POST", "/api/v1/sessions/{id}/trades",
                 "Add proposed trades (CSV body or JSON array; every row validated, nothing stored on error)",
                 "what-if", Permission::kCompute, add_trades, "json|csv"});
  app.add_route({"DELETE", "/api/v1/sessions/{id}/trades/{n}", "Remove trade number n from a session", "what-if",
                 Permission::kCompute, delete_trade});
  app.add_route(RouteSpec{"POST", "/api/v1/sessions/{id}/calculate",
                          "Before / after / change of exposures, Greeks, betas, VaR/ES and stress (keel whatif options)",
                          "what-if", Permission::kCompute, calculate, "json"}
                    .takes<service::WhatIfRequest>());
  app.add_route({"POST", "/api/v1/sessions/{id}/save", "Save the book after the trades as a new portfolio {name}",
                 "what-if", Permission::kManagePortfolios, save_session, "json"});
  app.add_route({"DELETE", "/api/v1/sessions/{id}", "Delete a modelling session and its trades", "what-if",
                 Permission::kCompute, delete_session});
}

}  // namespace keel::server
