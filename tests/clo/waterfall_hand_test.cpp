// A three-loan, two-note CLO worked by hand over four quarterly periods: interest and principal
// to each class, the class A OC test failing after a default and curing by interest diversion,
// the deferrable class B capitalising (PIK) the interest it cannot be paid, the liquidation at
// legal maturity and conservation of cash every period.
//
// The deal (all hand arithmetic below uses only the numbers written here):
//   closing 2025-01-15; payment dates 2025-04-15 (90 days), 2025-07-15 (91), 2025-10-15 (92),
//   2026-01-15 (92, legal maturity); no reinvestment period; reference rate flat 5%.
//   L1 40m, spread 4.0%, price 0.99;  L2 30m, spread 4.5%, price 0.95;  L3 30m, spread 5.0%, price 0.97
//   (all bullets maturing 2030, so L1 and L3 are sold at their prices on 2026-01-15).
//   A 70m at 5% + 1.5%, OC trigger 1.175, IC trigger 1.10; B 20m at 5% + 3%, deferrable,
//   OC trigger 1.05; Sub 10m equity.
//   Taxes/admin 200,000 a year capped at 100,000 a year; senior fee 15 bp, sub fee 35 bp of the
//   collateral par at the start of the period; incentive fee 20% over a 12% hurdle.
//   Scenario: no CDR/CPR; L2 defaults at the start of period 2; recovery 40% after 6 months
//   (two quarters, so in period 4).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "keel/clo/projection.h"

namespace keel::clo {
namespace {

constexpr double kCent = 0.005;

Deal hand_deal() {
  Deal d;
  d.name = "hand";
  d.dates.closing = Date::from_ymd(2025, 1, 15);
  d.dates.first_payment = Date::from_ymd(2025, 4, 15);
  d.dates.reinvestment_end = d.dates.closing;
  d.dates.non_call_end = d.dates.closing;
  d.dates.legal_maturity = Date::from_ymd(2026, 1, 15);
  d.dates.payment_dates = {Date::from_ymd(2025, 4, 15), Date::from_ymd(2025, 7, 15), Date::from_ymd(2025, 10, 15),
                           Date::from_ymd(2026, 1, 15)};
  d.reference_dates = {d.dates.closing};
  d.reference_rates = {0.05};
  d.target_par = 100e6;
  auto loan = [](const char* name, double par, double spread, double price, MoodysRating r) {
    Loan l;
    l.obligor = name;
    l.industry = name;
    l.par = par;
    l.spread = spread;
    l.price = price;
    l.rating = r;
    l.maturity = Date::from_ymd(2030, 1, 15);
    return l;
  };
  d.collateral = {loan("L1", 40e6, 0.040, 0.99, MoodysRating::kB2), loan("L2", 30e6, 0.045, 0.95, MoodysRating::kB3),
                  loan("L3", 30e6, 0.050, 0.97, MoodysRating::kB1)};
  Tranche a;
  a.name = "A";
  a.balance = 70e6;
  a.spread = 0.015;
  a.oc_trigger = 1.175;
  a.ic_trigger = 1.10;
  Tranche b;
  b.name = "B";
  b.balance = 20e6;
  b.spread = 0.03;
  b.deferrable = true;
  b.oc_trigger = 1.05;
  Tranche e;
  e.name = "Sub";
  e.balance = 10e6;
  e.is_equity = true;
  d.tranches = {a, b, e};
  d.fees.taxes_admin.fixed_per_year = 200000;
  d.fees.taxes_admin.cap_per_year = 100000;
  d.fees.senior_bps = 15;
  d.fees.sub_bps = 35;
  d.fees.incentive.share = 0.20;
  d.fees.incentive.hurdle_irr = 0.12;
  return d;
}

const TestResult* find_test(const PeriodResult& p, const std::string& name) {
  for (const auto& t : p.tests) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

TEST(CloHandWaterfall, FourPeriodsByHand) {
  const CloModel model(hand_deal());
  ASSERT_EQ(model.periods(), 4);
  Scenario sc{0.0, 0.0, 0.40, 6};
  const std::vector<int> defaults{kNeverDefaults, 1, kNeverDefaults};
  const ProjectionResult r = model.project(sc, {}, defaults);
  ASSERT_EQ(r.periods.size(), 4u);

  // ---- Period 1: 90 days, everything paid, residual to the equity.
  const PeriodResult& p1 = r.periods[0];
  const double i1 = (40e6 * 0.09 + 30e6 * 0.095 + 30e6 * 0.10) * 90 / 360;  // 2,362,500
  EXPECT_NEAR(p1.interest_collections, 2362500.0, kCent);
  EXPECT_NEAR(i1, 2362500.0, 1e-6);
  EXPECT_NEAR(p1.taxes_admin_paid, 25000.0, kCent);  // 50,000 due, capped at 100,000 x 90/360
  EXPECT_NEAR(p1.senior_fee_paid, 37500.0, kCent);   // 100m x 15bp x 90/360
  EXPECT_NEAR(p1.tranches[0].interest_paid, 1137500.0, kCent);  // 70m x 6.5% x 90/360
  EXPECT_NEAR(p1.tranches[1].interest_paid, 400000.0, kCent);   // 20m x 8% x 90/360
  EXPECT_NEAR(p1.sub_fee_paid, 87500.0, kCent);                 // 100m x 35bp x 90/360
  EXPECT_NEAR(p1.incentive_fee_paid, 0.0, kCent);
  EXPECT_NEAR(p1.tranches[2].interest_paid, 675000.0, kCent);   // 2,362,500 - the above
  ASSERT_NE(find_test(p1, "A OC"), nullptr);
  EXPECT_NEAR(find_test(p1, "A OC")->value, 100.0 / 70.0, 1e-12);
  EXPECT_TRUE(find_test(p1, "A OC")->pass);
  EXPECT_NEAR(find_test(p1, "A IC")->value, 2300000.0 / 1137500.0, 1e-12);
  EXPECT_NEAR(find_test(p1, "B OC")->value, 100.0 / 90.0, 1e-12);

  // ---- Period 2: 91 days; L2 (30m) defaults at the start: no interest on it; OC numerator
  // = 70m performing + 30m x min(40%, 0.95) = 82m.
  const PeriodResult& p2 = r.periods[1];
  EXPECT_NEAR(p2.defaults, 30e6, kCent);
  const double i2 = 6.6e6 * 91 / 360;  // 1,668,333.33
  EXPECT_NEAR(p2.interest_collections, i2, kCent);
  const double admin2 = 100000.0 * 91 / 360;
  const double senior2 = 100e6 * 0.0015 * 91 / 360;  // fee basis: par at the start, 100m
  const double a_due2 = 70e6 * 0.065 * 91 / 360;
  EXPECT_NEAR(p2.taxes_admin_paid, admin2, kCent);
  EXPECT_NEAR(p2.senior_fee_paid, senior2, kCent);
  EXPECT_NEAR(p2.tranches[0].interest_paid, a_due2, kCent);
  const double left2 = i2 - admin2 - senior2 - a_due2;
  EXPECT_NEAR(left2, 455000.0, 1e-6);  // 1.8m a year x 91/360
  EXPECT_NEAR(p2.adjusted_collateral_par, 82e6, kCent);
  ASSERT_NE(find_test(p2, "A OC"), nullptr);
  EXPECT_NEAR(find_test(p2, "A OC")->value, 82.0 / 70.0, 1e-12);  // 1.1714 < 1.175
  EXPECT_FALSE(find_test(p2, "A OC")->pass);
  EXPECT_NEAR(find_test(p2, "A IC")->value, (i2 - admin2 - senior2) / a_due2, 1e-12);
  EXPECT_TRUE(find_test(p2, "A IC")->pass);
  // Cure: pay A down to 82m / 1.175 = 69,787,234.04, i.e. 212,765.96 of diverted interest.
  const double cure2 = 70e6 - 82e6 / 1.175;
  EXPECT_NEAR(cure2, 212765.957446808, 1e-6);
  EXPECT_NEAR(p2.tranches[0].principal_paid, cure2, kCent);
  const double a_bal2 = 70e6 - cure2;
  EXPECT_NEAR(p2.tranches[0].balance, a_bal2, kCent);
  // B gets what is left and capitalises the rest (PIK).
  const double b_due2 = 20e6 * 0.08 * 91 / 360;  // 404,444.44
  const double b_paid2 = left2 - cure2;           // 242,234.04
  EXPECT_NEAR(p2.tranches[1].interest_due, b_due2, kCent);
  EXPECT_NEAR(p2.tranches[1].interest_paid, b_paid2, kCent);
  EXPECT_NEAR(p2.tranches[1].interest_deferred, b_due2 - b_paid2, kCent);  // 162,210.40
  const double b_bal2 = 20e6 + b_due2 - b_paid2;
  EXPECT_NEAR(p2.tranches[1].balance, b_bal2, kCent);
  EXPECT_NEAR(find_test(p2, "B OC")->value, 82e6 / (a_bal2 + b_bal2), 1e-12);  // 0.9116
  EXPECT_FALSE(find_test(p2, "B OC")->pass);
  EXPECT_NEAR(p2.interest_diverted, cure2, kCent);
  EXPECT_NEAR(p2.sub_fee_paid, 0.0, kCent);
  EXPECT_NEAR(p2.tranches[2].interest_paid, 0.0, kCent);

  // ---- Period 3: 92 days; the A OC test is cured (82m / 69,787,234.04 = 1.175), B is paid its
  // full current interest on the capitalised balance, and B's failing OC test diverts the rest
  // to class A principal.
  const PeriodResult& p3 = r.periods[2];
  const double i3 = 6.6e6 * 92 / 360;
  const double admin3 = 100000.0 * 92 / 360;
  const double senior3 = 70e6 * 0.0015 * 92 / 360;  // fee basis now 70m
  const double a_due3 = a_bal2 * 0.065 * 92 / 360;
  const double b_due3 = b_bal2 * 0.08 * 92 / 360;
  EXPECT_NEAR(p3.interest_collections, i3, kCent);
  EXPECT_NEAR(p3.senior_fee_paid, senior3, kCent);
  EXPECT_NEAR(find_test(p3, "A OC")->value, 1.175, 1e-12);
  EXPECT_TRUE(find_test(p3, "A OC")->pass);
  EXPECT_NEAR(p3.tranches[0].interest_paid, a_due3, kCent);
  EXPECT_NEAR(p3.tranches[1].interest_paid, b_due3, kCent);
  EXPECT_NEAR(p3.tranches[1].interest_deferred, 0.0, kCent);
  const double divert3 = i3 - admin3 - senior3 - a_due3 - b_due3;  // 62,828.87
  EXPECT_GT(divert3, 60000.0);
  EXPECT_FALSE(find_test(p3, "B OC")->pass);
  EXPECT_NEAR(p3.tranches[0].principal_paid, divert3, kCent);
  const double a_bal3 = a_bal2 - divert3;
  EXPECT_NEAR(p3.tranches[0].balance, a_bal3, kCent);
  EXPECT_NEAR(p3.tranches[1].balance, b_bal2, kCent);
  EXPECT_NEAR(p3.tranches[2].interest_paid, 0.0, kCent);

  // ---- Period 4 (legal maturity): L1 and L3 are sold at 0.99 and 0.97 (39.6m + 29.1m) and the
  // 12m recovery of L2 arrives: 80.7m of principal. Interest: the A OC test (80.7m over A) fails
  // again, so all interest after A's coupon pays A; B's coupon is capitalised; then principal
  // repays A in full and B with the rest; the equity receives nothing.
  const PeriodResult& p4 = r.periods[3];
  EXPECT_NEAR(p4.recoveries, 12e6, kCent);
  EXPECT_NEAR(p4.sale_proceeds, 68.7e6, kCent);
  EXPECT_NEAR(p4.principal_collections, 80.7e6, kCent);
  const double i4 = 6.6e6 * 92 / 360;
  const double a_due4 = a_bal3 * 0.065 * 92 / 360;
  const double b_due4 = b_bal2 * 0.08 * 92 / 360;
  const double divert4 = i4 - admin3 - senior3 - a_due4;
  EXPECT_NEAR(find_test(p4, "A OC")->value, 80.7e6 / a_bal3, 1e-12);
  EXPECT_FALSE(find_test(p4, "A OC")->pass);
  EXPECT_NEAR(p4.tranches[1].interest_deferred, b_due4, kCent);
  EXPECT_NEAR(p4.tranches[0].principal_paid, a_bal3, kCent);  // diverted interest + principal
  EXPECT_NEAR(p4.tranches[0].balance, 0.0, kCent);
  const double b_principal4 = 80.7e6 - (a_bal3 - divert4);
  EXPECT_NEAR(p4.tranches[1].principal_paid, b_principal4, kCent);
  const double b_loss = b_bal2 + b_due4 - b_principal4;
  EXPECT_NEAR(p4.tranches[1].balance, b_loss, kCent);
  EXPECT_NEAR(p4.tranches[2].interest_paid + p4.tranches[2].principal_paid, 0.0, kCent);

  // Summaries.
  EXPECT_NEAR(r.tranches[0].loss, 0.0, kCent);
  EXPECT_NEAR(r.tranches[1].loss, b_loss, kCent);
  EXPECT_NEAR(r.tranches[1].loss_fraction, b_loss / 20e6, 1e-12);
  EXPECT_EQ(r.tranches[1].first_loss_period, 1);  // under-collateralised from the default on
  // B capitalised 162,210.40 in period 2 and its whole coupon in period 4; the principal paid in
  // period 4 (after that coupon was capitalised) repaid the capitalised interest first, so what
  // is left is original principal only: no unpaid interest, principal loss = the balance left.
  EXPECT_NEAR(r.tranches[1].deferred_interest, (b_due2 - b_paid2) + b_due4, kCent);
  EXPECT_NEAR(r.tranches[1].unpaid_interest, 0.0, kCent);
  EXPECT_NEAR(r.tranches[1].loss, 20e6 - (b_principal4 - (b_due2 - b_paid2) - b_due4), kCent);
  // PV at each note's own rate, discount factors prod 1 / (1 + rate x days/360). A was paid its
  // coupon on its balance every period and its principal in full: worth exactly par.
  EXPECT_NEAR(r.tranches[0].pv_loss_fraction, 0.0, 1e-12);
  // B (8%): 400,000 in period 1, b_paid2, b_due3, then b_principal4.
  const double df1 = 1 / (1 + 0.08 * 90 / 360), df2 = df1 / (1 + 0.08 * 91 / 360),
               df3 = df2 / (1 + 0.08 * 92 / 360), df4 = df3 / (1 + 0.08 * 92 / 360);
  const double pv_b = 400000.0 * df1 + b_paid2 * df2 + b_due3 * df3 + b_principal4 * df4;
  EXPECT_NEAR(r.tranches[1].pv_loss_fraction, 1 - pv_b / 20e6, 1e-12);
  EXPECT_TRUE(std::isnan(r.tranches[2].pv_loss_fraction));
  EXPECT_NEAR(r.total_defaults, 30e6, kCent);
  // Equity: paid 10m, got 675,000 after one quarter and nothing else: IRR by hand
  // (0.0675)^(365/365 days) -> 1 + y = 0.0675^(365/90).
  EXPECT_NEAR(r.tranches[2].irr, std::pow(0.0675, 365.0 / 90.0) - 1.0, 1e-9);
  // A: WAL = sum(p_t t) / sum(p_t), t = days from closing / 365.
  const double wal_a = (cure2 * 181 + divert3 * 273 + a_bal3 * 365) / 365.0 / 70e6;
  EXPECT_NEAR(r.tranches[0].wal_years, wal_a, 1e-9);

  // Conservation every period, to the cent.
  for (const PeriodResult& p : r.periods) EXPECT_NEAR(p.unallocated(), 0.0, kCent) << p.date.to_string();
}

TEST(CloHandWaterfall, CdrDefaultsAFractionOfEachLoan) {
  Deal d = hand_deal();
  const CloModel model(std::move(d));
  // CDR 20% a year over a 3-month period: d = 1 - 0.8^(3/12); CPR 10%: s = 1 - 0.9^(3/12).
  const Scenario sc{0.20, 0.10, 0.60, 0};
  const ProjectionResult r = model.project(sc);
  const double d_q = 1.0 - std::pow(0.8, 0.25);
  const double s_q = 1.0 - std::pow(0.9, 0.25);
  const PeriodResult& p1 = r.periods[0];
  EXPECT_NEAR(p1.defaults, 100e6 * d_q, kCent);
  EXPECT_NEAR(p1.recoveries, 100e6 * d_q * 0.60, kCent);  // no lag: same period
  EXPECT_NEAR(p1.prepayments, 100e6 * (1 - d_q) * s_q, kCent);
  EXPECT_NEAR(p1.interest_collections, 9.45e6 * (1 - d_q) * 90 / 360, kCent);
  EXPECT_NEAR(p1.ending_par, 100e6 * (1 - d_q) * (1 - s_q), kCent);
  for (const PeriodResult& p : r.periods) EXPECT_NEAR(p.unallocated(), 0.0, kCent);
}

TEST(CloHandWaterfall, CustomOrderTurboPaysAFromInterest) {
  // A deal whose interest waterfall pays all excess interest to the notes (a turbo) instead of
  // the equity: same numbers as period 1 above, but the 675,000 + sub fee 87,500 pay A.
  Deal d = hand_deal();
  d.interest_waterfall = {{ActionType::kTaxesAdmin, -1}, {ActionType::kSeniorFee, -1}, {ActionType::kInterest, 0},
                          {ActionType::kInterest, 1}, {ActionType::kSequentialPaydown, -1}};
  const CloModel model(std::move(d));
  const ProjectionResult r = model.project(Scenario{0.0, 0.0, 0.4, 6});
  EXPECT_NEAR(r.periods[0].tranches[0].principal_paid, 675000.0 + 87500.0, kCent);
  EXPECT_NEAR(r.periods[0].tranches[2].interest_paid, 0.0, kCent);
  EXPECT_NEAR(r.periods[0].unallocated(), 0.0, kCent);
}


TEST(CloHandWaterfall, IcFailureCuresByProFormaPaydown) {
  // Period 1 of the deal above with an A IC trigger of 2.05: IC = 2,300,000 / 1,137,500 = 2.022.
  // Pro forma, A's interest due must fall to 2,300,000 / 2.05 = 1,121,951.22, i.e. by 15,548.78;
  // each unit of A principal repaid saves 6.5% x 90/360 = 0.01625, so the cure is
  // 15,548.7805 / 0.01625 = 956,848.03 of the 1,162,500 left after A's coupon; B then gets the
  // remaining 205,651.97 of its 400,000 and capitalises 194,348.03.
  Deal d = hand_deal();
  d.tranches[0].ic_trigger = 2.05;
  const CloModel model(std::move(d));
  const ProjectionResult r = model.project(Scenario{0.0, 0.0, 0.4, 6});
  const PeriodResult& p1 = r.periods[0];
  const double cure = (1137500.0 - 2300000.0 / 2.05) / (0.065 * 90 / 360);
  EXPECT_NEAR(cure, 956848.03, 0.01);
  EXPECT_FALSE(find_test(p1, "A IC")->pass);
  EXPECT_NEAR(p1.tranches[0].principal_paid, cure, kCent);
  EXPECT_NEAR(p1.tranches[1].interest_paid, 1162500.0 - cure, kCent);
  EXPECT_NEAR(p1.tranches[1].interest_deferred, 400000.0 - (1162500.0 - cure), kCent);
  EXPECT_NEAR(p1.unallocated(), 0.0, kCent);
}

TEST(CloHandWaterfall, InterestDiversionBuysCollateralInTheReinvestmentPeriod) {
  // Reinvestment period to 2025-07-15 and a diversion test on B at 1.20: in period 1 the B OC
  // ratio is 100 / 90 = 1.111 < 1.20, so up to half the interest left after B's coupon
  // (2,362,500 - 25,000 - 37,500 - 1,137,500 - 400,000 = 762,500 -> 381,250) buys collateral;
  // the amount needed is 1.20 x 90m - 100m = 8m, so 381,250 is diverted and reinvested at 99.5.
  Deal d = hand_deal();
  d.dates.reinvestment_end = Date::from_ymd(2025, 7, 15);
  d.reinvestment.price = 0.995;
  d.reinvestment.diversion_class = "B";
  d.reinvestment.diversion_threshold = 1.20;
  const CloModel model(std::move(d));
  const ProjectionResult r = model.project(Scenario{0.0, 0.0, 0.4, 6});
  const PeriodResult& p1 = r.periods[0];
  EXPECT_NEAR(find_test(p1, "B Interest Diversion")->value, 100.0 / 90.0, 1e-12);
  EXPECT_NEAR(p1.interest_diverted, 381250.0, kCent);
  EXPECT_NEAR(p1.reinvested, 381250.0, kCent);
  EXPECT_NEAR(p1.ending_par, 100e6 + 381250.0 / 0.995, kCent);
  EXPECT_NEAR(p1.sub_fee_paid, 87500.0, kCent);
  EXPECT_NEAR(p1.tranches[2].interest_paid, 381250.0 - 87500.0, kCent);
  for (const PeriodResult& p : r.periods) EXPECT_NEAR(p.unallocated(), 0.0, kCent);
}

}  // namespace
}  // namespace keel::clo
