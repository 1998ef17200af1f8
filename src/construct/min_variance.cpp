// Minimum variance, with a target return or a target volatility, under the linear constraints,
// a tracking error limit (dualised, its multiplier found by regula falsi) and max-names (the
// cardinality search): keel/construct/optimize.h's min-variance, target-return and
// target-volatility, and each point of the frontier (frontier.cpp).
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

namespace keel::construct::detail {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// One solve of the min-variance QP `f` (the target return row already in it). Assets marked in
// `excluded` are held at 0. With a tracking error limit the quadratic constraint is dualised:
// min 1/2 w'Sigma w - theta b'Sigma w (the Lagrangian's (1 - theta) w'Sigma w + theta (w - b)'
// Sigma (w - b) less a constant, halved) with theta in [0, 1] found where the tracking error meets
// the limit. Returns nullopt for an infeasible problem, or throws the named error when `must`.
struct VarianceSolve {
  QpSolution s;
  bool tracking_binding = false;
  int iterations = 0;
};


std::optional<VarianceSolve> solve_variance(const Problem& pb, Formulation f, const std::vector<char>* excluded,
                                            const std::string& what, bool must) {
  std::vector<char> drop(std::size_t(f.qp.q.size()), 0);
  bool reduced = false;
  if (excluded) {
    for (std::size_t i = 0; i < f.n; ++i) {
      if (!(*excluded)[i]) continue;
      if (f.qp.lower[Index(i)] > 0.0 || f.qp.upper[Index(i)] < 0.0) return std::nullopt;
      drop[i] = 1;
      reduced = true;
    }
  }
  VarianceSolve out;
  std::vector<Index> keep;
  const VectorXd pull = pb.constraints.tracking_error ? detail::benchmark_pull(pb) : VectorXd();
  const auto solve_at = [&](double theta) {
    if (pb.constraints.tracking_error) f.qp.q.head(Index(f.n)) = -theta * pull;
    if (!reduced) {
      QpSolution s = solve_qp(f.qp);
      out.iterations += s.iterations;
      return s;
    }
    QpSolution s = solve_qp(without(f.qp, drop, keep));
    out.iterations += s.iterations;
    VectorXd x = VectorXd::Zero(f.qp.q.size());
    for (std::size_t a = 0; a < keep.size() && a < std::size_t(s.x.size()); ++a) x[keep[a]] = s.x[Index(a)];
    s.x = std::move(x);
    return s;
  };
  const auto failed = [&](const QpSolution& s) -> bool {
    if (s.status == QpStatus::kOptimal) return false;
    if (!must) return true;
    solver_failed(pb, s.status, what);
  };
  QpSolution s0 = solve_at(0.0);
  if (failed(s0)) return std::nullopt;
  const std::optional<double> limit = pb.constraints.tracking_error;
  const auto te = [&](const QpSolution& s) { return detail::tracking_error(pb, s.x.head(Index(f.n))); };
  const double f0 = limit ? te(s0) - *limit : 0.0;
  if (!limit || f0 <= 0.0) {
    out.s = std::move(s0);
    return out;
  }
  QpSolution s1 = solve_at(1.0);
  if (failed(s1)) return std::nullopt;
  const double f1 = te(s1) - *limit;
  if (f1 > 1e-12 * *limit) {
    if (!must) return std::nullopt;
    detail::throw_infeasible(pb, fmt::format("tracking error {} against the benchmark: the least these constraints "
                                             "allow is {}",
                                             per_year(pb, *limit), per_year(pb, te(s1))));
  }
  std::optional<QpSolution> best = meet_tracking_limit(
      *limit, f0, std::move(s1), f1,
      [&](double theta) -> std::optional<QpSolution> {
        QpSolution s = solve_at(theta);
        if (failed(s)) return std::nullopt;
        return s;
      },
      te);
  if (!best) return std::nullopt;
  out.s = std::move(*best);
  out.tracking_binding = true;
  return out;
}

std::optional<Result> cardinality(const Problem& pb, const Formulation& f, const std::vector<std::string>& extra,
                                  const std::string& what, bool must) {
  const std::size_t n = f.n;
  Search<VarianceSolve> S;
  S.solve = [&](const std::vector<char>& excluded, bool must) {
    const bool none = std::none_of(excluded.begin(), excluded.end(), [](char c) { return c != 0; });
    return solve_variance(pb, f, none ? nullptr : &excluded, what, must);
  };
  S.weights = [n](const VarianceSolve& v) { return VectorXd(v.s.x.head(Index(n))); };
  S.value = [&pb, n](const VarianceSolve& v) { return variance_of(pb, v.s.x.head(Index(n))); };
  S.iterations = [](const VarianceSolve& v) { return v.iterations; };
  const std::optional<SearchResult<VarianceSolve>> found = branch_and_bound(pb, S, what, must);
  if (!found) return std::nullopt;
  const SearchResult<VarianceSolve>& res = *found;
  const VectorXd w = res.best.s.x.head(Index(n));
  std::vector<std::string> ex = extra;
  if (res.best.tracking_binding) ex.push_back("tracking error");
  if (names_held(w) == *pb.constraints.max_names) ex.push_back(fmt::format("max names {}", *pb.constraints.max_names));
  Result r = from_qp(pb, f, res.best.s, w, ex);
  set_search_figures(r, res.value, res.bound, res.proven, res.nodes, res.iterations);
  return r;
}

}  // namespace

std::optional<Result> min_variance(const Problem& pb, std::optional<double> target_return, bool must) {
  Formulation f = detail::formulate(pb);
  std::vector<std::string> extra;
  std::string what;
  if (target_return) {
    const Index p = f.qp.A.rows();
    f.qp.A.conservativeResize(p + 1, Eigen::NoChange);
    f.qp.A.row(p).setZero();
    f.qp.A.row(p).head(pb.mean.size()) = pb.mean.transpose();
    f.qp.b.conservativeResize(p + 1);
    f.qp.b[p] = *target_return;
    extra.push_back("target return");
    what = pb.periods_per_year > 0.0
               ? fmt::format("target return {:.6g} a year ({:.6g} per period)", *target_return * pb.periods_per_year,
                             *target_return)
               : fmt::format("target return {:.6g} per period", *target_return);
  }
  if (pb.constraints.max_names && *pb.constraints.max_names < f.n) return cardinality(pb, f, extra, what, must);
  if (pb.constraints.tracking_error) {
    const std::optional<VarianceSolve> v = solve_variance(pb, f, nullptr, what, must);
    if (!v) return std::nullopt;
    if (v->tracking_binding) extra.push_back("tracking error");
    Result r = from_qp(pb, f, v->s, v->s.x.head(Index(f.n)), extra);
    r.iterations = v->iterations;
    return r;
  }
  const QpSolution s = solve_qp(f.qp);
  if (s.status == QpStatus::kInfeasible && !must) return std::nullopt;
  if (s.status != QpStatus::kOptimal) solver_failed(pb, s.status, what);
  return from_qp(pb, f, s, s.x.head(Index(f.n)), extra);
}

Result target_volatility(const Problem& pb, double target) {
  const Result lo_r = *min_variance(pb, std::nullopt, true);
  if (target < lo_r.volatility * (1.0 - 1e-12))
    throw Error::invalid_input(
        "infeasible: the target volatility is below the minimum-variance portfolio's",
        {fmt::format("target volatility {:.6g}{}", target * std::sqrt(std::max(pb.periods_per_year, 1.0)),
                     pb.periods_per_year > 0.0 ? " a year" : " per period"),
         fmt::format("minimum-variance volatility {:.6g}{} under these constraints",
                     lo_r.volatility * std::sqrt(std::max(pb.periods_per_year, 1.0)),
                     pb.periods_per_year > 0.0 ? " a year" : " per period")});
  const double r_max = max_return(pb);
  Result hi_r = *min_variance(pb, r_max, true);
  if (target >= hi_r.volatility) return hi_r;  // the constraint does not bind
  // Illinois regula falsi on vol(r) - target over [r_min, r_max].
  double a = lo_r.expected_return, fa = lo_r.volatility - target;
  double b = r_max, fb = hi_r.volatility - target;
  Result best = hi_r;
  int side = 0;
  for (int it = 0; it < 100; ++it) {
    const double c = (a * fb - b * fa) / (fb - fa);
    best = *min_variance(pb, c, true);
    const double fc = best.volatility - target;
    if (std::abs(fc) <= 1e-13 * target || std::abs(b - a) <= 1e-15 * (std::abs(a) + std::abs(b))) break;
    if ((fc > 0) == (fb > 0)) {
      b = c;
      fb = fc;
      if (side == -1) fa /= 2;
      side = -1;
    } else {
      a = c;
      fa = fc;
      if (side == 1) fb /= 2;
      side = 1;
    }
  }
  // The target return was the search's device; the constraint the caller set is the volatility.
  std::erase(best.binding, std::string("target return"));
  best.binding.push_back("target volatility");
  return best;
}

}  // namespace keel::construct::detail
