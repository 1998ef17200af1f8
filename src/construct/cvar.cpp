// Minimum CVaR (Rockafellar & Uryasev 2000) as a linear program on COIN-OR CLP:
//   min  alpha + 1 / ((1 - beta) T) sum_t u_t
//   s.t. u_t >= -r_t'w - alpha,  u_t >= 0,  and the portfolio's linear constraints.
// A tracking error limit sqrt((w - b)'Sigma (w - b)) <= TE is a convex quadratic constraint the LP
// cannot hold. When the LP's portfolio breaks it, the constraint is dualised: for lambda >= 0 the
// quadratic program min c'x + lambda/2 (w - b)'Sigma (w - b) over the LP's constraints (keel's
// interior point, keel/construct/qp.h) gives a portfolio whose tracking error falls as lambda
// rises, and lambda is found by regula falsi (Illinois) where it meets the limit. The problem is
// convex with a Slater point, so that portfolio is the exact optimum (multiplier lambda on
// 1/2 (w - b)'Sigma (w - b) <= 1/2 TE^2). (Kelley's cutting planes on the LP stall about 1e-6
// from the limit after 2,000 cuts on these problems, which is why the limit is dualised.)
#include <coin/Clp_C_Interface.h>
#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <memory>
#include <numeric>
#include <vector>

#include "cardinality.h"
#include "construct_internal.h"
#include "keel/core/cancel.h"
#include "keel/core/error.h"

namespace keel::construct::detail {
namespace {

struct ClpDeleter {
  void operator()(Clp_Simplex* m) const { Clp_deleteModel(m); }
};

double clp_bound(double v) { return std::isfinite(v) ? v : (v > 0 ? DBL_MAX : -DBL_MAX); }

// Minimum CVaR with the tracking error limit dualised (the header). Returns the variables
// [the formulation's, alpha, u]; nullopt for an infeasible problem unless `must`.
std::optional<Eigen::VectorXd> min_cvar_tracking(const Problem& pb, const Formulation& f,
                                                 std::optional<double> target_return,
                                                 const std::vector<char>* excluded, bool must,
                                                 const std::string& what, Result& r) {
  using Eigen::Index;
  const Index n = Index(f.n), nv = f.qp.q.size(), T = pb.scenarios.rows();
  const Index alpha = nv, u0 = nv + 1, nx = nv + 1 + T;
  const double limit = *pb.constraints.tracking_error;
  QpProblem qp;
  qp.P = Eigen::MatrixXd::Zero(nx, nx);
  qp.q = Eigen::VectorXd::Zero(nx);
  qp.q[alpha] = 1.0;
  qp.q.tail(T).setConstant(1.0 / ((1.0 - pb.es_confidence) * double(T)));
  const Index p = f.qp.A.rows() + (target_return ? 1 : 0);
  qp.A = Eigen::MatrixXd::Zero(p, nx);
  qp.A.topLeftCorner(f.qp.A.rows(), nv) = f.qp.A;
  qp.b = Eigen::VectorXd::Zero(p);
  qp.b.head(f.qp.A.rows()) = f.qp.b;
  if (target_return) {
    qp.A.row(p - 1).head(n) = pb.mean.transpose();
    qp.b[p - 1] = *target_return;
  }
  std::vector<Eigen::Triplet<double>> trips;
  for (Index k = 0; k < f.qp.G.outerSize(); ++k)
    for (Eigen::SparseMatrix<double>::InnerIterator it(f.qp.G, k); it; ++it)
      trips.emplace_back(it.row(), it.col(), it.value());
  const Index g0 = f.qp.G.rows();
  for (Index t = 0; t < T; ++t) {  // -r_t'w - alpha - u_t <= 0
    for (Index j = 0; j < n; ++j)
      if (pb.scenarios(t, j) != 0.0) trips.emplace_back(g0 + t, j, -pb.scenarios(t, j));
    trips.emplace_back(g0 + t, alpha, -1.0);
    trips.emplace_back(g0 + t, u0 + t, -1.0);
  }
  qp.G.resize(g0 + T, nx);
  qp.G.setFromTriplets(trips.begin(), trips.end());
  qp.h = Eigen::VectorXd::Zero(g0 + T);
  qp.h.head(g0) = f.qp.h;
  qp.lower = Eigen::VectorXd::Constant(nx, -std::numeric_limits<double>::infinity());
  qp.upper = Eigen::VectorXd::Constant(nx, std::numeric_limits<double>::infinity());
  qp.lower.head(nv) = f.qp.lower;
  qp.upper.head(nv) = f.qp.upper;
  qp.lower.tail(T).setZero();
  // Assets left out (the cardinality search) are removed from the program.
  std::vector<Index> keep;
  std::vector<char> drop(std::size_t(nx), 0);
  bool reduced = false;
  if (excluded)
    for (Index j = 0; j < n; ++j)
      if ((*excluded)[std::size_t(j)]) drop[std::size_t(j)] = 1, reduced = true;
  const Eigen::VectorXd sb = benchmark_pull(pb);
  const auto solve_at = [&](double lambda) -> std::optional<Eigen::VectorXd> {
    qp.P.topLeftCorner(n, n) = lambda * pb.covariance;
    qp.q.head(n) = -lambda * sb;
    QpSolution s = reduced ? solve_qp(without(qp, drop, keep)) : solve_qp(qp);
    r.iterations += s.iterations;
    if (s.status != QpStatus::kOptimal) {
      if (!must) return std::nullopt;
      if (s.status == QpStatus::kInfeasible) throw_infeasible(pb, what);
      throw Error::internal(fmt::format("min-cvar: the solver stopped at {}", qp_status_name(s.status)));
    }
    if (!reduced) return s.x;
    Eigen::VectorXd xf = Eigen::VectorXd::Zero(nx);
    for (std::size_t a = 0; a < keep.size(); ++a) xf[keep[a]] = s.x[Index(a)];
    return xf;
  };
  const auto te = [&](const Eigen::VectorXd& xv) { return tracking_error(pb, xv.head(n)) - limit; };
  // The least tracking error the linear constraints allow: infeasible above the limit.
  {
    QpProblem least = qp;
    least.q.setZero();
    least.P.topLeftCorner(n, n) = pb.covariance;
    least.q.head(n) = -sb;
    // alpha and u take no part: fixed at 0 and 0 with the scenario rows dropped.
    least.G = f.qp.G;
    least.G.conservativeResize(g0, nx);
    least.h = f.qp.h;
    for (Index j = nv; j < nx; ++j) drop[std::size_t(j)] = 1;
    QpSolution s = solve_qp(without(least, drop, keep));
    for (Index j = nv; j < nx; ++j) drop[std::size_t(j)] = 0;
    if (s.status != QpStatus::kOptimal) {
      if (!must) return std::nullopt;
      throw_infeasible(pb, what);
    }
    Eigen::VectorXd w = Eigen::VectorXd::Zero(n);
    for (std::size_t a = 0; a < keep.size(); ++a)
      if (keep[a] < n) w[keep[a]] = s.x[Index(a)];
    const double least_te = tracking_error(pb, w);
    if (least_te > limit * (1.0 + 1e-12)) {
      if (!must) return std::nullopt;
      throw_infeasible(pb, fmt::format("{}{}tracking error {:.6g} per period against the benchmark: the least these "
                                       "constraints allow is {:.6g}",
                                       what, what.empty() ? "" : ", ", limit, least_te));
    }
  }
  // Bracket: lambda = 0 is the LP (above the limit); raise lambda tenfold until the limit holds.
  // The scale: the expected shortfall's gradient is of the order of a return, the tracking
  // term's lambda Sigma (w - b) of lambda times a variance.
  double lo = 0.0, hi = 1.0 / std::max(pb.covariance.diagonal().maxCoeff(), 1e-300);
  double f_lo = std::numeric_limits<double>::infinity();
  std::optional<Eigen::VectorXd> x_hi;
  double f_hi = 0.0;
  for (int k = 0; k < 40; ++k) {
    x_hi = solve_at(hi);
    if (!x_hi) return std::nullopt;
    f_hi = te(*x_hi);
    if (f_hi <= 0.0) break;
    lo = hi, f_lo = f_hi;
    hi *= 10.0;
  }
  if (f_hi > 0.0) throw Error::internal("min-cvar: the tracking error limit was not reached");
  if (!std::isfinite(f_lo)) {
    const std::optional<Eigen::VectorXd> x0 = solve_at(0.0);
    if (!x0) return std::nullopt;
    f_lo = te(*x0);
  }
  // Illinois regula falsi on te(lambda) - limit, falling from f_lo > 0 to f_hi <= 0.
  Eigen::VectorXd best = *x_hi;
  double f_best = f_hi;
  int side = 0;
  for (int it = 0; it < 200 && std::abs(f_best) > 1e-12 * limit && hi - lo > 1e-15 * hi; ++it) {
    const double c = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
    const std::optional<Eigen::VectorXd> xc = solve_at(c);
    if (!xc) return std::nullopt;
    const double fc = te(*xc);
    if (fc <= 0.0 || std::abs(fc) < std::abs(f_best)) best = *xc, f_best = fc;
    if (fc > 0.0) {
      lo = c, f_lo = fc;
      if (side == 1) f_hi /= 2;
      side = 1;
    } else {
      hi = c, f_hi = fc;
      if (side == -1) f_lo /= 2;
      side = -1;
    }
  }
  r.solver = "interior-point";
  return best;
}

}  // namespace

Result min_cvar(const Problem& pb, std::optional<double> target_return) {
  std::optional<Result> r = min_cvar_excluding(pb, target_return, nullptr, true);
  return std::move(*r);
}

std::optional<Result> min_cvar_excluding(const Problem& pb, std::optional<double> target_return,
                                         const std::vector<char>* excluded, bool must) {
  const Formulation f = formulate(pb);
  const Eigen::Index nv = f.qp.q.size();
  const Eigen::Index T = pb.scenarios.rows();
  const Eigen::Index n = Eigen::Index(f.n);
  const Eigen::Index alpha = nv, u0 = nv + 1;
  const Eigen::Index ncols = nv + 1 + T;

  struct Entry {
    int col, row;
    double value;
  };
  std::vector<Entry> entries;
  std::vector<double> rowlb, rowub;
  // The budget (and the target return).
  for (Eigen::Index e = 0; e < f.qp.A.rows(); ++e) {
    for (Eigen::Index j = 0; j < nv; ++j)
      if (f.qp.A(e, j) != 0.0) entries.push_back({int(j), int(rowlb.size()), f.qp.A(e, j)});
    rowlb.push_back(f.qp.b[e]);
    rowub.push_back(f.qp.b[e]);
  }
  if (target_return) {
    for (Eigen::Index j = 0; j < n; ++j) entries.push_back({int(j), int(rowlb.size()), pb.mean[j]});
    rowlb.push_back(*target_return);
    rowub.push_back(*target_return);
  }
  const int g0 = int(rowlb.size());
  for (Eigen::Index r = 0; r < f.qp.G.outerSize(); ++r)
    for (Eigen::SparseMatrix<double>::InnerIterator it(f.qp.G, r); it; ++it)
      entries.push_back({int(it.col()), g0 + int(it.row()), it.value()});
  for (Eigen::Index r = 0; r < f.qp.G.rows(); ++r) {
    rowlb.push_back(-DBL_MAX);
    rowub.push_back(f.qp.h[r]);
  }
  // Scenario rows: r_t'w + alpha + u_t >= 0.
  for (Eigen::Index t = 0; t < T; ++t) {
    const int row = int(rowlb.size());
    for (Eigen::Index j = 0; j < n; ++j)
      if (pb.scenarios(t, j) != 0.0) entries.push_back({int(j), row, pb.scenarios(t, j)});
    entries.push_back({int(alpha), row, 1.0});
    entries.push_back({int(u0 + t), row, 1.0});
    rowlb.push_back(0.0);
    rowub.push_back(DBL_MAX);
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.col < b.col; });
  std::vector<CoinBigIndex> start(std::size_t(ncols) + 1, 0);
  std::vector<int> index;
  std::vector<double> value;
  index.reserve(entries.size());
  value.reserve(entries.size());
  for (const Entry& e : entries) {
    ++start[std::size_t(e.col) + 1];
    index.push_back(e.row);
    value.push_back(e.value);
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  const auto cols = static_cast<std::size_t>(ncols);
  std::vector<double> collb(cols), colub(cols), obj(cols, 0.0);
  for (Eigen::Index j = 0; j < nv; ++j) {
    collb[std::size_t(j)] = clp_bound(f.qp.lower[j]);
    colub[std::size_t(j)] = clp_bound(f.qp.upper[j]);
  }
  if (excluded) {
    for (Eigen::Index j = 0; j < n; ++j) {
      if (!(*excluded)[std::size_t(j)]) continue;
      if (f.qp.lower[j] > 0.0 || f.qp.upper[j] < 0.0) return std::nullopt;
      collb[std::size_t(j)] = colub[std::size_t(j)] = 0.0;
    }
  }
  collb[std::size_t(alpha)] = -DBL_MAX;
  colub[std::size_t(alpha)] = DBL_MAX;
  obj[std::size_t(alpha)] = 1.0;
  const double c = 1.0 / ((1.0 - pb.es_confidence) * double(T));
  for (Eigen::Index t = 0; t < T; ++t) {
    collb[std::size_t(u0 + t)] = 0.0;
    colub[std::size_t(u0 + t)] = DBL_MAX;
    obj[std::size_t(u0 + t)] = c;
  }

  std::unique_ptr<Clp_Simplex, ClpDeleter> model(Clp_newModel());
  Clp_setLogLevel(model.get(), 0);
  Clp_loadProblem(model.get(), int(ncols), int(rowlb.size()), start.data(), index.data(), value.data(),
                  collb.data(), colub.data(), obj.data(), rowlb.data(), rowub.data());
  const std::string what = target_return ? fmt::format("target return {:.6g} per period", *target_return) : "";
  // The primal simplex, then the dual from its basis: on the 465 x 1,000 problem the primal takes
  // half the dual's time from scratch, and the dual pass (no pivot, as a rule) cleans the last
  // digits the primal leaves (1e-7 of the objective on a bounded case, 1e-9 after it).
  // In slices of iterations when a Cancellation watches (keel/core/cancel.h): CLP goes on from its
  // basis at the next call, so the slices end where one call would, and a cancelled solve stops
  // between two slices (status 3: stopped on iterations).
  const Cancellation* cancel = current_cancellation();
  constexpr int kSlice = 500;
  int primal_iterations = 0;
  const auto run = [&](auto solve) {
    if (cancel == nullptr) {
      solve(model.get(), 0);
      return Clp_numberIterations(model.get());
    }
    int done = 0;
    for (;;) {
      cancel->check();
      Clp_setMaximumIterations(model.get(), kSlice);
      solve(model.get(), 0);
      done += Clp_numberIterations(model.get());
      if (Clp_status(model.get()) != 3 || Clp_numberIterations(model.get()) < kSlice) break;
    }
    return done;
  };
  primal_iterations = run(Clp_primal);
  const int dual_iterations = run(Clp_dual);
  const int status = Clp_status(model.get());
  if (status == 1) {
    if (!must) return std::nullopt;
    throw_infeasible(pb, what);
  }
  if (status == 2) throw Error::invalid_input("unbounded: the expected shortfall has no minimum under these constraints");
  if (status != 0) throw Error::internal(fmt::format("min-cvar: CLP stopped with status {}", status));
  const double* x = Clp_getColSolution(model.get());
  Result r;
  r.weights.assign(x, x + n);
  r.solver = "clp";
  r.iterations = primal_iterations + dual_iterations;
  Eigen::VectorXd full = Eigen::VectorXd::Zero(nv);
  for (Eigen::Index j = 0; j < nv; ++j) full[j] = x[j];
  const std::optional<double> limit = pb.constraints.tracking_error;
  bool tracking_binding = false;
  if (limit) {
    const Eigen::VectorXd w = Eigen::Map<const Eigen::VectorXd>(x, n);
    if (tracking_error(pb, w) > *limit) {
      // The LP's portfolio breaks the limit: the quadratic program with the limit dualised.
      std::optional<Eigen::VectorXd> xt = min_cvar_tracking(pb, f, target_return, excluded, must, what, r);
      if (!xt) return std::nullopt;
      full = xt->head(nv);
      r.weights.assign(xt->data(), xt->data() + n);
      tracking_binding = true;
    }
  }
  // A simplex optimum: primal and dual objectives agree; the residuals are CLP's sums of
  // infeasibilities.
  r.duality_gap = 0.0;
  if (!tracking_binding)
    r.kkt_residual = std::max(Clp_sumPrimalInfeasibilities(model.get()), Clp_sumDualInfeasibilities(model.get()));
  describe(pb, r);
  // Binding: the budget, bounds and rows of G at their limits.
  r.binding = {"budget"};
  std::size_t at_zero = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double lo = f.qp.lower[i], up = f.qp.upper[i];
    if (std::isfinite(lo) && full[i] - lo <= 1e-9) {
      if (lo == 0.0 && pb.constraints.long_only && pb.constraints.lower.empty()) ++at_zero;
      else r.binding.push_back(fmt::format("lower {}", pb.symbols[std::size_t(i)]));
    }
    if (std::isfinite(up) && up - full[i] <= 1e-9) r.binding.push_back(fmt::format("upper {}", pb.symbols[std::size_t(i)]));
  }
  if (at_zero > 0) r.binding.push_back(fmt::format("long-only ({} assets at 0)", at_zero));
  const Eigen::VectorXd gx = f.qp.G * full;
  for (Eigen::Index k = 0; k < f.qp.G.rows(); ++k) {
    const std::string& name = f.row_names[std::size_t(k)];
    if (!name.empty() && f.qp.h[k] - gx[k] <= 1e-9 * (1.0 + std::abs(f.qp.h[k]))) r.binding.push_back(name);
  }
  if (target_return) r.binding.push_back("target return");
  if (tracking_binding) r.binding.push_back("tracking error");
  return r;
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
  S.weights = [n](const Result& r) {
    return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(r.weights.data(), Eigen::Index(n)));
  };
  S.value = [](const Result& r) { return r.expected_shortfall; };
  S.iterations = [](const Result& r) { return r.iterations; };
  SearchResult<Result> res = *branch_and_bound(pb, S, "");
  Result r = std::move(res.best);
  if (names_held(S.weights(r)) == *pb.constraints.max_names)
    r.binding.push_back(fmt::format("max names {}", *pb.constraints.max_names));
  set_search_figures(r, res.value, res.bound, res.proven, res.nodes, res.iterations);
  return r;
}


}  // namespace keel::construct::detail
