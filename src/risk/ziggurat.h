// Private: standard normal draws by the Ziggurat method (Marsaglia & Tsang 2000, "The Ziggurat
// Method for Generating Random Variables", J. Statistical Software 5(8); 128 layers), fed by the
// 32-bit words of a PhiloxStream. About three times faster than Box-Muller, and a pure function
// of the stream, so Monte Carlo paths stay reproducible for any thread count.
#pragma once

#include <cstdint>

#include "keel/core/rng.h"

namespace keel::risk::detail {

struct ZigguratTables {
  std::uint32_t kn[128];
  double wn[128];
  double fn[128];
};

const ZigguratTables& ziggurat_tables();

// The next 32 random bits of `g`: PhiloxStream::uniform() is (x + 0.5) / 2^32 - 0.5 / 2^32 = x / 2^32
// for the underlying 32-bit word x, exactly representable, so x is recovered without loss.
inline std::uint32_t next_bits(PhiloxStream& g) {
  return static_cast<std::uint32_t>(g.uniform() * 4294967296.0);
}

double ziggurat_tail(PhiloxStream& g, std::int32_t hz, std::uint32_t iz, const ZigguratTables& t);

inline double ziggurat_normal(PhiloxStream& g, const ZigguratTables& t) {
  const auto hz = static_cast<std::int32_t>(next_bits(g));
  const std::uint32_t iz = static_cast<std::uint32_t>(hz) & 127u;
  const std::int64_t a = hz < 0 ? -static_cast<std::int64_t>(hz) : hz;
  if (a < static_cast<std::int64_t>(t.kn[iz])) return hz * t.wn[iz];
  return ziggurat_tail(g, hz, iz, t);
}

}  // namespace keel::risk::detail
