// keel/risk/pnl_distribution.h: the horizon P&L distribution a VaR method describes, as a
// histogram — the method's own scenarios counted in equal bins (historical returns, Monte Carlo
// paths), or the parametric model's density at the bins' centres scaled to expected counts.
//
// The parametric model's P&L is X = mean + sd (Z + a (Z^2 - 1)), a = skew / 6, Z ~ N(0, 1): the
// random variable whose quantile function is the (rearranged) Cornish-Fisher expansion, as
// cornish_fisher_tail (keel/risk/var.h) reads its tail; skew 0 is the normal (delta-normal) model.
// Its density at x sums phi(z) / (sd |g'(z)|) over the roots z of g(z) = z + a (z^2 - 1) = y,
// y = (x - mean) / sd: the roots are (-1 -/+ sqrt(d)) / (2a), d = 1 + 4a(a + y), and |g'(z)| =
// sqrt(d) at both (docs/risk.md, "The P&L distribution").
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace keel::risk {

struct PnlBins {
  std::vector<double> edges;   // bins + 1 ascending edges
  std::vector<double> counts;  // per bin [edge i, edge i+1); the last bin includes its upper edge
};

// `bins` equal bins over [lo, hi], counts zero; widened around a single value (lo == hi) so that the
// width is never zero. `bins` >= 1.
PnlBins equal_bins(double lo, double hi, std::size_t bins);

// The scenarios' P&L, ascending and not empty, counted on `bins` equal bins from the lowest to the
// highest. A value that is not a number counts in the first bin (no value makes an index out of range).
PnlBins scenario_histogram(std::span<const double> ascending_pnl, std::size_t bins);

// The density of the model above at `x` (0 outside its support when skew != 0). sd > 0.
double cornish_fisher_density(double x, double mean, double sd, double skew);

// The model's density at the centres of `bins` equal bins over [min(mean - 4 sd, -es - sd / 2),
// mean + 4 sd] (the tail down to the ES, positive = loss, always shown), as expected counts of
// `total` draws: total x width x density.
PnlBins density_histogram(double mean, double sd, double skew, double es, std::size_t total, std::size_t bins);

}  // namespace keel::risk
