// keel/core/rng.h: counter-based random numbers (Random123 Philox4x32-10).
//
// A draw is a pure function of (seed, stream, position): stream is usually a Monte Carlo path or
// trial index, so any split of paths across threads or machines yields the same numbers, and
// results never depend on the thread count (Salmon et al., "Parallel random numbers: as easy as
// 1, 2, 3", SC 2011).
//
// Thread-safety: a PhiloxStream is a small value; give each thread (or each path) its own.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace keel {

// The uniform of a 32-bit draw k: k 2^-32, with 0 replaced by 2^-33 so that the value lies in the
// open interval (0, 1) (a logarithm or an inverse distribution function of it is finite).
inline double uniform_from_bits(std::uint32_t k) {
  const double u = static_cast<double>(k) * 0x1p-32;
  return u > 0.0 ? u : 0x1p-33;
}

class PhiloxStream {
 public:
  PhiloxStream(std::uint64_t seed, std::uint64_t stream);

  // Uniform on the open interval (0, 1).
  double uniform();
  // Standard normal (Box-Muller on two uniforms; both values of a pair are used).
  double normal();
  // Fills `out` with standard normals; same values as calling normal() out.size() times.
  void fill_normal(std::span<double> out);
  // Chi-squared with `df` > 0 degrees of freedom: 2 x Gamma(df/2) by Marsaglia-Tsang (2000).
  // Consumes a variable number of draws, so use a separate stream for it in Monte Carlo.
  double chi_squared(double df);

 private:
  void refill();
  std::array<std::uint32_t, 2> key_;
  std::uint64_t stream_;
  std::uint64_t block_ = 0;
  std::array<std::uint32_t, 4> buf_{};
  int used_ = 4;
  double spare_normal_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace keel
