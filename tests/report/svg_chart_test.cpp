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
  // Bar widths are proportional: the range is [-100, 300] over 480 px (left 170, right 650),
  // so Tech spans 300/400*480 = 360 px and Energy 120 px.
  EXPECT_NE(svg.find("width=\"360.0\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"120.0\""), std::string::npos);
}

TEST(SvgChart, HistogramCountsEveryValueAndDrawsTheMarker) {
  // Values 0..9 in 5 bins of width 2 over [-1, 9] (the marker at -1 widens the range): bins
  // [-1,1) holds 0; [1,3) 1,2; [3,5) 3,4; [5,7) 5,6; [7,9] 7,8,9.
  std::vector<double> v = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const auto svg = histogram_svg(v, 5, -1.0, "VaR 99%", {});
  EXPECT_EQ(count(svg, "<rect x="), 5);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);
  EXPECT_NE(svg.find("VaR 99%"), std::string::npos);
  // The tallest bin (3 values) is the full plot height: 360 - 40 - 40 = 280 px.
  EXPECT_NE(svg.find("height=\"280.0\""), std::string::npos);
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

}  // namespace
}  // namespace keel::report
