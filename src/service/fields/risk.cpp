// The descriptions of the requests and results of keel/service/risk.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/risk.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void RiskInputsRequest::fields(V& v, S& s) {
  book_source_fields(v, s.source);
  v.choice({.name = "missing",
            .help = "Missing prices: error (align on common dates) or carry-forward (zero-return proxy)"},
           s.missing, kMissingPricesNames);
  valuation_fields(v, s);
}
KEEL_SPEC_REQUEST_FIELDS(RiskInputsRequest)

template <class V, class S>
void RiskVarRequest::fields(V& v, S& s) {
  v.flatten(s.inputs);
  v.choice_list({.name = "method", .help = "VaR methods, in output order"}, s.methods,
                kVarMethodNames, "all");
  v.field({.name = "window", .help = "Returns in the estimation window", .unit = "trading days", .min = 2,
           .max = 100000},
          s.window);
  v.field({.name = "confidence", .help = "Confidence level", .unit = "fraction, 0.99 = 99%", .min = 0, .max = 1,
           .min_exclusive = true, .max_exclusive = true},
          s.var.confidence);
  v.field({.name = "horizon", .help = "Horizon", .unit = "trading days", .min = 1, .max = 10000},
          s.var.horizon_days);
  v.choice({.name = "cov", .help = "Covariance estimator (parametric and Monte Carlo)"}, s.var.covariance.method,
           kCovarianceNames);
  v.field({.name = "lambda", .help = "EWMA decay", .unit = "per day", .min = 0, .max = 1, .min_exclusive = true,
           .max_exclusive = true},
          s.var.covariance.ewma_lambda);
  v.choice({.name = "dist", .help = "Monte Carlo distribution"}, s.var.monte_carlo.distribution,
           kMcDistributionNames);
  v.field({.name = "df", .help = "Student-t degrees of freedom", .min = 2, .max = 1000, .min_exclusive = true},
          s.var.monte_carlo.df);
  v.field({.name = "paths", .help = "Monte Carlo paths", .min = 1, .max = double(risk::kMaxMonteCarloPaths)},
          s.var.monte_carlo.paths);
  v.field({.name = "seed", .help = "Monte Carlo seed (same seed, same numbers whatever the thread count)"},
          s.var.monte_carlo.seed);
  v.choice({.name = "mean", .help = "Mean of returns (parametric and Monte Carlo)"}, s.var.mean,
           kMeanModelNames);
  v.choice({.name = "horizon_rule", .help = "Historical VaR beyond one day: sqrt-time scaling or overlapping sums"},
           s.var.historical_horizon, kHorizonRuleNames);
  v.field({.name = "delta_gamma", .help = "Parametric: add option gamma (Cornish-Fisher)"}, s.var.delta_gamma);
  v.field({.name = "strict_psd",
           .help = "Monte Carlo: refuse a covariance that is not positive semi-definite instead of "
                   "clipping its negative eigenvalues (with a warning)"},
          s.strict_psd);
  v.field({.name = "histogram_bins",
           .help = "Add each method's P&L histogram with this many equal bins (10 to 200; 0 = none)",
           .min = 0,
           .max = kMaxHistogramBins},
          s.histogram_bins);
  v.field({.name = "async", .help = "Run as a background job even when small", .faces = spec::kHttp}, s.async);
}
KEEL_SPEC_REQUEST_FIELDS(RiskVarRequest)

template <class V, class S>
void PnlHistogram::fields(V& v, S& s) {
  v.field({.name = "kind",
           .help = "scenarios (counts of the method's scenarios) or density (the model's "
                   "density at bin centres scaled to expected counts of total draws)"},
          s.kind);
  v.field(
      {.name = "edges", .help = "Bin edges, ascending: one more than counts", .unit = "portfolio currency"},
      s.edges);
  v.field({.name = "counts", .help = "Scenarios per bin [edge i, edge i+1), the last bin closed"},
          s.counts);
  v.field({.name = "total",
           .help = "Scenarios the counts are of (historical returns, Monte Carlo paths or, "
                   "for density, the window's returns)"},
          s.total);
}
KEEL_SPEC_FIELDS(PnlHistogram)

template <class V, class S>
void VarMethodResult::fields(V& v, S& s) {
  v.field({.name = "method", .help = "parametric, historical or montecarlo"}, s.method);
  v.field({.name = "confidence", .unit = "fraction"}, s.confidence);
  v.field({.name = "horizon_days", .unit = "trading days"}, s.horizon_days);
  v.field({.name = "var", .help = "Value at risk, positive = loss", .unit = "portfolio currency"}, s.var);
  v.field({.name = "es", .help = "Expected shortfall", .unit = "portfolio currency"}, s.es);
  v.field({.name = "var_pct", .help = "VaR over the book's value", .unit = "fraction"}, s.var_pct);
  v.field({.name = "volatility", .help = "Standard deviation of the horizon P&L", .unit = "portfolio currency"},
          s.volatility);
  v.field({.name = "scenarios", .help = "Historical scenarios or Monte Carlo paths"}, s.scenarios);
  v.field({.name = "horizon_rule", .help = "Historical: sqrt_time or overlapping"}, s.horizon_rule);
  v.field({.name = "distribution", .help = "Monte Carlo: normal or t"}, s.distribution);
  v.field({.name = "df", .help = "Monte Carlo: Student-t degrees of freedom"}, s.df);
  v.field({.name = "paths", .help = "Monte Carlo paths"}, s.paths);
  v.field({.name = "seed", .help = "Monte Carlo seed"}, s.seed);
  v.field({.name = "std_error", .help = "Monte Carlo: one-sigma error of var from order statistics",
           .unit = "portfolio currency"},
          s.std_error);
  v.field({.name = "pnl_histogram", .help = "The method's horizon P&L distribution (with histogram_bins)"},
          s.pnl_histogram);
}
KEEL_SPEC_REPORT_FIELDS(VarMethodResult)

template <class V, class S>
void VarContribution::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "asset", .help = "The risk driver"}, s.asset);
  v.field({.name = "value", .help = "Market value", .unit = "portfolio currency"}, s.value);
  v.field({.name = "exposure", .help = "Delta exposure to the driver", .unit = "portfolio currency"}, s.exposure);
  v.field({.name = "marginal_var", .help = "dVaR / d exposure", .unit = "per unit of exposure"}, s.marginal_var);
  v.field({.name = "component_var", .help = "Euler component; components sum to the VaR",
           .unit = "portfolio currency"},
          s.component_var);
  v.field({.name = "component_pct", .help = "component_var over the VaR", .unit = "fraction"}, s.component_pct);
  v.field({.name = "incremental_var", .help = "VaR with the position minus VaR without it",
           .unit = "portfolio currency"},
          s.incremental_var);
  v.field({.name = "currency", .help = "The currency the position is quoted in"}, s.currency);
  v.field({.name = "component_var_price",
           .help = "Price part of component_var: the move of the price in its own currency, converted at "
                   "the as-of rate (all of it for a position in the reporting currency)",
           .unit = "portfolio currency"},
          s.component_var_price);
  v.field({.name = "component_var_currency",
           .help = "Currency part of component_var: the FX move on the position's value at the horizon; "
                   "component_var_price + component_var_currency = component_var",
           .unit = "portfolio currency"},
          s.component_var_currency);
}
KEEL_SPEC_REPORT_FIELDS(VarContribution)

template <class V, class S>
void RiskVarResult::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "Risk date, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "currency", .help = "Reporting currency: every amount is in it"}, s.currency);
  v.field({.name = "value", .help = "Book value", .unit = "portfolio currency"}, s.value);
  v.field({.name = "positions", .help = "Positions valued"}, s.positions);
  v.field({.name = "window", .help = "Daily returns in the window"}, s.window);
  v.field({.name = "window_start", .help = "First date of the window"}, s.window_start);
  v.field({.name = "covariance", .help = "sample, ewma or ledoit-wolf"}, s.covariance);
  v.field({.name = "lambda", .help = "EWMA decay"}, s.lambda);
  v.field({.name = "mean", .help = "zero or sample"}, s.mean);
  v.field({.name = "parametric_model", .help = "delta-normal or delta-gamma (Cornish-Fisher)"}, s.parametric_model);
  v.field({.name = "results", .help = "One entry per method, in the order asked"}, s.results);
  v.field({.name = "contributions_method", .help = "The method the contributions are computed with"},
          s.contributions_method);
  v.field({.name = "contributions"}, s.contributions);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(RiskVarResult)

template <class V, class S>
void RiskBacktestRequest::fields(V& v, S& s) {
  v.flatten(s.inputs);
  v.choice({.name = "method", .help = "VaR method backtested: historical or parametric"}, s.backtest.method,
           kBacktestMethodNames);
  v.field({.name = "confidence", .help = "Confidence level", .unit = "fraction, 0.99 = 99%", .min = 0, .max = 1,
           .min_exclusive = true, .max_exclusive = true},
          s.backtest.confidence);
  v.field({.name = "window", .help = "Estimation window of each day's VaR", .unit = "trading days", .min = 2,
           .max = 100000},
          s.backtest.window);
  v.choice({.name = "cov", .help = "Parametric: variance of the window's P&L, sample or ewma"},
           s.backtest.covariance.method, kBacktestCovarianceNames);
  v.field({.name = "lambda", .help = "EWMA decay", .unit = "per day", .min = 0, .max = 1, .min_exclusive = true,
           .max_exclusive = true},
          s.backtest.covariance.ewma_lambda);
  v.field({.name = "series", .help = "Include the daily P&L and VaR series"}, s.include_series);
  v.field({.name = "async", .help = "Run as a background job", .faces = spec::kHttp}, s.async);
}
KEEL_SPEC_REQUEST_FIELDS(RiskBacktestRequest)

template <class V, class S>
void LikelihoodRatioResult::fields(V& v, S& s) {
  v.field({.name = "lr", .help = "Likelihood-ratio statistic"}, s.lr);
  v.field({.name = "p_value", .help = "Upper tail of chi-squared with df degrees of freedom"}, s.p_value);
  v.field({.name = "df", .help = "Degrees of freedom"}, s.df);
}
KEEL_SPEC_FIELDS(LikelihoodRatioResult)

template <class V, class S>
void BacktestException::fields(V& v, S& s) {
  v.field({.name = "date", .help = "YYYY-MM-DD"}, s.date);
  v.field({.name = "pnl", .help = "Hypothetical P&L of today's book", .unit = "portfolio currency"}, s.pnl);
  v.field({.name = "var", .help = "VaR of that day, positive = loss", .unit = "portfolio currency"}, s.var);
}
KEEL_SPEC_FIELDS(BacktestException)

template <class V, class S>
void BacktestDay::fields(V& v, S& s) {
  v.field({.name = "date", .help = "YYYY-MM-DD"}, s.date);
  v.field({.name = "pnl", .help = "Hypothetical P&L of today's book", .unit = "portfolio currency"}, s.pnl);
  v.field({.name = "var", .help = "VaR of that day, positive = loss", .unit = "portfolio currency"}, s.var);
  v.field({.name = "exception", .help = "The loss exceeded the VaR"}, s.exception);
}
KEEL_SPEC_REPORT_FIELDS(BacktestDay)

template <class V, class S>
void RiskBacktestResult::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "Risk date, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "currency", .help = "Reporting currency of the P&L and VaR"}, s.currency);
  v.field({.name = "method", .help = "historical or parametric"}, s.method);
  v.field({.name = "confidence", .unit = "fraction"}, s.confidence);
  v.field({.name = "window", .help = "Estimation window", .unit = "trading days"}, s.window);
  v.field({.name = "observations", .help = "Days tested"}, s.observations);
  v.field({.name = "exceptions", .help = "Days whose loss exceeded the VaR"}, s.exceptions);
  v.field({.name = "expected_exceptions", .help = "observations x (1 - confidence)"}, s.expected_exceptions);
  v.field({.name = "exception_rate", .help = "exceptions / observations", .unit = "fraction"}, s.exception_rate);
  v.field({.name = "kupiec", .help = "Kupiec proportion-of-failures test, chi2(1)"}, s.kupiec);
  v.field({.name = "christoffersen", .help = "Christoffersen independence test, chi2(1)"}, s.christoffersen);
  v.field({.name = "conditional_coverage", .help = "Conditional coverage test, chi2(2)"}, s.conditional_coverage);
  v.field({.name = "zone", .help = "Basel traffic light: green, yellow or red"}, s.zone);
  v.field({.name = "plus_factor",
           .help = "Basel plus factor to the capital multiplier of 3: 0 green; 0.40, 0.50, 0.65, 0.75, 0.85 for 5 "
                   "to 9 exceptions in 250 days; 1 red (docs/risk.md, \"Backtesting\")"},
          s.plus_factor);
  v.field({.name = "first_date", .help = "First tested day"}, s.first_date);
  v.field({.name = "last_date", .help = "Last tested day"}, s.last_date);
  v.field({.name = "exception_dates", .help = "The exception days"}, s.exception_dates);
  v.field({.name = "series", .help = "Every tested day (with series)"}, s.series);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(RiskBacktestResult)

template <class V, class S>
void RiskCorrelationRequest::fields(V& v, S& s) {
  v.flatten(s.inputs);
  v.field({.name = "window", .help = "Daily returns in the window", .unit = "trading days", .min = 2,
           .max = 100000},
          s.window);
  v.choice({.name = "cov", .help = "Covariance estimator"}, s.covariance.method, kCovarianceNames);
  v.field({.name = "lambda", .help = "EWMA decay", .unit = "per day", .min = 0, .max = 1, .min_exclusive = true,
           .max_exclusive = true},
          s.covariance.ewma_lambda);
}
KEEL_SPEC_REQUEST_FIELDS(RiskCorrelationRequest)

template <class V, class S>
void SectorWeight::fields(V& v, S& s) {
  v.field({.name = "sector", .help = "Sector (Unknown when a position has none)"}, s.sector);
  v.field({.name = "weight", .help = "Share of gross delta exposure", .unit = "fraction"}, s.weight);
}
KEEL_SPEC_REPORT_FIELDS(SectorWeight)

template <class V, class S>
void ConcentrationResult::fields(V& v, S& s) {
  v.field({.name = "hhi", .help = "Herfindahl-Hirschman index of the position weights"}, s.hhi);
  v.field({.name = "top10_weight", .help = "Weight of the ten largest positions (gross delta exposure)", .unit = "fraction"},
          s.top10_weight);
  v.field({.name = "largest_sector"}, s.largest_sector);
  v.field({.name = "sectors"}, s.sectors);
}
KEEL_SPEC_FIELDS(ConcentrationResult)

template <class V, class S>
void DiversificationFigures::fields(V& v, S& s) {
  v.field({.name = "average_pairwise_correlation", .help = "Mean off-diagonal correlation of the positions (delta view: shorts flip the sign)"},
          s.average_pairwise_correlation);
  v.field({.name = "weighted_average_pairwise_correlation", .help = "The same mean weighted by |w_i w_j|"},
          s.weighted_average_pairwise_correlation);
  v.field({.name = "diversification_ratio", .help = "Choueifaty-Coignard: sum of |exposure| x vol over the book's vol"},
          s.diversification_ratio);
  v.field({.name = "effective_number_of_bets", .help = "Meucci effective number of bets, 1 to the number of drivers"},
          s.effective_number_of_bets);
  v.field({.name = "effective_number_of_positions", .help = "1 / HHI of the weights"},
          s.effective_number_of_positions);
  v.field({.name = "concentration"}, s.concentration);
}
KEEL_SPEC_FIELDS(DiversificationFigures)

template <class V, class S>
void RiskCorrelationResult::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "Risk date, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "portfolio_name", .help = "The portfolio again (the diversification report's key)"},
          s.portfolio_name);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "currency", .help = "Reporting currency"}, s.currency);
  v.field({.name = "window", .help = "Daily returns in the window"}, s.window);
  v.field({.name = "covariance", .help = "sample, ewma or ledoit-wolf"}, s.covariance);
  v.field({.name = "symbols",
           .help = "Risk drivers, in matrix order; then one FX column per foreign currency (EUR/USD: the "
                   "return of the rate converting it into the reporting currency)"},
          s.symbols);
  v.field({.name = "matrix", .help = "Correlation matrix of daily returns (null where undefined)"}, s.matrix);
  v.field({.name = "volatility", .help = "Annualised volatility of each driver (x sqrt 252)", .unit = "fraction"},
          s.volatility);
  v.field({.name = "portfolio_volatility", .help = "Annualised volatility over the book's value",
           .unit = "fraction"},
          s.portfolio_volatility);
  v.field({.name = "portfolio_volatility_amount", .help = "Annualised volatility", .unit = "portfolio currency"},
          s.portfolio_volatility_amount);
  v.field({.name = "value", .help = "Book value", .unit = "portfolio currency"}, s.value);
  v.flatten(s.diversification);
  v.field({.name = "correlated_positions", .help = "Positions behind average_pairwise_correlation"},
          s.correlated_positions);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(RiskCorrelationResult)

}  // namespace keel::service
