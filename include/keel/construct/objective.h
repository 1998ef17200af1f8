// keel/construct/objective.h: the objectives of portfolio construction by name, without the
// engine (keel/construct/optimize.h, which brings in Eigen), for request structs.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace keel::construct {

enum class Objective {
  kMinVariance,          // minimum variance
  kMaxSharpe,            // maximum (mu - rf) / sigma, the tangency portfolio
  kTargetReturn,         // minimum variance at a given expected return (a frontier point)
  kTargetVolatility,     // maximum expected return at a given volatility (a frontier point)
  kMinCvar,              // minimum expected shortfall of the scenarios (Rockafellar-Uryasev LP)
  kRiskParity,           // equal (or budgeted) risk contributions
  kHrp,                  // hierarchical risk parity (Lopez de Prado 2016)
  kMaxDiversification,   // maximum w'sigma / sqrt(w' Sigma w) (Choueifaty & Coignard 2008)
};

// "min-variance", "max-sharpe", "target-return", "target-volatility", "min-cvar", "risk-parity",
// "hrp", "max-diversification".
std::string_view objective_name(Objective o);
std::optional<Objective> parse_objective(std::string_view text);

}  // namespace keel::construct
