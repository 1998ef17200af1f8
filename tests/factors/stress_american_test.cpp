// The stress test revalues an American option with the American pricer (ALO by default, BAW when
// the terms select it), not as European.
#include <gtest/gtest.h>

#include <cmath>

#include "keel/factors/stress.h"
#include "keel/options/american.h"

namespace keel::factors {
namespace {

// One deep in-the-money American put on A (S = 100, K = 150, half a year, vol 25%, r = 5%):
// past the critical price it is worth its exercise value 50, and after A falls 20% it is worth
// 70, so 100 units gain 100 x (70 - 50) = 2,000 (hand values). Valued as European it would be
// worth less than its exercise value on both dates and the P&L would differ.
TEST(StressAmerican, DeepInTheMoneyPutIsRevaluedAsAmerican) {
  const risk::OptionTerms put{OptionRight::kPut, 150.0, 0.5, 0.25, 0.05, 0.0, ExerciseStyle::kAmerican};
  const options::BsmInputs now{OptionRight::kPut, 100.0, 150.0, 0.5, 0.25, 0.05, 0.0};
  risk::RiskBook b;
  b.assets = {"A"};
  b.ids = {"A_PUT"};
  b.asset = {0};
  b.units = {100.0};
  b.spot = {100.0};
  b.value = {100.0 * options::alo_price(now)};
  b.exposure = {-10000.0};
  b.option = {put};
  ASSERT_NEAR(b.value[0], 5000.0, 1e-9);
  StressModel m;
  m.factor_names = {"mkt"};
  m.asset_betas = {1.0};
  m.factor_cov = Eigen::MatrixXd::Constant(1, 1, 1e-4);
  Scenario s;
  s.name = "crash";
  s.shocks = {{"mkt", -0.20}};
  const StressResult r = run_stress(b, m, s, StressMethod::kDirect);
  EXPECT_NEAR(r.position_pnl[0], 2000.0, 1e-9);
  options::BsmInputs later = now;
  later.spot = 80.0;
  EXPECT_GT(std::abs(100.0 * (options::bsm_price(later) - options::bsm_price(now)) - 2000.0), 1.0);
}

// The same stress with the terms selecting Barone-Adesi-Whaley: the same hand values (both
// engines give the exercise value past the critical price).
TEST(StressAmerican, BaroneAdesiWhaleyWhenSelected) {
  risk::OptionTerms put{OptionRight::kPut, 150.0, 0.5, 0.25, 0.05, 0.0, ExerciseStyle::kAmerican};
  put.american_engine = options::AmericanEngine::kBaw;
  const options::BsmInputs now{OptionRight::kPut, 100.0, 150.0, 0.5, 0.25, 0.05, 0.0};
  risk::RiskBook b;
  b.assets = {"A"};
  b.ids = {"A_PUT"};
  b.asset = {0};
  b.units = {100.0};
  b.spot = {100.0};
  b.value = {100.0 * options::baw_price(now)};
  b.exposure = {-10000.0};
  b.option = {put};
  StressModel m;
  m.factor_names = {"mkt"};
  m.asset_betas = {1.0};
  m.factor_cov = Eigen::MatrixXd::Constant(1, 1, 1e-4);
  Scenario s;
  s.name = "crash";
  s.shocks = {{"mkt", -0.20}};
  EXPECT_NEAR(run_stress(b, m, s, StressMethod::kDirect).position_pnl[0], 2000.0, 1e-9);
}

}  // namespace
}  // namespace keel::factors
