#include "keel/io/xlsx_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "../support/process.h"

namespace keel::io {
namespace {

// Reads one member of the .xlsx (a zip) with Debian's python3 zipfile: an independent reader.
std::string zip_member(const std::string& path, const std::string& member) {
  const std::string cmd = "/usr/bin/python3 -c \"import sys,zipfile; sys.stdout.write(zipfile.ZipFile('" + path +
                          "').read('" + member + "').decode())\" 2>/dev/null";
  return keel::testing::command_output(cmd);
}

TEST(WriteXlsx, SheetsHoldNumbersAsNumbers) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "needs /usr/bin/python3 to read the zip back";
  const auto path = (std::filesystem::temp_directory_path() / "keel_xlsx_test.xlsx").string();
  XlsxSheet positions{"Positions", {{"symbol", ""}, {"market_value", "#,##0.00"}, {"weight", "0.00%"}}, {}};
  positions.rows.push_back({std::string("AAPL"), 338023.986, 0.1542});
  positions.rows.push_back({std::string("KO"), std::monostate{}, 0.01});
  XlsxSheet var{"VaR/ES", {{"method", ""}, {"var", "#,##0"}}, {{std::string("historical"), 23456.7}}};
  write_xlsx(path, {positions, var});

  const std::string book = zip_member(path, "xl/workbook.xml");
  EXPECT_NE(book.find("name=\"Positions\""), std::string::npos) << book;
  EXPECT_NE(book.find("name=\"VaR_ES\""), std::string::npos);  // '/' is not allowed in sheet names
  const std::string sheet1 = zip_member(path, "xl/worksheets/sheet1.xml");
  // B2 is a numeric cell (no t="s" string type) holding the value.
  EXPECT_NE(sheet1.find("<c r=\"B2\" s=\""), std::string::npos) << sheet1;
  EXPECT_NE(sheet1.find("<v>338023.986</v>"), std::string::npos) << sheet1;
  EXPECT_NE(sheet1.find("<c r=\"A2\" t=\"s\""), std::string::npos);  // the symbol is a string
  EXPECT_EQ(sheet1.find("r=\"B3\""), std::string::npos);           // the empty cell is not written
  std::filesystem::remove(path);
}

TEST(WriteXlsx, UnwritablePathIsAnError) {
  EXPECT_ANY_THROW(write_xlsx("/no/such/dir/x.xlsx", {{"S", {{"a", ""}}, {}}}));
}

TEST(WriteXlsx, TextThatLooksLikeAFormulaIsAStringCell) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "needs /usr/bin/python3 to read the zip back";
  const auto path = (std::filesystem::temp_directory_path() / "keel_xlsx_formula_test.xlsx").string();
  XlsxSheet sheet{"Names", {{"name", ""}}, {}};
  for (const char* text : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "<img src=x onerror=alert(1)>"}) {
    sheet.rows.push_back({std::string(text)});
  }
  write_xlsx(path, {sheet});
  const std::string cells = zip_member(path, "xl/worksheets/sheet1.xml");
  for (int row = 2; row <= 7; ++row) {
    EXPECT_NE(cells.find("<c r=\"A" + std::to_string(row) + "\" t=\"s\""), std::string::npos) << row << cells;
  }
  EXPECT_EQ(cells.find("<f>"), std::string::npos) << cells;  // no formula anywhere
  const std::string shared = zip_member(path, "xl/sharedStrings.xml");
  EXPECT_NE(shared.find("<t>=1+1</t>"), std::string::npos) << shared;
  EXPECT_NE(shared.find("<t>@SUM(A1)</t>"), std::string::npos) << shared;
  EXPECT_NE(shared.find("<t>&lt;img src=x onerror=alert(1)&gt;</t>"), std::string::npos) << shared;
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace keel::io
