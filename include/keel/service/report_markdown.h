// keel/service/report_markdown.h: the human-readable report (report.md) and its SVG charts,
// rendered from a Report (keel/service/report.h, schema "keel.report/1", docs/reports.md).
//
// The renderers read the report's typed sections member by member (keel/service/report.h), so a
// renamed field fails to compile here. Pure functions of the report: no files, no clock; the same
// report gives byte-identical output, so reports can be compared in tests. A section whose status
// is not "ok" still gets its heading, with "N/A — <reason>"; figures that are null print as "n/a".
// Numbers are formatted by keel/report/report_format.h; charts are drawn by keel/report/svg_chart.h.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace keel::service {

struct Report;

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
std::vector<ReportChart> render_report_charts(const Report& report);

// report.md and its drawn charts: {"report.md": markdown, "pnl_distribution.svg": svg, ...}
// (file name -> content; charts that are not drawn are absent and report.md says why).
// Sections, in order: title, as-of and provenance; Executive summary; Positions and exposures;
// Greeks; Factor exposures; VaR and ES; Stress tests; Correlation highlights; Concentration;
// Value history; Data quality; Run steps.
std::map<std::string, std::string> render_markdown_report(const Report& report);

}  // namespace keel::service
