// report.md and its charts (keel/service/report_markdown.h) from a hand-made report, and the
// number formats of keel/report/report_format.h.
#include "keel/service/report_markdown.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/report/report_format.h"
#include "keel/service/report.h"
#include "keel/service/report_writer.h"

namespace keel::service {
namespace {

using nlohmann::json;
using report::format_amount;
using report::format_number;
using report::format_percent;
using report::pnl_histogram_bins;

json load_fixture_json() {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/tests/service/fixtures/report_full.json");
  return json::parse(in);
}

// The hand-made report, read as the typed Report (report_from_json refuses unknown fields).
Report load_fixture() {
  return report_from_json(load_fixture_json());
}

// The section headings of report.md, in the order the contract (docs/reports.md) gives them.
const std::vector<std::string> kHeadings = {
    "# Risk report: ",  "## Executive summary",      "## Positions and exposures",
    "## Greeks",        "## Factor exposures",       "## VaR and ES",
    "## Stress tests",  "## Correlation highlights", "## Concentration",
    "## Value history", "## Data quality",           "## Run steps",
};

void expect_headings_in_order(const std::string& md) {
  std::size_t at = 0;
  for (const auto& h : kHeadings) {
    const std::size_t p = md.find(h, at);
    ASSERT_NE(p, std::string::npos) << "missing or out of order: " << h << "\n" << md;
    at = p + h.size();
  }
}

// Checks that every element is closed in the right order (a minimal XML well-formedness test:
// tags only; comments and declarations are not used by the charts).
bool balanced_tags(const std::string& xml, std::string* problem) {
  std::vector<std::string> open;
  for (std::size_t p = xml.find('<'); p != std::string::npos; p = xml.find('<', p + 1)) {
    const std::size_t end = xml.find('>', p);
    if (end == std::string::npos) return *problem = "unterminated tag", false;
    std::string tag = xml.substr(p + 1, end - p - 1);
    if (tag.empty()) return *problem = "empty tag", false;
    if (tag.back() == '/') continue;  // self-closing
    if (tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (open.empty() || open.back() != name) return *problem = "unexpected </" + name + ">", false;
      open.pop_back();
      continue;
    }
    open.push_back(tag.substr(0, tag.find_first_of(" \t\n")));
  }
  if (!open.empty()) return *problem = "unclosed <" + open.back() + ">", false;
  return true;
}

TEST(ReportFormat, NumbersForPeople) {
  EXPECT_EQ(format_amount(1234567.891), "1,234,567.89");
  EXPECT_EQ(format_amount(-1234.5), "-1,234.50");
  EXPECT_EQ(format_amount(999.0), "999.00");
  EXPECT_EQ(format_amount(1000.0), "1,000.00");
  EXPECT_EQ(format_amount(0.004), "0.00");
  EXPECT_EQ(format_amount(-0.004), "0.00");                // no negative zero
  EXPECT_EQ(format_amount(-999999.996), "-1,000,000.00");  // rounding carries into a new group
  EXPECT_EQ(format_number(123456789.0, 0), "123,456,789");
  EXPECT_EQ(format_number(1.05234, 4), "1.0523");
  EXPECT_EQ(format_percent(0.0165), "1.65%");
  EXPECT_EQ(format_percent(-0.404039), "-40.40%");
  EXPECT_EQ(format_percent(12.5, 0), "1,250%");
  EXPECT_EQ(format_number(1e21, 0), "1,000,000,000,000,000,000,000");  // large values keep every digit
  EXPECT_EQ(format_number(1e300, 0).size(), 301u + 100u);              // 301 digits, 100 separators
  EXPECT_EQ(format_amount(std::nan("")), "n/a");
  EXPECT_EQ(format_percent(INFINITY), "n/a");
}

TEST(ReportFormat, HistogramBinsFollowTheSquareRootRule) {
  EXPECT_EQ(pnl_histogram_bins(1), 5);
  EXPECT_EQ(pnl_histogram_bins(20), 5);      // ceil(4.47)
  EXPECT_EQ(pnl_histogram_bins(252), 16);    // ceil(15.87)
  EXPECT_EQ(pnl_histogram_bins(10000), 40);  // 100, clamped
}

TEST(ReportMarkdown, FullReportHasEverySectionWithFormattedFigures) {
  const auto files = render_markdown_report(load_fixture());
  const std::string& md = files.at("report.md");
  expect_headings_in_order(md);
  EXPECT_EQ(md.rfind("# Risk report: Demo HNW Book\n", 0), 0u);
  EXPECT_NE(md.find("As of **2017-12-06**"), std::string::npos);
  EXPECT_NE(md.find("prices from store (2016-12-05 to 2017-12-06, 3 symbols)"), std::string::npos);
  EXPECT_EQ(md.find("N/A"), std::string::npos) << "every section of the full fixture is ok";

  // Executive summary. ES share: 812.40 / 24,444.50 = 3.3234 %.
  EXPECT_NE(md.find("| Net value | 24,444.50 |"), std::string::npos);
  EXPECT_NE(md.find("| Gross value | 37,636.50 |"), std::string::npos);
  EXPECT_NE(md.find("| 1-day P&L | 318.90 (1.30%) |"), std::string::npos);
  EXPECT_NE(md.find("| VaR (historical, 99.00%, 1 day) | 744.51 (3.05% of net value) |"), std::string::npos);
  EXPECT_NE(md.find("| ES (historical, 99.00%, 1 day) | 812.40 (3.32% of net value) |"), std::string::npos);
  EXPECT_NE(md.find("| Backtest zone | green |"), std::string::npos);
  EXPECT_NE(md.find("| Market beta | 1.05 |"), std::string::npos);
  EXPECT_NE(md.find("| Worst stress | gfc_2008: -9,876.54 |"), std::string::npos);
  EXPECT_NE(md.find("| Largest position | AAPL (44.91% of gross) |"), std::string::npos);
  EXPECT_NE(md.find("The book holds 4 positions worth 24,444.50 net (37,636.50 gross)."), std::string::npos);
  EXPECT_NE(md.find("Over the last day it gained 318.90 (1.30%)."), std::string::npos);
  EXPECT_NE(md.find("The data check raised 1 warning (see Data quality)."), std::string::npos);

  // Positions and exposures: XOM is short 80 at 82.45 = -6,596.00, -17.53 % of gross.
  EXPECT_NE(md.find("| XOM | stock | Energy | -80 | 82.45 | -6,596.00 | -17.53% | -12.00 | -80.00 |"),
            std::string::npos);
  EXPECT_NE(md.find("| Information Technology | 2 | 17,837.00 | 17,837.00 | 33,286.04 | 47.39% |"),
            std::string::npos);
  EXPECT_NE(md.find("| Delta-adjusted net | 39,893.54 |"), std::string::npos);
  // Greeks of the one option.
  EXPECT_NE(md.find("| AAPL180119C00170000 | AAPL | 2 | 4.68 | 22.00% | 0.4847 | 0.0309 | 16,385.04 | 46.79 "
                    "| -11.70 |"),
            std::string::npos);
  // Factors.
  EXPECT_NE(md.find("| mkt_rf | 1.05 | 12.35 | 25,722.88 |"), std::string::npos);
  // VaR: methods, backtest, contributors sorted by component VaR (AAPL 400.10 first, XOM -80 last);
  // SPY's share 0.40295 is stored as 0.402949999... so it prints as 40.29%.
  EXPECT_NE(md.find("| Monte Carlo | 729.90 | 836.12 | 2.99% |"), std::string::npos);
  EXPECT_NE(md.find("Backtest: **green** zone (Basel plus factor 0.00), 2 exceptions in 250 observations (Kupiec "
                    "p-value 0.7419, "
                    "Christoffersen p-value 0.8571)."),
            std::string::npos);
  const auto aapl = md.find("| AAPL | 400.10 | 53.74% |"), spy = md.find("| SPY | 300.00 | 40.29% |");
  const auto opt = md.find("| AAPL180119C00170000 | 124.41 |"), xom = md.find("| XOM | -80.00 | -10.75% |");
  ASSERT_NE(xom, std::string::npos);
  EXPECT_TRUE(aapl < spy && spy < opt && opt < xom);
  // Stress: a '|' inside a description is escaped so the table keeps its columns.
  // One row per scenario: direct and correlated side by side, "—" for a method not run.
  EXPECT_NE(md.find("| gfc_2008 | Lehman week \\| Sep 2008 | -9,876.54 | -40.40% | — | — |"),
            std::string::npos);
  EXPECT_NE(md.find("| covid_2020 | Feb-Mar 2020 crash | — | — | -7,654.32 | -31.31% |"), std::string::npos);
  // Correlation, concentration, history, data quality, steps.
  EXPECT_NE(md.find("| AAPL | XOM | -0.27 |"), std::string::npos);
  EXPECT_NE(md.find("Herfindahl index 0.3561 (effective number of positions 2.81)"), std::string::npos);
  EXPECT_NE(md.find("| 2017-12-05 | 24,125.60 | 125.60 | 740.00 | 805.00 |"), std::string::npos);
  EXPECT_NE(md.find("| XOM | outlier | 2017-11-30 | daily return +45.2% (&gt; 10 sd of the window) |"),
            std::string::npos);
  EXPECT_NE(md.find("| var | ok | 1,234.50 | 3 methods |"), std::string::npos);
  // 1.25 + 0.5 + 0.75 + 4 + 1234.5 + 2 + 3 + 1 + 0.25 + 0 = 1,247.25 ms.
  EXPECT_NE(md.find("| total |   | 1,247.25 |   |"), std::string::npos);
  EXPECT_NE(md.find("| Dollar gamma (change of dollar delta for a 1% rise) | 1,764.14 |"), std::string::npos);

  // All five charts drawn and linked.
  for (const char* chart : {"pnl_distribution.svg", "exposure_by_sector.svg", "factor_betas.svg",
                            "stress_impacts.svg", "value_history.svg"}) {
    ASSERT_EQ(files.count(chart), 1u) << chart;
    EXPECT_NE(md.find(std::string("](") + chart + ")"), std::string::npos) << chart;
    std::string problem;
    EXPECT_TRUE(balanced_tags(files.at(chart), &problem)) << chart << ": " << problem;
  }
  EXPECT_EQ(files.size(), 6u);
  EXPECT_EQ(render_markdown_report(load_fixture()), files);  // deterministic
}

TEST(ReportCharts, HistogramBinsAndVarMarkerCheckedByHand) {
  const auto files = render_markdown_report(load_fixture());
  const std::string& svg = files.at("pnl_distribution.svg");
  // The historical method's histogram of 20 P&L values (var.results[1].pnl_histogram), binned by
  // hand into 5 bins over [min, max] = [-812.40, 515.60] (the marker -744.513 lies inside),
  // bin width 265.6: [-812.4,-546.8) 1 value; [-546.8,-281.2) -455.10 -390 -301.25; [-281.2,-15.6)
  // -220 -150.5 -98 -40; [-15.6,250) -12.75 0 15.2 48 90.1 133.33 170 212.5; [250,515.6] 260 318.9
  // 402 515.6. Plot area x 60..700 (128 px per bin), y 64..312 (below the title and the marker's
  // label band, above the tick and axis lines); the tallest bin (8) is 248 px, 31 px a value.
  EXPECT_NE(svg.find("<rect x=\"60.0\" y=\"281.0\" width=\"127.0\" height=\"31.0\""), std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<rect x=\"188.0\" y=\"219.0\" width=\"127.0\" height=\"93.0\""), std::string::npos);
  EXPECT_NE(svg.find("<rect x=\"316.0\" y=\"188.0\" width=\"127.0\" height=\"124.0\""), std::string::npos);
  EXPECT_NE(svg.find("<rect x=\"444.0\" y=\"64.0\" width=\"127.0\" height=\"248.0\""), std::string::npos);
  EXPECT_NE(svg.find("<rect x=\"572.0\" y=\"188.0\" width=\"127.0\" height=\"124.0\""), std::string::npos);
  // VaR marker at -744.513: x = 60 + (-744.513 + 812.4) / 1328 * 640 = 92.717 px, from the label
  // band (its baseline at 54 px, the line from 42 px) down to the axis; the label right of it.
  EXPECT_NE(svg.find("<line x1=\"92.7\" y1=\"42.0\" x2=\"92.7\" y2=\"312.0\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("<text x=\"96.7\" y=\"54.0\" text-anchor=\"start\" fill=\"#1a202c\">historical VaR "
                     "99.00%: -744.51"),
            std::string::npos);

  // Sector bars: margins from the 7.8 px-a-character estimate (0.65 em x 12 px): left = 8 +
  // 171.6 ("Information Technology") + 6 + 39 ("-6.6k") + 4 = 228.6, right = 720 - 8 - 39
  // ("17.8k") - 4 = 669, so [-6,596, 17,837] spans 440.4 px: IT 17,837 / 24,433 x 440.4 = 321.5 px,
  // Energy 6,596 / 24,433 x 440.4 = 118.9 px.
  const std::string& bars = files.at("exposure_by_sector.svg");
  EXPECT_NE(bars.find("width=\"321.5\""), std::string::npos) << bars;
  EXPECT_NE(bars.find("width=\"118.9\""), std::string::npos);
  EXPECT_NE(bars.find("height=\"200\""), std::string::npos);  // 3 bars: the minimum height
}

TEST(ReportCharts, RepeatedStressNamesAreMarkedByMethod) {
  Report r = load_fixture();
  StressScenarioResult gfc;
  gfc.name = "gfc_2008";
  gfc.label = "Lehman week";
  gfc.method = "correlated";
  gfc.pnl = -8000.0;
  gfc.pnl_pct = -0.33;
  r.stress.result.scenarios.push_back(gfc);
  const std::string svg = render_markdown_report(r).at("stress_impacts.svg");
  EXPECT_NE(svg.find(">gfc_2008 (d)<"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">gfc_2008 (c)<"), std::string::npos);
  EXPECT_NE(svg.find(">rates_up_100bp (c)<"), std::string::npos);
  EXPECT_NE(svg.find("(d) direct, (c) correlated"), std::string::npos);
  // The report's table puts the two results of one scenario on one row.
  const std::string md = render_markdown_report(r).at("report.md");
  EXPECT_NE(md.find("| gfc_2008 | Lehman week \\| Sep 2008 | -9,876.54 | -40.40% | -8,000.00 | -33.00% |"),
            std::string::npos)
      << md;
  // Unique names stay as they are.
  const std::string plain = render_markdown_report(load_fixture()).at("stress_impacts.svg");
  EXPECT_NE(plain.find(">gfc_2008<"), std::string::npos);
  EXPECT_EQ(plain.find("(d)"), std::string::npos);
}

TEST(ReportMarkdown, LongHistoryShowsTheLastTenSnapshots) {
  Report r = load_fixture();
  r.history.points.clear();
  for (int d = 1; d <= 12; ++d) {
    char date[16];
    std::snprintf(date, sizeof date, "2017-11-%02d", d);
    ReportHistoryPoint p;
    p.as_of = date;
    p.net_value_amount.emplace(1000.0 * d);
    p.pnl_1d_amount.emplace(1.0);
    p.var_amount.emplace(2.0);
    p.es_amount.emplace(3.0);
    r.history.points.push_back(p);
  }
  const auto files = render_markdown_report(r);
  const std::string& md = files.at("report.md");
  EXPECT_NE(md.find("The last 10 of 12 snapshots:"), std::string::npos);
  EXPECT_EQ(md.find("| 2017-11-02 |"), std::string::npos);
  EXPECT_NE(md.find("| 2017-11-03 | 3,000.00 |"), std::string::npos);
  EXPECT_NE(md.find("| 2017-11-12 | 12,000.00 |"), std::string::npos);
  // The line runs through all 12 points, first and last dates labelled.
  const std::string& svg = files.at("value_history.svg");
  std::size_t segments = 0;
  for (auto p = svg.find(" L"); p != std::string::npos; p = svg.find(" L", p + 1)) ++segments;
  EXPECT_EQ(segments, 11u);
  EXPECT_NE(svg.find(">2017-11-01<"), std::string::npos);
  EXPECT_NE(svg.find(">2017-11-12<"), std::string::npos);
}

TEST(ReportMarkdown, SectionsThatAreNotOkSayWhy) {
  Report r = load_fixture();
  r.factors = unavailable_section<ReportFactors>(
      "n/a", "no factor data in the store for 2017-12-06 (import factors with `keel import factors`)");
  r.greeks = unavailable_section<ReportGreeks>("n/a", "no option positions");
  r.history.points = {r.history.points.back()};
  const auto files = render_markdown_report(r);
  const std::string& md = files.at("report.md");
  expect_headings_in_order(md);
  EXPECT_NE(
      md.find("## Factor exposures\n\nN/A — no factor data in the store for 2017-12-06 (import factors with "
              "\\`keel import factors\\`)\n"),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("_Chart not drawn: the factors section is not available: no factor data"),
            std::string::npos);
  EXPECT_NE(md.find("## Greeks\n\nN/A — no option positions\n"), std::string::npos);
  EXPECT_NE(
      md.find(
          "## Value history\n\n_Chart not drawn: the chart needs at least 2 snapshots and the store holds 1 "
          "(2017-12-06)"),
      std::string::npos);
  EXPECT_NE(md.find("| 2017-12-06 | 24,444.50 | 318.90 | 744.51 | 812.40 |"), std::string::npos);
  EXPECT_EQ(files.count("factor_betas.svg"), 0u);
  EXPECT_EQ(files.count("value_history.svg"), 0u);
  EXPECT_EQ(files.count("pnl_distribution.svg"), 1u);
  EXPECT_EQ(files.size(), 4u);
}

TEST(ReportMarkdown, SectionsWithOnlyStatusAndReasonAndMissingSectionsInADocument) {
  json r = {{"schema", "keel.report/2"}, {"portfolio", "empty"},
            {"as_of", "2017-12-06"},     {"generated_at", "2017-12-07T06:00:00Z"},
            {"keel_version", "0.1.0"},   {"steps", json::array()}};
  for (const char* s : {"provenance", "summary", "data_quality", "positions", "exposures", "greeks",
                        "factors", "var", "stress", "correlation", "concentration", "history"})
    r[s] = {{"status", "failed"}, {"reason", std::string("step ") + s + " failed"}};
  const auto files = render_markdown_report(report_from_json(r));
  const std::string& md = files.at("report.md");
  expect_headings_in_order(md);
  EXPECT_NE(md.find("## VaR and ES\n\nN/A — step var failed\n"), std::string::npos) << md;
  EXPECT_NE(md.find("## Executive summary\n\nN/A — step summary failed\n"), std::string::npos);
  EXPECT_NE(md.find("## Value history\n\nN/A — step history failed\n"), std::string::npos);
  EXPECT_NE(md.find("## Run steps\n\nN/A — the report does not list its run steps"), std::string::npos);
  EXPECT_EQ(files.size(), 1u);  // no chart has data

  // A document that lacks a section is refused with the section's name, not rendered as if ok.
  json missing = r;
  missing.erase("history");
  try {
    report_from_json(missing);
    FAIL() << "a report without its history section";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    ASSERT_FALSE(e.details().empty());
    EXPECT_EQ(e.details().front(), "history: required");
  }

  // Optional figures absent inside an ok section print as n/a.
  json partial = load_fixture_json();
  partial["summary"].erase("beta_mkt");
  partial["summary"]["backtest_zone"] = nullptr;
  const std::string md2 = render_markdown_report(report_from_json(partial)).at("report.md");
  EXPECT_NE(md2.find("| Market beta | n/a |"), std::string::npos);
  EXPECT_NE(md2.find("| Backtest zone | n/a |"), std::string::npos);

  // A report kept in the format before (keel.report/1) is refused by its schema, with what to do.
  json old = r;
  old["schema"] = "keel.report/1";
  try {
    report_from_json(old);
    FAIL() << "a keel.report/1 document";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("kept in format keel.report/1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("run the report again"), std::string::npos);
  }

  // A figure keel wrote as null (an undefined correlation is NaN) reads back as NaN.
  json undefined = load_fixture_json();
  undefined["correlation"]["matrix"] = json::array({json::array({1.0, nullptr}), json::array({nullptr, 1.0})});
  const Report back = report_from_json(undefined);
  ASSERT_EQ(back.correlation.result.matrix.size(), 2u);
  EXPECT_TRUE(std::isnan(back.correlation.result.matrix[0][1]));
  EXPECT_EQ(back.correlation.result.matrix[1][1], 1.0);

  try {
    report_from_json(json::array());
    FAIL() << "an array is not a report";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
  }
}

// Names from the document are text in every Markdown renderer: no HTML, link, emphasis, code or
// heading comes out of them, and no table loses its columns.
TEST(ReportMarkdown, HostileNamesAreEscapedAsText) {
  Report r = load_fixture();
  r.portfolio = "<img src=x onerror=alert(1)> ##";
  r.exposures.result.groups[0].key = "</text><script>";
  r.positions.rows[0].sector = "a|b`c`";
  r.stress.result.scenarios[0].name = "# [x](javascript:alert(1))";
  r.stress.result.scenarios[0].label = "line1\nline2 | *bold* _u_ ~~s~~ \\";
  r.steps[0].message = "===\r\n# x & y";
  const auto files = render_markdown_report(r);
  const std::string& md = files.at("report.md");
  EXPECT_EQ(md.rfind("# Risk report: &lt;img src=x onerror=alert(1)&gt; \\#\\#\n\n", 0), 0u) << md;
  EXPECT_NE(md.find("\n| &lt;/text&gt;&lt;script&gt; | 2 | 17,837.00 |"), std::string::npos) << md;
  EXPECT_NE(md.find("\n| AAPL | stock | a\\|b\\`c\\` | 100 |"), std::string::npos) << md;
  EXPECT_NE(md.find("\n| \\# \\[x\\](javascript:alert(1)) | line1 line2 \\| \\*bold\\* \\_u\\_ \\~\\~s\\~\\~ \\\\ | "
                    "-9,876.54 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| Worst stress | gfc_2008: -9,876.54 |"), std::string::npos);  // an intraword _ stays
  EXPECT_NE(md.find("\n| data_check | ok | 1.25 | \\=== \\# x &amp; y |\n"), std::string::npos) << md;
  EXPECT_EQ(md.find("<img"), std::string::npos);
  EXPECT_EQ(md.find("<script"), std::string::npos);
  // Every table row still has as many cells as its header: count the unescaped pipes.
  std::size_t at = 0;
  std::size_t header_pipes = 0;
  while (at < md.size()) {
    const std::size_t end = md.find('\n', at);
    const std::string line = md.substr(at, end - at);
    at = end == std::string::npos ? md.size() : end + 1;
    if (line.empty() || line[0] != '|') {
      header_pipes = 0;
      continue;
    }
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i) pipes += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
    if (header_pipes == 0) header_pipes = pipes;
    EXPECT_EQ(pipes, header_pipes) << line;
  }
  // The chart of exposures by sector carries the sector as escaped SVG text.
  const std::string& svg = files.at("exposure_by_sector.svg");
  EXPECT_NE(svg.find("\">&lt;/text&gt;&lt;script&gt;</text>"), std::string::npos) << svg;
  EXPECT_EQ(svg.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace keel::service
