// keel/core/stats.h: small descriptive statistics shared by the engines.
//
// Pure functions over spans; thread-safe.
#pragma once

#include <span>

namespace keel {

// Quantile with linear interpolation between order statistics, as numpy.quantile's default
// ("linear", Hyndman & Fan type 7): h = (n-1)p, q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
// `sorted` must be ascending and non-empty; p in [0, 1].
double quantile_sorted(std::span<const double> sorted, double p);
// Same on unsorted data (copies and partially sorts).
double quantile(std::span<const double> values, double p);

double mean(std::span<const double> values);
// Sample standard deviation (n - 1 in the denominator); 0 for fewer than two values.
double stddev(std::span<const double> values);

}  // namespace keel
