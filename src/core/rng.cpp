#include "keel/core/rng.h"

#include <Random123/philox.h>
#include <cmath>
#include <numbers>

namespace keel {

PhiloxStream::PhiloxStream(std::uint64_t seed, std::uint64_t stream)
    : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
      stream_(stream) {}

void PhiloxStream::refill() {
  r123::Philox4x32 gen;
  r123::Philox4x32::ctr_type ctr = {{static_cast<std::uint32_t>(block_),
                                     static_cast<std::uint32_t>(block_ >> 32),
                                     static_cast<std::uint32_t>(stream_),
                                     static_cast<std::uint32_t>(stream_ >> 32)}};
  r123::Philox4x32::key_type key = {{key_[0], key_[1]}};
  const auto r = gen(ctr, key);
  for (int i = 0; i < 4; ++i) buf_[i] = r.v[i];
  ++block_;
  used_ = 0;
}

double PhiloxStream::uniform() {
  if (used_ == 4) refill();
  return uniform_from_bits(buf_[used_++]);
}

double PhiloxStream::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_normal_;
  }
  const double u1 = uniform();
  const double u2 = uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double theta = 2.0 * std::numbers::pi * u2;
  spare_normal_ = r * std::sin(theta);
  has_spare_ = true;
  return r * std::cos(theta);
}

void PhiloxStream::fill_normal(std::span<double> out) {
  for (double& x : out) x = normal();
}

double PhiloxStream::chi_squared(double df) {
  // Chi-squared(df) = 2 * Gamma(df / 2, 1). Marsaglia & Tsang (2000), boosted for shape < 1.
  double shape = df / 2.0;
  double boost = 1.0;
  if (shape < 1.0) {
    boost = std::pow(uniform(), 1.0 / shape);
    shape += 1.0;
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform();
    if (u < 1.0 - 0.0331 * x * x * x * x ||
        std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) {
      return 2.0 * d * v * boost;
    }
  }
}

}  // namespace keel
