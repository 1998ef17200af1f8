#include "draws.h"

#include <algorithm>
#include <cmath>

#include "fast_normal.h"
#include "keel/core/rng.h"
#include "philox_uniforms.h"

namespace keel::plan::detail {

namespace {

double step_mean(double annual, int spy) {
  return spy == 1 ? annual : std::pow(1.0 + annual, 1.0 / spy) - 1.0;
}
double step_sd(double annual, int spy) {
  return annual / std::sqrt(static_cast<double>(spy));
}

// n normal draws N(mean, sd) from the uniforms first .. first + n - 1 of (seed, stream); `u` is
// scratch of n values. Compiled twice (AVX2 and baseline) and picked at run time; both clones do
// the same IEEE operations in the same order (no FMA contraction), so results do not depend on
// the machine.
__attribute__((target_clones("avx2", "default"))) void normal_draws(std::uint64_t seed, std::uint64_t stream,
                                                                    std::uint64_t first, double mean,
                                                                    double sd, double* out, double* u,
                                                                    std::size_t n) {
  fill_uniforms(seed, stream, first, u, n);
  normals_from_uniforms(u, out, n, mean, sd);
}

}  // namespace

DrawPlan make_draw_plan(const PlanInputs& in) {
  DrawPlan d;
  const int spy = in.steps_per_year;
  const auto& r = in.returns;
  d.kind = r.kind;
  d.steps = in.years * spy;
  d.mean = step_mean(r.mean, spy);
  d.sd = step_sd(r.sd, spy);
  d.df = r.df;
  d.t_scale = r.kind == ReturnModelKind::kStudentT ? std::sqrt((r.df - 2.0) / r.df) : 1.0;
  d.weight = in.allocation;
  d.stock_mean = step_mean(r.stock_mean, spy);
  d.stock_sd = step_sd(r.stock_sd, spy);
  d.bond_mean = step_mean(r.bond_mean, spy);
  d.bond_sd = step_sd(r.bond_sd, spy);
  d.rho = r.correlation;
  d.rho_complement = std::sqrt(std::max(0.0, 1.0 - r.correlation * r.correlation));
  d.history = &r.history;
  d.block = r.block_length > 0 ? r.block_length : (spy == 1 ? 5 : 12);
  if (!r.history.empty() && static_cast<std::size_t>(d.block) > r.history.size())
    d.block = static_cast<int>(r.history.size());
  d.stochastic_inflation = in.inflation.sd > 0.0;
  d.inflation_mean = step_mean(in.inflation.mean, spy);
  d.inflation_sd = step_sd(in.inflation.sd, spy);
  if (!d.stochastic_inflation) d.fixed_inflation.assign(d.steps, d.inflation_mean);
  return d;
}

const double* draw_trial(const DrawPlan& d, std::uint64_t seed, std::uint64_t trial, int s_first, int s_last,
                         PhiloxStream* chi, double* returns, double* inflation, double* scratch) {
  const int n = s_last - s_first;
  const auto un = static_cast<std::size_t>(n);
  const auto first = static_cast<std::uint64_t>(s_first);
  switch (d.kind) {
    case ReturnModelKind::kNormal:
      normal_draws(seed, stream_id(trial, 0), first, d.mean, d.sd, returns, scratch, un);
      break;
    case ReturnModelKind::kStudentT: {
      // T = Z / sqrt(V / df): Z from the uniform of the step, V ~ chi-squared(df) from the trial's
      // own stream (a variable number of uniforms per draw); scaled to unit variance.
      fill_uniforms(seed, stream_id(trial, 0), first, returns, un);
      PhiloxStream own(seed, stream_id(trial, 1));
      PhiloxStream& v_stream = chi != nullptr ? *chi : own;
      const double scale = d.sd * d.t_scale;
      for (int i = 0; i < n; ++i) {
        const double z = inverse_normal_cdf(returns[i]);
        const double v = v_stream.chi_squared(d.df);
        returns[i] = d.mean + scale * z / std::sqrt(v / d.df);
      }
      break;
    }
    case ReturnModelKind::kBootstrap: {
      // Circular block bootstrap: block k (steps k x block ..) starts at index floor(u_k x len) of
      // the history, u_k the trial's uniform k, and wraps around the end of the history.
      const auto& h = *d.history;
      const auto len = static_cast<std::int64_t>(h.size());
      const int k_first = s_first / d.block, k_last = (s_last - 1) / d.block;
      fill_uniforms(seed, stream_id(trial, 0), static_cast<std::uint64_t>(k_first), scratch,
                    static_cast<std::size_t>(k_last - k_first + 1));
      for (int s = s_first; s < s_last; ++s) {
        auto start = static_cast<std::int64_t>(scratch[s / d.block - k_first] * static_cast<double>(len));
        if (start >= len) start = len - 1;
        returns[s - s_first] = h[static_cast<std::size_t>((start + s % d.block) % len)];
      }
      break;
    }
    case ReturnModelKind::kStockBondMix:
      // Uniform s drives the stocks of step s, uniform steps + s the independent part of bonds.
      fill_uniforms(seed, stream_id(trial, 0), first, scratch, un);
      fill_uniforms(seed, stream_id(trial, 0), static_cast<std::uint64_t>(d.steps) + first, scratch + un, un);
      for (int i = 0; i < n; ++i) {
        const double z1 = inverse_normal_cdf(scratch[i]);
        const double z2 = inverse_normal_cdf(scratch[n + i]);
        const double stock = d.stock_mean + d.stock_sd * z1;
        const double bond = d.bond_mean + d.bond_sd * (d.rho * z1 + d.rho_complement * z2);
        returns[i] = d.weight * stock + (1.0 - d.weight) * bond;
      }
      break;
  }
  if (!d.stochastic_inflation) return d.fixed_inflation.data() + s_first;
  normal_draws(seed, stream_id(trial, 2), first, d.inflation_mean, d.inflation_sd, inflation, scratch, un);
  return inflation;
}

}  // namespace keel::plan::detail
