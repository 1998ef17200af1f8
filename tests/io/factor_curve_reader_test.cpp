#include <gtest/gtest.h>

#include "keel/io/readers.h"
#include "keel/portfolio/symbol_info.h"

namespace keel::io {
namespace {

TEST(ReadFactors, PercentUnitsAreConvertedToDecimals) {
  Diagnostics d;
  auto csv = CsvReader::from_text("ff.csv", "date,Mkt_RF,smb,rf\n2017-01-04,0.78,0.33,0.002\n2017-01-03,0.83,-0.17,0.002\n", d);
  auto t = read_factors(csv, RateUnits::kPercent, d);
  ASSERT_FALSE(d.has_errors());
  EXPECT_EQ(t.names, (std::vector<std::string>{"mkt_rf", "smb", "rf"}));
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.dates[0].to_string(), "2017-01-03");  // sorted
  EXPECT_DOUBLE_EQ(t.at(0, 0), 0.0083);
  EXPECT_DOUBLE_EQ(t.at(1, 1), 0.0033);
}

TEST(ReadFactors, MissingValuesAndDuplicateDatesAreErrors) {
  Diagnostics d;
  auto csv = CsvReader::from_text("ff.csv", "date,mkt_rf\n2017-01-03,\n2017-01-04,1\n2017-01-04,1\n", d);
  read_factors(csv, RateUnits::kDecimal, d);
  ASSERT_EQ(d.error_count(), 2u);
  EXPECT_EQ(d.errors()[0].to_string(), "ff.csv:2:2: mkt_rf: missing value: expected a number");
  EXPECT_EQ(d.errors()[1].to_string(), "ff.csv:4:1: date: duplicate date 2017-01-04 (first on line 3)");
}

TEST(ReadCurve, TenorRateRowsSortedByMaturity) {
  Diagnostics d;
  auto csv = CsvReader::from_text("usd.csv", "tenor,rate\n10Y,0.025\n3M,0.012\n1Y,0.016\n", d);
  auto c = read_curve(csv, {}, d);
  ASSERT_FALSE(d.has_errors());
  EXPECT_EQ(c.name, "usd");
  ASSERT_EQ(c.points.size(), 3u);
  EXPECT_EQ(c.points[0].tenor, "3M");
  EXPECT_DOUBLE_EQ(c.points[0].years, 0.25);
  EXPECT_DOUBLE_EQ(c.points[2].rate, 0.025);
}

TEST(ReadCurve, PercentLookingDecimalsAndBadTenorsAreErrors) {
  Diagnostics d;
  auto csv = CsvReader::from_text("usd.csv", "tenor,rate\n10Y,2.5\n3Q,0.01\n1Y,0.01\n12M,0.02\n", d);
  read_curve(csv, {}, d);
  ASSERT_EQ(d.error_count(), 3u);
  EXPECT_NE(d.errors()[0].message.find("looks like a percentage"), std::string::npos);
  EXPECT_EQ(d.errors()[1].to_string(), "usd.csv:3:1: tenor: \"3Q\" is not a tenor (1M, 3M, 1Y, 30Y, ...)");
  EXPECT_EQ(d.errors()[2].to_string(), "usd.csv:5:1: tenor: tenor 12M given twice");  // 12M = 1Y
}

TEST(ReadCurve, DatedTreasuryFileTakesOneRowAsParPercent) {
  // Two rows of the US Treasury par yield file (percent; 2m not published on those days).
  const std::string text =
      "date,1m,2m,3m,6m,1y,2y,3y,5y,7y,10y,20y,30y\n"
      "2017-12-05,1.21,,1.30,1.48,1.64,1.83,1.94,2.15,2.28,2.36,2.55,2.73\n"
      "2017-12-06,1.18,,1.30,1.48,1.68,1.78,1.92,2.11,2.25,2.33,2.53,2.71\n";
  Diagnostics d;
  auto csv = CsvReader::from_text("ust.csv", text, d);
  CurveReadOptions o;
  o.date = Date::parse("2017-12-06");
  auto c = read_curve(csv, o, d);
  ASSERT_FALSE(d.has_errors());
  EXPECT_EQ(c.kind, CurveKind::kPar);
  ASSERT_EQ(c.points.size(), 11u);  // 2m skipped
  EXPECT_EQ(c.points[0].tenor, "1M");
  EXPECT_DOUBLE_EQ(c.points[0].rate, 0.0118);
  EXPECT_EQ(c.points.back().tenor, "30Y");
  EXPECT_DOUBLE_EQ(c.points.back().rate, 0.0271);

  Diagnostics d2;
  auto csv2 = CsvReader::from_text("ust.csv", text, d2);
  o.date = Date::parse("2017-12-09");  // a Saturday
  read_curve(csv2, o, d2);
  ASSERT_EQ(d2.error_count(), 1u);
  EXPECT_EQ(d2.errors()[0].to_string(),
            "ust.csv: no row for 2017-12-09 (the file covers 2017-12-05 to 2017-12-06; pick a published business day)");
}

TEST(ReadSymbolInfo, ReadsTheConstituentsLayoutWithQuotedCommas) {
  Diagnostics d;
  auto csv = CsvReader::from_text(
      "sp.csv",
      "Symbol,Security,GICS Sector,GICS Sub-Industry,Headquarters Location\n"
      "MMM,3M,Industrials,Industrial Conglomerates,\"Saint Paul, Minnesota\"\n"
      "TSLA,\"Tesla, Inc.\",Consumer Discretionary,Automobile Manufacturers,\"Austin, Texas\"\n",
      d);
  auto infos = read_symbol_info(csv, d);
  ASSERT_FALSE(d.has_errors());
  ASSERT_EQ(infos.size(), 2u);
  EXPECT_EQ(infos[1].name, "Tesla, Inc.");
  EXPECT_EQ(infos[1].sector, "Consumer Discretionary");
}

}  // namespace
}  // namespace keel::io
