// keel/service/report.h: the report.json document (schema keel.report/1, docs/reports.md) — Report
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
  static void fields(V& v, S& s) {
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
};

// The report.json document (schema keel.report/1, docs/reports.md). Each section has "status"
// (ok, n/a or failed) and, unless ok, "reason" (keel/service/report.h describes the sections).
// Every member is required when a document is read back (report_from_json): a document missing a
// section is refused rather than read as a section that is ok with zero figures.
struct Report {
  std::string schema;        // keel.report/1
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
  static void fields(V& v, S& s) {
    v.field({.name = "schema", .help = "keel.report/1", .required = true}, s.schema);
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
};

}  // namespace keel::service
