// The top of the frontier (the largest expected return, within a tracking error limit when there
// is one) and the frontier itself: keel/construct/optimize.h's frontier().
#include "keel/construct/optimize.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "cardinality.h"
#include "construct_internal.h"
#include "keel/core/error.h"

namespace keel::construct {
namespace detail {
namespace {

using Eigen::Index;
using Eigen::VectorXd;

// Whether some portfolio meets the constraints: the minimum variance program on them has an
// optimum. (An LP the solver cannot bound reports infeasible: this tells the two apart.)
bool constraints_feasible(const Problem& pb) {
  Formulation f = detail::formulate(pb);
  f.qp.q.setZero();
  return solve_qp(f.qp).status == QpStatus::kOptimal;
}

// The LP of the top of the frontier, max m'w on the constraints: its solution, or an error saying
// whether no portfolio meets the constraints or the return has no maximum on them.
QpSolution max_return_lp(const Problem& pb, Formulation& f) {
  f.qp.P.setZero();
  f.qp.q.head(Index(f.n)) = -pb.mean;
  QpSolution s = solve_qp(f.qp);
  if (s.status == QpStatus::kOptimal) return s;
  if (s.status == QpStatus::kInfeasible && !constraints_feasible(pb)) detail::throw_infeasible(pb, "");
  throw Error::invalid_input(
      "the expected return is unbounded under these constraints: the frontier needs bounds (long_only, or "
      "bounds per asset)");
}

}  // namespace

// Largest feasible expected return (an LP on the same constraints).
double max_return(const Problem& pb) {
  Formulation f = detail::formulate(pb);
  const QpSolution s = max_return_lp(pb, f);
  return pb.mean.dot(s.x.head(Index(f.n)));
}

// The largest m'w under the constraints and the tracking error limit (the top of the frontier
// with a tracking error): the LP's when its portfolio keeps within the limit, otherwise the limit
// is dualised as in solve_variance, min theta/2 (w - b)'Sigma (w - b) - (1 - theta) m'w over the
// linear constraints, theta in (0, 1] found by regula falsi where the tracking error meets it.
// Returns the weights.
VectorXd max_return_weights(const Problem& pb) {
  Formulation f = detail::formulate(pb);
  const Index n = Index(f.n);
  const QpSolution s = max_return_lp(pb, f);
  const std::optional<double> limit = pb.constraints.tracking_error;
  if (!limit || detail::tracking_error(pb, s.x.head(n)) <= *limit) return s.x.head(n);
  const VectorXd sb = detail::benchmark_pull(pb);
  const auto solve_at = [&](double theta) {
    f.qp.P.topLeftCorner(n, n) = theta * pb.covariance;
    f.qp.q.head(n) = -(1.0 - theta) * pb.mean - theta * sb;
    QpSolution r = solve_qp(f.qp);
    if (r.status != QpStatus::kOptimal) solver_failed(pb, r.status, "");
    return r;
  };
  QpSolution s1 = solve_at(1.0);
  const auto te = [&](const QpSolution& r) { return detail::tracking_error(pb, r.x.head(n)); };
  const double f0 = te(s) - *limit, f1 = te(s1) - *limit;
  if (f1 > 1e-12 * *limit)
    detail::throw_infeasible(pb, fmt::format("tracking error {} against the benchmark: the least these constraints "
                                             "allow is {}",
                                             per_year(pb, *limit), per_year(pb, f1 + *limit)));
  // solve_at throws when the solver stops, so the search always ends with a point.
  return meet_tracking_limit(
             *limit, f0, std::move(s1), f1, [&](double theta) { return std::optional(solve_at(theta)); }, te)
      ->x.head(n);
}

}  // namespace detail

using detail::Formulation;
using Eigen::Index;
using Eigen::VectorXd;

std::vector<Result> frontier(const Problem& pb, int points) {
  if (points < 2 || points > 1000) throw Error::invalid_input("frontier: points must lie in 2..1000");
  detail::validate(pb, {});
  detail::check_conflicts(pb);
  if (pb.constraints.tracking_error || pb.constraints.max_names) {
    // Each point on its own: min_variance with the tracking error search or the cardinality
    // search. The top is the largest return within the tracking error (max-names: the
    // relaxation's; a return the names cannot reach gives an infeasible point).
    const Result lo = *detail::min_variance(pb, std::nullopt, true);
    const VectorXd w_hi = detail::max_return_weights(pb);
    const double r_max = pb.mean.dot(w_hi);
    const double r_min = std::min(lo.expected_return, r_max);
    std::vector<Result> out;
    out.reserve(std::size_t(points));
    out.push_back(lo);
    for (int k = 1; k < points; ++k) {
      const double r = r_min + (r_max - r_min) * double(k) / double(points - 1);
      if (std::optional<Result> point = detail::min_variance(pb, r, false)) {
        out.push_back(std::move(*point));
      } else {
        Result bad;
        bad.status = "infeasible";
        bad.expected_return = r;
        bad.solver = "interior-point";
        if (k == points - 1 && !pb.constraints.max_names) {
          // The top itself, which rounding can put a hair past the reachable returns.
          const Formulation f = detail::formulate(pb);
          bad = detail::from_qp(pb, f, QpSolution{}, w_hi, {"target return", "tracking error"});
        }
        out.push_back(std::move(bad));
      }
    }
    return out;
  }
  // Each point starts from its neighbour's active set (solve_qp_warm): along the frontier the set
  // of assets at a bound changes in a few places from one target return to the next, so most
  // points take a few equality-constrained solves of the free assets instead of an interior point.
  Formulation f = detail::formulate(pb);
  QpActiveSet active;
  const QpSolution s0 = solve_qp_warm(f.qp, active);
  if (s0.status != QpStatus::kOptimal) detail::solver_failed(pb, s0.status, "");
  const Result lo = detail::from_qp(pb, f, s0, s0.x.head(Index(f.n)), {});
  const double r_max = detail::max_return(pb);
  const double r_min = std::min(lo.expected_return, r_max);
  const Index p = f.qp.A.rows();
  f.qp.A.conservativeResize(p + 1, Eigen::NoChange);
  f.qp.A.row(p).setZero();
  f.qp.A.row(p).head(pb.mean.size()) = pb.mean.transpose();
  f.qp.b.conservativeResize(p + 1);
  std::vector<Result> out;
  out.reserve(std::size_t(points));
  out.push_back(lo);
  for (int k = 1; k < points; ++k) {
    const double r = r_min + (r_max - r_min) * double(k) / double(points - 1);
    f.qp.b[p] = r;
    const QpSolution s = solve_qp_warm(f.qp, active);
    if (s.status != QpStatus::kOptimal) {
      Result bad;
      bad.status = "infeasible";
      bad.expected_return = r;
      bad.solver = "interior-point";
      out.push_back(std::move(bad));
      continue;
    }
    Result res = detail::from_qp(pb, f, s, s.x.head(Index(f.n)), {"target return"});
    if (s.warm) res.solver = "active-set";
    out.push_back(std::move(res));
  }
  return out;
}


}  // namespace keel::construct
