// The interior-point QP on random problems, checked against its own optimality conditions (the KKT
// conditions hold at the reported solution, measured independently here) and on LPs and QPs with
// known answers.
#include <gtest/gtest.h>

#include <random>

#include "keel/construct/qp.h"

namespace keel::construct {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;
constexpr double kInf = std::numeric_limits<double>::infinity();

// Random convex QP with a budget row, box bounds and a few dense general rows, feasible by
// construction (x0 satisfies everything strictly).
QpProblem random_qp(int n, int rank, int rows, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  QpProblem p;
  MatrixXd f(rank, n);
  for (int i = 0; i < rank; ++i)
    for (int j = 0; j < n; ++j) f(i, j) = z(gen);
  p.P = f.transpose() * f / rank;
  p.q = VectorXd(n);
  for (int j = 0; j < n; ++j) p.q[j] = z(gen);
  VectorXd x0(n);
  for (int j = 0; j < n; ++j) x0[j] = u(gen);
  p.A = MatrixXd::Ones(1, n);
  p.b = VectorXd::Constant(1, x0.sum());
  p.lower = VectorXd::Constant(n, 0.0);
  p.upper = VectorXd::Constant(n, kInf);
  for (int j = 0; j < n; j += 3) p.upper[j] = x0[j] + 0.5 * u(gen);
  // Free variables only where P is positive definite (else the problem may be unbounded).
  if (rank >= n)
    for (int j = 1; j < n; j += 5) p.lower[j] = -kInf;
  MatrixXd g(rows, n);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < n; ++j) g(i, j) = z(gen);
  p.G = g.sparseView();
  p.h = g * x0 + VectorXd::Constant(rows, 0.1);
  return p;
}

// max over the KKT conditions, computed here from the solution and multipliers.
double kkt_violation(const QpProblem& p, const QpSolution& s) {
  const VectorXd grad = p.P * s.x + p.q + p.A.transpose() * s.y + MatrixXd(p.G).transpose() * s.z - s.z_lower + s.z_upper;
  double v = grad.cwiseAbs().maxCoeff() / (1.0 + p.q.cwiseAbs().maxCoeff());
  v = std::max(v, (p.A * s.x - p.b).cwiseAbs().maxCoeff());
  const VectorXd gx = p.G * s.x;
  for (int r = 0; r < p.G.rows(); ++r) {
    v = std::max(v, gx[r] - p.h[r]);
    v = std::max(v, -s.z[r]);
    v = std::max(v, std::abs((p.h[r] - gx[r]) * s.z[r]));
  }
  for (int i = 0; i < s.x.size(); ++i) {
    if (std::isfinite(p.lower[i])) {
      v = std::max(v, p.lower[i] - s.x[i]);
      v = std::max(v, std::abs((s.x[i] - p.lower[i]) * s.z_lower[i]));
    }
    if (std::isfinite(p.upper[i])) {
      v = std::max(v, s.x[i] - p.upper[i]);
      v = std::max(v, std::abs((p.upper[i] - s.x[i]) * s.z_upper[i]));
    }
  }
  return v;
}

TEST(Qp, RandomProblemsSatisfyKkt) {
  int polished = 0;
  for (unsigned seed = 1; seed <= 60; ++seed) {
    const int n = 5 + int(seed % 7) * 9;
    const int rank = seed % 2 ? n : std::max(2, n / 3);  // singular P too
    const QpProblem p = random_qp(n, rank, int(seed % 4), seed);
    const QpSolution s = solve_qp(p);
    ASSERT_EQ(s.status, QpStatus::kOptimal) << "seed " << seed;
    EXPECT_LT(kkt_violation(p, s), 1e-9) << "seed " << seed;
    polished += s.polished;
  }
  EXPECT_GT(polished, 40);
}

// An LP with a known vertex: max x + 2y s.t. x + y <= 4, x + 3y <= 6, x, y >= 0 -> (3, 1).
TEST(Qp, SmallLpVertex) {
  QpProblem p;
  p.P = MatrixXd::Zero(2, 2);
  p.q = VectorXd(2);
  p.q << -1, -2;
  p.A = MatrixXd::Zero(0, 2);
  p.b = VectorXd(0);
  MatrixXd g(2, 2);
  g << 1, 1, 1, 3;
  p.G = g.sparseView();
  p.h = VectorXd(2);
  p.h << 4, 6;
  p.lower = VectorXd::Zero(2);
  p.upper = VectorXd::Constant(2, kInf);
  const QpSolution s = solve_qp(p);
  ASSERT_EQ(s.status, QpStatus::kOptimal);
  EXPECT_NEAR(s.x[0], 3.0, 1e-12);
  EXPECT_NEAR(s.x[1], 1.0, 1e-12);
  EXPECT_NEAR(s.objective, -5.0, 1e-12);
}

TEST(Qp, InfeasibleAndUnboundedAreReported) {
  QpProblem p;
  p.P = MatrixXd::Identity(2, 2);
  p.q = VectorXd::Zero(2);
  p.A = MatrixXd::Ones(1, 2);
  p.b = VectorXd::Constant(1, 1.0);
  p.lower = VectorXd::Zero(2);
  p.upper = VectorXd::Constant(2, 0.4);
  p.G.resize(0, 2);
  p.h = VectorXd(0);
  EXPECT_EQ(solve_qp(p).status, QpStatus::kInfeasible);
  QpProblem lp;
  lp.P = MatrixXd::Zero(2, 2);
  lp.q = VectorXd::Constant(2, -1.0);
  lp.A = MatrixXd::Zero(0, 2);
  lp.b = VectorXd(0);
  lp.lower = VectorXd::Zero(2);
  lp.upper = VectorXd::Constant(2, kInf);
  lp.G.resize(0, 2);
  lp.h = VectorXd(0);
  EXPECT_EQ(solve_qp(lp).status, QpStatus::kUnbounded);
}

}  // namespace
}  // namespace keel::construct
