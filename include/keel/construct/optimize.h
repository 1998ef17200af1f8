// keel/construct/optimize.h: portfolio construction over a covariance matrix, expected returns and
// return scenarios, all per period (keel's are daily decimal returns; the caller annualises).
//
// Objectives (keel/construct/objective.h), all on weights w summing to the budget (1):
//   min-variance         min w'Sigma w
//   max-sharpe           max (mu'w - rf) / sqrt(w'Sigma w), solved as the convex program
//                        min y'Sigma y s.t. (mu - rf)'y = 1 with every constraint homogenised by
//                        kappa = sum y >= 0, w = y / kappa (Cornuejols & Tutuncu, Optimization
//                        Methods in Finance, 2007, section 8.2)
//   target-return        min w'Sigma w s.t. mu'w = r
//   target-volatility    max mu'w s.t. w'Sigma w <= s^2: the frontier point of that volatility,
//                        found by bisection on the target return (volatility rises with it on the
//                        efficient branch)
//   min-cvar             min alpha + 1/((1-beta) T) sum_t max(0, -r_t'w - alpha): expected
//                        shortfall of the scenario losses at confidence beta (Rockafellar &
//                        Uryasev, "Optimization of conditional value-at-risk", J. Risk 2, 2000),
//                        a linear program solved with COIN-OR CLP
//   risk-parity          w_i (Sigma w)_i / w'Sigma w = b_i (budgets, equal by default): Newton's
//                        method on min 1/2 y'Sigma y - sum b_i ln y_i, w = y / sum y (Spinu 2013;
//                        Roncalli, Introduction to Risk Parity and Budgeting, 2013), long-only
//   hrp                  hierarchical risk parity (Lopez de Prado, "Building diversified
//                        portfolios that outperform out of sample", J. Portfolio Management 42,
//                        2016): single-linkage tree on d~ (the Euclidean distance between columns
//                        of d_ij = sqrt((1 - rho_ij) / 2)), quasi-diagonal order, recursive bisection
//                        with inverse-variance cluster weights
//   max-diversification  max w'sigma / sqrt(w'Sigma w) (Choueifaty & Coignard 2008): max-sharpe
//                        with mu = sigma, rf = 0
// Constraints: the budget, per-asset bounds (long-only = [0, inf)), group bounds (sector, tag,
// currency, a list of symbols), turnover sum |w - w0| <= T from current weights w0, and, for
// min-variance, target-return, max-sharpe, max-diversification, min-cvar and the frontier:
//   tracking error       (w - b)'Sigma (w - b) <= TE^2 against benchmark weights b (with
//                        a benchmark outside the assets, its covariances: Constraints). For
//                        max-sharpe a Brent search along the constrained frontier (its
//                        volatility is convex in the target return, the ratio quasi-concave);
//                        for min-cvar, when the LP's portfolio breaks the limit, the limit
//                        dualised on the LP, a QP whose multiplier regula falsi finds; for the
//                        frontier each point's target-return problem. For min-variance: the quadratic
//                        constraint is dualised, min (1 - theta) w'Sigma w + theta (w - b)'Sigma
//                        (w - b) over the linear constraints, and theta in [0, 1] found by regula
//                        falsi (Illinois) where the tracking error meets the limit; the tracking
//                        error falls as theta rises and the Lagrangian has no duality gap (a convex
//                        program with a Slater point), so the point found is the exact optimum,
//                        with multiplier theta / (1 - theta)
//   cardinality          at most K nonzero weights: branch and bound over the objective's convex
//                        problem (min-variance's QP, max-sharpe's homogenised QP, min-cvar's LP),
//                        each node fixing some assets at 0 (every bound must contain 0); exact up to
//                        kCardinalityExactAssets assets and kCardinalityNodeLimit nodes, beyond
//                        that the relaxation's K largest weights re-optimised (a heuristic: the
//                        result says it is not proven and its gap to the relaxation's bound)
// Risk parity and HRP take none but the budget and long-only (their definitions fix the weights);
// asking them for others is an error.
//
// The quadratic programs run on keel's interior-point solver (keel/construct/qp.h). An infeasible
// problem throws keel::Error(invalid_input) naming the constraints in conflict.
//
// Deterministic. Thread-safety: pure functions.
#pragma once

#include <Eigen/Dense>
#include <optional>
#include <string>
#include <vector>

#include "keel/construct/objective.h"

namespace keel::construct {

struct GroupBound {
  std::string name;                 // e.g. "sector Technology"
  std::vector<std::size_t> members; // asset indices
  double lower = -1e300;            // bound on the sum of the members' weights
  double upper = 1e300;
};

struct Constraints {
  double budget = 1.0;                       // sum of weights
  std::vector<double> lower;                 // per asset; empty: -infinity (or 0 when long_only)
  std::vector<double> upper;                 // per asset; empty: +infinity
  bool long_only = false;                    // lower bounds at least 0
  std::vector<GroupBound> groups;
  std::optional<double> turnover;            // sum |w - current| <= turnover
  std::vector<double> current;               // current weights (turnover); empty: zeros
  std::optional<double> tracking_error;      // per period: sqrt((w - b)'Sigma (w - b)) at most this
  std::vector<double> benchmark;             // b of the tracking error: its weights on the assets
  // A benchmark (or its part) outside the assets, given by its return series r_o: the covariance
  // of each asset with r_o (c, per period) and r_o's variance (v). Empty: none. The tracking error
  // is then sqrt((w - b)'Sigma (w - b) - 2 (w - b)'c + v), the same form over the assets and r_o.
  std::vector<double> benchmark_covariance;
  double benchmark_variance = 0.0;
  std::optional<std::size_t> max_names;      // at most this many nonzero weights
};

// Cardinality: the universes searched exactly, and the node budget of that search.
inline constexpr std::size_t kCardinalityExactAssets = 40;
inline constexpr std::size_t kCardinalityNodeLimit = 20000;

struct Problem {
  std::vector<std::string> symbols;
  Eigen::MatrixXd covariance;   // per period
  Eigen::VectorXd mean;         // expected return per period
  Eigen::MatrixXd scenarios;    // T x n returns per period (min-cvar, expected shortfall)
  double risk_free = 0.0;       // per period
  double es_confidence = 0.975; // beta of min-cvar and of the reported expected shortfall
  Constraints constraints;
  std::vector<double> risk_budgets;  // risk parity; empty: equal
  double periods_per_year = 0.0;     // for messages: targets are also said per year (0: not)
};

struct Spec {
  Objective objective = Objective::kMinVariance;
  double target = 0.0;  // target-return: mean per period; target-volatility: sigma per period
};

struct Result {
  std::vector<double> weights;
  double expected_return = 0.0;        // mu'w, per period
  double volatility = 0.0;             // sqrt(w'Sigma w), per period
  double sharpe = 0.0;                 // (mu'w - rf) / volatility, per period
  double expected_shortfall = 0.0;     // of the scenarios' losses at es_confidence, fraction
  std::vector<double> risk_contributions;  // w_i (Sigma w)_i / w'Sigma w, summing to 1
  std::vector<std::string> binding;    // constraints holding with equality
  std::string status = "optimal";      // "optimal", or a frontier point's "infeasible"; with
                                       // max_names "feasible" when the search proved nothing
  std::string solver;                  // "interior-point", "active-set" (a frontier point solved
                                       // from its neighbour's active set), "clp", "newton", "hrp"
  int iterations = 0;
  double duality_gap = 0.0;            // sum of slack x multiplier (0 for the closed forms)
  double kkt_residual = 0.0;           // max primal / dual residual
  double tracking_error = 0.0;         // sqrt((w - b)'Sigma (w - b)) when a benchmark is set
  // Cardinality: nodes solved, the bound on the objective the search proved (w'Sigma w, or the
  // Sharpe ratio for max-sharpe, an upper bound, or the expected shortfall for min-cvar), and
  // the relative gap |objective - bound| / |objective|; 0 when proven optimal.
  std::size_t nodes = 0;
  double bound = 0.0;
  double mip_gap = 0.0;
};

Result optimize(const Problem& problem, const Spec& spec);

// `points` frontier portfolios from the minimum-variance return to the largest feasible return,
// evenly spaced in expected return. A point the solver cannot reach has status "infeasible". Each
// point starts from its neighbour's active set (solve_qp_warm); with a tracking error limit or
// max-names each point is optimize's target-return problem with them.
std::vector<Result> frontier(const Problem& problem, int points);

// The figures of given weights: return, volatility, Sharpe, ES, risk contributions.
void describe(const Problem& problem, Result& result);

}  // namespace keel::construct
