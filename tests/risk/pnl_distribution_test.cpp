// The horizon P&L distribution as a histogram (keel/risk/pnl_distribution.h). The density of the
// Cornish-Fisher model is checked against scipy: the derivative of its distribution function
// F(x) = Phi(z1) - Phi(z2) (the roots of z + a (z^2 - 1) = (x - mean) / sd, a = skew / 6), taken by
// central differences with scipy.stats.norm.cdf (h = 1e-4), and the normal case against
// scipy.stats.norm.pdf.
#include "keel/risk/pnl_distribution.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>

namespace keel::risk {
namespace {

TEST(PnlDistribution, TheNormalDensityIsScipys) {
  // scipy.stats.norm.pdf(0) = 0.3989422804014327, norm.pdf(1) = 0.24197072451914337.
  EXPECT_NEAR(cornish_fisher_density(100.0, 100.0, 20.0, 0.0), 0.3989422804014327 / 20.0, 1e-15);
  EXPECT_NEAR(cornish_fisher_density(120.0, 100.0, 20.0, 0.0), 0.24197072451914337 / 20.0, 1e-15);
}

TEST(PnlDistribution, TheCornishFisherDensityIsTheDerivativeOfItsDistribution) {
  // mean 100, sd 20, skew 0.9 (a = 0.15): scipy's central differences of Phi(z1) - Phi(z2).
  EXPECT_NEAR(cornish_fisher_density(100.0, 100.0, 20.0, 0.9), 0.018901193695741725, 1e-8);
  EXPECT_NEAR(cornish_fisher_density(150.0, 100.0, 20.0, 0.9), 0.0015753100873761028, 1e-8);
  EXPECT_NEAR(cornish_fisher_density(75.0, 100.0, 20.0, 0.9), 0.013025157181989488, 1e-8);
  // Below the support (1 + 4a(a + y) < 0 at y = -2): no density.
  EXPECT_EQ(cornish_fisher_density(60.0, 100.0, 20.0, 0.9), 0.0);
  // A negative skew mirrors it: the density of -X at -x.
  EXPECT_NEAR(cornish_fisher_density(-150.0, -100.0, 20.0, -0.9), 0.0015753100873761028, 1e-8);
}

TEST(PnlDistribution, ScenariosAreCountedOnEqualBins) {
  const std::vector<double> pnl = {-10.0, -7.5, -5.0, -1.0, 0.0, 0.0, 2.0, 10.0};
  const PnlBins h = scenario_histogram(pnl, 4);  // width 5: [-10,-5) [-5,0) [0,5) [5,10]
  EXPECT_EQ(h.edges, (std::vector<double>{-10.0, -5.0, 0.0, 5.0, 10.0}));
  EXPECT_EQ(h.counts, (std::vector<double>{2.0, 2.0, 3.0, 1.0}));  // the highest in the closed last bin
  // One value: a bin around it, never a zero width.
  const PnlBins one = scenario_histogram(std::vector<double>{3.0}, 2);
  EXPECT_LT(one.edges.front(), 3.0);
  EXPECT_GT(one.edges.back(), 3.0);
  EXPECT_EQ(std::accumulate(one.counts.begin(), one.counts.end(), 0.0), 1.0);
  // A NaN counts in the first bin instead of reaching an out-of-range index.
  const PnlBins nan = scenario_histogram(std::vector<double>{std::numeric_limits<double>::quiet_NaN(), 1.0, 2.0}, 3);
  EXPECT_EQ(std::accumulate(nan.counts.begin(), nan.counts.end(), 0.0), 3.0);
}

TEST(PnlDistribution, TheDensityHistogramHoldsNearlyEveryDrawAndTheTailToTheEs) {
  // Normal, mean 0, sd 1: [-4, 4] holds 1 - 2 x Phi(-4) = 99.9937 % of the draws; the midpoint rule
  // on 200 bins is within 1e-4 of it.
  const PnlBins h = density_histogram(0.0, 1.0, 0.0, 2.0627, 1000, 200);
  EXPECT_DOUBLE_EQ(h.edges.front(), -4.0);
  EXPECT_DOUBLE_EQ(h.edges.back(), 4.0);
  EXPECT_NEAR(std::accumulate(h.counts.begin(), h.counts.end(), 0.0), 999.937, 0.1);
  // An ES beyond 4 sd widens the range down to -es - sd / 2.
  const PnlBins wide = density_histogram(0.0, 1.0, 0.0, 6.0, 1000, 10);
  EXPECT_DOUBLE_EQ(wide.edges.front(), -6.5);
}

}  // namespace
}  // namespace keel::risk
