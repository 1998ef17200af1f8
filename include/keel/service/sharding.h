// keel/service/sharding.h: large Monte Carlo runs computed in shards — contiguous ranges of paths
// (VaR), scenarios (CLO) or trials (retirement plan), each computed by any process from the
// counter-based RNG — and reduced exactly.
//
// A path's (scenario's, trial's) values depend on the inputs, the seed and its index only
// (keel/risk/monte_carlo.h, keel/clo/simulation.h, keel/plan/simulation.h), so a shard's values
// are the bits of the same range of one whole run, whatever process, thread count or retry
// computed them. A CLO or plan shard keeps every value and the reduce computes the percentiles
// from all of them in order; a VaR shard keeps the summary of its paths that the run's result
// needs (risk::PathSummary: exact sums and the lowest values), which its reduce merges. Either
// way the result is bit for bit the single-process result.
//
// Thread-safety: pure functions of their arguments (and the store of `cx`, read once).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "keel/risk/monte_carlo.h"
#include "keel/service/clo.h"
#include "keel/service/context.h"
#include "keel/service/job_steps.h"
#include "keel/service/plan.h"
#include "keel/service/risk.h"

namespace keel::service {

// [0, total) cut into ceil(total / per_shard) contiguous ranges of per_shard items, the last one
// possibly shorter, in order. invalid_input when total < 1 or per_shard < 1. 
std::vector<ShardRange> shard_ranges(std::int64_t total, std::int64_t per_shard);

// Values as bytes (IEEE doubles, little-endian) and back; invalid_input when `bytes` is not a
// whole number of doubles.
std::string values_to_bytes(const std::vector<double>& values);
std::vector<double> values_from_bytes(const std::string& bytes);

// What a VaR shard computed: the summary of its paths (risk::path_summary_to_bytes gives the bytes
// stored with its row), the fingerprint of its inputs and their as-of date.
struct VarShard {
  std::uint64_t fingerprint = 0;
  std::string as_of;
  risk::PathSummary summary;
};

// VaR (the request must ask for Monte Carlo): the inputs of a run loaded as risk_var loads them
// (the book valued, the returns, the covariance factored), kept to compute any number of its
// shards and its reduce: a worker keeps the last one, so consecutive shards of one run, and the
// reduce after them on the same thread, load and factor once.
class VarPathSource {
 public:
  VarPathSource(const Context& cx, const RiskVarRequest& req);
  ~VarPathSource();
  VarPathSource(const VarPathSource&) = delete;
  VarPathSource& operator=(const VarPathSource&) = delete;
  // MonteCarloSimulation::fingerprint of the inputs, and their as-of date.
  std::uint64_t fingerprint() const;
  std::string as_of() const;
  // The summary of paths [range), simulated on every core in pieces (progress after each).
  // invalid_input for a range outside the run's paths.
  VarShard paths(ShardRange range, const ShardProgress& progress = {}) const;
  // risk_var_reduce on these inputs (`req` the request they were loaded for): no second load.
  // Error(conflict) when `fingerprint` is not theirs.
  RiskVarResult reduce(const RiskVarRequest& req, std::uint64_t fingerprint,
                       const std::vector<risk::PathSummary>& parts) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};
// VarPathSource(cx, req).paths(range, progress).
VarShard risk_var_paths(const Context& cx, const RiskVarRequest& req, ShardRange range,
                        const ShardProgress& progress = {});
// risk_var with the Monte Carlo paths given as the summaries of shards that cover them (in any
// order) instead of simulated; Error(conflict) when `fingerprint` (the shards') is not that of the
// inputs seen now (prices of the window changed while the shards ran).
RiskVarResult risk_var_reduce(const Context& cx, const RiskVarRequest& req, std::uint64_t fingerprint,
                              const std::vector<risk::PathSummary>& parts);

// CLO Monte Carlo: the values of scenarios [range) (keel/clo/simulation.h's layout), and the result
// from every scenario's values in order.
ShardValues clo_montecarlo_scenarios(const Context& cx, const CloMonteCarloRequest& req, ShardRange range,
                                     const ShardProgress& progress = {});
CloMonteCarloResult clo_montecarlo_reduce(const Context& cx, const CloMonteCarloRequest& req,
                                          const std::vector<double>& values);
// A clo.montecarlo job ({"options": {...POST /clo/montecarlo body...}}; `steps` its job): computed
// at once, or above `shard_scenarios` scenarios (0: never) split on its first claim into shards of
// scenarios and reduced from every scenario's values on the claim after the last shard, bit for
// bit the same result. run_clo_montecarlo_shard_job computes one shard's scenarios.
nlohmann::json run_clo_montecarlo_job(const Context& cx, JobSteps& steps, const nlohmann::json& request,
                                      std::int64_t shard_scenarios);
nlohmann::json run_clo_montecarlo_shard_job(const Context& cx, JobSteps& steps, const nlohmann::json& request);

// Retirement Monte Carlo: the values of trials [range) (keel/plan/simulation.h's layout; range.first
// a multiple of plan::kTrialAlignment), and the result from every trial's values in order.
ShardValues plan_retire_trials(const Context& cx, const PlanRequest& req, ShardRange range);
PlanRetireResult plan_retire_reduce(const Context& cx, const PlanRequest& req, const std::vector<double>& values);
std::size_t plan_retire_values_per_trial(const Context& cx, const PlanRequest& req);

}  // namespace keel::service
