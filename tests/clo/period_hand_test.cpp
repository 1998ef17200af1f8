// One period of a small CLO worked by hand: interest collections (a floored loan, a fixed loan),
// the senior fees on the performing par, note interest, the IC and OC ratios with their numerators
// and denominators, the OC cure paid from interest and again from principal, reinvestment of the
// rest, and a loan in default at closing (outside the performing par, in the OC numerator at the
// lesser of recovery and price). Every expected number below comes from the arithmetic in the
// comments, not from the engine.
//
// The deal:
//   closing 2025-01-15; payment dates 2025-04-15 (90 days), 2025-07-15, 2025-10-15 (legal
//   maturity); reinvestment period to 2025-07-15 at price 100; reference rate flat 4%.
//   L1 50m floating, spread 3.5%, no floor                 -> 7.5% act/360
//   L2 30m floating, spread 4.0%, floor 4.5% (binds at 4%)  -> 8.5% act/360
//   L3 10m fixed 8% (30/360), maturing 2025-04-01           -> repaid on 2025-04-15
//   L4 20m, price 30, in default at closing
//   A 60m at 4% + 1.3% (IC trigger 1.20); B 15m at 4% + 2.5%, deferrable, A/B OC trigger 1.30;
//   Sub 25m equity.
//   Taxes/admin 100,000 a year, uncapped; senior fee 20 bp, sub fee 35 bp a year of the fee basis.
//   Scenario: no CDR, no CPR, recovery 40% after 6 months (two quarterly periods).
#include <gtest/gtest.h>

#include <cmath>

#include "keel/clo/projection.h"

namespace keel::clo {
namespace {

constexpr double kCent = 0.005;

Deal small_deal() {
  Deal d;
  d.name = "one period by hand";
  d.dates.closing = Date::from_ymd(2025, 1, 15);
  d.dates.first_payment = Date::from_ymd(2025, 4, 15);
  d.dates.reinvestment_end = Date::from_ymd(2025, 7, 15);
  d.dates.non_call_end = d.dates.closing;
  d.dates.legal_maturity = Date::from_ymd(2025, 10, 15);
  d.dates.payment_dates = {Date::from_ymd(2025, 4, 15), Date::from_ymd(2025, 7, 15),
                           Date::from_ymd(2025, 10, 15)};
  d.reference_dates = {d.dates.closing};
  d.reference_rates = {0.04};
  auto loan = [](const char* name, double par, double price) {
    Loan l;
    l.obligor = name;
    l.industry = name;
    l.par = par;
    l.price = price;
    l.rating = MoodysRating::kB2;
    l.maturity = Date::from_ymd(2030, 1, 15);
    return l;
  };
  Loan l1 = loan("L1", 50e6, 0.99);
  l1.spread = 0.035;
  Loan l2 = loan("L2", 30e6, 0.97);
  l2.spread = 0.040;
  l2.floor = 0.045;
  Loan l3 = loan("L3", 10e6, 1.00);
  l3.coupon_type = CouponType::kFixed;
  l3.coupon = 0.08;
  l3.maturity = Date::from_ymd(2025, 4, 1);
  Loan l4 = loan("L4", 20e6, 0.30);
  l4.spread = 0.05;
  l4.defaulted = true;
  d.collateral = {l1, l2, l3, l4};
  Tranche a;
  a.name = "A";
  a.balance = 60e6;
  a.spread = 0.013;
  a.ic_trigger = 1.20;
  Tranche b;
  b.name = "B";
  b.balance = 15e6;
  b.spread = 0.025;
  b.deferrable = true;
  b.oc_trigger = 1.30;
  Tranche e;
  e.name = "Sub";
  e.balance = 25e6;
  e.is_equity = true;
  d.tranches = {a, b, e};
  d.fees.taxes_admin.fixed_per_year = 100000;
  d.fees.senior_bps = 20;
  d.fees.sub_bps = 35;
  d.reinvestment.price = 1.0;
  return d;
}

const TestResult* find_test(const PeriodResult& p, const std::string& name) {
  for (const auto& t : p.tests) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

TEST(CloPeriodByHand, FirstPeriodWithALoanDefaultedAtClosing) {
  const CloModel model(small_deal());
  const ProjectionResult r = model.project(Scenario{0.0, 0.0, 0.40, 6});
  ASSERT_EQ(r.periods.size(), 3u);
  const PeriodResult& p = r.periods[0];

  // Defaulted at closing: L4 is not performing (no interest, no fee basis) and is not a default of
  // the period; it waits for its recovery, valued at 20m x min(40%, 0.30) = 6m in the OC numerator.
  EXPECT_NEAR(r.defaulted_at_closing, 20e6, kCent);
  EXPECT_NEAR(p.defaults, 0.0, kCent);
  EXPECT_NEAR(p.beginning_par, 90e6, kCent);  // L1 + L2 + L3: the fee basis
  EXPECT_NEAR(p.defaulted_par, 20e6, kCent);
  EXPECT_NEAR(p.defaulted_oc_value, 6e6, kCent);

  // Interest collections, 90 days (act/360 = 0.25; 30/360 from Jan 15 to Apr 15 = 90/360 too):
  //   L1 50m x (4% + 3.5%) x 0.25                = 937,500
  //   L2 30m x (max(4%, 4.5%) + 4.0%) x 0.25     = 637,500
  //   L3 10m x 8% x 0.25                          = 200,000
  //   total                                      = 1,775,000
  EXPECT_NEAR(p.interest_collections, 1775000.0, kCent);
  // Principal collections: L3's bullet, 10m.
  EXPECT_NEAR(p.scheduled_principal, 10e6, kCent);
  EXPECT_NEAR(p.principal_collections, 10e6, kCent);

  // Interest waterfall.
  //   taxes/admin 100,000 x 0.25 = 25,000; senior fee 90m x 0.20% x 0.25 = 45,000
  //   (on 110m, with the defaulted loan, it would have been 55,000).
  EXPECT_NEAR(p.taxes_admin_paid, 25000.0, kCent);
  EXPECT_NEAR(p.senior_fee_paid, 45000.0, kCent);
  //   A interest 60m x 5.3% x 0.25 = 795,000.
  EXPECT_NEAR(p.tranches[0].interest_due, 795000.0, kCent);
  EXPECT_NEAR(p.tranches[0].interest_paid, 795000.0, kCent);
  //   A IC = (1,775,000 - 25,000 - 45,000) / 795,000 = 1,705,000 / 795,000 = 2.14465 >= 1.20.
  ASSERT_NE(find_test(p, "A IC"), nullptr);
  EXPECT_NEAR(find_test(p, "A IC")->value, 1705000.0 / 795000.0, 1e-12);
  EXPECT_TRUE(find_test(p, "A IC")->pass);
  //   B interest 15m x 6.5% x 0.25 = 243,750, paid in full (left: 1,705,000 - 795,000 = 910,000).
  EXPECT_NEAR(p.tranches[1].interest_due, 243750.0, kCent);
  EXPECT_NEAR(p.tranches[1].interest_paid, 243750.0, kCent);
  EXPECT_NEAR(p.tranches[1].interest_deferred, 0.0, kCent);
  //   A/B OC numerator (ACPA) = performing par after the period's repayments 80m + principal cash
  //   10m + defaulted 6m = 96m; denominator A + B = 75m; ratio 1.28 < 1.30: fails.
  EXPECT_NEAR(p.adjusted_collateral_par, 96e6, kCent);
  ASSERT_NE(find_test(p, "B OC"), nullptr);
  EXPECT_NEAR(find_test(p, "B OC")->value, 96.0 / 75.0, 1e-12);
  EXPECT_FALSE(find_test(p, "B OC")->pass);
  //   Cure from interest: repay 75m - 96m / 1.30 = 1,153,846.15 of A; only 910,000 - 243,750
  //   = 666,250 is left, all of it pays A. Sub fee (90m x 0.35% x 0.25 = 78,750) and the
  //   equity get nothing.
  EXPECT_NEAR(p.interest_diverted, 666250.0, kCent);
  EXPECT_NEAR(p.sub_fee_paid, 0.0, kCent);
  EXPECT_NEAR(p.tranches[2].interest_paid, 0.0, kCent);

  // Principal waterfall on the 10m of principal cash.
  //   Coverage cure of B: ACPA still 96m (the cash is in it); A + B = 60m - 666,250 + 15m =
  //   74,333,750; 96m / 74,333,750 = 1.29148 < 1.30. Paying X of cash to A takes X out of both:
  //   (96m - X) / (74,333,750 - X) = 1.30 -> X = (1.30 x 74,333,750 - 96m) / 0.30
  //   = 633,875 / 0.30 = 2,112,916.67.
  const double cure = (1.30 * 74333750.0 - 96e6) / 0.30;
  EXPECT_NEAR(cure, 2112916.67, 0.01);
  EXPECT_NEAR(p.tranches[0].principal_paid, 666250.0 + cure, kCent);
  //   Reinvestment period: the rest, 10m - 2,112,916.67 = 7,887,083.33, buys collateral at 100.
  EXPECT_NEAR(p.reinvested, 10e6 - cure, kCent);
  EXPECT_NEAR(p.ending_par, 80e6 + 10e6 - cure, kCent);
  EXPECT_NEAR(p.tranches[1].principal_paid, 0.0, kCent);
  EXPECT_NEAR(p.tranches[0].balance, 60e6 - 666250.0 - cure, kCent);  // 57,220,833.33
  EXPECT_NEAR(p.tranches[1].balance, 15e6, kCent);

  // Conservation: 1,775,000 + 10,000,000 = 25,000 + 45,000 + 795,000 + 243,750 + 666,250
  // + 2,112,916.67 + 7,887,083.33.
  EXPECT_NEAR(p.unallocated(), 0.0, kCent);

  // L4 recovers 40% x 20m = 8m two periods after closing, on the third payment date; until then
  // it stays in the OC numerator at 6m.
  EXPECT_NEAR(r.periods[1].recoveries, 0.0, kCent);
  EXPECT_NEAR(r.periods[1].defaulted_oc_value, 6e6, kCent);
  EXPECT_NEAR(r.periods[2].recoveries, 8e6, kCent);
  EXPECT_NEAR(r.periods[2].defaulted_par, 0.0, kCent);
  EXPECT_NEAR(r.total_defaults, 0.0, kCent);
  EXPECT_NEAR(r.total_recoveries, 8e6, kCent);
}

}  // namespace
}  // namespace keel::clo
