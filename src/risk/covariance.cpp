#include "keel/risk/covariance.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "keel/core/error.h"

namespace keel::risk {
namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRowMap = Eigen::Map<const RowMatrix>;

ConstRowMap as_matrix(const ReturnMatrix& r) {
  return ConstRowMap(r.values.data(), static_cast<Eigen::Index>(r.rows()),
                     static_cast<Eigen::Index>(r.cols()));
}

void require_rows(const ReturnMatrix& r, std::size_t n, const char* what) {
  if (r.rows() < n) {
    throw Error::invalid_input(fmt::format("{} needs at least {} returns, got {}", what, n, r.rows()));
  }
}

// Xc' Xc for a (n x k) matrix, computed on the lower triangle and mirrored.
Eigen::MatrixXd gram(const Eigen::MatrixXd& xc) {
  const Eigen::Index k = xc.cols();
  Eigen::MatrixXd s = Eigen::MatrixXd::Zero(k, k);
  s.selfadjointView<Eigen::Lower>().rankUpdate(xc.transpose());
  s.triangularView<Eigen::StrictlyUpper>() = s.transpose();
  return s;
}

std::vector<double> ewma_weights(std::size_t n, double lambda) {
  if (!(lambda > 0.0 && lambda < 1.0)) {
    throw Error::invalid_input(
        fmt::format("EWMA lambda must lie strictly between 0 and 1, got {:f}", lambda));
  }
  // Row t (oldest first) has age n - 1 - t.
  std::vector<double> w(n);
  const double norm = (1.0 - lambda) / (1.0 - std::pow(lambda, static_cast<double>(n)));
  double f = 1.0;
  for (std::size_t i = 0; i < n; ++i) {
    w[n - 1 - i] = norm * f;
    f *= lambda;
  }
  return w;
}

}  // namespace

std::string_view covariance_method_name(CovarianceMethod m) {
  switch (m) {
    case CovarianceMethod::kSample: return "sample";
    case CovarianceMethod::kEwma: return "ewma";
    case CovarianceMethod::kLedoitWolf: return "ledoit-wolf";
  }
  return "sample";
}

std::optional<CovarianceMethod> parse_covariance_method(std::string_view text) {
  if (text == "sample") return CovarianceMethod::kSample;
  if (text == "ewma") return CovarianceMethod::kEwma;
  if (text == "ledoit-wolf" || text == "ledoit_wolf" || text == "lw") {
    return CovarianceMethod::kLedoitWolf;
  }
  return std::nullopt;
}

Eigen::MatrixXd sample_covariance(const ReturnMatrix& returns) {
  require_rows(returns, 2, "sample covariance");
  const auto x = as_matrix(returns);
  const Eigen::RowVectorXd mean = x.colwise().mean();
  const Eigen::MatrixXd xc = x.rowwise() - mean;
  return gram(xc) / static_cast<double>(returns.rows() - 1);
}

Eigen::MatrixXd ewma_covariance(const ReturnMatrix& returns, double lambda) {
  require_rows(returns, 1, "EWMA covariance");
  const auto w = ewma_weights(returns.rows(), lambda);
  const auto x = as_matrix(returns);
  Eigen::MatrixXd xs(x.rows(), x.cols());
  for (Eigen::Index t = 0; t < x.rows(); ++t) {
    xs.row(t) = x.row(t) * std::sqrt(w[static_cast<std::size_t>(t)]);
  }
  return gram(xs);
}

LedoitWolfEstimate ledoit_wolf_covariance(const ReturnMatrix& returns) {
  require_rows(returns, 2, "Ledoit-Wolf covariance");
  const auto x = as_matrix(returns);
  const auto n = static_cast<double>(x.rows());
  const auto p = static_cast<double>(x.cols());
  const Eigen::RowVectorXd mean = x.colwise().mean();
  const Eigen::MatrixXd xc = x.rowwise() - mean;
  Eigen::MatrixXd s = gram(xc) / n;  // S_n, the maximum-likelihood sample covariance

  const double trace = s.trace();
  const double mu = trace / p;
  // sum_k ||x_k||^4 (x_k = k-th demeaned observation) and ||S_n||_F^2.
  double sum_norm4 = 0.0;
  for (Eigen::Index t = 0; t < xc.rows(); ++t) {
    const double q = xc.row(t).squaredNorm();
    sum_norm4 += q * q;
  }
  const double s_norm2 = s.squaredNorm();
  // b_bar^2 = (1 / (n^2 p)) sum_k ||x_k x_k' - S_n||_F^2 = (sum ||x_k||^4 / n - ||S_n||^2) / (n p).
  double b2 = (sum_norm4 / n - s_norm2) / (n * p);
  // d^2 = ||S_n - mu I||_F^2 / p.
  const double d2 = (s_norm2 - 2.0 * mu * trace + p * mu * mu) / p;
  b2 = std::min(b2, d2);
  LedoitWolfEstimate out;
  out.shrinkage = (b2 <= 0.0 || d2 <= 0.0) ? 0.0 : b2 / d2;
  out.target_scale = mu;
  s *= 1.0 - out.shrinkage;
  s.diagonal().array() += out.shrinkage * mu;
  out.matrix = std::move(s);
  return out;
}

Eigen::MatrixXd covariance(const ReturnMatrix& returns, const CovarianceOptions& options) {
  switch (options.method) {
    case CovarianceMethod::kSample: return sample_covariance(returns);
    case CovarianceMethod::kEwma: return ewma_covariance(returns, options.ewma_lambda);
    case CovarianceMethod::kLedoitWolf: return ledoit_wolf_covariance(returns).matrix;
  }
  return sample_covariance(returns);
}

std::vector<double> covariance_times(const ReturnMatrix& returns, std::span<const double> w,
                                     const CovarianceOptions& options) {
  const std::size_t n = returns.rows();
  const std::size_t k = returns.cols();
  if (w.size() != k) throw Error::internal("covariance_times: weight vector has the wrong size");
  std::vector<double> out(k, 0.0);
  if (options.method == CovarianceMethod::kLedoitWolf) {
    const Eigen::MatrixXd s = ledoit_wolf_covariance(returns).matrix;
    const Eigen::Map<const Eigen::VectorXd> wv(w.data(), static_cast<Eigen::Index>(k));
    Eigen::Map<Eigen::VectorXd>(out.data(), static_cast<Eigen::Index>(k)) = s * wv;
    return out;
  }
  // Per-row portfolio values y = X w, then Sigma w = X' (c o y) (Eigen's vectorised products).
  const auto x = as_matrix(returns);
  const Eigen::Map<const Eigen::VectorXd> wv(w.data(), static_cast<Eigen::Index>(k));
  Eigen::VectorXd y = x * wv;
  if (options.method == CovarianceMethod::kSample) {
    require_rows(returns, 2, "sample covariance");
    // Xc'(Xc w) = X'(y - mean(y)) because the centred y sums to zero.
    y.array() -= y.mean();
    y /= static_cast<double>(n - 1);
  } else {
    require_rows(returns, 1, "EWMA covariance");
    const auto c = ewma_weights(n, options.ewma_lambda);
    y.array() *= Eigen::Map<const Eigen::ArrayXd>(c.data(), static_cast<Eigen::Index>(n));
  }
  Eigen::Map<Eigen::VectorXd>(out.data(), static_cast<Eigen::Index>(k)) = x.transpose() * y;
  return out;
}

std::vector<double> covariance_diagonal(const ReturnMatrix& returns, const CovarianceOptions& options) {
  const std::size_t n = returns.rows();
  const std::size_t k = returns.cols();
  std::vector<double> out(k, 0.0);
  if (options.method == CovarianceMethod::kLedoitWolf) {
    const Eigen::MatrixXd s = ledoit_wolf_covariance(returns).matrix;
    for (std::size_t a = 0; a < k; ++a) out[a] = s(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(a));
    return out;
  }
  if (options.method == CovarianceMethod::kEwma) {
    require_rows(returns, 1, "EWMA covariance");
    const auto w = ewma_weights(n, options.ewma_lambda);
    for (std::size_t t = 0; t < n; ++t) {
      const double* x = returns.values.data() + t * k;
      for (std::size_t a = 0; a < k; ++a) out[a] += w[t] * x[a] * x[a];
    }
    return out;
  }
  require_rows(returns, 2, "sample covariance");
  std::vector<double> mean(k, 0.0);
  for (std::size_t t = 0; t < n; ++t) {
    const double* x = returns.values.data() + t * k;
    for (std::size_t a = 0; a < k; ++a) mean[a] += x[a];
  }
  for (double& m : mean) m /= static_cast<double>(n);
  for (std::size_t t = 0; t < n; ++t) {
    const double* x = returns.values.data() + t * k;
    for (std::size_t a = 0; a < k; ++a) out[a] += (x[a] - mean[a]) * (x[a] - mean[a]);
  }
  for (double& v : out) v /= static_cast<double>(n - 1);
  return out;
}

std::size_t clip_eigenvalues(Eigen::MatrixXd& cov, double floor) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(cov);
  if (es.info() != Eigen::Success) throw Error::internal("eigen-decomposition of covariance failed");
  Eigen::VectorXd lambda = es.eigenvalues();
  std::size_t clipped = 0;
  for (Eigen::Index i = 0; i < lambda.size(); ++i) {
    if (lambda(i) < floor) {
      lambda(i) = floor;
      ++clipped;
    }
  }
  if (clipped > 0) {
    cov = es.eigenvectors() * lambda.asDiagonal() * es.eigenvectors().transpose();
  }
  return clipped;
}

CovarianceFactor factorize(const Eigen::MatrixXd& cov, bool repair) {
  if (cov.rows() != cov.cols() || cov.rows() == 0) {
    throw Error::internal("factorize: covariance must be a non-empty square matrix");
  }
  if (!cov.allFinite()) throw Error::invalid_input("covariance matrix has non-finite entries");
  const double max_diag = cov.diagonal().maxCoeff();
  if (!(max_diag > 0.0)) {
    throw Error::invalid_input(
        "covariance matrix is zero: every return in the window is zero");
  }
  CovarianceFactor out;
  Eigen::LLT<Eigen::MatrixXd> llt(cov);
  bool ok = llt.info() == Eigen::Success;
  if (ok) {
    // A pivot that is tiny next to the asset's own variance means the asset is (almost) a linear
    // combination of the previous ones: the matrix is singular to working precision.
    const Eigen::MatrixXd& l = llt.matrixLLT();
    for (Eigen::Index i = 0; i < cov.rows() && ok; ++i) {
      const double pivot2 = l(i, i) * l(i, i);
      ok = cov(i, i) > 0.0 && pivot2 > 1e-10 * cov(i, i);
    }
  }
  if (ok) {
    out.factor = llt.matrixL();
    return out;
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(cov);
  if (es.info() != Eigen::Success) throw Error::internal("eigen-decomposition of covariance failed");
  const Eigen::VectorXd lambda = es.eigenvalues();  // ascending
  out.min_eigenvalue = lambda(0);
  if (!repair) {
    throw Error::invalid_input(
        fmt::format("covariance matrix is not positive definite (singular or nearly so: smallest eigenvalue "
                    "{:f}, largest {:f}); an asset is constant or a combination of others, or the window is "
                    "shorter than the number of assets; allow eigenvalue repair or change the inputs",
                    lambda(0), lambda(lambda.size() - 1)));
  }
  const double floor = 1e-12 * lambda(lambda.size() - 1);
  Eigen::VectorXd root(lambda.size());
  for (Eigen::Index i = 0; i < lambda.size(); ++i) {
    if (lambda(i) < floor) ++out.clipped;
    root(i) = std::sqrt(std::max(lambda(i), floor));
  }
  out.factor = es.eigenvectors() * root.asDiagonal();
  out.repaired = true;
  out.warnings.push_back(
      fmt::format("covariance matrix is not positive definite (smallest eigenvalue {:f}); "
                  "repaired by clipping {} eigenvalue(s) to {:f}",
                  lambda(0), out.clipped, floor));
  return out;
}

Eigen::MatrixXd correlation_from_covariance(const Eigen::MatrixXd& cov) {
  const Eigen::Index k = cov.rows();
  Eigen::MatrixXd c(k, k);
  for (Eigen::Index i = 0; i < k; ++i) {
    for (Eigen::Index j = 0; j < k; ++j) {
      const double d = cov(i, i) * cov(j, j);
      c(i, j) = i == j ? 1.0 : (d > 0.0 ? cov(i, j) / std::sqrt(d) : 0.0);
    }
  }
  return c;
}

}  // namespace keel::risk
