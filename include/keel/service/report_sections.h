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
  static void fields(V& v, S& s);
};

// One data-quality finding.
struct ReportDataIssue {
  std::string symbol;
  std::string kind;  // gap, stale, outlier or missing
  std::string date;  // YYYY-MM-DD
  std::string detail;

  static constexpr const char* kSchemaName = "ReportDataIssue";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct ReportFactorBeta {
  std::string factor;
  double beta = 0.0;
  double t_stat = 0.0;
  double exposure_amount = 0.0;  // P&L per 1.00 factor move

  static constexpr const char* kSchemaName = "ReportFactorBeta";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct ReportAttributionFactor {
  std::string factor;
  double return_period = 0.0;  // compounded over the period, decimal
  double amount = 0.0;         // the book's P&L from it

  static constexpr const char* kSchemaName = "ReportAttributionFactor";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct ReportVarMethod {
  std::string method;  // parametric, historical or montecarlo (the API's names)
  double var_amount = 0.0;
  double es_amount = 0.0;
  double var_pct = 0.0;

  static constexpr const char* kSchemaName = "ReportVarMethod";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ReportVarContribution {
  std::string symbol;
  double component_var_amount = 0.0;
  double component_pct = 0.0;
  double marginal_var = 0.0;

  static constexpr const char* kSchemaName = "ReportVarContribution";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct ReportCorrelationPair {
  std::string a;
  std::string b;
  double correlation = 0.0;

  static constexpr const char* kSchemaName = "ReportCorrelationPair";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct ReportWeight {
  std::string symbol;
  double weight = 0.0;

  static constexpr const char* kSchemaName = "ReportWeight";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct ReportHistoryPoint {
  std::string as_of;  // YYYY-MM-DD
  spec::Nullable<double> net_value_amount;
  spec::Nullable<double> pnl_1d_amount;
  spec::Nullable<double> var_amount;
  spec::Nullable<double> es_amount;

  static constexpr const char* kSchemaName = "ReportHistoryPoint";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ReportHistory {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::vector<ReportHistoryPoint> points;  // oldest first

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportHistory";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One step of a report or of a batch run, in the order they ran.
struct ReportStep {
  std::string name;
  std::string status;       // ok, n/a or failed
  double elapsed_ms = 0.0;  // wall time of the step
  std::string message;      // what it did (ok) or why not (n/a, failed)

  static constexpr const char* kSchemaName = "ReportStep";
  template <class V, class S>
  static void fields(V& v, S& s);
};

}  // namespace keel::service
