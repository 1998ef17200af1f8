// keel/service/plan.h: `keel plan retire`, `keel plan sensitivity` and `keel plan compare`
// (docs/cli.md), shared by the CLI and the HTTP API (POST /api/v1/plan/retire|sensitivity|compare,
// run as jobs).
//
// Requests and results are described structs (keel/service/spec.h): the CLI flags, the HTTP body,
// the JSON output and the OpenAPI schemas all come from their `fields`; docs/planning.md explains
// each figure. Files named in a request (events_file, returns "bootstrap:FILE") are read through
// the Context's Env, so the HTTP face (no files) refuses them with Error::forbidden.
//
// Thread-safety: pure apart from reading the named files.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/plan/model.h"
#include "keel/plan/sensitivity.h"
#include "keel/plan/simulation.h"
#include "keel/service/admission.h"
#include "keel/service/context.h"
#include "keel/service/ledger_source.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

inline constexpr spec::Choice<plan::Strategy> kPlanStrategyNames[] = {
    {plan::Strategy::kConstantDollar, "constant-dollar"},
    {plan::Strategy::kConstantPercentage, "constant-percentage"},
    {plan::Strategy::kGuytonKlinger, "guyton-klinger"},
    {plan::Strategy::kVpw, "vpw"},
    {plan::Strategy::kFloorCeiling, "floor-ceiling"},
    {plan::Strategy::kFloorCeiling, "floor-and-ceiling"}};
inline constexpr spec::Choice<plan::EventType> kPlanEventTypeNames[] = {
    {plan::EventType::kExpense, "expense"},
    {plan::EventType::kIncomeChange, "income_change"},
    {plan::EventType::kWindfall, "windfall"},
    {plan::EventType::kSavingsRateChange, "savings_rate_change"}};
inline constexpr spec::Choice<plan::SensitivityParameter> kSensitivityParameterNames[] = {
    {plan::SensitivityParameter::kWithdrawalRate, "withdrawal-rate"},
    {plan::SensitivityParameter::kWithdrawal, "withdrawal"},
    {plan::SensitivityParameter::kAllocation, "allocation"},
    {plan::SensitivityParameter::kRetirementYear, "retirement-year"},
    {plan::SensitivityParameter::kBalance, "balance"},
    {plan::SensitivityParameter::kYears, "years"},
    {plan::SensitivityParameter::kInflation, "inflation"},
    {plan::SensitivityParameter::kReturnMean, "return-mean"},
    {plan::SensitivityParameter::kContribution, "contribution"}};

// One life event given inline (HTTP "events"; the CLI reads them from --events FILE).
struct PlanEvent {
  int year = 0;
  plan::EventType type = plan::EventType::kExpense;
  double amount = 0.0;
  std::string label;

  static constexpr const char* kSchemaName = "PlanEvent";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PlanRequest {
  // Where the starting balance comes from (CLI): exactly one of balance, account, transactions.
  std::optional<double> balance;             // currency; HTTP default 0
  std::optional<std::string> account;        // CLI: net worth of this stored ledger account
  std::optional<std::string> transactions;   // CLI: net worth of this transactions file
  std::optional<std::string> prices;         // CLI: prices for account / transactions
  std::optional<std::string> mapping;        // CLI: broker mapping for transactions
  int years = 30;
  bool monthly = false;               // 12 steps a year
  int retirement_year = 0;            // years until withdrawals start
  double contribution = 0.0;          // today's money per year before retiring
  double income = 0.0;                // today's money (for savings_rate_change)
  double allocation = 0.6;            // stock weight
  std::optional<double> withdrawal;       // today's money per year
  std::optional<double> withdrawal_rate;  // decimal
  plan::Strategy strategy = plan::Strategy::kConstantDollar;
  // normal:MEAN,SD | t:MEAN,SD,DF | bootstrap:FILE | bootstrap (with history) | mix:SM,SS,BM,BS,RHO
  std::string returns = "normal:0.06,0.12";
  int block_length = 0;               // bootstrap block, steps; 0 = default
  // Inline bootstrap history (HTTP: periodic decimal returns at the step frequency), used with
  // returns "bootstrap".
  std::vector<double> history;
  double inflation = 0.025;           // annual decimal
  double inflation_sd = 0.0;          // > 0 makes inflation stochastic
  // A stored macro series ("fred:CPIAUCSL" or "CPIAUCSL") whose latest year-over-year change
  // replaces `inflation` (keel/service/macro.h, macro_yoy).
  std::optional<std::string> inflation_series;
  int trials = 10000;
  std::uint64_t seed = 1;
  std::optional<std::string> events_file;  // CSV or JSON, read through cx.env.files
  std::vector<PlanEvent> events;           // inline events (HTTP), added after the file's
  std::optional<double> target_success;    // solve the safe withdrawal rate
  plan::GuytonKlingerRules guyton_klinger;
  plan::FloorCeiling floor_ceiling;

  static constexpr const char* kSchemaName = "PlanRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PlanSensitivityRequest {
  PlanRequest plan;
  plan::SensitivityParameter vary = plan::SensitivityParameter::kWithdrawalRate;
  std::vector<double> values;

  static constexpr const char* kSchemaName = "PlanSensitivityRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Percentiles 5/25/50/75/95 across trials, one point per year.
struct PlanPercentilePaths {
  std::vector<int> year;
  std::vector<double> p5, p25, p50, p75, p95;

  static constexpr const char* kSchemaName = "PlanPercentilePaths";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PlanTerminal {
  double p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0, mean = 0;

  static constexpr const char* kSchemaName = "PlanTerminal";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The inputs the engine ran with (after defaults and files).
struct PlanInputsEcho {
  double balance = 0.0;
  int years = 0;
  int steps_per_year = 1;
  int retirement_year = 0;
  double contribution = 0.0;
  double income = 0.0;
  double allocation = 0.0;
  spec::Nullable<double> withdrawal;
  spec::Nullable<double> withdrawal_rate;
  std::string strategy;
  std::string returns;
  double inflation = 0.0;
  double inflation_sd = 0.0;
  std::optional<std::string> inflation_source;  // the macro series `inflation` came from
  int trials = 0;
  std::uint64_t seed = 0;
  std::size_t events = 0;
  std::optional<std::size_t> bootstrap_periods;
  std::optional<int> block_length;

  static constexpr const char* kSchemaName = "PlanInputsEcho";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The figures of one plan run (retire, or one row of sensitivity).
struct PlanRunFigures {
  double success_rate = 0.0;
  double success_standard_error = 0.0;
  int trials = 0;
  int failures = 0;
  spec::Nullable<double> median_shortfall_year;
  spec::Nullable<double> safe_withdrawal_rate;
  PlanTerminal terminal;

  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PlanRetireResult {
  PlanRunFigures figures;
  std::optional<double> target_success;
  PlanPercentilePaths paths;     // year-end balance, year 0 = the start
  PlanPercentilePaths spending;  // spending in years 1..
  std::vector<int> shortfalls_by_year;
  PlanInputsEcho inputs;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "PlanRetireResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PlanSensitivityRow {
  PlanRunFigures figures;
  double value = 0.0;
  std::optional<double> first_year_spending_p50;

  static constexpr const char* kSchemaName = "PlanSensitivityRow";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PlanSensitivityResult {
  std::string parameter;
  std::vector<double> values;
  std::vector<PlanSensitivityRow> rows;
  PlanInputsEcho inputs;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "PlanSensitivityResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel plan compare`, POST /api/v1/plan/compare (a job): the same plan under several withdrawal
// strategies, same seed (common random numbers), side by side.
struct PlanCompareRequest {
  PlanRequest plan;
  std::vector<plan::Strategy> strategies;  // empty: all five

  static constexpr const char* kSchemaName = "PlanCompareRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One strategy of a comparison.
struct PlanCompareRow {
  std::string strategy;
  PlanRunFigures figures;
  std::optional<double> first_year_spending_p50;
  PlanPercentilePaths paths;     // year-end balance, year 0 = the start
  PlanPercentilePaths spending;  // spending in years 1..

  static constexpr const char* kSchemaName = "PlanCompareRow";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A strategy the plan's inputs cannot run (e.g. constant-percentage without a withdrawal rate).
struct PlanCompareSkipped {
  std::string strategy;
  std::vector<std::string> problems;

  static constexpr const char* kSchemaName = "PlanCompareSkipped";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PlanCompareResult {
  std::vector<PlanCompareRow> rows;
  std::vector<PlanCompareSkipped> skipped;
  std::optional<double> target_success;
  PlanInputsEcho inputs;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "PlanCompareResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Parses a return model specification; a bootstrap FILE is read (through `files`) with keel::io's
// return-series reader and compounded to the step frequency. Throws keel::Error(invalid_input)
// naming the expected form, not_found for a missing file, forbidden when `files` allows none.
plan::ReturnModel parse_return_model(const std::string& spec, int steps_per_year,
                                     const Files& files = local_files(),
                                     std::vector<std::string>* warnings = nullptr);

// Builds engine inputs (loading the events and bootstrap files through cx.env.files). Throws
// invalid_input listing every bad option together. The files' warnings (a CSV whose last line has
// no line ending, ...) are appended to `warnings` when it is given.
plan::PlanInputs build_plan_inputs(const Context& cx, const PlanRequest& request,
                                   std::vector<std::string>* warnings = nullptr);

// Running a plan (retire, sensitivity, compare) is a computation: the compute permission, on every
// face (a viewer is refused by `keel --as viewer plan retire` as by POST /plan/retire); nothing is
// kept, so nothing is audited but a refusal.
inline constexpr UseCase kPlanRun{"run retirement plans", Permission::kCompute, ""};

// `keel plan retire`, POST /api/v1/plan/retire (a job). The starting balance is request.balance
// (0 when absent); resolve_plan_balance turns account / transactions into it. Each of the three
// checks kPlanRun first.
PlanRetireResult plan_retire(const Context& cx, const PlanRequest& request);

// One run per value with the same seed (common random numbers).
PlanSensitivityResult plan_sensitivity(const Context& cx, const PlanSensitivityRequest& request);

// One run per strategy with the same seed. A strategy whose inputs are incomplete (a rate the
// strategy needs, say) is listed in `skipped` with the engine's problems; when every strategy is
// skipped, throws invalid_input with all of them. The safe withdrawal rate (target_success) is
// solved for the strategies that define one and null for the others.
PlanCompareResult plan_compare(const Context& cx, const PlanCompareRequest& request);

// What the three cost (keel/service/admission.h): runs x trials x steps (years, or months) — a
// safe withdrawal rate solved adds its bisection's runs — and each run's trial states and
// percentile rows. Each use case admits itself with them (a job's, when it runs as one); keel
// serve admits the job before queueing it.
ComputeCost plan_retire_cost(const PlanRequest& request);
ComputeCost plan_sensitivity_cost(const PlanSensitivityRequest& request);
ComputeCost plan_compare_cost(const PlanCompareRequest& request);

// The plan jobs' options (a job's request {"options": {...the route's body...}}) read as their
// routes read them, plus what a server may not do: a bootstrap:FILE return model names a file on
// the server (refused; send the history inline); a sensitivity needs at least one value.
// invalid_input naming the field.
PlanRequest read_plan_job(const nlohmann::json& options);
PlanSensitivityRequest read_plan_sensitivity_job(const nlohmann::json& options);
PlanCompareRequest read_plan_compare_job(const nlohmann::json& options);

class JobSteps;  // keel/service/job_steps.h

// A plan.retire job (`steps` its job): computed at once, or, above `shard_trials` trials (0:
// never), split on its first claim into shards of trials (a multiple of the kernel's group) that
// any runner computes, and reduced from every trial's values on the claim after the last shard —
// the same result, bit for bit. run_plan_shard_job computes one shard's trials.
nlohmann::json run_plan_job(const Context& cx, JobSteps& steps, const nlohmann::json& request,
                            std::int64_t shard_trials);
nlohmann::json run_plan_shard_job(const Context& cx, JobSteps& steps, const nlohmann::json& request);

// Net worth (securities at their last price on or before the ledger's as-of date, plus cash)
// of a ledger account or transactions file, as a plan's starting balance.
// Throws what load_ledger throws (usage without a file or store, not_found, invalid_input).
double starting_balance_from_ledger(const Context& cx, const LedgerSource& source);

}  // namespace keel::service
