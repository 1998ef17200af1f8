#include "keel/factors/scenario.h"

#include <algorithm>

#include "builtin_scenarios_data.h"
#include "keel/core/error.h"
#include "keel/factors/alignment.h"

namespace keel::factors {

std::string_view scenario_kind_name(ScenarioKind k) {
  switch (k) {
    case ScenarioKind::kHistorical:
      return "historical";
    case ScenarioKind::kHypothetical:
      return "hypothetical";
    case ScenarioKind::kUser:
      return "user";
  }
  return "user";
}

std::optional<ScenarioKind> parse_scenario_kind(std::string_view text) {
  if (text == "historical") return ScenarioKind::kHistorical;
  if (text == "hypothetical") return ScenarioKind::kHypothetical;
  if (text == "user") return ScenarioKind::kUser;
  return std::nullopt;
}

const FactorShock* Scenario::find(std::string_view factor) const {
  for (const auto& s : shocks) {
    if (s.factor == factor) return &s;
  }
  return nullptr;
}

const Scenario* ScenarioLibrary::find(std::string_view name) const {
  for (const auto& s : scenarios) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string_view builtin_scenarios_json() { return detail::kBuiltinScenariosJson; }

std::vector<std::string> merge_scenarios(ScenarioLibrary& base, const ScenarioLibrary& overrides) {
  std::vector<std::string> replaced;
  for (const auto& s : overrides.scenarios) {
    auto it = std::find_if(base.scenarios.begin(), base.scenarios.end(),
                           [&](const Scenario& b) { return b.name == s.name; });
    if (it != base.scenarios.end()) {
      *it = s;
      replaced.push_back(s.name);
    } else {
      base.scenarios.push_back(s);
    }
  }
  return replaced;
}

void derive_historical_shocks(ScenarioLibrary& library, const FactorTable& factors, const std::string& source,
                              const std::string& skip) {
  std::vector<std::string> problems;
  for (auto& s : library.scenarios) {
    if (s.kind != ScenarioKind::kHistorical) continue;
    if (!s.start || !s.end) {
      problems.push_back(s.name + ": a historical scenario needs start and end dates");
      continue;
    }
    try {
      const std::vector<double> r = compounded_factor_returns(factors, *s.start, *s.end, source);
      s.shocks.clear();
      FactorTable daily;
      std::vector<std::size_t> kept;
      for (std::size_t k = 0; k < factors.cols(); ++k) {
        if (factors.names[k] == skip) continue;
        s.shocks.push_back({factors.names[k], r[k]});
        daily.names.push_back(factors.names[k]);
        kept.push_back(k);
      }
      for (std::size_t t = 0; t < factors.rows(); ++t) {
        if (!(*s.start < factors.dates[t]) || *s.end < factors.dates[t]) continue;
        daily.dates.push_back(factors.dates[t]);
        for (const std::size_t k : kept) daily.values.push_back(factors.at(t, k));
      }
      s.daily = std::move(daily);
    } catch (const Error& e) {
      problems.push_back(s.name + ": " + e.what());
    }
  }
  if (!problems.empty()) {
    throw Error::invalid_input("cannot derive the historical scenario shocks from " + source, problems);
  }
  library.factor_data = source;
}

}  // namespace keel::factors
