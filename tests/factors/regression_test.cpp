#include "keel/factors/regression.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>

#include "keel/core/error.h"
#include "keel/factors/rolling.h"

namespace keel::factors {
namespace {

// One factor, five days, in percent (divided by 100 below):
//   x = 1 2 3 4 5, y = 2 3 5 4 6.  x_bar = 3, y_bar = 4.
//   Sxx = 4+1+0+1+4 = 10, Sxy = 4+1+0+0+4 = 9  ->  beta = 0.9, alpha = 4 - 0.9 x 3 = 1.3 (%).
//   fitted 2.2 3.1 4.0 4.9 5.8, residuals -0.2 -0.1 1.0 -0.9 0.2, SSR = 1.90, SST = 10.
//   R2 = 0.81; s2 = 1.9 / 3; se(beta) = sqrt(s2 / 10) = 0.251661; t = 3.576237;
//   se(alpha) = sqrt(s2 (1/5 + 9/10)) = 0.834665 (%); t(alpha) = 1.557510.
TEST(FactorRegression, OneFactorByHand) {
  const std::vector<double> x{0.01, 0.02, 0.03, 0.04, 0.05};
  const std::vector<double> y{0.02, 0.03, 0.05, 0.04, 0.06};
  const FactorFits f = fit_factor_model(y, 1, x, 1, {.periods_per_year = 252.0});
  EXPECT_NEAR(f.beta(0, 0), 0.9, 1e-12);
  EXPECT_NEAR(f.alpha[0], 0.013, 1e-14);
  EXPECT_NEAR(f.alpha_annual[0], 0.013 * 252, 1e-11);
  EXPECT_NEAR(f.r2[0], 0.81, 1e-12);
  EXPECT_NEAR(f.adj_r2[0], 1.0 - 0.19 * 4.0 / 3.0, 1e-12);
  EXPECT_NEAR(f.beta_se[0], std::sqrt(1.9 / 3.0 / 10.0), 1e-12);
  EXPECT_NEAR(f.t_stat(0, 0), 3.576237, 1e-6);
  EXPECT_NEAR(f.alpha_se[0], 0.00834665, 1e-8);
  EXPECT_NEAR(f.alpha_t[0], 1.557510, 1e-6);
  EXPECT_NEAR(f.residual_vol[0], std::sqrt(1.9 / 3.0) / 100.0, 1e-14);
  EXPECT_NEAR(f.residual_vol_annual[0], std::sqrt(1.9 / 3.0 * 252.0) / 100.0, 1e-12);
  EXPECT_EQ(f.observations, 5u);
}

// Two factors, eight days. Expected values from numpy (peer, not keel):
//   X = column_stack([ones, f1, f2]); b = np.linalg.lstsq(X, y); e = y - X b;
//   s2 = e.e / (8 - 3); se = sqrt(diag(s2 inv(X'X))); r2 = 1 - e.e / sum((y - y.mean())^2)
TEST(FactorRegression, TwoFactorsMatchNumpyLstsq) {
  const std::vector<double> f1{0.010, -0.004, 0.007, 0.002, -0.012, 0.005, 0.009, -0.003};
  const std::vector<double> f2{0.002, 0.003, -0.001, 0.004, 0.001, -0.002, 0.000, 0.005};
  const std::vector<double> y{0.013, -0.002, 0.006, 0.006, -0.015, 0.004, 0.012, 0.001};
  std::vector<double> x;
  for (std::size_t t = 0; t < 8; ++t) {
    x.push_back(f1[t]);
    x.push_back(f2[t]);
  }
  const FactorFits f = fit_factor_model(y, 1, x, 2);
  EXPECT_NEAR(f.alpha[0], -6.2415784408061397e-04, 1e-15);
  EXPECT_NEAR(f.beta(0, 0), 1.2497593840230976, 1e-12);
  EXPECT_NEAR(f.beta(0, 1), 1.0413859480269478, 1e-12);
  EXPECT_NEAR(f.alpha_se[0], 0.00044585524088909, 1e-15);
  EXPECT_NEAR(f.beta_se[0], 0.05179629874069182, 1e-13);
  EXPECT_NEAR(f.beta_se[1], 0.16054465505964965, 1e-13);
  EXPECT_NEAR(f.alpha_t[0], -1.3999114215545967, 1e-10);
  EXPECT_NEAR(f.t_stat(0, 0), 24.128353075569684, 1e-9);
  EXPECT_NEAR(f.t_stat(0, 1), 6.48658124208511, 1e-9);
  EXPECT_NEAR(f.r2[0], 0.9915969915767544, 1e-12);
  EXPECT_NEAR(f.residual_vol[0], 0.0009639308359007849, 1e-15);
}

// t = b / sqrt(s2 [(X'X)^-1]_kk) with X including the intercept column, computed here with a
// plain inverse of the uncentred X'X (the textbook form) on pseudo-random data, three factors and
// four series at once: the centred algebra of the engine must agree.
TEST(FactorRegression, TStatsMatchTextbookFormulaForManySeries) {
  const std::size_t T = 40, K = 3, N = 4;
  std::vector<double> x(T * K), y(T * N);
  unsigned s = 12345;
  auto next = [&s] {
    s = s * 1103515245u + 12345u;
    return static_cast<double>((s >> 8) % 20001) / 1e6 - 0.01;
  };
  for (auto& v : x) v = next();
  for (std::size_t t = 0; t < T; ++t) {
    for (std::size_t j = 0; j < N; ++j) {
      y[t * N + j] = 0.0002 * static_cast<double>(j) + (0.5 + 0.3 * static_cast<double>(j)) * x[t * K] -
                     0.2 * x[t * K + 1] + 0.1 * static_cast<double>(j) * x[t * K + 2] + 0.5 * next();
    }
  }
  const FactorFits f = fit_factor_model(y, N, x, K);
  Eigen::MatrixXd X(T, K + 1);
  for (std::size_t t = 0; t < T; ++t) {
    X(static_cast<Eigen::Index>(t), 0) = 1.0;
    for (std::size_t k = 0; k < K; ++k) X(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(k + 1)) = x[t * K + k];
  }
  const Eigen::MatrixXd inv = (X.transpose() * X).inverse();
  for (std::size_t j = 0; j < N; ++j) {
    Eigen::VectorXd yj(T);
    for (std::size_t t = 0; t < T; ++t) yj(static_cast<Eigen::Index>(t)) = y[t * N + j];
    const Eigen::VectorXd b = inv * X.transpose() * yj;
    const Eigen::VectorXd e = yj - X * b;
    const double s2 = e.squaredNorm() / static_cast<double>(T - K - 1);
    EXPECT_NEAR(f.alpha[j], b(0), 1e-12);
    EXPECT_NEAR(f.alpha_t[j], b(0) / std::sqrt(s2 * inv(0, 0)), 1e-8);
    for (std::size_t k = 0; k < K; ++k) {
      const auto kk = static_cast<Eigen::Index>(k + 1);
      EXPECT_NEAR(f.beta(j, k), b(kk), 1e-10);
      EXPECT_NEAR(f.t_stat(j, k), b(kk) / std::sqrt(s2 * inv(kk, kk)), 1e-8);
    }
  }
}

TEST(FactorRegression, ManySeriesInParallelEqualOneByOne) {
  const std::size_t T = 30, K = 2, N = 150;  // > one parallel task
  std::vector<double> x(T * K), y(T * N);
  for (std::size_t t = 0; t < T; ++t) {
    x[t * K] = std::sin(0.7 * static_cast<double>(t)) * 0.01;
    x[t * K + 1] = std::cos(1.3 * static_cast<double>(t)) * 0.01;
    for (std::size_t j = 0; j < N; ++j) {
      y[t * N + j] = static_cast<double>(j % 7) * 0.1 * x[t * K] + std::sin(static_cast<double>(t * j + 1)) * 0.003;
    }
  }
  const FactorFits all = fit_factor_model(y, N, x, K);
  // Series 0 is constant (0 x x + sin(1) x 0.003): no R^2.
  EXPECT_DOUBLE_EQ(all.r2[0], 0.0);
  for (std::size_t j : {1u, 63u, 64u, 149u}) {
    std::vector<double> yj(T);
    for (std::size_t t = 0; t < T; ++t) yj[t] = y[t * N + j];
    const FactorFits one = fit_factor_model(yj, 1, x, K);
    EXPECT_NEAR(all.beta(j, 0), one.beta(0, 0), 1e-13);
    EXPECT_NEAR(all.beta(j, 1), one.beta(0, 1), 1e-13);
    EXPECT_NEAR(all.r2[j], one.r2[0], 1e-13);
  }
}

TEST(FactorRegression, PerSeriesMissingFitsOnValidRows) {
  const std::vector<double> x{0.01, 0.02, 0.03, 0.04, 0.05, 0.06};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Series 0 complete; series 1 = the hand case of OneFactorByHand with a gap on day 6.
  const std::vector<double> y{0.01, 0.02, 0.02, 0.03, 0.03, 0.05, 0.04, 0.04, 0.05, 0.06, 0.06, nan};
  EXPECT_THROW(fit_factor_model(y, 2, x, 1), Error);
  const FactorFits f = fit_factor_model(y, 2, x, 1, {.missing = MissingReturns::kPerSeries});
  EXPECT_EQ(f.series_observations[0], 6u);
  EXPECT_EQ(f.series_observations[1], 5u);
  EXPECT_NEAR(f.beta(1, 0), 0.9, 1e-12);
  EXPECT_NEAR(f.r2[1], 0.81, 1e-12);
  EXPECT_NEAR(f.beta(0, 0), 1.0, 1e-12);  // y0 = x exactly
}

TEST(FactorRegression, PerfectFitHasInfiniteTStatistics) {
  const std::vector<double> x{0.01, 0.02, 0.03, 0.05};
  const std::vector<double> y{0.021, 0.041, 0.061, 0.101};  // 0.001 + 2x
  const FactorFits f = fit_factor_model(y, 1, x, 1);
  EXPECT_NEAR(f.beta(0, 0), 2.0, 1e-12);
  EXPECT_NEAR(f.r2[0], 1.0, 1e-12);
  EXPECT_GT(std::abs(f.t_stat(0, 0)), 1e6);
}

TEST(FactorRegression, BadInputsAreNamed) {
  const std::vector<double> y{0.01, 0.02, 0.03, 0.01, 0.02};
  // Collinear: f2 = 2 f1.
  const std::vector<double> x{0.01, 0.02, 0.02, 0.04, 0.03, 0.06, 0.00, 0.00, 0.01, 0.02};
  const std::vector<std::string> names{"mkt", "twice_mkt"};
  try {
    fit_factor_model(y, 1, x, 2, {}, names);
    FAIL() << "collinear factors accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("mkt"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("linear combination"), std::string::npos) << e.what();
  }
  // Too few observations for two factors and an intercept.
  EXPECT_THROW(fit_factor_model(std::vector<double>{0.1, 0.2, 0.3}, 1,
                                std::vector<double>{0.1, 0.2, 0.3, 0.1, 0.2, 0.4}, 2),
               Error);
  // Non-finite factor value, named.
  std::vector<double> bad{0.01, 0.02, std::numeric_limits<double>::infinity(), 0.04, 0.05};
  try {
    fit_factor_model(y, 1, bad, 1, {}, std::vector<std::string>{"mkt_rf"});
    FAIL();
  } catch (const Error& e) {
    ASSERT_FALSE(e.details().empty());
    EXPECT_NE(e.details()[0].find("'mkt_rf', observation 3"), std::string::npos) << e.details()[0];
  }
}

TEST(RollingFactorFits, EachWindowEqualsAFreshRegression) {
  const std::size_t T = 50, K = 2;
  std::vector<double> x(T * K), y(T);
  for (std::size_t t = 0; t < T; ++t) {
    x[t * K] = std::sin(0.37 * static_cast<double>(t)) * 0.01;
    x[t * K + 1] = std::cos(0.91 * static_cast<double>(t)) * 0.01;
    y[t] = (t < 25 ? 0.8 : 1.4) * x[t * K] + 0.002 * std::sin(static_cast<double>(t * t));
  }
  const RollingFits r = rolling_factor_fits(y, 1, x, K, {.window = 20, .step = 5});
  ASSERT_EQ(r.windows(), 7u);  // ends 19, 24, ..., 49
  EXPECT_EQ(r.end_index.front(), 19u);
  EXPECT_EQ(r.end_index.back(), 49u);
  for (std::size_t w = 0; w < r.windows(); ++w) {
    const std::size_t start = r.end_index[w] + 1 - 20;
    const FactorFits f = fit_factor_model(std::span<const double>(y).subspan(start, 20), 1,
                                          std::span<const double>(x).subspan(start * K, 20 * K), K);
    EXPECT_DOUBLE_EQ(r.beta(w, 0, 0), f.beta(0, 0));
    EXPECT_DOUBLE_EQ(r.r2[w], f.r2[0]);
  }
  // The market beta moves from about 0.8 to about 1.4 through time.
  EXPECT_LT(r.beta(0, 0, 0), 1.0);
  EXPECT_GT(r.beta(6, 0, 0), 1.2);
  EXPECT_THROW(rolling_factor_fits(y, 1, x, K, {.window = 3}), Error);
  EXPECT_THROW(rolling_factor_fits(y, 1, x, K, {.window = 51}), Error);
  EXPECT_THROW(rolling_factor_fits(y, 1, x, K, {.window = 20, .step = 0}), Error);
}

}  // namespace
}  // namespace keel::factors
