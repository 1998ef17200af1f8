// The batch kernel: the formulas of bsm_kernel.h written branch-free over columns so the compiler
// vectorises them (simd_math.h instead of libm). One body, compiled for three instruction sets
// (baseline x86-64, x86-64-v3 = AVX2+FMA, x86-64-v4 = AVX-512 with 512-bit vectors) and chosen at
// run time. Work per option: three exponentials (e^{-qT}, e^{-rT} and one density: the other
// comes from S e^{-qT} n(d1) = K e^{-rT} n(d2)), one logarithm, two normal CDFs sharing those
// densities, seven divisions. Elements outside the fast path (zero spot or strike, the zero-vol /
// expiry limit, extreme moneyness) are recomputed by the scalar kernel, block by block, only in
// blocks that hold one.
#include "bsm_batch.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>

#include "bsm_kernel.h"
#include "simd_math.h"

namespace keel::options::detail {
namespace {

constexpr double kInvSqrt2PiLocal = 0.39894228040143267794;
// Elements per block: the vector pass and, when a block holds a slow element, its scalar
// fix-up both run while the block's columns are in L1/L2.
constexpr std::size_t kBlock = 512;

// One option; returns 1 when the element is off the fast path (its outputs are then garbage
// that the scalar fix-up overwrites).
template <bool kGreeks>
[[gnu::always_inline]] inline std::uint64_t one(std::size_t i, const BatchIn& in, const BatchOut& out) {
  const double w = in.right[i] == OptionRight::kCall ? 1.0 : -1.0;
  const double s = in.spot[i];
  const double k = in.strike[i];
  const double t = in.years[i];
  const double v = in.vol[i];
  const double r = in.rate[i];
  const double q = in.div[i];
  const double sqrt_t = std::sqrt(t);
  const double sd_raw = v * sqrt_t;
  const double ratio = s / k;
  const double dq = simd::exp(-q * t);
  const double dr = simd::exp(-r * t);
  const double fwd_s_raw = s * dq;
  const double fwd_k_raw = k * dr;
  // The vector path needs a positive total deviation and normal, finite S/K and discounted
  // spot and strike (so the density ratio below is finite); everything else is a limit case.
  // (Bitwise & rather than &&: no short-circuit control flow, which would stop vectorisation.)
  const bool fast = (sd_raw >= kMinStdDev) & (ratio >= DBL_MIN) & (ratio <= DBL_MAX) &
                    (fwd_s_raw >= DBL_MIN) & (fwd_s_raw <= DBL_MAX) & (fwd_k_raw >= DBL_MIN) &
                    (fwd_k_raw <= DBL_MAX);
  // Harmless stand-ins on slow lanes keep every operation finite.
  const double sd = fast ? sd_raw : 1.0;
  const double safe_ratio = fast ? ratio : 1.0;
  const double inv_sd = 1.0 / sd;
  const double d1 = (simd::log(safe_ratio) + (r - q) * t) * inv_sd + 0.5 * sd;
  const double d2 = d1 - sd;
  const double fwd_s = fast ? fwd_s_raw : 1.0;
  const double fwd_k = fast ? fwd_k_raw : 1.0;
  // g_i = e^{-d_i^2/2}. Since fwd_s g1 = fwd_k g2, one exponential of the smaller |d| (the larger,
  // never-underflowing density) gives the other by a ratio <= 1: g2 = g1 fwd_s / fwd_k.
  const bool first = std::abs(d1) <= std::abs(d2);
  const double d_near = first ? d1 : d2;
  const double g_near = simd::exp(-0.5 * d_near * d_near);
  const double g_far = g_near * ((first ? fwd_s : fwd_k) / (first ? fwd_k : fwd_s));
  const double g1 = first ? g_near : g_far;
  const double g2 = first ? g_far : g_near;
  // N(w d): the density factor is the same for d and -d.
  const double n1 = simd::norm_cdf_with(w * d1, g1);
  const double n2 = simd::norm_cdf_with(w * d2, g2);
  double price = w * (fwd_s * n1 - fwd_k * n2);
  price = price > 0.0 ? price : 0.0;
  out.price[i] = price;
  if constexpr (kGreeks) {
    const double pdf = kInvSqrt2PiLocal * g1;
    const double pdf_s = pdf * fwd_s;  // S e^{-qT} n(d1)
    const double rn2 = fwd_k * n2;
    out.delta[i] = w * dq * n1;
    out.gamma[i] = dq * pdf * inv_sd / s;
    out.vega[i] = pdf_s * sqrt_t;
    // sigma / (2 sqrt T) = sigma^2 / (2 sd): no second division.
    out.theta[i] = -pdf_s * (0.5 * v * v * inv_sd) + w * (q * fwd_s * n1 - r * rn2);
    out.rho[i] = w * t * rn2;
  }
  return fast ? 0 : 1;
}

template <bool kGreeks>
[[gnu::always_inline]] inline void body(std::size_t n, const BatchIn& in, const BatchOut& out) {
  for (std::size_t begin = 0; begin < n; begin += kBlock) {
    const std::size_t end = std::min(n, begin + kBlock);
    // The vector pass records which elements it could not value; the fix-up reads those flags
    // (never a recomputed test, which could round differently).
    // (64-bit flags: the same lane width as the doubles, so the loop stays vectorised.)
    std::uint64_t slow_flag[kBlock];
    std::uint64_t slow = 0;
#pragma GCC ivdep
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint64_t f = one<kGreeks>(i, in, out);
      slow_flag[i - begin] = f;
      slow |= f;
    }
    if (slow == 0) continue;
    // Scalar fix-up of the elements off the fast path (rare; exact limits from bsm_kernel.h).
    for (std::size_t i = begin; i < end; ++i) {
      if (slow_flag[i - begin] == 0) continue;
      const double w = sign_of(in.right[i]);
      if constexpr (kGreeks) {
        const Greeks g = bsm_row(w, in.spot[i], in.strike[i], in.years[i], in.vol[i], in.rate[i], in.div[i]);
        out.price[i] = g.price;
        out.delta[i] = g.delta;
        out.gamma[i] = g.gamma;
        out.vega[i] = g.vega;
        out.theta[i] = g.theta;
        out.rho[i] = g.rho;
      } else {
        out.price[i] =
            bsm_price_row(w, in.spot[i], in.strike[i], in.years[i], in.vol[i], in.rate[i], in.div[i]);
      }
    }
  }
}

[[gnu::always_inline]] inline std::size_t count_invalid_body(std::size_t n, const BatchIn& in) {
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool ok =
        (in.spot[i] >= 0.0) & (in.strike[i] >= 0.0) & (in.years[i] >= 0.0) & (in.vol[i] >= 0.0) &
        (std::abs(in.spot[i] + in.strike[i] + in.years[i] + in.vol[i] + in.rate[i] + in.div[i]) <= DBL_MAX);
    bad += ok ? 0 : 1;
  }
  return bad;
}

#define KEEL_BSM_KERNELS(SUFFIX, ATTR)                                               \
  ATTR void greeks_##SUFFIX(std::size_t n, const BatchIn& in, const BatchOut& out) { \
    body<true>(n, in, out);                                                          \
  }                                                                                  \
  ATTR void price_##SUFFIX(std::size_t n, const BatchIn& in, const BatchOut& out) {  \
    body<false>(n, in, out);                                                         \
  }                                                                                  \
  ATTR std::size_t count_invalid_##SUFFIX(std::size_t n, const BatchIn& in) {        \
    return count_invalid_body(n, in);                                                \
  }

KEEL_BSM_KERNELS(baseline, )
KEEL_BSM_KERNELS(avx2, KEEL_TARGET_X86_64_V3)
KEEL_BSM_KERNELS(avx512, KEEL_TARGET_X86_64_V4)
#undef KEEL_BSM_KERNELS

KernelIsa detect() {
  __builtin_cpu_init();
#if defined(__clang__)
  // clang 14 does not know the levels by name here: the features that set them apart.
  const bool v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") &&
                  __builtin_cpu_supports("bmi2");
  const bool v4 = v3 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                  __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
                  __builtin_cpu_supports("avx512vl");
#else
  const bool v4 = __builtin_cpu_supports("x86-64-v4");
  const bool v3 = __builtin_cpu_supports("x86-64-v3");
#endif
  if (v4) return KernelIsa::kAvx512;
  if (v3) return KernelIsa::kAvx2;
  return KernelIsa::kBaseline;
}

}  // namespace

KernelIsa best_kernel_isa() {
  static const KernelIsa isa = detect();
  return isa;
}

const char* kernel_isa_name(KernelIsa isa) {
  switch (isa) {
    case KernelIsa::kAvx512:
      return "x86-64-v4 (AVX-512)";
    case KernelIsa::kAvx2:
      return "x86-64-v3 (AVX2+FMA)";
    case KernelIsa::kBaseline:
      return "x86-64 (SSE2)";
  }
  return "x86-64 (SSE2)";
}

bool kernel_isa_supported(KernelIsa isa) {
  return static_cast<int>(isa) <= static_cast<int>(best_kernel_isa());
}

void bsm_batch_on(KernelIsa isa, std::size_t n, const BatchIn& in, const BatchOut& out) {
  const bool greeks = out.delta != nullptr;
  switch (isa) {
    case KernelIsa::kAvx512:
      return greeks ? greeks_avx512(n, in, out) : price_avx512(n, in, out);
    case KernelIsa::kAvx2:
      return greeks ? greeks_avx2(n, in, out) : price_avx2(n, in, out);
    case KernelIsa::kBaseline:
      return greeks ? greeks_baseline(n, in, out) : price_baseline(n, in, out);
  }
}

void bsm_batch(std::size_t n, const BatchIn& in, const BatchOut& out) {
  bsm_batch_on(best_kernel_isa(), n, in, out);
}

std::size_t count_invalid(std::size_t n, const BatchIn& in) {
  switch (best_kernel_isa()) {
    case KernelIsa::kAvx512:
      return count_invalid_avx512(n, in);
    case KernelIsa::kAvx2:
      return count_invalid_avx2(n, in);
    case KernelIsa::kBaseline:
      break;
  }
  return count_invalid_baseline(n, in);
}

}  // namespace keel::options::detail
