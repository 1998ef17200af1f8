#include "keel/risk/covariance.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"

namespace keel::risk {
namespace {

ReturnMatrix make(std::size_t cols, std::vector<double> values) {
  ReturnMatrix r;
  for (std::size_t a = 0; a < cols; ++a) r.symbols.push_back("S" + std::to_string(a));
  r.dates.resize(values.size() / cols);
  r.values = std::move(values);
  return r;
}

// x = 1,2,3,4 %, y = 2,1,4,3 %: deviations (-1.5,-0.5,0.5,1.5) and (-0.5,-1.5,1.5,0.5) percent.
ReturnMatrix four_days() {
  return make(2, {0.01, 0.02, 0.02, 0.01, 0.03, 0.04, 0.04, 0.03});
}

TEST(SampleCovariance, MatchesHandCalculation) {
  const Eigen::MatrixXd s = sample_covariance(four_days());
  // var = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3 (percent^2); cov = (0.75 x 4) / 3 = 1 (percent^2).
  EXPECT_NEAR(s(0, 0), 5.0 / 3.0 * 1e-4, 1e-18);
  EXPECT_NEAR(s(1, 1), 5.0 / 3.0 * 1e-4, 1e-18);
  EXPECT_NEAR(s(0, 1), 1e-4, 1e-18);
  EXPECT_NEAR(s(1, 0), 1e-4, 1e-18);
}

TEST(EwmaCovariance, MatchesHandCalculation) {
  // lambda = 0.5, n = 3: weights newest..oldest = (1/2, 1/4, 1/8) / (1 - 1/8) = 4/7, 2/7, 1/7.
  const auto r = make(2, {0.01, 0.00, 0.00, 0.02, 0.01, 0.01});
  const Eigen::MatrixXd s = ewma_covariance(r, 0.5);
  EXPECT_NEAR(s(0, 0), (1.0 / 7 + 4.0 / 7) * 1e-4, 1e-18);
  EXPECT_NEAR(s(0, 1), 4.0 / 7 * 1e-4, 1e-18);
  EXPECT_NEAR(s(1, 1), (2.0 / 7 * 4 + 4.0 / 7) * 1e-4, 1e-18);
  EXPECT_THROW(ewma_covariance(r, 1.0), Error);
  EXPECT_THROW(ewma_covariance(r, 0.0), Error);
}

TEST(LedoitWolf, MatchesTheFormulasOfThePaper) {
  // Expected values: the estimator of Ledoit & Wolf (2004), section 3 (m = <S, I>, d^2 = ||S - mI||^2,
  // b_bar^2 = n^-2 sum ||x_k x_k' - S||^2, normalised Frobenius norm), transcribed independently in
  // numpy (loops over observations) on these 5 x 3 returns.
  const auto r = make(3, {0.01, 0.02, -0.01, 0.03, -0.01, 0.00, -0.02, 0.01, 0.02,
                          0.00, 0.03, -0.02, 0.02, -0.02, 0.01});
  const LedoitWolfEstimate lw = ledoit_wolf_covariance(r);
  EXPECT_NEAR(lw.shrinkage, 0.6093821510297482, 1e-12);
  EXPECT_NEAR(lw.target_scale, 0.00028, 1e-15);
  const double expected[3][3] = {{2.86249886e-04, -7.34361556e-05, -2.34370709e-05},
                                 {-7.34361556e-05, 3.04999542e-04, -6.24988558e-05},
                                 {-2.34370709e-05, -6.24988558e-05, 2.48750572e-04}};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(lw.matrix(i, j), expected[i][j], 1e-12);
  }
}

TEST(CovarianceTimes, AgreesWithTheMatrixForEveryEstimator) {
  const auto r = make(3, {0.01, 0.02, -0.01, 0.03, -0.01, 0.00, -0.02, 0.01, 0.02,
                          0.00, 0.03, -0.02, 0.02, -0.02, 0.01});
  const std::vector<double> w{100.0, -50.0, 25.0};
  const Eigen::Map<const Eigen::VectorXd> wv(w.data(), 3);
  for (auto m : {CovarianceMethod::kSample, CovarianceMethod::kEwma, CovarianceMethod::kLedoitWolf}) {
    const CovarianceOptions o{.method = m};
    const Eigen::VectorXd expect = covariance(r, o) * wv;
    const auto got = covariance_times(r, w, o);
    const auto diag = covariance_diagonal(r, o);
    for (int a = 0; a < 3; ++a) {
      EXPECT_NEAR(got[static_cast<std::size_t>(a)], expect(a), 1e-15) << covariance_method_name(m);
      EXPECT_NEAR(diag[static_cast<std::size_t>(a)], covariance(r, o)(a, a), 1e-18);
    }
  }
}

TEST(Factorize, CholeskyOfAPositiveDefiniteMatrix) {
  Eigen::MatrixXd s(2, 2);
  s << 4.0, 2.0, 2.0, 5.0;
  const CovarianceFactor f = factorize(s, false);
  EXPECT_FALSE(f.repaired);
  // L = [[2, 0], [1, 2]] by hand.
  EXPECT_DOUBLE_EQ(f.factor(0, 0), 2.0);
  EXPECT_DOUBLE_EQ(f.factor(1, 0), 1.0);
  EXPECT_DOUBLE_EQ(f.factor(1, 1), 2.0);
  EXPECT_DOUBLE_EQ(f.factor(0, 1), 0.0);
}

TEST(Factorize, SingularMatrixIsAnErrorUnlessRepairIsAllowed) {
  // Two copies of the same asset: rank 1.
  const auto r = make(2, {0.01, 0.01, -0.02, -0.02, 0.03, 0.03});
  const Eigen::MatrixXd s = sample_covariance(r);
  try {
    factorize(s, false);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("not positive definite"), std::string::npos);
  }
  const CovarianceFactor f = factorize(s, true);
  EXPECT_TRUE(f.repaired);
  EXPECT_EQ(f.clipped, 1u);
  ASSERT_EQ(f.warnings.size(), 1u);
  const Eigen::MatrixXd back = f.factor * f.factor.transpose();
  EXPECT_NEAR((back - s).cwiseAbs().maxCoeff(), 0.0, 1e-15);
  EXPECT_THROW(factorize(Eigen::MatrixXd::Zero(2, 2), true), Error);
}

TEST(ClipEigenvalues, RaisesNegativeEigenvalues) {
  // Eigenvalues of [[1, 2], [2, 1]] are 3 and -1; clipped at 0 -> 1.5 [[1, 1], [1, 1]].
  Eigen::MatrixXd s(2, 2);
  s << 1.0, 2.0, 2.0, 1.0;
  EXPECT_EQ(clip_eigenvalues(s, 0.0), 1u);
  EXPECT_NEAR(s(0, 0), 1.5, 1e-12);
  EXPECT_NEAR(s(0, 1), 1.5, 1e-12);
}

TEST(Correlation, FromCovariance) {
  const Eigen::MatrixXd c = correlation_from_covariance(sample_covariance(four_days()));
  EXPECT_DOUBLE_EQ(c(0, 0), 1.0);
  EXPECT_NEAR(c(0, 1), 1.0 / (5.0 / 3.0), 1e-12);  // 0.6
}

}  // namespace
}  // namespace keel::risk
