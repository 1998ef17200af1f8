// keel/report/report_markdown.h: the human-readable report (report.md) and its SVG charts, rendered
// from a report.json document (schema "keel.report/1", see report_schema.h and docs/reports.md).
//
// Pure functions of the JSON: no files, no clock. The same document gives byte-identical output,
// so reports can be compared in tests. A section whose "status" is not "ok" (or that is missing)
// still gets its heading, with "N/A — <reason>"; missing optional fields print as "n/a".
//
// Number formatting for people: amounts with thousands separators and 2 decimals
// ("1,234,567.89"), fractions as percent with 2 decimals (0.0165 -> "1.65%"), betas and
// correlations with 2 decimals, HHI with 4.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace keel::report {

// `value` with `decimals` fixed decimals and ',' between thousands: (1234567.891, 2) ->
// "1,234,567.89", (-0.004, 2) -> "0.00" (no negative zero). NaN or infinite -> "n/a".
std::string format_number(double value, int decimals);
// An amount in the portfolio currency: format_number(value, 2).
std::string format_amount(double value);
// A decimal fraction as a percentage: (0.0165, 2) -> "1.65%"; NaN -> "n/a".
std::string format_percent(double fraction, int decimals = 2);

// Bins of the P&L histogram for `count` values: ceil(sqrt(count)) clamped to [5, 40]
// (the square-root rule; Freedman & Diaconis would need the IQR and gives similar counts here).
int pnl_histogram_bins(std::size_t count);

// One chart of the report. `svg` is empty when the chart is not drawn; then `reason` says why
// (the section is not ok, or too few points).
struct ReportChart {
  std::string file_name;  // relative to the report folder, e.g. "pnl_distribution.svg"
  std::string title;      // alt text in report.md
  std::string svg;
  std::string reason;
};

// The five charts of the contract, in report order: pnl_distribution.svg (histogram of
// var.pnl_distribution_amount, marker at -var.historical_var_amount), exposure_by_sector.svg
// (exposures.by_sector net_amount), factor_betas.svg (factors.betas beta), stress_impacts.svg
// (stress.scenarios pnl_amount), value_history.svg (history.points net_value_amount, >= 2 points).
// Never throws for a well-formed JSON object; fields of the wrong type count as missing.
std::vector<ReportChart> render_report_charts(const nlohmann::json& report);

// report.md and its drawn charts: {"report.md": markdown, "pnl_distribution.svg": svg, ...}
// (file name -> content; charts that are not drawn are absent and report.md says why).
// Sections, in order: title, as-of and provenance; Executive summary; Positions and exposures;
// Greeks; Factor exposures; VaR and ES; Stress tests; Correlation highlights; Concentration;
// Value history; Data quality; Run steps. Throws keel::Error(invalid_input) only when `report`
// is not a JSON object.
std::map<std::string, std::string> render_markdown_report(const nlohmann::json& report);

}  // namespace keel::report
