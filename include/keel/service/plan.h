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
  static void fields(V& v, S& s) {
    v.field({.name = "year", .help = "Years from the start (0 = now), before the horizon", .unit = "years",
             .min = 0, .required = true},
            s.year);
    v.choice({.name = "type", .help = "What happens", .required = true}, s.type, kPlanEventTypeNames);
    v.field({.name = "amount",
             .help = "Today's money (per year for income_change); a decimal savings rate for savings_rate_change",
             .required = true},
            s.amount);
    v.field({.name = "label", .help = "Description carried to outputs"}, s.label);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "balance", .help = "Starting balance (HTTP default 0)", .unit = "currency", .min = 0},
            s.balance);
    v.field({.name = "account", .help = "Start from the net worth of this stored ledger account",
             .faces = spec::kCli},
            s.account);
    v.field({.name = "transactions", .help = "Start from the net worth of this transactions file",
             .faces = spec::kCli},
            s.transactions);
    v.field({.name = "prices", .help = "Prices for --transactions / --account (default: the store's)",
             .faces = spec::kCli},
            s.prices);
    v.field({.name = "mapping", .help = "Broker mapping for --transactions", .faces = spec::kCli}, s.mapping);
    v.field({.name = "years", .help = "Horizon", .unit = "years", .min = 1, .max = 200}, s.years);
    v.field({.name = "monthly", .help = "Monthly steps (default: annual)"}, s.monthly);
    v.field({.name = "retirement_year",
             .help = "Years until withdrawals start; contributions before (0: retired now)",
             .unit = "years",
             .min = 0,
             .cli_name = "retire-in"},
            s.retirement_year);
    v.field({.name = "contribution", .help = "Yearly contribution before retiring", .unit = "today's money per year"},
            s.contribution);
    v.field({.name = "income", .help = "Yearly income (base of savings_rate_change events)",
             .unit = "today's money per year"},
            s.income);
    v.field({.name = "allocation", .help = "Stock weight (mix returns and VPW rate)", .unit = "fraction", .min = 0,
             .max = 1},
            s.allocation);
    v.field({.name = "withdrawal", .help = "First year's withdrawal", .unit = "today's money per year", .min = 0},
            s.withdrawal);
    v.field({.name = "withdrawal_rate", .help = "First withdrawal over the balance at retirement",
             .unit = "decimal, 0.04 = 4%", .min = 0, .max = 1, .max_exclusive = true},
            s.withdrawal_rate);
    v.choice({.name = "strategy", .help = "Withdrawal strategy"}, s.strategy, kPlanStrategyNames);
    v.field({.name = "returns",
             .help = "Return model: normal:MEAN,SD | t:MEAN,SD,DF | mix:SM,SS,BM,BS,CORR (annual decimals) | "
                     "bootstrap:FILE (CLI) | bootstrap (with history)"},
            s.returns);
    v.field({.name = "block_length", .help = "Bootstrap block length (0: 5 years / 12 months)", .unit = "steps",
             .min = 0, .cli_name = "block"},
            s.block_length);
    v.field({.name = "history",
             .help = "Periodic returns to bootstrap from, at the step frequency (with returns \"bootstrap\")",
             .unit = "decimal",
             .faces = spec::kHttp},
            s.history);
    v.field({.name = "inflation", .help = "Annual inflation", .unit = "decimal"}, s.inflation);
    v.field({.name = "inflation_sd", .help = "Sd of annual inflation (> 0: stochastic)", .unit = "decimal",
             .min = 0},
            s.inflation_sd);
    v.field({.name = "inflation_series",
             .help = "Take the annual inflation from a stored macro series (keel fetch macro): its latest "
                     "year-over-year change, e.g. fred:CPIAUCSL (replaces inflation)"},
            s.inflation_series);
    v.field({.name = "trials", .help = "Monte Carlo trials", .min = 1, .max = 10'000'000}, s.trials);
    v.field({.name = "seed", .help = "Random seed (same seed, same result)"}, s.seed);
    v.field({.name = "events_file", .help = "Life events file (CSV year,type,amount[,label] or JSON)",
             .faces = spec::kCli, .cli_name = "events"},
            s.events_file);
    v.field({.name = "events", .help = "Life events, after those of the file", .faces = spec::kHttp}, s.events);
    v.field({.name = "target_success", .help = "Also solve the safe withdrawal rate for this success rate",
             .unit = "fraction, 0.9 = 90%", .min = 0, .max = 1, .min_exclusive = true, .max_exclusive = true},
            s.target_success);
    v.field({.name = "gk_upper", .help = "Guyton-Klinger capital-preservation threshold", .unit = "fraction",
             .min = 0},
            s.guyton_klinger.upper_threshold);
    v.field({.name = "gk_lower", .help = "Guyton-Klinger prosperity threshold", .unit = "fraction", .min = 0,
             .max = 1, .max_exclusive = true},
            s.guyton_klinger.lower_threshold);
    v.field({.name = "gk_cut", .help = "Guyton-Klinger cut", .unit = "fraction", .min = 0, .max = 1,
             .max_exclusive = true},
            s.guyton_klinger.cut);
    v.field({.name = "gk_raise", .help = "Guyton-Klinger raise", .unit = "fraction", .min = 0},
            s.guyton_klinger.raise);
    v.field({.name = "gk_final_years", .help = "Years at the end without capital preservation", .unit = "years",
             .min = 0},
            s.guyton_klinger.preservation_off_years);
    v.field({.name = "floor", .help = "Floor-ceiling: largest cut below the first real withdrawal",
             .unit = "fraction", .min = 0, .max = 1},
            s.floor_ceiling.floor);
    v.field({.name = "ceiling", .help = "Floor-ceiling: largest rise above the first real withdrawal",
             .unit = "fraction", .min = 0},
            s.floor_ceiling.ceiling);
  }
};

struct PlanSensitivityRequest {
  PlanRequest plan;
  plan::SensitivityParameter vary = plan::SensitivityParameter::kWithdrawalRate;
  std::vector<double> values;

  static constexpr const char* kSchemaName = "PlanSensitivityRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.plan);
    v.choice({.name = "vary", .help = "The input varied", .required = true}, s.vary, kSensitivityParameterNames);
    v.field({.name = "values", .help = "Values of the varied input, one run each (same seed)", .required = true},
            s.values);
  }
};

// Percentiles 5/25/50/75/95 across trials, one point per year.
struct PlanPercentilePaths {
  std::vector<int> year;
  std::vector<double> p5, p25, p50, p75, p95;

  static constexpr const char* kSchemaName = "PlanPercentilePaths";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "year", .help = "Year of each point"}, s.year);
    v.field({.name = "p5", .unit = "nominal currency"}, s.p5);
    v.field({.name = "p25", .unit = "nominal currency"}, s.p25);
    v.field({.name = "p50", .unit = "nominal currency"}, s.p50);
    v.field({.name = "p75", .unit = "nominal currency"}, s.p75);
    v.field({.name = "p95", .unit = "nominal currency"}, s.p95);
  }
};

struct PlanTerminal {
  double p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0, mean = 0;

  static constexpr const char* kSchemaName = "PlanTerminal";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "p5", .unit = "nominal currency"}, s.p5);
    v.field({.name = "p25", .unit = "nominal currency"}, s.p25);
    v.field({.name = "p50", .unit = "nominal currency"}, s.p50);
    v.field({.name = "p75", .unit = "nominal currency"}, s.p75);
    v.field({.name = "p95", .unit = "nominal currency"}, s.p95);
    v.field({.name = "mean", .unit = "nominal currency"}, s.mean);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "balance", .unit = "currency"}, s.balance);
    v.field({.name = "years", .unit = "years"}, s.years);
    v.field({.name = "steps_per_year", .help = "1 (annual) or 12 (monthly)"}, s.steps_per_year);
    v.field({.name = "retirement_year", .unit = "years"}, s.retirement_year);
    v.field({.name = "contribution", .unit = "today's money per year"}, s.contribution);
    v.field({.name = "income", .unit = "today's money per year"}, s.income);
    v.field({.name = "allocation", .unit = "fraction"}, s.allocation);
    v.field({.name = "withdrawal", .unit = "today's money per year"}, s.withdrawal);
    v.field({.name = "withdrawal_rate", .unit = "decimal"}, s.withdrawal_rate);
    v.field({.name = "strategy"}, s.strategy);
    v.field({.name = "returns", .help = "The return model as given"}, s.returns);
    v.field({.name = "inflation", .unit = "annual decimal"}, s.inflation);
    v.field({.name = "inflation_sd", .unit = "annual decimal"}, s.inflation_sd);
    v.field({.name = "inflation_source",
             .help = "With inflation_series: the series whose latest year-over-year change is `inflation`"},
            s.inflation_source);
    v.field({.name = "trials"}, s.trials);
    v.field({.name = "seed"}, s.seed);
    v.field({.name = "events", .help = "Life events applied"}, s.events);
    v.field({.name = "bootstrap_periods", .help = "Bootstrap: historical returns"}, s.bootstrap_periods);
    v.field({.name = "block_length", .help = "Bootstrap: block length", .unit = "steps"}, s.block_length);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "success_rate", .help = "Share of trials never short of a planned cash flow",
             .unit = "fraction"},
            s.success_rate);
    v.field({.name = "success_standard_error", .help = "sqrt(p (1 - p) / trials)", .unit = "fraction"},
            s.success_standard_error);
    v.field({.name = "trials"}, s.trials);
    v.field({.name = "failures", .help = "Trials that ran out"}, s.failures);
    v.field({.name = "median_shortfall_year", .help = "Median 1-based year failing trials ran out (null: none)",
             .unit = "years"},
            s.median_shortfall_year);
    v.field({.name = "safe_withdrawal_rate", .help = "For target_success (null when not asked)",
             .unit = "decimal"},
            s.safe_withdrawal_rate);
    v.field({.name = "terminal", .help = "Balance at the end of the horizon"}, s.terminal);
  }
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
  static void fields(V& v, S& s) {
    v.flatten(s.figures);
    v.field({.name = "target_success", .unit = "fraction"}, s.target_success);
    v.field({.name = "paths", .help = "Year-end nominal balance; year 0 is the starting balance"}, s.paths);
    v.field({.name = "spending", .help = "Nominal spending paid in each year (1..)"}, s.spending);
    v.field({.name = "shortfalls_by_year", .help = "Trials that ran out in year t (index t - 1)"},
            s.shortfalls_by_year);
    v.field({.name = "inputs"}, s.inputs);
    v.field({.name = "warnings",
             .help = "Remarks on the input files (file:line: ..., e.g. a last line without a line ending: the "
                     "file may be truncated)"},
            s.warnings);
  }
};

struct PlanSensitivityRow {
  PlanRunFigures figures;
  double value = 0.0;
  std::optional<double> first_year_spending_p50;

  static constexpr const char* kSchemaName = "PlanSensitivityRow";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.figures);
    v.field({.name = "value", .help = "The varied input's value"}, s.value);
    v.field({.name = "first_year_spending_p50", .help = "Median spending in the first year of retirement",
             .unit = "nominal currency"},
            s.first_year_spending_p50);
  }
};

struct PlanSensitivityResult {
  std::string parameter;
  std::vector<double> values;
  std::vector<PlanSensitivityRow> rows;
  PlanInputsEcho inputs;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "PlanSensitivityResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "parameter", .help = "The varied input"}, s.parameter);
    v.field({.name = "values"}, s.values);
    v.field({.name = "rows", .help = "One run per value, in order"}, s.rows);
    v.field({.name = "inputs", .help = "The base plan"}, s.inputs);
    v.field({.name = "warnings",
             .help = "Remarks on the input files (file:line: ..., e.g. a last line without a line ending: the "
                     "file may be truncated)"},
            s.warnings);
  }
};

// `keel plan compare`, POST /api/v1/plan/compare (a job): the same plan under several withdrawal
// strategies, same seed (common random numbers), side by side.
struct PlanCompareRequest {
  PlanRequest plan;
  std::vector<plan::Strategy> strategies;  // empty: all five

  static constexpr const char* kSchemaName = "PlanCompareRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.plan);
    v.choice_list({.name = "strategies",
                   .help = "Strategies to run, or all (the default; the plan's own `strategy` is not used)"},
                  s.strategies, kPlanStrategyNames, "all");
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "strategy"}, s.strategy);
    v.flatten(s.figures);
    v.field({.name = "first_year_spending_p50",
             .help = "Median spending in the first year of retirement",
             .unit = "nominal currency"},
            s.first_year_spending_p50);
    v.field({.name = "paths", .help = "Year-end nominal balance; year 0 is the starting balance"}, s.paths);
    v.field({.name = "spending", .help = "Nominal spending paid in each year (1..)"}, s.spending);
  }
};

// A strategy the plan's inputs cannot run (e.g. constant-percentage without a withdrawal rate).
struct PlanCompareSkipped {
  std::string strategy;
  std::vector<std::string> problems;

  static constexpr const char* kSchemaName = "PlanCompareSkipped";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "strategy"}, s.strategy);
    v.field({.name = "problems", .help = "Why it could not run"}, s.problems);
  }
};

struct PlanCompareResult {
  std::vector<PlanCompareRow> rows;
  std::vector<PlanCompareSkipped> skipped;
  std::optional<double> target_success;
  PlanInputsEcho inputs;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "PlanCompareResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "rows", .help = "One run per strategy, in the order asked"}, s.rows);
    v.field({.name = "skipped", .help = "Strategies the inputs cannot run"}, s.skipped);
    v.field({.name = "target_success",
             .help = "Safe withdrawal rates solved for this success rate (constant-dollar, guyton-klinger, "
                     "floor-ceiling)",
             .unit = "fraction"},
            s.target_success);
    v.field({.name = "inputs", .help = "The base plan (its strategy is the first row's)"}, s.inputs);
    v.field({.name = "warnings",
             .help = "Remarks on the input files (file:line: ..., e.g. a last line without a line ending: the "
                     "file may be truncated)"},
            s.warnings);
  }
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

// `keel plan retire`, POST /api/v1/plan/retire (a job). The starting balance is request.balance
// (0 when absent); resolve_plan_balance turns account / transactions into it.
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
