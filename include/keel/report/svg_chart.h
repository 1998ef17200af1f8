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
#include <vector>

namespace keel::report {

struct ChartStyle {
  int width_px = 720;
  int height_px = 360;
  std::string title;
  std::string value_label;  // axis label for values, units included ("USD", "beta")
};

struct Bar {
  std::string label;
  double value = 0.0;
};

// Horizontal bars from a zero line; negative values extend left in a second colour.
std::string bar_chart_svg(std::span<const Bar> bars, const ChartStyle& style);

// Histogram of `values` in `bins` equal-width bins, with an optional vertical marker line
// (e.g. the VaR threshold, as a P&L value) labelled `marker_label`.
std::string histogram_svg(std::span<const double> values, int bins, std::optional<double> marker,
                          const std::string& marker_label, const ChartStyle& style);

struct SeriesPoint {
  std::string x_label;  // e.g. an ISO date
  double y = 0.0;
};

// A line through the points in order, x evenly spaced, first and last x labels shown.
std::string line_chart_svg(std::span<const SeriesPoint> points, const ChartStyle& style);

// Escapes & < > " ' for XML text and attributes.
std::string xml_escape(const std::string& text);

}  // namespace keel::report
