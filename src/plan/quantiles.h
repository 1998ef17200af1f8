// Private: the report percentiles of a column of trial values, in place.
//
// Same definition as numpy.percentile's default ("linear", Hyndman & Fan type 7) and
// keel::quantile: h = (n - 1) p, q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
// Selection instead of a full sort: the middle wanted rank is placed with nth_element over the
// whole range, then the lower and upper wanted ranks recursively within the two sides (about
// 2.5 n element visits for five percentiles instead of n log n). Afterwards every element between
// two placed ranks lies between their values, so x[floor h + 1] is the minimum of the short run
// up to the next placed rank.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace keel::plan::detail {

// Places v[ranks[a..b)] (ascending ranks, all within [lo, hi)) at their sorted positions.
inline void place_ranks(double* v, std::size_t lo, std::size_t hi, const std::size_t* ranks,
                        std::size_t a, std::size_t b) {
  if (a >= b) return;
  const std::size_t m = a + (b - a) / 2;
  const std::size_t r = ranks[m];
  std::nth_element(v + lo, v + r, v + hi);
  place_ranks(v, lo, r, ranks, a, m);
  place_ranks(v, r + 1, hi, ranks, m + 1, b);
}

// levels_pct ascending, in percent, count <= 16; out gets one value per level. `v` (n >= 1) is
// reordered.
inline void percentiles_in_place(double* v, std::size_t n, const double* levels_pct,
                                 std::size_t count, double* out) {
  constexpr std::size_t kMax = 16;
  std::size_t rank[kMax];
  double frac[kMax];
  std::size_t distinct[kMax];
  std::size_t nd = 0;
  count = std::min(count, kMax);
  for (std::size_t k = 0; k < count; ++k) {
    const double h = static_cast<double>(n - 1) * levels_pct[k] / 100.0;
    rank[k] = std::min(static_cast<std::size_t>(std::floor(h)), n - 1);
    frac[k] = h - static_cast<double>(rank[k]);
    if (nd == 0 || distinct[nd - 1] != rank[k]) distinct[nd++] = rank[k];
  }
  place_ranks(v, 0, n, distinct, 0, nd);
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t i = rank[k];
    const double a = v[i];
    double b = a;
    if (frac[k] > 0.0 && i + 1 < n) {
      // Next placed rank above i (or the end): the run (i, next) holds values in [v[i], v[next]].
      std::size_t next = n;
      for (std::size_t d = 0; d < nd; ++d)
        if (distinct[d] > i) {
          next = distinct[d];
          break;
        }
      b = next < n ? v[next] : v[i + 1];
      for (std::size_t j = i + 1; j < next; ++j) b = std::min(b, v[j]);
    }
    out[k] = a + frac[k] * (b - a);
  }
}

}  // namespace keel::plan::detail
