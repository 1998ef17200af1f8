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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

OptimizeResult optimize(const Context& cx, const OptimizeRequest& request);
OptimizeFrontierResult optimize_frontier(const Context& cx, const OptimizeFrontierRequest& request);

}  // namespace keel::service
