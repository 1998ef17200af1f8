// Private: the pieces of keel/construct shared by its source files.
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "keel/construct/optimize.h"
#include "keel/construct/qp.h"

namespace keel::construct::detail {

// The linear constraints of a problem over the variables [w (n), and with a turnover limit the
// buys p (n) and sells m (n), w - p + m = current], with a
// name per row of G for the binding list and the conflict message.
struct Formulation {
  QpProblem qp;                         // P = blockdiag(Sigma, 0), q = 0
  std::vector<std::string> row_names;   // one per row of G
  std::size_t n = 0;                    // assets
  bool turnover = false;
};

Formulation formulate(const Problem& problem);

// The effective bounds of the weights (long-only folded in).
void weight_bounds(const Problem& problem, std::vector<double>& lower, std::vector<double>& upper);

// Throws invalid_input naming the constraints in conflict when a simple count shows the
// constraints cannot hold together (bounds against the budget, a group against its members).
void check_conflicts(const Problem& problem);

// The error for a problem the solver found infeasible: names every constraint taking part.
[[noreturn]] void throw_infeasible(const Problem& problem, const std::string& what);

Result min_cvar(const Problem& problem, std::optional<double> target_return);
// min_cvar with the assets marked in `excluded` held at 0 (the cardinality search's node);
// nullopt when that is infeasible, unless `must`, which throws.
std::optional<Result> min_cvar_excluding(const Problem& problem, std::optional<double> target_return,
                                         const std::vector<char>* excluded, bool must);

// The QP without the variables `drop` marks (held at 0): an interior point handles a variable
// fixed by equal bounds badly (its box has no interior), so a left-out variable is removed
// instead. `keep` receives the kept variables' indices in the original.
QpProblem without(const QpProblem& qp, const std::vector<char>& drop, std::vector<Eigen::Index>& keep);
// The tracking error of weights w against the problem's benchmark (Constraints::benchmark and
// its part outside the assets), per period.
double tracking_error(const Problem& problem, const Eigen::VectorXd& w);
// Sigma b + c: the pull of the benchmark, minus the linear term of half the squared tracking error.
Eigen::VectorXd benchmark_pull(const Problem& problem);

Result risk_parity(const Problem& problem);
Result hrp(const Problem& problem);

// Throws invalid_input naming what does not fit: sizes, bounds, groups, the objective's options
// (optimize.cpp).
void validate(const Problem& problem, const Spec& spec);
// The Result of a solve (optimize.cpp): the weights `w` (the first n of the solution, or its
// rescaling), the solver's figures, the binding constraints (`extra` appended), and describe().
Result from_qp(const Problem& problem, const Formulation& f, const QpSolution& s, const Eigen::VectorXd& w,
               const std::vector<std::string>& extra);
// The one reading of a solve that did not end at an optimum: infeasible names the constraints
// that conflict (`what` the limit that was being met, "" for none), unbounded says what bounds the
// objective in the request's words (long_only, bounds), anything else is the solver's own stop.
[[noreturn]] void solver_failed(const Problem& problem, QpStatus status, const std::string& what);
// A volatility said per year when the problem has periods per year: "0.1 a year (0.0289 per period)".
std::string per_year(const Problem& problem, double sigma);

// Minimum variance (min_variance.cpp), at `target_return` when given. A problem no portfolio
// solves: nullopt, or, when `must`, the error naming the constraints in conflict. A solver that
// stops for another reason throws either way.
std::optional<Result> min_variance(const Problem& problem, std::optional<double> target_return, bool must);
// The frontier point of volatility `target` (min_variance.cpp).
Result target_volatility(const Problem& problem, double target);
// The largest expected return the constraints allow, and the weights of the largest within the
// tracking error limit (frontier.cpp).
double max_return(const Problem& problem);
Eigen::VectorXd max_return_weights(const Problem& problem);
// max (m'w - rf) / sqrt(w'Sigma w) (max_ratio.cpp): max-sharpe and max-diversification, `what`
// naming the objective in messages.
Result max_ratio(const Problem& problem, const Eigen::VectorXd& m, double rf, const char* what);
// Minimum CVaR with max-names by the cardinality search (cvar.cpp).
Result min_cvar_names(const Problem& problem);

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

}  // namespace keel::construct::detail
