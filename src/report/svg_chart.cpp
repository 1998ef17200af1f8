#include "keel/report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

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
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(s.width_px) +
                    "\" height=\"" + std::to_string(s.height_px) + "\" viewBox=\"0 0 " + std::to_string(s.width_px) +
                    " " + std::to_string(s.height_px) + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  if (!s.title.empty()) {
    out += "<text x=\"" + num(s.width_px / 2.0) + "\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" fill=\"" +
           std::string(kInk) + "\">" + xml_escape(s.title) + "</text>\n";
  }
  return out;
}

std::string text(double x, double y, const std::string& t, const char* anchor = "start") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" fill=\"" + kInk + "\">" +
         xml_escape(t) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, const char* colour, double width = 1,
                 const char* dash = nullptr) {
  std::string out = "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) +
                    "\" stroke=\"" + colour + "\" stroke-width=\"" + num(width) + "\"";
  if (dash) out += std::string(" stroke-dasharray=\"") + dash + "\"";
  return out + "/>\n";
}

}  // namespace

std::string xml_escape(const std::string& t) {
  std::string out;
  out.reserve(t.size());
  for (char c : t) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string bar_chart_svg(std::span<const Bar> bars, const ChartStyle& s) {
  std::string out = open_svg(s);
  const double left = 170, right = s.width_px - 70.0, top = 40, bottom = s.height_px - 40.0;
  if (bars.empty()) return out + text(s.width_px / 2.0, s.height_px / 2.0, "no data", "middle") + "</svg>\n";
  double lo = 0, hi = 0;
  for (const auto& b : bars) {
    lo = std::min(lo, b.value);
    hi = std::max(hi, b.value);
  }
  if (hi == lo) hi = lo + 1;
  auto x_of = [&](double v) { return left + (v - lo) / (hi - lo) * (right - left); };
  const double row = (bottom - top) / static_cast<double>(bars.size());
  const double zero = x_of(0);
  out += line(zero, top, zero, bottom, kInk);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = top + row * static_cast<double>(i);
    const double x0 = std::min(zero, x_of(bars[i].value)), x1 = std::max(zero, x_of(bars[i].value));
    out += "<rect x=\"" + num(x0) + "\" y=\"" + num(y + row * 0.15) + "\" width=\"" + num(std::max(x1 - x0, 0.5)) +
           "\" height=\"" + num(row * 0.7) + "\" fill=\"" + (bars[i].value < 0 ? kNegative : kPositive) + "\"/>\n";
    out += text(left - 6, y + row * 0.5 + 4, bars[i].label, "end");
    out += text(bars[i].value < 0 ? x0 - 4 : x1 + 4, y + row * 0.5 + 4, tick_label(bars[i].value),
                bars[i].value < 0 ? "end" : "start");
  }
  out += text(left, s.height_px - 12.0, tick_label(lo), "start");
  out += text(right, s.height_px - 12.0, tick_label(hi), "end");
  if (!s.value_label.empty()) out += text((left + right) / 2, s.height_px - 12.0, s.value_label, "middle");
  return out + "</svg>\n";
}

std::string histogram_svg(std::span<const double> values, int bins, std::optional<double> marker,
                          const std::string& marker_label, const ChartStyle& s) {
  std::string out = open_svg(s);
  const double left = 60, right = s.width_px - 20.0, top = 40, bottom = s.height_px - 40.0;
  if (values.empty() || bins < 1) return out + text(s.width_px / 2.0, s.height_px / 2.0, "no data", "middle") + "</svg>\n";
  auto [mn, mx] = std::minmax_element(values.begin(), values.end());
  double lo = *mn, hi = *mx;
  if (marker) {
    lo = std::min(lo, *marker);
    hi = std::max(hi, *marker);
  }
  if (hi == lo) hi = lo + 1;
  std::vector<int> counts(static_cast<std::size_t>(bins), 0);
  for (double v : values) {
    int b = static_cast<int>((v - lo) / (hi - lo) * bins);
    counts[static_cast<std::size_t>(std::clamp(b, 0, bins - 1))]++;
  }
  const int peak = *std::max_element(counts.begin(), counts.end());
  const double w = (right - left) / bins;
  for (int b = 0; b < bins; ++b) {
    const double h = peak ? (bottom - top) * counts[static_cast<std::size_t>(b)] / peak : 0;
    const double mid = lo + (b + 0.5) * (hi - lo) / bins;
    const bool beyond = marker && mid < *marker;
    out += "<rect x=\"" + num(left + b * w) + "\" y=\"" + num(bottom - h) + "\" width=\"" + num(std::max(w - 1, 0.5)) +
           "\" height=\"" + num(h) + "\" fill=\"" + (beyond ? kNegative : kPositive) + "\"/>\n";
  }
  out += line(left, bottom, right, bottom, kInk);
  auto x_of = [&](double v) { return left + (v - lo) / (hi - lo) * (right - left); };
  if (marker) {
    const double x = x_of(*marker);
    out += line(x, top, x, bottom, kNegative, 2, "6,3");
    out += text(x + 4, top + 12, marker_label);
  }
  out += text(left, s.height_px - 20.0, tick_label(lo), "start");
  out += text(right, s.height_px - 20.0, tick_label(hi), "end");
  if (!s.value_label.empty()) out += text((left + right) / 2, s.height_px - 6.0, s.value_label, "middle");
  return out + "</svg>\n";
}

std::string line_chart_svg(std::span<const SeriesPoint> points, const ChartStyle& s) {
  std::string out = open_svg(s);
  const double left = 70, right = s.width_px - 20.0, top = 40, bottom = s.height_px - 40.0;
  if (points.empty()) return out + text(s.width_px / 2.0, s.height_px / 2.0, "no data", "middle") + "</svg>\n";
  double lo = points[0].y, hi = points[0].y;
  for (const auto& p : points) {
    lo = std::min(lo, p.y);
    hi = std::max(hi, p.y);
  }
  if (hi == lo) {
    lo -= 1;
    hi += 1;
  }
  const std::size_t n = points.size();
  auto x_of = [&](std::size_t i) { return n == 1 ? (left + right) / 2 : left + (right - left) * i / static_cast<double>(n - 1); };
  auto y_of = [&](double v) { return bottom - (v - lo) / (hi - lo) * (bottom - top); };
  out += line(left, bottom, right, bottom, kGrid);
  out += line(left, top, left, bottom, kGrid);
  std::string path;
  for (std::size_t i = 0; i < n; ++i) path += (i ? " L" : "M") + num(x_of(i)) + " " + num(y_of(points[i].y));
  out += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + kPositive + "\" stroke-width=\"2\"/>\n";
  if (n == 1) out += "<circle cx=\"" + num(x_of(0)) + "\" cy=\"" + num(y_of(points[0].y)) + "\" r=\"3\" fill=\"" + kPositive + "\"/>\n";
  out += text(left - 6, top + 4, tick_label(hi), "end");
  out += text(left - 6, bottom + 4, tick_label(lo), "end");
  out += text(left, s.height_px - 20.0, points.front().x_label, "start");
  if (n > 1) out += text(right, s.height_px - 20.0, points.back().x_label, "end");
  if (!s.value_label.empty()) out += text((left + right) / 2, s.height_px - 6.0, s.value_label, "middle");
  return out + "</svg>\n";
}

}  // namespace keel::report
