#include "keel/construct/objective.h"

#include <array>
#include <utility>

namespace keel::construct {
namespace {

constexpr std::array<std::pair<Objective, std::string_view>, 8> kNames{{
    {Objective::kMinVariance, "min-variance"},
    {Objective::kMaxSharpe, "max-sharpe"},
    {Objective::kTargetReturn, "target-return"},
    {Objective::kTargetVolatility, "target-volatility"},
    {Objective::kMinCvar, "min-cvar"},
    {Objective::kRiskParity, "risk-parity"},
    {Objective::kHrp, "hrp"},
    {Objective::kMaxDiversification, "max-diversification"},
}};

}  // namespace

std::string_view objective_name(Objective o) {
  for (const auto& [v, name] : kNames)
    if (v == o) return name;
  return "unknown";
}

std::optional<Objective> parse_objective(std::string_view text) {
  for (const auto& [v, name] : kNames)
    if (name == text) return v;
  return std::nullopt;
}

}  // namespace keel::construct
