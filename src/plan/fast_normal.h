// Private: standard normal draws from uniforms by inverse transform, fast enough for the plan
// engine's inner loop (one uniform per normal, so a trial's draws are a fixed function of its
// Philox stream position).
//
// Acklam, P. J. (2003), "An algorithm for computing the inverse normal cumulative distribution
// function": rational approximations with relative error below 1.15e-9 over (0, 1). With
// keel::PhiloxStream's 32-bit uniforms the draws are bounded by about +/-6.2 standard deviations.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "isa.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "lanes.h"

namespace keel::plan::detail {
inline namespace KEEL_PLAN_ISA {

namespace acklam {
inline constexpr double a1 = -3.969683028665376e+01, a2 = 2.209460984245205e+02, a3 = -2.759285104469687e+02,
                        a4 = 1.383577518672690e+02, a5 = -3.066479806614716e+01, a6 = 2.506628277459239e+00;
inline constexpr double b1 = -5.447609879822406e+01, b2 = 1.615858368580409e+02, b3 = -1.556989798598866e+02,
                        b4 = 6.680131188771972e+01, b5 = -1.328068155288572e+01;
inline constexpr double c1 = -7.784894002430293e-03, c2 = -3.223964580411365e-01, c3 = -2.400758277161838e+00,
                        c4 = -2.549732539343734e+00, c5 = 4.374664141464968e+00, c6 = 2.938163982698783e+00;
inline constexpr double d1 = 7.784695709041462e-03, d2 = 3.224671290700398e-01, d3 = 2.445134137142996e+00,
                        d4 = 3.754408661907416e+00;
inline constexpr double p_low = 0.02425;

template <class V>
[[gnu::always_inline]] inline V central(const V& p) {
  const V q = p - 0.5;
  const V r = q * q;
  return (((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q /
         (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1.0);
}

// Natural logarithm of a positive normal number, fdlibm's e_log.c (Sun Microsystems 1993) without
// its branches: x = 2^k (1 + f), sqrt(2)/2 <= 1 + f < sqrt(2), s = f / (2 + f),
// log(1 + f) = f - hfsq + s (hfsq + R(s^2)), hfsq = f^2 / 2, R a degree-14 polynomial (Remez);
// error below 1 ulp. Written for one lane or kLanes lanes so that both round identically.
template <class V>
[[gnu::always_inline]] inline V log_positive(const V& x) {
  constexpr double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  constexpr double lg1 = 6.666666666666735130e-01, lg2 = 3.999999999940941908e-01,
                   lg3 = 2.857142874366239149e-01, lg4 = 2.222219843214978396e-01,
                   lg5 = 1.818357216161805012e-01, lg6 = 1.531383769920937332e-01,
                   lg7 = 1.479819860511658591e-01;
  constexpr std::uint64_t kMantissa = 0x000FFFFFFFFFFFFFu, kBit52 = 0x0010000000000000u;
  constexpr std::uint64_t kOneExp = 0x3FF0000000000000u, kMagic = 0x4330000000000000u;
  const auto bits = to_bits(x);
  const auto mant = bits & kMantissa;
  // i = 2^52 when the mantissa is at least ~sqrt(2): then 1 + f is taken in [sqrt(2)/2, 1).
  const auto i = (mant + 0x00095F6400000000u) & kBit52;
  const V xn = from_bits(mant | (i ^ kOneExp));
  // k = biased exponent - 1023 + (i != 0), converted exactly through the 2^52 exponent trick.
  const V k = from_bits(((bits >> 52) + (i >> 52)) | kMagic) - (4503599627370496.0 + 1023.0);
  const V f = xn - 1.0;
  const V s = f / (2.0 + f);
  const V z = s * s;
  const V w = z * z;
  const V t1 = w * (lg2 + w * (lg4 + w * lg6));
  const V t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)));
  const V r = t2 + t1;
  const V hfsq = 0.5 * f * f;
  return k * ln2_hi - ((hfsq - (s * (hfsq + r) + k * ln2_lo)) - f);
}

// The tails: p < p_low (lower) or p > 1 - p_low (upper, with 1 - p, exact there), for any p in
// (0, 1) (a lane outside the tails gets a finite value that the caller discards).
template <class V>
[[gnu::always_inline]] inline V tails(const V& p) {
  const auto upper = p > 1.0 - p_low;
  const V t = sel(upper, 1.0 - p, p);
  const V q = lane_sqrt(-2.0 * log_positive(t));
  const V z = (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) /
              ((((d1 * q + d2) * q + d3) * q + d4) * q + 1.0);
  return sel(upper, -z, z);
}
}  // namespace acklam

inline double inverse_normal_cdf(double p) {
  if (p < acklam::p_low || p > 1.0 - acklam::p_low) return acklam::tails(p);
  return acklam::central(p);
}

// out[i] = mean + sd x inverse_normal_cdf(u[i]), bit-identical to the scalar form: the central
// region is computed for every value in a branch-free loop (vectorisable), then the ~5 % of
// values in the tails are overwritten. `out` and `u` may not alias.
[[gnu::always_inline]] inline void normals_from_uniforms(const double* u, double* out, std::size_t n,
                                                         double mean, double sd) {
  for (std::size_t i = 0; i < n; ++i) out[i] = mean + sd * acklam::central(u[i]);
  for (std::size_t i = 0; i < n; ++i) {
    if (u[i] < acklam::p_low || u[i] > 1.0 - acklam::p_low) out[i] = mean + sd * acklam::tails(u[i]);
  }
}

// v[i] = mean + sd x inverse_normal_cdf(v[i]) for n lane vectors of uniforms, bit-identical to
// the scalar form lane by lane. The tail values (about 5 %) are packed into whole vectors, the
// tail formula runs only over those, the central rational over every vector, and the tail
// results are put back in their lanes. (Evaluating the tail formula for every vector that has one
// lane in the tails costs three times as much, and a branch on it is mispredicted a third of the
// time.) With AVX-512 the packing and unpacking are the compress and expand instructions; other
// sets list the tail lanes of the vectors that have any, from a table of lane masks.
[[gnu::always_inline]] inline void normals_in_place(VecD* v, int n, double mean, double sd) {
  constexpr int kBlock = 64;  // vectors per block
  VecD tail[kBlock + 1];
  using Flat = double __attribute__((may_alias));
  Flat* packed = reinterpret_cast<Flat*>(tail);
  for (int first = 0; first < n; first += kBlock) {
    const int count = n - first < kBlock ? n - first : kBlock;
    VecD* block = v + first;
#if KEEL_PLAN_AVX512
    auto tail_mask = [](const VecD& u) {
      const auto x = reinterpret_cast<__m512d>(u);
      return static_cast<__mmask8>(_mm512_cmp_pd_mask(x, _mm512_set1_pd(acklam::p_low), _CMP_LT_OQ) |
                                   _mm512_cmp_pd_mask(x, _mm512_set1_pd(1.0 - acklam::p_low), _CMP_GT_OQ));
    };
    int m = 0;
    for (int i = 0; i < count; ++i) {
      const __mmask8 k = tail_mask(block[i]);
      _mm512_storeu_pd(packed + m, _mm512_maskz_compress_pd(k, reinterpret_cast<__m512d>(block[i])));
      m += __builtin_popcount(k);
    }
    for (int k = m; k % kLanes != 0; ++k) packed[k] = 0.5;
    const int tail_vectors = (m + kLanes - 1) / kLanes;
    for (int i = 0; i < tail_vectors; ++i) tail[i] = mean + sd * acklam::tails(tail[i]);
    int at = 0;
    for (int i = 0; i < count; ++i) {
      const __mmask8 k = tail_mask(block[i]);
      const VecD c = mean + sd * acklam::central(block[i]);
      block[i] = reinterpret_cast<VecD>(
          _mm512_mask_expand_pd(reinterpret_cast<__m512d>(c), k, _mm512_loadu_pd(packed + at)));
      at += __builtin_popcount(k);
    }
#else
    // The vectors with a tail lane and their lane masks (branch-free appends), then their lanes.
    std::uint8_t vec_index[kBlock], vec_bits[kBlock];
    int with_tails = 0;
    for (int i = 0; i < count; ++i) {
      const VecD u = block[i];
      const unsigned bits = lane_bits(u < acklam::p_low) | lane_bits(u > 1.0 - acklam::p_low);
      vec_index[with_tails] = static_cast<std::uint8_t>(i);
      vec_bits[with_tails] = static_cast<std::uint8_t>(bits);
      with_tails += bits != 0 ? 1 : 0;
    }
    // Element access through a may_alias double view (subscripting a vector in memory would
    // reload and store the whole vector).
    Flat* flat = reinterpret_cast<Flat*>(block);
    std::uint16_t where[kBlock * kLanes + kLanes];
    int m = 0;
    for (int j = 0; j < with_tails; ++j) {
      const LaneList& list = kLaneLists.list[vec_bits[j]];
      for (int l = 0; l < kLanes; ++l)
        where[m + l] = static_cast<std::uint16_t>(vec_index[j] * kLanes + list.lane[l]);
      m += list.count;
    }
    for (int k = 0; k < m; ++k) packed[k] = flat[where[k]];
    for (int k = m; k % kLanes != 0; ++k) packed[k] = 0.5;
    for (int i = 0; i < count; ++i) block[i] = mean + sd * acklam::central(block[i]);
    const int tail_vectors = (m + kLanes - 1) / kLanes;
    for (int i = 0; i < tail_vectors; ++i) tail[i] = mean + sd * acklam::tails(tail[i]);
    for (int k = 0; k < m; ++k) flat[where[k]] = packed[k];
#endif
  }
}

}  // namespace KEEL_PLAN_ISA
}  // namespace keel::plan::detail
