#include "keel/factors/diversification.h"

#include <gtest/gtest.h>

#include <cmath>

#include "keel/core/error.h"

namespace keel::factors {
namespace {

// Assets X (daily vol 2%) and Y (1%), correlation 0.5: cov_xy = 0.5 x 0.02 x 0.01 = 1e-4.
Eigen::MatrixXd cov2() {
  Eigen::MatrixXd c(2, 2);
  c << 4e-4, 1e-4, 1e-4, 1e-4;
  return c;
}

risk::RiskBook book(double ex, double ey) {
  risk::RiskBook b;
  b.assets = {"X", "Y"};
  b.ids = {"X", "Y", "CASH"};
  b.asset = {0, 1, risk::kNoAsset};
  b.value = {ex, ey, 50.0};
  b.exposure = {ex, ey, 0.0};
  b.units = {1.0, 1.0, 50.0};
  b.spot = {ex, ey, 0.0};
  b.option = {std::nullopt, std::nullopt, std::nullopt};
  return b;
}

// Exposures 100 and 300: sigma_p^2 = 100^2 4e-4 + 300^2 1e-4 + 2 x 100 x 300 x 1e-4 = 4 + 9 + 6 = 19.
// DR = (100 x 0.02 + 300 x 0.01) / sqrt(19) = 5 / 4.358899 = 1.147079.
// Weights 0.25, 0.75: HHI = 0.625, effective positions 1.6, top-10 weight 1.
TEST(Diversification, TwoAssetsByHand) {
  const std::vector<std::string> sectors{"Tech", "", ""};
  const Diversification d = diversification(book(100.0, 300.0), cov2(), sectors);
  ASSERT_EQ(d.symbols.size(), 2u);  // cash left out
  EXPECT_NEAR(d.position_correlation(0, 1), 0.5, 1e-12);
  EXPECT_NEAR(d.average_pairwise_correlation, 0.5, 1e-12);
  EXPECT_NEAR(d.weighted_average_pairwise_correlation, 0.5, 1e-12);
  EXPECT_NEAR(d.diversification_ratio, 5.0 / std::sqrt(19.0), 1e-12);
  EXPECT_NEAR(d.hhi, 0.625, 1e-12);
  EXPECT_NEAR(d.effective_number_of_positions, 1.6, 1e-12);
  EXPECT_NEAR(d.top10_weight, 1.0, 1e-12);
  EXPECT_EQ(d.largest_sector.sector, "Unknown");
  EXPECT_NEAR(d.largest_sector.weight, 0.75, 1e-12);
  ASSERT_EQ(d.sectors.size(), 2u);
  EXPECT_EQ(d.sectors[1].sector, "Tech");
}

TEST(Diversification, ShortPositionFlipsCorrelationSign) {
  const std::vector<std::string> sectors(3);
  const Diversification d = diversification(book(100.0, -300.0), cov2(), sectors);
  EXPECT_NEAR(d.position_correlation(0, 1), -0.5, 1e-12);
  // sigma_p^2 = 4 + 9 - 6 = 7; DR = 5 / sqrt(7).
  EXPECT_NEAR(d.diversification_ratio, 5.0 / std::sqrt(7.0), 1e-12);
}

// Meucci's effective number of bets: two uncorrelated, equally risky bets -> 2; variances 4 and 1
// -> shares 0.8, 0.2 -> exp(-(0.8 ln 0.8 + 0.2 ln 0.2)) = 1.649385; one asset -> 1.
TEST(Diversification, EffectiveNumberOfBetsByHand) {
  Eigen::MatrixXd c = Eigen::MatrixXd::Identity(2, 2);
  EXPECT_NEAR(effective_number_of_bets(c, Eigen::Vector2d(1.0, 1.0)), 2.0, 1e-12);
  c(0, 0) = 4.0;
  EXPECT_NEAR(effective_number_of_bets(c, Eigen::Vector2d(1.0, 1.0)),
              std::exp(-(0.8 * std::log(0.8) + 0.2 * std::log(0.2))), 1e-12);
  EXPECT_NEAR(effective_number_of_bets(c, Eigen::Vector2d(1.0, 0.0)), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(effective_number_of_bets(c, Eigen::Vector2d(0.0, 0.0)), 0.0);
}

TEST(Diversification, BadInputs) {
  const std::vector<std::string> sectors(3);
  EXPECT_THROW(diversification(book(100.0, 300.0), Eigen::MatrixXd::Identity(3, 3), sectors), Error);
  EXPECT_THROW(diversification(book(0.0, 0.0), cov2(), sectors), Error);
}

}  // namespace
}  // namespace keel::factors
