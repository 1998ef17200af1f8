#include "keel/service/report_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/service/report.h"
#include "keel/report/report_schema.h"
#include "../../src/service/report_cells.h"
#include "keel/io/csv.h"
#include "../support/process.h"

namespace keel::service {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json load_fixture() {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/tests/service/fixtures/report_full.json");
  return json::parse(in);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh folder per test, removed at the end.
class ReportWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("keel_report_writer_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

// Every member of a zip read with Debian's python3 zipfile (an independent reader), as
// {"member name": "text"}; an empty object when python is missing or the zip is bad.
json unzip_all(const fs::path& zip) {
  const std::string cmd =
      "/usr/bin/python3 -c \"import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); "
      "json.dump({n: z.read(n).decode('utf-8') for n in z.namelist()}, sys.stdout)\" '" +
      zip.string() + "' 2>/dev/null";
  const std::string out = keel::testing::command_output(cmd);
  return out.empty() ? json::object() : json::parse(out);
}

TEST(ReportFolder, SlugAndDirectoryName) {
  EXPECT_EQ(report_slug("hnw"), "hnw");
  EXPECT_EQ(report_slug("Demo HNW Book"), "demo-hnw-book");
  EXPECT_EQ(report_slug("  --Growth & Income (2024)--"), "growth-income-2024");
  EXPECT_EQ(report_slug("a__b..c"), "a-b-c");
  EXPECT_EQ(report_slug("\xC3\x84pfel"), "pfel");  // non-ASCII bytes are "anything else"
  EXPECT_EQ(report_slug("***"), "portfolio");
  EXPECT_EQ(report_dir_name("Demo HNW Book", "2017-12-06"), "demo-hnw-book_2017-12-06");
}

TEST_F(ReportWriterTest, WritesAllFourFormatsAndNothingHalfDone) {
  const json report = load_fixture();
  const fs::path dir = root_ / report_dir_name(report["portfolio"], report["as_of"]);
  const auto written = write_report_files(report, dir.string(), {"md", "json", "csv", "xlsx"});
  std::vector<std::string> names;
  for (const auto& p : written) names.push_back(fs::path(p).filename().string());
  const std::vector<std::string> expected = {
      "report.md",          "exposure_by_sector.svg", "factor_betas.svg", "pnl_distribution.svg",
      "stress_impacts.svg", "value_history.svg",      "report.json",      "positions.csv",
      "report.xlsx"};
  EXPECT_EQ(names, expected);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    ++files;
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  }
  EXPECT_EQ(files, expected.size());
  EXPECT_EQ(dir.filename().string(), "demo-hnw-book_2017-12-06");

  // report.json: the same document read into the typed Report (fields the hand-written fixture
  // leaves out take their defaults), pretty-printed with 2 spaces.
  const std::string text = slurp(dir / "report.json");
  EXPECT_EQ(json::parse(text), spec::to_json(report_from_json(report)));
  EXPECT_EQ(json::parse(text)["positions"], report["positions"]);  // every position field is in the fixture
  EXPECT_EQ(json::parse(text)["history"], report["history"]);
  EXPECT_EQ(text.rfind("{\n  \"", 0), 0u);
  EXPECT_NE(slurp(dir / "report.md").find("## Run steps"), std::string::npos);

  // A format named twice is written once; a subset writes only its files.
  const fs::path only_csv = root_ / "csv_only";
  EXPECT_EQ(write_report_files(report, only_csv.string(), {"csv", "csv"}).size(), 1u);
  EXPECT_TRUE(fs::exists(only_csv / "positions.csv"));
  EXPECT_FALSE(fs::exists(only_csv / "report.md"));
}

TEST_F(ReportWriterTest, PositionsCsvRoundTripsThroughTheCsvReader) {
  const json report = load_fixture();
  write_report_files(report, root_.string(), {"csv"});
  // The contract's 37 columns, written out here from docs/reports.md (not from the code's list).
  const std::vector<std::string> columns = {"symbol",
                                            "type",
                                            "underlying",
                                            "option_type",
                                            "strike",
                                            "expiry",
                                            "quantity",
                                            "multiplier",
                                            "sector",
                                            "strategy",
                                            "tags",
                                            "currency",
                                            "entry_price",
                                            "entry_date",
                                            "price",
                                            "price_date",
                                            "price_source",
                                            "market_value_amount",
                                            "weight",
                                            "cost_basis_amount",
                                            "unrealized_pnl_amount",
                                            "pnl_1d_amount",
                                            "notional_amount",
                                            "delta",
                                            "delta_adjusted_amount",
                                            "gamma",
                                            "dollar_gamma_1pct_amount",
                                            "vega_per_point_amount",
                                            "theta_per_day_amount",
                                            "rho_per_point_amount",
                                            "implied_vol",
                                            "beta_mkt",
                                            "factor_r2",
                                            "component_var_amount",
                                            "component_var_pct",
                                            "marginal_var",
                                            "stress_worst_pnl_amount"};
  ASSERT_EQ(columns.size(), 37u);

  Diagnostics diags;
  auto reader = io::CsvReader::open(local_files().open((root_ / "positions.csv").string(), "positions"), diags);
  EXPECT_EQ(reader.header(), columns);
  const json& rows = report["positions"]["rows"];
  io::CsvRecord rec;
  std::size_t n = 0;
  while (reader.next(rec)) {
    ASSERT_LT(n, rows.size());
    const json& row = rows[n];
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const json& v = row[columns[c]];
      const std::string cell(rec[c]);
      if (v.is_null()) {
        EXPECT_EQ(cell, "") << columns[c];
      } else if (v.is_string()) {
        EXPECT_EQ(cell, v.get<std::string>()) << columns[c];
      } else {
        const auto parsed = parse_double(cell);
        ASSERT_TRUE(parsed.has_value()) << columns[c] << " = " << cell;
        EXPECT_EQ(*parsed, v.get<double>()) << columns[c] << ": not a full-precision round trip";
      }
    }
    ++n;
  }
  EXPECT_EQ(n, rows.size());
  EXPECT_FALSE(diags.has_errors());
  // The strategy with a comma and quotes is quoted as RFC 4180 says; the long double keeps 17 digits.
  const std::string csv = slurp(root_ / "positions.csv");
  EXPECT_NE(csv.find(",\"hedge, \"\"energy\"\"\","), std::string::npos) << csv;
  EXPECT_NE(csv.find(",0.4490587594489392,"), std::string::npos);

  // A positions section that is not ok gives the header only.
  json failed = report;
  failed["positions"] = {{"status", "failed"}, {"reason", "no prices"}};
  const std::string header_only = positions_csv(report_from_json(failed));
  EXPECT_EQ(std::count(header_only.begin(), header_only.end(), '\n'), 1);
}

TEST_F(ReportWriterTest, WorkbookHasTheSheetsAndNumericCells) {
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "needs /usr/bin/python3 to read the zip back";
  json report = load_fixture();
  report["factors"] = {{"status", "n/a"}, {"reason", "no factor data in the store for 2017-12-06"}};
  write_report_files(report, root_.string(), {"xlsx"});
  const json zip = unzip_all(root_ / "report.xlsx");
  ASSERT_TRUE(zip.contains("xl/workbook.xml")) << "the xlsx could not be read back";
  const std::string book = zip["xl/workbook.xml"];
  std::size_t at = 0;
  for (const char* sheet : {"Summary", "Positions", "Exposures", "Greeks", "Factors", "VaR", "Stress",
                            "Correlation", "Concentration", "History", "Data quality", "Steps"}) {
    const std::size_t p = book.find(std::string("name=\"") + sheet + "\"", at);
    ASSERT_NE(p, std::string::npos) << sheet << " missing or out of order in " << book;
    at = p;
  }
  // Positions is sheet 2: row 2 is AAPL; column R (18th) is market_value_amount = 100 x 169.01.
  const std::string positions = zip["xl/worksheets/sheet2.xml"];
  EXPECT_NE(positions.find("<c r=\"A2\" t=\"s\""), std::string::npos);            // the symbol is text
  EXPECT_NE(positions.find("<c r=\"R2\" s=\""), std::string::npos) << positions;  // a number with a format
  EXPECT_NE(positions.find("<v>16901</v>"), std::string::npos);
  EXPECT_EQ(positions.find("<c r=\"R2\" t="), std::string::npos);  // not a shared string
  EXPECT_EQ(positions.find("r=\"C2\""), std::string::npos);        // null underlying: no cell
  // Summary: the net value sits in the "amount" column (C) as a number.
  const std::string summary = zip["xl/worksheets/sheet1.xml"];
  EXPECT_NE(summary.find("<v>24444.5</v>"), std::string::npos) << summary;
  // Factors (sheet 5) is n/a: status and reason.
  const std::string shared = zip["xl/sharedStrings.xml"];
  EXPECT_NE(shared.find("no factor data in the store for 2017-12-06"), std::string::npos);
  EXPECT_NE(shared.find("summary.net_value_amount"), std::string::npos);
  // The custom formats are declared (#,##0.00 and 0.00% are Excel built-ins 4 and 10).
  const std::string styles = zip["xl/styles.xml"];
  EXPECT_NE(styles.find("formatCode=\"0.0000\""), std::string::npos) << styles;
}

TEST_F(ReportWriterTest, WorkbookSheetsCarryFormatsByFieldName) {
  const auto sheets = report_workbook(report_from_json(load_fixture()));
  ASSERT_EQ(sheets.size(), 13u);  // 12 and the backtest's
  const io::XlsxSheet& positions = sheets[1];
  ASSERT_EQ(positions.columns.size(), 37u);
  EXPECT_EQ(positions.columns[17].name, "market_value_amount");
  EXPECT_EQ(positions.columns[17].number_format, "#,##0.00");
  EXPECT_EQ(positions.columns[18].number_format, "0.00%");   // weight
  EXPECT_EQ(positions.columns[31].number_format, "0.0000");  // beta_mkt
  EXPECT_EQ(std::get<double>(positions.rows[2][6]), -80.0);  // XOM quantity
  const io::XlsxSheet& var = sheets[5];
  EXPECT_EQ(var.name, "VaR");
  EXPECT_EQ(var.rows.size(), 3u + 4u);  // 3 methods, 4 contributions
  EXPECT_EQ(std::get<std::string>(var.rows[3][0]), "contributions");
  // The embedded results' columns take their format from the description's unit: var and es are
  // in the portfolio currency, var_pct a fraction, horizon_days a whole number.
  auto format_of = [](const io::XlsxSheet& s, const std::string& name) {
    for (const auto& c : s.columns)
      if (c.name == name) return c.number_format;
    return std::string("(no column ") + name + ")";
  };
  EXPECT_EQ(format_of(var, "var"), "#,##0.00");
  EXPECT_EQ(format_of(var, "component_var"), "#,##0.00");
  EXPECT_EQ(format_of(var, "var_pct"), "0.00%");
  EXPECT_EQ(format_of(var, "horizon_days"), "#,##0");
  EXPECT_EQ(format_of(var, "marginal_var"), "0.0000");
  const io::XlsxSheet& backtest = sheets[6];
  EXPECT_EQ(backtest.name, "Backtest");
  ASSERT_EQ(backtest.rows.size(), 1u);
  EXPECT_EQ(format_of(backtest, "exceptions"), "#,##0");
  // Factors: one row per factor from the result's maps.
  const io::XlsxSheet& factors = sheets[4];
  EXPECT_EQ(factors.name, "Factors");
  ASSERT_EQ(factors.rows.size(), 3u);
  EXPECT_EQ(std::get<std::string>(factors.rows[0][0]), "mkt_rf");
  EXPECT_EQ(std::get<double>(factors.rows[0][1]), 1.0523);
  EXPECT_EQ(std::get<double>(factors.rows[0][3]), 25722.87735);
}

TEST_F(ReportWriterTest, BadFormatIsAUsageErrorAndWritesNothing) {
  try {
    write_report_files(load_fixture(), root_.string(), {"md", "pdf"});
    FAIL() << "expected a usage error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
    EXPECT_NE(std::string(e.what()).find("'pdf'"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(root_));
  EXPECT_THROW(write_report_files(load_fixture(), root_.string(), {}), Error);

  // A folder that cannot be created (its parent is a file) is an internal error.
  fs::create_directories(root_);
  std::ofstream(root_ / "plain_file") << "x";
  try {
    write_report_files(load_fixture(), (root_ / "plain_file" / "sub").string(), {"json"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
  }
}

}  // namespace
}  // namespace keel::service

namespace keel::service {
namespace {

// positions.csv's columns are the fields of ReportPositionRow, in the contract's order.
TEST(ReportSections, PositionRowFieldsAreTheCsvColumns) {
  std::vector<std::string> names;
  for (const auto& c : detail::cells_of(ReportPositionRow{})) names.push_back(c.name);
  ASSERT_EQ(names.size(), report::kPositionColumns.size());
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(names[i], report::kPositionColumns[i]) << i;
}

// A section that is not ok is exactly {"status", "reason"}; its body is optional in the schema
// while status is required.
TEST(ReportSections, UnavailableSectionIsStatusAndReasonOnly) {
  const json j = spec::to_json(unavailable_section<ReportVar>("failed", "no prices"));
  EXPECT_EQ(j, (json{{"status", "failed"}, {"reason", "no prices"}}));
  const json ok = spec::to_json(ReportHistory{});
  EXPECT_EQ(ok, (json{{"status", "ok"}, {"points", json::array()}}));
  const json schema = spec::schema_of<ReportVar>(spec::Role::kResult);
  EXPECT_EQ(schema["required"], (json{"status"}));
  // The body is risk_var's result, as the API returns it, and the backtest beside it.
  EXPECT_TRUE(schema["properties"].contains("results"));
  EXPECT_TRUE(schema["properties"].contains("contributions"));
  EXPECT_TRUE(schema["properties"].contains("backtest"));
  EXPECT_EQ(schema["additionalProperties"], false);
}

// positions.csv is opened in spreadsheets: a text cell that a spreadsheet would take for a formula
// (it begins with = + - @, a tab or a carriage return) is written with a leading apostrophe, as
// OWASP advises against CSV injection; numbers, negative ones included, are written as numbers.
TEST_F(ReportWriterTest, PositionsCsvWritesFormulaLikeTextWithALeadingApostrophe) {
  json report = load_fixture();
  auto& rows = report["positions"]["rows"];
  rows[0]["sector"] = "=HYPERLINK(\"http://x\",\"y\")";
  rows[0]["strategy"] = "+cmd|' /C calc'!A0";
  rows[0]["tags"] = "@SUM(1)";
  rows[1]["sector"] = "-2+3";
  rows[1]["strategy"] = "\tx";
  rows[1]["tags"] = "<img src=x onerror=alert(1)>";
  const std::string csv = positions_csv(report_from_json(report));
  EXPECT_NE(csv.find("\nAAPL,stock,,,,,100,1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+cmd|' /C calc'!A0,'@SUM(1),USD,"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\nSPY,etf,,,,,50,1,'-2+3,'\tx,<img src=x onerror=alert(1)>,USD,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nXOM,stock,,,,,-80,1,Energy,"), std::string::npos) << csv;  // a negative number stays one
}

// report.xlsx: every text is a string cell (t="s"), never a formula (no <f> element), XML-escaped
// in the shared strings, whatever it begins with; no apostrophe is added (a string cell is not
// evaluated, so the text stays exact).
TEST_F(ReportWriterTest, WorkbookWritesHostileNamesAsStringsNeverFormulas) {
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "needs /usr/bin/python3 to read the zip back";
  json report = load_fixture();
  report["portfolio"] = "<img src=x onerror=alert(1)>";
  auto& rows = report["positions"]["rows"];
  rows[0]["sector"] = "=HYPERLINK(\"http://x\",\"y\")";
  rows[0]["strategy"] = "</t></si><si><t>x";
  rows[0]["tags"] = "@SUM(1)";
  write_report_files(report, root_.string(), {"xlsx"});
  const json zip = unzip_all(root_ / "report.xlsx");
  ASSERT_TRUE(zip.contains("xl/sharedStrings.xml")) << "the xlsx could not be read back";
  const std::string positions = zip["xl/worksheets/sheet2.xml"];
  for (const char* ref : {"I2", "J2", "K2"}) {  // sector, strategy, tags of AAPL
    EXPECT_NE(positions.find(std::string("<c r=\"") + ref + "\" t=\"s\""), std::string::npos) << ref << positions;
  }
  for (const auto& [member, text] : zip.items()) {
    if (member.rfind("xl/worksheets/", 0) == 0) {
      EXPECT_EQ(text.get<std::string>().find("<f>"), std::string::npos) << member;
    }
  }
  const std::string shared = zip["xl/sharedStrings.xml"];
  EXPECT_NE(shared.find("<t>=HYPERLINK(\"http://x\",\"y\")</t>"), std::string::npos) << shared;
  EXPECT_NE(shared.find("<t>&lt;/t&gt;&lt;/si&gt;&lt;si&gt;&lt;t&gt;x</t>"), std::string::npos) << shared;
  EXPECT_NE(shared.find("<t>@SUM(1)</t>"), std::string::npos) << shared;
  EXPECT_NE(shared.find("<t>&lt;img src=x onerror=alert(1)&gt;</t>"), std::string::npos) << shared;
}

}  // namespace
}  // namespace keel::service
