// `keel plan retire|sensitivity`: parse options, load files, run the plan engine, shape JSON.
#include "keel/service/plan.h"

#include <cmath>
#include <string>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/io/plan_events_reader.h"
#include "keel/io/return_series_reader.h"
#include "keel/plan/sensitivity.h"

namespace keel::service {

namespace {

std::vector<double> parse_numbers(std::string_view text, const std::string& what) {
  std::vector<double> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto piece = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    const auto v = parse_double(piece);
    if (!v) throw Error::invalid_input(what + ": expected a number, got \"" + std::string(piece) + "\"");
    out.push_back(*v);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

constexpr const char* kReturnForms =
    "normal:MEAN,SD | t:MEAN,SD,DF | bootstrap:FILE | mix:STOCK_MEAN,STOCK_SD,BOND_MEAN,BOND_SD,CORR";

nlohmann::json percentile_json(const plan::PercentilePaths& p, int first_year) {
  nlohmann::json j;
  std::vector<int> years;
  if (!p.values.empty())
    for (std::size_t t = 0; t < p.values[0].size(); ++t) years.push_back(first_year + static_cast<int>(t));
  j["year"] = years;
  static const char* names[5] = {"p5", "p25", "p50", "p75", "p95"};
  for (std::size_t k = 0; k < p.values.size() && k < 5; ++k) j[names[k]] = p.values[k];
  return j;
}

nlohmann::json optional_json(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json terminal_json(const plan::PlanResult& r) {
  return {{"p5", r.terminal_percentiles[0]}, {"p25", r.terminal_percentiles[1]},
          {"p50", r.terminal_percentiles[2]}, {"p75", r.terminal_percentiles[3]},
          {"p95", r.terminal_percentiles[4]}, {"mean", r.terminal_mean}};
}

nlohmann::json inputs_json(const PlanRequest& q, const plan::PlanInputs& in) {
  nlohmann::json j = {{"balance", in.initial_balance},
                      {"years", in.years},
                      {"steps_per_year", in.steps_per_year},
                      {"retirement_year", in.retirement_year},
                      {"contribution", in.annual_contribution},
                      {"income", in.annual_income},
                      {"allocation", in.allocation},
                      {"withdrawal", optional_json(in.withdrawal_amount)},
                      {"withdrawal_rate", optional_json(in.withdrawal_rate)},
                      {"strategy", std::string(plan::strategy_name(in.strategy))},
                      {"returns", q.returns},
                      {"inflation", in.inflation.mean},
                      {"inflation_sd", in.inflation.sd},
                      {"trials", q.trials},
                      {"seed", q.seed},
                      {"events", in.events.size()}};
  if (in.returns.kind == plan::ReturnModelKind::kBootstrap) {
    j["bootstrap_periods"] = in.returns.history.size();
    j["block_length"] = in.returns.block_length > 0 ? in.returns.block_length
                                                    : (in.steps_per_year == 1 ? 5 : 12);
  }
  return j;
}

plan::SimulationOptions simulation_options(const PlanRequest& q) {
  plan::SimulationOptions o;
  o.trials = q.trials;
  o.seed = q.seed;
  o.target_success = q.target_success;
  return o;
}

nlohmann::json result_json(const plan::PlanResult& r) {
  nlohmann::json j;
  j["success_rate"] = r.success_rate;
  j["success_standard_error"] = r.success_standard_error;
  j["trials"] = r.trials;
  j["failures"] = r.failures;
  j["median_shortfall_year"] = optional_json(r.median_shortfall_year);
  j["safe_withdrawal_rate"] = optional_json(r.safe_withdrawal_rate);
  j["terminal"] = terminal_json(r);
  return j;
}

}  // namespace

plan::ReturnModel parse_return_model(const std::string& spec, int steps_per_year) {
  plan::ReturnModel m;
  if (spec == "bootstrap") {  // history supplied inline by the caller (build_plan_inputs)
    m.kind = plan::ReturnModelKind::kBootstrap;
    return m;
  }
  const auto colon = spec.find(':');
  if (colon == std::string::npos)
    throw Error::invalid_input("--returns \"" + spec + "\": expected " + kReturnForms);
  const std::string kind = spec.substr(0, colon);
  const std::string rest = spec.substr(colon + 1);
  auto need = [&](std::size_t n) {
    auto v = parse_numbers(rest, "--returns " + kind);
    if (v.size() != n)
      throw Error::invalid_input("--returns " + kind + ": expected " + std::to_string(n) +
                                 " numbers, got " + std::to_string(v.size()) + " (" + kReturnForms + ")");
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
    if (rest.empty()) throw Error::invalid_input("--returns bootstrap: expected bootstrap:FILE");
    m.kind = plan::ReturnModelKind::kBootstrap;
    const auto series = io::read_return_series_file(
        rest, steps_per_year == 12 ? io::ReturnFrequency::kMonthly : io::ReturnFrequency::kAnnual);
    m.history = series.returns;
  } else {
    throw Error::invalid_input("--returns: unknown model \"" + kind + "\": expected " + kReturnForms);
  }
  return m;
}

plan::PlanInputs build_plan_inputs(const PlanRequest& q) {
  plan::PlanInputs in;
  std::vector<std::string> problems;
  in.initial_balance = q.balance;
  in.years = q.years;
  in.steps_per_year = q.monthly ? 12 : 1;
  in.retirement_year = q.retirement_year;
  in.annual_contribution = q.contribution;
  in.annual_income = q.income;
  in.allocation = q.allocation;
  in.withdrawal_amount = q.withdrawal;
  in.withdrawal_rate = q.withdrawal_rate;
  const auto strategy = plan::parse_strategy(q.strategy);
  if (!strategy)
    problems.push_back("strategy: unknown strategy \"" + q.strategy +
                       "\": expected constant-dollar, constant-percentage, guyton-klinger, vpw or "
                       "floor-ceiling");
  else
    in.strategy = *strategy;
  in.guyton_klinger = q.guyton_klinger;
  in.floor_ceiling = q.floor_ceiling;
  in.inflation.mean = q.inflation;
  in.inflation.sd = q.inflation_sd;
  try {
    in.returns = parse_return_model(q.returns, in.steps_per_year);
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
          *q.events_file, q.years >= 1 ? std::optional<int>(q.years) : std::nullopt);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidInput) throw;
      problems.push_back(e.what());
      for (const auto& d : e.details()) problems.push_back("  " + d);
    }
  }
  in.events.insert(in.events.end(), q.events.begin(), q.events.end());
  // The engine's own checks, collected with ours into one error.
  try {
    plan::validate(in);
  } catch (const Error& e) {
    for (const auto& d : e.details()) problems.push_back(d);
  }
  if (q.trials < 1 || q.trials > 10'000'000)
    problems.push_back("trials: must be 1..10,000,000, got " + std::to_string(q.trials));
  if (q.target_success && !(*q.target_success > 0 && *q.target_success < 1))
    problems.push_back("target_success: must be in (0, 1)");
  if (!problems.empty()) throw Error::invalid_input("invalid retirement plan", problems);
  return in;
}

nlohmann::json plan_retire(const PlanRequest& q) {
  const auto in = build_plan_inputs(q);
  auto opt = simulation_options(q);
  if (opt.target_success && (in.strategy == plan::Strategy::kVpw ||
                             in.strategy == plan::Strategy::kConstantPercentage))
    throw Error::invalid_input("--target-success: a safe withdrawal rate is defined for "
                               "constant-dollar, guyton-klinger and floor-ceiling only");
  const auto r = plan::simulate_retirement(in, opt);
  nlohmann::json j = result_json(r);
  if (q.target_success) j["target_success"] = *q.target_success;
  j["paths"] = percentile_json(r.balance, 0);
  j["spending"] = percentile_json(r.spending, 1);
  j["shortfalls_by_year"] = r.shortfalls_by_year;
  j["inputs"] = inputs_json(q, in);
  return j;
}

nlohmann::json plan_sensitivity(const PlanRequest& q, const std::string& vary,
                                const std::vector<double>& values) {
  const auto p = plan::parse_sensitivity_parameter(vary);
  if (!p)
    throw Error::invalid_input("--vary \"" + vary + "\": expected withdrawal-rate, withdrawal, "
                               "allocation, retirement-year, balance, years, inflation, "
                               "return-mean or contribution");
  if (values.empty()) throw Error::invalid_input("--values: give at least one value");
  PlanRequest base = q;
  // The varied parameter may be the one that makes the base request complete (e.g. a rate).
  if (*p == plan::SensitivityParameter::kWithdrawalRate) {
    base.withdrawal_rate = values.front();
    base.withdrawal.reset();
  }
  if (*p == plan::SensitivityParameter::kWithdrawal) {
    base.withdrawal = values.front();
    base.withdrawal_rate.reset();
  }
  if (*p == plan::SensitivityParameter::kYears) base.years = static_cast<int>(values.front());
  const auto in = build_plan_inputs(base);
  auto opt = simulation_options(q);
  opt.percentile_paths = true;
  const auto rows = plan::sensitivity(in, opt, *p, values);
  nlohmann::json out;
  out["parameter"] = vary;
  out["values"] = values;
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& row : rows) {
    nlohmann::json j = result_json(row.result);
    j["value"] = row.value;
    const auto& sp = row.result.spending.values;
    if (!sp.empty() && !sp[2].empty()) {
      const auto first = static_cast<std::size_t>(
          std::min(std::max(0, with_parameter(in, *p, row.value).retirement_year),
                   static_cast<int>(sp[2].size()) - 1));
      j["first_year_spending_p50"] = sp[2][first];
    }
    arr.push_back(std::move(j));
  }
  out["rows"] = std::move(arr);
  out["inputs"] = inputs_json(q, in);
  return out;
}

double starting_balance_from_ledger(Store* store, const LedgerSource& source) {
  const auto holdings = ledger_holdings(store, source);
  return holdings.at("totals").at("net_worth").get<double>();
}

PlanRequest plan_request_from_json(const nlohmann::json& body, bool allow_files) {
  PlanRequest q;
  if (!body.is_object()) throw Error::invalid_input("expected a JSON object with the plan's options");
  std::vector<std::string> problems;
  auto field = [&](const char* a, const char* b) -> const nlohmann::json* {
    if (body.contains(a)) return &body[a];
    if (b && body.contains(b)) return &body[b];
    return nullptr;
  };
  auto number = [&](const char* a, const char* b, auto& dst) {
    if (const auto* v = field(a, b)) {
      if (!v->is_number())
        problems.push_back(std::string(a) + ": expected a number");
      else
        dst = v->get<std::remove_reference_t<decltype(dst)>>();
    }
  };
  auto opt_number = [&](const char* a, const char* b, std::optional<double>& dst) {
    if (const auto* v = field(a, b)) {
      if (v->is_null()) return;
      if (!v->is_number())
        problems.push_back(std::string(a) + ": expected a number");
      else
        dst = v->get<double>();
    }
  };
  auto text = [&](const char* a, const char* b, std::string& dst) {
    if (const auto* v = field(a, b)) {
      if (!v->is_string())
        problems.push_back(std::string(a) + ": expected a string");
      else
        dst = v->get<std::string>();
    }
  };
  number("balance", nullptr, q.balance);
  number("years", nullptr, q.years);
  if (const auto* v = field("monthly", nullptr)) {
    if (!v->is_boolean()) problems.push_back("monthly: expected true or false");
    else q.monthly = v->get<bool>();
  }
  number("retirement_year", "retire-in", q.retirement_year);
  number("contribution", nullptr, q.contribution);
  number("income", nullptr, q.income);
  number("allocation", nullptr, q.allocation);
  opt_number("withdrawal", nullptr, q.withdrawal);
  opt_number("withdrawal_rate", "withdrawal-rate", q.withdrawal_rate);
  text("strategy", nullptr, q.strategy);
  text("returns", nullptr, q.returns);
  number("block_length", "block", q.block_length);
  number("inflation", nullptr, q.inflation);
  number("inflation_sd", "inflation-sd", q.inflation_sd);
  number("trials", nullptr, q.trials);
  number("seed", nullptr, q.seed);
  opt_number("target_success", "target-success", q.target_success);
  if (const auto* v = field("events_file", "events-file")) {
    if (!allow_files)
      problems.push_back("events_file: a request may not name server files; send the events inline as \"events\"");
    else if (!v->is_string())
      problems.push_back("events_file: expected a path");
    else
      q.events_file = v->get<std::string>();
  }
  if (!allow_files && q.returns.rfind("bootstrap:", 0) == 0 && q.returns.size() > 10)
    problems.push_back("returns: a request may not name server files; send \"returns\": \"bootstrap\" with "
                       "the periodic returns inline as \"history\"");
  if (const auto* v = field("history", nullptr)) {
    if (!v->is_array()) {
      problems.push_back("history: expected an array of periodic returns (decimals)");
    } else {
      for (std::size_t i = 0; i < v->size(); ++i) {
        if (!(*v)[i].is_number()) {
          problems.push_back("history[" + std::to_string(i) + "]: expected a number");
          break;
        }
        q.history.push_back((*v)[i].get<double>());
      }
    }
  }
  if (const auto* v = field("events", nullptr)) {
    Diagnostics diags;
    q.events = io::read_plan_events_json("<request>", v->dump(), diags);
    for (const auto& e : diags.errors()) problems.push_back(e.to_string());
  }
  if (!problems.empty()) throw Error::invalid_input("invalid plan request", problems);
  return q;
}

}  // namespace keel::service
