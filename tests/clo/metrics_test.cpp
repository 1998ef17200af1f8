// IRR and WAL on cash flows whose answers are known in closed form.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "keel/clo/metrics.h"

namespace keel::clo {
namespace {

TEST(CloMetrics, IrrOfOneYearZero) {
  const std::vector<double> cf{110.0};
  const std::vector<double> t{1.0};
  EXPECT_NEAR(irr(cf, t, 100.0), 0.10, 1e-10);
}

TEST(CloMetrics, IrrOfParBondIsItsCoupon) {
  // A 5-year 6% annual bond bought at par yields 6%.
  const std::vector<double> cf{6, 6, 6, 6, 106};
  const std::vector<double> t{1, 2, 3, 4, 5};
  EXPECT_NEAR(irr(cf, t, 100.0), 0.06, 1e-10);
  // Bought at 95.787, its yield is 7% (price = sum 6/1.07^k + 100/1.07^5 = 95.8998).
  double price = 0;
  for (int k = 1; k <= 5; ++k) price += 6.0 / std::pow(1.07, k);
  price += 100.0 / std::pow(1.07, 5);
  EXPECT_NEAR(price, 95.8998, 1e-4);
  EXPECT_NEAR(irr(cf, t, price), 0.07, 1e-10);
}

TEST(CloMetrics, IrrEdgeCases) {
  const std::vector<double> zero{0, 0};
  const std::vector<double> t{1, 2};
  EXPECT_EQ(irr(zero, t, 100.0), -1.0);
  const std::vector<double> half{0, 50};
  EXPECT_NEAR(irr(half, t, 100.0), std::sqrt(0.5) - 1.0, 1e-10);
}

TEST(CloMetrics, WeightedAverageLife) {
  const std::vector<double> p{25, 25, 50};
  const std::vector<double> t{1, 2, 4};
  EXPECT_NEAR(weighted_average_life(p, t), (25 + 50 + 200) / 100.0, 1e-12);
  const std::vector<double> none{0, 0, 0};
  EXPECT_TRUE(std::isnan(weighted_average_life(none, t)));
}

}  // namespace
}  // namespace keel::clo
