// The descriptions of the requests and results of keel/service/report.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/report.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void ReportSummary::fields(V& v, S& s) {
  v.field({.name = "status", .help = "ok, or failed when the book could not be valued", .required = true},
          s.status);
  v.field({.name = "reason", .help = "Why not ok"}, s.reason);
  v.field({.name = "currency",
           .help = "The reporting currency: every *_amount of the report is in it (positions in other "
                   "currencies converted at the as-of date's FX rate)"},
          s.currency);
  v.field({.name = "positions_count", .help = "Positions in the book"}, s.positions_count);
  v.field({.name = "net_value_amount", .help = "Net market value", .unit = "portfolio currency"},
          s.net_value_amount);
  v.field({.name = "gross_value_amount", .help = "Gross market value", .unit = "portfolio currency"},
          s.gross_value_amount);
  v.field({.name = "long_value_amount", .help = "Long market value", .unit = "portfolio currency"},
          s.long_value_amount);
  v.field({.name = "short_value_amount", .help = "Short market value", .unit = "portfolio currency"},
          s.short_value_amount);
  v.field({.name = "pnl_1d_amount",
           .help = "The book's value at the as-of date less the same positions' value at the previous price date "
                   "(each valued as its market value is: options revalued); the sum of the positions' pnl_1d_amount",
           .unit = "portfolio currency"},
          s.pnl_1d_amount);
  v.field({.name = "pnl_1d_pct", .help = "pnl_1d_amount / net_value_amount", .unit = "fraction"}, s.pnl_1d_pct);
  v.field({.name = "pnl_1d_from", .help = "The previous price date of pnl_1d_amount, YYYY-MM-DD"}, s.pnl_1d_from);
  v.field({.name = "cost_basis_amount", .help = "Quantity x entry price, over the positions that have one",
           .unit = "portfolio currency"},
          s.cost_basis_amount);
  v.field({.name = "unrealized_pnl_amount",
           .help = "Market value less cost basis, over the positions with an entry price",
           .unit = "portfolio currency"},
          s.unrealized_pnl_amount);
  v.field({.name = "var_method", .help = "The method of var_amount and es_amount"}, s.var_method);
  v.field({.name = "var_amount", .help = "One-day VaR, positive = loss", .unit = "portfolio currency"},
          s.var_amount);
  v.field({.name = "es_amount", .help = "One-day expected shortfall", .unit = "portfolio currency"}, s.es_amount);
  v.field({.name = "var_pct", .help = "var_amount over the book's value", .unit = "fraction"}, s.var_pct);
  v.field({.name = "confidence", .help = "VaR/ES confidence level", .unit = "fraction"}, s.confidence);
  v.field({.name = "backtest_zone", .help = "Basel traffic light: green, yellow or red"}, s.backtest_zone);
  v.field({.name = "beta_mkt", .help = "Beta to the market factor"}, s.beta_mkt);
  v.field({.name = "worst_stress_scenario", .help = "Stress scenario with the largest loss"},
          s.worst_stress_scenario);
  v.field({.name = "worst_stress_pnl_amount", .help = "Its P&L", .unit = "portfolio currency"},
          s.worst_stress_pnl_amount);
  v.field({.name = "largest_position_symbol", .help = "Largest position by gross market value"},
          s.largest_position_symbol);
  v.field({.name = "largest_position_weight", .help = "Its weight in gross market value", .unit = "fraction"},
          s.largest_position_weight);
  v.field({.name = "data_warnings_count", .help = "Data-quality warnings"}, s.data_warnings_count);
}
KEEL_SPEC_REPORT_FIELDS(ReportSummary)

template <class V, class S>
void Report::fields(V& v, S& s) {
  v.field({.name = "schema", .help = "keel.report/2", .required = true}, s.schema);
  v.field({.name = "portfolio", .required = true}, s.portfolio);
  v.field({.name = "as_of", .help = "As-of date, YYYY-MM-DD", .required = true}, s.as_of);
  v.field({.name = "generated_at", .help = "ISO-8601 UTC", .required = true}, s.generated_at);
  v.field({.name = "keel_version", .required = true}, s.keel_version);
  v.field({.name = "provenance", .help = "Where the inputs came from", .required = true}, s.provenance);
  v.field({.name = "summary", .help = "The headline figures", .required = true}, s.summary);
  v.field({.name = "data_quality", .help = "Data-quality checks of the price history", .required = true},
          s.data_quality);
  v.field({.name = "positions",
           .help = "One row per position (the columns of positions.csv)",
           .required = true},
          s.positions);
  v.field({.name = "exposures", .help = "Exposures, by sector and by instrument type", .required = true},
          s.exposures);
  v.field({.name = "greeks", .help = "Option Greeks in money terms", .required = true}, s.greeks);
  v.field({.name = "factors", .help = "Factor betas of the book", .required = true}, s.factors);
  v.field({.name = "var", .help = "VaR and ES by method, contributions and the backtest", .required = true},
          s.var);
  v.field({.name = "stress", .help = "Stress scenarios", .required = true}, s.stress);
  v.field({.name = "correlation", .help = "Correlation highlights and diversification", .required = true},
          s.correlation);
  v.field({.name = "concentration",
           .help = "Concentration of the book by position and sector",
           .required = true},
          s.concentration);
  v.field({.name = "history", .help = "Stored snapshots up to the as-of date", .required = true},
          s.history);
  v.field({.name = "attribution",
           .help = "Factor attribution of the P&L from attribution_from to the as-of date (when asked)"},
          s.attribution);
  v.field({.name = "steps", .help = "Every step, in the order they ran", .required = true}, s.steps);
}
KEEL_SPEC_REPORT_FIELDS(Report)

}  // namespace keel::service
