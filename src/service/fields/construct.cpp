// The descriptions of the requests and results of keel/service/construct.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/construct.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void OptimizeView::fields(V& v, S& s) {
  v.field({.name = "view", .help = "Symbols joined by + and -, e.g. AAPL or AAPL - MSFT", .required = true}, s.view);
  v.field({.name = "return", .help = "The view's return (absolute) or outperformance (relative)",
           .unit = "annual decimal", .min = -10, .max = 10, .required = true},
          s.annual_return);
  v.field({.name = "confidence",
           .help = "In [0, 1] (Idzorek): omega = (1 - c) / c x tau p Sigma p'; 1 holds exactly, 0 has no effect",
           .unit = "fraction", .min = 0, .max = 1, .required = true},
          s.confidence);
}
KEEL_SPEC_FIELDS(OptimizeView)

template <class V, class S>
void OptimizeGroupBound::fields(V& v, S& s) {
  v.choice({.name = "kind", .help = "sector (position or security master), tag, currency, or symbols"}, s.kind,
           kGroupKindNames);
  v.field({.name = "name", .help = "The sector, tag or currency; for symbols the symbols separated by spaces",
           .required = true},
          s.name);
  v.field({.name = "lower", .help = "Least summed weight", .unit = "fraction", .min = -10, .max = 10}, s.lower);
  v.field({.name = "upper", .help = "Largest summed weight", .unit = "fraction", .min = -10, .max = 10}, s.upper);
}
KEEL_SPEC_FIELDS(OptimizeGroupBound)

template <class V, class S>
void OptimizeInputs::fields(V& v, S& s) {
  v.flatten(s.inputs);
  v.field({.name = "window", .help = "Daily returns in the estimation window", .unit = "trading days", .min = 2,
           .max = 100000},
          s.window);
  v.choice({.name = "covariance", .help = "Covariance estimator"}, s.covariance.method, kCovarianceNames);
  v.field({.name = "lambda", .help = "EWMA decay", .unit = "per day", .min = 0, .max = 1, .min_exclusive = true,
           .max_exclusive = true},
          s.covariance.ewma_lambda);
  v.field({.name = "long_only", .help = "No short positions: every weight at least 0"}, s.long_only);
  v.field({.name = "min_weight", .help = "Lower bound on every weight", .unit = "fraction", .min = -10, .max = 1},
          s.min_weight);
  v.field({.name = "max_weight", .help = "Upper bound on every weight", .unit = "fraction", .min = 0, .max = 10},
          s.max_weight);
  v.field({.name = "turnover", .help = "Largest sum of |target - current weight| (current: the book's weights)",
           .unit = "fraction", .min = 0, .max = 20},
          s.turnover);
  v.field({.name = "risk_free", .help = "Risk-free rate (max-sharpe, Sharpe ratios)", .unit = "annual decimal",
           .min = -1, .max = 1},
          s.risk_free);
  v.field({.name = "confidence", .help = "Expected shortfall confidence (and min-cvar's)",
           .unit = "fraction, 0.975 = 97.5%", .min = 0.5, .max = 1, .max_exclusive = true},
          s.confidence);
  v.choice({.name = "expected_returns",
            .help = "historical (sample mean), equilibrium (delta Sigma w of the book's weights), views "
                    "(Black-Litterman)"},
           s.expected_returns, kExpectedReturnsNames);
  v.field({.name = "risk_aversion",
           .help = "delta of the equilibrium returns (default: the book's (mu - rf) / sigma^2, else 2.5)", .min = 0,
           .max = 1000, .min_exclusive = true},
          s.risk_aversion);
  v.field({.name = "tau", .help = "Black-Litterman's scale of the prior's uncertainty", .min = 0, .max = 10,
           .min_exclusive = true},
          s.tau);
  v.field({.name = "views", .help = "Black-Litterman views (expected_returns views)", .faces = spec::kHttp},
          s.views);
  v.field({.name = "views_file",
           .help = "Black-Litterman views: CSV view,return,confidence or JSON (docs/construction.md)",
           .faces = spec::kCli, .cli_name = "views"},
          s.views_file);
  v.field({.name = "group_bounds", .help = "Bounds on the summed weight of sectors, tags, currencies, symbols",
           .faces = spec::kHttp},
          s.group_bounds);
  v.field({.name = "group_bounds_file", .help = "Group bounds: CSV kind,name,lower,upper (kind sector|tag|currency|symbols)",
           .faces = spec::kCli, .cli_name = "group-bounds"},
          s.group_bounds_file);
  v.choice({.name = "scenarios",
            .help = "Scenarios of min-cvar and of the expected shortfall: the window's returns or Monte Carlo paths"},
           s.scenarios, kScenarioSourceNames);
  v.field({.name = "paths", .help = "Monte Carlo scenarios (scenarios monte-carlo)", .min = 10, .max = 1000000},
          s.paths);
  v.field({.name = "seed", .help = "Monte Carlo seed (same seed, same scenarios whatever the thread count)"}, s.seed);
  v.choice({.name = "distribution", .help = "Monte Carlo distribution"}, s.distribution, kMcDistributionNames);
  v.field({.name = "df", .help = "Student-t degrees of freedom", .min = 2, .max = 1000, .min_exclusive = true}, s.df);
}
KEEL_SPEC_FIELDS(OptimizeInputs)

template <class V, class S>
void OptimizeRequest::fields(V& v, S& s) {
  v.flatten(s.inputs);
  v.choice({.name = "objective", .help = "What to optimize"}, s.objective, kObjectiveNames);
  v.field({.name = "target_return", .help = "Expected return of target-return", .unit = "annual decimal",
           .min = -10, .max = 10},
          s.target_return);
  v.field({.name = "target_volatility", .help = "Volatility of target-volatility", .unit = "annual decimal",
           .min = 0, .max = 10, .min_exclusive = true},
          s.target_volatility);
  v.field({.name = "benchmark",
           .help = "Benchmark of the tracking error: a symbol of the book or any symbol with prices (CLI: or a CSV "
                   "file symbol,weight)"},
          s.benchmark);
  v.field({.name = "benchmark_weights", .help = "Benchmark weights per symbol (the book's or any with prices), summing to 1",
           .unit = "fraction", .faces = spec::kHttp},
          s.benchmark_weights);
  v.field({.name = "max_tracking_error", .help = "Largest tracking error against the benchmark",
           .unit = "annual decimal", .min = 0, .max = 10, .min_exclusive = true},
          s.max_tracking_error);
  v.field({.name = "max_names", .help = "At most this many symbols held (branch and bound; a heuristic above 40)",
           .min = 1, .max = 100000},
          s.max_names);
}
KEEL_SPEC_REQUEST_FIELDS(OptimizeRequest)

template <class V, class S>
void OptimizeSolver::fields(V& v, S& s) {
  v.field({.name = "name", .help = "interior-point (keel's QP), clp (COIN-OR CLP), newton (risk parity), hrp"},
          s.name);
  v.field({.name = "iterations"}, s.iterations);
  v.field({.name = "duality_gap", .help = "Complementarity at the solution"}, s.duality_gap);
  v.field({.name = "kkt_residual", .help = "Largest primal or dual residual"}, s.kkt_residual);
  v.field({.name = "nodes", .help = "max_names: subproblems solved by the branch and bound"}, s.nodes);
  v.field({.name = "mip_gap",
           .help = "max_names: (variance - lower bound) / variance; 0 when proven optimal, else status feasible"},
          s.mip_gap);
}
KEEL_SPEC_FIELDS(OptimizeSolver)

template <class V, class S>
void OptimizeResult::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "Last date of the window, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "objective"}, s.objective);
  v.field({.name = "covariance", .help = "sample, ewma or ledoit-wolf"}, s.covariance);
  v.field({.name = "window", .help = "Daily returns used"}, s.window);
  v.field({.name = "status", .help = "optimal, or feasible (max_names beyond the exact search: not proven optimal, see solver.mip_gap)"}, s.status);
  v.field({.name = "weights", .help = "Target weight per symbol", .unit = "fraction of value"}, s.weights);
  v.field({.name = "current_weights", .help = "The book's weight per symbol", .unit = "fraction of value"},
          s.current_weights);
  v.field({.name = "expected_return", .help = "Sample mean return x 252", .unit = "annual decimal"},
          s.expected_return);
  v.field({.name = "volatility", .help = "sqrt(w' Sigma w x 252)", .unit = "annual decimal"}, s.volatility);
  v.field({.name = "sharpe", .help = "(expected_return - risk_free) / volatility"}, s.sharpe);
  v.field({.name = "expected_shortfall", .help = "One-day expected shortfall of the window's returns",
           .unit = "fraction of value"},
          s.expected_shortfall);
  v.field({.name = "confidence", .help = "Of expected_shortfall"}, s.confidence);
  v.field({.name = "risk_contributions", .help = "w_i (Sigma w)_i / w' Sigma w", .unit = "fraction of variance"},
          s.risk_contributions);
  v.field({.name = "binding_constraints", .help = "Constraints that hold with equality"}, s.binding_constraints);
  v.field({.name = "solver"}, s.solver);
  v.field({.name = "expected_returns", .help = "equilibrium or views (absent: historical, the sample mean)"},
          s.expected_returns);
  v.field({.name = "risk_aversion", .help = "delta of the equilibrium returns used"}, s.risk_aversion);
  v.field({.name = "asset_returns", .help = "Expected return of each symbol used", .unit = "annual decimal"},
          s.asset_returns);
  v.field({.name = "tracking_error", .help = "sqrt((w - b)' Sigma (w - b) x 252) against the benchmark",
           .unit = "annual decimal"},
          s.tracking_error);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(OptimizeResult)

template <class V, class S>
void OptimizeFrontierRequest::fields(V& v, S& s) {
  v.flatten(s.inputs);
  v.field({.name = "points", .help = "Portfolios on the frontier", .min = 2, .max = 1000}, s.points);
  v.field({.name = "benchmark",
           .help = "Benchmark of the tracking error: a symbol of the book or any symbol with prices (CLI: or a CSV "
                   "file symbol,weight)"},
          s.benchmark);
  v.field({.name = "benchmark_weights", .help = "Benchmark weights per symbol (the book's or any with prices), summing to 1",
           .unit = "fraction", .faces = spec::kHttp},
          s.benchmark_weights);
  v.field({.name = "max_tracking_error", .help = "Largest tracking error against the benchmark at every point",
           .unit = "annual decimal", .min = 0, .max = 10, .min_exclusive = true},
          s.max_tracking_error);
  v.field({.name = "max_names", .help = "At most this many symbols held at every point (branch and bound; a "
                                        "heuristic above 40)",
           .min = 1, .max = 100000},
          s.max_names);
}
KEEL_SPEC_REQUEST_FIELDS(OptimizeFrontierRequest)

template <class V, class S>
void FrontierPoint::fields(V& v, S& s) {
  v.field({.name = "status", .help = "optimal, or infeasible when the solver could not reach it"}, s.status);
  v.field({.name = "expected_return", .unit = "annual decimal"}, s.expected_return);
  v.field({.name = "volatility", .unit = "annual decimal"}, s.volatility);
  v.field({.name = "sharpe"}, s.sharpe);
  v.field({.name = "expected_shortfall", .unit = "one day, fraction of value"}, s.expected_shortfall);
  v.field({.name = "weights", .unit = "fraction of value"}, s.weights);
}
KEEL_SPEC_FIELDS(FrontierPoint)

template <class V, class S>
void OptimizeFrontierResult::fields(V& v, S& s) {
  v.field({.name = "as_of"}, s.as_of);
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "covariance"}, s.covariance);
  v.field({.name = "window"}, s.window);
  v.field({.name = "current", .help = "The book's own weights, for the chart"}, s.current);
  v.field({.name = "points"}, s.points);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(OptimizeFrontierResult)

}  // namespace keel::service
