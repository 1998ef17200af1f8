// The horizon P&L distribution as a histogram (keel/risk/pnl_distribution.h).
#include "keel/risk/pnl_distribution.h"

#include <algorithm>
#include <cmath>

#include "keel/core/distributions.h"

namespace keel::risk {

PnlBins equal_bins(double lo, double hi, std::size_t bins) {
  if (!(hi > lo)) {
    const double pad = 0.5 * std::max(1.0, std::abs(lo));
    lo -= pad;
    hi += pad;
  }
  PnlBins h;
  h.edges.resize(bins + 1);
  const double width = (hi - lo) / static_cast<double>(bins);
  for (std::size_t i = 0; i < bins; ++i) h.edges[i] = lo + static_cast<double>(i) * width;
  h.edges[bins] = hi;
  h.counts.assign(bins, 0.0);
  return h;
}

PnlBins scenario_histogram(std::span<const double> ascending_pnl, std::size_t bins) {
  PnlBins h = equal_bins(ascending_pnl.front(), ascending_pnl.back(), bins);
  const double lo = h.edges.front();
  const double width = (h.edges.back() - lo) / static_cast<double>(bins);
  const double last = static_cast<double>(bins - 1);
  for (double x : ascending_pnl) {
    const double k = std::floor((x - lo) / width);
    // Written so that no value (not even a NaN from a broken valuation) reaches an out-of-range cast.
    const std::size_t i = !(k > 0.0) ? 0 : !(k < last) ? bins - 1 : static_cast<std::size_t>(k);
    h.counts[i] += 1.0;
  }
  return h;
}

double cornish_fisher_density(double x, double mean, double sd, double skew) {
  const double y = (x - mean) / sd;
  const double a = skew / 6.0;
  if (std::abs(a) < 1e-12) return normal_pdf(y) / sd;
  const double d = 1.0 + 4.0 * a * (a + y);
  if (!(d > 0.0)) return 0.0;
  const double r = std::sqrt(d);
  const double z1 = 2.0 * (a + y) / (1.0 + r);  // (-1 + r) / (2a) without cancellation
  const double z2 = (-1.0 - r) / (2.0 * a);
  return (normal_pdf(z1) + normal_pdf(z2)) / (sd * r);
}

PnlBins density_histogram(double mean, double sd, double skew, double es, std::size_t total, std::size_t bins) {
  const double lo = std::min(mean - 4.0 * sd, -es - 0.5 * sd);
  const double hi = mean + 4.0 * sd;
  PnlBins h = equal_bins(lo, hi, bins);
  const double width = (h.edges.back() - h.edges.front()) / static_cast<double>(bins);
  for (std::size_t i = 0; i < bins; ++i) {
    const double centre = 0.5 * (h.edges[i] + h.edges[i + 1]);
    h.counts[i] = static_cast<double>(total) * width * cornish_fisher_density(centre, mean, sd, skew);
  }
  return h;
}

}  // namespace keel::risk
