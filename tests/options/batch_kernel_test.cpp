// The private vectorised math of the batch kernel (src/options/simd_math.h) against libm.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "keel/options/black_scholes.h"
#include "simd_math.h"

namespace keel::options {
namespace {

TEST(BatchKernelMath, ExpAndLogMatchLibmToAFewUlp) {
  double worst_exp = 0.0, worst_log = 0.0;
  for (double x = -700.0; x <= 700.0; x += 0.0137) {
    worst_exp = std::max(worst_exp, std::abs(detail::simd::exp(x) / std::exp(x) - 1.0));
  }
  for (double x = 1e-300; x < 1e300; x *= 1.37) {
    const double ref = std::log(x);
    worst_log = std::max(worst_log, std::abs(detail::simd::log(x) - ref) / std::max(std::abs(ref), 1e-300));
  }
  for (double x = 0.5; x < 2.0; x += 1e-4) {  // near 1, where ln x is small: relative accuracy
    const double ref = std::log(x);
    if (ref != 0.0) worst_log = std::max(worst_log, std::abs(detail::simd::log(x) / ref - 1.0));
  }
  EXPECT_LT(worst_exp, 1e-15);
  EXPECT_LT(worst_log, 1e-15);
  EXPECT_EQ(detail::simd::exp(-800.0), 0.0);
  EXPECT_EQ(detail::simd::log(1.0), 0.0);
}

TEST(BatchKernelMath, NormalCdfMatchesErfcToRounding) {
  double worst = 0.0, far = 0.0;
  for (double x = -37.0; x <= 8.0; x += 0.001) {
    const double ref = 0.5 * std::erfc(-x / std::sqrt(2.0));
    const double got = detail::simd::norm_cdf_with(x, std::exp(-0.5 * x * x));
    (x >= -20.0 ? worst : far) = std::max(x >= -20.0 ? worst : far, std::abs(got / ref - 1.0));
  }
  // Lower tail: relative error of the erfcx fit (2.3e-14) and of the rounded argument of both
  // sides (~1e-13 measured down to -20); beyond -20 standard deviations the
  // rounding of x^2 / 2 (~700 ulp-sized) adds up to ~z^2 ulp in e^{-x^2/2}.
  EXPECT_LT(worst, 1e-13);
  EXPECT_LT(far, 5e-13);
  double centre = 0.0;
  for (double x = -1.4; x <= 1.4; x += 1e-4) {
    const double ref = 0.5 * std::erfc(-x / std::sqrt(2.0));
    centre = std::max(centre, std::abs(detail::simd::norm_cdf_with(x, std::exp(-0.5 * x * x)) / ref - 1.0));
  }
  EXPECT_LT(centre, 2e-15);
}

}  // namespace
}  // namespace keel::options
