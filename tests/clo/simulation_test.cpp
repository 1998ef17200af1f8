// Scenario grid and Monte Carlo: copula default probabilities against closed forms,
// thread-count independence, and loss statistics consistent with their definitions.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <numbers>

#include "keel/clo/simulation.h"
#include "keel/core/error.h"
#include "test_deal.h"

namespace keel::clo {
namespace {

// Counts, over many scenarios, how often loans 0 and 1 both default within the first year
// (4 quarterly periods) and how often loan 0 does.
std::pair<double, double> joint_and_marginal(const CloModel& model, const MonteCarloOptions& o, int n) {
  int both = 0, one = 0;
  const std::size_t loans = model.deal().collateral.size();
  const auto all = draw_default_periods(model, o, 0, n);
  for (int s = 0; s < n; ++s) {
    const int* p = all.data() + static_cast<std::size_t>(s) * loans;
    const bool d0 = p[0] < 4, d1 = p[1] < 4;
    one += d0;
    both += d0 && d1;
  }
  return {static_cast<double>(both) / n, static_cast<double>(one) / n};
}

TEST(CloMonteCarlo, OneFactorJointDefaultMatchesSheppard) {
  // With CDR 50%, PD(1 year) = 0.5, so the default threshold is 0 and for bivariate normals with
  // correlation rho: P(X1 <= 0, X2 <= 0) = 1/4 + asin(rho) / (2 pi) (Sheppard 1899).
  const CloModel model(testing::realistic_deal(20));
  MonteCarloOptions o;
  o.base.cdr = 0.5;
  o.asset_correlation = 0.5;
  // Binomial standard errors at n = 40,000 scenarios: sqrt(p (1 - p) / n) = 0.0025 for p = 1/2,
  // 0.0024 for p = 1/3, 0.0022 for p = 1/4: the 0.01 bands are 4 se or more.
  const int n = 40000;
  const auto [both, one] = joint_and_marginal(model, o, n);
  EXPECT_NEAR(one, 0.5, 4 * std::sqrt(0.25 / n));
  EXPECT_NEAR(both, 0.25 + std::asin(0.5) / (2 * std::numbers::pi), 0.01);  // 1/3
  o.asset_correlation = 0.0;
  const auto [both0, one0] = joint_and_marginal(model, o, n);
  EXPECT_NEAR(both0, 0.25, 0.01);
  (void)one0;
}

TEST(CloMonteCarlo, MarginalDefaultByPeriodFollowsCdr) {
  // First-period default probability 1 - (1 - 0.1)^(3/12) for every loan.
  const CloModel model(testing::realistic_deal(20));
  MonteCarloOptions o;
  o.base.cdr = 0.10;
  o.asset_correlation = 0.3;
  const int n = 20000;
  int hits = 0, trials = 0;
  for (int v : draw_default_periods(model, o, 0, n)) {
    hits += v == 0;
    ++trials;
  }
  const double pd = 1.0 - std::pow(0.9, 0.25);
  // Correlated draws: the standard error is larger than binomial; allow a generous band.
  EXPECT_NEAR(static_cast<double>(hits) / trials, pd, 0.004);
}

TEST(CloMonteCarlo, IndustryMatrixSetsCorrelationByIndustry) {
  // Industries 0 and 1 (loans 0 and 1 of the test deal): within-industry correlation 0.5,
  // none across. Loans in different industries are then independent: P(both) = 1/4.
  const CloModel model(testing::realistic_deal(20));
  MonteCarloOptions o;
  o.base.cdr = 0.5;
  for (int k = 0; k < 20; ++k) o.industries.push_back("Industry " + std::to_string(k));
  o.industry_correlation.assign(20, std::vector<double>(20, 0.0));
  for (int k = 0; k < 20; ++k) o.industry_correlation[static_cast<std::size_t>(k)][static_cast<std::size_t>(k)] = 0.5;
  const int n = 20000;
  const auto [both, one] = joint_and_marginal(model, o, n);
  EXPECT_NEAR(one, 0.5, 0.01);
  EXPECT_NEAR(both, 0.25, 0.012);
  // Loans 0 and 20 share industry 0 (with 40 loans): P(both) = 1/3.
  const CloModel model40(testing::realistic_deal(40));
  int both_same = 0;
  const auto all40 = draw_default_periods(model40, o, 0, n);
  for (int s = 0; s < n; ++s) {
    const int* p = all40.data() + static_cast<std::size_t>(s) * 40;
    both_same += p[0] < 4 && p[20] < 4;
  }
  EXPECT_NEAR(static_cast<double>(both_same) / n, 1.0 / 3.0, 0.012);
  // A matrix that is not positive semi-definite is refused.
  o.industry_correlation[0][1] = o.industry_correlation[1][0] = 0.9;
  EXPECT_THROW(draw_default_periods(model, o, 0, 1), Error);
}

TEST(CloMonteCarlo, IndependentOfThreadCount) {
  const CloModel model(testing::realistic_deal(40));
  MonteCarloOptions o;
  o.base = Scenario{0.04, 0.15, 0.6, 6};
  o.scenarios = 300;
  o.seed = 42;
  MonteCarloResult one, many;
  {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 1);
    one = run_monte_carlo(model, o);
  }
  many = run_monte_carlo(model, o);
  ASSERT_EQ(one.tranches.size(), many.tranches.size());
  for (std::size_t j = 0; j < one.tranches.size(); ++j) {
    EXPECT_EQ(one.tranches[j].loss_fractions, many.tranches[j].loss_fractions);
    EXPECT_EQ(one.tranches[j].expected_loss, many.tranches[j].expected_loss);
  }
  EXPECT_EQ(one.equity_irr_p50, many.equity_irr_p50);
}

TEST(CloMonteCarlo, LossStatisticsFollowTheirDefinitions) {
  const CloModel model(testing::realistic_deal(40));
  MonteCarloOptions o;
  o.base = Scenario{0.08, 0.10, 0.5, 6};
  o.scenarios = 400;
  o.asset_correlation = 0.4;
  o.confidence = 0.95;
  const MonteCarloResult r = run_monte_carlo(model, o);
  ASSERT_EQ(r.tranches.size(), 4u);  // notes only
  // Mean cumulative default of 8% CDR over ~10 years is well above zero.
  EXPECT_GT(r.mean_default_fraction, 0.2);
  for (const auto& t : r.tranches) {
    double sum = 0.0;
    int positive = 0;
    for (double v : t.loss_fractions) {
      sum += v;
      positive += v * t.original_balance > 0.5;
    }
    EXPECT_NEAR(t.expected_loss_fraction, sum / 400.0, 1e-12);
    EXPECT_NEAR(t.probability_of_loss, positive / 400.0, 1e-12);
    // numpy.quantile(x, 0.95): h = 399 * 0.95 = 379.05.
    const double var = t.loss_fractions[379] + 0.05 * (t.loss_fractions[380] - t.loss_fractions[379]);
    EXPECT_NEAR(t.var_fraction, var, 1e-12);
    EXPECT_GE(t.es_fraction, t.var_fraction);
    // ES at 95% of 400 scenarios: mean of the worst 20.
    double worst = 0.0;
    for (std::size_t k = 380; k < 400; ++k) worst += t.loss_fractions[k];
    EXPECT_NEAR(t.es_fraction, worst / 20.0, 1e-12);
  }
  // Seniority: the junior note loses at least as much as the senior on average.
  EXPECT_LE(r.tranches[0].expected_loss_fraction, r.tranches[3].expected_loss_fraction);
  // No defaults at all: no losses.
  o.base.cdr = 0.0;
  const MonteCarloResult zero = run_monte_carlo(model, o);
  for (const auto& t : zero.tranches) EXPECT_EQ(t.probability_of_loss, 0.0);
}

TEST(CloGrid, PointsInOrderAndEqualToSingleRuns) {
  const CloModel model(testing::realistic_deal(40));
  GridSpec g;
  g.cdr = {0.0, 0.05, 0.15};
  g.cpr = {0.1, 0.25};
  g.recovery = {0.4, 0.7};
  const auto points = run_grid(model, g);
  ASSERT_EQ(points.size(), 12u);
  EXPECT_EQ(points[0].scenario.cdr, 0.0);
  EXPECT_EQ(points[1].scenario.recovery, 0.7);
  EXPECT_EQ(points[2].scenario.cpr, 0.25);
  EXPECT_EQ(points[11].scenario.cdr, 0.15);
  const ProjectionResult direct = model.project(points[9].scenario);
  for (std::size_t j = 0; j < direct.tranches.size(); ++j) {
    EXPECT_EQ(points[9].tranches[j].loss, direct.tranches[j].loss);
    if (std::isfinite(direct.tranches[j].irr)) {
      EXPECT_EQ(points[9].tranches[j].irr, direct.tranches[j].irr);
    }
  }
  GridSpec empty;
  empty.cdr.clear();
  EXPECT_THROW(run_grid(model, empty), Error);
}

}  // namespace
}  // namespace keel::clo
