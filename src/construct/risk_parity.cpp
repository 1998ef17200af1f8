// Risk budgeting (equal risk contribution when the budgets are equal): the weights whose risk
// contributions w_i (Sigma w)_i / w'Sigma w equal the budgets b_i / sum b. They are y / sum y for
// the unique minimiser y > 0 of the strictly convex f(y) = 1/2 y'Sigma y - sum b_i ln y_i, whose
// gradient Sigma y - b / y vanishes exactly when y_i (Sigma y)_i = b_i (Spinu, "An algorithm for
// computing risk parity weights", 2013). Newton's method with a backtracking line search that keeps
// y positive converges quadratically, to contributions equal within rounding.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "construct_internal.h"
#include "keel/core/error.h"

namespace keel::construct::detail {

Result risk_parity(const Problem& pb) {
  using Eigen::Index;
  using Eigen::VectorXd;
  const Index n = Index(pb.symbols.size());
  VectorXd b = VectorXd::Constant(n, 1.0);
  if (!pb.risk_budgets.empty()) {
    if (Index(pb.risk_budgets.size()) != n)
      throw Error::invalid_input("risk budgets: one per asset");
    for (Index i = 0; i < n; ++i) {
      b[i] = pb.risk_budgets[std::size_t(i)];
      if (!(b[i] > 0.0))
        throw Error::invalid_input(fmt::format("risk budget of {} must be positive", pb.symbols[std::size_t(i)]));
    }
  }
  b /= b.sum();
  for (Index i = 0; i < n; ++i)
    if (!(pb.covariance(i, i) > 0.0))
      throw Error::invalid_input(
          fmt::format("risk-parity: {} has no variance in the window", pb.symbols[std::size_t(i)]));
  // Scaled to a unit mean variance: the weights do not change, the Newton steps are better conditioned.
  const double s = pb.covariance.diagonal().mean();
  const Eigen::MatrixXd S = pb.covariance / s;
  const auto f = [&](const VectorXd& y) { return 0.5 * y.dot(S * y) - (b.array() * y.array().log()).sum(); };
  VectorXd y = b.cwiseQuotient(S.diagonal().cwiseSqrt());
  y *= std::sqrt(1.0 / y.dot(S * y));
  int it = 0;
  for (; it < 100; ++it) {
    const VectorXd sy = S * y;
    const VectorXd g = sy - b.cwiseQuotient(y);
    // Stop when every y_i (Sigma y)_i is b_i to rounding.
    if ((y.cwiseProduct(sy) - b).cwiseAbs().maxCoeff() <= 1e-15) break;
    Eigen::MatrixXd H = S;
    H.diagonal() += b.cwiseQuotient(y.cwiseProduct(y));
    const VectorXd d = -H.llt().solve(g);
    double a = 1.0;
    for (Index i = 0; i < n; ++i)
      if (d[i] < 0.0) a = std::min(a, -0.99 * y[i] / d[i]);
    const double f0 = f(y), slope = g.dot(d);
    while (a > 1e-16 && f(y + a * d) > f0 + 1e-4 * a * slope) a *= 0.5;
    const VectorXd next = y + a * d;
    if (next == y) break;
    y = next;
  }
  Result r;
  const VectorXd w = y / y.sum();
  r.weights.assign(w.data(), w.data() + n);
  r.solver = "newton";
  r.iterations = it;
  const VectorXd sy = S * y;
  r.kkt_residual = (y.cwiseProduct(sy) - b).cwiseAbs().maxCoeff();
  r.duality_gap = 0.0;
  r.binding = {"budget"};
  describe(pb, r);
  return r;
}

}  // namespace keel::construct::detail
