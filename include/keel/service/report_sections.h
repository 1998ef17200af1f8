// keel/service/report_sections.h: the sections of the report.json document (keel/service/report.h)
// as described structs: provenance, data quality, positions, exposures, Greeks, factors,
// attribution, VaR, stress, correlation, concentration, history and the steps of a run. Each
// carries `status` and `reason` first (report_section); docs/reports.md describes every member.
//
// Thread-safety: value types.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "keel/service/exposures.h"
#include "keel/service/risk.h"
#include "keel/service/spec.h"

namespace keel::service {

// The status and reason of a section, then its body (`body()` visits the body's fields): the body
// is written only when the status is ok (by spec::JsonWriter and by visitors that declare
// `kWritesPresentFields`, like the renderers' own) and is optional in the schema.
template <class V, class S, class Body>
void report_section(V& v, S& s, Body&& body) {
  v.field({.name = "status", .help = "ok, n/a or failed", .required = true}, s.status);
  v.field({.name = "reason", .help = "Why the section is not ok"}, s.reason);
  using Visitor = std::remove_cvref_t<V>;
  if constexpr (std::is_same_v<Visitor, spec::JsonWriter> || requires { Visitor::kWritesPresentFields; }) {
    if (s.status == "ok") body();
  } else if constexpr (std::is_same_v<std::remove_cvref_t<V>, spec::SchemaWriter>) {
    v.optional_fields(body);
  } else {
    body();
  }
}

// A section that could not be computed.
template <class Section>
Section unavailable_section(std::string status, std::string reason) {
  Section s;
  s.status = std::move(status);
  s.reason = std::move(reason);
  return s;
}

struct ReportProvenance {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::string prices_source;      // "store" or the prices file
  std::string prices_first_date;  // YYYY-MM-DD
  std::string prices_last_date;
  std::size_t price_symbols = 0;
  std::string positions_source;
  spec::Nullable<std::string> factor_source;     // null when the factors step did not run
  spec::Nullable<std::string> factor_last_date;  // YYYY-MM-DD
  std::string rate_source;
  double rate = 0.0;  // continuous decimal
  std::string sectors_source;
  std::size_t window_days = 0;
  double confidence = 0.0;
  int horizon_days = 1;
  std::vector<std::string> warnings;
  double load_ms = 0.0;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportProvenance";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// One data-quality finding.
struct ReportDataIssue {
  std::string symbol;
  std::string kind;  // gap, stale, outlier or missing
  std::string date;  // YYYY-MM-DD
  std::string detail;

  static constexpr const char* kSchemaName = "ReportDataIssue";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "kind", .help = "gap, stale, outlier or missing"}, s.kind);
    v.field({.name = "date", .help = "YYYY-MM-DD"}, s.date);
    v.field({.name = "detail", .help = "A sentence saying what was found"}, s.detail);
  }
};

struct ReportDataQuality {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::size_t symbols_checked = 0;
  std::string reference_date;  // YYYY-MM-DD
  std::size_t gaps_count = 0;
  std::size_t stale_count = 0;
  std::size_t outliers_count = 0;
  std::size_t missing_count = 0;
  std::vector<ReportDataIssue> issues;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportDataQuality";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// One row of positions.csv (the columns of report::kPositionColumns, in that order); null where a
// figure does not apply (the Greeks of a stock) or its step did not run.
struct ReportPositionRow {
  std::string symbol;
  std::string type;
  spec::Nullable<std::string> underlying;   // options
  spec::Nullable<std::string> option_type;  // call or put
  spec::Nullable<double> strike;
  spec::Nullable<std::string> expiry;  // YYYY-MM-DD
  double quantity = 0.0;
  double multiplier = 1.0;
  std::string sector;  // "Unknown" when none
  spec::Nullable<std::string> strategy;
  spec::Nullable<std::string> tags;  // ';'-separated
  std::string currency;
  spec::Nullable<double> entry_price;
  spec::Nullable<std::string> entry_date;
  spec::Nullable<double> price;
  spec::Nullable<std::string> price_date;
  spec::Nullable<std::string> price_source;
  spec::Nullable<double> market_value_amount;
  spec::Nullable<double> weight;
  spec::Nullable<double> cost_basis_amount;
  spec::Nullable<double> unrealized_pnl_amount;
  spec::Nullable<double> pnl_1d_amount;
  spec::Nullable<double> notional_amount;
  spec::Nullable<double> delta;
  spec::Nullable<double> delta_adjusted_amount;
  spec::Nullable<double> gamma;
  spec::Nullable<double> dollar_gamma_1pct_amount;
  spec::Nullable<double> vega_per_point_amount;
  spec::Nullable<double> theta_per_day_amount;
  spec::Nullable<double> rho_per_point_amount;
  spec::Nullable<double> implied_vol;
  spec::Nullable<double> beta_mkt;
  spec::Nullable<double> factor_r2;
  spec::Nullable<double> component_var_amount;
  spec::Nullable<double> component_var_pct;
  spec::Nullable<double> marginal_var;
  spec::Nullable<double> stress_worst_pnl_amount;

  static constexpr const char* kSchemaName = "ReportPositionRow";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct ReportPositions {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::size_t count = 0;
  std::optional<std::string> pnl_1d_from;  // the previous price date of the rows' pnl_1d_amount
  std::vector<ReportPositionRow> rows;  // book order

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportPositions";
  template <class V, class S>
  static void fields(V& v, S& s) {
    report_section(v, s, [&] {
      v.field({.name = "count", .help = "Positions"}, s.count);
      v.field({.name = "pnl_1d_from", .help = "The previous price date of the rows' pnl_1d_amount, YYYY-MM-DD"},
              s.pnl_1d_from);
      v.field({.name = "rows", .help = "One per position, book order"}, s.rows);
    });
  }
};

// Exposure of one sector or instrument type.
struct ReportExposureGroup {
  std::string key;
  double gross_amount = 0.0;
  double net_amount = 0.0;
  double delta_adjusted_net_amount = 0.0;
  double weight = 0.0;  // gross_amount over the book's gross
  std::size_t positions = 0;

  static constexpr const char* kSchemaName = "ReportExposureGroup";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "key", .help = "Sector or instrument type"}, s.key);
    v.field({.name = "gross_amount", .help = "Gross market value", .unit = "portfolio currency"}, s.gross_amount);
    v.field({.name = "net_amount", .help = "Net market value", .unit = "portfolio currency"}, s.net_amount);
    v.field({.name = "delta_adjusted_net_amount", .unit = "portfolio currency"}, s.delta_adjusted_net_amount);
    v.field({.name = "weight", .help = "gross_amount over the book's gross", .unit = "fraction"}, s.weight);
    v.field({.name = "positions"}, s.positions);
  }
};

struct ReportExposures {
  std::string status = "ok";
  std::optional<std::string> reason;
  double gross_amount = 0.0;
  double net_amount = 0.0;
  double long_amount = 0.0;
  double short_amount = 0.0;
  double delta_adjusted_gross_amount = 0.0;
  double delta_adjusted_net_amount = 0.0;
  double notional_gross_amount = 0.0;
  std::size_t positions_valued = 0;
  std::size_t positions_failed = 0;
  std::vector<PositionError> errors;
  std::vector<ReportExposureGroup> by_sector;
  std::vector<ReportExposureGroup> by_type;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportExposures";
  template <class V, class S>
  static void fields(V& v, S& s) {
    constexpr std::string_view ccy = "portfolio currency";
    report_section(v, s, [&] {
      v.field({.name = "gross_amount", .help = "Gross market value", .unit = ccy}, s.gross_amount);
      v.field({.name = "net_amount", .help = "Net market value", .unit = ccy}, s.net_amount);
      v.field({.name = "long_amount", .unit = ccy}, s.long_amount);
      v.field({.name = "short_amount", .help = "<= 0", .unit = ccy}, s.short_amount);
      v.field({.name = "delta_adjusted_gross_amount", .unit = ccy}, s.delta_adjusted_gross_amount);
      v.field({.name = "delta_adjusted_net_amount", .unit = ccy}, s.delta_adjusted_net_amount);
      v.field({.name = "notional_gross_amount", .unit = ccy}, s.notional_gross_amount);
      v.field({.name = "positions_valued"}, s.positions_valued);
      v.field({.name = "positions_failed"}, s.positions_failed);
      v.field({.name = "errors", .help = "Positions that could not be valued"}, s.errors);
      v.field({.name = "by_sector"}, s.by_sector);
      v.field({.name = "by_type"}, s.by_type);
    });
  }
};

// One option position's Greeks in money terms.
struct ReportOptionGreeks {
  std::string symbol;
  std::string underlying;
  double quantity = 0.0;
  double price = 0.0;  // model value per unit of underlying
  spec::Nullable<double> implied_vol;
  std::string vol_source;  // implied, historical or none
  double delta = 0.0;
  double gamma = 0.0;
  double dollar_delta_amount = 0.0;
  double dollar_gamma_1pct_amount = 0.0;
  double vega_per_point_amount = 0.0;
  double theta_per_day_amount = 0.0;
  double rho_per_point_amount = 0.0;

  static constexpr const char* kSchemaName = "ReportOptionGreeks";
  template <class V, class S>
  static void fields(V& v, S& s) {
    constexpr std::string_view ccy = "portfolio currency";
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "underlying"}, s.underlying);
    v.field({.name = "quantity"}, s.quantity);
    v.field({.name = "price", .help = "Model value per unit of underlying"}, s.price);
    v.field({.name = "implied_vol", .help = "The vol valued at (null: none)", .unit = "annualised decimal"},
            s.implied_vol);
    v.field({.name = "vol_source", .help = "implied, historical or none"}, s.vol_source);
    v.field({.name = "delta", .help = "Per share of underlying"}, s.delta);
    v.field({.name = "gamma", .help = "Per share, per unit of spot"}, s.gamma);
    v.field({.name = "dollar_delta_amount", .unit = ccy}, s.dollar_delta_amount);
    v.field({.name = "dollar_gamma_1pct_amount", .unit = ccy}, s.dollar_gamma_1pct_amount);
    v.field({.name = "vega_per_point_amount", .unit = ccy}, s.vega_per_point_amount);
    v.field({.name = "theta_per_day_amount", .unit = ccy}, s.theta_per_day_amount);
    v.field({.name = "rho_per_point_amount", .help = "P&L of a one-point (0.01) rise of the rate", .unit = ccy},
            s.rho_per_point_amount);
  }
};

struct ReportGreeks {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::size_t options_count = 0;
  double dollar_delta_amount = 0.0;  // options only
  double dollar_gamma_1pct_amount = 0.0;
  double vega_per_point_amount = 0.0;
  double theta_per_day_amount = 0.0;
  double rho_per_point_amount = 0.0;
  double book_dollar_delta_amount = 0.0;  // every position
  std::vector<ReportOptionGreeks> options;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportGreeks";
  template <class V, class S>
  static void fields(V& v, S& s) {
    constexpr std::string_view ccy = "portfolio currency";
    report_section(v, s, [&] {
      v.field({.name = "options_count"}, s.options_count);
      v.field({.name = "dollar_delta_amount", .help = "Sum over the options", .unit = ccy}, s.dollar_delta_amount);
      v.field({.name = "dollar_gamma_1pct_amount", .unit = ccy}, s.dollar_gamma_1pct_amount);
      v.field({.name = "vega_per_point_amount", .unit = ccy}, s.vega_per_point_amount);
      v.field({.name = "theta_per_day_amount", .unit = ccy}, s.theta_per_day_amount);
      v.field({.name = "rho_per_point_amount", .unit = ccy}, s.rho_per_point_amount);
      v.field({.name = "book_dollar_delta_amount", .help = "Dollar delta of every position", .unit = ccy},
              s.book_dollar_delta_amount);
      v.field({.name = "options"}, s.options);
    });
  }
};

struct ReportFactorBeta {
  std::string factor;
  double beta = 0.0;
  double t_stat = 0.0;
  double exposure_amount = 0.0;  // P&L per 1.00 factor move

  static constexpr const char* kSchemaName = "ReportFactorBeta";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "factor"}, s.factor);
    v.field({.name = "beta", .help = "Value-weighted position beta"}, s.beta);
    v.field({.name = "t_stat", .help = "Of the book's own regression"}, s.t_stat);
    v.field({.name = "exposure_amount", .help = "P&L per 1.00 factor move", .unit = "portfolio currency"},
            s.exposure_amount);
  }
};

struct ReportFactors {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::string factor_source;
  std::string market_factor;  // mkt_rf when present, else the first factor
  std::size_t window_days = 0;
  std::string first_date;
  std::string last_date;
  double alpha_annual = 0.0;
  double r2 = 0.0;
  double adj_r2 = 0.0;
  double residual_vol_annual = 0.0;
  std::string weight_basis;
  std::vector<ReportFactorBeta> betas;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportFactors";
  template <class V, class S>
  static void fields(V& v, S& s) {
    report_section(v, s, [&] {
      v.field({.name = "factor_source", .help = "Factor file or store set"}, s.factor_source);
      v.field({.name = "market_factor", .help = "mkt_rf when present, else the first factor"}, s.market_factor);
      v.field({.name = "window_days", .unit = "trading days"}, s.window_days);
      v.field({.name = "first_date", .help = "YYYY-MM-DD"}, s.first_date);
      v.field({.name = "last_date", .help = "YYYY-MM-DD"}, s.last_date);
      v.field({.name = "alpha_annual", .unit = "decimal per year"}, s.alpha_annual);
      v.field({.name = "r2", .help = "Of the book's own regression"}, s.r2);
      v.field({.name = "adj_r2"}, s.adj_r2);
      v.field({.name = "residual_vol_annual", .unit = "annualised decimal"}, s.residual_vol_annual);
      v.field({.name = "weight_basis", .help = "net_value or gross_exposure"}, s.weight_basis);
      v.field({.name = "betas"}, s.betas);
    });
  }
};

struct ReportAttributionFactor {
  std::string factor;
  double return_period = 0.0;  // compounded over the period, decimal
  double amount = 0.0;         // the book's P&L from it

  static constexpr const char* kSchemaName = "ReportAttributionFactor";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "factor"}, s.factor);
    v.field({.name = "return", .help = "The factor's return over the period, compounded", .unit = "decimal"},
            s.return_period);
    v.field({.name = "amount", .help = "The book's P&L from the factor", .unit = "portfolio currency"}, s.amount);
  }
};

struct ReportAttributionRow {
  std::string symbol;
  double market_value_amount = 0.0;
  double pnl_amount = 0.0;
  double factor_amount = 0.0;
  double risk_free_amount = 0.0;
  double alpha_amount = 0.0;
  double residual_amount = 0.0;

  static constexpr const char* kSchemaName = "ReportAttributionRow";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "market_value_amount", .help = "At the period start", .unit = "portfolio currency"},
            s.market_value_amount);
    v.field({.name = "pnl_amount", .unit = "portfolio currency"}, s.pnl_amount);
    v.field({.name = "factor_amount", .help = "Sum over the factors", .unit = "portfolio currency"}, s.factor_amount);
    v.field({.name = "risk_free_amount", .unit = "portfolio currency"}, s.risk_free_amount);
    v.field({.name = "alpha_amount", .unit = "portfolio currency"}, s.alpha_amount);
    v.field({.name = "residual_amount", .unit = "portfolio currency"}, s.residual_amount);
  }
};

// The factor attribution of the P&L from attribution_from to the as-of date (only when asked).
struct ReportAttribution {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::string start_date;
  std::string end_date;
  std::size_t days = 0;
  std::string factor_source;
  std::size_t window_days = 0;  // of the ex-ante betas, ending at start_date
  double market_value_amount = 0.0;
  double pnl_amount = 0.0;
  double factor_amount = 0.0;
  double risk_free_amount = 0.0;
  double alpha_amount = 0.0;
  double residual_amount = 0.0;
  std::vector<ReportAttributionFactor> factors;
  std::vector<ReportAttributionRow> positions;
  std::vector<std::string> excluded;  // "SYMBOL: reason"

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportAttribution";
  template <class V, class S>
  static void fields(V& v, S& s) {
    report_section(v, s, [&] {
      v.field({.name = "start_date", .help = "The close the period starts from, YYYY-MM-DD"}, s.start_date);
      v.field({.name = "end_date", .help = "The close it ends at (the as-of date), YYYY-MM-DD"}, s.end_date);
      v.field({.name = "days", .unit = "trading days"}, s.days);
      v.field({.name = "factor_source", .help = "Factor file or store set"}, s.factor_source);
      v.field({.name = "window_days", .help = "Returns behind the ex-ante betas, ending at start_date",
               .unit = "trading days"},
              s.window_days);
      v.field({.name = "market_value_amount", .help = "Value attributed, at the start", .unit = "portfolio currency"},
              s.market_value_amount);
      v.field({.name = "pnl_amount", .unit = "portfolio currency"}, s.pnl_amount);
      v.field({.name = "factor_amount", .unit = "portfolio currency"}, s.factor_amount);
      v.field({.name = "risk_free_amount", .unit = "portfolio currency"}, s.risk_free_amount);
      v.field({.name = "alpha_amount", .unit = "portfolio currency"}, s.alpha_amount);
      v.field({.name = "residual_amount", .unit = "portfolio currency"}, s.residual_amount);
      v.field({.name = "factors", .help = "Per factor: its return and the book's P&L from it"}, s.factors);
      v.field({.name = "positions", .help = "Attributed positions, book order"}, s.positions);
      v.field({.name = "excluded", .help = "Positions not attributed: SYMBOL: reason"}, s.excluded);
    });
  }
};

struct ReportVarMethod {
  std::string method;  // parametric, historical or montecarlo (the API's names)
  double var_amount = 0.0;
  double es_amount = 0.0;
  double var_pct = 0.0;

  static constexpr const char* kSchemaName = "ReportVarMethod";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "method", .help = "parametric, historical or montecarlo"}, s.method);
    v.field({.name = "var_amount", .unit = "portfolio currency"}, s.var_amount);
    v.field({.name = "es_amount", .unit = "portfolio currency"}, s.es_amount);
    v.field({.name = "var_pct", .help = "VaR over the book's value", .unit = "fraction"}, s.var_pct);
  }
};

struct ReportVarContribution {
  std::string symbol;
  double component_var_amount = 0.0;
  double component_pct = 0.0;
  double marginal_var = 0.0;

  static constexpr const char* kSchemaName = "ReportVarContribution";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "component_var_amount", .unit = "portfolio currency"}, s.component_var_amount);
    v.field({.name = "component_pct", .help = "Component VaR over VaR", .unit = "fraction"}, s.component_pct);
    v.field({.name = "marginal_var", .help = "dVaR / d exposure"}, s.marginal_var);
  }
};

struct ReportVar {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::size_t window_days = 0;
  std::string window_start;
  double value_amount = 0.0;
  std::string covariance;
  std::string contributions_method;
  double confidence = 0.0;
  int horizon_days = 1;
  double parametric_var_amount = 0.0;
  double parametric_es_amount = 0.0;
  double volatility_amount = 0.0;  // of the parametric model
  double historical_var_amount = 0.0;
  double historical_es_amount = 0.0;
  double monte_carlo_var_amount = 0.0;
  double monte_carlo_es_amount = 0.0;
  std::vector<ReportVarMethod> methods;
  std::vector<ReportVarContribution> contributions;
  std::vector<std::string> warnings;
  // The backtest: figures when it ran, nulls and backtest_reason when not.
  spec::Nullable<std::string> backtest_zone;
  spec::Nullable<double> backtest_plus_factor;
  std::optional<std::string> backtest_method;
  spec::Nullable<std::size_t> backtest_exceptions;
  spec::Nullable<std::size_t> backtest_observations;
  std::optional<double> backtest_expected_exceptions;
  spec::Nullable<double> kupiec_p_value;
  spec::Nullable<double> christoffersen_p_value;
  std::optional<std::string> backtest_reason;
  std::vector<double> pnl_distribution_amount;  // the backtest's P&L of today's book, last window_days days
  std::optional<spec::Nullable<std::string>> pnl_distribution_first_date;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportVar";
  template <class V, class S>
  static void fields(V& v, S& s) {
    constexpr std::string_view ccy = "portfolio currency";
    report_section(v, s, [&] {
      v.field({.name = "window_days", .unit = "trading days"}, s.window_days);
      v.field({.name = "window_start", .help = "First date of the window, YYYY-MM-DD"}, s.window_start);
      v.field({.name = "value_amount", .help = "Book value", .unit = ccy}, s.value_amount);
      v.field({.name = "covariance", .help = "sample, ewma or ledoit-wolf"}, s.covariance);
      v.field({.name = "contributions_method"}, s.contributions_method);
      v.field({.name = "confidence", .unit = "fraction"}, s.confidence);
      v.field({.name = "horizon_days", .unit = "trading days"}, s.horizon_days);
      v.field({.name = "parametric_var_amount", .unit = ccy}, s.parametric_var_amount);
      v.field({.name = "parametric_es_amount", .unit = ccy}, s.parametric_es_amount);
      v.field({.name = "volatility_amount", .help = "Standard deviation of the horizon P&L (parametric)", .unit = ccy},
              s.volatility_amount);
      v.field({.name = "historical_var_amount", .unit = ccy}, s.historical_var_amount);
      v.field({.name = "historical_es_amount", .unit = ccy}, s.historical_es_amount);
      v.field({.name = "monte_carlo_var_amount", .unit = ccy}, s.monte_carlo_var_amount);
      v.field({.name = "monte_carlo_es_amount", .unit = ccy}, s.monte_carlo_es_amount);
      v.field({.name = "methods"}, s.methods);
      v.field({.name = "contributions"}, s.contributions);
      v.field({.name = "warnings"}, s.warnings);
      v.field({.name = "backtest_zone", .help = "Basel traffic light (null: no backtest)"}, s.backtest_zone);
      v.field({.name = "backtest_plus_factor", .help = "Basel plus factor of the zone, 0 to 1 (null: no backtest)"},
              s.backtest_plus_factor);
      v.field({.name = "backtest_method", .help = "historical or parametric"}, s.backtest_method);
      v.field({.name = "backtest_exceptions"}, s.backtest_exceptions);
      v.field({.name = "backtest_observations", .unit = "trading days"}, s.backtest_observations);
      v.field({.name = "backtest_expected_exceptions"}, s.backtest_expected_exceptions);
      v.field({.name = "kupiec_p_value"}, s.kupiec_p_value);
      v.field({.name = "christoffersen_p_value"}, s.christoffersen_p_value);
      v.field({.name = "backtest_reason", .help = "Why the backtest did not run"}, s.backtest_reason);
      v.field({.name = "pnl_distribution_amount",
               .help = "Hypothetical P&L of today's book over the window (historical VaR's scenarios)",
               .unit = ccy},
              s.pnl_distribution_amount);
      v.field({.name = "pnl_distribution_first_date", .help = "Its first date, YYYY-MM-DD"},
              s.pnl_distribution_first_date);
    });
  }
};

struct ReportStressScenario {
  std::string name;
  std::string description;
  std::string kind;    // historical, hypothetical or user
  std::string method;  // direct or correlated
  double pnl_amount = 0.0;
  double pnl_pct = 0.0;

  static constexpr const char* kSchemaName = "ReportStressScenario";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name"}, s.name);
    v.field({.name = "description"}, s.description);
    v.field({.name = "kind", .help = "historical, hypothetical or user"}, s.kind);
    v.field({.name = "method", .help = "direct or correlated"}, s.method);
    v.field({.name = "pnl_amount", .unit = "portfolio currency"}, s.pnl_amount);
    v.field({.name = "pnl_pct", .help = "Over the book's value", .unit = "fraction"}, s.pnl_pct);
  }
};

struct ReportStress {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::size_t scenarios_count = 0;
  std::string factor_source;
  double book_value_amount = 0.0;
  spec::Nullable<std::string> worst_scenario;
  spec::Nullable<std::string> worst_method;
  spec::Nullable<double> worst_pnl_amount;
  spec::Nullable<double> worst_pnl_pct;
  std::vector<std::string> warnings;
  std::vector<ReportStressScenario> scenarios;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportStress";
  template <class V, class S>
  static void fields(V& v, S& s) {
    report_section(v, s, [&] {
      v.field({.name = "scenarios_count"}, s.scenarios_count);
      v.field({.name = "factor_source"}, s.factor_source);
      v.field({.name = "book_value_amount", .unit = "portfolio currency"}, s.book_value_amount);
      v.field({.name = "worst_scenario", .help = "The scenario with the largest loss"}, s.worst_scenario);
      v.field({.name = "worst_method"}, s.worst_method);
      v.field({.name = "worst_pnl_amount", .unit = "portfolio currency"}, s.worst_pnl_amount);
      v.field({.name = "worst_pnl_pct", .unit = "fraction"}, s.worst_pnl_pct);
      v.field({.name = "warnings"}, s.warnings);
      v.field({.name = "scenarios"}, s.scenarios);
    });
  }
};

struct ReportCorrelationPair {
  std::string a;
  std::string b;
  double correlation = 0.0;

  static constexpr const char* kSchemaName = "ReportCorrelationPair";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "a"}, s.a);
    v.field({.name = "b"}, s.b);
    v.field({.name = "correlation"}, s.correlation);
  }
};

struct ReportCorrelation {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::size_t window_days = 0;
  std::string covariance;
  std::size_t symbols_count = 0;
  spec::Nullable<double> average_pairwise;  // of the assets; null with fewer than two
  std::size_t positions_count = 0;
  double position_average_pairwise = 0.0;  // delta view: shorts flip the sign
  double weighted_average_pairwise = 0.0;
  double diversification_ratio = 0.0;
  double effective_bets = 0.0;
  double portfolio_volatility_annual = 0.0;
  double portfolio_volatility_amount = 0.0;
  std::vector<ReportCorrelationPair> highest_pairs;  // five at most
  std::vector<ReportCorrelationPair> lowest_pairs;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportCorrelation";
  template <class V, class S>
  static void fields(V& v, S& s) {
    report_section(v, s, [&] {
      v.field({.name = "window_days", .unit = "trading days"}, s.window_days);
      v.field({.name = "covariance", .help = "sample, ewma or ledoit-wolf"}, s.covariance);
      v.field({.name = "symbols_count", .help = "Risk drivers"}, s.symbols_count);
      v.field({.name = "average_pairwise", .help = "Mean off-diagonal correlation of the drivers (null: fewer than two)"},
              s.average_pairwise);
      v.field({.name = "positions_count", .help = "Positions behind position_average_pairwise"}, s.positions_count);
      v.field({.name = "position_average_pairwise", .help = "Mean pairwise correlation of the positions (delta view)"},
              s.position_average_pairwise);
      v.field({.name = "weighted_average_pairwise", .help = "The same weighted by |w_i w_j|"},
              s.weighted_average_pairwise);
      v.field({.name = "diversification_ratio"}, s.diversification_ratio);
      v.field({.name = "effective_bets", .help = "Meucci effective number of bets"}, s.effective_bets);
      v.field({.name = "portfolio_volatility_annual", .unit = "annualised fraction"}, s.portfolio_volatility_annual);
      v.field({.name = "portfolio_volatility_amount", .unit = "portfolio currency per year"},
              s.portfolio_volatility_amount);
      v.field({.name = "highest_pairs", .help = "Five most correlated pairs"}, s.highest_pairs);
      v.field({.name = "lowest_pairs", .help = "Five least correlated pairs"}, s.lowest_pairs);
    });
  }
};

struct ReportWeight {
  std::string symbol;
  double weight = 0.0;

  static constexpr const char* kSchemaName = "ReportWeight";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "weight", .help = "|market value| over gross market value", .unit = "fraction"}, s.weight);
  }
};

struct ReportConcentration {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::string weight_basis;  // gross_market_value
  double hhi = 0.0;
  double effective_positions = 0.0;
  double top1_weight = 0.0;
  double top5_weight = 0.0;
  double top10_weight = 0.0;
  std::vector<ReportWeight> largest;  // ten at most, largest first
  std::vector<SectorWeight> by_sector;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportConcentration";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct ReportHistoryPoint {
  std::string as_of;  // YYYY-MM-DD
  spec::Nullable<double> net_value_amount;
  spec::Nullable<double> pnl_1d_amount;
  spec::Nullable<double> var_amount;
  spec::Nullable<double> es_amount;

  static constexpr const char* kSchemaName = "ReportHistoryPoint";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "YYYY-MM-DD"}, s.as_of);
    v.field({.name = "net_value_amount", .unit = "portfolio currency"}, s.net_value_amount);
    v.field({.name = "pnl_1d_amount", .unit = "portfolio currency"}, s.pnl_1d_amount);
    v.field({.name = "var_amount", .unit = "portfolio currency"}, s.var_amount);
    v.field({.name = "es_amount", .unit = "portfolio currency"}, s.es_amount);
  }
};

struct ReportHistory {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::vector<ReportHistoryPoint> points;  // oldest first

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportHistory";
  template <class V, class S>
  static void fields(V& v, S& s) {
    report_section(v, s, [&] { v.field({.name = "points", .help = "Stored snapshots, oldest first"}, s.points); });
  }
};

// One step of a report or of a batch run, in the order they ran.
struct ReportStep {
  std::string name;
  std::string status;       // ok, n/a or failed
  double elapsed_ms = 0.0;  // wall time of the step
  std::string message;      // what it did (ok) or why not (n/a, failed)

  static constexpr const char* kSchemaName = "ReportStep";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "Step name (docs/batch.md)"}, s.name);
    v.field({.name = "status", .help = "ok, n/a or failed"}, s.status);
    v.field({.name = "elapsed_ms", .help = "Wall time of the step", .unit = "milliseconds"}, s.elapsed_ms);
    v.field({.name = "message", .help = "What it did (ok) or why not (n/a, failed)"}, s.message);
  }
};

}  // namespace keel::service
