// The largest ratio of excess return to volatility: max-sharpe (m the expected returns, rf the
// risk-free rate) and max-diversification (m the volatilities, rf 0), as the homogenised QP, its
// cardinality search with max-names, or a Brent search along the tracking-error frontier.
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

}  // namespace

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
    const Result lo = *min_variance(q, std::nullopt, true);
    const VectorXd w_hi = max_return_weights(q);
    const double r_hi = m.dot(w_hi);
    if (!(r_hi > rf))
      throw Error::invalid_input(fmt::format("{}: no portfolio has a positive excess return under these constraints", what));
    const double r_lo = std::max(lo.expected_return, rf);
    int iterations = 0;
    const auto ratio = [&](double r) {
      const std::optional<Result> x = min_variance(q, r, false);
      if (!x) return -std::numeric_limits<double>::infinity();  // past the reachable end (rounding)
      iterations += x->iterations;
      return x->volatility > 0.0 ? (r - rf) / x->volatility : 0.0;
    };
    const double r_best = brent_max(ratio, r_lo, r_hi, 1e-12);
    Result best = *min_variance(q, r_best, true);
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
    const SearchResult<QpSolution> res = *branch_and_bound(pb, S, what);
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

}  // namespace keel::construct::detail
