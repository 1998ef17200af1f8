#include "keel/plan/sensitivity.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "keel/core/error.h"

namespace keel::plan {

namespace {

struct Name {
  SensitivityParameter p;
  std::string_view name;
};
constexpr Name kNames[] = {
    {SensitivityParameter::kWithdrawalRate, "withdrawal-rate"},
    {SensitivityParameter::kWithdrawal, "withdrawal"},
    {SensitivityParameter::kAllocation, "allocation"},
    {SensitivityParameter::kRetirementYear, "retirement-year"},
    {SensitivityParameter::kBalance, "balance"},
    {SensitivityParameter::kYears, "years"},
    {SensitivityParameter::kInflation, "inflation"},
    {SensitivityParameter::kReturnMean, "return-mean"},
    {SensitivityParameter::kContribution, "contribution"},
};

std::string value_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

int as_int(SensitivityParameter p, double v) {
  if (!std::isfinite(v) || v != std::floor(v) || std::fabs(v) > 1e6)
    throw Error::invalid_input(std::string(sensitivity_parameter_name(p)) +
                               " takes whole numbers of years, got " + value_text(v));
  return static_cast<int>(v);
}

}  // namespace

std::optional<SensitivityParameter> parse_sensitivity_parameter(std::string_view name) {
  for (const auto& n : kNames)
    if (n.name == name) return n.p;
  return std::nullopt;
}

std::string_view sensitivity_parameter_name(SensitivityParameter p) {
  for (const auto& n : kNames)
    if (n.p == p) return n.name;
  return "unknown";
}

PlanInputs with_parameter(const PlanInputs& inputs, SensitivityParameter p, double value) {
  PlanInputs in = inputs;
  switch (p) {
    case SensitivityParameter::kWithdrawalRate:
      in.withdrawal_rate = value;
      in.withdrawal_amount.reset();
      break;
    case SensitivityParameter::kWithdrawal:
      in.withdrawal_amount = value;
      in.withdrawal_rate.reset();
      break;
    case SensitivityParameter::kAllocation: in.allocation = value; break;
    case SensitivityParameter::kRetirementYear: in.retirement_year = as_int(p, value); break;
    case SensitivityParameter::kBalance: in.initial_balance = value; break;
    case SensitivityParameter::kYears: in.years = as_int(p, value); break;
    case SensitivityParameter::kInflation: in.inflation.mean = value; break;
    case SensitivityParameter::kReturnMean: in.returns.mean = value; break;
    case SensitivityParameter::kContribution: in.annual_contribution = value; break;
  }
  return in;
}

std::vector<SensitivityRow> sensitivity(const PlanInputs& inputs, const SimulationOptions& options,
                                        SensitivityParameter p, std::span<const double> values) {
  if (values.empty()) throw Error::invalid_input("sensitivity: give at least one value");
  std::vector<SensitivityRow> rows;
  rows.reserve(values.size());
  for (double v : values) {
    const PlanInputs in = with_parameter(inputs, p, v);
    try {
      rows.push_back({v, simulate_retirement(in, options)});
    } catch (const Error& e) {
      // A value the plan refuses is named; a stop (cancelled, a deadline) or a failure is not the
      // value's fault and goes on as it is.
      if (e.code() != ErrorCode::kInvalidInput) throw;
      throw Error::invalid_input(std::string(sensitivity_parameter_name(p)) + " = " + value_text(v) +
                                     ": " + e.what(),
                                 e.details());
    }
  }
  return rows;
}

}  // namespace keel::plan
