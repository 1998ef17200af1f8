// keel/service/clo.h: CLO use cases shared by `keel clo run|tests|grid|montecarlo` and the HTTP
// API: load a deal file, resolve the scenario (request > the file's "scenario" block > engine
// defaults), run the engine and return the JSON of INTERFACES.md.
//
// Thread-safety: functions are independent; the engine parallelises grids and Monte Carlo.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/clo/simulation.h"
#include "keel/core/date.h"
#include "keel/io/clo_deal_reader.h"

namespace keel::service {

// Scenario overrides from the command line or request body (decimals; lag in months).
struct CloScenarioRequest {
  std::optional<double> cdr;
  std::optional<double> cpr;
  std::optional<double> recovery;
  std::optional<int> recovery_lag_months;
};

// The scenario to run: each field from `request`, else from the deal file, else the defaults of
// keel::clo::Scenario (CDR 2%, CPR 15%, recovery 70%, lag 6 months).
clo::Scenario resolve_scenario(const io::CloDealFile& file, const CloScenarioRequest& request);

// `keel clo run`: {"deal","scenario","periods":[{"date","interest_collections",
// "principal_collections","defaults",...,"tranches":[{"name","interest_paid","principal_paid",
// "balance",...}],"tests":[{"name","value","threshold","pass"}]}],"tranches":[{"name","irr",
// "wal","loss",...}]}. IRR/WAL that do not exist are null. A tranche's `loss` (and `loss_pct`, the
// same number) is its principal loss as a fraction of its original balance, in [0, 1];
// `principal_loss` is that loss in currency, `unpaid_interest`/`unpaid_interest_pct` the capitalised
// (PIK) and unpaid interest left at the end, `pv_loss_pct` the loss of present value at the note's
// own rate (docs/clo.md). Throws invalid_input on bad scenarios.
nlohmann::json clo_run(const io::CloDealFile& file, const CloScenarioRequest& request);

// `keel clo tests`: collateral quality tests at `as_of` (default: closing) against the deal's
// limits, plus the coverage tests of the first payment date under the scenario:
// {"as_of","metrics":{..},"quality":[{"name","value","threshold","pass"}],
//  "coverage":{"date","tests":[..]}}.
nlohmann::json clo_tests(const io::CloDealFile& file, const CloScenarioRequest& request,
                         std::optional<Date> as_of);

struct CloGridRequest {
  std::vector<double> cdr, cpr, recovery;  // empty = keel::clo::GridSpec defaults
  std::optional<int> recovery_lag_months;
};

// `keel clo grid`: {"deal","points":N,"scenarios":[{"cdr","cpr","recovery","tranches":[{"name",
// "irr","wal","loss","loss_pct","principal_loss","unpaid_interest","unpaid_interest_pct",
// "pv_loss_pct"}]}]} in CDR, CPR, recovery order; the fields mean what they mean in clo_run.
nlohmann::json clo_grid(const io::CloDealFile& file, const CloGridRequest& request);

struct CloMonteCarloRequest {
  CloScenarioRequest scenario;
  std::int64_t scenarios = 10000;
  std::uint64_t seed = 1;
  double correlation = 0.30;
  std::optional<io::IndustryCorrelation> industry_correlation;
  double confidence = 0.99;
};

// `keel clo montecarlo`: {"deal","scenarios","seed","correlation","confidence",
// "mean_default_pct","tranches":[{"name","expected_loss","expected_loss_pct","pd","var_pct",
// "es_pct","p50_pct","p90_pct","expected_unpaid_interest","expected_unpaid_interest_pct",
// "expected_pv_loss_pct"}],"equity_irr":{"mean","p5","p50","p95"}}; losses are principal losses
// (fractions of the original balance in [0, 1]), unpaid interest is reported apart.
nlohmann::json clo_montecarlo(const io::CloDealFile& file, const CloMonteCarloRequest& request);

}  // namespace keel::service
