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
// and the reduce of a sharded run concatenates the shards' values in path order and calls
// finish() the same way, so VaR, ES, the volatility and the error band come from every path value,
// bit for bit those of one process.
//
// Thread-safety: a MonteCarloSimulation is immutable after construction; simulate() may be called
// from many threads at once on disjoint ranges. It keeps references to `book`, which must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "keel/risk/var.h"

namespace keel::risk {

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
  // A 64-bit digest of what the path values depend on (the factor, the means, the book's option
  // rows, horizon, distribution, seed, paths): two simulations with the same fingerprint give the
  // same path values. Lets a reduce check that its shards ran on the inputs it sees.
  std::uint64_t fingerprint() const;
  // The result from every path's P&L in path order (pnl.size() == paths()): VaR, ES, volatility,
  // the order-statistic error band, the warnings of the factorisation, and pnl (ascending) when
  // options.keep_pnl. Throws invalid_input when pnl has the wrong size.
  VarResult finish(std::vector<double> pnl) const;

 private:
  struct Plan;
  std::unique_ptr<Plan> plan_;
  const RiskBook& book_;
  VarOptions options_;
};

}  // namespace keel::risk
