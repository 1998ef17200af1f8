// The descriptions of the requests and results of keel/service/backfill.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/backfill.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void BackfillRequest::fields(V& v, S& s) {
  v.field({.name = "portfolios",
           .help = "Portfolios to backfill (names; over HTTP ids or names); absent: every portfolio of the tenant",
           .cli_short = "-p",
           .cli_name = "portfolio"},
          s.portfolios);
  v.field({.name = "from", .help = "First day (YYYY-MM-DD)", .required = true}, s.from);
  v.field({.name = "to", .help = "Last day (YYYY-MM-DD)", .required = true}, s.to);
  v.field({.name = "steps",
           .help = "Steps run each day (data_check, exposures, greeks, factors, var, backtest, stress, correlation, "
                   "snapshot); absent: exposures, factors, var, backtest, snapshot"},
          s.steps);
  v.field({.name = "threads", .help = "Days run at once (0: the machine's cores)", .faces = spec::kCli},
          s.threads);
  ReportRequest::settings(v, s.report);
}
KEEL_SPEC_REQUEST_FIELDS(BackfillRequest)

template <class V, class S>
void BackfillDay::fields(V& v, S& s) {
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "as_of", .help = "YYYY-MM-DD"}, s.as_of);
  v.field({.name = "status",
           .help = "stored; partial (stored, a step failed); skipped (nothing held, or no prices that day); failed"},
          s.status);
  v.field({.name = "message", .help = "Why the day was skipped or failed; a partial day's failed steps"}, s.message);
  v.field({.name = "net_value_amount", .help = "The snapshot's net value (null: not stored)",
           .unit = "reporting currency"},
          s.net_value_amount);
  v.field({.name = "pnl_1d_amount", .help = "The snapshot's 1-day P&L", .unit = "reporting currency"},
          s.pnl_1d_amount);
  v.field({.name = "var_amount", .help = "The snapshot's headline VaR", .unit = "reporting currency"},
          s.var_amount);
  v.field({.name = "elapsed_ms", .unit = "milliseconds"}, s.elapsed_ms);
}
KEEL_SPEC_FIELDS(BackfillDay)

template <class V, class S>
void BackfillResult::fields(V& v, S& s) {
  v.field({.name = "from", .help = "YYYY-MM-DD"}, s.from);
  v.field({.name = "to", .help = "YYYY-MM-DD"}, s.to);
  v.field({.name = "tenant"}, s.tenant);
  v.field({.name = "portfolios", .help = "The portfolios backfilled, in order"}, s.portfolios);
  v.field({.name = "days", .help = "Every portfolio's days: price dates and skipped weekdays, in date order"},
          s.days);
  v.field({.name = "stored", .help = "Days whose snapshot was stored with every step"}, s.stored);
  v.field({.name = "partial", .help = "Days stored with a failed step"}, s.partial);
  v.field({.name = "skipped", .help = "Days with nothing held or no prices"}, s.skipped);
  v.field({.name = "failed", .help = "Days that could not be valued"}, s.failed);
  v.field({.name = "threads", .help = "Workers that ran the days"}, s.threads);
  v.field({.name = "elapsed_ms", .unit = "milliseconds"}, s.elapsed_ms);
}
KEEL_SPEC_FIELDS(BackfillResult)

}  // namespace keel::service
