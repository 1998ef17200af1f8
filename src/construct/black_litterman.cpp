#include "keel/construct/black_litterman.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "keel/core/error.h"

namespace keel::construct {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

VectorXd equilibrium_returns(const MatrixXd& covariance, const VectorXd& market_weights, double risk_aversion) {
  if (covariance.rows() != market_weights.size() || covariance.cols() != market_weights.size())
    throw Error::invalid_input("equilibrium returns: the market weights do not match the covariance");
  return risk_aversion * (covariance * market_weights);
}

std::optional<double> implied_risk_aversion(const MatrixXd& covariance, const VectorXd& mean,
                                            const VectorXd& market_weights, double risk_free) {
  const double var = market_weights.dot(covariance * market_weights);
  const double excess = mean.dot(market_weights) - risk_free * market_weights.sum();
  const double delta = excess / var;
  if (!(var > 0.0) || !std::isfinite(delta) || !(delta > 0.0)) return std::nullopt;
  return delta;
}

BlackLittermanResult black_litterman(const MatrixXd& covariance, const VectorXd& prior, const std::vector<View>& views,
                                     double tau) {
  const Index n = prior.size();
  if (covariance.rows() != n || covariance.cols() != n)
    throw Error::invalid_input("Black-Litterman: the prior does not match the covariance");
  if (!(tau > 0.0) || !std::isfinite(tau)) throw Error::invalid_input(fmt::format("tau must be positive, got {}", tau));
  BlackLittermanResult out{prior, VectorXd::Zero(Index(views.size()))};
  if (views.empty()) return out;
  // A view at confidence 0 has omega = infinity: it drops out of the posterior.
  std::vector<std::size_t> used;
  for (std::size_t v = 0; v < views.size(); ++v) {
    const View& view = views[v];
    if (view.terms.empty()) throw Error::invalid_input(fmt::format("view {} names no asset", view.label));
    if (!(view.confidence >= 0.0 && view.confidence <= 1.0))
      throw Error::invalid_input(
          fmt::format("view {}: confidence must lie in [0, 1], got {}", view.label, view.confidence));
    for (const auto& [i, w] : view.terms)
      if (Index(i) >= n) throw Error::invalid_input(fmt::format("view {} names an asset out of range", view.label));
    if (view.confidence > 0.0) used.push_back(v);
    else out.omega[Index(v)] = std::numeric_limits<double>::infinity();
  }
  if (used.empty()) return out;
  const Index k = Index(used.size());
  MatrixXd P = MatrixXd::Zero(k, n);
  VectorXd Q(k);
  for (Index v = 0; v < k; ++v) {
    const View& view = views[used[std::size_t(v)]];
    for (const auto& [i, w] : view.terms) P(v, Index(i)) += w;
    Q[v] = view.value;
  }
  const MatrixXd tau_sigma_pt = tau * covariance * P.transpose();  // n x k
  MatrixXd M = P * tau_sigma_pt;                                   // tau P Sigma P'
  for (Index v = 0; v < k; ++v) {
    const double c = views[used[std::size_t(v)]].confidence;
    const double omega = (1.0 - c) / c * M(v, v);
    out.omega[Index(used[std::size_t(v)])] = omega;
    M(v, v) += omega;
  }
  // M is symmetric positive semi-definite; singular only when views at full confidence are
  // linearly dependent (or a view's portfolio has no variance).
  const Eigen::FullPivLU<MatrixXd> lu(M);
  if (lu.rank() < k) {
    std::vector<std::string> labels;
    for (const std::size_t u : used) {
      const View& v = views[u];
      labels.push_back(fmt::format("{} ({}, confidence {})", v.label, v.value, v.confidence));
    }
    throw Error::invalid_input(
        "views: the views are linearly dependent where fully confident (or one has no variance); lower a confidence "
        "or drop a view",
        std::move(labels));
  }
  out.mean = prior + tau_sigma_pt * lu.solve(Q - P * prior);
  return out;
}

}  // namespace keel::construct
