// The descriptions of the requests and results of keel/service/whatif_sessions.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/whatif_sessions.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void SessionInfo::fields(V& v, S& s) {
  v.field({.name = "id"}, s.id);
  v.field({.name = "name"}, s.name);
  v.field({.name = "portfolio_id", .help = "The stored portfolio the trades apply to"}, s.portfolio_id);
  v.field({.name = "portfolio", .help = "Its name"}, s.portfolio);
  v.field({.name = "owner", .help = "The user who created the session"}, s.owner);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "updated_at", .help = "ISO-8601 UTC"}, s.updated_at);
  v.field({.name = "trade_count", .help = "Proposed trades in the session"}, s.trade_count);
}
KEEL_SPEC_FIELDS(SessionInfo)

template <class V, class S>
void SessionTrade::fields(V& v, S& s) {
  v.field({.name = "number", .help = "1, 2, ... in the order added; never reused"}, s.number);
  v.flatten(s.position);
  v.field({.name = "price", .help = "The trade's price (null: the last close or model value)",
           .unit = "price units"},
          s.price);
  v.field({.name = "origin", .help = "Where the trade came from (file:line of the upload)"}, s.origin);
}
KEEL_SPEC_FIELDS(SessionTrade)

template <class V, class S>
void SessionShown::fields(V& v, S& s) {
  v.flatten(s.session);
  v.field({.name = "trades", .help = "The proposed trades, by number"}, s.trades);
}
KEEL_SPEC_FIELDS(SessionShown)

template <class V, class S>
void SessionCreateRequest::fields(V& v, S& s) {
  v.field({.name = "name", .help = "Session name, 1 to 200 characters", .required = true}, s.name);
}
KEEL_SPEC_REQUEST_FIELDS(SessionCreateRequest)

template <class V, class S>
void SessionSaveRequest::fields(V& v, S& s) {
  v.field({.name = "name", .help = "Name of the new portfolio, 1 to 200 characters", .required = true}, s.name);
  v.field({.name = "replace", .help = "Overwrite an existing portfolio of that name"}, s.replace);
}
KEEL_SPEC_REQUEST_FIELDS(SessionSaveRequest)

template <class V, class S>
void SessionSaved::fields(V& v, S& s) {
  v.flatten(s.portfolio);
  v.field({.name = "session_id"}, s.session_id);
}
KEEL_SPEC_FIELDS(SessionSaved)

template <class V, class S>
void TradesAdded::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The session"}, s.id);
  v.field({.name = "added", .help = "The trades added, numbered"}, s.added);
  v.field({.name = "warnings", .help = "The trades reader's warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(TradesAdded)

template <class V, class S>
void TradeDeleted::fields(V& v, S& s) {
  v.field({.name = "deleted"}, s.deleted);
  v.field({.name = "id", .help = "The session"}, s.id);
  v.field({.name = "number", .help = "The trade removed"}, s.number);
}
KEEL_SPEC_FIELDS(TradeDeleted)

template <class V, class S>
void SessionDeleted::fields(V& v, S& s) {
  v.field({.name = "deleted"}, s.deleted);
  v.field({.name = "id"}, s.id);
}
KEEL_SPEC_FIELDS(SessionDeleted)

template <class V, class S>
void SessionOrdersRequest::fields(V& v, S& s) {
  v.field({.name = "format", .help = "csv (a blotter) or fix (FIX 4.4 NewOrderSingle messages)",
           .cli_name = "orders-format"},
          s.format);
  v.field({.name = "fix_sender", .help = "SenderCompID of the FIX orders"}, s.fix_sender);
  v.field({.name = "fix_target", .help = "TargetCompID of the FIX orders"}, s.fix_target);
  v.field({.name = "broker_account", .help = "The broker account the orders name"}, s.broker_account);
}
KEEL_SPEC_REQUEST_FIELDS(SessionOrdersRequest)

template <class V, class S>
void SessionOrdersResult::fields(V& v, S& s) {
  v.field({.name = "session"}, s.session);
  v.field({.name = "format", .help = "csv or fix"}, s.format);
  v.field({.name = "count", .help = "Orders"}, s.count);
  v.field({.name = "orders", .help = "The CSV blotter, or the FIX messages (SOH-separated fields, one a line)"},
          s.orders);
}
KEEL_SPEC_FIELDS(SessionOrdersResult)

}  // namespace keel::service
