#include "keel/report/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <string_view>
#include <vector>

#include "keel/core/strings.h"
#include "keel/report/report_format.h"

namespace keel::report {
namespace {

constexpr const char* kPositive = "#2b6cb0";
constexpr const char* kNegative = "#c53030";
constexpr const char* kInk = "#1a202c";
constexpr const char* kGrid = "#cbd5e0";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Short human labels for axis ticks: 1.2k, 3.4M, 0.05.
std::string tick_label(double v) {
  char buf[32];
  const double a = std::fabs(v);
  if (a >= 1e9) std::snprintf(buf, sizeof buf, "%.1fB", v / 1e9);
  else if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.1fM", v / 1e6);
  else if (a >= 1e3) std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  else if (a >= 1 || a == 0) std::snprintf(buf, sizeof buf, "%.2f", v);
  else std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

std::string open_svg(const ChartStyle& s) {
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n",
      s.width_px, s.height_px);
  out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  if (!s.title.empty()) {
    out += "<text x=\"" + num(s.width_px / 2.0) + "\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" fill=\"" +
           std::string(kInk) + "\">" + xml_escape(s.title) + "</text>\n";
  }
  return out;
}

const char* anchor_name(TextAnchor a) {
  switch (a) {
    case TextAnchor::kStart:
      return "start";
    case TextAnchor::kMiddle:
      return "middle";
    case TextAnchor::kEnd:
      return "end";
  }
  return "start";
}

std::string text(double x, double y, const std::string& t, TextAnchor anchor = TextAnchor::kStart,
                 double font_px = kChartFontPx) {
  std::string out =
      "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor_name(anchor) + "\"";
  if (font_px != kChartFontPx) out += " font-size=\"" + num(font_px) + "\"";
  return out + " fill=\"" + kInk + "\">" + xml_escape(t) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, const char* colour, double width = 1,
                 const char* dash = nullptr) {
  std::string out = "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) +
                    "\" stroke=\"" + colour + "\" stroke-width=\"" + num(width) + "\"";
  if (dash) out += std::string(" stroke-dasharray=\"") + dash + "\"";
  return out + "/>\n";
}

// `t` cut at a code point boundary and ended with an ellipsis so that it fits `max_px`.
std::string fit_text(const std::string& t, double max_px, double font_px) {
  if (text_width_px(t, font_px) <= max_px) return t;
  const auto keep =
      static_cast<std::size_t>(std::max(0.0, std::floor(max_px / (kCharWidthEm * font_px)) - 1));
  std::string out;
  std::size_t points = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto c = static_cast<unsigned char>(t[i]);
    if ((c & 0xC0) != 0x80 && points++ == keep) break;
    out += t[i];
  }
  return out + "\u2026";
}

// Vertical layout shared by the charts: the title's baseline at 20 px, the plot from `top` to
// `height - kBottomMargin`, tick labels on a line 16 px below the plot and the axis label 18 px
// below them; with 12 px text these lines' boxes are 14.4 px tall and do not touch.
constexpr double kBottomMargin = 48;
constexpr double kTickLine = 16;
constexpr double kAxisLine = 34;
constexpr double kPad = 8;  // from the chart's edges
constexpr double kGap = 4;  // between a bar's end and its value label

}  // namespace

std::string xml_escape(const std::string& t) {
  // U+FFFD REPLACEMENT CHARACTER stands for what XML 1.0 cannot hold: control characters other
  // than tab, line feed and carriage return, and bytes that are not UTF-8.
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(t.size());
  std::string_view rest(t);
  while (!rest.empty()) {
    const std::size_t bad = utf8_error_offset(rest);
    for (const char c : rest.substr(0, bad)) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: {
          const auto u = static_cast<unsigned char>(c);
          if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F) {
            out += kReplacement;
          } else {
            out += c;
          }
        }
      }
    }
    if (bad == std::string_view::npos) break;
    out += kReplacement;  // one for each byte that is not UTF-8
    rest.remove_prefix(bad + 1);
  }
  return out;
}

double text_width_px(std::string_view t, double font_px) {
  std::size_t points = 0;
  for (char c : t) points += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return static_cast<double>(points) * kCharWidthEm * font_px;
}

TextBox text_box(double x, double baseline_y, std::string_view t, TextAnchor anchor, double font_px) {
  const double w = text_width_px(t, font_px);
  const double x0 = anchor == TextAnchor::kStart ? x : anchor == TextAnchor::kMiddle ? x - w / 2 : x - w;
  return {x0, baseline_y - kAscentEm * font_px, x0 + w, baseline_y + kDescentEm * font_px};
}

std::string bar_chart_svg(std::span<const Bar> bars, const ChartStyle& s) {
  std::string out = open_svg(s);
  if (bars.empty())
    return out + text(s.width_px / 2.0, s.height_px / 2.0, "no data", TextAnchor::kMiddle) + "</svg>\n";
  const double width = s.width_px;
  const double top = 40, bottom = s.height_px - kBottomMargin;
  const double row = (bottom - top) / static_cast<double>(bars.size());
  // Row labels shrink with the rows so that a label's box (1.2 em) stays inside its row.
  const double font = std::min(kChartFontPx, std::floor(row * 0.75 * 10) / 10);
  double lo = 0, hi = 0;
  for (const auto& b : bars) {
    lo = std::min(lo, b.value);
    hi = std::max(hi, b.value);
  }
  if (hi == lo) hi = lo + 1;
  // Margins: pad, category labels, 6, negative value labels, gap, plot, gap, positive value labels, pad.
  std::vector<std::string> labels, values;
  double label_w = 0, neg_w = 0, pos_w = 0;
  for (const auto& b : bars) {
    labels.push_back(fit_text(b.label, 0.4 * width, font));
    values.push_back(tick_label(b.value));
    label_w = std::max(label_w, text_width_px(labels.back(), font));
    double& side_w = b.value < 0 ? neg_w : pos_w;
    side_w = std::max(side_w, text_width_px(values.back(), font));
  }
  const double label_end = kPad + label_w;
  const double left = label_end + 6 + (neg_w > 0 ? neg_w + kGap : 0);
  const double right = std::max(left + 1, width - kPad - (pos_w > 0 ? pos_w + kGap : 0));
  auto x_of = [&](double v) { return left + (v - lo) / (hi - lo) * (right - left); };
  const double zero = x_of(0);
  out += line(zero, top, zero, bottom, kInk);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = top + row * static_cast<double>(i);
    const double baseline = y + row * 0.5 + 0.35 * font;  // centres the 0.95 / 0.25 em box on the row
    const double x0 = std::min(zero, x_of(bars[i].value)), x1 = std::max(zero, x_of(bars[i].value));
    out += "<rect x=\"" + num(x0) + "\" y=\"" + num(y + row * 0.15) + "\" width=\"" + num(std::max(x1 - x0, 0.5)) +
           "\" height=\"" + num(row * 0.7) + "\" fill=\"" + (bars[i].value < 0 ? kNegative : kPositive) + "\"/>\n";
    out += text(label_end, baseline, labels[i], TextAnchor::kEnd, font);
    const bool negative = bars[i].value < 0;
    // A rect is at least 0.5 px wide, so the label clears that too.
    out += text(negative ? x0 - kGap : std::max(x1, x0 + 0.5) + kGap, baseline, values[i],
                negative ? TextAnchor::kEnd : TextAnchor::kStart, font);
  }
  out += text(left, bottom + kTickLine, tick_label(lo), TextAnchor::kStart);
  out += text(right, bottom + kTickLine, tick_label(hi), TextAnchor::kEnd);
  if (!s.value_label.empty()) out += text(width / 2, bottom + kAxisLine, s.value_label, TextAnchor::kMiddle);
  return out + "</svg>\n";
}

std::string histogram_svg(std::span<const double> values, int bins, std::optional<double> marker,
                          const std::string& marker_label, const ChartStyle& s) {
  if (values.empty() || bins < 1) return histogram_svg(std::span<const double>(), std::span<const double>(), marker, marker_label, s);
  auto [mn, mx] = std::minmax_element(values.begin(), values.end());
  double lo = *mn, hi = *mx;
  if (marker) {
    lo = std::min(lo, *marker);
    hi = std::max(hi, *marker);
  }
  if (hi == lo) hi = lo + 1;
  std::vector<double> edges(static_cast<std::size_t>(bins) + 1);
  for (int b = 0; b <= bins; ++b) edges[static_cast<std::size_t>(b)] = lo + b * (hi - lo) / bins;
  std::vector<double> counts(static_cast<std::size_t>(bins), 0.0);
  for (double v : values) {
    int b = static_cast<int>((v - lo) / (hi - lo) * bins);
    counts[static_cast<std::size_t>(std::clamp(b, 0, bins - 1))] += 1;
  }
  return histogram_svg(edges, counts, marker, marker_label, s);
}

std::string histogram_svg(std::span<const double> edges, std::span<const double> counts, std::optional<double> marker,
                          const std::string& marker_label, const ChartStyle& s) {
  std::string out = open_svg(s);
  if (counts.empty() || edges.size() != counts.size() + 1 || !(edges.back() > edges.front())) {
    return out + text(s.width_px / 2.0, s.height_px / 2.0, "no data", TextAnchor::kMiddle) + "</svg>\n";
  }
  const double width = s.width_px;
  // The marker's label has its own band between the title and the plot (baseline 54 px).
  const double left = 60, right = width - 20.0, top = 64, bottom = s.height_px - kBottomMargin;
  const double marker_baseline = 54;
  const double lo = edges.front(), hi = edges.back();
  const double peak = *std::max_element(counts.begin(), counts.end());
  auto x_of = [&](double v) { return left + (std::clamp(v, lo, hi) - lo) / (hi - lo) * (right - left); };
  for (std::size_t b = 0; b < counts.size(); ++b) {
    const double h = peak > 0 ? (bottom - top) * counts[b] / peak : 0;
    const double x0 = x_of(edges[b]), x1 = x_of(edges[b + 1]);
    const double mid = (edges[b] + edges[b + 1]) / 2;
    const bool beyond = marker && mid < *marker;
    out += "<rect x=\"" + num(x0) + "\" y=\"" + num(bottom - h) + "\" width=\"" + num(std::max(x1 - x0 - 1, 0.5)) +
           "\" height=\"" + num(h) + "\" fill=\"" + (beyond ? kNegative : kPositive) + "\"/>\n";
  }
  out += line(left, bottom, right, bottom, kInk);
  if (marker) {
    const double x = x_of(*marker);
    out += line(x, marker_baseline - 12, x, bottom, kNegative, 2, "6,3");
    // Right of the line when it fits, else left of it, else centred on the chart.
    const double label_w = text_width_px(marker_label, kChartFontPx);
    if (x + kGap + label_w <= width - kPad) {
      out += text(x + kGap, marker_baseline, marker_label, TextAnchor::kStart);
    } else if (x - kGap - label_w >= kPad) {
      out += text(x - kGap, marker_baseline, marker_label, TextAnchor::kEnd);
    } else {
      out += text(width / 2, marker_baseline, marker_label, TextAnchor::kMiddle);
    }
  }
  out += text(left, bottom + kTickLine, tick_label(lo), TextAnchor::kStart);
  out += text(right, bottom + kTickLine, tick_label(hi), TextAnchor::kEnd);
  if (!s.value_label.empty()) out += text(width / 2, bottom + kAxisLine, s.value_label, TextAnchor::kMiddle);
  return out + "</svg>\n";
}

std::string line_chart_svg(std::span<const SeriesPoint> points, const ChartStyle& s) {
  std::string out = open_svg(s);
  if (points.empty())
    return out + text(s.width_px / 2.0, s.height_px / 2.0, "no data", TextAnchor::kMiddle) + "</svg>\n";
  double lo = points[0].y, hi = points[0].y;
  for (const auto& p : points) {
    lo = std::min(lo, p.y);
    hi = std::max(hi, p.y);
  }
  if (hi == lo) {
    lo -= 1;
    hi += 1;
  }
  // The y tick labels sit left of the plot, in a margin as wide as the wider of them.
  const double tick_w =
      std::max(text_width_px(tick_label(hi), kChartFontPx), text_width_px(tick_label(lo), kChartFontPx));
  const double left = kPad + tick_w + 6, right = s.width_px - 20.0, top = 40,
               bottom = s.height_px - kBottomMargin;
  const std::size_t n = points.size();
  auto x_of = [&](std::size_t i) { return n == 1 ? (left + right) / 2 : left + (right - left) * i / static_cast<double>(n - 1); };
  auto y_of = [&](double v) { return bottom - (v - lo) / (hi - lo) * (bottom - top); };
  out += line(left, bottom, right, bottom, kGrid);
  out += line(left, top, left, bottom, kGrid);
  std::string path;
  for (std::size_t i = 0; i < n; ++i) path += (i ? " L" : "M") + num(x_of(i)) + " " + num(y_of(points[i].y));
  out += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + kPositive + "\" stroke-width=\"2\"/>\n";
  if (n == 1) out += "<circle cx=\"" + num(x_of(0)) + "\" cy=\"" + num(y_of(points[0].y)) + "\" r=\"3\" fill=\"" + kPositive + "\"/>\n";
  out += text(left - 6, top + 4, tick_label(hi), TextAnchor::kEnd);
  out += text(left - 6, bottom + 4, tick_label(lo), TextAnchor::kEnd);
  out += text(left, bottom + kTickLine, points.front().x_label, TextAnchor::kStart);
  if (n > 1) out += text(right, bottom + kTickLine, points.back().x_label, TextAnchor::kEnd);
  if (!s.value_label.empty())
    out += text(s.width_px / 2.0, bottom + kAxisLine, s.value_label, TextAnchor::kMiddle);
  return out + "</svg>\n";
}

namespace {

// Colour and dash pattern of the i-th line: the first solid blue, the second dashed red, ...
struct LineLook {
  const char* colour;
  const char* dash;
};
constexpr LineLook kLineLooks[] = {{kPositive, nullptr}, {kNegative, "6,3"}, {"#2f855a", "2,3"}, {"#6b46c1", "8,3,2,3"}};

}  // namespace

std::string multi_line_chart_svg(std::span<const std::string> x_labels, std::span<const LineSeries> series,
                                 const ChartStyle& s) {
  std::string out = open_svg(s);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& line_series : series)
    for (const double v : line_series.y)
      if (std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
  if (x_labels.empty() || !std::isfinite(lo))
    return out + text(s.width_px / 2.0, s.height_px / 2.0, "no data", TextAnchor::kMiddle) + "</svg>\n";
  if (hi == lo) {
    lo -= s.percent_ticks ? 0.01 : 1;
    hi += s.percent_ticks ? 0.01 : 1;
  }
  auto tick = [&](double v) { return s.percent_ticks ? format_percent(v, 1) : tick_label(v); };
  const bool spans_zero = lo < 0 && hi > 0;
  double tick_w = std::max(text_width_px(tick(hi), kChartFontPx), text_width_px(tick(lo), kChartFontPx));
  if (spans_zero) tick_w = std::max(tick_w, text_width_px(tick(0), kChartFontPx));
  // The legend's line sits between the title (baseline 20) and the plot, whose top is 56 px.
  const double legend_baseline = 42;
  const double left = kPad + tick_w + 6, right = s.width_px - 20.0, top = 56, bottom = s.height_px - kBottomMargin;
  const std::size_t n = x_labels.size();
  auto x_of = [&](std::size_t i) {
    return n == 1 ? (left + right) / 2 : left + (right - left) * static_cast<double>(i) / static_cast<double>(n - 1);
  };
  auto y_of = [&](double v) { return bottom - (v - lo) / (hi - lo) * (bottom - top); };
  out += line(left, bottom, right, bottom, kGrid);
  out += line(left, top, left, bottom, kGrid);
  if (spans_zero) {
    out += line(left, y_of(0), right, y_of(0), kGrid, 1, "4,4");
    out += text(left - 6, y_of(0) + 4, tick(0), TextAnchor::kEnd);
  }
  double legend_x = left;
  for (std::size_t k = 0; k < series.size(); ++k) {
    const LineLook look = kLineLooks[k % std::size(kLineLooks)];
    std::string path;
    bool pen_down = false;
    for (std::size_t i = 0; i < n && i < series[k].y.size(); ++i) {
      const double v = series[k].y[i];
      if (!std::isfinite(v)) {
        pen_down = false;
        continue;
      }
      path += (pen_down ? " L" : (path.empty() ? "M" : " M")) + num(x_of(i)) + " " + num(y_of(v));
      pen_down = true;
    }
    if (!path.empty()) {
      out += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + look.colour + "\" stroke-width=\"2\"";
      if (look.dash) out += std::string(" stroke-dasharray=\"") + look.dash + "\"";
      out += "/>\n";
    }
    // Legend: a short stroke in the line's look, then the name.
    out += line(legend_x, legend_baseline - 4, legend_x + 24, legend_baseline - 4, look.colour, 2, look.dash);
    const std::string name = fit_text(series[k].name, 0.4 * s.width_px, kChartFontPx);
    out += text(legend_x + 30, legend_baseline, name);
    legend_x += 30 + text_width_px(name, kChartFontPx) + 20;
  }
  out += text(left - 6, top + 4, tick(hi), TextAnchor::kEnd);
  out += text(left - 6, bottom + 4, tick(lo), TextAnchor::kEnd);
  out += text(left, bottom + kTickLine, x_labels.front(), TextAnchor::kStart);
  if (n > 1) out += text(right, bottom + kTickLine, x_labels.back(), TextAnchor::kEnd);
  if (!s.value_label.empty())
    out += text(s.width_px / 2.0, bottom + kAxisLine, s.value_label, TextAnchor::kMiddle);
  return out + "</svg>\n";
}

}  // namespace keel::report
