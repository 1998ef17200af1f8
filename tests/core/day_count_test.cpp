// 30/360 bond basis (keel/core/day_count.h), the one implementation
// behind ALM accruals and CLO fixed coupons. Expectations by hand from the rule of ISDA 2006
// section 4.16(f) (QuantLib's Thirty360(BondBasis) gives the same; tests/alm/schedule_test.cpp
// checks the ALM kernel against QuantLib itself):
//   D1 = 31 -> 30; D2 = 31 -> 30 only when D1 (after the first rule) is 30;
//   fraction = (360 (Y2 - Y1) + 30 (M2 - M1) + (D2 - D1)) / 360.
#include "keel/core/day_count.h"

#include <gtest/gtest.h>

namespace keel {
namespace {

double f(const char* a, const char* b) {
  return year_fraction_30_360(Date::parse_or_throw(a), Date::parse_or_throw(b));
}

TEST(Thirty360Bond, WholeMonthsAndYearsAreTwelfths) {
  EXPECT_DOUBLE_EQ(f("2020-01-15", "2020-07-15"), 180.0 / 360.0);  // 30 x 6
  EXPECT_DOUBLE_EQ(f("2019-03-01", "2024-03-01"), 5.0);            // 360 x 5
  EXPECT_DOUBLE_EQ(f("2020-02-15", "2020-03-15"), 30.0 / 360.0);   // February counts 30 days
}

TEST(Thirty360Bond, EndOfMonthRules) {
  // 31 Jan -> 31 Mar: D1 = 30, D2 = 31 -> 30 (D1 is 30): 30 x 2 + 0 = 60 days.
  EXPECT_DOUBLE_EQ(f("2020-01-31", "2020-03-31"), 60.0 / 360.0);
  // 28 Feb -> 31 Mar: D1 = 28 stays, so D2 = 31 stays: 30 + (31 - 28) = 33 days.
  EXPECT_DOUBLE_EQ(f("2021-02-28", "2021-03-31"), 33.0 / 360.0);
  // 30 Apr -> 31 May: D1 = 30, D2 = 31 -> 30: 30 days.
  EXPECT_DOUBLE_EQ(f("2020-04-30", "2020-05-31"), 30.0 / 360.0);
  // 15 Jan -> 31 Jan: D2 = 31 stays (D1 = 15): 16 days.
  EXPECT_DOUBLE_EQ(f("2020-01-15", "2020-01-31"), 16.0 / 360.0);
  // 29 Feb 2020 -> 28 Feb 2021 (bond basis has no end-of-February rule): 360 + 0 + (28 - 29) = 359.
  EXPECT_DOUBLE_EQ(f("2020-02-29", "2021-02-28"), 359.0 / 360.0);
}

TEST(Thirty360Bond, ReversedDatesGiveTheNegativeOfTheFormula) {
  // 15 Jul -> 15 Jan: 30 x (1 - 7) = -180 days.
  EXPECT_DOUBLE_EQ(f("2020-07-15", "2020-01-15"), -0.5);
  EXPECT_DOUBLE_EQ(f("2020-06-10", "2020-06-10"), 0.0);
}

TEST(Thirty360Bond, CivilAndDateFormsAgreeAndAreConstexpr) {
  static_assert(thirty_360_bond({2020, 1, 31}, {2020, 3, 31}) == 60.0 / 360.0);
  EXPECT_EQ(thirty_360_bond({2021, 2, 28}, {2021, 3, 31}), f("2021-02-28", "2021-03-31"));
}

}  // namespace
}  // namespace keel
