#include "keel/report/svg_chart.h"

#include <gtest/gtest.h>

#include <regex>

namespace keel::report {
namespace {

int count(const std::string& s, const std::string& what) {
  int n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

TEST(SvgChart, BarChartHasOneBarPerValueAndColoursLosses) {
  std::vector<Bar> bars = {{"Tech", 300.0}, {"Energy", -100.0}, {"Utilities & <Co>", 50.0}};
  ChartStyle style;
  style.title = "Exposure by sector";
  const auto svg = bar_chart_svg(bars, style);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(count(svg, "<rect x="), 3);  // the background rect has no x attribute
  EXPECT_EQ(count(svg, "#c53030"), 1);   // one negative bar
  EXPECT_NE(svg.find("Utilities &amp; &lt;Co&gt;"), std::string::npos);
  // Bar widths are proportional. The margins come from the text estimate (0.65 em x 12 px = 7.8 px
  // a character): left = 8 pad + 124.8 ("Utilities & <Co>", 16 characters) + 6 + 54.6 ("-100.00")
  // + 4 = 197.4; right = 720 - 8 pad - 46.8 ("300.00") - 4 = 661.2; so the range [-100, 300]
  // spans 463.8 px, Tech 300/400 x 463.8 = 347.85 px and Energy 115.95 px.
  std::vector<double> widths;
  static const std::regex width_re("<rect x=\"[-0-9.]+\" y=\"[-0-9.]+\" width=\"([0-9.]+)\"");
  for (std::sregex_iterator it(svg.begin(), svg.end(), width_re), end; it != end; ++it)
    widths.push_back(std::stod((*it)[1]));
  ASSERT_EQ(widths.size(), 3u);
  EXPECT_NEAR(widths[0], 347.85, 0.051);
  EXPECT_NEAR(widths[1], 115.95, 0.051);
  EXPECT_NEAR(widths[2], 463.8 / 8, 0.051);
}

TEST(SvgChart, HistogramCountsEveryValueAndDrawsTheMarker) {
  // Values 0..9 in 5 bins of width 2 over [-1, 9] (the marker at -1 widens the range): bins
  // [-1,1) holds 0; [1,3) 1,2; [3,5) 3,4; [5,7) 5,6; [7,9] 7,8,9.
  std::vector<double> v = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const auto svg = histogram_svg(v, 5, -1.0, "VaR 99%", {});
  EXPECT_EQ(count(svg, "<rect x="), 5);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);
  EXPECT_NE(svg.find("VaR 99%"), std::string::npos);
  // The tallest bin (3 values) is the full plot height: 360 - 64 (title and the marker's label
  // band) - 48 (tick and axis label lines) = 248 px.
  EXPECT_NE(svg.find("height=\"248.0\""), std::string::npos);
}

TEST(SvgChart, LineChartAndEmptyInputs) {
  std::vector<SeriesPoint> pts = {{"2017-01-03", 100}, {"2017-06-30", 120}, {"2017-12-06", 110}};
  const auto svg = line_chart_svg(pts, {});
  EXPECT_NE(svg.find("<path d=\"M"), std::string::npos);
  EXPECT_EQ(count(svg, " L"), 2);
  EXPECT_NE(svg.find("2017-12-06"), std::string::npos);
  EXPECT_NE(line_chart_svg({}, {}).find("no data"), std::string::npos);
  EXPECT_NE(bar_chart_svg({}, {}).find("no data"), std::string::npos);
  EXPECT_EQ(line_chart_svg(pts, {}), line_chart_svg(pts, {}));  // deterministic
}

TEST(SvgChart, NamesAreTextNeverMarkup) {
  EXPECT_EQ(xml_escape("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_EQ(xml_escape("</text><script>"), "&lt;/text&gt;&lt;script&gt;");
  EXPECT_EQ(xml_escape("a&b \"q\" 'p'"), "a&amp;b &quot;q&quot; &apos;p&apos;");
  // XML 1.0 holds no control characters but tab, LF and CR, and only UTF-8: U+FFFD stands in.
  EXPECT_EQ(xml_escape("a\x01" "b\tc\x7F" "d\xFF" "e\xC3\xA9"), "a\xEF\xBF\xBD" "b\tc\xEF\xBF\xBD" "d\xEF\xBF\xBD" "e\xC3\xA9");

  // In a chart: a category label, the title and the axis label from hostile names.
  std::vector<Bar> bars = {{"<img src=x onerror=alert(1)>", 10.0}, {"</text><script>", -5.0}};
  ChartStyle style;
  style.title = "Book \"A\" & 'B'";
  style.value_label = "<b>USD</b>";
  const auto svg = bar_chart_svg(bars, style);
  EXPECT_NE(svg.find("\">&lt;img src=x onerror=alert(1)&gt;</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("\">&lt;/text&gt;&lt;script&gt;</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("\">Book &quot;A&quot; &amp; &apos;B&apos;</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("\">&lt;b&gt;USD&lt;/b&gt;</text>"), std::string::npos) << svg;
  EXPECT_EQ(svg.find("<img"), std::string::npos);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  // Every '<' opens one of the chart's own elements.
  static const std::regex tag_re("<(/?)([a-z]+)");
  for (std::sregex_iterator it(svg.begin(), svg.end(), tag_re), end; it != end; ++it) {
    const std::string name = (*it)[2];
    EXPECT_TRUE(name == "svg" || name == "rect" || name == "line" || name == "text") << name;
  }
  // The histogram's marker label and the line chart's x labels go through the same escaping.
  const std::vector<double> values = {-2, -1, 0, 1, 2};
  const auto hist = histogram_svg(values, 5, -1.5, "VaR <99%> & more", {});
  EXPECT_NE(hist.find("\">VaR &lt;99%&gt; &amp; more</text>"), std::string::npos) << hist;
  const std::vector<SeriesPoint> pts = {{"<a href=x>", 1.0}, {"2017-12-06", 2.0}};
  const auto line = line_chart_svg(pts, {});
  EXPECT_NE(line.find("\">&lt;a href=x&gt;</text>"), std::string::npos) << line;
  EXPECT_EQ(line.find("<a "), std::string::npos);
}

}  // namespace
}  // namespace keel::report
