// The batch kernel: the formulas of bsm_kernel.h written branch-free over columns so the compiler
// vectorises them (simd_math.h instead of libm), compiled twice (AVX2+FMA and baseline x86-64)
// and dispatched at load time by GCC's target_clones. Elements outside the fast path (zero spot or
// strike, the zero-vol / expiry limit, extreme moneyness) are recomputed by the scalar kernel.
#include "bsm_batch.h"

#include <cfloat>
#include <cmath>

#include "bsm_kernel.h"
#include "simd_math.h"

namespace keel::options::detail {
namespace {

constexpr double kInvSqrt2PiLocal = 0.39894228040143267794;

// True when the element takes the vectorised path.
inline bool fast_path(double s, double k, double t, double v) {
  const double ratio = s / k;
  return s > 0.0 && k > 0.0 && v * std::sqrt(t) >= kMinStdDev && ratio >= DBL_MIN && ratio <= DBL_MAX;
}

template <bool kGreeks>
[[gnu::always_inline]] inline void one(std::size_t i, const OptionRight* right, const double* spot,
                                       const double* strike, const double* years, const double* vol,
                                       const double* rate, const double* div, const BatchOut& out) {
  const double w = right[i] == OptionRight::kCall ? 1.0 : -1.0;
  const double s = spot[i];
  const double k = strike[i];
  const double t = years[i];
  const double v = vol[i];
  const double r = rate[i];
  const double q = div[i];
  const double sqrt_t = std::sqrt(t);
  // Lanes off the fast path compute garbage here that the scalar fix-up below overwrites;
  // keep them finite-safe by using a harmless standard deviation.
  const double sd_raw = v * sqrt_t;
  const double sd = sd_raw > 0.0 ? sd_raw : 1.0;
  const double ratio = s / k;
  const double safe_ratio = ratio >= DBL_MIN && ratio <= DBL_MAX ? ratio : 1.0;
  const double dq = simd::exp(-q * t);
  const double dr = simd::exp(-r * t);
  const double inv_sd = 1.0 / sd;
  const double d1 = (simd::log(safe_ratio) + (r - q) * t) * inv_sd + 0.5 * sd;
  const double d2 = d1 - sd;
  const double g1 = simd::exp(-0.5 * d1 * d1);
  const double g2 = simd::exp(-0.5 * d2 * d2);
  // N(w d): the density factor is the same for d and -d.
  const double n1 = simd::norm_cdf_with(w * d1, g1);
  const double n2 = simd::norm_cdf_with(w * d2, g2);
  const double fwd_s = s * dq;
  const double fwd_k = k * dr;
  double price = w * (fwd_s * n1 - fwd_k * n2);
  price = price > 0.0 ? price : 0.0;
  out.price[i] = price;
  if constexpr (kGreeks) {
    const double pdf = kInvSqrt2PiLocal * g1;
    out.delta[i] = w * dq * n1;
    out.gamma[i] = dq * pdf * inv_sd / s;
    out.vega[i] = fwd_s * pdf * sqrt_t;
    // sigma / (2 sqrt T) = sigma^2 / (2 sd): no second division.
    out.theta[i] = -fwd_s * pdf * (0.5 * v * v * inv_sd) + w * (q * fwd_s * n1 - r * fwd_k * n2);
    out.rho[i] = w * k * t * dr * n2;
  }
}

template <bool kGreeks>
[[gnu::always_inline]] inline void body(std::size_t n, const OptionRight* right, const double* spot,
                                        const double* strike, const double* years, const double* vol,
                                        const double* rate, const double* div, const BatchOut& out) {
#pragma GCC ivdep
  for (std::size_t i = 0; i < n; ++i) one<kGreeks>(i, right, spot, strike, years, vol, rate, div, out);
  // Scalar fix-up of the elements off the fast path (rare; exact limits from bsm_kernel.h).
  for (std::size_t i = 0; i < n; ++i) {
    if (fast_path(spot[i], strike[i], years[i], vol[i])) continue;
    const double w = sign_of(right[i]);
    if constexpr (kGreeks) {
      const Greeks g = bsm_row(w, spot[i], strike[i], years[i], vol[i], rate[i], div[i]);
      out.price[i] = g.price;
      out.delta[i] = g.delta;
      out.gamma[i] = g.gamma;
      out.vega[i] = g.vega;
      out.theta[i] = g.theta;
      out.rho[i] = g.rho;
    } else {
      out.price[i] = bsm_price_row(w, spot[i], strike[i], years[i], vol[i], rate[i], div[i]);
    }
  }
}

[[gnu::target_clones("arch=x86-64-v3", "default")]] void greeks_kernel(
    std::size_t n, const OptionRight* right, const double* spot, const double* strike,
    const double* years, const double* vol, const double* rate, const double* div, const BatchOut& out) {
  body<true>(n, right, spot, strike, years, vol, rate, div, out);
}

[[gnu::target_clones("arch=x86-64-v3", "default")]] void price_kernel(
    std::size_t n, const OptionRight* right, const double* spot, const double* strike,
    const double* years, const double* vol, const double* rate, const double* div, const BatchOut& out) {
  body<false>(n, right, spot, strike, years, vol, rate, div, out);
}

}  // namespace

void bsm_batch(std::size_t n, const OptionRight* right, const double* spot, const double* strike,
               const double* years, const double* vol, const double* rate, const double* div,
               const BatchOut& out) {
  if (out.delta != nullptr) {
    greeks_kernel(n, right, spot, strike, years, vol, rate, div, out);
  } else {
    price_kernel(n, right, spot, strike, years, vol, rate, div, out);
  }
}

}  // namespace keel::options::detail
