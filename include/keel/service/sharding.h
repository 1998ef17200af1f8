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

#include "keel/service/clo.h"
#include "keel/service/context.h"
#include "keel/service/job_steps.h"
#include "keel/service/plan.h"

namespace keel::service {

// [0, total) cut into ceil(total / per_shard) contiguous ranges of per_shard items, the last one
// possibly shorter, in order. invalid_input when total < 1 or per_shard < 1. 
std::vector<ShardRange> shard_ranges(std::int64_t total, std::int64_t per_shard);

// Values as bytes (IEEE doubles, little-endian) and back; invalid_input when `bytes` is not a
// whole number of doubles.
std::string values_to_bytes(const std::vector<double>& values);
std::vector<double> values_from_bytes(const std::string& bytes);

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
