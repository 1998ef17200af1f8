// The descriptions of the requests and results of keel/service/reference_data.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/reference_data.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void ScenarioInfo::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "label"}, s.label);
  v.field({.name = "kind", .help = "historical or hypothetical"}, s.kind);
  v.field({.name = "description"}, s.description);
  v.field({.name = "start", .help = "Historical: the window starts after this close, YYYY-MM-DD"}, s.start);
  v.field({.name = "end", .help = "Historical: the window's last close, YYYY-MM-DD"}, s.end);
  v.field({.name = "shocks", .help = "Factor shocks: compounded decimal returns over the window", .unit = "decimal"},
          s.shocks);
  v.field({.name = "daily_days", .help = "Days of its daily path, replayed day by day (0: one step)", .unit = "days"},
          s.daily_days);
  v.field({.name = "vol_shock", .help = "Implied-vol change of options", .unit = "decimal"}, s.vol_shock);
  v.field({.name = "source", .help = "built-in, or the file it came from"}, s.source);
}
KEEL_SPEC_FIELDS(ScenarioInfo)

template <class V, class S>
void ScenarioListResult::fields(V& v, S& s) {
  v.field({.name = "derived_by", .help = "The command that reproduces the historical shocks"}, s.derived_by);
  v.field({.name = "factor_data", .help = "The factor data the historical shocks come from"}, s.factor_data);
  v.field({.name = "scenarios", .help = "Library order"}, s.scenarios);
}
KEEL_SPEC_FIELDS(ScenarioListResult)

template <class V, class S>
void FactorSetInfo::fields(V& v, S& s) {
  v.field({.name = "name", .help = "The set's name (keel import factors --set)"}, s.name);
  v.field({.name = "factors", .help = "In file order (rf included when imported)"}, s.factors);
  v.field({.name = "first_date", .help = "YYYY-MM-DD"}, s.first_date);
  v.field({.name = "last_date", .help = "YYYY-MM-DD"}, s.last_date);
  v.field({.name = "days", .help = "Dates with returns", .unit = "days"}, s.days);
}
KEEL_SPEC_FIELDS(FactorSetInfo)

template <class V, class S>
void FactorSetsResult::fields(V& v, S& s) {
  v.field({.name = "sets", .help = "By name"}, s.sets);
}
KEEL_SPEC_FIELDS(FactorSetsResult)

template <class V, class S>
void FactorCorrelationRequest::fields(V& v, S& s) {
  v.field({.name = "window", .help = "Daily returns, the last of them on or before to", .unit = "trading days",
           .min = 2, .max = 100000},
          s.window);
  v.field({.name = "to", .help = "Last date (default: the set's last)"}, s.to);
  v.field({.name = "rf_column", .help = "Risk-free column, left out of the matrix"}, s.rf_column);
}
KEEL_SPEC_REQUEST_FIELDS(FactorCorrelationRequest)

template <class V, class S>
void FactorCorrelationSetResult::fields(V& v, S& s) {
  v.field({.name = "set"}, s.set);
  v.field({.name = "first_date", .help = "First return of the window"}, s.first_date);
  v.field({.name = "last_date", .help = "Last return of the window"}, s.last_date);
  v.field({.name = "window", .help = "Returns used", .unit = "trading days"}, s.window);
  v.field({.name = "factors", .help = "Matrix order"}, s.factors);
  v.field({.name = "correlation", .help = "Sample correlation of the daily factor returns"}, s.correlation);
  v.field({.name = "volatility", .help = "Sample sd of each factor's daily returns x sqrt(252)",
           .unit = "fraction per year"},
          s.volatility);
}
KEEL_SPEC_FIELDS(FactorCorrelationSetResult)

}  // namespace keel::service
