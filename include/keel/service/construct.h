// keel/service/construct.h: portfolio construction over a book's symbols (`keel optimize`,
// `keel optimize frontier`): the engine of keel/construct on the same inputs as VaR: the window of
// daily returns, the covariance estimator, the sample mean as expected returns, the window's
// returns as the scenarios of minimum CVaR and of the reported expected shortfall.
//
// Units: the engine works per trading day; results are annualised with 252 days (expected return
// x 252, volatility x sqrt 252, Sharpe from the two and the annual risk-free rate); the expected
// shortfall is one day's, a fraction of the portfolio's value. docs/construction.md.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/construct/objective.h"
#include "keel/service/context.h"
#include "keel/service/risk.h"
#include "keel/service/spec.h"

namespace keel::service {

inline constexpr spec::Choice<construct::Objective> kObjectiveNames[] = {
    {construct::Objective::kMinVariance, "min-variance"},
    {construct::Objective::kMaxSharpe, "max-sharpe"},
    {construct::Objective::kTargetReturn, "target-return"},
    {construct::Objective::kTargetVolatility, "target-volatility"},
    {construct::Objective::kMinCvar, "min-cvar"},
    {construct::Objective::kRiskParity, "risk-parity"},
    {construct::Objective::kHrp, "hrp"},
    {construct::Objective::kMaxDiversification, "max-diversification"}};

// Where the expected returns come from (docs/construction.md): the window's sample mean, the
// market equilibrium pi = delta Sigma w_mkt implied by the book's weights, or Black-Litterman's
// posterior of that equilibrium under the views.
enum class ExpectedReturns { kHistorical, kEquilibrium, kViews };
inline constexpr spec::Choice<ExpectedReturns> kExpectedReturnsNames[] = {
    {ExpectedReturns::kHistorical, "historical"},
    {ExpectedReturns::kEquilibrium, "equilibrium"},
    {ExpectedReturns::kViews, "views"}};

// One Black-Litterman view (HTTP; the CLI reads them from --views FILE, keel/io/construct_reader.h).
struct OptimizeView {
  std::string view;         // "AAPL", "AAPL - MSFT", "AAPL + GOOG - MSFT", "0.3 AAPL + 0.7 GOOG - MSFT"
  double annual_return = 0.0;
  double confidence = 0.5;  // [0, 1]

  static constexpr const char* kSchemaName = "OptimizeView";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "view", .help = "Symbols joined by + and -, e.g. AAPL or AAPL - MSFT", .required = true}, s.view);
    v.field({.name = "return", .help = "The view's return (absolute) or outperformance (relative)",
             .unit = "annual decimal", .min = -10, .max = 10, .required = true},
            s.annual_return);
    v.field({.name = "confidence",
             .help = "In [0, 1] (Idzorek): omega = (1 - c) / c x tau p Sigma p'; 1 holds exactly, 0 has no effect",
             .unit = "fraction", .min = 0, .max = 1, .required = true},
            s.confidence);
  }
};

// The return scenarios of min-cvar and of the reported expected shortfall: the window's daily
// returns, or paths of keel's Monte Carlo generator (keel/risk/monte_carlo.h) on the window's
// covariance and mean.
enum class ScenarioSource { kHistorical, kMonteCarlo };
inline constexpr spec::Choice<ScenarioSource> kScenarioSourceNames[] = {{ScenarioSource::kHistorical, "historical"},
                                                                        {ScenarioSource::kMonteCarlo, "monte-carlo"}};

enum class GroupKind { kSector, kTag, kCurrency, kSymbols };
inline constexpr spec::Choice<GroupKind> kGroupKindNames[] = {{GroupKind::kSector, "sector"},
                                                               {GroupKind::kTag, "tag"},
                                                               {GroupKind::kCurrency, "currency"},
                                                               {GroupKind::kSymbols, "symbols"}};

// A bound on the summed weight of a group of the book's symbols (HTTP; the CLI reads the same rows
// from --group-bounds FILE, CSV kind,name,lower,upper).
struct OptimizeGroupBound {
  GroupKind kind = GroupKind::kSector;
  std::string name;  // the sector, tag or currency; for symbols the symbols separated by spaces
  std::optional<double> lower;
  std::optional<double> upper;

  static constexpr const char* kSchemaName = "OptimizeGroupBound";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.choice({.name = "kind", .help = "sector (position or security master), tag, currency, or symbols"}, s.kind,
             kGroupKindNames);
    v.field({.name = "name", .help = "The sector, tag or currency; for symbols the symbols separated by spaces",
             .required = true},
            s.name);
    v.field({.name = "lower", .help = "Least summed weight", .unit = "fraction", .min = -10, .max = 10}, s.lower);
    v.field({.name = "upper", .help = "Largest summed weight", .unit = "fraction", .min = -10, .max = 10}, s.upper);
  }
};

// What every optimization reads: the book (its symbols are the universe), the window and the
// estimator, and the constraints.
struct OptimizeInputs {
  RiskInputsRequest inputs;
  std::size_t window = 252;
  risk::CovarianceOptions covariance{};
  bool long_only = false;
  std::optional<double> min_weight;   // the same lower bound on every asset
  std::optional<double> max_weight;   // the same upper bound on every asset
  std::optional<double> turnover;     // sum |w - current| at most this, current = the book's weights
  double risk_free = 0.0;             // annual, decimal
  double confidence = 0.975;          // expected shortfall (and min-cvar's beta)
  ExpectedReturns expected_returns = ExpectedReturns::kHistorical;
  std::optional<double> risk_aversion;        // delta; default implied by the book, else 2.5
  double tau = 0.05;                          // Black-Litterman's prior scale
  std::vector<OptimizeView> views;            // HTTP
  std::optional<std::string> views_file;      // CLI: --views FILE
  std::vector<OptimizeGroupBound> group_bounds;   // HTTP
  std::optional<std::string> group_bounds_file;   // CLI: --group-bounds FILE
  ScenarioSource scenarios = ScenarioSource::kHistorical;
  std::size_t paths = 10000;                      // monte-carlo
  std::uint64_t seed = 1;
  risk::McDistribution distribution = risk::McDistribution::kNormal;
  double df = 5.0;

  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct OptimizeRequest {
  OptimizeInputs inputs;
  construct::Objective objective = construct::Objective::kMinVariance;
  std::optional<double> target_return;      // target-return, annual decimal
  std::optional<double> target_volatility;  // target-volatility, annual decimal
  std::optional<std::string> benchmark;     // a symbol (held or with prices); CLI: or a CSV symbol,weight
  std::map<std::string, double> benchmark_weights;  // HTTP
  std::optional<double> max_tracking_error;  // annual decimal
  std::optional<std::size_t> max_names;

  static constexpr const char* kSchemaName = "OptimizeRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct OptimizeSolver {
  std::string name;            // interior-point, clp, newton, hrp
  int iterations = 0;
  double duality_gap = 0.0;    // sum of slack x multiplier at the solution (per-day units)
  double kkt_residual = 0.0;   // largest primal or dual residual
  std::optional<std::size_t> nodes;  // max_names: quadratic programs of the branch and bound
  std::optional<double> mip_gap;     // max_names: (variance - proven bound) / variance, 0 when proven

  static constexpr const char* kSchemaName = "OptimizeSolver";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct OptimizeResult {
  std::string as_of;
  std::string portfolio;
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::string objective;
  std::string covariance;
  std::size_t window = 0;
  std::string status;                              // optimal
  std::map<std::string, double> weights;           // fraction of the portfolio's value
  std::map<std::string, double> current_weights;   // the book's own
  double expected_return = 0.0;                    // annual decimal
  double volatility = 0.0;                         // annual decimal
  double sharpe = 0.0;
  double expected_shortfall = 0.0;                 // one day, fraction
  double confidence = 0.0;
  std::map<std::string, double> risk_contributions;  // fractions of variance, summing to 1
  std::vector<std::string> binding_constraints;
  OptimizeSolver solver;
  // Set unless the expected returns are the window's sample mean (historical, the default).
  std::optional<std::string> expected_returns;     // equilibrium, views
  std::optional<double> risk_aversion;
  std::optional<std::map<std::string, double>> asset_returns;  // each symbol's, annual
  std::optional<double> tracking_error;            // against the benchmark, annual
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "OptimizeResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct OptimizeFrontierRequest {
  OptimizeInputs inputs;
  int points = 20;
  std::optional<std::string> benchmark;             // as OptimizeRequest's
  std::map<std::string, double> benchmark_weights;  // HTTP
  std::optional<double> max_tracking_error;         // annual decimal
  std::optional<std::size_t> max_names;

  static constexpr const char* kSchemaName = "OptimizeFrontierRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct FrontierPoint {
  std::string status;  // optimal or infeasible
  double expected_return = 0.0;
  double volatility = 0.0;
  double sharpe = 0.0;
  double expected_shortfall = 0.0;
  std::map<std::string, double> weights;

  static constexpr const char* kSchemaName = "FrontierPoint";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "status", .help = "optimal, or infeasible when the solver could not reach it"}, s.status);
    v.field({.name = "expected_return", .unit = "annual decimal"}, s.expected_return);
    v.field({.name = "volatility", .unit = "annual decimal"}, s.volatility);
    v.field({.name = "sharpe"}, s.sharpe);
    v.field({.name = "expected_shortfall", .unit = "one day, fraction of value"}, s.expected_shortfall);
    v.field({.name = "weights", .unit = "fraction of value"}, s.weights);
  }
};

struct OptimizeFrontierResult {
  std::string as_of;
  std::string portfolio;
  std::optional<std::int64_t> portfolio_id;
  std::string covariance;
  std::size_t window = 0;
  FrontierPoint current;               // the book as it is
  std::vector<FrontierPoint> points;   // increasing expected return, the first at minimum variance
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "OptimizeFrontierResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of"}, s.as_of);
    v.field({.name = "portfolio"}, s.portfolio);
    v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
    v.field({.name = "covariance"}, s.covariance);
    v.field({.name = "window"}, s.window);
    v.field({.name = "current", .help = "The book's own weights, for the chart"}, s.current);
    v.field({.name = "points"}, s.points);
    v.field({.name = "warnings"}, s.warnings);
  }
};

OptimizeResult optimize(const Context& cx, const OptimizeRequest& request);
OptimizeFrontierResult optimize_frontier(const Context& cx, const OptimizeFrontierRequest& request);

}  // namespace keel::service
