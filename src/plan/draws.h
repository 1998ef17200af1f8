// Private: the random draws of one trial (periodic portfolio returns and inflation).
//
// Trial t uses keel::PhiloxStream(seed, t + (c << 56)) with component c = 0 for returns, 1 for the
// chi-squared mixing variables of the Student-t model and 2 for stochastic inflation, so a
// trial's numbers depend only on (seed, t) and never on the thread that runs it, and changing
// the inflation model leaves the return draws untouched.
#pragma once

#include <cstdint>
#include <vector>

#include "keel/core/rng.h"
#include "keel/plan/model.h"

namespace keel::plan::detail {

struct DrawPlan {
  ReturnModelKind kind = ReturnModelKind::kNormal;
  int steps = 0;
  // Per-step parameters (annual ones converted: mean (1 + m)^(1/spy) - 1, sd / sqrt(spy)).
  double mean = 0.0, sd = 0.0, df = 0.0, t_scale = 1.0;
  double weight = 0.6, stock_mean = 0.0, stock_sd = 0.0, bond_mean = 0.0, bond_sd = 0.0;
  double rho = 0.0, rho_complement = 1.0;
  const std::vector<double>* history = nullptr;
  int block = 1;
  bool stochastic_inflation = false;
  double inflation_mean = 0.0, inflation_sd = 0.0;
  std::vector<double> fixed_inflation;  // steps values when !stochastic_inflation
};

DrawPlan make_draw_plan(const PlanInputs& in);

// The draws of steps [s_first, s_last) of one trial: returns[s - s_first] and, with stochastic
// inflation, inflation[s - s_first]; returns the pointer to read the range's inflation from (the
// shared fixed series or `inflation`), indexed the same way. Every model addresses its uniforms
// by step, so any range can be drawn on its own with the same numbers as the whole horizon; only
// the Student-t model's chi-squared stream is consumed in sequence: `chi` is the trial's stream
// (component 1) positioned after the steps before s_first, or null to start one (s_first == 0).
// `scratch` holds 2 x (s_last - s_first) doubles.
const double* draw_trial(const DrawPlan& d, std::uint64_t seed, std::uint64_t trial, int s_first, int s_last,
                         PhiloxStream* chi, double* returns, double* inflation, double* scratch);

// The Philox stream of component c (0 returns, 1 chi-squared, 2 inflation) of a trial.
constexpr std::uint64_t stream_id(std::uint64_t trial, std::uint64_t component) {
  return trial + (component << 56);
}

}  // namespace keel::plan::detail
