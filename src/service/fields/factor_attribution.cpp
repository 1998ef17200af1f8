// The descriptions of the requests and results of keel/service/factor_attribution.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/factor_attribution.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void FactorAttributionRequest::fields(V& v, S& s) {
  auto& src = s.inputs.source;
  v.field({.name = "portfolio", .help = "Stored portfolio name", .faces = spec::kCli, .cli_short = "-p"},
          src.portfolio);
  v.field({.name = "positions", .help = "Positions CSV (instead of --portfolio)", .faces = spec::kCli},
          src.positions_file);
  v.field({.name = "prices", .help = "Prices CSV (default: the store's prices)", .faces = spec::kCli},
          src.prices_file);
  v.field({.name = "currency", .help = "Reporting currency (default: the portfolio's, else USD)"}, src.currency);
  v.field({.name = "fx",
           .help = "FX rates CSV (date,base,quote,rate) to value positions in other currencies, which are not "
                   "attributed (default: the store's rates)",
           .faces = spec::kCli},
          src.fx_file);
  v.choice({.name = "missing",
            .help = "Missing prices: error (align on common dates) or carry-forward (zero-return proxy)"},
           s.inputs.missing, kMissingPricesNames);
  v.flatten(s.factors);
  v.field({.name = "from", .help = "Period start: the close of this date (the last price date on or before it)",
           .required = true},
          s.from);
  v.field({.name = "to", .help = "Period end: the close of this date (the last price date on or before it)",
           .required = true},
          s.to);
  v.field({.name = "window", .help = "Daily returns per beta regression, ending at the period start",
           .unit = "trading days", .min = 2, .max = 100000},
          s.window);
}
KEEL_SPEC_REQUEST_FIELDS(FactorAttributionRequest)

template <class V, class S>
void AttributionPosition::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "driver", .help = "The price series attributed"}, s.driver);
  v.field({.name = "market_value", .help = "Market value at the period start", .unit = "reporting currency"},
          s.market_value);
  v.field({.name = "end_value", .help = "Market value at the period end, the position held constant",
           .unit = "reporting currency"},
          s.end_value);
  v.field({.name = "return", .help = "Price return over the period, compounded", .unit = "decimal"},
          s.return_period);
  v.field({.name = "pnl_amount", .help = "P&L over the period: end_value - market_value",
           .unit = "reporting currency"},
          s.pnl_amount);
  v.field({.name = "factors", .help = "Factor -> sum over the days of value x beta x factor return",
           .unit = "reporting currency"},
          s.factors);
  v.field({.name = "factor_amount", .help = "Sum of the factor amounts", .unit = "reporting currency"},
          s.factor_amount);
  v.field({.name = "risk_free_amount", .help = "Sum over the days of value x risk-free return",
           .unit = "reporting currency"},
          s.risk_free_amount);
  v.field({.name = "alpha_amount", .help = "Sum over the days of value x daily alpha", .unit = "reporting currency"},
          s.alpha_amount);
  v.field({.name = "residual_amount", .help = "pnl - factors - risk free - alpha", .unit = "reporting currency"},
          s.residual_amount);
  v.field({.name = "betas", .help = "Ex-ante beta per factor"}, s.betas);
  v.field({.name = "alpha_daily", .help = "Ex-ante intercept", .unit = "decimal per day"}, s.alpha_daily);
}
KEEL_SPEC_REPORT_FIELDS(AttributionPosition)

template <class V, class S>
void AttributionTotals::fields(V& v, S& s) {
  v.field({.name = "market_value", .unit = "reporting currency"}, s.market_value);
  v.field({.name = "end_value", .unit = "reporting currency"}, s.end_value);
  v.field({.name = "return", .help = "pnl_amount over market_value", .unit = "decimal"}, s.return_period);
  v.field({.name = "pnl_amount", .unit = "reporting currency"}, s.pnl_amount);
  v.field({.name = "factors", .help = "Factor -> amount", .unit = "reporting currency"}, s.factors);
  v.field({.name = "factor_amount", .unit = "reporting currency"}, s.factor_amount);
  v.field({.name = "risk_free_amount", .unit = "reporting currency"}, s.risk_free_amount);
  v.field({.name = "alpha_amount", .unit = "reporting currency"}, s.alpha_amount);
  v.field({.name = "residual_amount", .unit = "reporting currency"}, s.residual_amount);
}
KEEL_SPEC_FIELDS(AttributionTotals)

template <class V, class S>
void AttributionExcluded::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "reason"}, s.reason);
}
KEEL_SPEC_FIELDS(AttributionExcluded)

template <class V, class S>
void FactorAttributionResult::fields(V& v, S& s) {
  v.field({.name = "portfolio_name"}, s.portfolio_name);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "currency", .help = "Reporting currency of every amount"}, s.currency);
  v.field({.name = "start_date", .help = "The close the period starts from, YYYY-MM-DD"}, s.start_date);
  v.field({.name = "end_date", .help = "The close the period ends at, YYYY-MM-DD"}, s.end_date);
  v.field({.name = "days", .help = "Daily returns in the period", .unit = "trading days"}, s.days);
  v.field({.name = "factors", .help = "Factor names"}, s.factors);
  v.field({.name = "factor_source", .help = "The factor file or store set"}, s.factor_source);
  v.field({.name = "excess_returns", .help = "The betas are of returns in excess of the risk-free column"},
          s.excess_returns);
  v.field({.name = "window", .help = "Daily returns of the beta regressions", .unit = "trading days"}, s.window);
  v.field({.name = "window_first_date", .help = "First return date of the beta window"}, s.window_first_date);
  v.field({.name = "window_last_date", .help = "Last return date of the beta window (the period start)"},
          s.window_last_date);
  v.field({.name = "factor_returns", .help = "Factor -> return over the period, compounded", .unit = "decimal"},
          s.factor_returns);
  v.field({.name = "risk_free_return", .help = "Risk-free return over the period, compounded", .unit = "decimal"},
          s.risk_free_return);
  v.field({.name = "positions", .help = "Attributed positions, book order"}, s.positions);
  v.field({.name = "book", .help = "Sums over the attributed positions"}, s.book);
  v.field({.name = "excluded", .help = "Positions not attributed, with the reason"}, s.excluded);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_REPORT_FIELDS(FactorAttributionResult)

}  // namespace keel::service
