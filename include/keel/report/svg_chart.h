// keel/report/svg_chart.h: small, dependency-free SVG charts for reports.
//
// Each function returns a complete standalone SVG document (UTF-8 text) sized in pixels; text is
// XML-escaped. Charts are deterministic: the same input gives byte-identical output, so reports can
// be compared in tests. No file I/O here: callers write the strings where they want.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace keel::report {

struct ChartStyle {
  int width_px = 720;
  int height_px = 360;
  std::string title;
  std::string value_label;  // axis label for values, units included ("USD", "beta")
  bool percent_ticks = false;  // value ticks as percentages of fractions (0.05 -> "5.0%"); multi_line_chart_svg
};

struct Bar {
  std::string label;
  double value = 0.0;
};

// Horizontal bars from a zero line; negative values extend left in a second colour. Category labels
// sit in a left margin as wide as the widest label (cut with an ellipsis beyond 40 % of the width);
// value labels sit outside the bar ends in margins reserved for the widest of them.
std::string bar_chart_svg(std::span<const Bar> bars, const ChartStyle& style);

// Histogram of `values` in `bins` equal-width bins, with an optional vertical marker line
// (e.g. the VaR threshold, as a P&L value) labelled `marker_label` in a band above the plot area
// (beside the line, on whichever side the label fits).
std::string histogram_svg(std::span<const double> values, int bins, std::optional<double> marker,
                          const std::string& marker_label, const ChartStyle& style);
// The same of binned counts: `edges` ascending, one more than `counts` (bin i is [edges i, edges
// i+1)); a marker outside the edges is drawn at the nearer end.
std::string histogram_svg(std::span<const double> edges, std::span<const double> counts, std::optional<double> marker,
                          const std::string& marker_label, const ChartStyle& style);

struct SeriesPoint {
  std::string x_label;  // e.g. an ISO date
  double y = 0.0;
};

// A line through the points in order, x evenly spaced, first and last x labels shown.
std::string line_chart_svg(std::span<const SeriesPoint> points, const ChartStyle& style);

// One named line of multi_line_chart_svg: a y per x label; NaN leaves a gap.
struct LineSeries {
  std::string name;
  std::vector<double> y;
};

// Lines over shared x labels (evenly spaced, first and last shown), each in its own colour and
// dash pattern, named in a legend above the plot; a dashed line at 0 when the values span it, and
// the y ticks at the bottom, top and 0. For comparisons over time: cumulative returns of an account
// and its benchmark, drawdowns, rolling figures.
std::string multi_line_chart_svg(std::span<const std::string> x_labels, std::span<const LineSeries> series,
                                 const ChartStyle& style);

// Text layout. SVG leaves glyph widths to the renderer, so the charts place text with an estimate
// that errs wide: every character (UTF-8 code point) advances kCharWidthEm x the font size, and a
// line spans kAscentEm above its baseline to kDescentEm below. 0.65 em is above the average
// advance of the common sans-serif faces (DejaVu Sans digits 0.636 em, lower case ~0.6 em; Arial
// and Helvetica digits 0.556 em); the ascent and descent cover DejaVu's 0.93 / 0.24 em. Charts reserve
// margins from these extents so that no two texts, and no text and bar, overlap.
inline constexpr double kCharWidthEm = 0.65;
inline constexpr double kAscentEm = 0.95;
inline constexpr double kDescentEm = 0.25;
inline constexpr double kChartFontPx = 12.0;  // default text size; titles are 15 px

enum class TextAnchor { kStart, kMiddle, kEnd };
struct TextBox {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // left, top, right, bottom in px (y grows downwards)
};
// Estimated width in px of `text` at `font_px`.
double text_width_px(std::string_view text, double font_px);
// Estimated box of `text` drawn at (x, baseline_y) with the SVG text-anchor `anchor`.
TextBox text_box(double x, double baseline_y, std::string_view text, TextAnchor anchor, double font_px);

// `text` as XML character data or an attribute value: & < > " ' as the entities &amp; &lt; &gt;
// &quot; &apos;, and each control character XML 1.0 does not allow (below U+0020 but tab, line
// feed and carriage return; and U+007F) and each byte that is not UTF-8 as U+FFFD. Every text
// node and attribute the charts write from data (labels, titles) goes through it.
std::string xml_escape(const std::string& text);

}  // namespace keel::report
