// keel/service/report_sections.h: the sections of the report.json document (keel/service/report.h)
// as described structs: provenance, data quality, positions, exposures, Greeks, factors,
// attribution, VaR, stress, correlation, concentration, history and the steps of a run. Each
// carries `status` and `reason` first (report_section). The sections of an analysis embed the
// result of the use case that ran it, member for member as the API returns it, so the report says
// what the API says; docs/reports.md describes every member.
//
// Thread-safety: value types.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "keel/service/exposures.h"
#include "keel/service/factor_attribution.h"
#include "keel/service/factors.h"
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

// A section that embeds a use case's result: its status and reason, then (when ok) the members of
// the result itself, as the API returns them (`v.flatten(s.result)`), then what the report adds.

// Exposures (book_exposures grouped by sector), with the grouping by instrument type beside.
struct ReportExposures {
  std::string status = "ok";
  std::optional<std::string> reason;
  ExposuresResult result;             // by = sector
  std::vector<ExposureGroup> by_type;  // the same book grouped by instrument type

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportExposures";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The Greeks of every position (option_greeks); "n/a" for a book without options.
struct ReportGreeks {
  std::string status = "ok";
  std::optional<std::string> reason;
  OptionGreeksResult result;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportGreeks";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The factor model of the book (risk_factors).
struct ReportFactors {
  std::string status = "ok";
  std::optional<std::string> reason;
  FactorsResult result;
  std::string market_factor;  // mkt_rf when present, else the first factor

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportFactors";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The factor attribution of the P&L from attribution_from to the as-of date (only when asked).
struct ReportAttribution {
  std::string status = "ok";
  std::optional<std::string> reason;
  FactorAttributionResult result;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportAttribution";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The VaR backtest (risk_backtest: its figures and exception dates, without the daily series);
// "n/a" until it has run (and in a document without one).
struct ReportBacktest {
  std::string status = "n/a";
  std::optional<std::string> reason = "the backtest did not run";
  RiskBacktestResult result;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportBacktest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// VaR and ES by every method (risk_var), and their backtest.
struct ReportVar {
  std::string status = "ok";
  std::optional<std::string> reason;
  RiskVarResult result;
  ReportBacktest backtest;

  bool ok() const { return status == "ok"; }
  static constexpr const char* kSchemaName = "ReportVar";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Stress scenarios (risk_stress).
struct ReportStress {
  std::string status = "ok";
  std::optional<std::string> reason;
  StressResult result;

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

// Correlations of the risk drivers (risk_correlation), with the report's highlights of the matrix.
struct ReportCorrelation {
  std::string status = "ok";
  std::optional<std::string> reason;
  RiskCorrelationResult result;
  spec::Nullable<double> average_pairwise;  // of the assets; null with fewer than two
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

// What the renderers read off the embedded results (report.md, the charts, the batch's snapshot).
// The entry of `method` (the API's name: parametric, historical, montecarlo) in the VaR section's
// results; null when it did not run.
const VarMethodResult* find_var_method(const ReportVar& var, std::string_view method);
// The scenario and method with the largest loss; null without any.
const StressScenarioResult* worst_stress_scenario(const ReportStress& stress);

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
