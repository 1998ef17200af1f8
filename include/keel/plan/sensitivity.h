// keel/plan/sensitivity.h: one plan run per value of one input (keel plan sensitivity).
//
// Every run uses the same seed, so the runs share common random numbers and differences come
// from the varied input, not from sampling noise (for parameters that do not change the shape of
// the draws: withdrawal-rate, withdrawal, balance, retirement-year, inflation, contribution).
//
// Thread-safety: pure; may run concurrently.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/plan/simulation.h"

namespace keel::plan {

enum class SensitivityParameter {
  kWithdrawalRate,   // withdrawal_rate (decimal); clears withdrawal_amount
  kWithdrawal,       // withdrawal_amount (today's money per year); clears withdrawal_rate
  kAllocation,       // stock weight (mix returns, VPW)
  kRetirementYear,   // retirement_year (integer years)
  kBalance,          // initial_balance
  kYears,            // horizon (integer years)
  kInflation,        // inflation mean
  kReturnMean,       // mean of the normal / t return model
  kContribution,     // annual_contribution
};

// "withdrawal-rate", "withdrawal", "allocation", "retirement-year", "balance", "years",
// "inflation", "return-mean", "contribution"; nullopt otherwise.
std::optional<SensitivityParameter> parse_sensitivity_parameter(std::string_view name);
std::string_view sensitivity_parameter_name(SensitivityParameter p);

// Returns `inputs` with the parameter set to `value`; throws invalid_input when an integer
// parameter gets a non-integer value.
PlanInputs with_parameter(const PlanInputs& inputs, SensitivityParameter p, double value);

struct SensitivityRow {
  double value = 0.0;
  PlanResult result;
};

// One simulate_retirement per value, in the order given. Throws invalid_input naming the value
// when a run's inputs are invalid.
std::vector<SensitivityRow> sensitivity(const PlanInputs& inputs, const SimulationOptions& options,
                                        SensitivityParameter p, std::span<const double> values);

}  // namespace keel::plan
