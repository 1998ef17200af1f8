// The descriptions of the requests and results of keel/service/report_sections.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/report_sections.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void ReportProvenance::fields(V& v, S& s) {
  report_section(v, s, [&] {
    v.field({.name = "prices_source", .help = "store, or the prices file"}, s.prices_source);
    v.field({.name = "prices_first_date", .help = "First date of the price history, YYYY-MM-DD"},
            s.prices_first_date);
    v.field({.name = "prices_last_date", .help = "Last date of the price history, YYYY-MM-DD"}, s.prices_last_date);
    v.field({.name = "price_symbols", .help = "Symbols with prices"}, s.price_symbols);
    v.field({.name = "positions_source", .help = "The stored portfolio, the positions file or memory"},
            s.positions_source);
    v.field({.name = "factor_source", .help = "Factor file or store set (null: the factors step did not run)"},
            s.factor_source);
    v.field({.name = "factor_last_date", .help = "Last date of the factor returns used, YYYY-MM-DD"},
            s.factor_last_date);
    v.field({.name = "rate_source",
             .help = "Where the options' rates came from: flag (rate), or the stored curve (docs/exposures.md)"},
            s.rate_source);
    v.field({.name = "rate", .help = "Risk-free rate for options", .unit = "continuous decimal"}, s.rate);
    v.field({.name = "sectors_source", .help = "Where sectors come from"}, s.sectors_source);
    v.field({.name = "window_days", .help = "Daily returns of the estimation window", .unit = "trading days"},
            s.window_days);
    v.field({.name = "confidence", .help = "VaR/ES confidence level", .unit = "fraction"}, s.confidence);
    v.field({.name = "horizon_days", .help = "VaR horizon", .unit = "trading days"}, s.horizon_days);
    v.field({.name = "warnings", .help = "Warnings of loading the book"}, s.warnings);
    v.field({.name = "load_ms", .help = "Reading positions and prices, before the steps", .unit = "milliseconds"},
            s.load_ms);
  });
}
KEEL_SPEC_REPORT_FIELDS(ReportProvenance)

template <class V, class S>
void ReportDataIssue::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "kind", .help = "gap, stale, outlier or missing"}, s.kind);
  v.field({.name = "date", .help = "YYYY-MM-DD"}, s.date);
  v.field({.name = "detail", .help = "A sentence saying what was found"}, s.detail);
}
KEEL_SPEC_REPORT_FIELDS(ReportDataIssue)

template <class V, class S>
void ReportDataQuality::fields(V& v, S& s) {
  report_section(v, s, [&] {
    v.field({.name = "symbols_checked"}, s.symbols_checked);
    v.field({.name = "reference_date", .help = "Last history date on or before the as-of date, YYYY-MM-DD"},
            s.reference_date);
    v.field({.name = "gaps_count"}, s.gaps_count);
    v.field({.name = "stale_count"}, s.stale_count);
    v.field({.name = "outliers_count"}, s.outliers_count);
    v.field({.name = "missing_count"}, s.missing_count);
    v.field({.name = "issues", .help = "By symbol, then kind, then date"}, s.issues);
  });
}
KEEL_SPEC_REPORT_FIELDS(ReportDataQuality)

template <class V, class S>
void ReportPositionRow::fields(V& v, S& s) {
  constexpr std::string_view ccy = "portfolio currency";
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "type", .help = "Instrument type"}, s.type);
  v.field({.name = "underlying", .help = "Options: the underlying"}, s.underlying);
  v.field({.name = "option_type", .help = "Options: call or put"}, s.option_type);
  v.field({.name = "strike", .help = "Options"}, s.strike);
  v.field({.name = "expiry", .help = "Options: YYYY-MM-DD"}, s.expiry);
  v.field({.name = "quantity", .help = "Shares or contracts; negative = short"}, s.quantity);
  v.field({.name = "multiplier", .help = "Units of underlying per contract"}, s.multiplier);
  v.field({.name = "sector", .help = "Unknown when none"}, s.sector);
  v.field({.name = "strategy"}, s.strategy);
  v.field({.name = "tags", .help = "';'-separated"}, s.tags);
  v.field({.name = "currency"}, s.currency);
  v.field({.name = "entry_price"}, s.entry_price);
  v.field({.name = "entry_date", .help = "YYYY-MM-DD"}, s.entry_date);
  v.field({.name = "price", .help = "Per unit of underlying: the close, or the option's model value"}, s.price);
  v.field({.name = "price_date", .help = "Date of the close valued at, YYYY-MM-DD"}, s.price_date);
  v.field({.name = "price_source", .help = "store, the prices file, or model (options)"}, s.price_source);
  v.field({.name = "market_value_amount", .unit = ccy}, s.market_value_amount);
  v.field({.name = "weight", .help = "Market value over gross market value", .unit = "fraction"}, s.weight);
  v.field({.name = "cost_basis_amount", .unit = ccy}, s.cost_basis_amount);
  v.field({.name = "unrealized_pnl_amount", .unit = ccy}, s.unrealized_pnl_amount);
  v.field({.name = "pnl_1d_amount",
           .help = "Market value at the as-of date less the same position's at the previous price date (an option "
                   "revalued at both)",
           .unit = ccy},
          s.pnl_1d_amount);
  v.field({.name = "notional_amount", .unit = ccy}, s.notional_amount);
  v.field({.name = "delta", .help = "1 for a stock; the option's delta"}, s.delta);
  v.field({.name = "delta_adjusted_amount", .unit = ccy}, s.delta_adjusted_amount);
  v.field({.name = "gamma", .help = "Options: per share, per unit of spot"}, s.gamma);
  v.field({.name = "dollar_gamma_1pct_amount", .unit = ccy}, s.dollar_gamma_1pct_amount);
  v.field({.name = "vega_per_point_amount", .unit = ccy}, s.vega_per_point_amount);
  v.field({.name = "theta_per_day_amount", .unit = ccy}, s.theta_per_day_amount);
  v.field({.name = "rho_per_point_amount", .help = "P&L of a one-point (0.01) rise of the rate", .unit = ccy},
          s.rho_per_point_amount);
  v.field({.name = "implied_vol", .unit = "annualised decimal"}, s.implied_vol);
  v.field({.name = "beta_mkt", .help = "Beta to the market factor"}, s.beta_mkt);
  v.field({.name = "factor_r2", .help = "R² of the position's factor regression"}, s.factor_r2);
  v.field({.name = "component_var_amount", .help = "Component VaR (by the var section's contributions_method)", .unit = ccy},
          s.component_var_amount);
  v.field({.name = "component_var_pct", .help = "Component VaR over VaR", .unit = "fraction"},
          s.component_var_pct);
  v.field({.name = "marginal_var", .help = "dVaR / d exposure"}, s.marginal_var);
  v.field({.name = "stress_worst_pnl_amount", .help = "Worst P&L over every stress scenario", .unit = ccy},
          s.stress_worst_pnl_amount);
}
KEEL_SPEC_REPORT_FIELDS(ReportPositionRow)

template <class V, class S>
void ReportPositions::fields(V& v, S& s) {
  report_section(v, s, [&] {
    v.field({.name = "count", .help = "Positions"}, s.count);
    v.field({.name = "pnl_1d_from", .help = "The previous price date of the rows' pnl_1d_amount, YYYY-MM-DD"},
            s.pnl_1d_from);
    v.field({.name = "rows", .help = "One per position, book order"}, s.rows);
  });
}
KEEL_SPEC_REPORT_FIELDS(ReportPositions)

template <class V, class S>
void ReportExposures::fields(V& v, S& s) {
  report_section(v, s, [&] {
    v.flatten(s.result);
    v.field({.name = "by_type", .help = "The same book grouped by instrument type"}, s.by_type);
  });
}
KEEL_SPEC_REPORT_FIELDS(ReportExposures)

template <class V, class S>
void ReportGreeks::fields(V& v, S& s) {
  report_section(v, s, [&] { v.flatten(s.result); });
}
KEEL_SPEC_REPORT_FIELDS(ReportGreeks)

template <class V, class S>
void ReportFactors::fields(V& v, S& s) {
  report_section(v, s, [&] {
    v.flatten(s.result);
    v.field({.name = "market_factor", .help = "mkt_rf when present, else the first factor"}, s.market_factor);
  });
}
KEEL_SPEC_REPORT_FIELDS(ReportFactors)

template <class V, class S>
void ReportAttribution::fields(V& v, S& s) {
  report_section(v, s, [&] { v.flatten(s.result); });
}
KEEL_SPEC_REPORT_FIELDS(ReportAttribution)

template <class V, class S>
void ReportBacktest::fields(V& v, S& s) {
  report_section(v, s, [&] { v.flatten(s.result); });
}
KEEL_SPEC_REPORT_FIELDS(ReportBacktest)

template <class V, class S>
void ReportVar::fields(V& v, S& s) {
  report_section(v, s, [&] {
    v.flatten(s.result);
    v.field({.name = "backtest",
             .help = "The backtest of historical VaR at the report's confidence (risk_backtest, without "
                     "the daily series)"},
            s.backtest);
  });
}
KEEL_SPEC_REPORT_FIELDS(ReportVar)

template <class V, class S>
void ReportStress::fields(V& v, S& s) {
  report_section(v, s, [&] { v.flatten(s.result); });
}
KEEL_SPEC_REPORT_FIELDS(ReportStress)

template <class V, class S>
void ReportCorrelationPair::fields(V& v, S& s) {
  v.field({.name = "a"}, s.a);
  v.field({.name = "b"}, s.b);
  v.field({.name = "correlation"}, s.correlation);
}
KEEL_SPEC_REPORT_FIELDS(ReportCorrelationPair)

template <class V, class S>
void ReportCorrelation::fields(V& v, S& s) {
  report_section(v, s, [&] {
    v.flatten(s.result);
    v.field({.name = "average_pairwise", .help = "Mean off-diagonal correlation of the drivers (null: fewer than two)"},
            s.average_pairwise);
    v.field({.name = "highest_pairs", .help = "Five most correlated pairs of drivers"}, s.highest_pairs);
    v.field({.name = "lowest_pairs", .help = "Five least correlated pairs of drivers"}, s.lowest_pairs);
  });
}
KEEL_SPEC_REPORT_FIELDS(ReportCorrelation)

template <class V, class S>
void ReportWeight::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "weight", .help = "|market value| over gross market value", .unit = "fraction"}, s.weight);
}
KEEL_SPEC_REPORT_FIELDS(ReportWeight)

template <class V, class S>
void ReportConcentration::fields(V& v, S& s) {
  report_section(v, s, [&] {
    v.field({.name = "weight_basis"}, s.weight_basis);
    v.field({.name = "hhi", .help = "Herfindahl-Hirschman index of the weights"}, s.hhi);
    v.field({.name = "effective_positions", .help = "1 / HHI"}, s.effective_positions);
    v.field({.name = "top1_weight", .unit = "fraction"}, s.top1_weight);
    v.field({.name = "top5_weight", .unit = "fraction"}, s.top5_weight);
    v.field({.name = "top10_weight", .unit = "fraction"}, s.top10_weight);
    v.field({.name = "largest", .help = "Ten largest positions"}, s.largest);
    v.field({.name = "by_sector", .help = "Gross weight of each sector"}, s.by_sector);
  });
}
KEEL_SPEC_REPORT_FIELDS(ReportConcentration)

template <class V, class S>
void ReportHistoryPoint::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "YYYY-MM-DD"}, s.as_of);
  v.field({.name = "net_value_amount", .unit = "portfolio currency"}, s.net_value_amount);
  v.field({.name = "pnl_1d_amount", .unit = "portfolio currency"}, s.pnl_1d_amount);
  v.field({.name = "var_amount", .unit = "portfolio currency"}, s.var_amount);
  v.field({.name = "es_amount", .unit = "portfolio currency"}, s.es_amount);
}
KEEL_SPEC_REPORT_FIELDS(ReportHistoryPoint)

template <class V, class S>
void ReportHistory::fields(V& v, S& s) {
  report_section(v, s, [&] { v.field({.name = "points", .help = "Stored snapshots, oldest first"}, s.points); });
}
KEEL_SPEC_REPORT_FIELDS(ReportHistory)

template <class V, class S>
void ReportStep::fields(V& v, S& s) {
  v.field({.name = "name", .help = "Step name (docs/batch.md)"}, s.name);
  v.field({.name = "status", .help = "ok, n/a or failed"}, s.status);
  v.field({.name = "elapsed_ms", .help = "Wall time of the step", .unit = "milliseconds"}, s.elapsed_ms);
  v.field({.name = "message", .help = "What it did (ok) or why not (n/a, failed)"}, s.message);
}
KEEL_SPEC_REPORT_FIELDS(ReportStep)

}  // namespace keel::service
