// Each Guyton-Klinger (2006) rule triggered and not triggered at its boundary, on scripted paths.
//
// The rules as stated in docs/planning.md: with W the withdrawal, B the balance at the start of a
// year and i0 = W0 / B0 the initial rate,
//   withdrawal rule     no inflation raise when last year's return < 0 and W_prev / B > i0;
//   capital preservation (W / B) > i0 (1 + 20 %) -> W x 0.9, unless <= 15 years remain;
//   prosperity          (W / B) < i0 (1 - 20 %) -> W x 1.1.
// A boundary is approached to within one cent of balance, which moves the rate by ~1e-8 of
// itself: far from rounding, close enough to be "at" the boundary.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "keel/plan/simulation.h"

namespace keel::plan {
namespace {

PlanInputs gk_plan(double balance, double first, int years, double inflation) {
  PlanInputs in;
  in.initial_balance = balance;
  in.years = years;
  in.strategy = Strategy::kGuytonKlinger;
  in.withdrawal_amount = first;
  in.inflation.mean = inflation;
  return in;
}

// Year-0 return that takes (B0 - W0) to `target` at the start of year 1.
double return_to(double after_withdrawal, double target) { return target / after_withdrawal - 1.0; }

// Whether a rule fired in `year` (later years of a scripted path may fire again).
bool fired(const std::vector<int>& years, int year) {
  return std::find(years.begin(), years.end(), year) != years.end();
}

PathResult run(const PlanInputs& in, double r0) {
  std::vector<double> r(static_cast<std::size_t>(in.years), 0.0);
  std::vector<double> i(static_cast<std::size_t>(in.years), in.inflation.mean);
  r[0] = r0;
  return simulate_path(in, r, i);
}

TEST(GuytonKlinger, WithdrawalRuleFreezesAfterALosingYearAboveTheInitialRate) {
  // B0 = 1.2 M, W0 = 60,000 (i0 = 5 %), inflation 3 %. A windfall in year 0 lets a -25 % year end
  // at exactly 1.2 M: (1.2 M + 460,000 - 60,000) x 0.75 = 1.2 M, so W_prev / B = i0: no freeze.
  auto in = gk_plan(1'200'000, 60'000, 30, 0.03);
  in.events = {{0, EventType::kWindfall, 460'000, ""}};
  auto p = run(in, -0.25);
  EXPECT_NEAR(p.balance[1], 1'200'000.0, 1e-6);
  EXPECT_FALSE(fired(p.gk_frozen, 1));
  EXPECT_NEAR(p.spending[1], 61'800.0, 1e-6);  // raised by 3 %
  // One cent less windfall: B just below 1.2 M, rate just above i0, losing year -> frozen.
  in.events = {{0, EventType::kWindfall, 459'999.99, ""}};
  p = run(in, -0.25);
  EXPECT_TRUE(fired(p.gk_frozen, 1));
  EXPECT_NEAR(p.spending[1], 60'000.0, 1e-6);
  // Same rate but a flat (not losing) year: the raise is given.
  in.events = {{0, EventType::kWindfall, 0.0, ""}};
  p = run(in, 0.0);  // B = 1,140,000, rate 5.26 % > i0, return 0 -> not a losing year
  EXPECT_FALSE(fired(p.gk_frozen, 1));
  EXPECT_NEAR(p.spending[1], 61'800.0, 1e-6);
  // Switched off: raise even after the loss.
  in.guyton_klinger.withdrawal_rule = false;
  in.events = {{0, EventType::kWindfall, 459'999.99, ""}};
  p = run(in, -0.25);
  EXPECT_FALSE(fired(p.gk_frozen, 1));
  EXPECT_NEAR(p.spending[1], 61'800.0, 1e-6);
}

TEST(GuytonKlinger, CapitalPreservationCutsTenPercentAboveTheUpperGuardrail) {
  // No inflation, so the withdrawal rule cannot change W. i0 = 5 %; the guardrail is a rate of
  // 6 %: W / B > 6 %  <=>  B < 50,000 / (0.05 x 1.2) = 833,333.33...
  auto in = gk_plan(1'000'000, 50'000, 30, 0.0);
  const double boundary = 50'000 / (0.05 * 1.2);
  auto p = run(in, return_to(950'000, boundary - 0.01));
  EXPECT_TRUE(fired(p.gk_cuts, 1));
  EXPECT_NEAR(p.spending[1], 45'000.0, 1e-6);
  p = run(in, return_to(950'000, boundary + 0.01));
  EXPECT_FALSE(fired(p.gk_cuts, 1));
  EXPECT_NEAR(p.spending[1], 50'000.0, 1e-6);
  // A different threshold moves the guardrail: 10 % -> B < 909,090.91.
  in.guyton_klinger.upper_threshold = 0.10;
  p = run(in, return_to(950'000, 50'000 / (0.05 * 1.1) - 0.01));
  EXPECT_TRUE(fired(p.gk_cuts, 1));
  // And the cut size is configurable.
  in.guyton_klinger.cut = 0.25;
  p = run(in, return_to(950'000, 50'000 / (0.05 * 1.1) - 0.01));
  EXPECT_NEAR(p.spending[1], 37'500.0, 1e-6);
}

TEST(GuytonKlinger, CapitalPreservationIsOffInTheLastFifteenYears) {
  const double below = 50'000 / (0.05 * 1.2) - 0.01;
  // Horizon 16: at year 1, 15 years remain -> rule off.
  auto in = gk_plan(1'000'000, 50'000, 16, 0.0);
  auto p = run(in, return_to(950'000, below));
  EXPECT_FALSE(fired(p.gk_cuts, 1));
  EXPECT_NEAR(p.spending[1], 50'000.0, 1e-6);
  // Horizon 17: 16 years remain -> rule on.
  in.years = 17;
  p = run(in, return_to(950'000, below));
  EXPECT_TRUE(fired(p.gk_cuts, 1));
  // The window is configurable.
  in.guyton_klinger.preservation_off_years = 16;
  p = run(in, return_to(950'000, below));
  EXPECT_FALSE(fired(p.gk_cuts, 1));
}

TEST(GuytonKlinger, ProsperityRaisesTenPercentBelowTheLowerGuardrail) {
  // W / B < 5 % x 0.8 = 4 %  <=>  B > 1,250,000.
  auto in = gk_plan(1'000'000, 50'000, 30, 0.0);
  const double boundary = 50'000 / (0.05 * 0.8);
  auto p = run(in, return_to(950'000, boundary + 0.01));
  EXPECT_TRUE(fired(p.gk_raises, 1));
  EXPECT_NEAR(p.spending[1], 55'000.0, 1e-6);
  p = run(in, return_to(950'000, boundary - 0.01));
  EXPECT_FALSE(fired(p.gk_raises, 1));
  EXPECT_NEAR(p.spending[1], 50'000.0, 1e-6);
  // Prosperity applies in the last 15 years too (only preservation is switched off there).
  in.years = 5;
  p = run(in, return_to(950'000, boundary + 0.01));
  EXPECT_TRUE(fired(p.gk_raises, 1));
  in.guyton_klinger.prosperity = false;
  p = run(in, return_to(950'000, boundary + 0.01));
  EXPECT_FALSE(fired(p.gk_raises, 1));
}

TEST(GuytonKlinger, RulesCompoundOverAScriptedSequence) {
  // Hand-computed path, inflation 3 %, i0 = 5 %, horizon 30.
  // y0: W 50,000; B (1e6 - 50,000) x 0.80 = 760,000.
  // y1: last year lost and 50,000 / 760,000 = 6.58 % > 5 % -> frozen at 50,000; 6.58 % > 6 %
  //     -> cut to 45,000; B (760,000 - 45,000) x 1.40 = 1,001,000.
  // y2: gain -> raise 3 % to 46,350; 46,350 / 1,001,000 = 4.63 %, inside the guardrails.
  auto in = gk_plan(1'000'000, 50'000, 30, 0.03);
  std::vector<double> r(30, 0.0), i(30, 0.03);
  r[0] = -0.20;
  r[1] = 0.40;
  const auto p = simulate_path(in, r, i);
  EXPECT_TRUE(fired(p.gk_frozen, 1));
  EXPECT_TRUE(fired(p.gk_cuts, 1));
  EXPECT_NEAR(p.balance[2], 1'001'000.0, 1e-6);
  EXPECT_NEAR(p.spending[2], 46'350.0, 1e-6);
  EXPECT_FALSE(fired(p.gk_raises, 2));
  EXPECT_FALSE(fired(p.gk_cuts, 2));
  EXPECT_FALSE(fired(p.gk_frozen, 2));
}

}  // namespace
}  // namespace keel::plan
