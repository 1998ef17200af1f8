// keel/service/reference_data.h: the reference data a risk analyst reads beside a book — the
// stress scenario library, the store's factor sets, and a factor set's correlation matrix —
// behind `keel risk scenarios`, `keel risk factor-sets`, `keel risk factor-correlation` and
// GET /api/v1/stress/scenarios, /api/v1/factor-sets, /api/v1/factor-sets/{name}/correlation.
// Reads only.
//
// Thread-safety: stateless; the Store of the Context must not be used concurrently.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/service/factors.h"
#include "keel/service/spec.h"

namespace keel::service {

// One scenario of the library (docs/stress.md).
struct ScenarioInfo {
  std::string name;
  std::string label;
  std::string kind;  // historical, hypothetical
  std::string description;
  spec::Nullable<std::string> start;  // historical window (start, end]
  spec::Nullable<std::string> end;
  std::map<std::string, double> shocks;  // factor -> compounded return over the window
  std::size_t daily_days = 0;            // days of its daily path (0: applied in one step)
  spec::Nullable<double> vol_shock;
  std::string source;

  static constexpr const char* kSchemaName = "ScenarioInfo";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ScenarioListResult {
  std::string derived_by;   // the command that reproduces the historical shocks
  std::string factor_data;  // the factor data they came from
  std::vector<ScenarioInfo> scenarios;

  static constexpr const char* kSchemaName = "ScenarioListResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The built-in library. Reads nothing else.
ScenarioListResult stress_scenarios(const Context& cx);

struct FactorSetInfo {
  std::string name;
  std::vector<std::string> factors;
  spec::Nullable<std::string> first_date;
  spec::Nullable<std::string> last_date;
  std::size_t days = 0;

  static constexpr const char* kSchemaName = "FactorSetInfo";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FactorSetsResult {
  std::vector<FactorSetInfo> sets;

  static constexpr const char* kSchemaName = "FactorSetsResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The store's factor sets (shared by every tenant). Throws as require_store.
FactorSetsResult factor_sets(const Context& cx);

struct FactorCorrelationRequest {
  std::string set = "ff5";  // set by the face (the route's {name})
  std::size_t window = 252;
  std::optional<Date> to;
  std::string rf_column = "rf";

  static constexpr const char* kSchemaName = "FactorCorrelationRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FactorCorrelationSetResult {
  std::string set;
  std::string first_date;
  std::string last_date;
  std::size_t window = 0;
  std::vector<std::string> factors;
  std::vector<std::vector<double>> correlation;
  std::vector<double> volatility;  // annualised (sqrt 252), per factor

  static constexpr const char* kSchemaName = "FactorCorrelationSetResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws keel::Error: not_found for an absent set; invalid_input with fewer than 3 returns.
FactorCorrelationSetResult factor_correlation(const Context& cx, const FactorCorrelationRequest& request);

}  // namespace keel::service
