// keel/risk/monte_carlo.h: Monte Carlo VaR in three steps, so that its paths can be computed in
// pieces (shards on several processes) and reduced exactly.
//
// Path p of a run draws its normals from the counter-based stream Philox4x32(seed, p) (and, for
// Student-t, its chi-squared from the stream p | 2^63), so the P&L of a path depends on the inputs,
// the seed and p only: any contiguous range of paths [first, last) computed anywhere gives the
// same bits as the same paths of the whole run. monte_carlo_var (var.h) is exactly
//   MonteCarloSimulation sim(book, returns, options);
//   std::vector<double> pnl(paths); sim.simulate(0, paths, pnl.data());  // in parallel chunks
//   return sim.finish(std::move(pnl));
// and finish() is finish({summarize(pnl)}). A sharded run summarises each shard's paths where they
// are computed (PathSummary: the exact sums of the P&L and of its square, and the lowest values, as
// many as VaR, ES and the error band can reach) and its reduce calls finish() on the summaries. What
// finish() computes from summaries does not depend on how the paths were split: the volatility comes
// from exact sums (keel/core/exact_sum.h), VaR, ES and the band from the run's lowest values, which
// the shards' lowest values contain. So VaR, ES, the volatility and the error band are bit for bit
// those of one process, and a shard of 1,000,000 paths at 99% keeps about 10,000 values, not all.
//
// Thread-safety: a MonteCarloSimulation is immutable after construction; simulate() may be called
// from many threads at once on disjoint ranges. It keeps references to `book`, which must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/exact_sum.h"
#include "keel/risk/var.h"

namespace keel::risk {

// What finish() needs of a set of paths (a shard's, or the whole run's).
struct PathSummary {
  std::size_t count = 0;  // paths summarised
  ExactSum sum;           // of their P&L
  ExactSum sum_squares;   // of its square
  // Their lowest P&L values, ascending (-0 before +0): min(count, tail_size()) of them.
  std::vector<double> lowest;
  // How many values left out of `lowest` equal its last one (they may belong to the ES tail).
  std::size_t ties_left_out = 0;
};

// A summary as bytes (little-endian, for a shard's row) and back; from_bytes throws
// Error(invalid_input) on bytes that are not such a summary.
std::string path_summary_to_bytes(const PathSummary& summary);
PathSummary path_summary_from_bytes(std::string_view bytes);

class MonteCarloSimulation {
 public:
  // Validates the inputs (validate_var_inputs), estimates the covariance and factors it: the work
  // done once per run. Throws as monte_carlo_var does.
  MonteCarloSimulation(const RiskBook& book, const ReturnMatrix& returns, const VarOptions& options);
  ~MonteCarloSimulation();
  MonteCarloSimulation(const MonteCarloSimulation&) = delete;
  MonteCarloSimulation& operator=(const MonteCarloSimulation&) = delete;

  std::size_t paths() const;
  // The P&L of paths [first, last) into out[0 .. last - first), single-threaded. Throws
  // invalid_input when the range is empty or past paths().
  void simulate(std::size_t first, std::size_t last, double* out) const;
  // The same on every core (oneTBB, chunks of options.monte_carlo.chunk_paths): the same bits.
  void simulate_parallel(std::size_t first, std::size_t last, double* out) const;
  // The drivers' returns behind simulate()'s P&L: for each path of [first, last), the k returns
  // (one per column of `returns`) h mu + s A z with the path's own normals z (and Student-t scale
  // s), written path after path into out[0 .. (last - first) k). A pure function of the inputs, the
  // seed and the path, like simulate(): the scenarios of portfolio construction.
  void simulate_returns(std::size_t first, std::size_t last, double* out) const;
  // A 64-bit digest of what the path values depend on (the factor, the means, the book's option
  // rows, horizon, distribution, seed, paths): two simulations with the same fingerprint give the
  // same path values. Lets a reduce check that its shards ran on the inputs it sees.
  std::uint64_t fingerprint() const;
  // How many of the lowest values a summary keeps: through the order statistic just above the
  // upper end of the error band (paths() * (1 - confidence + band) + 2, at most paths()); every
  // value when options.keep_pnl (the result then carries the whole sorted P&L).
  std::size_t tail_size() const;
  // The summary of some of the run's path values (any number, in any order); reorders `pnl`.
  PathSummary summarize(std::span<double> pnl) const;
  // The result from summaries of all paths (any split of them, in any order; counts adding up to
  // paths()): VaR, ES, volatility, the order-statistic error band, the warnings of the
  // factorisation, and pnl (ascending) when options.keep_pnl. Throws invalid_input when the counts
  // do not add up or a summary keeps too few values.
  VarResult finish(std::span<const PathSummary> parts) const;
  // finish({summarize(pnl)}) for every path's P&L (pnl.size() == paths()).
  VarResult finish(std::vector<double> pnl) const;

 private:
  struct Plan;
  // simulate() for a book with currency risk (the P&L has the cross terms r f).
  void simulate_fx(std::size_t first, std::size_t last, double* out) const;
  std::unique_ptr<Plan> plan_;
  const RiskBook& book_;
  VarOptions options_;
};

}  // namespace keel::risk
