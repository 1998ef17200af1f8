// The descriptions of the requests and results of keel/service/clo_trades.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/clo_trades.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void CloTradeRequest::fields(V& v, S& s) {
  v.field({.name = "deal", .help = "The stored deal (id or name)", .faces = spec::kCli, .required = true}, s.deal);
  v.field({.name = "trade_date", .help = "The trade date: the tests run at it", .cli_name = "date", .required = true},
          s.trade_date);
  v.field({.name = "trades_file", .help = "The trade ticket (CSV, docs/clo.md)", .faces = spec::kCli,
           .cli_name = "trades", .required = true},
          s.trades_file);
  v.field({.name = "trades_csv",
           .help = "The trade ticket as CSV text: action,asset_id|obligor,par,price and a buy's loan columns",
           .faces = spec::kHttp,
           .required = true},
          s.trades_csv);
  v.field({.name = "version",
           .help = "The version traded (default: the latest); when applying, the version the ticket was tested "
                   "on, refused (409) when it is no longer the latest",
           .min = 1},
          s.version);
  v.field({.name = "comment", .help = "A note kept with the version (when applied)"}, s.comment);
}
KEEL_SPEC_REQUEST_FIELDS(CloTradeRequest)

template <class V, class S>
void CloTradeLineView::fields(V& v, S& s) {
  v.field({.name = "action", .help = "buy, sell, upsize or downsize"}, s.action);
  v.field({.name = "asset_id"}, s.asset_id);
  v.field({.name = "obligor"}, s.obligor);
  v.field({.name = "par", .help = "Par traded", .unit = "deal currency"}, s.par);
  v.field({.name = "price", .unit = "percent of par"}, s.price);
  v.field({.name = "cash", .help = "Into the principal account (+ sale) or out of it (- purchase)",
           .unit = "deal currency"},
          s.cash);
}
KEEL_SPEC_FIELDS(CloTradeLineView)

template <class V, class S>
void CloTradeTicket::fields(V& v, S& s) {
  v.field({.name = "trade_date"}, s.trade_date);
  v.field({.name = "lines", .help = "Each trade with its cash"}, s.lines);
  v.field({.name = "net_cash", .unit = "deal currency"}, s.net_cash);
  v.field({.name = "principal_cash_before", .unit = "deal currency"}, s.principal_cash_before);
  v.field({.name = "principal_cash_after", .unit = "deal currency"}, s.principal_cash_after);
  v.field({.name = "complies", .help = "Maintain or improve, as tested when it was made"}, s.complies);
  v.field({.name = "breaks"}, s.breaks);
  v.field({.name = "worsens"}, s.worsens);
}
KEEL_SPEC_REQUEST_FIELDS(CloTradeTicket)

template <class V, class S>
void CloTradeTest::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "kind", .help = "quality (at the trade date) or coverage (OC/IC)"}, s.kind);
  v.field({.name = "bound", .help = "min or max"}, s.bound);
  v.field({.name = "threshold"}, s.threshold);
  v.field({.name = "before", .help = "The value before the trades (null: the test did not exist)"}, s.before);
  v.field({.name = "after", .help = "The value after (null: the test no longer exists)"}, s.after);
  v.field({.name = "cushion_before"}, s.cushion_before);
  v.field({.name = "cushion_after"}, s.cushion_after);
  v.field({.name = "pass_before"}, s.pass_before);
  v.field({.name = "pass_after"}, s.pass_after);
  v.field({.name = "effect", .help = "improves, worsens, unchanged, breaks (pass to fail) or cures (fail to pass)"},
          s.effect);
  v.field({.name = "subject_before", .help = "The obligor or industry of a rank test before"}, s.subject_before);
  v.field({.name = "subject_after"}, s.subject_after);
}
KEEL_SPEC_FIELDS(CloTradeTest)

template <class V, class S>
void CloTradeResult::fields(V& v, S& s) {
  v.field({.name = "deal_id"}, s.deal_id);
  v.field({.name = "deal"}, s.deal);
  v.field({.name = "version", .help = "The version the trades apply to"}, s.version);
  v.field({.name = "new_version", .help = "The version stored (when applied)"}, s.new_version);
  v.field({.name = "trade_date"}, s.trade_date);
  v.field({.name = "applied", .help = "false: a preview, nothing kept"}, s.applied);
  v.field({.name = "lines", .help = "Each trade with its cash"}, s.lines);
  v.field({.name = "par_sold", .unit = "deal currency"}, s.par_sold);
  v.field({.name = "par_bought", .unit = "deal currency"}, s.par_bought);
  v.field({.name = "proceeds", .help = "Sale proceeds", .unit = "deal currency"}, s.proceeds);
  v.field({.name = "cost", .help = "Purchase cost", .unit = "deal currency"}, s.cost);
  v.field({.name = "net_cash", .help = "proceeds - cost", .unit = "deal currency"}, s.net_cash);
  v.field({.name = "principal_cash_before", .unit = "deal currency"}, s.principal_cash_before);
  v.field({.name = "principal_cash_after", .unit = "deal currency"}, s.principal_cash_after);
  v.field({.name = "par_before", .help = "Collateral par before", .unit = "deal currency"}, s.par_before);
  v.field({.name = "par_after", .unit = "deal currency"}, s.par_after);
  v.field({.name = "tests", .help = "Every test before and after"}, s.tests);
  v.field({.name = "complies",
           .help = "Maintain or improve: no test breaks and no failing test worsens"},
          s.complies);
  v.field({.name = "breaks", .help = "Tests passing before and failing after"}, s.breaks);
  v.field({.name = "worsens", .help = "Failing tests the trades make worse"}, s.worsens);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(CloTradeResult)

}  // namespace keel::service
