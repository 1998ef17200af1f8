#include "keel/core/rng.h"

#include <gtest/gtest.h>

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
