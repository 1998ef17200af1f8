// Private: standard normal draws by the Ziggurat method (Marsaglia & Tsang 2000, "The Ziggurat
// Method for Generating Random Variables", J. Statistical Software 5(8); 128 layers), fed by the
// 32-bit words of a Philox stream (PhiloxWords: the words of keel::PhiloxStream, made in batches).
// About three times faster than Box-Muller, and a pure function of the stream, so Monte Carlo
// paths stay reproducible for any thread count.
#pragma once

#include <cstdint>

#include "philox_words.h"

namespace keel::risk::detail {

struct ZigguratTables {
  std::uint32_t kn[128];
  double wn[128];
  double fn[128];
};

const ZigguratTables& ziggurat_tables();

// The rare case (about 1.2% of draws): the wedges and the tail. Draws more words of `g`.
double ziggurat_tail(PhiloxWords& g, std::int32_t hz, std::uint32_t iz, const ZigguratTables& t);

inline double ziggurat_normal(PhiloxWords& g, const ZigguratTables& t) {
  const auto hz = static_cast<std::int32_t>(g.next());
  const std::uint32_t iz = static_cast<std::uint32_t>(hz) & 127u;
  const std::int64_t a = hz < 0 ? -static_cast<std::int64_t>(hz) : hz;
  if (a < static_cast<std::int64_t>(t.kn[iz])) return hz * t.wn[iz];
  return ziggurat_tail(g, hz, iz, t);
}

}  // namespace keel::risk::detail
