// Chart layout: no text of a chart overlaps another text or a bar. The SVGs are parsed back from
// their bytes (every <text> and every positioned <rect>), and each text's box is estimated with the
// documented rule of keel/report/svg_chart.h (kCharWidthEm per code point, kAscentEm above and
// kDescentEm below the baseline), the rule the charts lay themselves out with.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "keel/report/svg_chart.h"
#include "keel/service/report.h"
#include "keel/service/report_markdown.h"
#include "keel/service/report_writer.h"

namespace keel::report {
namespace {

struct Text {
  std::string content;
  TextBox box;
};

std::string unescape(std::string s) {
  const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + 1))
      s.replace(p, std::string(from).size(), to);
  }
  return s;
}

std::vector<Text> texts_of(const std::string& svg) {
  static const std::regex re(
      "<text x=\"([-0-9.]+)\" y=\"([-0-9.]+)\" text-anchor=\"(start|middle|end)\"(?: "
      "font-size=\"([0-9.]+)\")?[^>]*>"
      "([^<]*)</text>");
  std::vector<Text> out;
  for (std::sregex_iterator it(svg.begin(), svg.end(), re), end; it != end; ++it) {
    const auto& m = *it;
    const std::string anchor = m[3];
    const TextAnchor a = anchor == "start"    ? TextAnchor::kStart
                         : anchor == "middle" ? TextAnchor::kMiddle
                                              : TextAnchor::kEnd;
    const double font = m[4].matched ? std::stod(m[4]) : 12.0;  // the root's font-size
    const std::string content = unescape(m[5]);
    out.push_back({content, text_box(std::stod(m[1]), std::stod(m[2]), content, a, font)});
  }
  return out;
}

std::vector<TextBox> rects_of(const std::string& svg) {
  static const std::regex re(
      "<rect x=\"([-0-9.]+)\" y=\"([-0-9.]+)\" width=\"([0-9.]+)\" height=\"([0-9.]+)\"");
  std::vector<TextBox> out;
  for (std::sregex_iterator it(svg.begin(), svg.end(), re), end; it != end; ++it) {
    const auto& m = *it;
    const double x = std::stod(m[1]), y = std::stod(m[2]);
    out.push_back({x, y, x + std::stod(m[3]), y + std::stod(m[4])});
  }
  return out;
}

// Boxes that share an area (touching edges is fine). The SVG's coordinates carry one decimal, so
// 0.05 px of rounding is allowed.
bool overlap(const TextBox& a, const TextBox& b) {
  constexpr double kRounding = 0.05;
  return a.x0 < b.x1 - kRounding && b.x0 < a.x1 - kRounding && a.y0 < b.y1 - kRounding &&
         b.y0 < a.y1 - kRounding;
}

std::string describe(const TextBox& b) {
  return "[" + std::to_string(b.x0) + ", " + std::to_string(b.y0) + " .. " + std::to_string(b.x1) + ", " +
         std::to_string(b.y1) + "]";
}

// Checks one SVG document; returns the number of texts it checked.
std::size_t expect_no_collisions(const std::string& svg, const std::string& name) {
  const std::vector<Text> texts = texts_of(svg);
  const std::vector<TextBox> rects = rects_of(svg);
  static const std::regex size_re("<svg [^>]*width=\"([0-9]+)\" height=\"([0-9]+)\"");
  std::smatch size;
  EXPECT_TRUE(std::regex_search(svg, size, size_re)) << name;
  const double width = std::stod(size[1]), height = std::stod(size[2]);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const TextBox& a = texts[i].box;
    EXPECT_TRUE(a.x0 >= 0 && a.y0 >= 0 && a.x1 <= width && a.y1 <= height)
        << name << ": '" << texts[i].content << "' " << describe(a) << " leaves the " << width << "x"
        << height << " chart";
    for (std::size_t j = i + 1; j < texts.size(); ++j) {
      EXPECT_FALSE(overlap(a, texts[j].box))
          << name << ": '" << texts[i].content << "' " << describe(a) << " overlaps '" << texts[j].content
          << "' " << describe(texts[j].box);
    }
    for (const TextBox& r : rects) {
      EXPECT_FALSE(overlap(a, r)) << name << ": '" << texts[i].content << "' " << describe(a)
                                  << " overlaps the bar " << describe(r);
    }
  }
  return texts.size();
}

std::string read_source(const std::string& relative) {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(in.good()) << relative;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A report's JSON: a file, or the expected output of the record that prints it in a golden case
// ("cat reports/...", its lines after `----` up to the blank line that ends the record), with the
// case's markers for what changes from run to run (timings, the time it was written) put back as
// values.
nlohmann::json load(const std::string& relative, const std::string& record = {}) {
  std::string text = read_source(relative);
  if (!record.empty()) {
    const auto at = text.find("\n" + record + "\n----\n");
    EXPECT_NE(at, std::string::npos) << relative << " has no record `" << record << "`";
    if (at == std::string::npos) return {};
    const auto begin = at + record.size() + 7;
    const auto end = text.find("\n\n", begin);
    text = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  }
  text = std::regex_replace(text, std::regex(R"("<any number>")"), "0");
  text = std::regex_replace(text, std::regex(R"("<any string>")"), R"("2017-12-06T22:00:00Z")");
  return nlohmann::json::parse(text);
}

// The report of the example book (examples/portfolios/hnw.csv, as the demo's batch writes it: the
// demo's golden case) and the full fixture with every section: every chart drawn, no overlaps.
TEST(ChartLayout, ReportChartsOfTheExampleBookHaveNoOverlappingText) {
  const std::pair<const char*, const char*> reports[] = {
      {"tests/cases/cli/demo.test", "cat reports/hnw_2017-12-06/report.json"},
      {"tests/service/fixtures/report_full.json", ""}};
  for (const auto& [file, record] : reports) {
    std::size_t drawn = 0;
    for (const service::ReportChart& c :
         service::render_report_charts(service::report_from_json(load(file, record)))) {
      if (c.svg.empty()) continue;
      ++drawn;
      EXPECT_GE(expect_no_collisions(c.svg, std::string(file) + " " + c.file_name), 3u) << c.file_name;
    }
    EXPECT_GE(drawn, 4u) << file;
  }
}

TEST(ChartLayout, LongestNegativeBarKeepsItsValueLabelClearOfTheCategoryLabel) {
  // The stress chart's shape: the largest loss reaches the left end of the plot.
  std::vector<Bar> bars = {{"gfc_2008 (d)", -1277530.45},
                           {"market_down_10 (c)", -232529.37},
                           {"investment_down_10 (c)", 171910.50},
                           {"a very long scenario name that must be cut", 1.0}};
  const std::string svg = bar_chart_svg(bars, {});
  expect_no_collisions(svg, "bars");
  EXPECT_NE(svg.find("-1.3M"), std::string::npos);
  EXPECT_NE(svg.find("\u2026"), std::string::npos);  // the long label is cut to 40 % of 720 px
  for (const Text& t : texts_of(svg)) EXPECT_LE(t.box.x1 - t.box.x0, 0.4 * 720 + 1e-9) << t.content;
}

TEST(ChartLayout, VarMarkerLabelStaysAboveTheHistogramWhereverTheMarkerIs) {
  std::vector<double> v;
  for (int i = 0; i < 250; ++i) v.push_back(std::sin(i * 0.37) * 1000.0 + (i % 7) * 50.0);
  for (double marker : {-1500.0, -900.0, 0.0, 1100.0, 5000.0}) {
    const std::string svg = histogram_svg(v, 16, marker, "historical VaR 99.0%: -1,234,567.89", {});
    expect_no_collisions(svg, "histogram with the marker at " + std::to_string(marker));
  }
}

TEST(ChartLayout, TextWidthCountsCodePoints) {
  EXPECT_DOUBLE_EQ(text_width_px("abc", 10.0), 3 * kCharWidthEm * 10.0);
  EXPECT_DOUBLE_EQ(text_width_px("\u2014 \u00e9", 10.0),
                   3 * kCharWidthEm * 10.0);  // a 3-byte, a 1-byte and a 2-byte character
  const TextBox b = text_box(100, 50, "abcd", TextAnchor::kEnd, 12.0);
  EXPECT_DOUBLE_EQ(b.x1, 100.0);
  EXPECT_DOUBLE_EQ(b.x0, 100.0 - 4 * kCharWidthEm * 12.0);
  EXPECT_DOUBLE_EQ(b.y0, 50.0 - kAscentEm * 12.0);
  EXPECT_DOUBLE_EQ(b.y1, 50.0 + kDescentEm * 12.0);
}

}  // namespace
}  // namespace keel::report
