// Private: the body of the plan kernel (kernel.h), included once by each kernel translation unit
// inside its `#pragma GCC target` region with KEEL_PLAN_ISA, KEEL_PLAN_ISA_NAME and KEEL_PLAN_WIDTH defined
// (isa.h). Everything here is compiled for that instruction set under that set's names; the
// headers it needs from outside (the standard library, draws.h, path_plan.h, kernel.h) are
// included by the translation unit before the region, so they stay baseline code.
#pragma once

#include "fast_normal.h"
#include "lanes.h"
#include "path_kernel.h"

namespace keel::plan::detail {
inline namespace KEEL_PLAN_ISA {
namespace {

static_assert(kGroup % kLanes == 0, "a group holds whole vectors");

// N(mean, sd) draws of steps [s_first, s_last) of the kLanes trials whose component streams are
// stream0 + l, into out[s - s_first]: the same numbers as draw_trial's normal model, step s being
// uniform s of the trial's stream. s_first % 4 == 0.
[[gnu::always_inline]] inline void lane_normals(std::uint64_t seed, std::uint64_t stream0, int s_first,
                                                int s_last, double mean, double sd, VecD* out) {
  const auto k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
  // Two passes (uniforms, then their normals) keep each loop's constants in registers. Four
  // blocks (16 steps) at a time, then block by block.
  int s = s_first;
  for (; s + 16 <= s_last; s += 16)
    philox_lanes<4>(k0, k1, static_cast<std::uint64_t>(s / 4), stream0, out + (s - s_first));
  for (; s < s_last; s += 4) {
    VecD u[4];
    philox_lanes(k0, k1, static_cast<std::uint64_t>(s / 4), stream0, u);
    const int words = s_last - s < 4 ? s_last - s : 4;
    for (int w = 0; w < words; ++w) out[s + w - s_first] = u[w];
  }
  normals_in_place(out, s_last - s_first, mean, sd);
}

// A task's draw buffers: one lane vector per step.
struct Buffers {
  explicit Buffers(std::size_t steps)
      : returns(steps), inflation(steps), r(steps), infl(steps), scratch(2 * steps) {}
  LaneBuffer<VecD> returns, inflation;
  std::vector<double> r, infl, scratch;  // one trial's draws (models drawn trial by trial)
};

// Draws of steps [s_first, s_last) for trials t0 .. t0 + kLanes - 1. The normal model (and
// stochastic inflation with it) is drawn lane-parallel for any range of steps with
// s_first % 4 == 0; the other models are drawn trial by trial over the whole horizon.
[[gnu::always_inline]] inline StepInflation<VecD> lane_draws(const DrawPlan& dp, std::uint64_t seed,
                                                             std::size_t t0, int s_first, int s_last,
                                                             Buffers& buf) {
  StepInflation<VecD> inflation;
  if (dp.stochastic_inflation)
    inflation.drawn = buf.inflation.data();
  else
    inflation.fixed = dp.fixed_inflation.data();
  if (dp.kind == ReturnModelKind::kNormal) {
    lane_normals(seed, stream_id(t0, 0), s_first, s_last, dp.mean, dp.sd, buf.returns.data());
    if (dp.stochastic_inflation)
      lane_normals(seed, stream_id(t0, 2), s_first, s_last, dp.inflation_mean, dp.inflation_sd,
                   buf.inflation.data());
    return inflation;
  }
  for (int l = 0; l < kLanes; ++l) {
    const double* ip = draw_trial(dp, seed, t0 + static_cast<std::size_t>(l), buf.r.data(), buf.infl.data(),
                                  buf.scratch.data());
    for (int s = s_first; s < s_last; ++s) {
      const auto i = static_cast<std::size_t>(s - s_first);
      buf.returns[i][l] = buf.r[static_cast<std::size_t>(s)];
      if (dp.stochastic_inflation) buf.inflation[i][l] = ip[s];
    }
  }
  return inflation;
}

// Balance and spending rows of a chunk of years: row y - y_first holds year y (the balance at its
// end), columns are trials.
struct RowRecorder {
  static constexpr bool kRules = false;
  double* balance;
  double* spending;
  std::size_t stride;
  std::size_t t0 = 0;
  int y_first;
  void year(int y, const VecD& b, const VecD& s) {
    const std::size_t row = static_cast<std::size_t>(y - y_first) * stride + t0;
    store_lanes(balance + row, b);
    store_lanes(spending + row, s);
  }
};

void run_chunk(const ChunkJob& job, std::size_t t_first, std::size_t t_last) {
  const int spy = job.pp->steps_per_year;
  const int s_first = job.y_first * spy, s_last = job.y_last * spy;
  Buffers buf(static_cast<std::size_t>(job.dp->steps));
  RowRecorder rows{job.balance_rows, job.spending_rows, job.stride, 0, job.y_first};
  NullRecorder none;
  for (std::size_t t0 = t_first; t0 < t_last; t0 += kLanes) {
    const auto inflation = lane_draws(*job.dp, job.seed, t0, s_first, s_last, buf);
    PathState<VecD> st;
    if (job.y_first == 0) {
      st = start_state<VecD>(*job.pp);
    } else {
      for_each_field(st, [&](std::size_t f, VecD& v) { std::memcpy(&v, job.states + f * job.stride + t0, sizeof v); });
    }
    rows.t0 = t0;
    if (job.balance_rows)
      run_years(*job.pp, st, job.y_first, job.y_last, buf.returns.data(), inflation, rows);
    else
      run_years(*job.pp, st, job.y_first, job.y_last, buf.returns.data(), inflation, none);
    for_each_field(st, [&](std::size_t f, VecD& v) { std::memcpy(job.states + f * job.stride + t0, &v, sizeof v); });
  }
}

int count_failures(const PathPlan& pp, const DrawPlan& dp, std::uint64_t seed, std::size_t t_first,
                   std::size_t t_last, std::size_t trials) {
  Buffers buf(static_cast<std::size_t>(dp.steps));
  NullRecorder none;
  int failures = 0;
  for (std::size_t t0 = t_first; t0 < t_last; t0 += kLanes) {
    const auto inflation = lane_draws(dp, seed, t0, 0, dp.steps, buf);
    auto st = start_state<VecD>(pp);
    run_years(pp, st, 0, pp.years, buf.returns.data(), inflation, none);
    for (int l = 0; l < kLanes; ++l)
      failures += (t0 + static_cast<std::size_t>(l) < trials && st.failed_year[l] > 0.0) ? 1 : 0;
  }
  return failures;
}

void group_normals(std::uint64_t seed, std::uint64_t stream0, int s_first, int s_last, double mean, double sd,
                   double* out) {
  const auto steps = static_cast<std::size_t>(s_last - s_first);
  LaneBuffer<VecD> v(steps);
  for (std::size_t part = 0; part < kGroup / kLanes; ++part) {
    lane_normals(seed, stream0 + part * kLanes, s_first, s_last, mean, sd, v.data());
    for (std::size_t i = 0; i < steps; ++i)
      for (int l = 0; l < kLanes; ++l) out[i * kGroup + part * kLanes + static_cast<std::size_t>(l)] = v[i][l];
  }
}

}  // namespace

inline constexpr Kernel kKernel{KEEL_PLAN_ISA_NAME, run_chunk, count_failures, group_normals};

}  // namespace KEEL_PLAN_ISA
}  // namespace keel::plan::detail
