#include "keel/options/historical_vol.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace keel::options {
namespace {

// Prices alternating up 1% and down 1% (in logs): returns +a, -a, ... with a = ln 1.01.
// Sample std of 2n such returns (mean 0) = a sqrt(2n / (2n - 1)); vol = that x sqrt(252).
TEST(HistoricalVol, MatchesHandComputedAlternatingReturns) {
  const double a = std::log(1.01);
  std::vector<double> closes{100.0};
  for (int i = 0; i < 40; ++i) closes.push_back(closes.back() * std::exp(i % 2 == 0 ? a : -a));
  const auto vol = historical_vol(closes, 40);
  ASSERT_TRUE(vol);
  EXPECT_NEAR(*vol, a * std::sqrt(40.0 / 39.0) * std::sqrt(252.0), 1e-12);
  // A 20-return window uses the last 20 returns only (also 10 up, 10 down).
  EXPECT_NEAR(*historical_vol(closes, 20), a * std::sqrt(20.0 / 19.0) * std::sqrt(252.0), 1e-12);
}

TEST(HistoricalVol, SkipsMissingAndRefusesShortOrBadHistory) {
  std::vector<double> closes(30, 100.0);
  closes[10] = NAN;
  EXPECT_NEAR(*historical_vol(closes, 63), 0.0, 1e-15);  // flat prices: zero vol, gaps skipped
  EXPECT_FALSE(historical_vol(std::vector<double>(10, 100.0), 63));  // 9 returns < 20
  closes[20] = -1.0;
  EXPECT_FALSE(historical_vol(closes, 63));
}

}  // namespace
}  // namespace keel::options
