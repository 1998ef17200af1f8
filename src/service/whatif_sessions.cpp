// What-if modelling sessions (keel/service/whatif_sessions.h).
#include "keel/service/whatif_sessions.h"

#include <fmt/format.h>

#include <cmath>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/io/order_writer.h"
#include "keel/service/admission.h"
#include "keel/service/storage.h"
#include "keel/store/modelling_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

SessionInfo session_info(const store::ModellingSession& s) {
  return {s.id, s.name, s.portfolio_id, s.portfolio, s.owner, s.created_at, s.updated_at, s.trades};
}

SessionTrade session_trade(const store::ModellingTrade& t) {
  SessionTrade out{t.number, position_record(t.position), {}, t.origin};
  if (t.price) out.price.emplace(*t.price);
  return out;
}

std::string session_resource(std::int64_t id) { return fmt::format("session/{}", id); }

store::ModellingRepository& sessions(const Context& cx) {
  return require_store(cx, "a modelling session is kept").modelling_sessions();
}

// The actor's tenant's session `id`; not_found for another tenant's or a missing one.
store::ModellingSession session_of(const Context& cx, std::int64_t id) {
  auto s = sessions(cx).find(cx.actor.tenant, id);
  if (!s) throw Error::not_found(fmt::format("no modelling session {}", id));
  return *s;
}

BookSource book_of(const store::ModellingSession& s) {
  BookSource src;
  src.portfolio = s.portfolio;
  return src;
}

std::vector<io::Trade> as_trades(const std::vector<store::ModellingTrade>& stored) {
  std::vector<io::Trade> out;
  for (const auto& t : stored) out.push_back({t.position, t.price, fmt::format("trade {}", t.number)});
  return out;
}

void check_name(const std::string& name, std::string_view what) {
  if (name.empty()) throw Error::invalid_input(fmt::format("invalid {}", what), {"name: required"});
  if (const auto p = spec::name_problem(name, 200); !p.empty()) {
    throw Error::invalid_input(fmt::format("invalid {}", what), {"name: " + p});
  }
}

}  // namespace

SessionInfo create_modelling_session(const Context& cx, std::string_view portfolio,
                                     const SessionCreateRequest& request) {
  authorize(cx, kSessionCreate, "portfolio/" + shown_with(portfolio, 200, 0));
  check_name(request.name, "session");
  const PortfolioSummary p = resolve_portfolio(cx, portfolio);
  // The quota is counted and the session made in one transaction: two creations at once cannot both pass.
  const auto s = require_store(cx, "a modelling session is kept").transaction([&] {
    check_whatif_session_quota(cx);
    return sessions(cx).create(cx.actor.tenant, cx.actor.user, p.id, request.name);
  });
  audit(cx, kSessionCreate, session_resource(s.id), {{"name", s.name}, {"portfolio_id", p.id}});
  return session_info(s);
}

std::vector<SessionInfo> list_modelling_sessions(const Context& cx) {
  std::vector<SessionInfo> out;
  for (const auto& s : sessions(cx).list(cx.actor.tenant)) out.push_back(session_info(s));
  return out;
}

SessionShown show_modelling_session(const Context& cx, std::int64_t id) {
  const auto s = session_of(cx, id);
  SessionShown out{session_info(s), {}};
  for (const auto& t : sessions(cx).trades(s.id)) out.trades.push_back(session_trade(t));
  return out;
}

SessionOrdersResult session_orders(const Context& cx, std::int64_t id, const SessionOrdersRequest& req) {
  const auto s = session_of(cx, id);
  if (req.format != "csv" && req.format != "fix") {
    throw Error::invalid_input("invalid orders request", {fmt::format("format: expected csv or fix, got \"{}\"", req.format)});
  }
  std::vector<io::Order> orders;
  for (const auto& t : sessions(cx).trades(s.id)) {
    const Position& p = t.position;
    if (req.format == "fix" && p.is_option()) {
      throw Error::invalid_input(fmt::format("trade {} ({}): FIX orders for options are not written (their contract "
                                             "terms); use the csv blotter",
                                             t.number, p.symbol));
    }
    const double quantity = std::abs(p.quantity * p.multiplier);
    if (!(quantity > 0.0)) continue;
    io::Order o;
    o.symbol = p.symbol;
    o.buy = p.quantity > 0.0;
    o.quantity = std::abs(p.quantity);
    if (t.price) {
      o.limit_price = *t.price;
      o.reference_price = *t.price;
      o.amount = quantity * *t.price;
    }
    o.account = req.broker_account ? *req.broker_account : std::string();
    orders.push_back(std::move(o));
  }
  SessionOrdersResult out;
  out.session = s.id;
  out.format = req.format;
  out.count = orders.size();
  if (req.format == "csv") {
    out.orders = io::orders_csv(orders);
  } else {
    io::FixOptions fo;
    fo.sender = req.fix_sender;
    fo.target = req.fix_target;
    fo.order_id_prefix = fmt::format("keel-s{}-", s.id);
    fo.sending_time = io::fix_time(cx.env.clock.now());
    out.orders = io::fix_new_order_singles(orders, fo);
  }
  return out;
}

TradesAdded add_session_trades(const Context& cx, std::int64_t id, const std::vector<io::Trade>& trades,
                               std::vector<std::string> warnings) {
  authorize(cx, kSessionTradesAdd, session_resource(id));
  const auto s = session_of(cx, id);
  if (trades.empty()) throw Error::invalid_input("no trades: give at least one trade");
  check_trades_priced(cx, book_of(s), std::nullopt, trades);
  std::vector<store::ModellingTrade> rows;
  for (const auto& t : trades) rows.push_back({0, t.position, t.price, t.origin});
  const auto added = sessions(cx).add_trades(s.id, rows);
  TradesAdded out{s.id, {}, std::move(warnings)};
  for (const auto& t : added) out.added.push_back(session_trade(t));
  audit(cx, kSessionTradesAdd, session_resource(s.id), {{"trades", added.size()}});
  return out;
}

TradeDeleted delete_session_trade(const Context& cx, std::int64_t id, std::int64_t number) {
  authorize(cx, kSessionTradeDelete, session_resource(id));
  const auto s = session_of(cx, id);
  if (!sessions(cx).remove_trade(s.id, number)) {
    throw Error::not_found(fmt::format("session {} has no trade {}", s.id, number));
  }
  audit(cx, kSessionTradeDelete, session_resource(s.id), {{"number", number}});
  return {true, s.id, number};
}

WhatIfResult calculate_modelling_session(const Context& cx, std::int64_t id, WhatIfRequest request) {
  authorize(cx, kSessionCalculate, session_resource(id));
  const auto s = session_of(cx, id);
  request.inputs.source = book_of(s);
  request.trades = as_trades(sessions(cx).trades(s.id));
  request.trades_file.reset();
  request.save_as.reset();
  if (request.trades.empty()) throw Error::invalid_input(fmt::format("session {} has no trades yet", s.id));
  WhatIfResult out = whatif(cx, request);
  out.session_id = s.id;
  out.portfolio_id = s.portfolio_id;
  return out;
}

SessionRun run_modelling_session(const Context& cx, std::int64_t id, WhatIfRequest request) {
  authorize(cx, kSessionCalculate, session_resource(id));
  const auto s = session_of(cx, id);
  const PortfolioSummary p = resolve_portfolio(cx, std::to_string(s.portfolio_id));
  SessionRun run;
  // A trade may add a position (an option, at most): the larger book has at most the portfolio's and
  // the trades'.
  const std::size_t trades = static_cast<std::size_t>(s.trades);
  if (admit(cx, whatif_cost(request, {p.positions + trades, p.options + trades})) == Placement::kBackground) {
    request.trades.clear();
    request.trades_file.reset();
    request.save_as.reset();
    run.job = queue_job(cx, "whatif.calculate", {{"session", s.id}, {"options", spec::to_request_json(request)}},
                        {{"session", s.id}, {"portfolio_id", s.portfolio_id}});
    return run;
  }
  run.result = calculate_modelling_session(cx, id, std::move(request));
  return run;
}

SessionJob read_session_job(const nlohmann::json& job_request) {
  if (!job_request.is_object() || !job_request.contains("session") || !job_request["session"].is_number_integer()) {
    throw Error::invalid_input("invalid whatif.calculate request", {"request.session: expected a session id"});
  }
  SessionJob out;
  out.session = job_request["session"].get<std::int64_t>();
  spec::read_json(job_options(job_request), out.request, "calculate request");
  return out;
}

SessionSaved save_modelling_session(const Context& cx, std::int64_t id, const SessionSaveRequest& request) {
  authorize(cx, kSessionSave, session_resource(id));
  check_name(request.name, "save request");
  const auto s = session_of(cx, id);
  const auto trades = as_trades(sessions(cx).trades(s.id));
  const auto p = save_whatif_portfolio(cx, book_of(s), trades, request.name, request.replace);
  audit(cx, kSessionSave, session_resource(s.id), {{"portfolio_id", p.id}, {"name", p.name}, {"trades", trades.size()}});
  return {portfolio_record(p), s.id};
}

SessionDeleted delete_modelling_session(const Context& cx, std::int64_t id) {
  authorize(cx, kSessionDelete, session_resource(id));
  const auto s = session_of(cx, id);
  if (!sessions(cx).remove(cx.actor.tenant, s.id)) throw Error::not_found(fmt::format("no modelling session {}", id));
  audit(cx, kSessionDelete, session_resource(s.id), {{"name", s.name}, {"trades", s.trades}});
  return {true, s.id};
}

}  // namespace keel::service
