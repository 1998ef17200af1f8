#include "keel/construct/optimize.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>

#include "cardinality.h"
#include "construct_internal.h"
#include "keel/core/error.h"

namespace keel::construct {
namespace detail {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr double kInf = std::numeric_limits<double>::infinity();

double tracking_error(const Problem& pb, const VectorXd& w) {
  const Constraints& c = pb.constraints;
  const VectorXd d = w - Eigen::Map<const VectorXd>(c.benchmark.data(), w.size());
  double te2 = d.dot(pb.covariance * d);
  if (!c.benchmark_covariance.empty())
    te2 += c.benchmark_variance - 2.0 * d.dot(Eigen::Map<const VectorXd>(c.benchmark_covariance.data(), w.size()));
  return std::sqrt(std::max(0.0, te2));
}

VectorXd benchmark_pull(const Problem& pb) {
  const Constraints& c = pb.constraints;
  const Index n = pb.covariance.rows();
  VectorXd pull = pb.covariance * Eigen::Map<const VectorXd>(c.benchmark.data(), n);
  if (!c.benchmark_covariance.empty()) pull += Eigen::Map<const VectorXd>(c.benchmark_covariance.data(), n);
  return pull;
}

void weight_bounds(const Problem& pb, std::vector<double>& lower, std::vector<double>& upper) {
  const std::size_t n = pb.symbols.size();
  const Constraints& c = pb.constraints;
  lower.assign(n, -kInf);
  upper.assign(n, kInf);
  for (std::size_t i = 0; i < n; ++i) {
    if (!c.lower.empty()) lower[i] = c.lower[i];
    if (!c.upper.empty()) upper[i] = c.upper[i];
    if (c.long_only) lower[i] = std::max(lower[i], 0.0);
  }
}

void check_conflicts(const Problem& pb) {
  std::vector<double> lo, up;
  weight_bounds(pb, lo, up);
  const Constraints& c = pb.constraints;
  std::vector<std::string> conflicts;
  for (std::size_t i = 0; i < lo.size(); ++i) {
    if (lo[i] > up[i])
      conflicts.push_back(fmt::format("bounds of {}: lower {} above upper {}", pb.symbols[i], lo[i], up[i]));
  }
  const double sum_lo = std::accumulate(lo.begin(), lo.end(), 0.0);
  const double sum_up = std::accumulate(up.begin(), up.end(), 0.0);
  const double tol = 1e-12;
  if (sum_lo > c.budget + tol)
    conflicts.push_back(fmt::format("budget {:.6g} and lower bounds (they sum to {:.6g})", c.budget, sum_lo));
  if (sum_up < c.budget - tol)
    conflicts.push_back(fmt::format("budget {:.6g} and upper bounds (they sum to {:.6g})", c.budget, sum_up));
  for (const GroupBound& g : c.groups) {
    double glo = 0.0, gup = 0.0;
    for (const std::size_t i : g.members) {
      glo += lo[i];
      gup += up[i];
    }
    if (g.lower > g.upper)
      conflicts.push_back(fmt::format("group {}: lower {} above upper {}", g.name, g.lower, g.upper));
    if (glo > g.upper + tol)
      conflicts.push_back(fmt::format("group {} upper {:.6g} and its members' lower bounds (they sum to {:.6g})", g.name,
                                      g.upper, glo));
    if (gup < g.lower - tol)
      conflicts.push_back(fmt::format("group {} lower {:.6g} and its members' upper bounds (they sum to {:.6g})", g.name,
                                      g.lower, gup));
  }
  if (c.turnover && *c.turnover < 0.0) conflicts.push_back(fmt::format("turnover {} is negative", *c.turnover));
  if (!conflicts.empty())
    throw Error::invalid_input("infeasible: the constraints cannot all hold", std::move(conflicts));
}

[[noreturn]] void throw_infeasible(const Problem& pb, const std::string& what) {
  const Constraints& c = pb.constraints;
  std::vector<std::string> parts{fmt::format("budget {}", c.budget)};
  if (c.long_only) parts.push_back("long-only");
  if (!c.lower.empty() || !c.upper.empty()) parts.push_back("per-asset bounds");
  for (const GroupBound& g : c.groups) parts.push_back(fmt::format("group {} [{}, {}]", g.name, g.lower, g.upper));
  if (c.turnover) parts.push_back(fmt::format("turnover {}", *c.turnover));
  if (!what.empty()) parts.push_back(what);
  throw Error::invalid_input("infeasible: no portfolio satisfies these constraints together", std::move(parts));
}

Formulation formulate(const Problem& pb) {
  Formulation f;
  const std::size_t n = pb.symbols.size();
  const Constraints& c = pb.constraints;
  f.n = n;
  f.turnover = c.turnover.has_value();
  // With a turnover limit the variables are [w, p, m]: w - p + m = w0 with p, m >= 0 the buys
  // and sells, sum (p + m) <= T. (Bounding t_i >= |w_i - w0_i| by two rows instead leaves two
  // active rows and a bound at every untraded asset, which the interior point handles badly.)
  const Index nv = Index(f.turnover ? 3 * n : n);
  f.qp.P = MatrixXd::Zero(nv, nv);
  f.qp.P.topLeftCorner(Index(n), Index(n)) = pb.covariance;
  f.qp.q = VectorXd::Zero(nv);
  const Index p = f.turnover ? Index(n) + 1 : 1;
  f.qp.A = MatrixXd::Zero(p, nv);
  f.qp.A.row(0).head(Index(n)).setOnes();
  f.qp.b = VectorXd::Zero(p);
  f.qp.b[0] = c.budget;
  if (f.turnover) {
    for (std::size_t i = 0; i < n; ++i) {
      const Index r = Index(i) + 1;
      f.qp.A(r, Index(i)) = 1.0;
      f.qp.A(r, Index(n + i)) = -1.0;
      f.qp.A(r, Index(2 * n + i)) = 1.0;
      f.qp.b[r] = c.current.empty() ? 0.0 : c.current[i];
    }
  }
  std::vector<double> lo, up;
  weight_bounds(pb, lo, up);
  f.qp.lower = VectorXd::Constant(nv, -kInf);
  f.qp.upper = VectorXd::Constant(nv, kInf);
  for (std::size_t i = 0; i < n; ++i) {
    f.qp.lower[Index(i)] = lo[i];
    f.qp.upper[Index(i)] = up[i];
  }
  if (f.turnover) f.qp.lower.tail(Index(2 * n)).setZero();
  std::vector<Eigen::Triplet<double>> trips;
  std::vector<double> h;
  for (const GroupBound& g : c.groups) {
    if (g.upper < 1e299) {
      for (const std::size_t i : g.members) trips.emplace_back(Index(h.size()), Index(i), 1.0);
      h.push_back(g.upper);
      f.row_names.push_back(fmt::format("group {} upper", g.name));
    }
    if (g.lower > -1e299) {
      for (const std::size_t i : g.members) trips.emplace_back(Index(h.size()), Index(i), -1.0);
      h.push_back(-g.lower);
      f.row_names.push_back(fmt::format("group {} lower", g.name));
    }
  }
  if (f.turnover) {
    for (std::size_t i = n; i < 3 * n; ++i) trips.emplace_back(Index(h.size()), Index(i), 1.0);
    h.push_back(*c.turnover);
    f.row_names.push_back("turnover");
  }
  f.qp.G.resize(Index(h.size()), nv);
  f.qp.G.setFromTriplets(trips.begin(), trips.end());
  f.qp.h = Eigen::Map<const VectorXd>(h.data(), Index(h.size()));
  return f;
}

QpProblem without(const QpProblem& qp, const std::vector<char>& drop, std::vector<Index>& keep) {
  keep.clear();
  std::vector<Index> pos(std::size_t(qp.q.size()), -1);
  for (Index j = 0; j < qp.q.size(); ++j)
    if (!drop[std::size_t(j)]) {
      pos[std::size_t(j)] = Index(keep.size());
      keep.push_back(j);
    }
  const Index m = Index(keep.size());
  QpProblem r;
  r.P.resize(m, m);
  r.q.resize(m);
  r.A.resize(qp.A.rows(), m);
  r.lower.resize(m);
  r.upper.resize(m);
  for (Index a = 0; a < m; ++a) {
    for (Index c = 0; c < m; ++c) r.P(a, c) = qp.P(keep[std::size_t(a)], keep[std::size_t(c)]);
    r.q[a] = qp.q[keep[std::size_t(a)]];
    r.A.col(a) = qp.A.col(keep[std::size_t(a)]);
    r.lower[a] = qp.lower[keep[std::size_t(a)]];
    r.upper[a] = qp.upper[keep[std::size_t(a)]];
  }
  r.b = qp.b;
  std::vector<Eigen::Triplet<double>> trips;
  for (Index c = 0; c < qp.G.outerSize(); ++c)
    for (Eigen::SparseMatrix<double>::InnerIterator it(qp.G, c); it; ++it)
      if (pos[std::size_t(it.col())] >= 0) trips.emplace_back(it.row(), pos[std::size_t(it.col())], it.value());
  r.G.resize(qp.G.rows(), m);
  r.G.setFromTriplets(trips.begin(), trips.end());
  r.h = qp.h;
  return r;
}

}  // namespace detail

namespace {

using detail::branch_and_bound;
using detail::Formulation;
using detail::names_held;
using detail::Search;
using detail::SearchResult;
using detail::set_search_figures;
using detail::without;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

void validate(const Problem& pb, const Spec& spec) {
  const std::size_t n = pb.symbols.size();
  if (n == 0) throw Error::invalid_input("optimize: no assets");
  if (std::size_t(pb.covariance.rows()) != n || std::size_t(pb.covariance.cols()) != n)
    throw Error::invalid_input("optimize: the covariance matrix does not match the assets");
  if (std::size_t(pb.mean.size()) != n) throw Error::invalid_input("optimize: expected returns do not match the assets");
  if (!pb.covariance.allFinite() || !pb.mean.allFinite())
    throw Error::invalid_input("optimize: covariance or expected returns are not finite");
  const Constraints& c = pb.constraints;
  if ((!c.lower.empty() && c.lower.size() != n) || (!c.upper.empty() && c.upper.size() != n) ||
      (!c.current.empty() && c.current.size() != n))
    throw Error::invalid_input("optimize: bounds or current weights do not match the assets");
  for (const GroupBound& g : c.groups)
    for (const std::size_t i : g.members)
      if (i >= n) throw Error::invalid_input(fmt::format("optimize: group {} names an asset out of range", g.name));
  const bool closed_form = spec.objective == Objective::kRiskParity || spec.objective == Objective::kHrp;
  if (closed_form && (!c.lower.empty() || !c.upper.empty() || !c.groups.empty() || c.turnover || c.budget != 1.0))
    throw Error::invalid_input(fmt::format(
        "{} takes no constraints but long-only weights summing to 1 (its definition fixes the weights)",
        objective_name(spec.objective)));
  if (c.tracking_error || c.max_names) {
    if (spec.objective == Objective::kTargetVolatility || closed_form)
      throw Error::invalid_input(fmt::format(
          "a tracking error limit and max-names work with min-variance, target-return, max-sharpe, "
          "max-diversification, min-cvar and the frontier, not {}",
          objective_name(spec.objective)));
    if (c.tracking_error && c.max_names &&
        (spec.objective == Objective::kMaxSharpe || spec.objective == Objective::kMaxDiversification))
      throw Error::invalid_input(fmt::format(
          "{} takes a tracking error limit or max-names, not both (its tracking error search needs a convex frontier)",
          objective_name(spec.objective)));
  }
  if (c.tracking_error) {
    if (c.benchmark.size() != n || (!c.benchmark_covariance.empty() && c.benchmark_covariance.size() != n))
      throw Error::invalid_input("optimize: the benchmark weights do not match the assets");
    if (!(*c.tracking_error > 0.0)) throw Error::invalid_input("the tracking error limit must be positive");
  }
  if (c.max_names && *c.max_names == 0) throw Error::invalid_input("max-names must be at least 1");
  if (spec.objective == Objective::kMinCvar && pb.scenarios.rows() == 0)
    throw Error::invalid_input("min-cvar needs return scenarios");
}

// Names of the constraints that hold with equality at x.
std::vector<std::string> binding(const Problem& pb, const Formulation& f, const VectorXd& x,
                                 const std::vector<std::string>& extra) {
  std::vector<std::string> out{"budget"};
  const double tol = 1e-9;
  std::size_t at_zero = 0;
  for (std::size_t i = 0; i < f.n; ++i) {
    const Index k = Index(i);
    const double lo = f.qp.lower[k], up = f.qp.upper[k];
    const bool lo_given = !pb.constraints.lower.empty() && pb.constraints.lower[i] == lo;
    if (std::isfinite(lo) && x[k] - lo <= tol) {
      if (lo == 0.0 && pb.constraints.long_only && !lo_given) ++at_zero;
      else out.push_back(fmt::format("lower {}", pb.symbols[i]));
    }
    if (std::isfinite(up) && up - x[k] <= tol) out.push_back(fmt::format("upper {}", pb.symbols[i]));
  }
  if (at_zero > 0) out.push_back(fmt::format("long-only ({} assets at 0)", at_zero));
  const VectorXd gx = f.qp.G * x;
  for (Index r = 0; r < f.qp.G.rows(); ++r) {
    const std::string& name = f.row_names[std::size_t(r)];
    if (!name.empty() && f.qp.h[r] - gx[r] <= tol * (1.0 + std::abs(f.qp.h[r]))) out.push_back(name);
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

Result from_qp(const Problem& pb, const Formulation& f, const QpSolution& s, const VectorXd& w,
               const std::vector<std::string>& extra) {
  Result r;
  r.weights.assign(w.data(), w.data() + w.size());
  r.solver = "interior-point";
  r.iterations = s.iterations;
  r.duality_gap = s.duality_gap;
  r.kkt_residual = s.kkt_residual;
  VectorXd x = VectorXd::Zero(f.qp.q.size());
  x.head(w.size()) = w;
  if (f.turnover) {
    for (std::size_t i = 0; i < f.n; ++i) {
      const double w0 = pb.constraints.current.empty() ? 0.0 : pb.constraints.current[i];
      x[Index(f.n + i)] = std::max(0.0, w[Index(i)] - w0);
      x[Index(2 * f.n + i)] = std::max(0.0, w0 - w[Index(i)]);
    }
  }
  r.binding = binding(pb, f, x, extra);
  describe(pb, r);
  return r;
}

// The one reading of a solve that did not end at an optimum: infeasible names the constraints
// that conflict (`what` the limit that was being met, "" for none), unbounded says what bounds the
// objective in the request's words (long_only, bounds), anything else is the solver's own stop.
[[noreturn]] void solver_failed(const Problem& pb, QpStatus status, const std::string& what) {
  if (status == QpStatus::kInfeasible) detail::throw_infeasible(pb, what);
  if (status == QpStatus::kUnbounded) {
    throw Error::invalid_input(
        "unbounded: the objective has no optimum under these constraints (give bounds, or long_only)");
  }
  throw Error::internal(fmt::format("optimize: the solver stopped at {}", qp_status_name(status)));
}

QpSolution solve_or_throw(const Problem& pb, const QpProblem& qp, const std::string& what) {
  QpSolution s = solve_qp(qp);
  if (s.status != QpStatus::kOptimal) solver_failed(pb, s.status, what);
  return s;
}

std::string per_year(const Problem& pb, double sigma) {
  return pb.periods_per_year > 0.0
             ? fmt::format("{:.6g} a year ({:.6g} per period)", sigma * std::sqrt(pb.periods_per_year), sigma)
             : fmt::format("{:.6g} per period", sigma);
}

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

// Illinois regula falsi (Dowell and Jarratt 1971) for the theta in (0, 1] where the tracking error
// of solve(theta)'s weights meets `limit`: g(theta) = te - limit falls from g0 > 0 at theta = 0 to
// g1 <= 0 at theta = 1 (s1, checked by the caller). Keeps the feasible side's point (te <= limit)
// unless the other is closer to the limit. solve gives nullopt when the solver fails, and so does
// the search.
template <class Solve, class Te>
std::optional<QpSolution> meet_tracking_limit(double limit, double g0, QpSolution s1, double g1, Solve&& solve,
                                              Te&& te) {
  double a = 0.0, b = 1.0;
  QpSolution best = std::move(s1);
  double gbest = g1;
  int side = 0;
  for (int it = 0; it < 200 && std::abs(gbest) > 1e-13 * limit && b - a > 1e-16; ++it) {
    const double c = (a * g1 - b * g0) / (g1 - g0);
    std::optional<QpSolution> sc = solve(c);
    if (!sc) return std::nullopt;
    const double gc = te(*sc) - limit;
    if (gc <= 0.0 || std::abs(gc) < std::abs(gbest)) {
      best = *sc;
      gbest = gc;
    }
    if (gc > 0.0) {
      a = c;
      g0 = gc;
      if (side == 1) g1 /= 2;
      side = 1;
    } else {
      b = c;
      g1 = gc;
      if (side == -1) g0 /= 2;
      side = -1;
    }
  }
  return best;
}

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

// The variance of the weights, the objective the cardinality search compares.
double variance_of(const Problem& pb, const VectorXd& w) { return w.dot(pb.covariance * w); }

Result cardinality(const Problem& pb, const Formulation& f, const std::vector<std::string>& extra,
                   const std::string& what) {
  const std::size_t n = f.n;
  Search<VarianceSolve> S;
  S.solve = [&](const std::vector<char>& excluded, bool must) {
    const bool none = std::none_of(excluded.begin(), excluded.end(), [](char c) { return c != 0; });
    return solve_variance(pb, f, none ? nullptr : &excluded, what, must);
  };
  S.weights = [n](const VarianceSolve& v) { return VectorXd(v.s.x.head(Index(n))); };
  S.value = [&pb, n](const VarianceSolve& v) { return variance_of(pb, v.s.x.head(Index(n))); };
  S.iterations = [](const VarianceSolve& v) { return v.iterations; };
  const SearchResult<VarianceSolve> res = branch_and_bound(pb, S, what);
  const VectorXd w = res.best.s.x.head(Index(n));
  std::vector<std::string> ex = extra;
  if (res.best.tracking_binding) ex.push_back("tracking error");
  if (names_held(w) == *pb.constraints.max_names) ex.push_back(fmt::format("max names {}", *pb.constraints.max_names));
  Result r = from_qp(pb, f, res.best.s, w, ex);
  set_search_figures(r, res.value, res.bound, res.proven, res.nodes, res.iterations);
  return r;
}

Result min_variance(const Problem& pb, std::optional<double> target_return) {
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
  if (pb.constraints.max_names && *pb.constraints.max_names < f.n) return cardinality(pb, f, extra, what);
  if (pb.constraints.tracking_error) {
    const std::optional<VarianceSolve> v = solve_variance(pb, f, nullptr, what, true);
    if (v->tracking_binding) extra.push_back("tracking error");
    Result r = from_qp(pb, f, v->s, v->s.x.head(Index(f.n)), extra);
    r.iterations = v->iterations;
    return r;
  }
  const QpSolution s = solve_or_throw(pb, f.qp, what);
  return from_qp(pb, f, s, s.x.head(Index(f.n)), extra);
}

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

// Largest feasible expected return (an LP on the same constraints).
double max_return(const Problem& pb) {
  Formulation f = detail::formulate(pb);
  const QpSolution s = max_return_lp(pb, f);
  return pb.mean.dot(s.x.head(Index(f.n)));
}

// The homogenised program of max (m'w - rf) / sqrt(w'Sigma w): min y'Sigma y, (m - rf)'y = 1,
// every constraint of `f` homogenised by kappa = the last variable >= 0, w = y / kappa.
QpProblem homogenise(const Formulation& f, const VectorXd& m, double rf) {
  const QpProblem& p = f.qp;
  const Index nv = p.q.size();
  const Index k = nv;  // kappa's index
  QpProblem h;
  h.P = MatrixXd::Zero(nv + 1, nv + 1);
  h.P.topLeftCorner(nv, nv) = p.P;
  h.q = VectorXd::Zero(nv + 1);
  h.A = MatrixXd::Zero(p.A.rows() + 1, nv + 1);
  h.A.topLeftCorner(p.A.rows(), nv) = p.A;
  h.A.block(0, k, p.A.rows(), 1) = -p.b;
  h.A.row(p.A.rows()).head(Index(f.n)) = (m.array() - rf).matrix().transpose();
  h.b = VectorXd::Zero(p.A.rows() + 1);
  h.b[p.A.rows()] = 1.0;
  h.lower = VectorXd::Constant(nv + 1, -std::numeric_limits<double>::infinity());
  h.upper = VectorXd::Constant(nv + 1, std::numeric_limits<double>::infinity());
  h.lower[k] = 0.0;
  std::vector<Eigen::Triplet<double>> trips;
  Index row = 0;
  for (Index r = 0; r < p.G.outerSize(); ++r)
    for (Eigen::SparseMatrix<double>::InnerIterator it(p.G, r); it; ++it) trips.emplace_back(it.row(), it.col(), it.value());
  for (Index r = 0; r < p.G.rows(); ++r) trips.emplace_back(r, k, -p.h[r]);
  row = p.G.rows();
  for (Index i = 0; i < nv; ++i) {
    const double lo = p.lower[i], up = p.upper[i];
    if (lo == 0.0) h.lower[i] = 0.0;
    else if (std::isfinite(lo)) {
      trips.emplace_back(row, i, -1.0);
      trips.emplace_back(row, k, lo);
      ++row;
    }
    if (up == 0.0) h.upper[i] = 0.0;
    else if (std::isfinite(up)) {
      trips.emplace_back(row, i, 1.0);
      trips.emplace_back(row, k, -up);
      ++row;
    }
  }
  h.G.resize(row, nv + 1);
  h.G.setFromTriplets(trips.begin(), trips.end());
  h.h = VectorXd::Zero(row);
  return h;
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

// Brent's method (Brent, Algorithms for Minimization without Derivatives, 1973, ch. 5: golden
// section with parabolic steps) for the maximum of a unimodal f on [a, b]; returns the argument.
template <class F>
double brent_max(F&& f, double a, double b, double tol) {
  constexpr double kGolden = 0.3819660112501051;  // (3 - sqrt 5) / 2
  double x = a + kGolden * (b - a), w = x, v = x;
  double fx = -f(x), fw = fx, fv = fx;
  double d = 0.0, e = 0.0;
  for (int it = 0; it < 200; ++it) {
    const double m = 0.5 * (a + b);
    const double t1 = tol * std::abs(x) + 1e-300, t2 = 2.0 * t1;
    if (std::abs(x - m) <= t2 - 0.5 * (b - a)) break;
    bool golden = true;
    if (std::abs(e) > t1) {
      double r = (x - w) * (fx - fv), q = (x - v) * (fx - fw), p = (x - v) * q - (x - w) * r;
      q = 2.0 * (q - r);
      if (q > 0.0) p = -p;
      q = std::abs(q);
      const double etemp = e;
      e = d;
      if (std::abs(p) < std::abs(0.5 * q * etemp) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const double u = x + d;
        if (u - a < t2 || b - u < t2) d = x < m ? t1 : -t1;
        golden = false;
      }
    }
    if (golden) {
      e = (x < m ? b : a) - x;
      d = kGolden * e;
    }
    const double u = std::abs(d) >= t1 ? x + d : x + (d > 0.0 ? t1 : -t1);
    const double fu = -f(u);
    if (fu <= fx) {
      (u < x ? b : a) = x;
      v = w, fv = fw, w = x, fw = fx, x = u, fx = fu;
    } else {
      (u < x ? a : b) = u;
      if (fu <= fw || w == x) {
        v = w, fv = fw, w = u, fw = fu;
      } else if (fu <= fv || v == x || v == w) {
        v = u, fv = fu;
      }
    }
  }
  return x;
}

// max (m'w - rf) / sqrt(w'Sigma w): the homogenised QP (Cornuejols & Tutuncu 2007, 8.2); with
// max-names, the cardinality search over it (y and w = y / kappa hold the same names, and y'Sigma y
// = 1 / ratio^2 is the objective it minimises); with a tracking error limit, which the
// homogenisation turns into a cone the QP cannot hold, a one-dimensional search along the
// tracking-error-constrained frontier: the frontier's volatility sigma(r) is convex in the target
// return r (the value of a convex program whose constraints move linearly with r), so (r - rf) /
// sigma(r) is quasi-concave where positive and Brent's method finds its maximum.
Result max_ratio(const Problem& pb, const VectorXd& m, double rf, const char* what) {
  const Formulation f = detail::formulate(pb);
  const Index n = Index(f.n);
  if (pb.constraints.tracking_error) {
    // The ratio's optimum without the limit, when it keeps within it.
    Problem free = pb;
    free.constraints.tracking_error.reset();
    Result plain = max_ratio(free, m, rf, what);
    if (plain.tracking_error <= *pb.constraints.tracking_error) {
      describe(pb, plain);
      return plain;
    }
    Problem q = pb;
    q.mean = m;
    q.risk_free = rf;
    const Result lo = min_variance(q, std::nullopt);
    const VectorXd w_hi = max_return_weights(q);
    const double r_hi = m.dot(w_hi);
    if (!(r_hi > rf))
      throw Error::invalid_input(fmt::format("{}: no portfolio has a positive excess return under these constraints", what));
    const double r_lo = std::max(lo.expected_return, rf);
    int iterations = 0;
    const auto ratio = [&](double r) {
      try {
        const Result x = min_variance(q, r);
        iterations += x.iterations;
        return x.volatility > 0.0 ? (r - rf) / x.volatility : 0.0;
      } catch (const Error&) {
        return -std::numeric_limits<double>::infinity();  // past the reachable end (rounding)
      }
    };
    const double r_best = brent_max(ratio, r_lo, r_hi, 1e-12);
    Result best = min_variance(q, r_best);
    // Where the frontier ends before the ratio turns down, its end is the maximum.
    Result hi;
    hi.weights.assign(w_hi.data(), w_hi.data() + n);
    describe(q, hi);
    if (hi.volatility > 0.0 && (r_hi - rf) / hi.volatility > (best.expected_return - rf) / best.volatility) {
      best = from_qp(q, f, QpSolution{}, w_hi, {});
      if (best.tracking_error >= *pb.constraints.tracking_error * (1.0 - 1e-9)) best.binding.push_back("tracking error");
    }
    std::erase(best.binding, std::string("target return"));
    best.iterations += iterations;
    describe(pb, best);
    return best;
  }
  QpProblem h = homogenise(f, m, rf);
  const Index k = h.q.size() - 1;
  const auto run = [&](const std::vector<char>* excluded, bool must) -> std::optional<QpSolution> {
    QpSolution s;
    if (!excluded) {
      s = solve_qp(h);
    } else {
      std::vector<char> drop(std::size_t(h.q.size()), 0);
      for (Index i = 0; i < n; ++i) drop[std::size_t(i)] = (*excluded)[std::size_t(i)];
      std::vector<Index> keep;
      s = solve_qp(without(h, drop, keep));
      VectorXd x = VectorXd::Zero(h.q.size());
      for (std::size_t a = 0; a < keep.size() && a < std::size_t(s.x.size()); ++a) x[keep[a]] = s.x[Index(a)];
      s.x = std::move(x);
    }
    if (s.status == QpStatus::kOptimal && s.x[k] > 0.0) return s;
    if (!must) return std::nullopt;
    if (s.status != QpStatus::kOptimal) {
      solver_failed(pb, s.status, fmt::format("{}: some portfolio must have a positive excess (m'w - rf > 0)", what));
    }
    throw Error::invalid_input(fmt::format("{}: no portfolio has a positive excess return", what));
  };
  if (pb.constraints.max_names && *pb.constraints.max_names < f.n) {
    Search<QpSolution> S;
    S.solve = [&](const std::vector<char>& excluded, bool must) { return run(&excluded, must); };
    S.weights = [n](const QpSolution& s) { return VectorXd(s.x.head(n)); };
    S.value = [&pb, n](const QpSolution& s) { return variance_of(pb, s.x.head(n)); };
    S.iterations = [](const QpSolution& s) { return s.iterations; };
    const SearchResult<QpSolution> res = branch_and_bound(pb, S, what);
    const VectorXd w = res.best.x.head(n) / res.best.x[k];
    std::vector<std::string> ex;
    if (names_held(w) == *pb.constraints.max_names) ex.push_back(fmt::format("max names {}", *pb.constraints.max_names));
    Result r = from_qp(pb, f, res.best, w, ex);
    // The search minimised y'Sigma y = 1 / ratio^2: its bound, said as a bound on the ratio.
    const double ratio = 1.0 / std::sqrt(res.value), ratio_bound = 1.0 / std::sqrt(res.bound);
    set_search_figures(r, ratio, ratio_bound, res.proven, res.nodes, res.iterations);
    r.mip_gap = (ratio_bound - ratio) / ratio;
    return r;
  }
  const std::optional<QpSolution> s = run(nullptr, true);
  const VectorXd w = s->x.head(n) / s->x[k];
  return from_qp(pb, f, *s, w, {});
}

// Minimum CVaR, with max-names by the cardinality search over the LP (its value the expected
// shortfall).
Result min_cvar_names(const Problem& pb) {
  const std::size_t n = pb.symbols.size();
  if (!pb.constraints.max_names || *pb.constraints.max_names >= n) return detail::min_cvar(pb, std::nullopt);
  Search<Result> S;
  S.solve = [&](const std::vector<char>& excluded, bool must) {
    return detail::min_cvar_excluding(pb, std::nullopt, &excluded, must);
  };
  S.weights = [n](const Result& r) { return VectorXd(Eigen::Map<const VectorXd>(r.weights.data(), Index(n))); };
  S.value = [](const Result& r) { return r.expected_shortfall; };
  S.iterations = [](const Result& r) { return r.iterations; };
  SearchResult<Result> res = branch_and_bound(pb, S, "");
  Result r = std::move(res.best);
  if (names_held(S.weights(r)) == *pb.constraints.max_names)
    r.binding.push_back(fmt::format("max names {}", *pb.constraints.max_names));
  set_search_figures(r, res.value, res.bound, res.proven, res.nodes, res.iterations);
  return r;
}

Result target_volatility(const Problem& pb, double target) {
  const Result lo_r = min_variance(pb, std::nullopt);
  if (target < lo_r.volatility * (1.0 - 1e-12))
    throw Error::invalid_input(
        "infeasible: the target volatility is below the minimum-variance portfolio's",
        {fmt::format("target volatility {:.6g}{}", target * std::sqrt(std::max(pb.periods_per_year, 1.0)),
                     pb.periods_per_year > 0.0 ? " a year" : " per period"),
         fmt::format("minimum-variance volatility {:.6g}{} under these constraints",
                     lo_r.volatility * std::sqrt(std::max(pb.periods_per_year, 1.0)),
                     pb.periods_per_year > 0.0 ? " a year" : " per period")});
  const double r_max = max_return(pb);
  Result hi_r = min_variance(pb, r_max);
  if (target >= hi_r.volatility) return hi_r;  // the constraint does not bind
  // Illinois regula falsi on vol(r) - target over [r_min, r_max].
  double a = lo_r.expected_return, fa = lo_r.volatility - target;
  double b = r_max, fb = hi_r.volatility - target;
  Result best = hi_r;
  int side = 0;
  for (int it = 0; it < 100; ++it) {
    const double c = (a * fb - b * fa) / (fb - fa);
    best = min_variance(pb, c);
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

}  // namespace

void describe(const Problem& pb, Result& r) {
  const Index n = Index(pb.symbols.size());
  const Eigen::Map<const VectorXd> w(r.weights.data(), n);
  const VectorXd sw = pb.covariance * w;
  const double var = std::max(0.0, w.dot(sw));
  r.expected_return = pb.mean.dot(w);
  r.volatility = std::sqrt(var);
  r.sharpe = r.volatility > 0.0 ? (r.expected_return - pb.risk_free) / r.volatility : 0.0;
  r.risk_contributions.assign(std::size_t(n), 0.0);
  if (var > 0.0)
    for (Index i = 0; i < n; ++i) r.risk_contributions[std::size_t(i)] = w[i] * sw[i] / var;
  r.tracking_error = pb.constraints.benchmark.size() == std::size_t(n) ? detail::tracking_error(pb, w) : 0.0;
  r.expected_shortfall = 0.0;
  if (pb.scenarios.rows() > 0 && pb.scenarios.cols() == n) {
    // ES as Rockafellar-Uryasev's minimum: the mean of the worst (1 - beta) T losses, the last
    // one counted by its fraction.
    const VectorXd loss = -(pb.scenarios * w);
    std::vector<double> l(loss.data(), loss.data() + loss.size());
    std::sort(l.begin(), l.end(), std::greater<>());
    const double k = (1.0 - pb.es_confidence) * double(l.size());
    const auto whole = std::size_t(std::floor(k));
    double sum = 0.0;
    for (std::size_t i = 0; i < whole && i < l.size(); ++i) sum += l[i];
    if (whole < l.size()) sum += (k - double(whole)) * l[whole];
    r.expected_shortfall = k > 0.0 ? sum / k : l.front();
  }
}

Result optimize(const Problem& pb, const Spec& spec) {
  validate(pb, spec);
  if (spec.objective != Objective::kRiskParity && spec.objective != Objective::kHrp) detail::check_conflicts(pb);
  switch (spec.objective) {
    case Objective::kMinVariance: return min_variance(pb, std::nullopt);
    case Objective::kTargetReturn: return min_variance(pb, spec.target);
    case Objective::kTargetVolatility:
      if (!(spec.target > 0.0)) throw Error::invalid_input("target volatility must be positive");
      return target_volatility(pb, spec.target);
    case Objective::kMaxSharpe: return max_ratio(pb, pb.mean, pb.risk_free, "max-sharpe");
    case Objective::kMaxDiversification: {
      const VectorXd sigma = pb.covariance.diagonal().cwiseMax(0.0).cwiseSqrt();
      Result r = max_ratio(pb, sigma, 0.0, "max-diversification");
      return r;
    }
    case Objective::kMinCvar: return min_cvar_names(pb);
    case Objective::kRiskParity: return detail::risk_parity(pb);
    case Objective::kHrp: return detail::hrp(pb);
  }
  throw Error::internal("optimize: unknown objective");
}

std::vector<Result> frontier(const Problem& pb, int points) {
  if (points < 2 || points > 1000) throw Error::invalid_input("frontier: points must lie in 2..1000");
  validate(pb, {});
  detail::check_conflicts(pb);
  if (pb.constraints.tracking_error || pb.constraints.max_names) {
    // Each point on its own: min_variance with the tracking error search or the cardinality
    // search. The top is the largest return within the tracking error (max-names: the
    // relaxation's; a return the names cannot reach gives an infeasible point).
    const Result lo = min_variance(pb, std::nullopt);
    const VectorXd w_hi = max_return_weights(pb);
    const double r_max = pb.mean.dot(w_hi);
    const double r_min = std::min(lo.expected_return, r_max);
    std::vector<Result> out;
    out.reserve(std::size_t(points));
    out.push_back(lo);
    for (int k = 1; k < points; ++k) {
      const double r = r_min + (r_max - r_min) * double(k) / double(points - 1);
      try {
        out.push_back(min_variance(pb, r));
      } catch (const Error&) {
        Result bad;
        bad.status = "infeasible";
        bad.expected_return = r;
        bad.solver = "interior-point";
        if (k == points - 1 && !pb.constraints.max_names) {
          // The top itself, which rounding can put a hair past the reachable returns.
          const Formulation f = detail::formulate(pb);
          bad = from_qp(pb, f, QpSolution{}, w_hi, {"target return", "tracking error"});
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
  if (s0.status != QpStatus::kOptimal) solver_failed(pb, s0.status, "");
  const Result lo = from_qp(pb, f, s0, s0.x.head(Index(f.n)), {});
  const double r_max = max_return(pb);
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
    Result res = from_qp(pb, f, s, s.x.head(Index(f.n)), {"target return"});
    if (s.warm) res.solver = "active-set";
    out.push_back(std::move(res));
  }
  return out;
}

}  // namespace keel::construct
