// risk_compute.h (internal to src/service): VaR and backtests computed on a book, the steps under
// the one use case of each (keel/service/risk_runs.h: run_var, run_backtest), which every face
// calls. Nothing here resolves a stored portfolio by its reference, checks a permission or keeps
// a result: the use cases do, and the compositions that value a changed book (what-if, the
// report) call these for the figures alone.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "keel/risk/monte_carlo.h"
#include "keel/service/context.h"
#include "keel/service/job_steps.h"
#include "keel/service/risk.h"

namespace keel::service {

// VaR of the request's book: invalid_input for bad options, an empty portfolio, missing prices or
// too little history (naming the symbols); as load_book otherwise. Admitted now (admit_now).
RiskVarResult risk_var(const Context& cx, const RiskVarRequest& request);

// The rolling one-day VaR of the hypothetical P&L of today's book on each past day (full
// revaluation of options), tested by Kupiec, Christoffersen and the Basel traffic light.
// invalid_input when the history is shorter than window + 2 returns; as risk_var otherwise.
RiskBacktestResult risk_backtest(const Context& cx, const RiskBacktestRequest& request);

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


}  // namespace keel::service
