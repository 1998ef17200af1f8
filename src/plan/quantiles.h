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
#include <cstdint>
#include <vector>

namespace keel::plan::detail {

// Places v[ranks[a..b)] (ascending ranks, all within [lo, hi)) at their sorted positions.
inline void place_ranks(double* v, std::size_t lo, std::size_t hi, const std::size_t* ranks, std::size_t a,
                        std::size_t b) {
  if (a >= b) return;
  const std::size_t m = a + (b - a) / 2;
  const std::size_t r = ranks[m];
  std::nth_element(v + lo, v + r, v + hi);
  place_ranks(v, lo, r, ranks, a, m);
  place_ranks(v, r + 1, hi, ranks, m + 1, b);
}

// levels_pct ascending, in percent, count <= 16; out gets one value per level. `v` (n >= 1) is
// reordered.
inline void percentiles_in_place(double* v, std::size_t n, const double* levels_pct, std::size_t count,
                                 double* out) {
  constexpr std::size_t kMax = 16;
  std::size_t rank[kMax];
  double frac[kMax];
  std::size_t distinct[kMax] = {};  // (zeroed: GCC 12 cannot see that only written entries are read)
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

// The same percentiles of a large column by counting (a histogram select), without reordering
// `v`: (1) the minimum lo and maximum hi of 256 evenly spaced elements bound a linear grid of
// buckets buckets, with one bucket below lo and one above hi; (2) one pass stores each
// element's bucket and counts elements equal to lo and to hi; (3) a histogram gives the bucket of
// every wanted rank; (4) one more pass copies the elements of those few buckets, and (5) the ranks
// are placed within the copies by selection. Ranks falling on lo or hi themselves (a zero balance
// of failed trials, the equal spending of surviving ones) are resolved from the counts alone.
// Exact: the results are the order statistics, identical to percentiles_in_place. `idx` is
// scratch of n values (32-bit: the bucket pass then vectorises with less packing than 16-bit). Cost: about
// two passes over the column plus the selection within the wanted buckets (~n / buckets elements each for a
// smooth distribution).
[[gnu::always_inline]] inline void percentiles_by_counting(const double* v, std::size_t n,
                                                           const double* levels_pct, std::size_t count,
                                                           double* out, std::uint32_t* idx) {
  // Grid buckets (0 = below lo, buckets + 1 = above hi): about n / 16, from 256 to 2048, so the
  // fixed cost of the histogram stays small next to n.
  std::uint32_t buckets = 256;
  while (buckets < 2048 && buckets * 16 < n) buckets *= 2;
  constexpr std::size_t kSample = 256;
  constexpr std::size_t kMax = 16;
  count = std::min(count, kMax);
  double lo = v[0], hi = v[0];
  for (std::size_t j = 0; j < kSample; ++j) {
    const double x = v[j * (n / kSample)];
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  const double scale = hi > lo ? buckets / (hi - lo) : 0.0;
  std::size_t equal_lo = 0, equal_hi = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = v[i];
    double t = (x - lo) * scale;
    t = t >= 0.0 ? t : 0.0;                      // also NaN -> 0
    t = t <= buckets - 1.0 ? t : buckets - 1.0;  // (buckets - 1.0: an exact double)
    const auto grid = static_cast<std::uint32_t>(1 + static_cast<std::int32_t>(t));
    idx[i] = x < lo ? std::uint32_t{0} : x > hi ? static_cast<std::uint32_t>(buckets + 1) : grid;
    equal_lo += x == lo ? 1 : 0;
    equal_hi += x == hi ? 1 : 0;
  }
  // Four interleaved histograms, so runs of equal buckets do not serialise on one counter.
  const std::size_t width = buckets + 2;
  std::vector<std::uint32_t> hist(4 * width, 0);
  {
    std::uint32_t* h0 = hist.data();
    std::uint32_t* h1 = h0 + width;
    std::uint32_t* h2 = h1 + width;
    std::uint32_t* h3 = h2 + width;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
      ++h0[idx[i]];
      ++h1[idx[i + 1]];
      ++h2[idx[i + 2]];
      ++h3[idx[i + 3]];
    }
    for (; i < n; ++i) ++h0[idx[i]];
  }
  std::vector<std::size_t> first(width + 1, 0);  // first rank of each bucket
  for (std::size_t b = 0; b < width; ++b)
    first[b + 1] = first[b] + hist[b] + hist[width + b] + hist[2 * width + b] + hist[3 * width + b];
  // lo is the smallest value of bucket 1, hi the largest of its bucket (1 when lo == hi).
  const std::size_t hi_bucket = hi > lo ? buckets : 1;

  // Wanted ranks: floor(h) and the next one for interpolation.
  std::size_t rank[kMax];
  double frac[kMax];
  std::size_t want[2 * kMax];
  std::size_t nw = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double h = static_cast<double>(n - 1) * levels_pct[k] / 100.0;
    rank[k] = std::min(static_cast<std::size_t>(std::floor(h)), n - 1);
    frac[k] = h - static_cast<double>(rank[k]);
    want[nw++] = rank[k];
    if (rank[k] + 1 < n) want[nw++] = rank[k] + 1;
  }
  // Resolve each wanted rank: from the equal counts at lo and hi, or mark its bucket for copying.
  double value[2 * kMax];
  bool resolved[2 * kMax];
  std::size_t bucket_of[2 * kMax];
  std::vector<std::int32_t> slot(width, -1);  // bucket -> index of its copy
  std::vector<std::uint16_t> copied;          // buckets to copy, in slot order
  for (std::size_t w = 0; w < nw; ++w) {
    const std::size_t r = want[w];
    const auto b =
        static_cast<std::size_t>(std::upper_bound(first.begin(), first.end(), r) - first.begin() - 1);
    bucket_of[w] = b;
    resolved[w] = false;
    if (b == 1 && r - first[b] < equal_lo) {
      value[w] = lo;
      resolved[w] = true;
    } else if (b == hi_bucket && first[b + 1] - r <= equal_hi) {
      value[w] = hi;
      resolved[w] = true;
    } else if (slot[b] < 0) {
      slot[b] = static_cast<std::int32_t>(copied.size());
      copied.push_back(static_cast<std::uint16_t>(b));
    }
  }
  if (!copied.empty()) {
    std::vector<std::size_t> offset(copied.size() + 1, 0), fill(copied.size());
    for (std::size_t c = 0; c < copied.size(); ++c)
      offset[c + 1] = offset[c] + (first[copied[c] + 1u] - first[copied[c]]);
    std::vector<double> buf(offset.back());
    for (std::size_t c = 0; c < copied.size(); ++c) fill[c] = offset[c];
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t c = slot[idx[i]];
      if (c >= 0) buf[fill[static_cast<std::size_t>(c)]++] = v[i];
    }
    // Per copied bucket, all its wanted ranks placed together (a run of ties can hold several
    // levels and both ranks of each: one selection each over the whole copy would repeat the work).
    for (std::size_t c = 0; c < copied.size(); ++c) {
      const std::size_t b = copied[c];
      std::size_t local[2 * kMax];
      std::size_t nl = 0;
      for (std::size_t w = 0; w < nw; ++w)
        if (!resolved[w] && bucket_of[w] == b) local[nl++] = want[w] - first[b];
      std::sort(local, local + nl);
      nl = static_cast<std::size_t>(std::unique(local, local + nl) - local);
      double* region = buf.data() + offset[c];
      place_ranks(region, 0, offset[c + 1] - offset[c], local, 0, nl);
      for (std::size_t w = 0; w < nw; ++w)
        if (!resolved[w] && bucket_of[w] == b) value[w] = region[want[w] - first[b]];
    }
  }
  std::size_t w = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double a = value[w++];
    double b = a;
    if (rank[k] + 1 < n) b = value[w++];
    out[k] = frac[k] > 0.0 ? a + frac[k] * (b - a) : a;
  }
}

}  // namespace keel::plan::detail
