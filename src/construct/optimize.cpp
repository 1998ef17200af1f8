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

using Eigen::Index;
using Eigen::VectorXd;

// Names of the constraints that hold with equality at x.
std::vector<std::string> binding(const Problem& pb, const detail::Formulation& f, const VectorXd& x,
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

}  // namespace

// The pieces every objective's solve reads its answer with (construct_internal.h).
namespace detail {

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


std::string per_year(const Problem& pb, double sigma) {
  return pb.periods_per_year > 0.0
             ? fmt::format("{:.6g} a year ({:.6g} per period)", sigma * std::sqrt(pb.periods_per_year), sigma)
             : fmt::format("{:.6g} per period", sigma);
}

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

}  // namespace detail

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
  detail::validate(pb, spec);
  if (spec.objective != Objective::kRiskParity && spec.objective != Objective::kHrp) detail::check_conflicts(pb);
  switch (spec.objective) {
    case Objective::kMinVariance: return *detail::min_variance(pb, std::nullopt, true);
    case Objective::kTargetReturn: return *detail::min_variance(pb, spec.target, true);
    case Objective::kTargetVolatility:
      if (!(spec.target > 0.0)) throw Error::invalid_input("target volatility must be positive");
      return detail::target_volatility(pb, spec.target);
    case Objective::kMaxSharpe: return detail::max_ratio(pb, pb.mean, pb.risk_free, "max-sharpe");
    case Objective::kMaxDiversification: {
      const VectorXd sigma = pb.covariance.diagonal().cwiseMax(0.0).cwiseSqrt();
      Result r = detail::max_ratio(pb, sigma, 0.0, "max-diversification");
      return r;
    }
    case Objective::kMinCvar: return detail::min_cvar_names(pb);
    case Objective::kRiskParity: return detail::risk_parity(pb);
    case Objective::kHrp: return detail::hrp(pb);
  }
  throw Error::internal("optimize: unknown objective");
}

}  // namespace keel::construct
