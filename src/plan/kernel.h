// Private: the Monte Carlo kernel of the plan engine, one per instruction set (kernel_avx512.cpp,
// kernel_avx2.cpp, kernel_base.cpp; isa.h says why), behind an interface without vector types.
//
// Trials are numbered from 0; the driver pads their count to a multiple of kGroup and hands the
// kernel ranges of whole groups. All kernels compute the same numbers for the same trials, bit
// for bit (tested), so the machine picks the fastest one it can run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "draws.h"
#include "keel/core/rng.h"
#include "keel/plan/simulation.h"
#include "path_plan.h"

namespace keel::plan::detail {

// Trials per group: the unit of work ranges, a multiple of every kernel's vector width.
inline constexpr std::size_t kGroup = 8;

// The life states between chunks of years, structure of arrays: value f of trial t at
// states[f * stride + t], fields in PathState order (balance, cpi, withdrawal, initial_rate,
// first_real, growth_prev, cpi_prev_year, failed_year).
inline constexpr std::size_t kStateFields = 8;
inline constexpr std::size_t kStateBalance = 0;
inline constexpr std::size_t kStateFailedYear = 7;

struct ChunkJob {
  const PathPlan* pp;
  const DrawPlan* dp;
  std::uint64_t seed;
  int y_first, y_last;    // years [y_first, y_last); y_first == 0 starts the lives
  double* states;         // kStateFields x stride values
  std::size_t stride;     // trials padded to a multiple of kGroup
  double* balance_rows;   // (y_last - y_first) x stride year-end balances, or null
  double* spending_rows;  // the same for each year's spending
  // Student-t: each trial's chi-squared stream, carried from one chunk to the next (null for the
  // other models).
  PhiloxStream* chi_streams;
  // The trial stored at index 0 of states and rows (trial t at t - trial0): a shard of trials
  // [trial0, ...) keeps only its own; trials draw from their own streams whatever it is.
  std::size_t trial0 = 0;
};

struct Kernel {
  const char* isa;  // "avx512", "avx2" or "base"
  // Years [job.y_first, job.y_last) of trials [t_first, t_last) (multiples of kGroup).
  void (*run_chunk)(const ChunkJob& job, std::size_t t_first, std::size_t t_last);
  // The normal model's draws of steps [s_first, s_last) (s_first % 4 == 0) for the kGroup trials
  // whose streams are stream0 + l: out[(s - s_first) * kGroup + l] (for tests).
  void (*group_normals)(std::uint64_t seed, std::uint64_t stream0, int s_first, int s_last, double mean,
                        double sd, double* out);
};

// The kernels compiled into this build (null when the compiler or architecture has no such set).
const Kernel* kernel_avx512();
const Kernel* kernel_avx2();
const Kernel* kernel_base();
// The kernels this machine can run, the baseline first, the widest last.
std::vector<const Kernel*> runnable_kernels();
// The fastest kernel this machine can run (the last of runnable_kernels()).
const Kernel& best_kernel();

// keel::plan::simulate_retirement on a given kernel (tests compare the kernels).
PlanResult simulate_retirement(const Kernel& kernel, const PlanInputs& in, const SimulationOptions& opt);

}  // namespace keel::plan::detail
