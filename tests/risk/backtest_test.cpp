#include "keel/risk/backtest.h"

#include <gtest/gtest.h>

#include <cmath>

#include "keel/core/error.h"

namespace keel::risk {
namespace {

TEST(Kupiec, HandCalculationFor8ExceptionsIn250Days) {
  // LR = -2 [242 ln 0.99 + 8 ln 0.01] + 2 [242 ln(242/250) + 8 ln(8/250)]
  //    = -2 (-2.432182 - 36.841361) + 2 (-7.870640 - 27.536155) = 7.733551;
  // p = P(chi2(1) > 7.733551) = 0.0054204 (scipy.stats.chi2.sf agrees).
  const LikelihoodRatio k = kupiec_pof(250, 8, 0.99);
  EXPECT_NEAR(k.lr, 7.7335507244945205, 1e-9);
  EXPECT_NEAR(k.p_value, 0.0054204051941278, 1e-9);
  EXPECT_EQ(k.df, 1);
  // No exceptions: LR = -2 x 250 ln 0.99 = 5.025168.
  EXPECT_NEAR(kupiec_pof(250, 0, 0.99).lr, -2.0 * 250.0 * std::log(0.99), 1e-12);
  // Exactly the expected rate: LR = 0.
  EXPECT_NEAR(kupiec_pof(200, 2, 0.99).lr, 0.0, 1e-12);
  EXPECT_THROW(kupiec_pof(0, 0, 0.99), Error);
  EXPECT_THROW(kupiec_pof(10, 11, 0.99), Error);
}

TEST(Christoffersen, HandMadeSequences) {
  // 0 0 0 1 1 1 0 0 0 0: transitions n00 = 5, n01 = 1, n10 = 1, n11 = 2;
  // pi0 = 1/6, pi1 = 2/3, pi = 3/9.
  // LR = -2 [6 ln(2/3) + 3 ln(1/3)] + 2 [5 ln(5/6) + ln(1/6) + ln(1/3) + 2 ln(2/3)]
  //    = 11.457254 - 9.225818 = 2.231436; p = 0.135228.
  const std::vector<std::uint8_t> clustered{0, 0, 0, 1, 1, 1, 0, 0, 0, 0};
  const LikelihoodRatio c = christoffersen_independence(clustered);
  EXPECT_NEAR(c.lr, 2.231435513142097, 1e-9);
  EXPECT_NEAR(c.p_value, 0.13522815768706561, 1e-9);
  // 0 0 1 1 0 0 0 1 0 0: n00 = 4, n01 = 2, n10 = 2, n11 = 1 -> pi0 = pi1 = pi = 1/3 -> LR = 0.
  const std::vector<std::uint8_t> independent{0, 0, 1, 1, 0, 0, 0, 1, 0, 0};
  EXPECT_NEAR(christoffersen_independence(independent).lr, 0.0, 1e-12);
  // No exception at all: nothing to test, LR = 0.
  const std::vector<std::uint8_t> none(20, 0);
  EXPECT_NEAR(christoffersen_independence(none).lr, 0.0, 1e-12);
  const LikelihoodRatio cc = conditional_coverage(kupiec_pof(10, 3, 0.99), c);
  EXPECT_NEAR(cc.lr, kupiec_pof(10, 3, 0.99).lr + c.lr, 1e-12);
  EXPECT_EQ(cc.df, 2);
}

TEST(TrafficLight, BaselZonesAtTheirEdges) {
  // Basel Committee (1996), Table 2: 250 observations at 99%.
  EXPECT_EQ(traffic_light(250, 0, 0.99), TrafficLight::kGreen);
  EXPECT_EQ(traffic_light(250, 4, 0.99), TrafficLight::kGreen);   // cumulative 89.22%
  EXPECT_EQ(traffic_light(250, 5, 0.99), TrafficLight::kYellow);  // 95.88%
  EXPECT_EQ(traffic_light(250, 9, 0.99), TrafficLight::kYellow);  // 99.97%
  EXPECT_EQ(traffic_light(250, 10, 0.99), TrafficLight::kRed);    // 99.99%
  EXPECT_EQ(traffic_light(250, 30, 0.99), TrafficLight::kRed);
  EXPECT_EQ(traffic_light_name(TrafficLight::kYellow), "yellow");
}

TEST(TrafficLight, BaselPlusFactorPerZone) {
  // Basel Committee (1996), Table 2, 250 days at 99%: 0-4 green 0; 5 0.40, 6 0.50, 7 0.65, 8 0.75,
  // 9 0.85 (yellow); 10 or more red 1.00.
  const double table[] = {0, 0, 0, 0, 0, 0.40, 0.50, 0.65, 0.75, 0.85, 1.00, 1.00};
  for (std::size_t x = 0; x < 12; ++x) EXPECT_DOUBLE_EQ(basel_plus_factor(250, x, 0.99), table[x]) << x;
  // 500 days: the count of 250 days with the same cumulative probability, rounded up. By scipy's
  // binom.cdf: F_500(8) = 0.93289 (green); F_500(9) = 0.968898 lies between F_250(5) = 0.958817
  // and F_250(6) = 0.986299, so 6: 0.50; F_500(10) = 0.986756 and F_500(11) = 0.994792 map to 7
  // (F_250(7) = 0.995975): 0.65; F_500(12) = 0.9981 to 8: 0.75; F_500(13) = 0.999354 and F_500(14) =
  // 0.999794 to 9 (F_250(9) = 0.99975 ... 0.999946 at 10 is red): 0.85; F_500(15) = 0.999939 red.
  const double at500[] = {0, 0.50, 0.65, 0.65, 0.75, 0.85, 0.85, 1.00};
  for (std::size_t x = 8; x < 16; ++x) EXPECT_DOUBLE_EQ(basel_plus_factor(500, x, 0.99), at500[x - 8]) << x;
}

TEST(Backtest, RollingHistoricalVarOnAHandSeries) {
  // Window 4, c = 75%: h = 3 x 0.25 = 0.75.
  // Day 5: window 1 -1 2 -2 sorted -2 -1 1 2 -> q = -2 + 0.75 = -1.25, VaR 1.25; P&L -3: exception.
  // Day 6: window -1 2 -2 -3 sorted -3 -2 -1 2 -> q = -2.25, VaR 2.25; P&L 0.5: none.
  const std::vector<double> pnl{1, -1, 2, -2, -3, 0.5};
  const BacktestResult b = backtest_var(pnl, {.window = 4, .confidence = 0.75});
  ASSERT_EQ(b.observations, 2u);
  EXPECT_EQ(b.exceptions, 1u);
  EXPECT_DOUBLE_EQ(b.var[0], 1.25);
  EXPECT_DOUBLE_EQ(b.var[1], 2.25);
  EXPECT_EQ(b.exception[0], 1);
  EXPECT_EQ(b.exception[1], 0);
  EXPECT_DOUBLE_EQ(b.expected_exceptions, 0.5);
}

TEST(Backtest, ParametricUsesTheWindowStandardDeviation) {
  // Window 3 of 1, -1, 0: sample stdev 1 -> VaR_99 = 2.326348; next P&L -2.4 is an exception.
  const std::vector<double> pnl{1, -1, 0, -2.4, 0.0};
  const BacktestResult b =
      backtest_var(pnl, {.window = 3, .confidence = 0.99, .method = VarMethod::kParametric});
  EXPECT_NEAR(b.var[0], 2.3263478740408408, 1e-12);
  EXPECT_EQ(b.exception[0], 1);
}

TEST(Backtest, BadInputs) {
  const std::vector<double> pnl{1, 2, 3};
  EXPECT_THROW(backtest_var(pnl, {.window = 2}), Error);  // needs window + 2 days
  const std::vector<double> longer(10, 1.0);
  EXPECT_THROW(backtest_var(longer, {.window = 3, .confidence = 1.5}), Error);
  EXPECT_THROW(backtest_var(longer, {.window = 3, .method = VarMethod::kMonteCarlo}), Error);
}

}  // namespace
}  // namespace keel::risk
