// keel/factors/scenario.h: stress scenarios as data (factor shocks), and the built-in library.
//
// A scenario sets shocks on some factors: each shock is a decimal return over the scenario
// (-0.20 = the factor loses 20%), optionally with a vol shock for option revaluation (an absolute
// change of implied volatility, decimal: 0.10 = +10 vol points). Historical scenarios carry the
// window they come from; their shocks are the compounded factor returns over (start, end], i.e.
// from the close of `start` to the close of `end` (prod (1 + f_t) - 1, keel/factors/alignment.h),
// and their `daily` path holds the factors' returns of each day of the window, which the stress
// test replays day by day (keel/factors/stress.h). Both are derived by derive_historical_shocks and
// reproducible with `keel risk scenario-shocks`.
// The library ships as data/stress/scenarios.json and is compiled into keel (builtin_scenarios_json);
// keel::io::read_scenarios parses it and user files.
//
// Thread-safety: plain data and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"
#include "keel/portfolio/market_data.h"

namespace keel::factors {

// How a scenario fills the factors it does not set (keel/factors/stress.h): they stay at 0
// (direct) or take their conditional expectation given the shocked ones (correlated).
enum class StressMethod { kDirect, kCorrelated };
std::string_view stress_method_name(StressMethod m);  // "direct", "correlated"

enum class ScenarioKind { kHistorical, kHypothetical, kUser };
std::string_view scenario_kind_name(ScenarioKind k);  // "historical", "hypothetical", "user"
std::optional<ScenarioKind> parse_scenario_kind(std::string_view text);

struct FactorShock {
  std::string factor;  // factor name, lower case (mkt_rf, smb, ...)
  double shock = 0.0;  // decimal return over the scenario
};

struct Scenario {
  std::string name;         // identifier used on the command line: [a-z0-9_-]+
  std::string label;        // human title ("COVID crash")
  ScenarioKind kind = ScenarioKind::kHypothetical;
  std::string description;
  std::optional<Date> start;  // historical: window (start, end]
  std::optional<Date> end;
  std::vector<FactorShock> shocks;
  // Historical: the factors' decimal returns of each day in (start, end], dates ascending; the
  // shocks are their compounded returns. Absent: the shocks are applied in one step.
  std::optional<FactorTable> daily;
  std::optional<double> vol_shock;  // absolute implied-vol change, decimal; options only
  std::string source;               // where it was read from (file name or "built-in")

  const FactorShock* find(std::string_view factor) const;
};

struct ScenarioLibrary {
  std::string format = "keel-stress-scenarios/1";
  std::string derived_by;   // the command that reproduces the historical shocks
  std::string factor_data;  // the factor data they came from
  std::vector<Scenario> scenarios;

  const Scenario* find(std::string_view name) const;
};

// The JSON text of data/stress/scenarios.json as compiled into keel.
std::string_view builtin_scenarios_json();

// `overrides` added to `base`; a scenario of the same name replaces the base one (in place).
// Returns the names replaced.
std::vector<std::string> merge_scenarios(ScenarioLibrary& base, const ScenarioLibrary& overrides);

// Recomputes the shocks of every historical scenario in `library` (and of them only) as the
// compounded returns of the table's factors over (start, end], and its daily path as the table's
// rows in that window; the `skip` column (risk-free rate) is left out of both. Throws keel::Error(invalid_input) naming the scenario when the table does not cover
// its window.
void derive_historical_shocks(ScenarioLibrary& library, const FactorTable& factors,
                              const std::string& source, const std::string& skip = "rf");

}  // namespace keel::factors
