// The descriptions of the requests and results of keel/service/factors.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/factors.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void FactorDataSource::fields(V& v, S& s) {
  v.field({.name = "factors", .help = "Factor returns CSV date,<factor>,... (default: the store's factor set)",
           .faces = spec::kCli},
          s.file);
  v.choice({.name = "factor_units", .help = "Units of the factor file (the Fama-French files are in percent)",
            .faces = spec::kCli},
           s.units, kRateUnitsNames);
  v.field({.name = "set", .help = "Factor set in the store (keel import factors FILE --set NAME)",
           .cli_name = "factor_set"},
          s.set);
  v.field({.name = "rf_column", .help = "Risk-free column of the factor data (not a regressor)"}, s.rf_column);
}
KEEL_SPEC_REQUEST_FIELDS(FactorDataSource)

template <class V, class S>
void FactorsRequest::fields(V& v, S& s) {
  v.flatten(s.inputs);
  v.flatten(s.factors);
  v.field({.name = "window", .help = "Daily returns per regression", .unit = "trading days", .min = 2,
           .max = 100000},
          s.window);
  v.field({.name = "rolling_window", .help = "Rolling betas with windows of this many days (0 = none)",
           .unit = "trading days", .min = 0, .max = 100000, .cli_name = "rolling"},
          s.rolling_window);
  v.field({.name = "rolling_step", .help = "Days between rolling windows", .unit = "trading days", .min = 1,
           .max = 100000},
          s.rolling_step);
}
KEEL_SPEC_REQUEST_FIELDS(FactorsRequest)

template <class V, class S>
void FactorFit::fields(V& v, S& s) {
  v.field({.name = "betas", .help = "Beta per factor"}, s.betas);
  v.field({.name = "alpha", .help = "Intercept, annualised", .unit = "decimal per year"}, s.alpha);
  v.field({.name = "alpha_daily", .help = "Intercept", .unit = "decimal per day"}, s.alpha_daily);
  v.field({.name = "alpha_t", .help = "t-statistic of the intercept"}, s.alpha_t);
  v.field({.name = "r2", .help = "R squared"}, s.r2);
  v.field({.name = "adj_r2", .help = "Adjusted R squared"}, s.adj_r2);
  v.field({.name = "t_stats", .help = "t-statistic per factor"}, s.t_stats);
  v.field({.name = "std_errors", .help = "Standard error per factor"}, s.std_errors);
  v.field({.name = "residual_vol", .help = "Residual volatility, annualised", .unit = "decimal per year"},
          s.residual_vol);
  v.field({.name = "residual_vol_daily", .help = "Residual volatility", .unit = "decimal per day"},
          s.residual_vol_daily);
}
KEEL_SPEC_FIELDS(FactorFit)

template <class V, class S>
void FactorValueWeighted::fields(V& v, S& s) {
  v.field({.name = "betas", .help = "Position betas weighted by weight_base"}, s.betas);
  v.field({.name = "alpha", .help = "Position alphas weighted the same way", .unit = "decimal per year"}, s.alpha);
}
KEEL_SPEC_FIELDS(FactorValueWeighted)

template <class V, class S>
void FactorPortfolio::fields(V& v, S& s) {
  v.field({.name = "betas", .help = "Value-weighted position betas per factor"}, s.betas);
  v.field({.name = "alpha", .help = "Value-weighted position alphas", .unit = "decimal per year"}, s.alpha);
  v.field({.name = "r2", .help = "R squared of the book's own regression"}, s.r2);
  v.field({.name = "value_weighted"}, s.value_weighted);
  v.field({.name = "regression", .help = "The book's return series regressed on the factors"}, s.regression);
  v.field({.name = "exposures", .help = "P&L of a 1.00 (100%) factor move", .unit = "portfolio currency"},
          s.exposures);
}
KEEL_SPEC_FIELDS(FactorPortfolio)

template <class V, class S>
void FactorPosition::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "driver", .help = "The risk driver"}, s.driver);
  v.field({.name = "value", .help = "Market value", .unit = "portfolio currency"}, s.value);
  v.field({.name = "exposure", .help = "Delta exposure", .unit = "portfolio currency"}, s.exposure);
  v.field({.name = "weight", .help = "Exposure over the weight base", .unit = "fraction"}, s.weight);
  v.flatten(s.fit);
}
KEEL_SPEC_FIELDS(FactorPosition)

template <class V, class S>
void RollingSeries::fields(V& v, S& s) {
  v.field({.name = "betas", .help = "Beta per factor, per window"}, s.betas);
  v.field({.name = "alpha", .help = "Intercept per window, annualised", .unit = "decimal per year"}, s.alpha);
  v.field({.name = "r2", .help = "R squared per window"}, s.r2);
}
KEEL_SPEC_FIELDS(RollingSeries)

template <class V, class S>
void RollingAssetSeries::fields(V& v, S& s) {
  v.flatten(s.series);
  v.field({.name = "symbol", .help = "The driver"}, s.symbol);
}
KEEL_SPEC_FIELDS(RollingAssetSeries)

template <class V, class S>
void FactorRolling::fields(V& v, S& s) {
  v.field({.name = "window", .unit = "trading days"}, s.window);
  v.field({.name = "step", .unit = "trading days"}, s.step);
  v.field({.name = "dates", .help = "Last date of each window"}, s.dates);
  v.field({.name = "portfolio", .help = "The book's return series"}, s.portfolio);
  v.field({.name = "assets", .help = "Each driver"}, s.assets);
}
KEEL_SPEC_FIELDS(FactorRolling)

template <class V, class S>
void FactorsResult::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "Risk date, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "portfolio_name"}, s.portfolio_name);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "currency", .help = "Reporting currency of every amount"}, s.currency);
  v.field({.name = "factors", .help = "Factor names"}, s.factors);
  v.field({.name = "factor_source", .help = "The factor file or store set"}, s.factor_source);
  v.field({.name = "excess_returns", .help = "Returns are in excess of the risk-free column"}, s.excess_returns);
  v.field({.name = "window", .help = "Daily returns regressed"}, s.window);
  v.field({.name = "first_date", .help = "First return date"}, s.first_date);
  v.field({.name = "last_date", .help = "Last return date"}, s.last_date);
  v.field({.name = "periods_per_year", .help = "Annualisation of alpha and residual vol"}, s.periods_per_year);
  v.field({.name = "weight_base", .help = "What position weights are fractions of", .unit = "portfolio currency"},
          s.weight_base);
  v.field({.name = "weight_basis", .help = "net_value or gross_exposure"}, s.weight_basis);
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "positions", .help = "Risky positions, book order"}, s.positions);
  v.field({.name = "rolling", .help = "With rolling_window > 0"}, s.rolling);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_REPORT_FIELDS(FactorsResult)

template <class V, class S>
void StressRequest::fields(V& v, S& s) {
  v.flatten(s.inputs);
  v.flatten(s.factors);
  v.field({.name = "scenario", .help = "Scenario names or all (a list, or comma-separated)"}, s.scenarios);
  v.field({.name = "scenarios", .help = "Scenario file (JSON) adding to or overriding the built-in ones",
           .faces = spec::kCli},
          s.scenarios_file);
  v.field({.name = "shock", .help = "User scenario shocks FACTOR=DECIMAL_RETURN (e.g. mkt_rf=-0.15,smb=0.02)"},
          s.shock_texts);
  v.field({.name = "vol_shock", .help = "Implied-vol change of the user scenario", .unit = "decimal, 0.10 = +10 points",
           .min = -1, .max = 5, .min_exclusive = true},
          s.user_vol_shock);
  v.choice_list({.name = "method", .help = "Stress methods"}, s.methods, kStressMethodNames, "both");
  v.field({.name = "window", .help = "Daily returns for the betas and the factor covariance", .unit = "trading days",
           .min = 2, .max = 100000},
          s.window);
}
KEEL_SPEC_REQUEST_FIELDS(StressRequest)

template <class V, class S>
void StressPosition::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "pnl", .unit = "portfolio currency"}, s.pnl);
  v.field({.name = "pnl_pct", .help = "P&L over the position's value", .unit = "fraction"}, s.pnl_pct);
  v.field({.name = "value", .help = "Market value", .unit = "portfolio currency"}, s.value);
  v.field({.name = "driver", .help = "The risk driver (risky positions)"}, s.driver);
  v.field({.name = "move", .help = "The driver's return under the scenario", .unit = "decimal"}, s.move);
  v.field({.name = "own_days",
           .help = "Daily replay: days the driver moved by its own return (the others by its factor proxy)",
           .unit = "days"},
          s.own_days);
  v.field({.name = "proxy_r2",
           .help = "Daily replay, a driver proxied on some days: the R^2 of its factor regression (below 0.2 "
                   "the result warns)",
           .unit = "fraction"},
          s.proxy_r2);
  v.field({.name = "proxy_bounded",
           .help = "Daily replay, a proxied driver: the part of its proxied move beyond the market's was bounded "
                   "(docs/stress.md, \"Proxies\")"},
          s.proxy_bounded);
}
KEEL_SPEC_FIELDS(StressPosition)

template <class V, class S>
void StressScenarioResult::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "label"}, s.label);
  v.field({.name = "kind", .help = "historical, hypothetical or user"}, s.kind);
  v.field({.name = "start", .help = "Historical: first date, YYYY-MM-DD"}, s.start);
  v.field({.name = "end", .help = "Historical: last date, YYYY-MM-DD"}, s.end);
  v.field({.name = "method", .help = "direct or correlated"}, s.method);
  v.field({.name = "pnl", .unit = "portfolio currency"}, s.pnl);
  v.field({.name = "pnl_pct", .help = "P&L over the book's value", .unit = "fraction"}, s.pnl_pct);
  v.field({.name = "vol_shock", .help = "Implied-vol change (null: none)", .unit = "decimal"}, s.vol_shock);
  v.field({.name = "factor_shocks", .help = "Factor returns of the scenario (correlated: filled in)",
           .unit = "decimal"},
          s.factor_shocks);
  v.field({.name = "given_factors", .help = "Factors the scenario shocks itself"}, s.given_factors);
  v.field({.name = "replay",
           .help = "daily (a historical window replayed day by day, compounded) or one step (the shocks applied at "
                   "once through the betas)"},
          s.replay);
  v.field({.name = "replay_days", .help = "Daily replay: trading days of the window", .unit = "days"}, s.replay_days);
  v.field({.name = "currency_moves",
           .help = "Books with positions in other currencies: the return of each foreign currency's rate into "
                   "the reporting currency (EUR/USD), shocked (fx:EUR) or implied by its factor betas",
           .unit = "decimal"},
          s.currency_moves);
  v.field({.name = "positions"}, s.positions);
}
KEEL_SPEC_REPORT_FIELDS(StressScenarioResult)

template <class V, class S>
void StressResult::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "Risk date, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "portfolio_name"}, s.portfolio_name);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "currency", .help = "Reporting currency of every amount"}, s.currency);
  v.field({.name = "factors", .help = "Factor names"}, s.factors);
  v.field({.name = "factor_source", .help = "The factor file or store set"}, s.factor_source);
  v.field({.name = "window", .help = "Daily returns behind the betas and the factor covariance"}, s.window);
  v.field({.name = "first_date", .help = "First return date"}, s.first_date);
  v.field({.name = "last_date", .help = "Last return date"}, s.last_date);
  v.field({.name = "book_value", .help = "Book value", .unit = "portfolio currency"}, s.book_value);
  v.field({.name = "scenarios", .help = "One entry per scenario and method, in that order"}, s.scenarios);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_REPORT_FIELDS(StressResult)

template <class V, class S>
void ScenarioShocksRequest::fields(V& v, S& s) {
  v.flatten(s.factors);
  v.field({.name = "scenarios", .help = "Scenario file (default: the built-in library)", .faces = spec::kCli},
          s.scenarios_file);
  v.field({.name = "out", .help = "Also write the library (JSON) to this file", .faces = spec::kCli}, s.out_file);
}
KEEL_SPEC_REQUEST_FIELDS(ScenarioShocksRequest)

template <class V, class S>
void ScenarioFileEntry::fields(V& v, S& s) {
  v.field({.name = "name", .help = "Identifier on the command line"}, s.name);
  v.field({.name = "label", .help = "Human title"}, s.label);
  v.field({.name = "kind", .help = "historical, hypothetical or user"}, s.kind);
  v.field({.name = "start", .help = "Historical: the window starts at this close"}, s.start);
  v.field({.name = "end", .help = "Historical: and ends at this close"}, s.end);
  v.field({.name = "description"}, s.description);
  v.field({.name = "shocks", .help = "Factor -> shock", .unit = "decimal, -0.20 = -20%"}, s.shocks);
  v.field({.name = "daily",
           .help = "Historical: each day's factor returns, {factors: [names], rows: [[date, returns...]]}; the "
                   "shocks are their compounded returns",
           .unit = "decimal"},
          s.daily);
  v.field({.name = "vol_shock",
           .help = "Change of implied vols (options)",
           .unit = "decimal, 0.10 = +10 vol points"},
          s.vol_shock);
}
KEEL_SPEC_FIELDS(ScenarioFileEntry)

template <class V, class S>
void ScenarioLibraryFile::fields(V& v, S& s) {
  v.field({.name = "format", .help = "keel-stress-scenarios/1"}, s.format);
  v.field({.name = "derived_by", .help = "The command that reproduces the historical shocks"},
          s.derived_by);
  v.field({.name = "factor_data", .help = "The factor data they came from"}, s.factor_data);
  v.field({.name = "units", .help = "The units of shocks and vol_shock, in words"}, s.units);
  v.field({.name = "scenarios", .help = "In library order"}, s.scenarios);
}
KEEL_SPEC_FIELDS(ScenarioLibraryFile)

template <class V, class S>
void CorrelationAnalyticsRequest::fields(V& v, S& s) {
  v.flatten(s.inputs);
  v.flatten(s.factors);
  v.field({.name = "with_factors", .help = "Add the factor correlation matrix of the factor set"}, s.with_factors);
  v.field({.name = "window", .help = "Daily returns in the window", .unit = "trading days", .min = 2,
           .max = 100000},
          s.window);
  v.choice({.name = "cov", .help = "Covariance estimator"}, s.covariance.method, kCovarianceNames);
  v.field({.name = "lambda", .help = "EWMA decay", .unit = "per day", .min = 0, .max = 1, .min_exclusive = true,
           .max_exclusive = true},
          s.covariance.ewma_lambda);
  v.field({.name = "sectors", .help = "Sectors CSV (symbol,sector or the S&P constituents file)",
           .faces = spec::kCli},
          s.sectors_file);
}
KEEL_SPEC_REQUEST_FIELDS(CorrelationAnalyticsRequest)

template <class V, class S>
void PositionCorrelationResult::fields(V& v, S& s) {
  v.field({.name = "symbols", .help = "Risky positions, book order"}, s.symbols);
  v.field({.name = "matrix", .help = "sign(e_i e_j) x the drivers' correlation (null where undefined)"},
          s.matrix);
}
KEEL_SPEC_FIELDS(PositionCorrelationResult)

template <class V, class S>
void FactorCorrelationResult::fields(V& v, S& s) {
  v.field({.name = "factors", .help = "Factor names, in matrix order"}, s.factors);
  v.field({.name = "matrix", .help = "Correlation of the factor returns over the window"}, s.matrix);
  v.field({.name = "source", .help = "The factor file or store set"}, s.source);
}
KEEL_SPEC_FIELDS(FactorCorrelationResult)

template <class V, class S>
void CorrelationAnalyticsResult::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "Risk date, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "portfolio_name"}, s.portfolio_name);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "window", .help = "Daily returns in the window"}, s.window);
  v.field({.name = "covariance", .help = "sample, ewma or ledoit-wolf"}, s.covariance);
  v.field({.name = "position_correlation"}, s.position_correlation);
  v.flatten(s.diversification);
  v.field({.name = "factor_correlation", .help = "With factor data"}, s.factor_correlation);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(CorrelationAnalyticsResult)

}  // namespace keel::service
