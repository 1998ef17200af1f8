// The tearsheet's documents (keel/service/ledger_tearsheet.h) from a model whose every name is
// hostile: the HTML runs nothing, loads nothing and shows the names as text; the Markdown too.
#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <string>

#include "keel/service/ledger_tearsheet.h"

namespace keel::service {
namespace {

constexpr const char* kHostile = "<img src=x onerror=alert(1)>";

LedgerTearsheet hostile_tearsheet() {
  LedgerTearsheet t;
  t.scope = kHostile;
  t.benchmark = std::string("SPY") + kHostile;
  t.components = {{"SPY", 0.6}, {kHostile, 0.4}};
  t.currency = "USD";
  t.start = "2020-01-02";
  t.end = "2021-03-01";
  t.days = 424;
  t.start_value = 10000;
  t.end_value = 11000;
  t.metrics = {{"twr", "Time-weighted return", "fraction", spec::Nullable<double>(0.1), spec::Nullable<double>(0.05)},
               {"benchmark.beta", "Beta", "ratio", spec::Nullable<double>(0.9), spec::Nullable<double>()}};
  t.max_drawdown = {0.1, spec::Nullable<std::string>("2020-02-01"), spec::Nullable<std::string>("2020-03-01"), {}};
  for (int d = 0; d < 40; ++d) {
    const std::string date = Date::from_ymd(2020, 1, 2).add_days(d * 7).to_string();
    t.cumulative.push_back({date, 0.01 * std::sin(d), 0.01 * std::cos(d)});
    t.drawdown.push_back({date, 0.02, 0.01});
  }
  TearsheetYear y;
  y.year = "2020";
  y.months.assign(12, std::nan(""));
  y.months[0] = 0.01;
  y.months[1] = -0.02;
  t.years.push_back(y);
  t.rolling_12m.push_back({"2021-01-29", 0.1, 0.05, 0.2, 0.15, 0.9});
  t.rolling_12m.push_back({"2021-02-26", 0.12, 0.06, 0.21, 0.16, 0.95});
  TearsheetContributor c;
  c.symbol = kHostile;
  c.total = ledger::Decimal::from_int(1000);
  t.contributions.symbols.push_back(c);
  t.income.by_month.push_back({"2020-06", {}});
  t.income.by_month.back().totals.gross = ledger::Decimal::from_int(10);
  t.income.by_symbol.push_back({kHostile, t.income.by_month.back().totals});
  t.source = kHostile;
  t.warnings = {kHostile};
  return t;
}

TEST(LedgerTearsheetTest, HtmlHasNoScriptNoExternalUrlAndEscapesEveryName) {
  const std::string html = tearsheet_html(hostile_tearsheet());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("onerror=alert(1)>"), std::string::npos);  // only inside an escaped text
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  // The only URL is the SVG namespace of each inline chart.
  const std::regex url("https?://[^\"'<> ]*");
  std::size_t urls = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), url); it != std::sregex_iterator(); ++it, ++urls)
    EXPECT_EQ(it->str(), "http://www.w3.org/2000/svg");
  std::size_t svgs = 0;
  for (std::size_t at = html.find("<svg "); at != std::string::npos; at = html.find("<svg ", at + 1)) ++svgs;
  EXPECT_EQ(urls, svgs);
  // cumulative, drawdown, three rolling, contributions, income by month
  EXPECT_EQ(svgs, 7u);
  // Every chart carries its text alternative.
  std::size_t titles = 0;
  for (std::size_t at = html.find("<svg role=\"img\""); at != std::string::npos;
       at = html.find("<svg role=\"img\"", at + 1)) {
    EXPECT_EQ(html.compare(html.find('>', at) + 1, 8, "\n<title>"), 0);
    ++titles;
  }
  EXPECT_EQ(titles, svgs);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  // Every src= is the hostile name's, as text: no element has a src attribute.
  for (std::size_t at = html.find("src="); at != std::string::npos; at = html.find("src=", at + 1))
    EXPECT_EQ(html.compare(at - 8, 8, "&lt;img "), 0) << html.substr(at - 20, 40);
}

TEST(LedgerTearsheetTest, MarkdownShowsTheSameSectionsAndEscapesNames) {
  const std::string md = tearsheet_markdown(hostile_tearsheet());
  EXPECT_EQ(md.find("<img"), std::string::npos);
  EXPECT_NE(md.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  for (const char* heading : {"## Metrics", "## Cumulative return and drawdown", "## Monthly returns",
                              "## Rolling twelve months", "## Contributions by symbol", "## Income", "## Notes"})
    EXPECT_NE(md.find(heading), std::string::npos) << heading;
  EXPECT_NE(md.find("| Time-weighted return | 10.00% | 5.00% |"), std::string::npos) << md;
  EXPECT_NE(md.find("| Beta | 0.90 | — |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 2020 | 1.00% | -2.00% |"), std::string::npos) << md;
  EXPECT_EQ(render_tearsheet(hostile_tearsheet(), TearsheetFormat::kMarkdown).media_type,
            "text/markdown; charset=utf-8");
  EXPECT_EQ(render_tearsheet(hostile_tearsheet(), TearsheetFormat::kHtml).media_type, "text/html; charset=utf-8");
}

}  // namespace
}  // namespace keel::service
