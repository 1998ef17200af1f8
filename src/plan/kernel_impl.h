// Private: the body of the plan kernel (kernel.h), included once by each kernel translation unit
// inside its target region (KEEL_PLAN_TARGET_PUSH) with KEEL_PLAN_ISA, KEEL_PLAN_ISA_NAME, KEEL_PLAN_WIDTH
// and KEEL_PLAN_INTERLEAVE defined (isa.h). Everything here is compiled for that instruction set
// under that set's names; the headers it needs from outside (the standard library, draws.h,
// path_plan.h, kernel.h) are included by the translation unit before the region, so they stay
// baseline code.
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

// Vectors of trials stepped side by side (path_kernel.h's run_years): 2 with AVX-512 and AVX2
// (the path step's chain is ~15 cycles; 100,000 x 480 steps 63 -> 54 ms; 4 runs out of
// registers and is slower again).
constexpr int kInterleave = KEEL_PLAN_INTERLEAVE;

// A task's draw buffers: one lane vector per step of the range for each of the kInterleave
// vectors, and (models drawn trial by trial) one trial's draws of the range.
struct Buffers {
  Buffers(const DrawPlan& dp, int s_first, int s_last)
      : steps(static_cast<std::size_t>(s_last - s_first)),
        returns(kInterleave * steps),
        inflation(kInterleave * steps),
        r(dp.kind == ReturnModelKind::kNormal ? 0 : steps),
        infl(r.size()),
        scratch(2 * r.size()) {}
  std::size_t steps;
  LaneBuffer<VecD> returns, inflation;
  std::vector<double> r, infl, scratch;  // one trial's draws (models drawn trial by trial)
};

// Draws of steps [s_first, s_last) (s_first % 4 == 0) for trials t0 .. t0 + kLanes - 1 into the
// buffers of vector n. The normal model (and stochastic inflation with it) is drawn lane-parallel;
// the other models trial by trial (draw_trial), the Student-t chi-squared streams continuing from
// `chi` (indexed by trial; null: fresh streams, s_first == 0).
[[gnu::always_inline]] inline StepInflation<VecD> lane_draws(const DrawPlan& dp, std::uint64_t seed,
                                                             std::size_t t0, int s_first, int s_last,
                                                             PhiloxStream* chi, Buffers& buf, int n,
                                                             const VecD*& returns) {
  VecD* ret = buf.returns.data() + static_cast<std::size_t>(n) * buf.steps;
  VecD* inf = buf.inflation.data() + static_cast<std::size_t>(n) * buf.steps;
  returns = ret;
  StepInflation<VecD> inflation;
  if (dp.stochastic_inflation)
    inflation.drawn = inf;
  else
    inflation.fixed = dp.fixed_inflation.data();
  if (dp.kind == ReturnModelKind::kNormal) {
    lane_normals(seed, stream_id(t0, 0), s_first, s_last, dp.mean, dp.sd, ret);
    if (dp.stochastic_inflation)
      lane_normals(seed, stream_id(t0, 2), s_first, s_last, dp.inflation_mean, dp.inflation_sd, inf);
    return inflation;
  }
  const auto steps = static_cast<std::size_t>(s_last - s_first);
  for (int l = 0; l < kLanes; ++l) {
    const std::size_t t = t0 + static_cast<std::size_t>(l);
    const double* ip = draw_trial(dp, seed, t, s_first, s_last, chi != nullptr ? chi + t : nullptr,
                                  buf.r.data(), buf.infl.data(), buf.scratch.data());
    for (std::size_t i = 0; i < steps; ++i) {
      ret[i][l] = buf.r[i];
      if (dp.stochastic_inflation) inf[i][l] = ip[i];
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
  std::size_t t0;  // the column of the first lane (the trial's index less ChunkJob::trial0)
  int y_first;
  void year(int y, const VecD& b, const VecD& s) {
    const std::size_t row = static_cast<std::size_t>(y - y_first) * stride + t0;
    store_lanes(balance + row, b);
    store_lanes(spending + row, s);
  }
};

// Runs `step(t0, n)` over trials [t_first, t_last) by kInterleave vectors at a time (n of them;
// fewer at the end).
template <class Step>
[[gnu::always_inline]] inline void for_each_vectors(std::size_t t_first, std::size_t t_last, Step&& step) {
  std::size_t t0 = t_first;
  for (; t0 + kInterleave * kLanes <= t_last; t0 += kInterleave * kLanes)
    step(t0, std::integral_constant<int, kInterleave>{});
  for (; t0 < t_last; t0 += kLanes) step(t0, std::integral_constant<int, 1>{});
}

void run_chunk(const ChunkJob& job, std::size_t t_first, std::size_t t_last) {
  const int spy = job.pp->steps_per_year;
  const int s_first = job.y_first * spy, s_last = job.y_last * spy;
  Buffers buf(*job.dp, s_first, s_last);
  for_each_vectors(t_first, t_last, [&](std::size_t t_first_vector, auto count) {
    constexpr int kN = decltype(count)::value;
    PathState<VecD> st[kN];
    StepInflation<VecD> inflation[kN];
    const VecD* returns[kN];
    RowRecorder rows[kN];
    NullRecorder none[kN];
    for (int n = 0; n < kN; ++n) {
      const std::size_t t0 = t_first_vector + static_cast<std::size_t>(n) * kLanes;
      inflation[n] = lane_draws(*job.dp, job.seed, t0, s_first, s_last, job.chi_streams, buf, n, returns[n]);
      if (job.y_first == 0) {
        st[n] = start_state<VecD>(*job.pp);
      } else {
        for_each_field(st[n], [&](std::size_t f, VecD& v) {
          std::memcpy(&v, job.states + f * job.stride + (t0 - job.trial0), sizeof v);
        });
      }
      rows[n] = RowRecorder{job.balance_rows, job.spending_rows, job.stride, t0 - job.trial0, job.y_first};
    }
    if (job.balance_rows)
      run_years<kN>(*job.pp, st, job.y_first, job.y_last, returns, inflation, rows);
    else
      run_years<kN>(*job.pp, st, job.y_first, job.y_last, returns, inflation, none);
    for (int n = 0; n < kN; ++n) {
      const std::size_t t0 = t_first_vector + static_cast<std::size_t>(n) * kLanes;
      for_each_field(st[n], [&](std::size_t f, VecD& v) {
        std::memcpy(job.states + f * job.stride + (t0 - job.trial0), &v, sizeof v);
      });
    }
  });
}

void group_normals(std::uint64_t seed, std::uint64_t stream0, int s_first, int s_last, double mean, double sd,
                   double* out) {
  const auto steps = static_cast<std::size_t>(s_last - s_first);
  LaneBuffer<VecD> v(steps);
  for (std::size_t part = 0; part < kGroup / kLanes; ++part) {
    lane_normals(seed, stream0 + part * kLanes, s_first, s_last, mean, sd, v.data());
    for (std::size_t i = 0; i < steps; ++i)
      for (int l = 0; l < kLanes; ++l)
        out[i * kGroup + part * kLanes + static_cast<std::size_t>(l)] = v[i][l];
  }
}

}  // namespace

inline constexpr Kernel kKernel{KEEL_PLAN_ISA_NAME, run_chunk, group_normals};

}  // namespace KEEL_PLAN_ISA
}  // namespace keel::plan::detail
