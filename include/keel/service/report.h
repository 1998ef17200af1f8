// keel/service/report.h: the report.json document (schema keel.report/2, docs/reports.md) — Report
// and its summary as described structs, the other sections in keel/service/report_sections.h —
// filled by service::build_report (keel/service/report_build.h), stored in the snapshots and the result cache as JSON, read back by
// report_from_json (keel/service/report_writer.h), and read member by member by the renderers
// (positions.csv, report.xlsx, report.md and charts) and by the batch (keel/service/batch.h).
//
// Every section has `status` ("ok", "n/a" or "failed") and, unless ok, `reason`. Its other
// members are the section's body: written only when the status is ok (a section that is not ok is
// exactly {"status", "reason"} in JSON) and optional in the section's schema. Names carry units
// (*_amount in the portfolio currency, *_pct and weights as fractions, *_days in trading days).
//
// Thread-safety: value types.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/report_sections.h"
#include "keel/service/spec.h"

namespace keel::service {

// The report's "summary" section: the headline figures, each null when its step did not run.
struct ReportSummary {
  std::string status;                 // ok, or failed when the book could not be valued
  std::optional<std::string> reason;  // when failed
  // The reporting currency of every *_amount of the report; a stored document without one was
  // valued in USD.
  std::string currency = "USD";
  std::size_t positions_count = 0;
  spec::Nullable<double> net_value_amount;
  spec::Nullable<double> gross_value_amount;
  spec::Nullable<double> long_value_amount;
  spec::Nullable<double> short_value_amount;
  spec::Nullable<double> pnl_1d_amount;
  spec::Nullable<double> pnl_1d_pct;
  std::optional<std::string> pnl_1d_from;      // the previous price date the 1-day P&L starts from
  spec::Nullable<double> cost_basis_amount;    // sum over the positions with an entry price
  spec::Nullable<double> unrealized_pnl_amount;
  std::string var_method = "historical";
  spec::Nullable<double> var_amount;
  spec::Nullable<double> es_amount;
  spec::Nullable<double> var_pct;
  spec::Nullable<double> confidence;
  spec::Nullable<std::string> backtest_zone;
  spec::Nullable<double> beta_mkt;
  spec::Nullable<std::string> worst_stress_scenario;
  spec::Nullable<double> worst_stress_pnl_amount;
  spec::Nullable<std::string> largest_position_symbol;
  spec::Nullable<double> largest_position_weight;
  std::size_t data_warnings_count = 0;

  static constexpr const char* kSchemaName = "ReportSummary";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The report.json document (schema keel.report/2, docs/reports.md). Each section has "status"
// (ok, n/a or failed) and, unless ok, "reason" (keel/service/report.h describes the sections).
// Every member is required when a document is read back (report_from_json): a document missing a
// section is refused rather than read as a section that is ok with zero figures.
struct Report {
  std::string schema;        // keel.report/2
  std::string portfolio;
  std::string as_of;         // YYYY-MM-DD
  std::string generated_at;  // ISO-8601 UTC
  std::string keel_version;
  ReportProvenance provenance;
  ReportSummary summary;
  ReportDataQuality data_quality;
  ReportPositions positions;
  ReportExposures exposures;
  ReportGreeks greeks;
  ReportFactors factors;
  ReportVar var;
  ReportStress stress;
  ReportCorrelation correlation;
  ReportConcentration concentration;
  ReportHistory history;
  std::optional<ReportAttribution> attribution;  // with attribution_from
  std::vector<ReportStep> steps;

  static constexpr const char* kSchemaName = "Report";
  template <class V, class S>
  static void fields(V& v, S& s);
};

}  // namespace keel::service
