// Private: the random draws of one trial (periodic portfolio returns and inflation).
//
// Trial t uses keel::PhiloxStream(seed, t + (c << 56)) with component c = 0 for returns, 1 for the
// chi-squared mixing variables of the Student-t model and 2 for stochastic inflation, so a
// trial's numbers depend only on (seed, t) and never on the thread that runs it, and changing
// the inflation model leaves the return draws untouched.
#pragma once

#include <cstdint>
#include <vector>

#include "fast_normal.h"
#include "keel/plan/model.h"
#include "lanes.h"

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

// Fills returns[0..steps) and, with stochastic inflation, inflation[0..steps); returns the
// pointer to use for inflation (the shared fixed array or `inflation`). `scratch` holds
// 2 x steps doubles.
const double* draw_trial(const DrawPlan& d, std::uint64_t seed, std::uint64_t trial, double* returns,
                         double* inflation, double* scratch);

// The Philox stream of component c (0 returns, 1 chi-squared, 2 inflation) of a trial.
constexpr std::uint64_t stream_id(std::uint64_t trial, std::uint64_t component) {
  return trial + (component << 56);
}

// N(mean, sd) draws of steps [s_first, s_last) of the kLanes trials whose component streams are
// stream0 + l, into out[s - s_first] (lane l = trial l of the group): the same numbers as
// draw_trial's normal model, step s being uniform s of the trial's stream. s_first % 4 == 0.
[[gnu::always_inline]] inline void group_normals(std::uint64_t seed, std::uint64_t stream0, int s_first,
                                                 int s_last, double mean, double sd, VecD* out) {
  const auto k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
  // Two passes (uniforms, then their normals) keep each loop's constants in registers.
  for (int s = s_first; s < s_last; s += 4) {
    VecD u[4];
    philox_lanes(k0, k1, static_cast<std::uint64_t>(s / 4), stream0, u);
    const int words = s_last - s < 4 ? s_last - s : 4;
    for (int w = 0; w < words; ++w) out[s + w - s_first] = u[w];
  }
  normals_in_place(out, s_last - s_first, mean, sd);
}

}  // namespace keel::plan::detail
