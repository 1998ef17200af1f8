#include "keel/core/stats.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "keel/core/error.h"

namespace keel {

double quantile_sorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) throw Error::invalid_input("quantile of an empty sample");
  if (!(p >= 0.0 && p <= 1.0)) throw Error::invalid_input("quantile level must be in [0, 1]");
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double quantile(std::span<const double> values, double p) {
  std::vector<double> v(values.begin(), values.end());
  std::sort(v.begin(), v.end());
  return quantile_sorted(v, p);
}

double mean(std::span<const double> values) {
  if (values.empty()) return 0.0;
  double s = 0;
  for (double x : values) s += x;
  return s / static_cast<double>(values.size());
}

double stddev(std::span<const double> values) {
  if (values.size() < 2) return 0.0;
  const double m = mean(values);
  double ss = 0;
  for (double x : values) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(values.size() - 1));
}

}  // namespace keel
