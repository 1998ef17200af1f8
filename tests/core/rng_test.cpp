#include "keel/core/rng.h"

#include <gtest/gtest.h>

#include <Random123/uniform.hpp>
#include <cmath>
#include <vector>

namespace keel {
namespace {

TEST(PhiloxStream, SameSeedAndStreamGiveTheSameDraws) {
  PhiloxStream a(42, 7), b(42, 7), c(42, 8), d(43, 7);
  for (int i = 0; i < 100; ++i) {
    const double x = a.normal();
    EXPECT_EQ(x, b.normal());
    if (i == 0) {
      EXPECT_NE(x, c.normal());
      EXPECT_NE(x, d.normal());
    }
  }
}

TEST(PhiloxStream, UniformsStayInsideTheOpenInterval) {
  PhiloxStream s(1, 0);
  for (int i = 0; i < 100000; ++i) {
    const double u = s.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

TEST(PhiloxStream, UniformOfTheZeroDrawIsInsideTheOpenInterval) {
  // A 32-bit draw of 0 (one in 2^32: about once per 4.3 billion uniforms, so in some large
  // Monte Carlo runs) used to give 0.0, and -log(u) or the inverse normal of it is infinite.
  EXPECT_EQ(uniform_from_bits(0), 0x1p-33);
  EXPECT_EQ(uniform_from_bits(1), 0x1p-32);
  EXPECT_EQ(uniform_from_bits(0xFFFFFFFFu), 1.0 - 0x1p-32);
  EXPECT_TRUE(std::isfinite(std::log(uniform_from_bits(0))));
  // Every other draw keeps the value it had: Random123's u01 (k 2^-32 + 2^-33) minus 2^-33.
  for (std::uint32_t k : {1u, 2u, 12345u, 0x80000000u, 0xDEADBEEFu, 0xFFFFFFFEu})
    EXPECT_EQ(uniform_from_bits(k), r123::u01<double>(k) - 0x1p-33) << k;
}

TEST(PhiloxStream, NormalMomentsWithinSamplingError) {
  // n = 200,000 draws: the sample mean has standard error 1/sqrt(n) = 0.00224; the sample
  // variance has standard error sqrt(2/n) = 0.00316. Allow 4 standard errors.
  const int n = 200000;
  PhiloxStream s(2024, 3);
  double sum = 0, sum2 = 0, tail = 0;
  for (int i = 0; i < n; ++i) {
    const double z = s.normal();
    sum += z;
    sum2 += z * z;
    tail += z < -2.3263478740408408 ? 1 : 0;
  }
  const double m = sum / n, v = sum2 / n - m * m;
  EXPECT_NEAR(m, 0.0, 4 * 0.00224);
  EXPECT_NEAR(v, 1.0, 4 * 0.00316);
  // P(Z < z_0.01) = 0.01; binomial standard error sqrt(0.01 * 0.99 / n) = 0.000222.
  EXPECT_NEAR(tail / n, 0.01, 4 * 0.000222);
}

TEST(PhiloxStream, ChiSquaredMeanEqualsDegreesOfFreedom) {
  // E[X] = df, Var[X] = 2 df: for df = 5 and n = 100,000 the mean's standard error is 0.01.
  PhiloxStream s(9, 9);
  const int n = 100000;
  for (double df : {0.5, 5.0, 30.0}) {
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += s.chi_squared(df);
    EXPECT_NEAR(sum / n, df, 4 * std::sqrt(2 * df / n)) << df;
  }
}

TEST(PhiloxStream, FillNormalMatchesSequentialDraws) {
  PhiloxStream a(5, 5), b(5, 5);
  std::vector<double> v(11);
  a.fill_normal(v);
  for (double x : v) EXPECT_EQ(x, b.normal());
}

}  // namespace
}  // namespace keel
