// The five SVG charts of report.md, drawn from report.json with keel/report/svg_chart.h.
#include <algorithm>
#include <cmath>
#include <optional>

#include "keel/report/report_json.h"
#include "keel/report/report_markdown.h"
#include "keel/report/report_schema.h"
#include "keel/report/svg_chart.h"

namespace keel::report {
namespace {

using detail::array;
using detail::Json;
using detail::member;
using detail::number;
using detail::section_ok;
using detail::section_reason;
using detail::text;

constexpr const char* kAmountLabel = "amount (portfolio currency)";

// Bars get ~28 px each, within [200, 1200] px of height, so long lists stay legible.
int bar_chart_height(std::size_t bars) {
  return static_cast<int>(std::clamp<std::size_t>(80 + 28 * bars, 200, 1200));
}

std::string not_ok_reason(const char* section, const Json& s) {
  return std::string("the ") + section + " section is not available: " + section_reason(s);
}

ReportChart pnl_chart(const Json& report) {
  ReportChart c{std::string(kPnlDistributionChart), "Daily P&L distribution with the historical VaR", "", ""};
  const Json& var = member(report, "var");
  if (!section_ok(var)) {
    c.reason = not_ok_reason("VaR", var);
    return c;
  }
  std::vector<double> pnl;
  for (const Json& v : array(var, "pnl_distribution_amount"))
    if (v.is_number()) pnl.push_back(v.get<double>());
  if (pnl.empty()) {
    c.reason = "the report has no P&L distribution (var.pnl_distribution_amount is empty)";
    return c;
  }
  std::optional<double> marker;
  std::string marker_label;
  const double var_amount = number(var, "historical_var_amount");
  if (std::isfinite(var_amount)) {
    marker = -var_amount;
    marker_label =
        "historical VaR " + format_percent(number(var, "confidence")) + ": " + format_amount(-var_amount);
  }
  ChartStyle style;
  style.title = "Daily P&L of today's book over " + std::to_string(pnl.size()) + " days";
  style.value_label = "daily P&L, " + std::string(kAmountLabel);
  c.svg = histogram_svg(pnl, pnl_histogram_bins(pnl.size()), marker, marker_label, style);
  return c;
}

// Bars from `rows[i][label_key]` and `rows[i][value_key]`; rows without a number are skipped.
std::vector<Bar> bars_of(const Json& rows, const char* label_key, const char* value_key) {
  std::vector<Bar> bars;
  for (const Json& r : rows) {
    const double v = number(r, value_key);
    if (std::isfinite(v)) bars.push_back({text(r, label_key, "?"), v});
  }
  return bars;
}

// When labels repeat (a stress scenario run both direct and correlated), appends to each label the
// first letter of its `variant_key` field, "(d)" / "(c)"; returns whether it did. `rows` are the
// rows `bars` came from (rows without a finite `value_key` were skipped, as in bars_of).
bool disambiguate(std::vector<Bar>& bars, const Json& rows, const char* value_key, const char* variant_key) {
  bool repeated = false;
  for (std::size_t i = 0; i < bars.size() && !repeated; ++i)
    for (std::size_t j = i + 1; j < bars.size() && !repeated; ++j) repeated = bars[i].label == bars[j].label;
  if (!repeated) return false;
  std::size_t b = 0;
  for (const Json& r : rows) {
    if (!std::isfinite(number(r, value_key))) continue;
    const std::string variant = text(r, variant_key);
    if (!variant.empty()) bars[b].label += " (" + variant.substr(0, 1) + ")";
    ++b;
  }
  return true;
}

ReportChart bar_chart(const Json& report, const char* section_name, const char* section_label,
                      std::string_view file, std::string title, const char* rows_key, const char* label_key,
                      const char* value_key, std::string value_label, const char* variant_key = nullptr,
                      const char* variant_note = "") {
  ReportChart c{std::string(file), title, "", ""};
  const Json& s = member(report, section_name);
  if (!section_ok(s)) {
    c.reason = not_ok_reason(section_label, s);
    return c;
  }
  std::vector<Bar> bars = bars_of(array(s, rows_key), label_key, value_key);
  if (bars.empty()) {
    c.reason = std::string("the ") + section_label + " section has no rows to draw";
    return c;
  }
  ChartStyle style;
  style.title = std::move(title);
  if (variant_key != nullptr && disambiguate(bars, array(s, rows_key), value_key, variant_key))
    style.title += variant_note;
  style.value_label = std::move(value_label);
  style.height_px = bar_chart_height(bars.size());
  c.svg = bar_chart_svg(bars, style);
  return c;
}

ReportChart history_chart(const Json& report) {
  ReportChart c{std::string(kValueHistoryChart), "Net value from the stored snapshots", "", ""};
  const Json& h = member(report, "history");
  if (!section_ok(h)) {
    c.reason = not_ok_reason("history", h);
    return c;
  }
  std::vector<SeriesPoint> points;
  for (const Json& p : array(h, "points")) {
    const double v = number(p, "net_value_amount");
    if (std::isfinite(v)) points.push_back({text(p, "as_of"), v});
  }
  if (points.size() < 2) {
    c.reason = "the chart needs at least 2 snapshots and the store holds " + std::to_string(points.size()) +
               (points.size() == 1 ? " (" + points.front().x_label + ")" : std::string()) +
               "; run the batch on more dates to build the history";
    return c;
  }
  ChartStyle style;
  style.title = "Net value, " + points.front().x_label + " to " + points.back().x_label;
  style.value_label = std::string("net value, ") + kAmountLabel;
  c.svg = line_chart_svg(points, style);
  return c;
}

}  // namespace

int pnl_histogram_bins(std::size_t count) {
  const double root = std::ceil(std::sqrt(static_cast<double>(count)));
  return static_cast<int>(std::clamp(root, 5.0, 40.0));
}

std::vector<ReportChart> render_report_charts(const nlohmann::json& report) {
  std::vector<ReportChart> charts;
  charts.push_back(pnl_chart(report));
  charts.push_back(bar_chart(report, "exposures", "exposures", kExposureBySectorChart,
                             "Net exposure by sector", "by_sector", "key", "net_amount",
                             std::string("net exposure, ") + kAmountLabel));
  charts.push_back(bar_chart(report, "factors", "factors", kFactorBetasChart, "Factor betas of the book",
                             "betas", "factor", "beta", "beta (book return per unit of factor return)"));
  charts.push_back(bar_chart(report, "stress", "stress", kStressImpactsChart, "Stress scenario P&L",
                             "scenarios", "name", "pnl_amount", std::string("P&L, ") + kAmountLabel, "method",
                             " — (d) direct, (c) correlated"));
  charts.push_back(history_chart(report));
  return charts;
}

}  // namespace keel::report
