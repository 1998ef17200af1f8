#include "keel/construct/qp.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "keel/core/cancel.h"
#include "keel/core/error.h"

namespace keel::construct {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr double kInf = std::numeric_limits<double>::infinity();

double inf_norm(const VectorXd& v) { return v.size() == 0 ? 0.0 : v.cwiseAbs().maxCoeff(); }

// The largest step in [0, 1] keeping v + a dv >= 0 (strictly positive entries stay positive).
double max_step(const VectorXd& v, const VectorXd& dv) {
  double a = 1.0;
  for (Index i = 0; i < v.size(); ++i) {
    if (dv[i] < 0.0) a = std::min(a, -v[i] / dv[i]);
  }
  return a;
}

// The interior point's state: x, y and, for the three kinds of inequality (rows of G, lower and
// upper bounds), slacks s and multipliers z.
struct State {
  VectorXd x, y, sg, zg, sl, zl, su, zu;
};

struct Residuals {
  VectorXd rd, rp, rg, rl, ru;
};

class InteriorPoint {
 public:
  InteriorPoint(const QpProblem& pb, double scale) : pb_(pb), scale_(scale) {
    n_ = pb.q.size();
    for (Index i = 0; i < n_; ++i) {
      if (std::isfinite(pb.lower[i])) lo_idx_.push_back(i);
      if (std::isfinite(pb.upper[i])) up_idx_.push_back(i);
    }
    P_ = pb.P * scale;
    q_ = pb.q * scale;
    Gt_ = pb.G.transpose();
  }

  Index n() const { return n_; }
  const std::vector<Index>& lower_index() const { return lo_idx_; }
  const std::vector<Index>& upper_index() const { return up_idx_; }
  Index inequalities() const { return pb_.G.rows() + Index(lo_idx_.size() + up_idx_.size()); }

  State start() const {
    State st;
    st.x = VectorXd::Zero(n_);
    for (Index i = 0; i < n_; ++i) {
      const double l = pb_.lower[i], u = pb_.upper[i];
      if (std::isfinite(l) && std::isfinite(u)) st.x[i] = 0.5 * (l + u);
      else if (std::isfinite(l)) st.x[i] = l + 1.0;
      else if (std::isfinite(u)) st.x[i] = u - 1.0;
    }
    st.y = VectorXd::Zero(pb_.A.rows());
    const VectorXd slack_g = pb_.h - pb_.G * st.x;
    st.sg = slack_g.cwiseMax(1.0);
    st.zg = VectorXd::Ones(slack_g.size());
    st.sl = VectorXd::Ones(Index(lo_idx_.size()));
    st.zl = VectorXd::Ones(Index(lo_idx_.size()));
    for (std::size_t k = 0; k < lo_idx_.size(); ++k)
      st.sl[Index(k)] = std::max(1.0, st.x[lo_idx_[k]] - pb_.lower[lo_idx_[k]]);
    st.su = VectorXd::Ones(Index(up_idx_.size()));
    st.zu = VectorXd::Ones(Index(up_idx_.size()));
    for (std::size_t k = 0; k < up_idx_.size(); ++k)
      st.su[Index(k)] = std::max(1.0, pb_.upper[up_idx_[k]] - st.x[up_idx_[k]]);
    return st;
  }

  Residuals residuals(const State& st) const {
    Residuals r;
    r.rd = P_ * st.x + q_ + Gt_ * st.zg;
    if (pb_.A.rows() > 0) r.rd += pb_.A.transpose() * st.y;
    r.rl.resize(Index(lo_idx_.size()));
    for (std::size_t k = 0; k < lo_idx_.size(); ++k) {
      const Index i = lo_idx_[k];
      r.rd[i] -= st.zl[Index(k)];
      r.rl[Index(k)] = -st.x[i] + st.sl[Index(k)] + pb_.lower[i];
    }
    r.ru.resize(Index(up_idx_.size()));
    for (std::size_t k = 0; k < up_idx_.size(); ++k) {
      const Index i = up_idx_[k];
      r.rd[i] += st.zu[Index(k)];
      r.ru[Index(k)] = st.x[i] + st.su[Index(k)] - pb_.upper[i];
    }
    r.rp = pb_.A * st.x - pb_.b;
    r.rg = pb_.G * st.x + st.sg - pb_.h;
    return r;
  }

  // Factors the reduced Newton matrix for the current slacks and multipliers.
  void factor(const State& st) {
    MatrixXd H = P_;
    if (pb_.G.rows() > 0) {
      const VectorXd w = st.zg.cwiseQuotient(st.sg);
      Eigen::SparseMatrix<double> wg = w.asDiagonal() * pb_.G;
      H += MatrixXd(Gt_ * wg);
    }
    for (std::size_t k = 0; k < lo_idx_.size(); ++k)
      H(lo_idx_[k], lo_idx_[k]) += st.zl[Index(k)] / st.sl[Index(k)];
    for (std::size_t k = 0; k < up_idx_.size(); ++k)
      H(up_idx_[k], up_idx_[k]) += st.zu[Index(k)] / st.su[Index(k)];
    // H + A'A has the same solutions of the KKT system and is positive definite whenever the
    // system is nonsingular (P may be singular in the directions A fixes, e.g. an LP's).
    if (pb_.A.rows() > 0) H += pb_.A.transpose() * pb_.A;
    // Rounding can leave H + A'A numerically semi-definite late in the iterations (a multiplier
    // over a slack of 1e20 beside entries of 1): a small diagonal shift, grown until the factor
    // exists, perturbs the step and not the point it converges to.
    double reg = 0.0;
    const double diag = std::max(1.0, H.diagonal().cwiseAbs().maxCoeff());
    for (;;) {
      llt_.compute(reg > 0.0 ? MatrixXd(H + reg * MatrixXd::Identity(n_, n_)) : H);
      if (llt_.info() == Eigen::Success) break;
      reg = reg == 0.0 ? 1e-14 * diag : reg * 100.0;
      if (reg > 1e-2 * diag) throw Error::internal("quadratic program: the Newton system cannot be factored");
    }
    if (pb_.A.rows() > 0) {
      HinvAt_ = llt_.solve(MatrixXd(pb_.A.transpose()));
      schur_.compute(pb_.A * HinvAt_);
    }
  }

  // Solves for the direction given the residuals and the complementarity targets rc (one per
  // inequality, in the order G rows, lower, upper).
  State direction(const State& st, const Residuals& r, const VectorXd& rcg, const VectorXd& rcl,
                  const VectorXd& rcu) const {
    // Per row: dz = S^-1 (rc + Z r) + W c' dx; the first term moves to the right-hand side.
    const VectorXd tg = (rcg + st.zg.cwiseProduct(r.rg)).cwiseQuotient(st.sg);
    const VectorXd tl = (rcl + st.zl.cwiseProduct(r.rl)).cwiseQuotient(st.sl);
    const VectorXd tu = (rcu + st.zu.cwiseProduct(r.ru)).cwiseQuotient(st.su);
    VectorXd rhs = -r.rd - Gt_ * tg;
    for (std::size_t k = 0; k < lo_idx_.size(); ++k) rhs[lo_idx_[k]] += tl[Index(k)];
    for (std::size_t k = 0; k < up_idx_.size(); ++k) rhs[up_idx_[k]] -= tu[Index(k)];
    State d;
    if (pb_.A.rows() > 0) {
      rhs -= pb_.A.transpose() * r.rp;
      const VectorXd hr = llt_.solve(rhs);
      d.y = schur_.solve(pb_.A * hr + r.rp);
      d.x = hr - HinvAt_ * d.y;
    } else {
      d.y = VectorXd::Zero(0);
      d.x = llt_.solve(rhs);
    }
    const VectorXd gdx = pb_.G * d.x;
    d.sg = -r.rg - gdx;
    d.zg = tg + st.zg.cwiseQuotient(st.sg).cwiseProduct(gdx);
    d.sl.resize(Index(lo_idx_.size()));
    d.zl.resize(Index(lo_idx_.size()));
    for (std::size_t k = 0; k < lo_idx_.size(); ++k) {
      const Index j = Index(k);
      const double cdx = -d.x[lo_idx_[k]];
      d.sl[j] = -r.rl[j] - cdx;
      d.zl[j] = tl[j] + st.zl[j] / st.sl[j] * cdx;
    }
    d.su.resize(Index(up_idx_.size()));
    d.zu.resize(Index(up_idx_.size()));
    for (std::size_t k = 0; k < up_idx_.size(); ++k) {
      const Index j = Index(k);
      const double cdx = d.x[up_idx_[k]];
      d.su[j] = -r.ru[j] - cdx;
      d.zu[j] = tu[j] + st.zu[j] / st.su[j] * cdx;
    }
    return d;
  }

  const MatrixXd& P() const { return P_; }
  const VectorXd& q() const { return q_; }

 private:
  const QpProblem& pb_;
  double scale_;
  Index n_ = 0;
  std::vector<Index> lo_idx_, up_idx_;
  MatrixXd P_;
  VectorXd q_;
  Eigen::SparseMatrix<double> Gt_;
  Eigen::LLT<MatrixXd> llt_;
  MatrixXd HinvAt_;
  Eigen::LDLT<MatrixXd> schur_;
};

double step_to_boundary(const State& st, const State& d) {
  double a = 1.0;
  a = std::min(a, max_step(st.sg, d.sg));
  a = std::min(a, max_step(st.zg, d.zg));
  a = std::min(a, max_step(st.sl, d.sl));
  a = std::min(a, max_step(st.zl, d.zl));
  a = std::min(a, max_step(st.su, d.su));
  a = std::min(a, max_step(st.zu, d.zu));
  return a;
}

void advance(State& st, const State& d, double a) {
  st.x += a * d.x;
  st.y += a * d.y;
  st.sg += a * d.sg;
  st.zg += a * d.zg;
  st.sl += a * d.sl;
  st.zl += a * d.zl;
  st.su += a * d.su;
  st.zu += a * d.zu;
}

double complementarity(const State& st) {
  return st.sg.dot(st.zg) + st.sl.dot(st.zl) + st.su.dot(st.zu);
}

// What an active-set solve found wrong with its guess: the constraints to add (a free variable
// past a bound, an inactive row violated) and to release (a multiplier of the wrong sign), each
// with the size of its violation.
struct Violation {
  enum Kind { kFixLower, kFixUpper, kFree, kAddRow, kDropRow } kind;
  Index index;
  double size;
};

// Solves the equality-constrained QP of an active set: variables marked in `fixed` (-1 at lower,
// +1 at upper) are held at that bound, rows in `active_rows` of G become equalities. Returns true
// (and fills `sol`) when the point is feasible and every multiplier has the right sign, i.e. it is
// the QP's optimum (a convex QP's KKT conditions are sufficient). Otherwise returns false, leaves
// `sol` alone and, when `violations` is given, lists what is wrong; an empty list with false means
// the equality system itself has no solution (an inconsistent guess).
bool solve_active(const QpProblem& pb, const std::vector<int>& fixed, const std::vector<Index>& active_rows,
                  QpSolution& sol, std::vector<Violation>* violations) {
  const Index n = pb.q.size();
  const Index p = pb.A.rows();
  std::vector<Index> free_vars;
  VectorXd x = VectorXd::Zero(n);
  for (Index i = 0; i < n; ++i) {
    if (fixed[std::size_t(i)] == 0) free_vars.push_back(i);
    else x[i] = fixed[std::size_t(i)] < 0 ? pb.lower[i] : pb.upper[i];
  }
  const Index nf = Index(free_vars.size());
  const Index na = Index(active_rows.size());
  const Index dim = nf + p + na;
  if (dim == 0) return false;
  MatrixXd K = MatrixXd::Zero(dim, dim);
  VectorXd rhs = VectorXd::Zero(dim);
  const VectorXd px_fixed = pb.P * x;  // x holds only the fixed values here
  MatrixXd Ga(na, n);                  // the active rows of G
  for (Index g = 0; g < na; ++g) Ga.row(g) = pb.G.row(active_rows[std::size_t(g)]);
  for (Index a = 0; a < nf; ++a) {
    const Index i = free_vars[std::size_t(a)];
    for (Index c = 0; c < nf; ++c) K(a, c) = pb.P(i, free_vars[std::size_t(c)]);
    for (Index e = 0; e < p; ++e) K(a, nf + e) = K(nf + e, a) = pb.A(e, i);
    for (Index g = 0; g < na; ++g) K(a, nf + p + g) = K(nf + p + g, a) = Ga(g, i);
    rhs[a] = -pb.q[i] - px_fixed[i];
  }
  const VectorXd ax_fixed = pb.A * x;
  for (Index e = 0; e < p; ++e) rhs[nf + e] = pb.b[e] - ax_fixed[e];
  const VectorXd gx_fixed = Ga * x;
  for (Index g = 0; g < na; ++g) rhs[nf + p + g] = pb.h[active_rows[std::size_t(g)]] - gx_fixed[g];
  // K may be singular where the active set over-determines the point (the frontier's last point,
  // where the target return alone fixes the weights): a consistent solution still polishes, and
  // the residual check below rejects an inconsistent one.
  Eigen::FullPivLU<MatrixXd> lu(K);
  const VectorXd sol_k = lu.solve(rhs);
  if (!sol_k.allFinite() || (K * sol_k - rhs).cwiseAbs().maxCoeff() > 1e-9 * (1.0 + rhs.cwiseAbs().maxCoeff()))
    return false;
  for (Index a = 0; a < nf; ++a) x[free_vars[std::size_t(a)]] = sol_k[a];
  VectorXd y = sol_k.segment(nf, p);
  VectorXd z = VectorXd::Zero(pb.G.rows());
  for (Index g = 0; g < na; ++g) z[active_rows[std::size_t(g)]] = sol_k[nf + p + g];

  // Feasibility and signs, with a tolerance relative to the data's size.
  const double tol = 1e-9;
  bool ok = true;
  const auto flag = [&](Violation::Kind kind, Index index, double size) {
    ok = false;
    if (violations) violations->push_back({kind, index, size});
    return violations != nullptr;  // keep looking only when the caller wants the list
  };
  const double xscale = 1.0 + inf_norm(x);
  for (Index i = 0; i < n; ++i) {
    if (x[i] < pb.lower[i] - tol * xscale && !flag(Violation::kFixLower, i, pb.lower[i] - x[i])) return false;
    if (x[i] > pb.upper[i] + tol * xscale && !flag(Violation::kFixUpper, i, x[i] - pb.upper[i])) return false;
  }
  const VectorXd gx = pb.G * x;
  for (Index r = 0; r < pb.G.rows(); ++r)
    if (gx[r] > pb.h[r] + tol * (1.0 + std::abs(pb.h[r])) && !flag(Violation::kAddRow, r, gx[r] - pb.h[r]))
      return false;
  const double zscale = 1.0 + inf_norm(z) + inf_norm(pb.q) + pb.P.cwiseAbs().maxCoeff() * xscale;
  for (Index g = 0; g < na; ++g) {
    const Index r = active_rows[std::size_t(g)];
    if (z[r] < -tol * zscale && !flag(Violation::kDropRow, r, -z[r] / zscale)) return false;
  }
  VectorXd grad = pb.P * x + pb.q;
  if (pb.G.rows() > 0) grad += pb.G.transpose() * z;
  if (p > 0) grad += pb.A.transpose() * y;
  VectorXd zl = VectorXd::Zero(n), zu = VectorXd::Zero(n);
  for (Index i = 0; i < n; ++i) {
    const int f = fixed[std::size_t(i)];
    if (f < 0) zl[i] = grad[i];
    if (f > 0) zu[i] = -grad[i];
    if (((f < 0 && zl[i] < -tol * zscale) || (f > 0 && zu[i] < -tol * zscale)) &&
        !flag(Violation::kFree, i, std::max(-zl[i], -zu[i]) / zscale))
      return false;
  }
  if (!ok) return false;
  sol.x = x;
  sol.y = y;
  sol.z = z.cwiseMax(0.0);
  sol.z_lower = zl.cwiseMax(0.0);
  sol.z_upper = zu.cwiseMax(0.0);
  sol.polished = true;
  return true;
}

// Solves the equality-constrained QP of the active set the interior point found ("polishing").
// At a degenerate point, where the active constraints over-determine it, the multipliers this
// finds are one choice among many and may fail the sign check: the interior point's own solution
// is kept then, accurate to its residuals, e.g. a frontier's last point. Returns false (and leaves
// `sol` alone) when the point it finds is infeasible or a multiplier has the wrong sign, i.e. the
// active set was not identified correctly.
bool polish(const QpProblem& pb, const State& st, QpSolution& sol) {
  const Index n = pb.q.size();
  std::vector<int> fixed(std::size_t(n), 0);  // -1 at lower, +1 at upper
  {
    Index k = 0;
    for (Index i = 0; i < n; ++i) {
      if (std::isfinite(pb.lower[i])) {
        if (st.sl[k] < st.zl[k]) fixed[std::size_t(i)] = -1;
        ++k;
      }
    }
    k = 0;
    for (Index i = 0; i < n; ++i) {
      if (std::isfinite(pb.upper[i])) {
        if (st.su[k] < st.zu[k] && fixed[std::size_t(i)] == 0) fixed[std::size_t(i)] = 1;
        ++k;
      }
    }
  }
  std::vector<Index> active_rows;
  for (Index r = 0; r < pb.G.rows(); ++r)
    if (st.sg[r] < st.zg[r]) active_rows.push_back(r);
  return solve_active(pb, fixed, active_rows, sol, nullptr);
}

// Residuals and complementarity of a solution in the problem's own scale.
void measure(const QpProblem& pb, QpSolution& sol) {
  const VectorXd& x = sol.x;
  VectorXd rd = pb.P * x + pb.q - sol.z_lower + sol.z_upper;
  if (pb.G.rows() > 0) rd += pb.G.transpose() * sol.z;
  if (pb.A.rows() > 0) rd += pb.A.transpose() * sol.y;
  double primal = 0.0, gap = 0.0;
  if (pb.A.rows() > 0) primal = inf_norm(pb.A * x - pb.b);
  const VectorXd gx = pb.G * x;
  for (Index r = 0; r < pb.G.rows(); ++r) {
    primal = std::max(primal, gx[r] - pb.h[r]);
    gap += std::abs((pb.h[r] - gx[r]) * sol.z[r]);
  }
  for (Index i = 0; i < x.size(); ++i) {
    if (std::isfinite(pb.lower[i])) {
      primal = std::max(primal, pb.lower[i] - x[i]);
      gap += std::abs((x[i] - pb.lower[i]) * sol.z_lower[i]);
    }
    if (std::isfinite(pb.upper[i])) {
      primal = std::max(primal, x[i] - pb.upper[i]);
      gap += std::abs((pb.upper[i] - x[i]) * sol.z_upper[i]);
    }
  }
  sol.kkt_residual = std::max(primal, inf_norm(rd));
  sol.duality_gap = gap;
  sol.objective = 0.5 * x.dot(pb.P * x) + pb.q.dot(x);
}

}  // namespace

const char* qp_status_name(QpStatus s) {
  switch (s) {
    case QpStatus::kOptimal: return "optimal";
    case QpStatus::kInfeasible: return "infeasible";
    case QpStatus::kUnbounded: return "unbounded";
    case QpStatus::kIterationLimit: return "iteration_limit";
  }
  return "unknown";
}

QpSolution solve_qp(const QpProblem& pb, const QpOptions& options) {
  const Index n = pb.q.size();
  if (pb.P.rows() != n || pb.P.cols() != n || pb.A.cols() != (pb.A.rows() ? n : pb.A.cols()) ||
      pb.b.size() != pb.A.rows() || (pb.G.rows() > 0 && pb.G.cols() != n) || pb.h.size() != pb.G.rows() ||
      pb.lower.size() != n || pb.upper.size() != n)
    throw Error::invalid_input("quadratic program: dimensions do not match");
  if (n == 0) throw Error::invalid_input("quadratic program: no variables");
  for (Index i = 0; i < n; ++i) {
    if (pb.lower[i] > pb.upper[i]) {
      QpSolution s;
      s.status = QpStatus::kInfeasible;
      return s;
    }
  }
  QpProblem copy;
  const QpProblem* use = &pb;
  if (pb.A.rows() == 0 && pb.A.cols() != n) {
    copy = pb;
    copy.A = MatrixXd::Zero(0, n);
    use = &copy;
  }
  const QpProblem& p = *use;
  // Objective scaling: daily covariances are ~1e-4; the interior point works on numbers near 1.
  double big = std::max(p.P.size() ? p.P.cwiseAbs().maxCoeff() : 0.0, inf_norm(p.q));
  const double scale = big > 0.0 ? 1.0 / big : 1.0;

  InteriorPoint ip(p, scale);
  State st = ip.start();
  const Index m = ip.inequalities();
  const double bnorm = 1.0 + std::max({inf_norm(p.b), inf_norm(p.h),
                                       inf_norm(p.lower.unaryExpr([](double v) { return std::isfinite(v) ? v : 0.0; })),
                                       inf_norm(p.upper.unaryExpr([](double v) { return std::isfinite(v) ? v : 0.0; }))});
  QpSolution sol;
  sol.status = QpStatus::kIterationLimit;
  int stalls = 0;
  bool diverged_x = false;
  State best = st;
  double best_merit = kInf, best_p = kInf, best_d = kInf, best_g = kInf;
  int best_it = 0;
  double pres = kInf, dres = kInf, rel_gap = kInf;
  for (int it = 0; it < options.max_iterations; ++it) {
    cancellation_point();  // an iteration is a factorisation: admission bounds its size
    const Residuals r = ip.residuals(st);
    pres = std::max({inf_norm(r.rp), inf_norm(r.rg), inf_norm(r.rl), inf_norm(r.ru)}) / bnorm;
    dres = inf_norm(r.rd) / (1.0 + inf_norm(ip.q()));
    const double mu_sum = complementarity(st);
    const double obj = 0.5 * st.x.dot(ip.P() * st.x) + ip.q().dot(st.x);
    rel_gap = mu_sum / (1.0 + std::abs(obj));
    sol.iterations = it;
    if (pres < options.tolerance && dres < options.tolerance && rel_gap < options.tolerance) {
      sol.status = QpStatus::kOptimal;
      break;
    }
    // Rounding sets a floor under the residuals (about 1e-11 relative on badly scaled problems);
    // past it the iterates only wander. Keep the best point and stop when several iterations have
    // not improved on it.
    const double merit = std::max({pres, dres, rel_gap});
    if (merit < best_merit) {
      best_merit = merit;
      best = st;
      best_it = it;
      best_p = pres, best_d = dres, best_g = rel_gap;
    } else if (best_merit < 1e-7 && it - best_it >= 5) {
      break;
    }
    if (stalls >= 5) break;
    ip.factor(st);
    if (m == 0) {
      const State d = ip.direction(st, r, VectorXd(), VectorXd(), VectorXd());
      advance(st, d, 1.0);
      continue;
    }
    const double mu = mu_sum / double(m);
    // Predictor (affine scaling): rc = -S Z e.
    const State da = ip.direction(st, r, -st.sg.cwiseProduct(st.zg), -st.sl.cwiseProduct(st.zl),
                                  -st.su.cwiseProduct(st.zu));
    const double aa = step_to_boundary(st, da);
    State trial = st;
    advance(trial, da, aa);
    const double mu_aff = complementarity(trial) / double(m);
    const double sigma = std::pow(std::clamp(mu_aff / mu, 0.0, 1.0), 3);
    // Corrector: rc = sigma mu e - S Z e - dS_aff dZ_aff e.
    const auto target = [&](const VectorXd& s, const VectorXd& z, const VectorXd& ds, const VectorXd& dz) {
      return VectorXd((VectorXd::Constant(s.size(), sigma * mu) - s.cwiseProduct(z) - ds.cwiseProduct(dz)));
    };
    const State d = ip.direction(st, r, target(st.sg, st.zg, da.sg, da.zg), target(st.sl, st.zl, da.sl, da.zl),
                                 target(st.su, st.zu, da.su, da.zu));
    const double a = std::min(1.0, 0.99 * step_to_boundary(st, d));
    advance(st, d, a);
    stalls = a < 1e-8 ? stalls + 1 : 0;
    // Infeasibility or unboundedness shows as multipliers or iterates running off to infinity.
    if (inf_norm(st.x) > 1e14) {
      diverged_x = true;
      break;
    }
    if (inf_norm(st.zg) + inf_norm(st.zl) + inf_norm(st.zu) > 1e14) break;
  }
  if (sol.status != QpStatus::kOptimal && best_merit < kInf && !diverged_x) {
    st = best;
    pres = best_p, dres = best_d, rel_gap = best_g;
  }
  if (sol.status != QpStatus::kOptimal) {
    if (pres < 1e-8 && dres < 1e-8 && rel_gap < 1e-8) sol.status = QpStatus::kOptimal;  // stalled close to it
    else if (diverged_x) sol.status = QpStatus::kUnbounded;
    else if (pres > 1e-8) sol.status = QpStatus::kInfeasible;
    else if (dres > 1e-8) sol.status = QpStatus::kUnbounded;
  }
  sol.x = st.x;
  sol.y = st.y / scale;
  sol.z = st.zg / scale;
  sol.z_lower = VectorXd::Zero(n);
  sol.z_upper = VectorXd::Zero(n);
  for (std::size_t k = 0; k < ip.lower_index().size(); ++k) sol.z_lower[ip.lower_index()[k]] = st.zl[Index(k)] / scale;
  for (std::size_t k = 0; k < ip.upper_index().size(); ++k) sol.z_upper[ip.upper_index()[k]] = st.zu[Index(k)] / scale;
  if (sol.status == QpStatus::kOptimal && options.polish && m > 0) {
    QpSolution polished = sol;
    if (polish(p, st, polished)) {
      measure(p, polished);
      QpSolution plain = sol;
      measure(p, plain);
      // Keep the polished point only when it is at least as good a KKT point.
      if (polished.kkt_residual <= std::max(plain.kkt_residual, 1e-12 * (1.0 + inf_norm(p.q)))) sol = polished;
    }
  }
  measure(p, sol);
  return sol;
}

namespace {

// The active set of a solution: the bounds its weights sit on and the rows of G it meets.
void record_active_set(const QpProblem& pb, const QpSolution& s, QpActiveSet& active) {
  const Index n = pb.q.size();
  active.bound.assign(std::size_t(n), 0);
  active.rows.assign(std::size_t(pb.G.rows()), 0);
  if (s.status != QpStatus::kOptimal) return;
  for (Index i = 0; i < n; ++i) {
    const double lo = pb.lower[i], up = pb.upper[i];
    if (std::isfinite(lo) && s.x[i] - lo <= 1e-10 * (1.0 + std::abs(lo))) active.bound[std::size_t(i)] = -1;
    else if (std::isfinite(up) && up - s.x[i] <= 1e-10 * (1.0 + std::abs(up))) active.bound[std::size_t(i)] = 1;
  }
  const VectorXd gx = pb.G * s.x;
  for (Index r = 0; r < pb.G.rows(); ++r)
    if (pb.h[r] - gx[r] <= 1e-10 * (1.0 + std::abs(pb.h[r]))) active.rows[std::size_t(r)] = 1;
}

}  // namespace

QpSolution solve_qp_warm(const QpProblem& pb, QpActiveSet& active, const QpOptions& options) {
  const Index n = pb.q.size();
  const bool usable = active.bound.size() == std::size_t(n) && active.rows.size() == std::size_t(pb.G.rows()) &&
                      pb.P.rows() == n && pb.A.cols() == n && pb.lower.size() == n && pb.upper.size() == n;
  if (usable) {
    std::vector<int> fixed = active.bound;
    std::vector<char> rows = active.rows;
    // A bound the guess holds must exist in this problem.
    for (Index i = 0; i < n; ++i) {
      int& f = fixed[std::size_t(i)];
      if ((f < 0 && !std::isfinite(pb.lower[i])) || (f > 0 && !std::isfinite(pb.upper[i]))) f = 0;
    }
    std::vector<Violation> v;
    for (int it = 1; it <= options.warm_iterations; ++it) {
      cancellation_point();
      std::vector<Index> active_rows;
      for (Index r = 0; r < pb.G.rows(); ++r)
        if (rows[std::size_t(r)]) active_rows.push_back(r);
      QpSolution s;
      v.clear();
      if (solve_active(pb, fixed, active_rows, s, &v)) {
        s.status = QpStatus::kOptimal;
        s.iterations = it;
        s.warm = true;
        measure(pb, s);
        active.bound = std::move(fixed);
        active.rows = std::move(rows);
        return s;
      }
      if (v.empty()) break;  // the guess's equality system has no solution
      // Block pivoting: every violation changes at once for the first few rounds (a neighbouring
      // problem's active set differs in a few places), then only the largest, which cannot cycle
      // as easily; the interior point takes over when neither settles.
      if (it > options.warm_iterations / 4) {
        const auto worst = std::max_element(v.begin(), v.end(),
                                            [](const Violation& a, const Violation& b) { return a.size < b.size; });
        v = {*worst};
      }
      for (const Violation& e : v) {
        switch (e.kind) {
          case Violation::kFixLower: fixed[std::size_t(e.index)] = -1; break;
          case Violation::kFixUpper: fixed[std::size_t(e.index)] = 1; break;
          case Violation::kFree: fixed[std::size_t(e.index)] = 0; break;
          case Violation::kAddRow: rows[std::size_t(e.index)] = 1; break;
          case Violation::kDropRow: rows[std::size_t(e.index)] = 0; break;
        }
      }
    }
  }
  QpSolution s = solve_qp(pb, options);
  record_active_set(pb, s, active);
  return s;
}

}  // namespace keel::construct
