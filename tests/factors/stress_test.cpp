#include "keel/factors/stress.h"

#include <gtest/gtest.h>

#include <cmath>

#include "keel/core/error.h"

namespace keel::factors {
namespace {

// Two stocks: A worth 600,000 with betas (mkt 1.2, smb 0.5); B worth 400,000 with (0.8, -0.3).
risk::RiskBook two_stocks() {
  risk::RiskBook b;
  b.assets = {"A", "B"};
  b.ids = {"A", "B"};
  b.asset = {0, 1};
  b.value = {600000.0, 400000.0};
  b.exposure = b.value;
  b.units = {6000.0, 8000.0};
  b.spot = {100.0, 50.0};
  b.option = {std::nullopt, std::nullopt};
  return b;
}

// Daily vols 1% (mkt) and 0.5% (smb), correlation -0.4: cov = -0.4 x 0.01 x 0.005 = -2e-5.
StressModel model() {
  StressModel m;
  m.factor_names = {"mkt", "smb"};
  m.asset_betas = {1.2, 0.5, 0.8, -0.3};
  m.factor_cov.resize(2, 2);
  m.factor_cov << 1e-4, -2e-5, -2e-5, 2.5e-5;
  return m;
}

Scenario scenario(std::vector<FactorShock> shocks, std::optional<double> vol = std::nullopt) {
  Scenario s;
  s.name = "test";
  s.shocks = std::move(shocks);
  s.vol_shock = vol;
  return s;
}

// Both factors given:  m_A = 1.2 x -0.20 + 0.5 x 0.05 = -0.215  -> P&L -129,000
//                      m_B = 0.8 x -0.20 - 0.3 x 0.05 = -0.175  ->       -70,000;  book -199,000 = -19.9%.
TEST(Stress, TwoPositionBookByHand) {
  const auto r = run_stress(two_stocks(), model(), scenario({{"mkt", -0.20}, {"smb", 0.05}}), StressMethod::kDirect);
  EXPECT_NEAR(r.position_pnl[0], -129000.0, 1e-8);
  EXPECT_NEAR(r.position_pnl[1], -70000.0, 1e-8);
  EXPECT_NEAR(r.pnl, -199000.0, 1e-8);
  EXPECT_NEAR(r.pnl_pct, -0.199, 1e-12);
  EXPECT_NEAR(r.position_pnl_pct[0], -0.215, 1e-12);
  EXPECT_NEAR(r.book_value, 1000000.0, 1e-9);
  // Every factor given: the correlated method has nothing to fill.
  const auto c = run_stress(two_stocks(), model(), scenario({{"mkt", -0.20}, {"smb", 0.05}}), StressMethod::kCorrelated);
  EXPECT_NEAR(c.pnl, r.pnl, 1e-8);
}

// Only the market given. Direct: smb stays 0 -> A -144,000, B -64,000.
// Correlated, two-factor closed form: E[smb | mkt = s] = rho sigma_smb / sigma_mkt s
//   = -0.4 x 0.5 x -0.20 = +0.04  ->  m_A = -0.24 + 0.02 = -0.22 (-132,000), m_B = -0.16 - 0.012 = -0.172 (-68,800).
TEST(Stress, ConditionalFillMatchesTwoFactorClosedForm) {
  const auto d = run_stress(two_stocks(), model(), scenario({{"mkt", -0.20}}), StressMethod::kDirect);
  EXPECT_NEAR(d.pnl, -208000.0, 1e-8);
  EXPECT_DOUBLE_EQ(d.factor_shocks[1], 0.0);
  const auto c = run_stress(two_stocks(), model(), scenario({{"mkt", -0.20}}), StressMethod::kCorrelated);
  const double rho = -0.4, sd_m = 0.01, sd_s = 0.005;
  EXPECT_NEAR(c.factor_shocks[1], rho * sd_s / sd_m * -0.20, 1e-15);
  EXPECT_NEAR(c.factor_shocks[1], 0.04, 1e-15);
  EXPECT_EQ(c.given[0], 1);
  EXPECT_EQ(c.given[1], 0);
  EXPECT_NEAR(c.position_pnl[0], -132000.0, 1e-8);
  EXPECT_NEAR(c.position_pnl[1], -68800.0, 1e-8);
  EXPECT_NEAR(c.pnl, -200800.0, 1e-8);
}

// Three factors, two given: Sigma_os Sigma_ss^-1 s against an explicit 2x2 inverse.
TEST(Stress, ConditionalFillWithTwoGivenFactors) {
  Eigen::MatrixXd cov(3, 3);
  cov << 4.0, 1.0, 2.0, 1.0, 9.0, -3.0, 2.0, -3.0, 16.0;
  // Given factors 0 and 2 (s = 0.1, -0.05); Sigma_ss = [[4,2],[2,16]], det = 60,
  // inverse = [[16,-2],[-2,4]] / 60; Sigma_os = [1, -3].
  // Sigma_ss^-1 s = [(1.6 + 0.1), (-0.2 - 0.2)] / 60 = [1.7, -0.4] / 60; fill = (1.7 + 1.2) / 60.
  const std::vector<std::uint8_t> given{1, 0, 1};
  const std::vector<double> s{0.1, 0.0, -0.05};
  const auto full = conditional_factor_shocks(cov, given, s);
  EXPECT_DOUBLE_EQ(full[0], 0.1);
  EXPECT_DOUBLE_EQ(full[2], -0.05);
  EXPECT_NEAR(full[1], 2.9 / 60.0, 1e-15);
}

// A call on A (100 shares, spot 100, strike 80, zero vol, r = q = 0): worth its intrinsic 20.
// A falls 21.5% -> spot 78.5 < 80 -> worth 0: P&L -2,000 (a delta approximation would say -2,150).
TEST(Stress, OptionsAreRevaluedInFull) {
  risk::RiskBook b = two_stocks();
  b.ids.push_back("A_CALL");
  b.asset.push_back(0);
  b.units.push_back(100.0);
  b.spot.push_back(100.0);
  b.value.push_back(2000.0);
  b.exposure.push_back(10000.0);
  b.option.push_back(risk::OptionTerms{OptionRight::kCall, 80.0, 0.5, 0.0, 0.0, 0.0});
  const auto r = run_stress(b, model(), scenario({{"mkt", -0.20}, {"smb", 0.05}}), StressMethod::kDirect);
  EXPECT_NEAR(r.position_pnl[2], -2000.0, 1e-9);
  EXPECT_NEAR(r.position_pnl_pct[2], -1.0, 1e-12);
}

// Vol shock: an at-the-money call (S = K = 100, T = 1, r = q = 0) at zero vol is worth 0; at 20%
// vol it is worth S (2 N(0.1) - 1) = 100 x (2 x 0.5398278373 - 1) = 7.96556746 (Black-Scholes).
TEST(Stress, VolShockRevaluesOptions) {
  risk::RiskBook b;
  b.assets = {"A"};
  b.ids = {"A_CALL"};
  b.asset = {0};
  b.units = {100.0};
  b.spot = {100.0};
  b.value = {0.0};
  b.exposure = {5000.0};
  b.option = {risk::OptionTerms{OptionRight::kCall, 100.0, 1.0, 0.0, 0.0, 0.0}};
  StressModel m;
  m.factor_names = {"mkt"};
  m.asset_betas = {1.0};
  m.factor_cov = Eigen::MatrixXd::Constant(1, 1, 1e-4);
  const auto r = run_stress(b, m, scenario({{"mkt", 0.0}}, 0.20), StressMethod::kDirect);
  EXPECT_NEAR(r.position_pnl[0], 796.556746, 1e-5);
}

TEST(Stress, UnknownFactorsWarnAndCapsApply) {
  auto r = run_stress(two_stocks(), model(), scenario({{"mkt", -0.9}, {"oil", -0.5}}), StressMethod::kDirect);
  ASSERT_GE(r.warnings.size(), 2u);
  EXPECT_NE(r.warnings[0].find("oil"), std::string::npos);
  // A: 1.2 x -0.9 = -1.08 -> capped at -100%.
  EXPECT_DOUBLE_EQ(r.asset_move[0], -1.0);
  EXPECT_NEAR(r.position_pnl[0], -600000.0, 1e-8);
  try {
    run_stress(two_stocks(), model(), scenario({{"oil", -0.5}}), StressMethod::kDirect);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shocks none of the model's factors (mkt, smb)"), std::string::npos) << e.what();
  }
}

// A three-day window (2020-01-01, 2020-01-06] with daily factor returns (mkt, smb):
//   01-02 (-0.10, +0.02), 01-03 (-0.05, 0.00), 01-06 (+0.04, -0.01);
// compounded: mkt 0.90 x 0.95 x 1.04 - 1 = -0.1108, smb 1.02 x 1.00 x 0.99 - 1 = +0.0098.
Scenario three_day_window() {
  Scenario s = scenario({{"mkt", 0.9 * 0.95 * 1.04 - 1.0}, {"smb", 1.02 * 0.99 - 1.0}});
  s.name = "window";
  s.kind = ScenarioKind::kHistorical;
  s.start = Date::from_ymd(2020, 1, 1);
  s.end = Date::from_ymd(2020, 1, 6);
  FactorTable path;
  path.names = {"mkt", "smb"};
  path.dates = {Date::from_ymd(2020, 1, 2), Date::from_ymd(2020, 1, 3), Date::from_ymd(2020, 1, 6)};
  path.values = {-0.10, 0.02, -0.05, 0.00, 0.04, -0.01};
  s.daily = path;
  return s;
}

// No prices of the window: each day through the betas, compounded.
//   A (1.2, 0.5): -0.11, -0.06, +0.043 -> 0.89 x 0.94 x 1.043 - 1 = -0.1274262   (P&L -76,455.72)
//   B (0.8, -0.3): -0.086, -0.04, +0.035 -> 0.914 x 0.96 x 1.035 - 1 = -0.0918496 (P&L -36,739.84)
// (the one-step model would give A 1.2 x -0.1108 + 0.5 x 0.0098 = -0.12806).
TEST(Stress, HistoricalWindowIsReplayedDayByDay) {
  const auto r = run_stress(two_stocks(), model(), three_day_window(), StressMethod::kDirect);
  EXPECT_EQ(r.replay_days, 3u);
  EXPECT_NEAR(r.asset_move[0], -0.1274262, 1e-12);
  EXPECT_NEAR(r.asset_move[1], -0.0918496, 1e-12);
  EXPECT_NEAR(r.position_pnl[0], -76455.72, 1e-6);
  EXPECT_NEAR(r.position_pnl[1], -36739.84, 1e-6);
  EXPECT_NEAR(r.pnl, -76455.72 - 36739.84, 1e-6);
  EXPECT_NEAR(r.factor_shocks[0], -0.1108, 1e-12);
  EXPECT_NEAR(r.factor_shocks[1], 0.0098, 1e-12);
  EXPECT_EQ(r.own_days, (std::vector<std::size_t>{0, 0}));
  // Every factor is in the path: the correlated method has nothing to fill.
  const auto c = run_stress(two_stocks(), model(), three_day_window(), StressMethod::kCorrelated);
  EXPECT_NEAR(c.pnl, r.pnl, 1e-8);
}

// A's prices cover the window (100 -> 95 -> 90.25 -> 92): it moves as it did, 92 / 100 - 1 = -8%.
// B has prices on 01-03 (50) and 01-06 (51) only: its own +2% on 01-06, the proxy before:
//   0.914 x 0.96 x 1.02 - 1 = -0.1050112.
TEST(Stress, AReplayUsesTheAssetsOwnReturnsWhereThePricesHaveThem) {
  PriceHistory prices;
  prices.dates = {Date::from_ymd(2019, 12, 31), Date::from_ymd(2020, 1, 1), Date::from_ymd(2020, 1, 2),
                  Date::from_ymd(2020, 1, 3), Date::from_ymd(2020, 1, 6)};
  prices.symbols = {"B", "A"};
  const double na = std::nan("");
  prices.values = {na, 99.0, na, 100.0, na, 95.0, 50.0, 90.25, 51.0, 92.0};
  const Scenario s = three_day_window();
  const std::vector<std::string> assets = {"A", "B"};
  const std::vector<double> own = own_path_returns(prices, assets, s);
  ASSERT_EQ(own.size(), 6u);
  EXPECT_NEAR(own[0], -0.05, 1e-15);
  EXPECT_NEAR(own[2], 92.0 / 90.25 - 1.0, 1e-15);
  EXPECT_TRUE(std::isnan(own[3]) && std::isnan(own[4]));
  EXPECT_NEAR(own[5], 0.02, 1e-15);
  const auto r = run_stress(two_stocks(), model(), s, StressMethod::kDirect, own);
  EXPECT_NEAR(r.asset_move[0], -0.08, 1e-12);
  EXPECT_NEAR(r.asset_move[1], -0.1050112, 1e-12);
  EXPECT_EQ(r.own_days, (std::vector<std::size_t>{3, 1}));
  EXPECT_THROW(run_stress(two_stocks(), model(), s, StressMethod::kDirect, std::vector<double>(5, 0.0)), Error);
}

// Where one step through the betas leaves the physical range (2.5 x -45% = -112%), ten days of
// -5.8% each (compounding to -45%) move the asset by prod (1 - 2.5 x 0.058) - 1 = 0.855^10 - 1.
TEST(Stress, AReplayStaysAboveMinusOneHundredPercent) {
  risk::RiskBook b = two_stocks();
  StressModel m = model();
  m.asset_betas = {2.5, 0.0, 1.0, 0.0};
  Scenario s = scenario({{"mkt", std::pow(1.0 - 0.058, 10) - 1.0}});
  s.kind = ScenarioKind::kHistorical;
  s.start = Date::from_ymd(2008, 10, 1);
  s.end = Date::from_ymd(2008, 10, 15);
  FactorTable path;
  path.names = {"mkt"};
  for (int d = 2; d <= 15 && path.dates.size() < 10; ++d) {
    const Date day = Date::from_ymd(2008, 10, d);
    if (day.is_weekend()) continue;
    path.dates.push_back(day);
    path.values.push_back(-0.058);
  }
  ASSERT_EQ(path.rows(), 10u);
  s.daily = path;
  const auto one_step = run_stress(b, m, [&] { Scenario o = s; o.daily.reset(); return o; }(), StressMethod::kDirect);
  EXPECT_DOUBLE_EQ(one_step.asset_move[0], -1.0);  // 2.5 x -0.4504 capped
  const auto r = run_stress(b, m, s, StressMethod::kDirect);
  EXPECT_NEAR(r.asset_move[0], std::pow(0.855, 10) - 1.0, 1e-12);
  EXPECT_GT(r.asset_move[0], -1.0);
  for (const auto& w : r.warnings) EXPECT_EQ(w.find("capped"), std::string::npos) << w;
}

TEST(Stress, SingularShockedCovarianceIsAnError) {
  Eigen::MatrixXd cov(3, 3);
  cov << 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0;  // factors 0 and 1 identical
  const std::vector<std::uint8_t> given{1, 1, 0};
  EXPECT_THROW(conditional_factor_shocks(cov, given, std::vector<double>{0.1, 0.1, 0.0}), Error);
}

}  // namespace
}  // namespace keel::factors
