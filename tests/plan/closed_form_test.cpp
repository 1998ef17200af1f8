// Zero-volatility plans against closed-form annuity arithmetic, to the cent.
//
// The expected values are written out as formulas (annuity-due algebra) and, for the main cases,
// also as literals computed independently with Python's decimal module at 50 digits:
//   from decimal import Decimal as D; B0, W, r, n = D(1000000), D(40000), D('0.05'), 30
//   B0*(1+r)**n - W*(1+r)*((1+r)**n-1)/r   -> 1531510.78002410...
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "keel/plan/simulation.h"

namespace keel::plan {
namespace {

PlanInputs zero_vol(double balance, int years, double ret, double inflation) {
  PlanInputs in;
  in.initial_balance = balance;
  in.years = years;
  in.returns.kind = ReturnModelKind::kNormal;
  in.returns.mean = ret;
  in.returns.sd = 0.0;
  in.inflation.mean = inflation;
  in.inflation.sd = 0.0;
  return in;
}

SimulationOptions few_trials() {
  SimulationOptions o;
  o.trials = 16;
  o.seed = 7;
  return o;
}

TEST(PlanClosedForm, ConstantDollarNoInflationIsAnAnnuityDue) {
  auto in = zero_vol(1'000'000, 30, 0.05, 0.0);
  in.withdrawal_amount = 40'000;
  const auto res = simulate_retirement(in, few_trials());
  // B_n = B0 (1+r)^n - W (1+r) ((1+r)^n - 1) / r : withdrawals at the start of each year.
  const double r = 0.05, n = 30;
  const double formula = 1e6 * std::pow(1 + r, n) - 40'000 * (1 + r) * (std::pow(1 + r, n) - 1) / r;
  EXPECT_NEAR(res.terminal_percentiles[2], formula, 0.005);
  EXPECT_NEAR(res.terminal_percentiles[2], 1531510.78, 0.005);  // decimal, 50 digits
  EXPECT_DOUBLE_EQ(res.success_rate, 1.0);
  EXPECT_FALSE(res.median_shortfall_year.has_value());
  // Every percentile path equals the deterministic path; year 1 by hand: (1e6 - 40e3) x 1.05.
  for (int k = 0; k < 5; ++k) {
    EXPECT_NEAR(res.balance.values[k][1], 1'008'000.0, 1e-6);
    EXPECT_NEAR(res.spending.values[k][29], 40'000.0, 1e-6);
  }
  EXPECT_DOUBLE_EQ(res.balance.values[2][0], 1e6);
}

TEST(PlanClosedForm, InflationAdjustedWithdrawalsAreAGrowingAnnuityDue) {
  auto in = zero_vol(1'000'000, 30, 0.05, 0.03);
  in.withdrawal_amount = 40'000;
  const auto res = simulate_retirement(in, few_trials());
  // B_n = (1+r)^n [B0 - W sum_{k<n} q^k], q = (1+i)/(1+r).
  const double r = 0.05, i = 0.03, n = 30, q = (1 + i) / (1 + r);
  const double formula = std::pow(1 + r, n) * (1e6 - 40'000 * (1 - std::pow(q, n)) / (1 - q));
  EXPECT_NEAR(res.terminal_percentiles[2], formula, 0.005);
  EXPECT_NEAR(res.terminal_percentiles[2], 343114.58, 0.005);  // decimal, 50 digits
  // Spending in the last year: W (1+i)^29.
  EXPECT_NEAR(res.spending.values[2][29], 40'000 * std::pow(1.03, 29), 0.005);
}

TEST(PlanClosedForm, MonthlyStepsCompoundTheAnnualRate) {
  auto in = zero_vol(1'000'000, 30, 0.06, 0.0);
  in.steps_per_year = 12;
  in.withdrawal_amount = 40'000;
  const auto res = simulate_retirement(in, few_trials());
  // g = 1.06^(1/12); 360 monthly withdrawals of W/12 at the start of each month.
  const double g = std::pow(1.06, 1.0 / 12), m = 360, w = 40'000.0 / 12;
  const double formula = 1e6 * std::pow(g, m) - w * g * (std::pow(g, m) - 1) / (g - 1);
  EXPECT_NEAR(res.terminal_percentiles[2], formula, 0.005);
  EXPECT_NEAR(res.terminal_percentiles[2], 2479302.96, 0.005);  // decimal, 50 digits
}

TEST(PlanClosedForm, ContributionsBeforeRetirementAreAnAnnuityDue) {
  auto in = zero_vol(0.0, 11, 0.07, 0.0);
  in.retirement_year = 10;
  in.annual_contribution = 10'000;
  in.withdrawal_rate = 0.0;  // nothing withdrawn in year 10
  const auto res = simulate_retirement(in, few_trials());
  // After 10 years: C (1+r) ((1+r)^10 - 1) / r = 147,835.99; year 10 only grows.
  const double fv10 = 10'000 * 1.07 * (std::pow(1.07, 10) - 1) / 0.07;
  EXPECT_NEAR(res.balance.values[2][10], fv10, 0.005);
  EXPECT_NEAR(res.balance.values[2][10], 147835.99, 0.005);  // decimal, 50 digits
  EXPECT_NEAR(res.terminal_percentiles[2], fv10 * 1.07, 0.005);
}

TEST(PlanClosedForm, RateAtRetirementAppliesToTheBalanceThen) {
  auto in = zero_vol(100'000, 3, 0.10, 0.0);
  in.retirement_year = 1;
  in.withdrawal_rate = 0.05;
  const auto res = simulate_retirement(in, few_trials());
  // Year 0 grows to 110,000; W = 5,500 from year 1: (110,000 - 5,500) x 1.1 = 114,950;
  // (114,950 - 5,500) x 1.1 = 120,395.
  EXPECT_NEAR(res.terminal_percentiles[2], 120'395.0, 0.005);
  EXPECT_NEAR(res.spending.values[2][0], 0.0, 1e-12);
  EXPECT_NEAR(res.spending.values[2][1], 5'500.0, 1e-9);
}

TEST(PlanClosedForm, ExhaustionYearAndPartialLastWithdrawal) {
  auto in = zero_vol(100'000, 10, 0.0, 0.0);
  in.withdrawal_amount = 30'000;
  const auto res = simulate_retirement(in, few_trials());
  // Years 1-3 pay 90,000; year 4 needs 30,000 with 10,000 left: shortfall in year 4.
  EXPECT_DOUBLE_EQ(res.success_rate, 0.0);
  ASSERT_TRUE(res.median_shortfall_year.has_value());
  EXPECT_DOUBLE_EQ(*res.median_shortfall_year, 4.0);
  EXPECT_EQ(res.shortfalls_by_year[3], 16);
  EXPECT_NEAR(res.spending.values[2][3], 10'000.0, 1e-9);
  EXPECT_NEAR(res.spending.values[2][4], 0.0, 1e-12);
  EXPECT_NEAR(res.terminal_percentiles[4], 0.0, 1e-12);
}

TEST(PlanClosedForm, ExactlyExhaustingAnnuityStillSucceeds) {
  // W = B0 / a-due(n) empties the account exactly at the horizon: a-due = (1 - v^n)(1+r)/r.
  auto in = zero_vol(1'000'000, 25, 0.04, 0.0);
  const double r = 0.04, n = 25;
  const double a_due = (1 - std::pow(1 + r, -n)) * (1 + r) / r;
  in.withdrawal_amount = 1e6 / a_due - 0.01;  // a cent below the exhausting amount
  auto res = simulate_retirement(in, few_trials());
  EXPECT_DOUBLE_EQ(res.success_rate, 1.0);
  EXPECT_NEAR(res.terminal_percentiles[2], 0.0, 1.0);
  in.withdrawal_amount = 1e6 / a_due + 0.01;  // a cent above: the last withdrawal falls short
  res = simulate_retirement(in, few_trials());
  EXPECT_DOUBLE_EQ(res.success_rate, 0.0);
  EXPECT_DOUBLE_EQ(*res.median_shortfall_year, 25.0);
}

TEST(PlanClosedForm, ConstantPercentageIsGeometric) {
  auto in = zero_vol(500'000, 20, 0.06, 0.02);
  in.strategy = Strategy::kConstantPercentage;
  in.withdrawal_rate = 0.04;
  const auto res = simulate_retirement(in, few_trials());
  // B_n = B0 ((1 - p)(1 + r))^n; year-n spending p B_{n-1}.
  EXPECT_NEAR(res.terminal_percentiles[2], 500'000 * std::pow(0.96 * 1.06, 20), 0.005);
  EXPECT_NEAR(res.spending.values[2][19], 0.04 * 500'000 * std::pow(0.96 * 1.06, 19), 0.005);
}

TEST(PlanClosedForm, VpwMatchesTheBogleheadsTable) {
  // Bogleheads VPW table, 60/40 stocks/bonds: 5.0 % with 35 years left (retire at 65, table to
  // age 100) and 21.5 % with 5 years left (as quoted in the Bogleheads "VPW Forward Test" thread).
  const VpwRates rates;  // stocks 5.0 %, bonds 1.9 % real growth trends
  EXPECT_NEAR(vpw_percentage(rates, 0.6, 35), 0.050, 0.0005);
  EXPECT_NEAR(vpw_percentage(rates, 0.6, 5), 0.215, 0.0005);
  // PMT(r, 1) = 100 % in the last year; PMT(0, n) = 1/n.
  EXPECT_DOUBLE_EQ(pmt_due(0.0376, 1), 1.0);
  EXPECT_DOUBLE_EQ(pmt_due(0.0, 4), 0.25);
}

TEST(PlanClosedForm, VpwSpendsLevelAmountsAndEndsAtZeroWhenReturnsMatchItsRate) {
  // When the portfolio earns exactly the VPW rate, PMT withdrawals are level and the last one
  // empties the account (the defining property of an annuity-due payment).
  const double rate = 0.6 * 0.05 + 0.4 * 0.019;
  auto in = zero_vol(1'000'000, 30, rate, 0.0);
  in.strategy = Strategy::kVpw;
  const auto res = simulate_retirement(in, few_trials());
  const double w = 1e6 * rate / (1 - std::pow(1 + rate, -30)) / (1 + rate);
  for (int y = 0; y < 30; ++y) EXPECT_NEAR(res.spending.values[2][y], w, 0.005) << "year " << y;
  EXPECT_NEAR(res.terminal_percentiles[2], 0.0, 0.005);
  EXPECT_DOUBLE_EQ(res.success_rate, 1.0);
}

TEST(PlanClosedForm, FloorAndCeilingClampTheRealWithdrawal) {
  // 20 % returns push 5 % of the balance above the ceiling (1.25 x the first withdrawal, real).
  auto in = zero_vol(1'000'000, 5, 0.20, 0.02);
  in.strategy = Strategy::kFloorCeiling;
  in.withdrawal_rate = 0.05;
  const auto up = simulate_retirement(in, few_trials());
  // Real base = 50,000 x 1.02^y; band [0.9, 1.25] x base.
  // Year 1: 5 % of (1e6 - 5e4) x 1.2 = 57,000, inside [45,900, 63,750].
  EXPECT_NEAR(up.spending.values[2][1], 57'000.0, 1e-6);
  // Year 2: 5 % of (1,140,000 - 57,000) x 1.2 = 64,980, inside [46,818, 65,025].
  EXPECT_NEAR(up.spending.values[2][2], 64'980.0, 1e-6);
  // Year 3: 5 % of (1,299,600 - 64,980) x 1.2 = 74,077.2 > ceiling 1.25 x 50,000 x 1.02^3.
  EXPECT_NEAR(up.spending.values[2][3], 1.25 * 50'000 * std::pow(1.02, 3), 1e-6);
  // Falling balances: -30 % returns hit the floor of 0.9 x first withdrawal (real).
  in.returns.mean = -0.30;
  const auto down = simulate_retirement(in, few_trials());
  EXPECT_NEAR(down.spending.values[2][1], 0.9 * 50'000 * 1.02, 1e-6);
}

TEST(PlanClosedForm, LifeEventsAddTheirCashFlows) {
  auto in = zero_vol(1'000'000, 3, 0.0, 0.0);
  in.withdrawal_amount = 50'000;
  in.events = {{1, EventType::kWindfall, 100'000, "inheritance"},
               {2, EventType::kExpense, 30'000, "roof"},
               {1, EventType::kIncomeChange, 20'000, "pension"}};
  const auto res = simulate_retirement(in, few_trials());
  // 1e6 - 50k; + 100k windfall - 50k + 20k pension; - 30k roof - 50k + 20k.
  EXPECT_NEAR(res.balance.values[2][1], 950'000.0, 1e-9);
  EXPECT_NEAR(res.balance.values[2][2], 1'020'000.0, 1e-9);
  EXPECT_NEAR(res.terminal_percentiles[2], 960'000.0, 1e-9);
}

TEST(PlanClosedForm, EventsInTodaysMoneyAreInflated) {
  auto in = zero_vol(100'000, 3, 0.0, 0.10);
  in.withdrawal_amount = 0.0;
  in.events = {{2, EventType::kExpense, 10'000, ""}};
  const auto res = simulate_retirement(in, few_trials());
  EXPECT_NEAR(res.terminal_percentiles[2], 100'000 - 10'000 * 1.1 * 1.1, 1e-6);
}

TEST(PlanClosedForm, SavingsRateChangeSetsTheContribution) {
  auto in = zero_vol(0.0, 4, 0.0, 0.0);
  in.retirement_year = 3;
  in.annual_contribution = 1'000;
  in.annual_income = 80'000;
  in.withdrawal_rate = 0.0;
  in.events = {{1, EventType::kSavingsRateChange, 0.15, ""}};
  const auto res = simulate_retirement(in, few_trials());
  // 1,000 in year 0, then 15 % of 80,000 in years 1 and 2; nothing in retirement (year 3).
  EXPECT_NEAR(res.terminal_percentiles[2], 1'000 + 2 * 12'000, 1e-9);
}

TEST(PlanClosedForm, SimulatePathFollowsAGivenSequence) {
  PlanInputs in = zero_vol(1'000, 3, 0.0, 0.0);
  in.withdrawal_amount = 100;
  const std::vector<double> r = {0.10, -0.50, 0.25};
  const std::vector<double> i = {0.0, 0.0, 0.0};
  const auto p = simulate_path(in, r, i);
  // (1000-100)*1.1 = 990; (990-100)*0.5 = 445; (445-100)*1.25 = 431.25.
  ASSERT_EQ(p.balance.size(), 4u);
  EXPECT_NEAR(p.balance[3], 431.25, 1e-9);
  EXPECT_FALSE(p.failed);
}

}  // namespace
}  // namespace keel::plan
