#include <gtest/gtest.h>

#include "read_text.h"

#include "keel/io/readers.h"

namespace keel::io {
namespace {

using Result = testing::ReadResult<std::vector<Position>>;

Result read(const std::string& text) {
  return testing::read_text("pos.csv", text, [](CsvReader& csv, Diagnostics& d) { return read_positions(csv, d); });
}

TEST(ReadPositions, StocksWithOptionalColumns) {
  auto r = read("symbol,quantity,entry_price,entry_date,sector,tags,strategy\n"
                "AAPL,100,150.5,2017-01-03,Information Technology,core; growth ,long only\nKO,-20,,,,,\n");
  ASSERT_FALSE(r.diags.has_errors()) << r.errors()[0];
  ASSERT_EQ(r.rows.size(), 2u);
  const auto& a = r.rows[0];
  EXPECT_EQ(a.symbol, "AAPL");
  EXPECT_EQ(a.type, InstrumentType::kStock);
  EXPECT_DOUBLE_EQ(a.quantity, 100);
  EXPECT_DOUBLE_EQ(*a.entry_price, 150.5);
  EXPECT_EQ(a.entry_date->to_string(), "2017-01-03");
  EXPECT_EQ(a.tags, (std::vector<std::string>{"core", "growth"}));
  EXPECT_EQ(a.strategy, "long only");
  EXPECT_DOUBLE_EQ(a.multiplier, 1.0);
  EXPECT_DOUBLE_EQ(r.rows[1].quantity, -20);  // short
}

TEST(ReadPositions, OccSymbolsInBothFormsFillTheOptionColumns) {
  auto r = read("symbol,quantity\nAAPL250117C00150000,2\n\"AAPL  250117P00152500\",-1\n");
  ASSERT_FALSE(r.diags.has_errors()) << r.errors()[0];
  ASSERT_EQ(r.rows.size(), 2u);
  const auto& c = r.rows[0];
  EXPECT_EQ(c.type, InstrumentType::kOption);
  EXPECT_EQ(c.underlying, "AAPL");
  EXPECT_DOUBLE_EQ(*c.strike, 150.0);
  EXPECT_EQ(c.expiry->to_string(), "2025-01-17");
  EXPECT_EQ(*c.option_type, OptionRight::kCall);
  EXPECT_DOUBLE_EQ(c.multiplier, 100.0);
  const auto& p = r.rows[1];
  EXPECT_EQ(p.symbol, "AAPL250117P00152500");  // normalised to the compact form
  EXPECT_DOUBLE_EQ(*p.strike, 152.5);
  EXPECT_EQ(*p.option_type, OptionRight::kPut);
}

TEST(ReadPositions, ExplicitOptionColumnsAndOverrides) {
  auto r = read("symbol,quantity,type,underlying,strike,expiry,option_type,multiplier,implied_vol,exercise\n"
                "MYOPT,3,option,SPY,400,2025-06-20,put,10,0.2,american\n");
  ASSERT_FALSE(r.diags.has_errors()) << r.errors()[0];
  const auto& p = r.rows[0];
  EXPECT_EQ(p.underlying, "SPY");
  EXPECT_DOUBLE_EQ(p.multiplier, 10.0);
  EXPECT_DOUBLE_EQ(*p.implied_vol, 0.2);
  EXPECT_EQ(p.exercise, ExerciseStyle::kAmerican);
  EXPECT_EQ(p.price_symbol(), "SPY");
}

TEST(ReadPositions, ReportsEveryProblemWithItsPlace) {
  auto r = read(
      "symbol,quantity,implied_vol,strike,currency,type\n"
      "AAPL,ten,,,,\n"                      // non-numeric quantity
      "AAPL251317C00150000,1,,,,\n"          // malformed OCC (month 13)
      "AAPL,1,25,,,\n"                      // vol given in percent
      "AAPL250117C00150000,1,,140,,\n"       // strike disagrees with the OCC symbol
      "KO,1,,,usd,\n"                       // bad currency
      "KO,1,,,,bond\n"                      // unknown type
      ",1,,,,\n");                          // missing symbol
  EXPECT_EQ(r.errors(), (std::vector<std::string>{
                            "pos.csv:2:2: quantity: expected a number, got \"ten\"",
                            "pos.csv:3:1: symbol: malformed OCC option symbol \"AAPL251317C00150000\": OCC expiry \"251317\" is not a calendar date",
                            "pos.csv:4:3: implied_vol: implied_vol 25 is above 500%: give it as a decimal (0.25 = 25%)",
                            "pos.csv:5:4: strike: strike disagrees with the OCC symbol's 150.000000",
                            "pos.csv:6:5: currency: expected a 3-letter ISO currency code such as USD",
                            "pos.csv:7:6: type: unknown type \"bond\": expected stock, etf, option, cash or other",
                            "pos.csv:8:1: symbol: missing value: expected a ticker or an OCC option symbol",
                        }));
  EXPECT_TRUE(r.rows.empty() || r.rows.size() < 7);
}

TEST(ReadPositions, OptionWithoutTermsIsAnError) {
  auto r = read("symbol,quantity,type,underlying,strike,expiry,option_type\nX1,1,option,SPY,,,\n");
  ASSERT_EQ(r.diags.error_count(), 3u);
  EXPECT_EQ(r.errors()[0], "pos.csv:2:5: strike: an option needs a strike");
}

TEST(ReadPositions, HeaderOnlyFileHasNoPositions) {
  auto r = read("symbol,quantity\n");
  ASSERT_EQ(r.diags.error_count(), 1u);
  EXPECT_EQ(r.errors()[0], "pos.csv: no positions: the file has a header but no rows");
}

TEST(ReadPositions, AFileWithoutAFinalLineEndIsReadWithAWarningNamingTheLine) {
  auto r = read("symbol,quantity\nAAPL,100\nKO,-2");
  ASSERT_FALSE(r.diags.has_errors()) << r.errors()[0];
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(r.rows[1].quantity, -2);
  ASSERT_EQ(r.diags.warnings().size(), 1u);
  EXPECT_EQ(r.diags.warnings()[0].to_string(), "pos.csv:3: the last line has no line ending: the file may be truncated");
  EXPECT_TRUE(read("symbol,quantity\nAAPL,100\nKO,-20\n").diags.warnings().empty());
}

}  // namespace
}  // namespace keel::io
