// `keel plan retire|sensitivity`: parse options, load files, run the plan engine, shape JSON.
#include "keel/service/plan.h"
#include "keel/service/macro.h"
#include "keel/service/sharding.h"
#include "keel/service/job_steps.h"
#include "keel/service/jobs.h"
#include "keel/plan/simulation.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/io/plan_events_reader.h"
#include "keel/io/return_series_reader.h"
#include "keel/service/ledger_holdings.h"

namespace keel::service {

namespace {

std::vector<double> parse_numbers(std::string_view text, const std::string& what) {
  std::vector<double> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto piece = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    const auto v = parse_double(piece);
    if (!v) throw Error::invalid_input(what + ": expected a number, got " + shown(piece));
    out.push_back(*v);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

constexpr const char* kReturnForms =
    "normal:MEAN,SD | t:MEAN,SD,DF | bootstrap:FILE | mix:STOCK_MEAN,STOCK_SD,BOND_MEAN,BOND_SD,CORR";

PlanPercentilePaths percentile_paths(const plan::PercentilePaths& p, int first_year) {
  PlanPercentilePaths out;
  if (!p.values.empty())
    for (std::size_t t = 0; t < p.values[0].size(); ++t) out.year.push_back(first_year + static_cast<int>(t));
  std::vector<double>* levels[5] = {&out.p5, &out.p25, &out.p50, &out.p75, &out.p95};
  for (std::size_t k = 0; k < p.values.size() && k < 5; ++k) *levels[k] = p.values[k];
  return out;
}

spec::Nullable<double> nullable(const std::optional<double>& v) {
  spec::Nullable<double> out;
  if (v) out.emplace(*v);
  return out;
}

PlanInputsEcho inputs_echo(const PlanRequest& q, const plan::PlanInputs& in) {
  PlanInputsEcho e;
  e.balance = in.initial_balance;
  e.years = in.years;
  e.steps_per_year = in.steps_per_year;
  e.retirement_year = in.retirement_year;
  e.contribution = in.annual_contribution;
  e.income = in.annual_income;
  e.allocation = in.allocation;
  e.withdrawal = nullable(in.withdrawal_amount);
  e.withdrawal_rate = nullable(in.withdrawal_rate);
  e.strategy = std::string(plan::strategy_name(in.strategy));
  e.returns = q.returns;
  e.inflation = in.inflation.mean;
  e.inflation_sd = in.inflation.sd;
  if (q.inflation_series) e.inflation_source = q.inflation_series;
  e.trials = q.trials;
  e.seed = q.seed;
  e.events = in.events.size();
  if (in.returns.kind == plan::ReturnModelKind::kBootstrap) {
    e.bootstrap_periods = in.returns.history.size();
    e.block_length = in.returns.block_length > 0 ? in.returns.block_length : (in.steps_per_year == 1 ? 5 : 12);
  }
  return e;
}

plan::SimulationOptions simulation_options(const PlanRequest& q) {
  plan::SimulationOptions o;
  o.trials = q.trials;
  o.seed = q.seed;
  o.target_success = q.target_success;
  return o;
}

PlanRunFigures run_figures(const plan::PlanResult& r) {
  PlanRunFigures f;
  f.success_rate = r.success_rate;
  f.success_standard_error = r.success_standard_error;
  f.trials = r.trials;
  f.failures = r.failures;
  f.median_shortfall_year = nullable(r.median_shortfall_year);
  f.safe_withdrawal_rate = nullable(r.safe_withdrawal_rate);
  f.terminal = {r.terminal_percentiles[0], r.terminal_percentiles[1], r.terminal_percentiles[2],
                r.terminal_percentiles[3], r.terminal_percentiles[4], r.terminal_mean};
  return f;
}

}  // namespace

plan::ReturnModel parse_return_model(const std::string& spec, int steps_per_year, const Files& files,
                                     std::vector<std::string>* warnings) {
  plan::ReturnModel m;
  if (spec == "bootstrap") {  // history supplied inline by the caller (build_plan_inputs)
    m.kind = plan::ReturnModelKind::kBootstrap;
    return m;
  }
  const auto colon = spec.find(':');
  if (colon == std::string::npos)
    throw Error::invalid_input("returns \"" + spec + "\": expected " + kReturnForms);
  const std::string kind = spec.substr(0, colon);
  const std::string rest = spec.substr(colon + 1);
  auto need = [&](std::size_t n) {
    auto v = parse_numbers(rest, "returns " + kind);
    if (v.size() != n)
      throw Error::invalid_input(
          fmt::format("returns {}: expected {} numbers, got {} ({})", kind, n, v.size(), kReturnForms));
    return v;
  };
  if (kind == "normal") {
    const auto v = need(2);
    m.kind = plan::ReturnModelKind::kNormal;
    m.mean = v[0];
    m.sd = v[1];
  } else if (kind == "t") {
    const auto v = need(3);
    m.kind = plan::ReturnModelKind::kStudentT;
    m.mean = v[0];
    m.sd = v[1];
    m.df = v[2];
  } else if (kind == "mix") {
    const auto v = need(5);
    m.kind = plan::ReturnModelKind::kStockBondMix;
    m.stock_mean = v[0];
    m.stock_sd = v[1];
    m.bond_mean = v[2];
    m.bond_sd = v[3];
    m.correlation = v[4];
  } else if (kind == "bootstrap") {
    if (rest.empty()) throw Error::invalid_input("returns bootstrap: expected bootstrap:FILE");
    m.kind = plan::ReturnModelKind::kBootstrap;
    const auto series = io::read_return_series_file(
        files.open(rest, "returns"), steps_per_year == 12 ? io::ReturnFrequency::kMonthly : io::ReturnFrequency::kAnnual,
        io::RateUnits::kDecimal, warnings);
    m.history = series.returns;
  } else {
    throw Error::invalid_input("returns: unknown model \"" + kind + "\": expected " + kReturnForms);
  }
  return m;
}

plan::PlanInputs build_plan_inputs(const Context& cx, const PlanRequest& q, std::vector<std::string>* warnings) {
  plan::PlanInputs in;
  std::vector<std::string> problems;
  in.initial_balance = q.balance.value_or(0.0);
  in.years = q.years;
  in.steps_per_year = q.monthly ? 12 : 1;
  in.retirement_year = q.retirement_year;
  in.annual_contribution = q.contribution;
  in.annual_income = q.income;
  in.allocation = q.allocation;
  in.withdrawal_amount = q.withdrawal;
  in.withdrawal_rate = q.withdrawal_rate;
  in.strategy = q.strategy;
  in.guyton_klinger = q.guyton_klinger;
  in.floor_ceiling = q.floor_ceiling;
  in.inflation.mean = q.inflation;
  in.inflation.sd = q.inflation_sd;
  if (q.inflation_series) {
    try {
      in.inflation.mean = macro_yoy(cx, *q.inflation_series, std::nullopt, "inflation_series").change;
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidInput) throw;
      for (const auto& d : e.details()) problems.push_back(d);
    }
  }
  try {
    in.returns = parse_return_model(q.returns, in.steps_per_year, cx.env.files, warnings);
    in.returns.block_length = q.block_length;
    if (q.returns == "bootstrap") in.returns.history = q.history;
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput) throw;
    problems.push_back(e.what());
    for (const auto& d : e.details()) problems.push_back("  " + d);
  }
  if (q.events_file) {
    try {
      in.events = io::read_plan_events_file(
          cx.env.files, *q.events_file, q.years >= 1 ? std::optional<int>(q.years) : std::nullopt, warnings);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidInput) throw;
      problems.push_back(e.what());
      for (const auto& d : e.details()) problems.push_back("  " + d);
    }
  }
  for (const auto& e : q.events) in.events.push_back({e.year, e.type, e.amount, e.label});
  // The engine's own checks, collected with ours into one error.
  try {
    plan::validate(in);
  } catch (const Error& e) {
    for (const auto& d : e.details()) problems.push_back(d);
  }
  if (q.trials < 1 || q.trials > 10'000'000)
    problems.push_back(fmt::format("trials: must be 1..10,000,000, got {}", q.trials));
  if (q.target_success && !(*q.target_success > 0 && *q.target_success < 1))
    problems.push_back("target_success: must be in (0, 1)");
  if (!problems.empty()) throw Error::invalid_input("invalid retirement plan", problems);
  return in;
}

namespace {

plan::SimulationOptions retire_options(const plan::PlanInputs& in, const PlanRequest& q) {
  auto opt = simulation_options(q);
  if (opt.target_success && (in.strategy == plan::Strategy::kVpw ||
                             in.strategy == plan::Strategy::kConstantPercentage))
    throw Error::invalid_input("target_success: a safe withdrawal rate is defined for "
                               "constant-dollar, guyton-klinger and floor-ceiling only");
  return opt;
}

PlanRetireResult retire_result(const PlanRequest& q, const plan::PlanInputs& in, const plan::PlanResult& r);

}  // namespace

namespace {

// `runs` runs of `q`'s trials over `years` years; `formula` names the runs ("" for one).
ComputeCost plan_runs_cost(std::string operation, const PlanRequest& q, double runs, int years, std::string formula,
                           std::string parameter) {
  ComputeCost cost;
  cost.operation = std::move(operation);
  cost.engine = Engine::kPlanTrial;
  cost.has_job = true;
  // A trial-year is the engine's step. A monthly year's twelve steps took 2.3 times an annual
  // year's one (2,000,000 trials x 60 years: 4.2 s against 1.9 s of CPU), counted as 2.5.
  const double year_weight = q.monthly ? 2.5 : 1.0;
  const double steps = static_cast<double>(years) * year_weight;
  const double trials = static_cast<double>(q.trials);
  // The safe withdrawal rate's bisection: about 25 runs without percentile rows.
  const double per_run = q.target_success ? 26.0 : 1.0;
  cost.steps = runs * per_run * trials * steps;
  cost.formula = fmt::format("{}trials {} x years {}{}{}", formula, q.trials, years, q.monthly ? " x 2.5 (monthly)" : "",
                             q.target_success ? " x 26 (target_success)" : "");
  // One run at a time: 208 bytes a trial (its state, its outcome, the sorted copies of the
  // reduction; 412 MB measured at 2,000,000 trials, whatever the years) and the percentile rows'
  // chunk (2^20 cells, double-buffered, balance and spending).
  const double cells = static_cast<double>(years) * (q.monthly ? 12.0 : 1.0);
  cost.memory_bytes = trials * 208.0 + 4.0 * 8.0 * std::min(trials * cells, 1048576.0);
  cost.parameter = std::move(parameter);
  return cost;
}

}  // namespace

ComputeCost plan_retire_cost(const PlanRequest& q) {
  return plan_runs_cost("retirement plan", q, 1.0, q.years, "", "trials, years");
}

ComputeCost plan_sensitivity_cost(const PlanSensitivityRequest& r) {
  int years = r.plan.years;
  if (r.vary == plan::SensitivityParameter::kYears) {
    for (double v : r.values) years = std::max(years, static_cast<int>(std::min(v, 1e6)));
  }
  return plan_runs_cost("plan sensitivity", r.plan, static_cast<double>(r.values.size()), years,
                        fmt::format("values {} x ", r.values.size()), "values, trials, years");
}

ComputeCost plan_compare_cost(const PlanCompareRequest& r) {
  const std::size_t n = r.strategies.empty() ? 5 : r.strategies.size();
  return plan_runs_cost("plan comparison", r.plan, static_cast<double>(n), r.plan.years,
                        fmt::format("strategies {} x ", n), "strategies, trials, years");
}

PlanRetireResult plan_retire(const Context& cx, const PlanRequest& q) {
  authorize(cx, kPlanRun, "plan");
  admit_now(cx, plan_retire_cost(q));
  std::vector<std::string> warnings;
  const auto in = build_plan_inputs(cx, q, &warnings);
  const auto opt = retire_options(in, q);
  auto out = retire_result(q, in, plan::simulate_retirement(in, opt));
  out.warnings = std::move(warnings);
  return out;
}

ShardValues plan_retire_trials(const Context& cx, const PlanRequest& q, ShardRange range) {
  const auto in = build_plan_inputs(cx, q);
  const auto opt = retire_options(in, q);
  ShardValues out;  // the plan's inputs travel with the request: no fingerprint needed
  out.values = plan::simulate_trials(in, opt, static_cast<int>(range.first), static_cast<int>(range.last));
  return out;
}

PlanRetireResult plan_retire_reduce(const Context& cx, const PlanRequest& q, const std::vector<double>& values) {
  std::vector<std::string> warnings;
  const auto in = build_plan_inputs(cx, q, &warnings);
  const auto opt = retire_options(in, q);
  auto out = retire_result(q, in, plan::reduce_trials(in, opt, values));
  out.warnings = std::move(warnings);
  return out;
}

std::size_t plan_retire_values_per_trial(const Context& cx, const PlanRequest& q) {
  const auto in = build_plan_inputs(cx, q);
  return plan::trial_value_count(in, retire_options(in, q));
}

namespace {

PlanRetireResult retire_result(const PlanRequest& q, const plan::PlanInputs& in, const plan::PlanResult& r) {
  PlanRetireResult out;
  out.figures = run_figures(r);
  out.target_success = q.target_success;
  out.paths = percentile_paths(r.balance, 0);
  out.spending = percentile_paths(r.spending, 1);
  out.shortfalls_by_year = r.shortfalls_by_year;
  out.inputs = inputs_echo(q, in);
  return out;
}

}  // namespace

PlanSensitivityResult plan_sensitivity(const Context& cx, const PlanSensitivityRequest& request) {
  authorize(cx, kPlanRun, "plan");
  const auto p = request.vary;
  const auto& values = request.values;
  if (values.empty()) throw Error::invalid_input("values: give at least one value");
  admit_now(cx, plan_sensitivity_cost(request));
  PlanRequest base = request.plan;
  // The varied parameter may be the one that makes the base request complete (e.g. a rate).
  if (p == plan::SensitivityParameter::kWithdrawalRate) {
    base.withdrawal_rate = values.front();
    base.withdrawal.reset();
  }
  if (p == plan::SensitivityParameter::kWithdrawal) {
    base.withdrawal = values.front();
    base.withdrawal_rate.reset();
  }
  if (p == plan::SensitivityParameter::kYears) base.years = static_cast<int>(values.front());
  std::vector<std::string> warnings;
  const auto in = build_plan_inputs(cx, base, &warnings);
  auto opt = simulation_options(request.plan);
  opt.percentile_paths = true;
  const auto rows = plan::sensitivity(in, opt, p, values);
  PlanSensitivityResult out;
  out.parameter = std::string(plan::sensitivity_parameter_name(p));
  out.values = values;
  for (const auto& row : rows) {
    PlanSensitivityRow r;
    r.figures = run_figures(row.result);
    r.value = row.value;
    const auto& sp = row.result.spending.values;
    if (!sp.empty() && !sp[2].empty()) {
      const auto first = static_cast<std::size_t>(
          std::min(std::max(0, with_parameter(in, p, row.value).retirement_year),
                   static_cast<int>(sp[2].size()) - 1));
      r.first_year_spending_p50 = sp[2][first];
    }
    out.rows.push_back(std::move(r));
  }
  out.inputs = inputs_echo(request.plan, in);
  out.warnings = std::move(warnings);
  return out;
}

PlanCompareResult plan_compare(const Context& cx, const PlanCompareRequest& request) {
  authorize(cx, kPlanRun, "plan");
  std::vector<plan::Strategy> strategies;
  if (request.strategies.empty()) {
    strategies = {plan::Strategy::kConstantDollar, plan::Strategy::kConstantPercentage,
                  plan::Strategy::kGuytonKlinger, plan::Strategy::kVpw, plan::Strategy::kFloorCeiling};
  } else {
    for (const auto s : request.strategies) {
      if (std::find(strategies.begin(), strategies.end(), s) == strategies.end()) strategies.push_back(s);
    }
  }
  admit_now(cx, plan_compare_cost(request));
  PlanCompareResult out;
  out.target_success = request.plan.target_success;
  std::vector<std::string> all_problems;
  bool echoed = false;
  for (const auto strategy : strategies) {
    const std::string name(plan::strategy_name(strategy));
    PlanRequest q = request.plan;
    q.strategy = strategy;
    // A safe withdrawal rate is defined only where success depends on the first rate.
    const bool swr = strategy != plan::Strategy::kVpw && strategy != plan::Strategy::kConstantPercentage;
    if (!swr) q.target_success.reset();
    plan::PlanInputs in;
    try {
      // Every strategy reads the same files: their warnings are reported once.
      std::vector<std::string> warnings;
      in = build_plan_inputs(cx, q, &warnings);
      if (out.warnings.empty()) out.warnings = std::move(warnings);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidInput) throw;
      PlanCompareSkipped skip{name, e.details()};
      if (skip.problems.empty()) skip.problems.push_back(e.what());
      for (const auto& p : skip.problems) all_problems.push_back(name + ": " + p);
      out.skipped.push_back(std::move(skip));
      continue;
    }
    const auto r = plan::simulate_retirement(in, simulation_options(q));
    PlanCompareRow row;
    row.strategy = name;
    row.figures = run_figures(r);
    row.paths = percentile_paths(r.balance, 0);
    row.spending = percentile_paths(r.spending, 1);
    const auto& sp = r.spending.values;
    if (!sp.empty() && !sp[2].empty()) {
      const auto first = static_cast<std::size_t>(
          std::min(std::max(0, in.retirement_year), static_cast<int>(sp[2].size()) - 1));
      row.first_year_spending_p50 = sp[2][first];
    }
    if (!echoed) {
      out.inputs = inputs_echo(q, in);
      echoed = true;
    }
    out.rows.push_back(std::move(row));
  }
  if (out.rows.empty()) throw Error::invalid_input("no strategy of the comparison can run", all_problems);
  return out;
}

double starting_balance_from_ledger(const Context& cx, const LedgerSource& source) {
  return ledger_holdings(cx, LedgerHoldingsRequest{source, std::nullopt}).totals.net_worth.to_double();
}

namespace {

// HTTP requests never name server-side files (events_file is not an HTTP field at all; server_env()
// would refuse the read too, but this makes it a 400 at enqueue rather than a failed job).
void reject_server_files(const PlanRequest& q) {
  if (q.returns.rfind("bootstrap:", 0) == 0) {
    throw Error::invalid_input("invalid plan request",
                               {"returns: bootstrap:FILE reads a server file; send \"returns\": \"bootstrap\" with "
                                "the periodic returns inline as \"history\", or use normal:, t: or mix:"});
  }
}

}  // namespace

PlanRequest read_plan_job(const nlohmann::json& options) {
  PlanRequest q;
  spec::read_json(options, q, "plan/retire request");
  reject_server_files(q);
  return q;
}

PlanSensitivityRequest read_plan_sensitivity_job(const nlohmann::json& options) {
  PlanSensitivityRequest q;
  spec::read_json(options, q, "plan/sensitivity request");
  if (q.values.empty()) throw Error::invalid_input("invalid plan/sensitivity request", {"values: expected at least one value"});
  reject_server_files(q.plan);
  return q;
}

PlanCompareRequest read_plan_compare_job(const nlohmann::json& options) {
  PlanCompareRequest q;
  spec::read_json(options, q, "plan/compare request");
  reject_server_files(q.plan);
  return q;
}

// Above `shard_trials` trials (0: never) the run is split into shards of trials (a multiple of the
// kernel's group) on its first claim and reduced from every trial's values on the claim after the
// last shard.
nlohmann::json run_plan_job(const Context& cx, JobSteps& steps, const nlohmann::json& request,
                            std::int64_t shard_trials) {
  const auto q = read_plan_job(job_options(request));
  const bool sharded = (shard_trials > 0 && q.trials > shard_trials) || steps.shard_count() > 0;
  if (!sharded) {
    steps.progress(0.1, "simulating");
    return spec::to_json(plan_retire(cx, q));
  }
  if (steps.shard_count() == 0) {
    steps.progress(0.02, fmt::format("splitting {} trials", q.trials));
    const std::int64_t align = plan::kTrialAlignment;
    const std::int64_t per = (shard_trials + align - 1) / align * align;
    steps.split("plan.retire.shard", shard_requests({{"options", job_options(request)}}, q.trials, per, 0));
  }
  steps.progress(std::max(0.95, steps.progress_so_far()), fmt::format("reducing {} shards", steps.shard_count()));
  std::uint64_t fingerprint = 0;
  nlohmann::json first;
  const auto values =
      gather_shards(steps, q.trials, plan_retire_values_per_trial(cx, q), &fingerprint, &first);
  return spec::to_json(plan_retire_reduce(cx, q, values));
}

nlohmann::json run_plan_shard_job(const Context& cx, JobSteps& steps, const nlohmann::json& request) {
  const auto q = read_plan_job(job_options(request));
  return run_shard(steps, request, [&](ShardRange range, const ShardProgress& progress) {
    auto v = plan_retire_trials(cx, q, range);
    if (progress) progress(1.0);
    return shard_bytes(v);
  });
}


}  // namespace keel::service
