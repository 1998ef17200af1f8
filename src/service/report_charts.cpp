// The five SVG charts of report.md, drawn from a Report with keel/report/svg_chart.h.
#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "keel/report/report_format.h"
#include "keel/report/report_schema.h"
#include "keel/report/svg_chart.h"
#include "keel/service/report.h"
#include "keel/service/report_markdown.h"
#include "report_figures.h"

namespace keel::service {
namespace {

using report_detail::figure;
using report_detail::section_ok;
using report_detail::section_reason;

// The axis label of amounts: they are in the report's reporting currency.
std::string amount_label(const Report& report) {
  return "amount (" + report.summary.currency + ")";
}

// Bars get ~28 px each, within [200, 1200] px of height, so long lists stay legible.
int bar_chart_height(std::size_t bars) {
  return static_cast<int>(std::clamp<std::size_t>(80 + 28 * bars, 200, 1200));
}

template <class Section>
std::string not_ok_reason(const char* section, const Section& s) {
  return std::string("the ") + section + " section is not available: " + section_reason(s);
}

ReportChart pnl_chart(const Report& report) {
  ReportChart c{std::string(report::kPnlDistributionChart), "Daily P&L distribution with the historical VaR",
                "", ""};
  const ReportVar& var = report.var;
  if (!section_ok(var)) {
    c.reason = not_ok_reason("VaR", var);
    return c;
  }
  const VarMethodResult* historical = find_var_method(var, "historical");
  if (historical == nullptr || !historical->pnl_histogram || historical->pnl_histogram->counts.empty()) {
    c.reason = "the report has no P&L distribution (var.results has no historical pnl_histogram)";
    return c;
  }
  const PnlHistogram& h = *historical->pnl_histogram;
  std::optional<double> marker;
  std::string marker_label;
  if (std::isfinite(historical->var)) {
    marker = -historical->var;
    marker_label = "historical VaR " + report::format_percent(historical->confidence) + ": " +
                   report::format_amount(-historical->var);
  }
  report::ChartStyle style;
  style.title = fmt::format("Daily P&L of today's book over {} days", h.total);
  style.value_label = "daily P&L, " + amount_label(report);
  c.svg = report::histogram_svg(h.edges, h.counts, marker, marker_label, style);
  return c;
}

// One bar per row with a finite value: its label, its value and its variant (e.g. a stress method).
struct BarRow {
  std::string label;
  double value;
  std::string variant;
};

// When labels repeat (a stress scenario run both direct and correlated), appends to each label the
// first letter of its variant, "(d)" / "(c)"; returns whether it did.
bool disambiguate(std::vector<report::Bar>& bars, const std::vector<BarRow>& rows) {
  bool repeated = false;
  for (std::size_t i = 0; i < bars.size() && !repeated; ++i)
    for (std::size_t j = i + 1; j < bars.size() && !repeated; ++j) repeated = bars[i].label == bars[j].label;
  if (!repeated) return false;
  for (std::size_t b = 0; b < bars.size(); ++b)
    if (!rows[b].variant.empty()) bars[b].label += " (" + rows[b].variant.substr(0, 1) + ")";
  return true;
}

template <class Section>
ReportChart bar_chart(const Section& s, const char* section_label, std::string_view file, std::string title,
                      const std::vector<BarRow>& all_rows, std::string value_label,
                      const char* variant_note = "") {
  ReportChart c{std::string(file), title, "", ""};
  if (!section_ok(s)) {
    c.reason = not_ok_reason(section_label, s);
    return c;
  }
  std::vector<BarRow> rows;
  std::vector<report::Bar> bars;
  for (const auto& r : all_rows) {
    if (!std::isfinite(r.value)) continue;
    rows.push_back(r);
    bars.push_back({r.label, r.value});
  }
  if (bars.empty()) {
    c.reason = std::string("the ") + section_label + " section has no rows to draw";
    return c;
  }
  report::ChartStyle style;
  style.title = std::move(title);
  if (disambiguate(bars, rows)) style.title += variant_note;
  style.value_label = std::move(value_label);
  style.height_px = bar_chart_height(bars.size());
  c.svg = report::bar_chart_svg(bars, style);
  return c;
}

ReportChart history_chart(const Report& report) {
  ReportChart c{std::string(report::kValueHistoryChart), "Net value from the stored snapshots", "", ""};
  const ReportHistory& h = report.history;
  if (!section_ok(h)) {
    c.reason = not_ok_reason("history", h);
    return c;
  }
  std::vector<report::SeriesPoint> points;
  for (const auto& p : h.points) {
    const double v = figure(p.net_value_amount);
    if (std::isfinite(v)) points.push_back({p.as_of, v});
  }
  if (points.size() < 2) {
    c.reason = fmt::format("the chart needs at least 2 snapshots and the store holds {}", points.size()) +
               (points.size() == 1 ? " (" + points.front().x_label + ")" : std::string()) +
               "; run the batch on more dates to build the history";
    return c;
  }
  report::ChartStyle style;
  style.title = "Net value, " + points.front().x_label + " to " + points.back().x_label;
  style.value_label = "net value, " + amount_label(report);
  c.svg = report::line_chart_svg(points, style);
  return c;
}

}  // namespace

std::vector<ReportChart> render_report_charts(const Report& report) {
  std::vector<BarRow> sectors, betas, stress;
  for (const auto& g : report.exposures.result.groups) sectors.push_back({g.key, g.market_value.net, ""});
  const FactorsResult& f = report.factors.result;
  for (const auto& n : f.factors) betas.push_back({n, report_detail::figure_at(f.portfolio.betas, n), ""});
  for (const auto& s : report.stress.result.scenarios) stress.push_back({s.name, s.pnl, s.method});
  std::vector<ReportChart> charts;
  charts.push_back(pnl_chart(report));
  charts.push_back(bar_chart(report.exposures, "exposures", report::kExposureBySectorChart,
                             "Net exposure by sector", sectors, "net exposure, " + amount_label(report)));
  charts.push_back(bar_chart(report.factors, "factors", report::kFactorBetasChart, "Factor betas of the book",
                             betas, "beta (book return per unit of factor return)"));
  charts.push_back(bar_chart(report.stress, "stress", report::kStressImpactsChart, "Stress scenario P&L",
                             stress, "P&L, " + amount_label(report), " — (d) direct, (c) correlated"));
  charts.push_back(history_chart(report));
  return charts;
}

}  // namespace keel::service
