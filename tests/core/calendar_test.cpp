// keel's holiday calendars (keel/core/calendar.h) against QuantLib's, every day of 1901-2199, and
// two years of US holidays written out by hand from the published schedules.
#include "keel/core/calendar.h"

#include <gtest/gtest.h>

#include <ql/time/calendars/all.hpp>

namespace keel {
namespace {

QuantLib::Date to_quantlib(Date d) {
  // keel serial 0 = 1970-01-01 = QuantLib serial 25569.
  return QuantLib::Date(static_cast<QuantLib::Date::serial_type>(d.serial() + 25569));
}

void expect_same_days(const std::string& name, const QuantLib::Calendar& reference) {
  const BusinessCalendar* cal = BusinessCalendar::find(name);
  ASSERT_NE(cal, nullptr) << name;
  int differences = 0;
  for (Date d = Date::from_ymd(1901, 1, 1); d <= Date::from_ymd(2199, 12, 31); d = Date::from_serial(d.serial() + 1)) {
    if (cal->is_business_day(d) != reference.isBusinessDay(to_quantlib(d)) && ++differences <= 3) {
      ADD_FAILURE() << name << " differs from QuantLib's " << reference.name() << " on " << d.to_string();
    }
  }
  EXPECT_EQ(differences, 0) << name;
}

TEST(BusinessCalendar, EveryCalendarIsQuantLibsDayByDay) {
  using namespace QuantLib;
  expect_same_days("USD", UnitedStates(UnitedStates::GovernmentBond));
  expect_same_days("NYSE", UnitedStates(UnitedStates::NYSE));
  expect_same_days("EUR", TARGET());
  expect_same_days("TARGET", TARGET());
  expect_same_days("GBP", UnitedKingdom(UnitedKingdom::Settlement));
  expect_same_days("JPY", Japan());
  expect_same_days("CHF", Switzerland());
  expect_same_days("CAD", Canada());
  expect_same_days("AUD", Australia());
  expect_same_days("SEK", Sweden());
  expect_same_days("DKK", Denmark());
  expect_same_days("CZK", CzechRepublic());
  expect_same_days("HUF", Hungary());
  expect_same_days("PLN", Poland());
  expect_same_days("RON", Romania());
  expect_same_days("RUB", Russia());
  expect_same_days("TRY", Turkey());
  expect_same_days("ZAR", SouthAfrica());
  expect_same_days("CNY", China());
  expect_same_days("HKD", HongKong());
  expect_same_days("SGD", Singapore());
  expect_same_days("KRW", SouthKorea());
  expect_same_days("INR", India());
  expect_same_days("IDR", Indonesia());
  expect_same_days("MXN", Mexico());
  expect_same_days("BRL", Brazil());
  expect_same_days("ARS", Argentina());
  expect_same_days("SAR", SaudiArabia());
  expect_same_days("NOK", Norway());
  expect_same_days("NZD", NewZealand());
  expect_same_days("BGN", WeekendsOnly());
  expect_same_days("weekends", WeekendsOnly());
  expect_same_days("none", NullCalendar());
  EXPECT_EQ(BusinessCalendar::names().size(), 33u);
}

// The weekday holidays of 2020, as SIFMA (bond market) and NYSE published them.
TEST(BusinessCalendar, UsHolidaysOf2020ByHand) {
  const auto holidays = [](const std::string& name) {
    std::vector<std::string> out;
    const BusinessCalendar* cal = BusinessCalendar::find(name);
    for (Date d = Date::from_ymd(2020, 1, 1); d <= Date::from_ymd(2020, 12, 31); d = Date::from_serial(d.serial() + 1)) {
      if (!d.is_weekend() && !cal->is_business_day(d)) out.push_back(d.to_string());
    }
    return out;
  };
  // New Year, Martin Luther King, Presidents, Good Friday, Memorial, Independence (observed on
  // Friday the 3rd), Labor, Columbus, Veterans, Thanksgiving, Christmas.
  EXPECT_EQ(holidays("USD"), (std::vector<std::string>{"2020-01-01", "2020-01-20", "2020-02-17", "2020-04-10",
                                                        "2020-05-25", "2020-07-03", "2020-09-07", "2020-10-12",
                                                        "2020-11-11", "2020-11-26", "2020-12-25"}));
  // The exchange keeps Columbus and Veterans Day open.
  EXPECT_EQ(holidays("NYSE"), (std::vector<std::string>{"2020-01-01", "2020-01-20", "2020-02-17", "2020-04-10",
                                                         "2020-05-25", "2020-07-03", "2020-09-07", "2020-11-26",
                                                         "2020-12-25"}));
}

TEST(BusinessCalendar, UnknownNamesAndDaysOutsideTheTables) {
  EXPECT_EQ(BusinessCalendar::find("XXX"), nullptr);
  EXPECT_EQ(BusinessCalendar::find("usd"), nullptr);  // names are case-sensitive
  const BusinessCalendar* usd = BusinessCalendar::find("USD");
  ASSERT_NE(usd, nullptr);
  EXPECT_EQ(BusinessCalendar::find("USD"), usd);  // built once
  // Outside 1901-2199: Monday to Friday. 2200-01-01 is a Wednesday, 2200-01-04 a Saturday.
  EXPECT_TRUE(usd->is_business_day(Date::from_ymd(2200, 1, 1)));
  EXPECT_FALSE(usd->is_business_day(Date::from_ymd(2200, 1, 4)));
  EXPECT_TRUE(BusinessCalendar::find("none")->is_business_day(Date::from_ymd(2020, 12, 25)));
  EXPECT_FALSE(BusinessCalendar::find("weekends")->is_business_day(Date::from_ymd(2020, 12, 26)));
  EXPECT_TRUE(BusinessCalendar::find("weekends")->is_business_day(Date::from_ymd(2020, 12, 25)));
}

}  // namespace
}  // namespace keel
