// EVE, NII and repricing gap of small books against closed forms and hand calculations.
#include "keel/alm/irrbb.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>

#include "keel/core/error.h"

namespace keel::alm {
namespace {

Date d(const char* s) { return Date::parse_or_throw(s); }

ShockTable usd_eur_table() {
  ShockTable t;
  t.rows = {{"USD", 200, 300, 150}, {"EUR", 200, 250, 100}};
  t.source = "test table";
  return t;
}

struct Book {
  BalanceSheet sheet;
  PositionTerms base(const char* start, const char* maturity) {
    PositionTerms t;
    t.notional = 1'000'000.0;
    t.start_date = d(start);
    t.maturity_date = d(maturity);
    t.first_reset_date = t.start_date;
    t.currency = sheet.intern_currency("USD");
    t.calendar = sheet.intern_calendar("none");
    return t;
  }
  void add(const PositionTerms& t, const char* id) { sheet.add(t, id, "loan", "", sheet.size() + 2); }
};

AlmMarket flat_market(double zero, const char* ccy = "USD") {
  AlmMarket m;
  m.curves[ccy] = ZeroCurve({0.25, 50.0}, {zero, zero});
  m.shocks = usd_eur_table();
  return m;
}

AlmOptions options(const char* as_of) {
  AlmOptions o;
  o.as_of = d(as_of);
  return o;
}

double years(Date from, Date to) { return (to - from) / 365.0; }

TEST(Eve, FixedBulletMatchesClosedFormDiscounting) {
  Book b;
  PositionTerms t = b.base("2020-06-15", "2025-06-15");
  t.rate = 0.04;
  t.payment_months = 12;
  t.day_count = DayCount::kThirty360;  // coupon = 4% of notional exactly
  b.add(t, "bond");
  const AlmOptions o = options("2021-01-04");
  const double z = 0.03;
  const AlmResult r = run_irrbb(b.sheet, flat_market(z), o);
  // Closed form: sum of 40,000 at each 15 June 2021..2025 and 1,000,000 on 2025-06-15,
  // discounted at exp(-z t), t = days / 365.
  double pv = 0.0;
  for (const char* p : {"2021-06-15", "2022-06-15", "2023-06-15", "2024-06-15", "2025-06-15"}) {
    pv += 40'000.0 * std::exp(-z * years(o.as_of, d(p)));
  }
  pv += 1'000'000.0 * std::exp(-z * years(o.as_of, d("2025-06-15")));
  EXPECT_NEAR(r.eve_base.eve, pv, 1e-6);
  // Parallel up +200bp (no floor binding): same flows at 5%.
  double pv_up = 0.0;
  for (const char* p : {"2021-06-15", "2022-06-15", "2023-06-15", "2024-06-15", "2025-06-15"}) {
    pv_up += 40'000.0 * std::exp(-0.05 * years(o.as_of, d(p)));
  }
  pv_up += 1'000'000.0 * std::exp(-0.05 * years(o.as_of, d("2025-06-15")));
  ASSERT_EQ(r.eve[0].name, "parallel_up");
  EXPECT_NEAR(r.eve[0].eve, pv_up, 1e-6);
  EXPECT_NEAR(r.eve[0].delta, pv_up - pv, 1e-6);
  EXPECT_EQ(r.eve_worst, "parallel_up");
}

TEST(Eve, AnnuityMatchesLevelPaymentClosedForm) {
  Book b;
  PositionTerms t = b.base("2021-01-15", "2026-01-15");
  t.rate = 0.06;
  t.payment_months = 1;
  t.amortization = Amortization::kAnnuity;
  t.day_count = DayCount::kThirty360;  // each month accrues 1/12 exactly
  b.add(t, "mortgage");
  const AlmOptions o = options("2021-01-15");
  const double z = 0.025;
  const AlmResult r = run_irrbb(b.sheet, flat_market(z), o);
  // Level payment A = N i / (1 - (1+i)^-60), i = 0.5% a month; PV = A sum exp(-z t_k).
  const double i = 0.005;
  const double level = 1'000'000.0 * i / (1.0 - std::pow(1.0 + i, -60.0));
  double pv = 0.0;
  for (int k = 1; k <= 60; ++k) pv += level * std::exp(-z * years(o.as_of, o.as_of.add_months(k)));
  EXPECT_NEAR(r.eve_base.eve, pv, 1e-5);
  EXPECT_NEAR(level, 19'332.80, 0.01);  // the textbook figure for 1,000,000 at 6% over 5 years
}

TEST(Eve, FloatingRateNoteIsWorthParAtTheNextReset) {
  Book b;
  PositionTerms t = b.base("2020-11-16", "2025-11-16");
  t.rate_type = RateType::kFloating;
  t.rate = 0.02;  // fixed at the last reset, 2020-11-16
  t.reset_months = 3;
  t.payment_months = 3;
  t.day_count = DayCount::kAct365F;
  b.add(t, "frn");
  const AlmOptions o = options("2021-01-04");
  AlmMarket m;
  m.curves["USD"] = ZeroCurve({0.5, 5.0, 10.0}, {0.01, 0.03, 0.035});
  m.shocks = usd_eur_table();
  const AlmResult r = run_irrbb(b.sheet, m, o);
  // Value = DF(next reset) * (notional + current coupon), the next reset being 2021-02-16.
  const double t1 = years(o.as_of, d("2021-02-16"));
  const double coupon = 1'000'000.0 * 0.02 * (d("2021-02-16") - d("2020-11-16")) / 365.0;
  const double z1 = m.curves["USD"].zero(t1);
  EXPECT_NEAR(r.eve_base.eve, (1'000'000.0 + coupon) * std::exp(-z1 * t1), 1e-4);
  // Under parallel up only the discounting to the next reset changes.
  EXPECT_NEAR(r.eve[0].eve, (1'000'000.0 + coupon) * std::exp(-(z1 + 0.02) * t1), 1e-4);
}

TEST(Eve, FloorBindsInALowRateCurve) {
  Book b;
  PositionTerms t = b.base("2020-01-02", "2031-01-02");
  t.rate = 0.0;
  t.payment_months = 0;  // one payment at maturity
  b.add(t, "zero");
  const AlmOptions o = options("2021-01-04");
  const AlmResult r = run_irrbb(b.sheet, flat_market(0.001), o);
  // Parallel down: 0.1% - 2% = -1.9% is below the floor -1.5% + 0.03% x T, so the floor binds.
  const double T = years(o.as_of, d("2031-01-02"));
  const double floor_rate = -0.015 + 0.0003 * T;
  ASSERT_EQ(r.eve[1].name, "parallel_down");
  EXPECT_NEAR(r.eve[1].eve, 1'000'000.0 * std::exp(-floor_rate * T), 1e-6);
  AlmOptions no_floor = o;
  no_floor.apply_floor = false;
  const AlmResult r2 = run_irrbb(b.sheet, flat_market(0.001), no_floor);
  EXPECT_NEAR(r2.eve[1].eve, 1'000'000.0 * std::exp(0.019 * T), 1e-6);
}

TEST(Nii, OnePositionByHand) {
  Book b;
  PositionTerms t = b.base("2020-07-01", "2021-07-01");
  t.rate = 0.05;
  t.payment_months = 12;
  b.add(t, "loan");
  AlmOptions o = options("2021-01-01");
  o.tier1 = 100'000.0;
  const AlmResult r = run_irrbb(b.sheet, flat_market(0.02), o);
  // Base: 181 days to maturity at 5% plus 184 days renewed at 5% (margin 3% over a flat 2%):
  // 1e6 x 5% x 365/365 = 50,000.
  EXPECT_NEAR(r.nii_base.nii, 50'000.0, 1e-6);
  // January: 1e6 x 0.05 x 31/365 = 4,246.575.
  EXPECT_NEAR(r.nii_base.monthly[0], 4'246.5753, 1e-4);
  // Up 200bp: 24,794.52 + 1e6 x 7% x 184/365 = 24,794.52 + 35,287.67 = 60,082.19.
  ASSERT_EQ(r.nii[0].name, "parallel_up");
  EXPECT_NEAR(r.nii[0].nii, 1e6 * 0.05 * 181 / 365 + 1e6 * 0.07 * 184 / 365, 1e-6);
  EXPECT_NEAR(r.nii[0].monthly[6], 1e6 * 0.07 * 31 / 365, 1e-6);  // July 2021
  // Down 200bp: renewal at 3%.
  EXPECT_NEAR(r.nii[1].nii, 1e6 * 0.05 * 181 / 365 + 1e6 * 0.03 * 184 / 365, 1e-6);
  EXPECT_EQ(r.nii_worst, "parallel_down");
  EXPECT_NEAR(r.nii_worst_delta, -1e6 * 0.02 * 184 / 365, 1e-6);
  ASSERT_TRUE(r.nii_test.ratio.has_value());
  EXPECT_NEAR(*r.nii_test.ratio, 1e6 * 0.02 * 184 / 365 / 100'000.0, 1e-9);
  EXPECT_TRUE(*r.nii_test.outlier);  // 10.1% of Tier 1 > 5%
  double sum = 0.0;
  for (double m : r.nii_base.monthly) sum += m;
  EXPECT_NEAR(sum, r.nii_base.nii, 1e-6);
}

// Calendar months: the same position as OnePositionByHand, valued on 2021-01-15. Anniversary
// periods run 01-15 to 02-15, ...; calendar ones 01-15 to 02-01 (a 17-day stub), February ... December,
// then 2022-01-01 to 01-15 (14 days): 13 periods, the same horizon and the same NII.
TEST(Nii, CalendarMonthsSplitTheSameHorizonAtMonthEnds) {
  Book b;
  PositionTerms t = b.base("2020-07-01", "2021-07-01");
  t.rate = 0.05;
  t.payment_months = 12;
  b.add(t, "loan");
  AlmOptions o = options("2021-01-15");
  const AlmResult anniversary = run_irrbb(b.sheet, flat_market(0.02), o);
  o.nii_calendar_months = true;
  const AlmResult calendar = run_irrbb(b.sheet, flat_market(0.02), o);

  const auto bounds = nii_period_bounds(o);
  ASSERT_EQ(bounds.size(), 14u);
  EXPECT_EQ(bounds[0], d("2021-01-15"));
  EXPECT_EQ(bounds[1], d("2021-02-01"));
  EXPECT_EQ(bounds[12], d("2022-01-01"));
  EXPECT_EQ(bounds[13], d("2022-01-15"));
  ASSERT_EQ(calendar.nii_base.monthly.size(), 13u);
  ASSERT_EQ(anniversary.nii_base.monthly.size(), 12u);
  EXPECT_EQ(calendar.nii_month_starts[1], d("2021-02-01"));
  EXPECT_EQ(calendar.nii_horizon_end, d("2022-01-15"));
  // The stubs: 1e6 x 5% x 17/365 = 2,328.767 and, renewed at 5%, 1e6 x 5% x 14/365 = 1,917.808.
  EXPECT_NEAR(calendar.nii_base.monthly[0], 1e6 * 0.05 * 17 / 365, 1e-6);
  EXPECT_NEAR(calendar.nii_base.monthly[12], 1e6 * 0.05 * 14 / 365, 1e-6);
  // February 2021, a whole month: 28 days.
  EXPECT_NEAR(calendar.nii_base.monthly[1], 1e6 * 0.05 * 28 / 365, 1e-6);
  // July under +200bp: the renewal on 07-01 at 7% for all 31 days.
  EXPECT_NEAR(calendar.nii[0].monthly[6], 1e6 * 0.07 * 31 / 365, 1e-6);
  // The same horizon, the same NII in every scenario (act/365 adds up over any split).
  EXPECT_NEAR(calendar.nii_base.nii, anniversary.nii_base.nii, 1e-6);
  for (std::size_t s = 0; s < calendar.nii.size(); ++s) EXPECT_NEAR(calendar.nii[s].nii, anniversary.nii[s].nii, 1e-6);
  double sum = 0.0;
  for (double m : calendar.nii_base.monthly) sum += m;
  EXPECT_NEAR(sum, calendar.nii_base.nii, 1e-6);

  // An as-of date on a 1st: calendar months are the anniversary ones. The longest horizon fits.
  o.as_of = d("2021-02-01");
  EXPECT_EQ(nii_period_bounds(o).size(), 13u);
  o.as_of = d("2021-01-15");
  o.nii_horizon_months = 60;
  EXPECT_EQ(run_irrbb(b.sheet, flat_market(0.02), o).nii_base.monthly.size(), 61u);
}

TEST(Nii, ConstantBalanceSheetRenewsEveryRepayment) {
  // A 2-year linear loan repaying 1/24 a month. Base: every repayment is renewed at the same 5%
  // (margin over a flat curve kept), so the balance earns 5% all year: 1e6 x 5% = 50,000.
  Book b;
  PositionTerms t = b.base("2021-01-01", "2023-01-01");
  t.rate = 0.05;
  t.payment_months = 1;
  t.amortization = Amortization::kLinear;
  b.add(t, "loan");
  const AlmOptions o = options("2021-01-01");
  const AlmResult r = run_irrbb(b.sheet, flat_market(0.02), o);
  EXPECT_NEAR(r.nii_base.nii, 50'000.0, 1e-6);
  // Up 200bp: each repayment k (1e6/24 on 2021-01-01 + k months) earns 2% more until 2022-01-01.
  const Date end = d("2022-01-01");
  double extra = 0.0;
  for (int k = 1; k <= 12; ++k) extra += 1e6 / 24.0 * 0.02 * (end - o.as_of.add_months(k)) / 365.0;
  EXPECT_NEAR(r.nii[0].nii, 50'000.0 + extra, 1e-6);
}

TEST(Nii, FloatingResetsMoreOftenThanPaymentsIsExactPerMonth) {
  // Monthly resets, one payment a year: each month earns the forward of its own reset period.
  Book b;
  PositionTerms t = b.base("2021-01-01", "2023-01-01");
  t.rate_type = RateType::kFloating;
  t.rate = 0.01;
  t.spread = 0.005;
  t.reset_months = 1;
  t.payment_months = 12;
  t.side = Side::kLiability;
  b.add(t, "deposit");
  const AlmOptions o = options("2021-01-01");
  const double z = 0.02;
  const AlmResult r = run_irrbb(b.sheet, flat_market(z), o);
  // Month 1: current rate 1%. Month m >= 2: forward over the month on a flat continuous curve,
  // (exp(z tau) - 1) / tau with tau = days/365, plus 0.5%. Liability -> negative NII.
  Date s = o.as_of;
  for (int m = 0; m < 12; ++m) {
    const Date e = o.as_of.add_months(m + 1);
    const double tau = (e - s) / 365.0;
    const double c = m == 0 ? 0.01 : (std::exp(z * tau) - 1.0) / tau + 0.005;
    EXPECT_NEAR(r.nii_base.monthly[static_cast<std::size_t>(m)], -1e6 * c * tau, 1e-6) << m;
    s = e;
  }
}

TEST(Gap, FixedAtRepaymentFloatingAtNextReset) {
  Book b;
  PositionTerms fixed = b.base("2020-01-15", "2023-07-15");
  fixed.rate = 0.03;
  fixed.payment_months = 12;
  b.add(fixed, "fixed");  // principal 1e6 in 2Y-3Y (2.53 years)
  PositionTerms flt = b.base("2020-12-01", "2030-12-01");
  flt.rate_type = RateType::kFloating;
  flt.rate = 0.01;
  flt.reset_months = 3;
  flt.payment_months = 3;
  b.add(flt, "float");  // reprices 2021-03-01: 1M-3M bucket
  PositionTerms dep = b.base("2020-01-01", "2021-01-06");
  dep.side = Side::kLiability;
  dep.notional = 500'000.0;
  dep.payment_months = 0;
  b.add(dep, "deposit");  // 2 days: O/N-1M
  const AlmResult r = run_irrbb(b.sheet, flat_market(0.01), options("2021-01-04"));
  EXPECT_DOUBLE_EQ(r.gap[8].assets, 1e6);        // 2Y-3Y
  EXPECT_DOUBLE_EQ(r.gap[2].assets, 1e6);        // 1M-3M
  EXPECT_DOUBLE_EQ(r.gap[1].liabilities, 5e5);   // O/N-1M
  EXPECT_DOUBLE_EQ(r.gap[1].gap, -5e5);
  EXPECT_DOUBLE_EQ(r.gap[18].cumulative_gap, 1.5e6);
}

TEST(Eve, CurrenciesAggregateLossesInFullGainsAtHalf) {
  Book b;
  PositionTerms usd = b.base("2020-01-02", "2030-01-02");
  usd.rate = 0.02;
  b.add(usd, "usd-bond");  // long fixed asset: loses when rates rise
  PositionTerms eur = b.base("2020-01-02", "2030-01-02");
  eur.currency = b.sheet.intern_currency("EUR");
  eur.side = Side::kLiability;
  eur.rate = 0.01;
  b.add(eur, "eur-deposit");  // long fixed liability: gains when rates rise
  AlmMarket m = flat_market(0.02);
  m.curves["EUR"] = ZeroCurve({0.25, 50.0}, {0.0, 0.0});
  AlmOptions o = options("2021-01-04");
  o.fx_rates["EUR"] = 1.2;
  const AlmResult r = run_irrbb(b.sheet, m, o);
  ASSERT_EQ(r.currencies.size(), 2u);
  const double du = r.currencies[0].eve[0].delta;  // USD parallel up: loss
  const double de = r.currencies[1].eve[0].delta;  // EUR parallel up: gain
  ASSERT_LT(du, 0.0);
  ASSERT_GT(de, 0.0);
  EXPECT_NEAR(r.eve[0].delta_regulatory, du + 0.5 * 1.2 * de, 1e-6);
  EXPECT_NEAR(r.eve[0].delta, du + 1.2 * de, 1e-6);
  EXPECT_NEAR(r.eve_base.eve, r.currencies[0].eve_base.eve + 1.2 * r.currencies[1].eve_base.eve, 1e-6);
}

TEST(Eve, ResultsDoNotDependOnThreadCount) {
  Book b;
  for (int i = 0; i < 5000; ++i) {
    PositionTerms t = b.base("2019-03-10", "2029-03-10");
    t.notional = 1000.0 + i;
    t.rate = 0.01 + 0.00001 * i;
    t.maturity_date = t.maturity_date.add_days(i % 700);
    t.payment_months = (i % 3 == 0) ? 1 : 6;
    t.amortization = static_cast<Amortization>(i % 3);
    t.rate_type = (i % 4 == 0) ? RateType::kFloating : RateType::kFixed;
    t.side = (i % 5 == 0) ? Side::kLiability : Side::kAsset;
    b.add(t, "p");
  }
  const AlmOptions o = options("2021-01-04");
  AlmResult one, two;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = run_irrbb(b.sheet, flat_market(0.015), o);
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    two = run_irrbb(b.sheet, flat_market(0.015), o);
  }
  EXPECT_EQ(one.eve_base.eve, two.eve_base.eve);
  EXPECT_EQ(one.eve[3].eve, two.eve[3].eve);
  EXPECT_EQ(one.nii[1].nii, two.nii[1].nii);
}

TEST(Validate, BadPositionsAreNamedWithTheirRow) {
  Book b;
  PositionTerms before = b.base("2022-01-01", "2021-06-01");
  b.add(before, "L-1");
  PositionTerms negative = b.base("2020-01-01", "2025-01-01");
  negative.notional = -5.0;
  b.add(negative, "L-2");
  PositionTerms gbp = b.base("2020-01-01", "2025-01-01");
  gbp.currency = b.sheet.intern_currency("XYZ");
  b.add(gbp, "L-3");
  PositionTerms too_long = b.base("2020-01-01", "2060-01-01");
  b.add(too_long, "L-4");
  b.sheet.source = "bs.csv";
  AlmMarket m;
  m.curves["USD"] = ZeroCurve({0.25, 10.0}, {0.01, 0.02});
  m.curves["XYZ"] = ZeroCurve({0.25, 10.0}, {0.01, 0.02});
  m.shocks = usd_eur_table();
  AlmOptions o = options("2021-01-04");
  o.fx_rates["XYZ"] = 1.0;
  try {
    (void)run_irrbb(b.sheet, m, o);
    FAIL() << "expected invalid input";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    std::string all;
    for (const auto& s : e.details()) all += s + "\n";
    EXPECT_NE(all.find("bs.csv:2 (id L-1): maturity_date 2021-06-01 is not after start_date 2022-01-01"), std::string::npos) << all;
    EXPECT_NE(all.find("bs.csv:3 (id L-2): notional must be a positive amount"), std::string::npos) << all;
    EXPECT_NE(all.find("currency XYZ: no shock sizes in test table (needed by 1 position, first bs.csv:4 (id L-3))"), std::string::npos) << all;
    EXPECT_NE(all.find("bs.csv:5 (id L-4): cash flows run to"), std::string::npos) << all;
    EXPECT_NE(all.find("curve ends at 10.00 years"), std::string::npos) << all;
  }
}

}  // namespace
}  // namespace keel::alm
