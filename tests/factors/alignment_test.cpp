#include "keel/factors/alignment.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"

namespace keel::factors {
namespace {

Date d(const char* s) { return *Date::parse(s); }

// Columns mkt, rf; decimal.
FactorTable table(const std::vector<const char*>& dates, const std::vector<double>& mkt, double rf) {
  FactorTable t;
  t.names = {"mkt", "rf"};
  for (std::size_t i = 0; i < dates.size(); ++i) {
    t.dates.push_back(d(dates[i]));
    t.values.push_back(mkt[i]);
    t.values.push_back(rf);
  }
  return t;
}

TEST(AlignFactors, CompoundsOverReturnIntervalsAndSplitsRf) {
  const FactorTable t = table({"2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07", "2020-01-08"},
                              {0.01, 0.02, -0.01, 0.03, 0.005}, 0.0001);
  // Returns end on 01-03, 01-07 (a gap: 01-06 is missing from the prices) and 01-08.
  const std::vector<Date> dates{d("2020-01-03"), d("2020-01-07"), d("2020-01-08")};
  const AlignedFactors a = align_factors(dates, t);
  ASSERT_EQ(a.cols(), 1u);
  EXPECT_EQ(a.names[0], "mkt");
  EXPECT_TRUE(a.has_rf);
  EXPECT_EQ(a.compounded, 1u);
  EXPECT_DOUBLE_EQ(a.values[0], 0.02);
  EXPECT_NEAR(a.values[1], 0.99 * 1.03 - 1.0, 1e-15);  // 01-06 and 01-07 compounded
  EXPECT_DOUBLE_EQ(a.values[2], 0.005);
  EXPECT_DOUBLE_EQ(a.rf[0], 0.0001);
  EXPECT_NEAR(a.rf[1], 1.0001 * 1.0001 - 1.0, 1e-16);
}

TEST(AlignFactors, MissingDatesAreListed) {
  const FactorTable t = table({"2020-01-02", "2020-01-03", "2020-01-07"}, {0.01, 0.02, 0.03}, 0.0);
  const std::vector<Date> dates{d("2020-01-03"), d("2020-01-06"), d("2020-01-07"), d("2020-01-08")};
  try {
    align_factors(dates, t, {.source = "ff5.csv"});
    FAIL() << "missing factor dates accepted";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("ff5.csv has no row for 2 of the 4 return dates"), std::string::npos) << msg;
    ASSERT_FALSE(e.details().empty());
    EXPECT_NE(e.details()[0].find("2020-01-06, 2020-01-08"), std::string::npos) << e.details()[0];
  }
}

TEST(AlignFactors, NonOverlappingDatesSayBothRanges) {
  const FactorTable t = table({"1990-01-02", "1990-01-03"}, {0.01, 0.02}, 0.0);
  const std::vector<Date> dates{d("2017-12-05"), d("2017-12-06")};
  try {
    align_factors(dates, t, {.source = "old.csv"});
    FAIL();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("old.csv covers 1990-01-02 .. 1990-01-03 but the returns cover 2017-12-05 .. 2017-12-06"),
              std::string::npos)
        << msg;
  }
}

TEST(AlignFactors, NoRfColumnMeansZeroRiskFree) {
  FactorTable t;
  t.names = {"spy", "tlt"};
  t.dates = {d("2020-01-02"), d("2020-01-03")};
  t.values = {0.01, -0.002, 0.003, 0.004};
  const AlignedFactors a = align_factors(std::vector<Date>{d("2020-01-03")}, t);
  EXPECT_FALSE(a.has_rf);
  EXPECT_EQ(a.cols(), 2u);
  EXPECT_DOUBLE_EQ(a.rf[0], 0.0);
  EXPECT_DOUBLE_EQ(a.values[1], 0.004);
}

// Black Monday from the Fama-French daily file (percent): rows after 1987-10-14 up to 1987-10-19:
// mkt_rf 10-15 -2.26, 10-16 -4.87, 10-19 -17.44  ->  0.9774 x 0.9513 x 0.8256 - 1 = -0.232356608128.
TEST(CompoundedFactorReturns, BlackMondayByHand) {
  FactorTable t;
  t.names = {"mkt_rf", "smb", "rf"};
  const std::vector<std::pair<const char*, std::vector<double>>> rows = {
      {"1987-10-13", {1.29, -1.35, 0.027}}, {"1987-10-14", {-2.44, 1.08, 0.027}},
      {"1987-10-15", {-2.26, 0.92, 0.027}}, {"1987-10-16", {-4.87, 0.71, 0.027}},
      {"1987-10-19", {-17.44, 6.17, 0.027}}, {"1987-10-20", {0.72, -11.19, 0.027}}};
  for (const auto& [date, v] : rows) {
    t.dates.push_back(d(date));
    for (double x : v) t.values.push_back(x / 100.0);
  }
  const std::vector<double> r = compounded_factor_returns(t, d("1987-10-14"), d("1987-10-19"));
  EXPECT_NEAR(r[0], 0.9774 * 0.9513 * 0.8256 - 1.0, 1e-15);
  EXPECT_NEAR(r[0], -0.232356608128, 1e-12);
  EXPECT_NEAR(r[1], 1.0092 * 1.0071 * 1.0617 - 1.0, 1e-15);
  EXPECT_THROW(compounded_factor_returns(t, d("1987-10-19"), d("1987-10-14")), Error);
  EXPECT_THROW(compounded_factor_returns(t, d("1987-10-14"), d("1987-10-30")), Error);  // not covered
}

}  // namespace
}  // namespace keel::factors
