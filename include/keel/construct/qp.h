// keel/construct/qp.h: a dense convex quadratic program solved by a primal-dual interior-point
// method (Mehrotra's predictor-corrector), for the portfolio problems of keel/construct.
//
//   minimize    1/2 x' P x + q' x
//   subject to  A x  = b            (few rows: the budget, a target return)
//               G x <= h            (sparse rows: group bounds, turnover, homogenised bounds)
//               lower <= x <= upper (per variable; infinite entries mean no bound)
//
// Bounds are kept apart from G because they add only a diagonal to the Newton system: each
// iteration factors the n x n matrix P + G' W G + D (dense Cholesky, O(n^3 / 3)) plus an
// A-sized Schur complement. The method is the textbook one (Nocedal & Wright, Numerical
// Optimization, 2nd ed., section 16.6; Mehrotra 1992); after it converges, the active set it
// identified is solved exactly as an equality-constrained QP ("polishing") and kept when that
// point is feasible and its multipliers have the right signs, which puts the solution at machine
// precision instead of the interior point's last step.
//
// Deterministic: the same inputs give the same bits (no threads, no randomness).
// Thread-safety: pure function.
#pragma once

#include <Eigen/Dense>
#include <Eigen/Sparse>
#include <string>
#include <vector>

namespace keel::construct {

struct QpProblem {
  Eigen::MatrixXd P;               // n x n, symmetric positive semi-definite (may be zero: an LP)
  Eigen::VectorXd q;               // n
  Eigen::MatrixXd A;               // p x n equality rows (p may be 0)
  Eigen::VectorXd b;               // p
  Eigen::SparseMatrix<double> G;   // m x n inequality rows (m may be 0)
  Eigen::VectorXd h;               // m
  Eigen::VectorXd lower;           // n, -infinity for none
  Eigen::VectorXd upper;           // n, +infinity for none
};

enum class QpStatus { kOptimal, kInfeasible, kUnbounded, kIterationLimit };
const char* qp_status_name(QpStatus s);

struct QpSolution {
  QpStatus status = QpStatus::kIterationLimit;
  Eigen::VectorXd x;
  Eigen::VectorXd y;          // multipliers of A x = b
  Eigen::VectorXd z;          // multipliers of G x <= h (>= 0)
  Eigen::VectorXd z_lower;    // multipliers of x >= lower (>= 0; 0 where no bound)
  Eigen::VectorXd z_upper;    // multipliers of x <= upper
  double objective = 0.0;     // 1/2 x'Px + q'x
  double duality_gap = 0.0;   // complementarity: sum of slack x multiplier over every inequality
  double kkt_residual = 0.0;  // max of the primal and dual residuals' infinity norms
  int iterations = 0;
  bool polished = false;      // the active set was solved exactly
  bool warm = false;          // solve_qp_warm: found from the active set guess, no interior point
};

struct QpOptions {
  int max_iterations = 200;
  double tolerance = 1e-11;  // relative residuals and gap at which the interior point stops
  bool polish = true;
  int warm_iterations = 40;  // solve_qp_warm: active-set solves before the interior point takes over
};

// Solves the problem. Dimensions that do not match throw keel::Error(invalid_input).
QpSolution solve_qp(const QpProblem& problem, const QpOptions& options = {});

// The active set of a solution: per variable -1 at its lower bound, +1 at its upper, 0 between;
// per row of G 1 where it holds with equality.
struct QpActiveSet {
  std::vector<int> bound;
  std::vector<char> rows;
};

// solve_qp started from a neighbouring problem's active set (a parametric sequence such as the
// frontier's target returns). It solves the equality-constrained QP of the guess and, while the
// point is infeasible or a multiplier has the wrong sign, moves the offending constraints in or
// out of the set (block principal pivoting: all at once for the first quarter of
// options.warm_iterations, then the largest alone) and solves again; the first point passing the
// KKT check (feasible, multipliers of the right sign, within 1e-9 relative, the same test the
// interior point's polishing passes) is the optimum, since a convex QP's KKT conditions are
// sufficient. Without a usable guess (an empty one, another size) or when the pivoting does not
// settle, it is solve_qp. `active` is updated to the solution's active set either way.
QpSolution solve_qp_warm(const QpProblem& problem, QpActiveSet& active, const QpOptions& options = {});

}  // namespace keel::construct
