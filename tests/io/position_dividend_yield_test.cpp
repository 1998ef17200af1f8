// The optional `dividend_yield` column of positions files (docs/formats.md): per-option
// continuous dividend yield of the underlying, a decimal in [-1, 1].
#include <gtest/gtest.h>

#include "keel/io/readers.h"

namespace keel::io {
namespace {

std::vector<std::string> messages(const std::vector<Diagnostic>& list) {
  std::vector<std::string> out;
  for (const auto& d : list) out.push_back(d.to_string());
  return out;
}

TEST(ReadPositionsDividendYield, OptionalPerOptionYield) {
  Diagnostics diags;
  auto csv = CsvReader::from_text("pos.csv",
                                  "symbol,quantity,implied_vol,dividend_yield\n"
                                  "SPY250117C00450000,2,0.2,0.013\n"    // its own yield
                                  "SPY250117P00450000,-1,0.2,\n"        // empty: the run's default
                                  "SPY250117P00400000,1,0.2,-0.005\n",  // negative (borrow cost)
                                  diags);
  const std::vector<Position> p = read_positions(csv, diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags.errors())[0];
  ASSERT_EQ(p.size(), 3u);
  EXPECT_DOUBLE_EQ(p[0].dividend_yield.value_or(-1), 0.013);
  EXPECT_FALSE(p[1].dividend_yield.has_value());
  EXPECT_DOUBLE_EQ(p[2].dividend_yield.value_or(-1), -0.005);
}

TEST(ReadPositionsDividendYield, WithoutTheColumnNoPositionHasAYield) {
  Diagnostics diags;
  auto csv =
      CsvReader::from_text("pos.csv", "symbol,quantity,implied_vol\nSPY250117C00450000,2,0.2\n", diags);
  const std::vector<Position> p = read_positions(csv, diags);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_FALSE(p[0].dividend_yield.has_value());
}

TEST(ReadPositionsDividendYield, BadValuesNameLineAndColumn) {
  Diagnostics diags;
  auto csv = CsvReader::from_text("pos.csv",
                                  "symbol,quantity,dividend_yield\n"
                                  "SPY250117C00450000,1,2%\n"   // not a number
                                  "SPY250117C00460000,1,1.5\n"  // a percentage given as a number
                                  "SPY250117C00470000,1,nan\n"
                                  "SPY250117C00480000,1,0.01\n",
                                  diags);
  const std::vector<Position> p = read_positions(csv, diags);
  const std::vector<std::string> errors = messages(diags.errors());
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0], "pos.csv:2:3: dividend_yield: expected a number, got \"2%\"");
  EXPECT_EQ(errors[1],
            "pos.csv:3:3: dividend_yield: dividend_yield 1.5 is outside [-1, 1]: give it as a continuous "
            "decimal (0.02 = 2%)");
  EXPECT_NE(errors[2].find("pos.csv:4:3: dividend_yield:"), std::string::npos) << errors[2];
}

TEST(ReadPositionsDividendYield, IgnoredWithAWarningOnAStock) {
  Diagnostics diags;
  auto csv = CsvReader::from_text("pos.csv", "symbol,quantity,dividend_yield\nKO,10,0.03\n", diags);
  const std::vector<Position> p = read_positions(csv, diags);
  ASSERT_FALSE(diags.has_errors());
  ASSERT_EQ(p.size(), 1u);
  EXPECT_FALSE(p[0].dividend_yield.has_value());
  ASSERT_EQ(diags.warnings().size(), 1u);
  EXPECT_NE(diags.warnings()[0].to_string().find(
                "pos.csv:2:3: dividend_yield: dividend_yield is ignored on a stock"),
            std::string::npos)
      << diags.warnings()[0].to_string();
}

}  // namespace
}  // namespace keel::io
