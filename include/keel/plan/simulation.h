// keel/plan/simulation.h: Monte Carlo retirement simulation (keel plan retire).
//
// simulate_retirement runs `trials` independent lives of a plan: each trial draws its returns and
// inflation from keel::PhiloxStream keyed by (seed, trial), so results are identical for any
// thread count (oneTBB splits trials across cores). The timing within a year is documented in
// docs/planning.md: at the start of each step the step's cash flows are paid (contribution,
// income, withdrawal, one-off events), then the balance grows by the step's return; decisions of
// the withdrawal strategy are taken once a year, and a monthly plan pays a twelfth of the
// year's amount each month.
//
// Success: a trial succeeds when every cash flow of every step of the horizon is paid in full,
// i.e. the balance never has to go below zero. The success rate is the share of such trials.
//
// Thread-safety: all functions are pure; they may run concurrently on shared const inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "keel/plan/model.h"

namespace keel::plan {

struct SimulationOptions {
  int trials = 10000;            // 1 .. 10,000,000
  std::uint64_t seed = 1;        // Philox key; same seed -> same result
  bool percentile_paths = true;  // compute yearly percentile paths of balance and spending
  // Year-end balances (and as many spending values) kept at once for the percentile paths, in
  // trial-years: the horizon is simulated in chunks of years that fit (8 bytes each; balance and
  // spending, each double-buffered). Results do not depend on it. Default 2^19 (4 x 4 MiB).
  std::size_t path_cells = std::size_t{1} << 19;
  // When set (in (0, 1)), also solve the safe withdrawal rate for this target success rate.
  std::optional<double> target_success;
};

// The five reported percentile levels, in percent.
inline constexpr double kPercentileLevels[5] = {5.0, 25.0, 50.0, 75.0, 95.0};

struct PercentilePaths {
  // values[k][t] is the kPercentileLevels[k] percentile across trials at point t.
  std::vector<std::vector<double>> values;
};

struct PlanResult {
  int trials = 0;
  int failures = 0;
  double success_rate = 0.0;            // share of trials that never ran out
  double success_standard_error = 0.0;  // sqrt(p (1 - p) / trials)
  // Median (numpy linear) of the 1-based year in which failing trials ran out; nullopt when no
  // trial failed.
  std::optional<double> median_shortfall_year;
  // Terminal (end of horizon) nominal balance: percentiles 5/25/50/75/95 and mean.
  double terminal_percentiles[5] = {0, 0, 0, 0, 0};
  double terminal_mean = 0.0;
  // Nominal balance at the end of each year: years + 1 points, point 0 = the starting balance.
  PercentilePaths balance;
  // Nominal spending (strategy withdrawals actually paid) in each year: `years` points.
  PercentilePaths spending;
  // Yearly count of trials that ran out in that year (1-based year t at index t - 1).
  std::vector<int> shortfalls_by_year;
  // Safe withdrawal rate for options.target_success (see solve_safe_withdrawal_rate).
  std::optional<double> safe_withdrawal_rate;
};

// Runs the Monte Carlo simulation. Throws keel::Error(invalid_input) for invalid inputs or
// options (see validate). Cost: O(trials x steps) draws plus O(trials x years) for percentiles.
PlanResult simulate_retirement(const PlanInputs& inputs, const SimulationOptions& options);

// A run in pieces (shards of trials on several processes): trial t draws from Philox streams keyed
// by the seed and numbered by t, so trials [first, last) computed anywhere are the bits of the same
// trials of one whole run, and reduce_trials computes every statistic from every trial's values
// with the whole run's code: simulate_retirement's result, bit for bit (the safe withdrawal rate,
// when asked for, is solved by the reduce itself on whole runs).
//
// The values of one trial, trial_value_count doubles: the year it ran out (0: never), its final
// balance, then with options.percentile_paths its balance at each year end and its spending in
// each year.
inline constexpr int kTrialAlignment = 8;  // a shard's first trial is a multiple of this
std::size_t trial_value_count(const PlanInputs& inputs, const SimulationOptions& options);
// Trials [first, last), trial by trial, on every core. Throws invalid_input as simulate_retirement
// does, or for a range outside [0, trials) or a first trial not a multiple of kTrialAlignment.
std::vector<double> simulate_trials(const PlanInputs& inputs, const SimulationOptions& options, int first, int last);
// The result from the values of every trial in order (trials x trial_value_count).
PlanResult reduce_trials(const PlanInputs& inputs, const SimulationOptions& options, const std::vector<double>& values);

// Largest withdrawal rate (first withdrawal / balance at retirement) whose success rate is at
// least `target_success`, solved by bisection to 1e-6 on common random numbers (every candidate
// rate sees the same draws for the same seed, so success is a step function of the rate).
// Uses inputs.strategy (withdrawal_amount is ignored: the rate defines the first withdrawal).
// Throws invalid_input for VPW and constant-percentage (their success does not depend on a first
// withdrawal rate) and for a target outside (0, 1). Returns 0 when even a 0 % rate fails (events).
double solve_safe_withdrawal_rate(const PlanInputs& inputs, int trials, std::uint64_t seed,
                                  double target_success);

// One life on a given path: `returns` and `inflation` hold one periodic value per step
// (years x steps_per_year, decimals). Used for historical sequences and scripted tests.
struct PathResult {
  bool failed = false;
  int shortfall_year = 0;        // 1-based year of the shortfall; 0 when not failed
  std::vector<double> balance;   // years + 1 points, nominal
  std::vector<double> spending;  // years points, nominal withdrawals paid
  std::vector<int> gk_cuts;      // Guyton-Klinger: years in which each rule fired
  std::vector<int> gk_raises;    // (prosperity raises)
  std::vector<int> gk_frozen;    // (inflation raise skipped by the withdrawal rule)
};
PathResult simulate_path(const PlanInputs& inputs, std::span<const double> returns,
                         std::span<const double> inflation);

// Excel PMT(rate, n, -1, 0, 1) for a present value of 1, payments at the start of each period:
// rate / (1 - (1 + rate)^-n) / (1 + rate); 1 / n when rate == 0. n >= 1.
double pmt_due(double rate, int n);
// Bogleheads VPW percentage for `remaining_years` with stock weight `allocation`:
// pmt_due(allocation x stock_return + (1 - allocation) x bond_return, remaining_years).
double vpw_percentage(const VpwRates& rates, double allocation, int remaining_years);

}  // namespace keel::plan
