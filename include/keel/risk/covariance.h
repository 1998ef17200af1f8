// keel/risk/covariance.h: covariance estimators for daily returns, PSD repair, correlation.
//
// Estimators (all in squared decimal return per day):
//   sample       S = Xc' Xc / (n - 1), Xc = returns minus their column means.
//   ewma         RiskMetrics (J.P. Morgan/Reuters, RiskMetrics Technical Document, 4th ed., 1996,
//                section 5.2): zero-mean, exponentially weighted, decay lambda (0.94 for daily data),
//                weights normalised over the finite window:
//                Sigma = sum_{i=0}^{n-1} w_i r_{n-1-i} r_{n-1-i}',  w_i = (1 - lambda) lambda^i / (1 - lambda^n).
//   ledoit-wolf  Ledoit & Wolf (2004), "A well-conditioned estimator for large-dimensional covariance
//                matrices", J. Multivariate Analysis 88: shrinks the (1/n) sample covariance of the
//                demeaned returns towards mu*I, mu = trace/p, with the paper's optimal intensity
//                delta = min(b^2 / d^2, 1) (the same formulas as scikit-learn's ledoit_wolf).
// The matrices are symmetric; they may be only positive semi-definite (fewer observations than
// assets, duplicated assets). `factorize` repairs a non-positive-definite matrix by eigenvalue
// clipping (Higham's nearest-PSD idea in its simplest form) and says so in a warning.
//
// Thread-safety: pure functions. Eigen matrices are column-major.
#pragma once

#include <Eigen/Dense>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/risk/covariance_options.h"
#include "keel/risk/returns.h"

namespace keel::risk {

// Sample covariance with the n - 1 denominator. Throws invalid_input for fewer than 2 rows.
Eigen::MatrixXd sample_covariance(const ReturnMatrix& returns);

// RiskMetrics EWMA covariance (zero mean, normalised finite-window weights, see above).
// Throws invalid_input when lambda is outside (0, 1) or there are no rows.
Eigen::MatrixXd ewma_covariance(const ReturnMatrix& returns, double lambda = 0.94);

struct LedoitWolfEstimate {
  Eigen::MatrixXd matrix;    // (1 - shrinkage) S_n + shrinkage * mu * I
  double shrinkage = 0.0;    // delta in [0, 1]
  double target_scale = 0.0; // mu = trace(S_n) / p
};
// Ledoit-Wolf (2004) shrinkage towards the scaled identity. Throws invalid_input for < 2 rows.
LedoitWolfEstimate ledoit_wolf_covariance(const ReturnMatrix& returns);

// The chosen estimator.
Eigen::MatrixXd covariance(const ReturnMatrix& returns, const CovarianceOptions& options);

// Sigma * w for the chosen estimator without forming Sigma when it can (sample and EWMA cost
// O(rows x cols)); `w` has one entry per column of `returns`.
std::vector<double> covariance_times(const ReturnMatrix& returns, std::span<const double> w,
                                     const CovarianceOptions& options);

// Diagonal of the chosen estimator (per-asset variances) without forming the matrix for sample
// and EWMA.
std::vector<double> covariance_diagonal(const ReturnMatrix& returns, const CovarianceOptions& options);

struct CovarianceFactor {
  Eigen::MatrixXd factor;   // A with A A' = Sigma (lower Cholesky factor unless repaired)
  bool repaired = false;    // eigenvalues were clipped
  std::size_t clipped = 0;  // how many
  double min_eigenvalue = 0.0;  // smallest eigenvalue before repair (only set when repaired)
  std::vector<std::string> warnings;
};

// A factor of `cov` for correlated draws. Cholesky when `cov` is positive definite; otherwise,
// when `repair` is true, eigenvalues below floor = 1e-12 x largest eigenvalue are raised to the
// floor and A = V sqrt(Lambda) (warning added); when `repair` is false, throws
// keel::Error(invalid_input) "covariance matrix is not positive definite (singular ...)".
// Throws invalid_input when the matrix is zero or has non-finite entries.
CovarianceFactor factorize(const Eigen::MatrixXd& cov, bool repair = true);

// Eigenvalue clipping of a symmetric matrix in place: eigenvalues below `floor` become `floor`.
// Returns the number clipped.
std::size_t clip_eigenvalues(Eigen::MatrixXd& cov, double floor);

// Correlation matrix C_ij = S_ij / sqrt(S_ii S_jj); a zero-variance asset gets a correlation of 0
// with the others and 1 with itself.
Eigen::MatrixXd correlation_from_covariance(const Eigen::MatrixXd& cov);

}  // namespace keel::risk
