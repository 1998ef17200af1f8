// keel/service/plan.h: `keel plan retire` and `keel plan sensitivity` (INTERFACES.md), shared by
// the CLI and the HTTP API.
//
// A PlanRequest holds the command's options as given (strings for the strategy and the return
// model, file paths for events and the bootstrap history); the service parses and loads them,
// runs the plan engine and returns the JSON documented in docs/planning.md:
//   retire: {"success_rate","success_standard_error","trials","failures","median_shortfall_year",
//            "safe_withdrawal_rate","terminal":{"p5","p25","p50","p75","p95","mean"},
//            "paths":{"year":[0..],"p5":[..],"p25","p50","p75","p95"},   (nominal balance)
//            "spending":{"year":[1..],"p5",...}, "shortfalls_by_year":[..], "inputs":{...}}
//   sensitivity: {"parameter":..,"values":[..],"rows":[{"value":..,"success_rate":..,...}],
//                 "inputs":{...}}
//
// Thread-safety: pure apart from reading the named files.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/plan/model.h"
#include "keel/plan/simulation.h"
#include "keel/service/ledger.h"

namespace keel::service {

struct PlanRequest {
  double balance = 0.0;               // --balance, currency
  int years = 30;                     // --years
  bool monthly = false;               // --monthly: 12 steps a year
  int retirement_year = 0;            // --retire-in: years until withdrawals start
  double contribution = 0.0;          // --contribution, today's money per year before retiring
  double income = 0.0;                // --income, today's money (for savings_rate_change)
  double allocation = 0.6;            // --allocation, stock weight
  std::optional<double> withdrawal;       // --withdrawal, today's money per year
  std::optional<double> withdrawal_rate;  // --withdrawal-rate, decimal
  std::string strategy = "constant-dollar";  // --strategy
  // --returns: normal:MEAN,SD | t:MEAN,SD,DF | bootstrap:FILE | mix:SM,SS,BM,BS,RHO
  std::string returns = "normal:0.06,0.12";
  int block_length = 0;               // --block (bootstrap), steps; 0 = default
  // Inline bootstrap history (HTTP body "history": periodic decimal returns at the step
  // frequency), used with returns "bootstrap" (no file).
  std::vector<double> history;
  double inflation = 0.025;           // --inflation, annual decimal
  double inflation_sd = 0.0;          // --inflation-sd: > 0 makes inflation stochastic
  int trials = 10000;                 // --trials
  std::uint64_t seed = 1;             // --seed
  std::optional<std::string> events_file;  // --events FILE (CSV or JSON)
  std::vector<plan::LifeEvent> events;     // inline events (HTTP body), added to the file's
  std::optional<double> target_success;    // --target-success: solve the safe withdrawal rate
  plan::GuytonKlingerRules guyton_klinger; // --gk-* thresholds
  plan::FloorCeiling floor_ceiling;        // --floor / --ceiling
};

// Parses a --returns specification; a bootstrap FILE is read with keel::io's return-series
// reader and compounded to the step frequency. Throws keel::Error(invalid_input) naming the
// expected form, not_found for a missing file.
plan::ReturnModel parse_return_model(const std::string& spec, int steps_per_year);

// Builds engine inputs (loading the events and bootstrap files). Throws invalid_input listing
// every bad option (unknown strategy, bad numbers) together.
plan::PlanInputs build_plan_inputs(const PlanRequest& request);

nlohmann::json plan_retire(const PlanRequest& request);

// `vary` is a sensitivity parameter name ("withdrawal-rate", "allocation", ...); one run per
// value with the same seed (common random numbers).
nlohmann::json plan_sensitivity(const PlanRequest& request, const std::string& vary,
                                const std::vector<double>& values);

// Net worth (securities at their last price on or before the ledger's as-of date, plus cash)
// of a ledger account or transactions file, as a plan's starting balance (issue #6's ledger).
// Throws what load_ledger throws (usage without a file or store, not_found, invalid_input).
double starting_balance_from_ledger(Store* store, const LedgerSource& source);

// The HTTP body form of a request: the same names as the flags, with '-' or '_' ("balance",
// "withdrawal_rate", "returns", "events" as an inline array, "history" for "returns":
// "bootstrap", ...). A request from the network may not name server files: "events_file" and
// "bootstrap:FILE" are rejected unless `allow_files` (trusted callers such as a local batch).
// Throws invalid_input naming every bad field.
PlanRequest plan_request_from_json(const nlohmann::json& body, bool allow_files = false);

}  // namespace keel::service
