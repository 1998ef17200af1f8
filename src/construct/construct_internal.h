// Private: the pieces of keel/construct shared by its source files.
#pragma once

#include <Eigen/Dense>
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

}  // namespace keel::construct::detail
