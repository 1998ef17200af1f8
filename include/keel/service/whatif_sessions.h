// keel/service/whatif_sessions.h: what-if modelling sessions (docs/whatif.md) — proposed trades on
// a stored portfolio, kept in the store (keel/store/modelling_repository.h) until they are
// calculated (keel/service/whatif.h) or saved as a new portfolio. The use cases behind
// /api/v1/sessions and `keel session`: every one acts in the actor's tenant (another tenant's
// session is not found), a session's owner is the actor who opened it, and each change checks its
// UseCase (keel/service/rules.h) before touching anything and writes its audit row (resource
// session/ID) once the change is stored.
//
// Thread-safety: stateless; the Store of the Context must not be used concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "keel/io/trades_reader.h"
#include "keel/service/context.h"
#include "keel/service/jobs.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"
#include "keel/service/whatif.h"

namespace keel::service {

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
  static void fields(V& v, S& s);
};

// One proposed trade of a session: the position columns of the trade, its number and price.
struct SessionTrade {
  std::int64_t number = 0;
  PositionRecord position;
  spec::Nullable<double> price;
  std::string origin;

  static constexpr const char* kSchemaName = "ModellingTrade";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// GET /api/v1/sessions/{id}, `keel session show ID`.
struct SessionShown {
  SessionInfo session;
  std::vector<SessionTrade> trades;

  static constexpr const char* kSchemaName = "ModellingSessionShown";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// POST /api/v1/portfolios/{id}/sessions, `keel session create PORTFOLIO NAME`.
struct SessionCreateRequest {
  std::string name;
  static constexpr const char* kSchemaName = "ModellingSessionCreateRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// POST /api/v1/sessions/{id}/save, `keel session save ID NAME`.
struct SessionSaveRequest {
  std::string name;
  bool replace = false;
  static constexpr const char* kSchemaName = "ModellingSessionSaveRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The new portfolio and the session it came from.
struct SessionSaved {
  PortfolioRecord portfolio;
  std::int64_t session_id = 0;
  static constexpr const char* kSchemaName = "ModellingSessionSaved";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The trades added to a session, numbered.
struct TradesAdded {
  std::int64_t id = 0;  // the session
  std::vector<SessionTrade> added;
  std::vector<std::string> warnings;
  static constexpr const char* kSchemaName = "ModellingTradesAdded";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct TradeDeleted {
  bool deleted = true;
  std::int64_t id = 0;  // the session
  std::int64_t number = 0;
  static constexpr const char* kSchemaName = "ModellingTradeDeleted";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct SessionDeleted {
  bool deleted = true;
  std::int64_t id = 0;
  static constexpr const char* kSchemaName = "ModellingSessionDeleted";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// What the session use cases need and write (keel/service/rules.h). Calculating changes nothing
// and writes no row; saving creates a portfolio, so it needs what creating one needs.
inline constexpr UseCase kSessionCreate{"open modelling sessions", Permission::kCompute, "session.create"};
inline constexpr UseCase kSessionTradesAdd{"add trades to modelling sessions", Permission::kCompute,
                                           "session.trades.add"};
inline constexpr UseCase kSessionTradeDelete{"remove trades from modelling sessions", Permission::kCompute,
                                             "session.trade.delete"};
inline constexpr UseCase kSessionCalculate{"calculate modelling sessions", Permission::kCompute,
                                           "session.calculate"};
inline constexpr UseCase kSessionSave{"save modelling sessions as portfolios", Permission::kManagePortfolios,
                                      "session.save"};
inline constexpr UseCase kSessionDelete{"delete modelling sessions", Permission::kCompute, "session.delete"};

// Opens a session named request.name on the actor's tenant's portfolio `portfolio` (its id or
// name), owned by the actor's user; audited as session.create (details name and portfolio_id).
// Throws Error: forbidden (kSessionCreate), invalid_input for a name that is empty or longer than
// 200 bytes, not_found for an unknown portfolio, usage without a store.
SessionInfo create_modelling_session(const Context& cx, std::string_view portfolio,
                                     const SessionCreateRequest& request);

// The actor's tenant's sessions, by id. Reads only. Throws as require_store.
std::vector<SessionInfo> list_modelling_sessions(const Context& cx);

// The actor's tenant's session `id` with its trades in order. Reads only. Throws Error: not_found
// ("no modelling session ID", also for another tenant's), usage without a store.
SessionShown show_modelling_session(const Context& cx, std::int64_t id);

// GET /api/v1/sessions/{id}/orders, `keel session orders ID`: the session's trades as orders
// (keel/io/order_writer.h) — a trade with a price is a limit order at it, one without a market
// order; a positive quantity buys, a negative one sells.
struct SessionOrdersRequest {
  std::string format = "csv";  // csv or fix
  std::string fix_sender = "KEEL";
  std::string fix_target = "BROKER";
  spec::Nullable<std::string> broker_account;

  static constexpr const char* kSchemaName = "SessionOrdersRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct SessionOrdersResult {
  std::int64_t session = 0;
  std::string format;
  std::size_t count = 0;
  std::string orders;

  static constexpr const char* kSchemaName = "SessionOrdersResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Reads only. Throws as show_modelling_session; invalid_input for another format, for an option
// in FIX (its contract terms are not written) and what the order writer refuses.
SessionOrdersResult session_orders(const Context& cx, std::int64_t id, const SessionOrdersRequest& request);

// Appends `trades` (read and validated by the face: a file's or a body's rows, with the reader's
// `warnings`) to session `id`, after checking every traded symbol has a price (all named at once,
// nothing stored otherwise); audited as session.trades.add (details trades: the number added).
// Throws Error: forbidden (kSessionTradesAdd), not_found, invalid_input for no trades or a symbol
// without prices (keel/service/whatif.h, check_trades_priced).
TradesAdded add_session_trades(const Context& cx, std::int64_t id, const std::vector<io::Trade>& trades,
                               std::vector<std::string> warnings = {});

// Removes trade `number` of session `id` (numbers are never reused); audited as
// session.trade.delete (details number). Throws Error: forbidden (kSessionTradeDelete), not_found
// for an unknown session or trade.
TradeDeleted delete_session_trade(const Context& cx, std::int64_t id, std::int64_t number);

// The what-if of session `id`'s trades on its portfolio, with `request`'s settings (its book and
// trades are the session's; save_as is ignored): keel/service/whatif.h, with session_id and
// portfolio_id set. Throws Error: forbidden (kSessionCalculate), not_found, invalid_input for a
// session without trades, and as whatif().
WhatIfResult calculate_modelling_session(const Context& cx, std::int64_t id, WhatIfRequest request);

// The calculation as keel serve runs it: at once, or as a whatif.calculate job
// ({"session": id, "options": {..the request's HTTP fields..}}) when its cost is over the
// foreground limit (keel/service/admission.h: both books' VaR on the portfolio's positions and the
// session's trades); refused 413 over the job limits. Throws as calculate_modelling_session and
// queue_job.
struct SessionRun {
  std::optional<WhatIfResult> result;
  std::optional<JobView> job;
};
SessionRun run_modelling_session(const Context& cx, std::int64_t id, WhatIfRequest request);

// A whatif.calculate job's request read back: {"session": id, "options": {..}} -> the session and
// the typed request. Error::invalid_input naming the field ("request.session", "window") for one
// that is not.
struct SessionJob {
  std::int64_t session = 0;
  WhatIfRequest request;
};
SessionJob read_session_job(const nlohmann::json& job_request);

// The book after session `id`'s trades stored as the actor's tenant's new portfolio
// request.name; audited as session.save (details portfolio_id, name and trades). Throws Error:
// forbidden (kSessionSave), not_found, invalid_input for a bad name or no trades, conflict when
// the portfolio exists and !request.replace.
SessionSaved save_modelling_session(const Context& cx, std::int64_t id, const SessionSaveRequest& request);

// Deletes session `id` and its trades; audited as session.delete (details name and trades).
// Throws Error: forbidden (kSessionDelete), not_found.
SessionDeleted delete_modelling_session(const Context& cx, std::int64_t id);

}  // namespace keel::service
