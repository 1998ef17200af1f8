// The descriptions of the requests and results of keel/service/whatif.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/whatif.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void PositionChange::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "quantity_before", .help = "0 for a symbol not held", .unit = "shares or contracts"},
          s.quantity_before);
  v.field({.name = "quantity_after", .help = "0 when the trades close it", .unit = "shares or contracts"},
          s.quantity_after);
  v.choice({.name = "effect", .help = "add: trades on a held symbol that net to no change"}, s.effect,
           kTradeEffectNames);
}
KEEL_SPEC_FIELDS(PositionChange)

template <class V, class S>
void WhatIfRequest::fields(V& v, S& s) {
  v.flatten(s.inputs);
  v.field({.name = "trades", .help = "Trades CSV: symbol,quantity (+ buy, - sell) [,price, option columns]",
           .faces = spec::kCli, .required = true},
          s.trades_file);
  v.field({.name = "save_as", .help = "Store the book after the trades as a new portfolio", .faces = spec::kCli},
          s.save_as);
  v.field({.name = "replace", .help = "With save_as: overwrite an existing portfolio of that name",
           .faces = spec::kCli},
          s.replace);
  v.choice_list({.name = "method", .help = "VaR methods, in output order"}, s.methods, kVarMethodNames, "all");
  v.field({.name = "confidence", .help = "VaR confidence level", .unit = "fraction, 0.99 = 99%", .min = 0,
           .max = 1, .min_exclusive = true, .max_exclusive = true},
          s.var.confidence);
  v.field({.name = "window", .help = "Daily returns in the VaR window", .unit = "trading days", .min = 2,
           .max = 100000},
          s.window);
  v.field({.name = "horizon", .help = "VaR horizon", .unit = "trading days", .min = 1, .max = 10000},
          s.var.horizon_days);
  v.choice({.name = "cov", .help = "Covariance estimator (parametric and Monte Carlo)"}, s.var.covariance.method,
           kCovarianceNames);
  v.field({.name = "lambda", .help = "EWMA decay", .unit = "per day", .min = 0, .max = 1, .min_exclusive = true,
           .max_exclusive = true},
          s.var.covariance.ewma_lambda);
  v.field({.name = "paths", .help = "Monte Carlo paths", .min = 1, .max = double(risk::kMaxMonteCarloPaths)},
          s.var.monte_carlo.paths);
  v.field({.name = "seed", .help = "Monte Carlo seed"}, s.var.monte_carlo.seed);
  v.choice({.name = "dist", .help = "Monte Carlo distribution"}, s.var.monte_carlo.distribution,
           kMcDistributionNames);
  v.field({.name = "df", .help = "Student-t degrees of freedom", .min = 2, .max = 1000, .min_exclusive = true},
          s.var.monte_carlo.df);
  v.choice({.name = "mean", .help = "Mean of returns (parametric and Monte Carlo)"}, s.var.mean, kMeanModelNames);
  v.choice({.name = "horizon_rule", .help = "Historical VaR beyond one day: sqrt-time scaling or overlapping sums"},
           s.var.historical_horizon, kHorizonRuleNames);
  v.field({.name = "delta_gamma", .help = "Parametric: add option gamma (Cornish-Fisher)"}, s.var.delta_gamma);
  v.flatten(s.factors);
  v.field({.name = "factor_window", .help = "Daily returns per factor regression", .unit = "trading days",
           .min = 2, .max = 100000},
          s.factor_window);
  v.field({.name = "scenario", .help = "Stress scenarios (default: every built-in one)"}, s.scenarios);
  v.choice_list({.name = "stress_method", .help = "Stress methods"}, s.stress_methods, kStressMethodNames, "both");
}
KEEL_SPEC_REQUEST_FIELDS(WhatIfRequest)

template <class V, class S>
void WhatIfTrade::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "quantity", .help = "+ buy, - sell", .unit = "shares or contracts"}, s.quantity);
  v.field({.name = "multiplier", .help = "Units of the underlying per contract"}, s.multiplier);
  v.field({.name = "price", .help = "The trade's price, else the last close or the model value (null: none)",
           .unit = "price units"},
          s.price);
  v.field({.name = "price_source", .help = "given, close or model (null without a price)"}, s.price_source);
  v.field({.name = "cash_amount", .help = "-quantity x price x multiplier (negative = cash paid)",
           .unit = "portfolio currency"},
          s.cash_amount);
  v.field({.name = "origin", .help = "file:line of the trade (sessions: trade N)"}, s.origin);
}
KEEL_SPEC_FIELDS(WhatIfTrade)

template <class V, class S>
void WhatIfStress::fields(V& v, S& s) {
  v.field({.name = "name", .help = "Scenario"}, s.name);
  v.field({.name = "method", .help = "direct or correlated"}, s.method);
  v.field({.name = "before", .help = "P&L, negative = loss", .unit = "portfolio currency"}, s.before);
  v.field({.name = "after", .help = "P&L, negative = loss", .unit = "portfolio currency"}, s.after);
  v.field({.name = "change", .help = "after - before", .unit = "portfolio currency"}, s.change);
}
KEEL_SPEC_FIELDS(WhatIfStress)

template <class V, class S>
void WhatIfSector::fields(V& v, S& s) {
  v.field({.name = "key", .help = "Sector"}, s.key);
  v.field({.name = "before", .help = "Net market value", .unit = "portfolio currency"}, s.before);
  v.field({.name = "after", .help = "Net market value", .unit = "portfolio currency"}, s.after);
  v.field({.name = "change", .help = "after - before", .unit = "portfolio currency"}, s.change);
}
KEEL_SPEC_FIELDS(WhatIfSector)

template <class V, class S>
void WhatIfFactors::fields(V& v, S& s) {
  v.field({.name = "available"}, s.available);
  v.field({.name = "reason", .help = "Why betas and stress are n/a (null when available)"}, s.reason);
  v.field({.name = "names", .help = "Factor names"}, s.names);
}
KEEL_SPEC_FIELDS(WhatIfFactors)

template <class V, class S>
void WhatIfVarSettings::fields(V& v, S& s) {
  v.field({.name = "confidence", .unit = "fraction"}, s.confidence);
  v.field({.name = "horizon_days", .unit = "trading days"}, s.horizon_days);
  v.field({.name = "window", .help = "Daily returns in the VaR window", .unit = "trading days"}, s.window);
  v.choice_list({.name = "methods", .help = "VaR methods, in output order"}, s.methods, kVarMethodNames);
}
KEEL_SPEC_FIELDS(WhatIfVarSettings)

template <class V, class S>
void WhatIfSaved::fields(V& v, S& s) {
  v.field({.name = "id"}, s.id);
  v.field({.name = "name"}, s.name);
  v.field({.name = "positions", .help = "Number of positions"}, s.positions);
}
KEEL_SPEC_FIELDS(WhatIfSaved)

template <class V, class S>
void WhatIfResult::fields(V& v, S& s) {
  v.field({.name = "session_id", .help = "The modelling session (HTTP)"}, s.session_id);
  v.field({.name = "portfolio_id", .help = "The session's stored portfolio (HTTP)"}, s.portfolio_id);
  v.field({.name = "portfolio", .help = "Name of the book"}, s.portfolio);
  v.field({.name = "currency", .help = "Reporting currency of every amount"}, s.currency);
  v.field({.name = "as_of", .help = "The one valuation date of both sides"}, s.as_of);
  v.field({.name = "trades", .help = "The trades, in order, with their cash impact"}, s.trades);
  v.field({.name = "cash_amount", .help = "Sum of the trades' cash_amount (negative = cash paid)",
           .unit = "portfolio currency"},
          s.cash_amount);
  v.field({.name = "positions", .help = "Each traded symbol's quantity before and after"}, s.positions);
  v.field({.name = "before", .help = "Metrics of the book before the trades"}, s.before);
  v.field({.name = "after", .help = "Metrics of the book after the trades"}, s.after);
  v.field({.name = "change", .help = "after - before of every metric (null when a side lacks it)"}, s.change);
  v.field({.name = "stress", .help = "Stress P&L per scenario and method (with factor data)"}, s.stress);
  v.field({.name = "by_sector", .help = "Net market value per sector"}, s.by_sector);
  v.field({.name = "factors", .help = "Whether betas and stress were computed"}, s.factors);
  v.field({.name = "var", .help = "The VaR settings"}, s.var);
  v.field({.name = "warnings"}, s.warnings);
  v.field({.name = "saved_as", .help = "The portfolio the book after was saved as (null: not saved)"},
          s.saved_as);
}
KEEL_SPEC_FIELDS(WhatIfResult)

}  // namespace keel::service
