// Private: standard normal draws by the Ziggurat method (Marsaglia & Tsang 2000, "The Ziggurat
// Method for Generating Random Variables", J. Statistical Software 5(8); 128 layers), fed by the
// 32-bit words of a Philox stream (PhiloxWords: the words of keel::PhiloxStream, made in batches).
// About three times faster than Box-Muller, and a pure function of the stream, so Monte Carlo
// paths stay reproducible for any thread count.
#pragma once

#include <cstdint>

#include "keel/core/philox_words.h"

namespace keel::risk::detail {

struct ZigguratTables {
  std::uint32_t kn[128];
  double wn[128];
  double fn[128];
};

const ZigguratTables& ziggurat_tables();

// The rare case (about 1.2% of draws): the wedges and the tail. Draws more words of `g`.
double ziggurat_tail(PhiloxWords& g, std::int32_t hz, std::uint32_t iz, const ZigguratTables& t);

// out[0 .. n) = n calls of ziggurat_normal(g, t), the same words for the same values. The common
// case reads the batch's words in place, so the loop keeps its position in a register instead of
// in `g` (which the rare case's call makes the compiler keep in memory).
inline void ziggurat_fill(PhiloxWords& g, const ZigguratTables& t, double* out, std::size_t n) {
  std::size_t j = 0;
  while (j < n) {
    const std::uint32_t* w = g.peek();
    const std::size_t avail = g.available() < n - j ? g.available() : n - j;
    std::size_t i = 0;
    for (; i < avail; ++i) {
      const auto hz = static_cast<std::int32_t>(w[i]);
      const std::uint32_t iz = w[i] & 127u;
      const std::int64_t a = hz < 0 ? -static_cast<std::int64_t>(hz) : hz;
      if (a >= static_cast<std::int64_t>(t.kn[iz])) break;
      out[j + i] = hz * t.wn[iz];
    }
    g.skip(i);
    j += i;
    if (i < avail) {  // word w[i] falls outside the rectangles: the rare case, from that word on
      const auto hz = static_cast<std::int32_t>(g.next());
      out[j++] = ziggurat_tail(g, hz, static_cast<std::uint32_t>(hz) & 127u, t);
    }
  }
}

inline double ziggurat_normal(PhiloxWords& g, const ZigguratTables& t) {
  const auto hz = static_cast<std::int32_t>(g.next());
  const std::uint32_t iz = static_cast<std::uint32_t>(hz) & 127u;
  const std::int64_t a = hz < 0 ? -static_cast<std::int64_t>(hz) : hz;
  if (a < static_cast<std::int64_t>(t.kn[iz])) return hz * t.wn[iz];
  return ziggurat_tail(g, hz, iz, t);
}

}  // namespace keel::risk::detail
