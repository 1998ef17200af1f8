#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <vector>

#include "keel/core/distributions.h"
#include "keel/core/error.h"
#include "keel/risk/var.h"

namespace keel::risk {

VarResult parametric_var(const RiskBook& book, const ReturnMatrix& returns, const VarOptions& options) {
  validate_var_inputs(book, returns, options);
  const std::vector<double> e = book.asset_exposures();
  const std::vector<double> g = covariance_times(returns, e, options.covariance);
  double variance = 0.0;
  for (std::size_t a = 0; a < e.size(); ++a) variance += e[a] * g[a];
  if (!(variance > 0.0)) {
    throw Error::invalid_input(
        "the portfolio's variance is zero over the window (no risky exposure, or every return is "
        "zero): VaR is undefined");
  }
  double mu_p = 0.0;
  if (options.mean == MeanModel::kSample) {
    const std::size_t n = returns.rows();
    for (std::size_t t = 0; t < n; ++t) {
      const auto r = returns.row(t);
      for (std::size_t a = 0; a < e.size(); ++a) mu_p += e[a] * r[a];
    }
    mu_p /= static_cast<double>(n);
  }
  const double h = options.horizon_days;
  const double c = options.confidence;
  const double z = normal_quantile(c);
  const double sigma_h = std::sqrt(variance) * std::sqrt(h);

  VarResult out;
  out.method = VarMethod::kParametric;
  out.confidence = c;
  out.horizon_days = options.horizon_days;
  out.var = z * sigma_h - h * mu_p;
  out.es = sigma_h * normal_pdf(z) / (1.0 - c) - h * mu_p;
  out.volatility = sigma_h;
  out.scenarios = returns.rows();
  if (book.has_options() && options.delta_gamma) {
    const DeltaGammaMoments dg = delta_gamma_moments(book, returns, options.covariance, h);
    const CornishFisherTail tail = cornish_fisher_tail(dg, c);
    out.var = tail.var - h * mu_p;
    out.es = tail.es - h * mu_p;
    out.volatility = std::sqrt(dg.variance);
  } else if (book.has_options()) {
    out.warnings.push_back("parametric VaR treats options through their delta exposure (--delta-gamma adds gamma)");
  }
  return out;
}

DeltaGammaMoments delta_gamma_moments(const RiskBook& book, const ReturnMatrix& returns,
                                      const CovarianceOptions& covariance_options, double horizon_days) {
  const std::vector<double> e = book.asset_exposures();
  const std::vector<double> g = book.asset_gamma_exposures();
  // S = h Sigma; only assets with gamma need the full matrix, the rest enter through S e.
  std::vector<double> se = covariance_times(returns, e, covariance_options);
  for (double& x : se) x *= horizon_days;
  std::vector<std::size_t> k;  // assets with gamma
  for (std::size_t a = 0; a < g.size(); ++a) {
    if (g[a] != 0.0) k.push_back(a);
  }
  const Eigen::MatrixXd sigma = covariance(returns, covariance_options);
  const std::size_t n = k.size();
  // M = G S restricted to the gamma assets (G S has zero rows elsewhere, so traces reduce to M).
  Eigen::MatrixXd m(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          g[k[i]] * horizon_days * sigma(static_cast<Eigen::Index>(k[i]), static_cast<Eigen::Index>(k[j]));
    }
  }
  DeltaGammaMoments out;
  double ese = 0.0;
  for (std::size_t a = 0; a < e.size(); ++a) ese += e[a] * se[a];
  double segse = 0.0;  // e'S G S e = sum over gamma assets of g_a (S e)_a^2
  for (std::size_t a : k) segse += g[a] * se[a] * se[a];
  const Eigen::MatrixXd m2 = m * m;
  out.mean = 0.5 * m.trace();
  out.variance = ese + 0.5 * m2.trace();
  out.third_central = 3.0 * segse + (m2 * m).trace();
  return out;
}

CornishFisherTail cornish_fisher_tail(const DeltaGammaMoments& dg, double confidence) {
  if (!(dg.variance > 0.0)) throw Error::invalid_input("delta-gamma: the P&L variance is zero");
  const double sd = std::sqrt(dg.variance);
  const double skew = dg.third_central / (dg.variance * sd);
  // The expanded quantile q(u) = m + sd (z_u + (z_u^2 - 1) skew / 6) is not monotone in u when the
  // skewness is large; sorting its values on a fine grid of u gives the monotone rearrangement
  // (Chernozhukov, Fernandez-Val & Galichon 2010, Econometrica 78), a proper quantile function
  // that equals q wherever q is already monotone. VaR and ES are read from it.
  constexpr std::size_t kGrid = 20000;
  std::vector<double> q(kGrid);
  for (std::size_t i = 0; i < kGrid; ++i) {
    const double zu = normal_quantile((static_cast<double>(i) + 0.5) / kGrid);
    q[i] = dg.mean + sd * (zu + (zu * zu - 1.0) * skew / 6.0);
  }
  std::sort(q.begin(), q.end());
  const double alpha = 1.0 - confidence;
  // Quantile at alpha: linear interpolation between grid points u_i = (i + 1/2) / kGrid.
  const double h = std::clamp(alpha * kGrid - 0.5, 0.0, static_cast<double>(kGrid - 1));
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, kGrid - 1);
  CornishFisherTail out;
  out.var = -(q[lo] + (h - static_cast<double>(lo)) * (q[hi] - q[lo]));
  // ES: the average of the quantile function over (0, alpha).
  const double tail_points = alpha * kGrid;
  const auto whole = static_cast<std::size_t>(std::floor(tail_points));
  double sum = 0.0;
  for (std::size_t i = 0; i < whole; ++i) sum += q[i];
  if (whole < kGrid) sum += (tail_points - static_cast<double>(whole)) * q[whole];
  out.es = -sum / tail_points;
  out.skewness = skew;
  return out;
}

}  // namespace keel::risk
