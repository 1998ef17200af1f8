#include "keel/plan/model.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"

namespace keel::plan {

std::optional<Strategy> parse_strategy(std::string_view name) {
  if (name == "constant-dollar") return Strategy::kConstantDollar;
  if (name == "constant-percentage") return Strategy::kConstantPercentage;
  if (name == "guyton-klinger") return Strategy::kGuytonKlinger;
  if (name == "vpw") return Strategy::kVpw;
  if (name == "floor-ceiling" || name == "floor-and-ceiling") return Strategy::kFloorCeiling;
  return std::nullopt;
}

std::string_view strategy_name(Strategy s) {
  switch (s) {
    case Strategy::kConstantDollar: return "constant-dollar";
    case Strategy::kConstantPercentage: return "constant-percentage";
    case Strategy::kGuytonKlinger: return "guyton-klinger";
    case Strategy::kVpw: return "vpw";
    case Strategy::kFloorCeiling: return "floor-ceiling";
  }
  return "unknown";
}

std::optional<EventType> parse_event_type(std::string_view name) {
  if (name == "expense") return EventType::kExpense;
  if (name == "income_change") return EventType::kIncomeChange;
  if (name == "windfall") return EventType::kWindfall;
  if (name == "savings_rate_change") return EventType::kSavingsRateChange;
  return std::nullopt;
}

std::string_view event_type_name(EventType t) {
  switch (t) {
    case EventType::kExpense: return "expense";
    case EventType::kIncomeChange: return "income_change";
    case EventType::kWindfall: return "windfall";
    case EventType::kSavingsRateChange: return "savings_rate_change";
  }
  return "unknown";
}

namespace {

void problem(Diagnostics& d, std::string field, std::string message) {
  Diagnostic x;
  x.field = std::move(field);
  x.message = std::move(message);
  d.error(std::move(x));
}

bool finite(double v) { return std::isfinite(v); }

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

void validate(const PlanInputs& in) {
  Diagnostics d;
  if (!finite(in.initial_balance) || in.initial_balance < 0)
    problem(d, "balance", "must be a number >= 0, got " + num(in.initial_balance));
  if (in.years < 1 || in.years > 200)
    problem(d, "years", fmt::format("the horizon must be 1..200 years, got {}", in.years));
  if (in.steps_per_year != 1 && in.steps_per_year != 12)
    problem(d, "steps_per_year",
            fmt::format("must be 1 (annual) or 12 (monthly), got {}", in.steps_per_year));
  if (in.retirement_year < 0 || (in.years >= 1 && in.retirement_year >= in.years))
    problem(d, "retirement_year",
            fmt::format("must be in 0..{} (years from the start), got {}", in.years - 1, in.retirement_year));
  if (!finite(in.annual_contribution) || in.annual_contribution < 0)
    problem(d, "contribution", "must be a number >= 0");
  if (!finite(in.annual_income) || in.annual_income < 0)
    problem(d, "income", "must be a number >= 0");
  if (!finite(in.allocation) || in.allocation < 0 || in.allocation > 1)
    problem(d, "allocation", "the stock weight must be in [0, 1], got " + num(in.allocation));

  const bool needs_first = in.strategy == Strategy::kConstantDollar ||
                           in.strategy == Strategy::kGuytonKlinger ||
                           in.strategy == Strategy::kFloorCeiling;
  if (in.withdrawal_amount && in.withdrawal_rate)
    problem(d, "withdrawal", "give either a withdrawal amount or a withdrawal rate, not both");
  if (in.withdrawal_amount && (!finite(*in.withdrawal_amount) || *in.withdrawal_amount < 0))
    problem(d, "withdrawal", "must be an amount >= 0, got " + num(*in.withdrawal_amount));
  if (in.withdrawal_rate && (!finite(*in.withdrawal_rate) || *in.withdrawal_rate < 0 ||
                             *in.withdrawal_rate >= 1))
    problem(d, "withdrawal_rate",
            "must be in [0, 1) (a decimal: 0.04 = 4 %), got " + num(*in.withdrawal_rate));
  if (needs_first && !in.withdrawal_amount && !in.withdrawal_rate)
    problem(d, "withdrawal", std::string(strategy_name(in.strategy)) +
                                 " needs a withdrawal amount or a withdrawal rate");
  if ((in.strategy == Strategy::kConstantPercentage || in.strategy == Strategy::kFloorCeiling) &&
      !in.withdrawal_rate)
    problem(d, "withdrawal_rate",
            std::string(strategy_name(in.strategy)) + " needs a withdrawal rate (its percentage)");

  const auto& gk = in.guyton_klinger;
  if (!(gk.upper_threshold >= 0) || !(gk.lower_threshold >= 0 && gk.lower_threshold < 1))
    problem(d, "guyton_klinger", "thresholds must be >= 0 (lower < 1)");
  if (!(gk.cut >= 0 && gk.cut < 1) || !(gk.raise >= 0))
    problem(d, "guyton_klinger", "cut must be in [0, 1) and raise >= 0");
  if (gk.preservation_off_years < 0)
    problem(d, "guyton_klinger.preservation_off_years", "must be >= 0");
  if (!(in.floor_ceiling.floor >= 0 && in.floor_ceiling.floor <= 1) ||
      !(in.floor_ceiling.ceiling >= 0))
    problem(d, "floor_ceiling", "floor must be in [0, 1] and ceiling >= 0");
  if (!(in.vpw.stock_return > -1) || !(in.vpw.bond_return > -1))
    problem(d, "vpw", "growth trends must be > -1");

  const auto& r = in.returns;
  switch (r.kind) {
    case ReturnModelKind::kStudentT:
      if (!(r.df > 2)) problem(d, "returns.df", "degrees of freedom must be > 2, got " + num(r.df));
      [[fallthrough]];
    case ReturnModelKind::kNormal:
      if (!finite(r.mean) || r.mean <= -1) problem(d, "returns.mean", "must be > -1");
      if (!finite(r.sd) || r.sd < 0) problem(d, "returns.sd", "must be >= 0");
      break;
    case ReturnModelKind::kBootstrap:
      if (r.history.size() < 2)
        problem(d, "returns.history", "the bootstrap needs at least 2 historical returns");
      for (std::size_t i = 0; i < r.history.size(); ++i) {
        if (!finite(r.history[i]) || r.history[i] <= -1) {
          problem(d, fmt::format("returns.history[{}]", i), "must be a return > -1");
          break;
        }
      }
      if (r.block_length < 0 ||
          (r.history.size() >= 2 && static_cast<std::size_t>(r.block_length) > r.history.size()))
        problem(d, "returns.block_length", "must be 0 (default) or 1..length of the history");
      break;
    case ReturnModelKind::kStockBondMix:
      if (!finite(r.stock_mean) || r.stock_mean <= -1 || !finite(r.bond_mean) || r.bond_mean <= -1)
        problem(d, "returns.mean", "stock and bond means must be > -1");
      if (!(r.stock_sd >= 0) || !(r.bond_sd >= 0))
        problem(d, "returns.sd", "stock and bond sds must be >= 0");
      if (!(r.correlation >= -1 && r.correlation <= 1))
        problem(d, "returns.correlation", "must be in [-1, 1], got " + num(r.correlation));
      break;
  }
  if (!finite(in.inflation.mean) || in.inflation.mean <= -1)
    problem(d, "inflation", "must be > -1, got " + num(in.inflation.mean));
  if (!(in.inflation.sd >= 0)) problem(d, "inflation_sd", "must be >= 0");

  for (std::size_t i = 0; i < in.events.size(); ++i) {
    const auto& e = in.events[i];
    const std::string f = fmt::format("events[{}]", i);
    if (e.year < 0)
      problem(d, f + ".year", fmt::format("must be >= 0 (years from the start), got {}", e.year));
    else if (e.year >= in.years)
      problem(d, f + ".year",
              fmt::format("{} is after the horizon of {} years (last year is {})", e.year, in.years,
                          in.years - 1));
    if (!finite(e.amount)) problem(d, f + ".amount", "must be a number");
    if ((e.type == EventType::kExpense || e.type == EventType::kWindfall) && e.amount < 0)
      problem(d, f + ".amount", std::string(event_type_name(e.type)) + " amount must be >= 0");
    if (e.type == EventType::kSavingsRateChange) {
      if (!(e.amount >= 0 && e.amount <= 1))
        problem(d, f + ".amount", "a savings rate must be a decimal in [0, 1], got " + num(e.amount));
      if (in.annual_income <= 0)
        problem(d, f + ".type", "savings_rate_change needs an annual income (--income)");
    }
  }
  d.throw_if_errors("invalid retirement plan");
}

}  // namespace keel::plan
