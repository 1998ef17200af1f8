// Minimum CVaR (Rockafellar & Uryasev 2000) as a linear program on COIN-OR CLP:
//   min  alpha + 1 / ((1 - beta) T) sum_t u_t
//   s.t. u_t >= -r_t'w - alpha,  u_t >= 0,  and the portfolio's linear constraints.
#include <coin/Clp_C_Interface.h>
#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <memory>
#include <numeric>
#include <vector>

#include "construct_internal.h"
#include "keel/core/error.h"

namespace keel::construct::detail {
namespace {

struct ClpDeleter {
  void operator()(Clp_Simplex* m) const { Clp_deleteModel(m); }
};

double clp_bound(double v) { return std::isfinite(v) ? v : (v > 0 ? DBL_MAX : -DBL_MAX); }

}  // namespace

Result min_cvar(const Problem& pb, std::optional<double> target_return) {
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
  Clp_dual(model.get(), 0);
  const int status = Clp_status(model.get());
  if (status == 1) {
    throw_infeasible(pb, target_return ? fmt::format("target return {:.6g} per period", *target_return) : "");
  }
  if (status == 2) throw Error::invalid_input("unbounded: the expected shortfall has no minimum under these constraints");
  if (status != 0) throw Error::internal(fmt::format("min-cvar: CLP stopped with status {}", status));
  const double* x = Clp_getColSolution(model.get());
  Result r;
  r.weights.assign(x, x + n);
  r.solver = "clp";
  r.iterations = Clp_numberIterations(model.get());
  // A simplex optimum: primal and dual objectives agree; the residuals are CLP's sums of
  // infeasibilities.
  r.duality_gap = 0.0;
  r.kkt_residual = std::max(Clp_sumPrimalInfeasibilities(model.get()), Clp_sumDualInfeasibilities(model.get()));
  Eigen::VectorXd full = Eigen::VectorXd::Zero(nv);
  for (Eigen::Index j = 0; j < nv; ++j) full[j] = x[j];
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
  return r;
}

}  // namespace keel::construct::detail
