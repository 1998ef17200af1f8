// Payment dates and accrual fractions of the kernel against QuantLib's Schedule and DayCounters
// (the oracle for calendars, Modified Following and DateGeneration::Backward).
#include <gtest/gtest.h>
#include <ql/time/calendars/target.hpp>
#include <ql/time/calendars/unitedstates.hpp>
#include <ql/time/daycounters/actual360.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>
#include <ql/time/daycounters/actualactual.hpp>
#include <ql/time/daycounters/thirty360.hpp>
#include <ql/time/schedule.hpp>

#include "keel/alm/irrbb.h"

namespace keel::alm {
namespace {

QuantLib::Date ql(Date d) { return QuantLib::Date(static_cast<QuantLib::Date::serial_type>(d.serial() + 25569)); }
Date from_ql(const QuantLib::Date& d) { return Date::from_serial(static_cast<std::int32_t>(d.serialNumber() - 25569)); }

struct Case {
  const char* start;
  const char* maturity;
  int months;
  const char* calendar;
  DayCount dc;
};

TEST(Schedule, MatchesQuantLibBackwardModifiedFollowing) {
  const Date as_of = Date::parse_or_throw("2021-01-04");
  const Case cases[] = {
      {"2019-01-31", "2029-01-31", 1, "EUR", DayCount::kAct360},
      {"2020-08-31", "2027-02-28", 3, "USD", DayCount::kThirty360},
      {"2018-05-15", "2031-11-15", 6, "USD", DayCount::kActActIsda},
      {"2020-03-29", "2024-03-29", 12, "EUR", DayCount::kAct365F},
      {"2020-12-24", "2022-12-24", 1, "USD", DayCount::kThirty360},
  };
  for (const Case& c : cases) {
    BalanceSheet book;
    PositionTerms t;
    t.notional = 1'000'000.0;
    t.rate = 0.05;
    t.start_date = Date::parse_or_throw(c.start);
    t.maturity_date = Date::parse_or_throw(c.maturity);
    t.first_reset_date = t.start_date;
    t.payment_months = static_cast<std::uint8_t>(c.months);
    t.day_count = c.dc;
    t.currency = book.intern_currency("USD");
    t.calendar = book.intern_calendar(c.calendar);
    book.add(t, "p", "loan", "", 0);
    AlmMarket m;
    m.curves["USD"] = ZeroCurve({1.0, 50.0}, {0.02, 0.02});
    m.shocks.rows = {{"USD", 200, 300, 150}};
    AlmOptions o;
    o.as_of = as_of;
    Scenario base;
    base.name = "base";
    const auto flows = project_cash_flows(book, 0, m, o, base);

    const QuantLib::Calendar cal = std::string(c.calendar) == "EUR"
                                       ? QuantLib::Calendar(QuantLib::TARGET())
                                       : QuantLib::Calendar(QuantLib::UnitedStates(QuantLib::UnitedStates::GovernmentBond));
    const QuantLib::Schedule s(ql(t.start_date), ql(t.maturity_date), QuantLib::Period(c.months, QuantLib::Months), cal,
                               QuantLib::ModifiedFollowing, QuantLib::ModifiedFollowing,
                               QuantLib::DateGeneration::Backward, false);
    QuantLib::DayCounter dc;
    switch (c.dc) {
      case DayCount::kAct365F: dc = QuantLib::Actual365Fixed(); break;
      case DayCount::kAct360: dc = QuantLib::Actual360(); break;
      case DayCount::kThirty360: dc = QuantLib::Thirty360(QuantLib::Thirty360::BondBasis); break;
      case DayCount::kActActIsda: dc = QuantLib::ActualActual(QuantLib::ActualActual::ISDA); break;
    }
    std::vector<std::pair<Date, double>> expected;  // payment date, accrual fraction
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (from_ql(s[i]) > as_of) expected.emplace_back(from_ql(s[i]), dc.yearFraction(s[i - 1], s[i]));
    }
    ASSERT_EQ(flows.size(), expected.size()) << c.start << " " << c.maturity;
    for (std::size_t k = 0; k < flows.size(); ++k) {
      EXPECT_EQ(flows[k].date, expected[k].first) << c.start << " k=" << k;
      EXPECT_NEAR(flows[k].interest, 1'000'000.0 * 0.05 * expected[k].second, 1e-7) << c.start << " k=" << k;
    }
    EXPECT_DOUBLE_EQ(flows.back().principal, 1'000'000.0);
  }
}

}  // namespace
}  // namespace keel::alm
