// The descriptions of the requests and results of keel/service/portfolio_history.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/portfolio_history.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void PortfolioHistoryRequest::fields(V& v, S& s) {
  v.field({.name = "from", .help = "First as-of date (inclusive)"}, s.from);
  v.field({.name = "to", .help = "Last as-of date (inclusive)"}, s.to);
}
KEEL_SPEC_REQUEST_FIELDS(PortfolioHistoryRequest)

template <class V, class S>
void HistoryPoint::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "As-of date of the snapshot, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "net_value_amount", .help = "Net market value", .unit = "portfolio currency"},
          s.net_value_amount);
  v.field({.name = "gross_value_amount", .help = "Gross market value", .unit = "portfolio currency"},
          s.gross_value_amount);
  v.field({.name = "pnl_1d_amount", .help = "One-day P&L of the book", .unit = "portfolio currency"},
          s.pnl_1d_amount);
  v.field({.name = "var_amount", .help = "One-day VaR, positive = loss", .unit = "portfolio currency"},
          s.var_amount);
  v.field({.name = "es_amount", .help = "One-day expected shortfall", .unit = "portfolio currency"}, s.es_amount);
  v.field({.name = "var_method", .help = "The method of var_amount (historical)"}, s.var_method);
  v.field({.name = "backtest_zone", .help = "Basel traffic light: green, yellow or red"}, s.backtest_zone);
  v.field({.name = "beta_mkt", .help = "Beta to the market factor"}, s.beta_mkt);
  v.field({.name = "created_at", .help = "When the snapshot was stored, ISO-8601 UTC"}, s.created_at);
  v.field({.name = "report_kept",
           .help = "The day's whole report is still kept (GET .../history/{as_of}/report); keel serve's "
                   "--snapshot-report-retention-days drops it, the figures above stay"},
          s.report_kept);
}
KEEL_SPEC_FIELDS(HistoryPoint)

template <class V, class S>
void PortfolioHistoryResult::fields(V& v, S& s) {
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "tenant"}, s.tenant);
  v.field({.name = "from", .help = "First as-of date asked for (null: from the first snapshot)"}, s.from);
  v.field({.name = "to", .help = "Last as-of date asked for (null: up to the last snapshot)"}, s.to);
  v.field({.name = "points", .help = "The snapshots, oldest first"}, s.points);
}
KEEL_SPEC_FIELDS(PortfolioHistoryResult)

template <class V, class S>
void PortfolioListItem::fields(V& v, S& s) {
  v.flatten(s.record);
  v.field({.name = "last_snapshot",
           .help = "Value, P&L, VaR, ES, zone and beta of the newest batch snapshot; null before the first"},
          s.last_snapshot);
}
KEEL_SPEC_FIELDS(PortfolioListItem)

}  // namespace keel::service
