#include "keel/core/date.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"

namespace keel {
namespace {

TEST(Date, ParsesAndPrintsIso) {
  const Date d = Date::parse("2017-12-06").value();
  EXPECT_EQ(d.year(), 2017);
  EXPECT_EQ(d.month(), 12);
  EXPECT_EQ(d.day(), 6);
  EXPECT_EQ(d.to_string(), "2017-12-06");
}

TEST(Date, EpochAndKnownSerials) {
  // 1970-01-01 is day 0; 2000-01-01 is day 10957 (30 years with 7 leap days: 30*365+7).
  EXPECT_EQ(Date::parse("1970-01-01")->serial(), 0);
  EXPECT_EQ(Date::parse("2000-01-01")->serial(), 30 * 365 + 7);
  EXPECT_EQ(Date::parse("1969-12-31")->serial(), -1);
}

TEST(Date, RejectsImpossibleAndMalformedDates) {
  EXPECT_FALSE(Date::parse("2023-02-29"));  // 2023 is not a leap year
  EXPECT_TRUE(Date::parse("2024-02-29"));
  EXPECT_FALSE(Date::parse("1900-02-29"));  // century rule
  EXPECT_TRUE(Date::parse("2000-02-29"));   // 400-year rule
  EXPECT_FALSE(Date::parse("2017-13-01"));
  EXPECT_FALSE(Date::parse("2017-04-31"));
  EXPECT_FALSE(Date::parse("2017-1-05"));
  EXPECT_FALSE(Date::parse("12/06/2017"));
  EXPECT_FALSE(Date::parse(""));
  EXPECT_FALSE(Date::parse("2017-12-06 "));
  EXPECT_THROW(Date::parse_or_throw("2017-02-30", "--as-of"), Error);
}

TEST(Date, WeekdaysOfKnownDates) {
  EXPECT_EQ(Date::parse("1970-01-01")->weekday(), 4);  // Thursday
  EXPECT_EQ(Date::parse("2017-12-06")->weekday(), 3);  // Wednesday
  EXPECT_EQ(Date::parse("1987-10-19")->weekday(), 1);  // Black Monday
  EXPECT_TRUE(Date::parse("2024-06-01")->is_weekend());  // Saturday
}

TEST(Date, DayArithmetic) {
  const Date a = *Date::parse("2016-02-28");
  EXPECT_EQ(a.add_days(1).to_string(), "2016-02-29");
  EXPECT_EQ(a.add_days(2).to_string(), "2016-03-01");
  EXPECT_EQ(*Date::parse("2017-01-01") - *Date::parse("2016-01-01"), 366);
}

TEST(Date, MonthArithmeticClampsToMonthEnd) {
  EXPECT_EQ(Date::parse("2024-01-31")->add_months(1).to_string(), "2024-02-29");
  EXPECT_EQ(Date::parse("2023-01-31")->add_months(1).to_string(), "2023-02-28");
  EXPECT_EQ(Date::parse("2023-03-31")->add_months(-1).to_string(), "2023-02-28");
  EXPECT_EQ(Date::parse("2023-11-15")->add_months(3).to_string(), "2024-02-15");
  EXPECT_EQ(Date::parse("2024-02-29")->add_years(1).to_string(), "2025-02-28");
  EXPECT_EQ(Date::parse("2023-01-15")->add_months(-13).to_string(), "2021-12-15");
}

TEST(Date, EndOfMonthRuleKeepsMonthEnd) {
  // A month-end date stays at month end (as in bond schedules with the end-of-month rule).
  EXPECT_EQ(Date::parse("2023-02-28")->add_months(1, EndOfMonth::kKeep).to_string(), "2023-03-31");
  EXPECT_EQ(Date::parse("2023-02-28")->add_months(1).to_string(), "2023-03-28");
  EXPECT_EQ(Date::parse("2024-04-30")->add_months(2, EndOfMonth::kKeep).to_string(), "2024-06-30");
  EXPECT_EQ(Date::parse("2024-04-29")->add_months(2, EndOfMonth::kKeep).to_string(), "2024-06-29");
}

}  // namespace
}  // namespace keel

TEST(IsoUtc, UnixSecondsAsIso8601) {
  EXPECT_EQ(keel::iso_utc(0), "1970-01-01T00:00:00Z");
  // 2021-03-04 is day 18,690 since 1970-01-01; 06:00 adds 21,600 s: 18,690 x 86,400 + 21,600.
  EXPECT_EQ(keel::iso_utc(1614837600), "2021-03-04T06:00:00Z");
  EXPECT_EQ(keel::iso_utc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(keel::iso_utc(951782400), "2000-02-29T00:00:00Z");  // 11,016 days: a leap day
}
