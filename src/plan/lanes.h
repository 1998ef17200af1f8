// Private: lane vectors for the trial-vectorised plan kernel (kLanes trials side by side in
// structure-of-arrays form) and the Philox4x32-10 generator evaluated for kLanes streams at once.
//
// The vectors are GCC vector extensions of the register width of the instruction set the
// translation unit compiles for (isa.h): 8 doubles for AVX-512, 4 for AVX2, 2 for SSE2. Every
// set performs the same IEEE operations in the same order per lane (the module is compiled with
// -ffp-contract=off: no FMA contraction), so results do not depend on which kernel the machine
// runs (tested). Memory that holds VecD values comes from LaneBuffer (64-byte aligned). Lane l of
// a vector is trial t0 + l; the uniforms of a lane are exactly those of
// keel::PhiloxStream(seed, stream of that trial).uniform(), in order (tested).
//
// Helpers are templates over V = double (one lane: scripted paths) or VecD (kLanes lanes), so the
// path kernel is written once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

#include "isa.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

// Vector values are returned only by always-inlined helpers (and passed to them by reference);
// GCC warns about the ABI of returning them from out-of-line functions compiled for different
// targets, which never happens.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace keel::plan::detail {
inline namespace KEEL_PLAN_ISA {

inline constexpr int kLanes = KEEL_PLAN_WIDTH;  // trials per vector: one register of doubles
using VecD = double __attribute__((vector_size(8 * kLanes)));
using VecI = std::int64_t __attribute__((vector_size(8 * kLanes)));  // comparison masks
using VecU = std::uint64_t __attribute__((vector_size(8 * kLanes)));

// An uninitialised array of n trivial values (lane vectors or structs of them) on a 64-byte
// boundary (operator new aligns only to 16, less than an AVX-512 or AVX2 vector).
template <class T>
class LaneBuffer {
 public:
  static constexpr std::align_val_t kAlign{64};
  explicit LaneBuffer(std::size_t n) : data_(static_cast<T*>(::operator new(n * sizeof(T), kAlign))) {}
  ~LaneBuffer() { ::operator delete(data_, kAlign); }
  LaneBuffer(const LaneBuffer&) = delete;
  LaneBuffer& operator=(const LaneBuffer&) = delete;
  T* data() const { return data_; }
  T& operator[](std::size_t i) const { return data_[i]; }

 private:
  T* data_;
};

// The bits of a vector as another vector type of the same size. (Not std::bit_cast: that template
// is defined outside the kernels' target region, so an unoptimised build calls a baseline copy of
// it, which passes AVX vectors by another convention than the kernel expects.)
template <class To, class From>
[[gnu::always_inline]] inline To vec_cast(const From& x) {
  static_assert(sizeof(To) == sizeof(From));
  return __builtin_bit_cast(To, x);
}

[[gnu::always_inline]] inline double sel(bool m, double a, double b) {
  return m ? a : b;
}
// Lane select as bit operations on the comparison mask (all ones or zero per lane). GCC 12 lowers
// the vector form `m ? a : b` of 512-bit vectors partly lane by lane, even for AVX-512; the bit
// form becomes masked moves there.
[[gnu::always_inline]] inline VecD sel(const VecI& m, const VecD& a, const VecD& b) {
  VecI ia, ib;
  std::memcpy(&ia, &a, sizeof a);
  std::memcpy(&ib, &b, sizeof b);
  const VecI r = (m & ia) | (~m & ib);
  VecD out;
  std::memcpy(&out, &r, sizeof out);
  return out;
}
// Lane masks (bool for one lane, all-ones or zero per lane for kLanes): a and b, a and not b.
[[gnu::always_inline]] inline bool mask_and(bool a, bool b) {
  return a && b;
}
[[gnu::always_inline]] inline VecI mask_and(const VecI& a, const VecI& b) {
  return a & b;
}
[[gnu::always_inline]] inline bool mask_and_not(bool a, bool b) {
  return a && !b;
}
[[gnu::always_inline]] inline VecI mask_and_not(const VecI& a, const VecI& b) {
  return a & ~b;
}
// Bit l set when lane l of the mask is set: the sign bits in one instruction with AVX2 and SSE2,
// else a lane-weight AND and a shuffle tree.
[[gnu::always_inline]] inline unsigned lane_bits(const VecI& mask) {
#if KEEL_PLAN_AVX2
  return static_cast<unsigned>(_mm256_movemask_pd(vec_cast<__m256d>(mask)));
#elif defined(__SSE2__) && KEEL_PLAN_WIDTH == 2
  return static_cast<unsigned>(_mm_movemask_pd(vec_cast<__m128d>(mask)));
#elif defined(__clang__)
  // clang has no __builtin_shuffle with a run-time index vector: one lane at a time.
  unsigned bits = 0;
  for (int l = 0; l < kLanes; ++l) bits |= (mask[l] != 0 ? 1u : 0u) << l;
  return bits;
#else
  VecI m = mask;
  VecI weight{};
  for (int l = 0; l < kLanes; ++l) weight[l] = std::int64_t{1} << l;
  m &= weight;
  for (int half = kLanes / 2; half >= 1; half /= 2) {
    VecI swap{};
    for (int l = 0; l < kLanes; ++l) swap[l] = l ^ half;
    m |= __builtin_shuffle(m, swap);
  }
  return static_cast<unsigned>(m[0]);
#endif
}
// The lanes set in each of the 2^kLanes lane masks, in order, and their number.
struct LaneList {
  std::uint8_t lane[kLanes];
  std::uint8_t count;
};
inline constexpr auto kLaneLists = [] {
  struct Table {
    LaneList list[1 << kLanes];
  } t{};
  for (unsigned bits = 0; bits < (1u << kLanes); ++bits) {
    std::uint8_t c = 0;
    for (int l = 0; l < kLanes; ++l)
      if (bits >> l & 1u) t.list[bits].lane[c++] = static_cast<std::uint8_t>(l);
    t.list[bits].count = c;
  }
  return t;
}();

// IEEE bits of each lane and back.
[[gnu::always_inline]] inline std::uint64_t to_bits(double x) {
  std::uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
[[gnu::always_inline]] inline VecU to_bits(const VecD& x) {
  VecU b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
[[gnu::always_inline]] inline double from_bits(std::uint64_t b) {
  double x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}
[[gnu::always_inline]] inline VecD from_bits(const VecU& b) {
  VecD x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}
// Correctly rounded square root of each lane (one vsqrtpd; the module builds with
// -fno-math-errno so the lane loop needs no errno path).
[[gnu::always_inline]] inline double lane_sqrt(double x) {
  return __builtin_sqrt(x);
}
[[gnu::always_inline]] inline VecD lane_sqrt(const VecD& v) {
  VecD x = v;
  for (int l = 0; l < kLanes; ++l) x[l] = __builtin_sqrt(x[l]);
  return x;
}
template <class V>
[[gnu::always_inline]] inline V splat(double x) {
  if constexpr (sizeof(V) == sizeof(double)) {
    return x;
  } else {
    return V{} + x;
  }
}
// std::max(a, b) lane by lane, with the same tie and NaN behaviour.
template <class V>
[[gnu::always_inline]] inline V vmax(const V& a, const V& b) {
  return sel(a < b, b, a);
}

[[gnu::always_inline]] inline void store_lanes(double* p, const VecD& v) {
  std::memcpy(p, &v, sizeof v);
}

// The 32 x 32 -> 64-bit product of the low half of each lane of a with m. GCC does not see that
// the operands fit 32 bits and would multiply 64 x 64 bits (three multiplies and shifts per
// lane); the kernels say pmuludq outright.
[[gnu::always_inline]] inline VecU mul_lo32(const VecU& a, std::uint32_t m) {
  [[maybe_unused]] const VecU mv = VecU{} + std::uint64_t{m};
#if KEEL_PLAN_AVX512
  // (The zero-masking form with every lane kept: GCC 12's _mm512_mul_epu32 starts from an
  // "undefined" vector that -Wmaybe-uninitialized reports.)
  return vec_cast<VecU>(
      _mm512_maskz_mul_epu32(static_cast<__mmask8>(0xFF), vec_cast<__m512i>(a), vec_cast<__m512i>(mv)));
#elif KEEL_PLAN_AVX2
  return vec_cast<VecU>(_mm256_mul_epu32(vec_cast<__m256i>(a), vec_cast<__m256i>(mv)));
#elif defined(__SSE2__) && KEEL_PLAN_WIDTH == 2
  return vec_cast<VecU>(_mm_mul_epu32(vec_cast<__m128i>(a), vec_cast<__m128i>(mv)));
#else
  return (a & 0xFFFFFFFFu) * std::uint64_t{m};
#endif
}

// Uniforms of Philox4x32-10 blocks block .. block + kBlocks - 1 of the streams stream0 + l
// (l < kLanes) under key (k0, k1), as keel::PhiloxStream::uniform() returns them: out[4 b + w]
// holds word w of block + b of every lane (the uniforms 4 (block + b) + w of each stream).
// Counter = {block low, block high, stream low, stream high}; Salmon et al. (2011), constants as in
// Random123's philox.h. Several blocks at once give independent chains to overlap (each round's
// multiply waits on the previous round).
template <int kBlocks = 1>
[[gnu::always_inline]] inline void philox_lanes(std::uint32_t k0, std::uint32_t k1, std::uint64_t block,
                                                std::uint64_t stream0, VecD* out) {
  constexpr std::uint64_t kLow = 0xFFFFFFFFu;
  VecU lane{};
  for (int l = 0; l < kLanes; ++l) lane[l] = static_cast<std::uint64_t>(l);
  const VecU stream = lane + stream0;
  // 32-bit words in 64-bit lanes: a 32 x 32 -> 64-bit product per lane (mul_lo32). Only the low
  // half of a lane is a word; the high halves of c1 and c3 (and so of c0 and c2) carry the
  // products' high halves along, which the multiplies ignore, until the words are taken below.
  VecU c0[kBlocks], c1[kBlocks], c2[kBlocks], c3[kBlocks];
  for (int b = 0; b < kBlocks; ++b) {
    const std::uint64_t at = block + static_cast<std::uint64_t>(b);
    c0[b] = VecU{} + (at & kLow);
    c1[b] = VecU{} + (at >> 32);
    c2[b] = stream & kLow;
    c3[b] = stream >> 32;
  }
  std::uint64_t key0 = k0, key1 = k1;
  for (int round = 0; round < 10; ++round) {
    for (int b = 0; b < kBlocks; ++b) {
      const VecU p0 = mul_lo32(c0[b], 0xD2511F53u);
      const VecU p1 = mul_lo32(c2[b], 0xCD9E8D57u);
      c0[b] = (p1 >> 32) ^ c1[b] ^ key0;
      c1[b] = p1;
      c2[b] = (p0 >> 32) ^ c3[b] ^ key1;
      c3[b] = p0;
    }
    key0 = (key0 + 0x9E3779B9u) & kLow;
    key1 = (key1 + 0xBB67AE85u) & kLow;
  }
  // keel::uniform_from_bits: k 2^-32 (exact; k converted through its bits under the exponent of
  // 2^52, minus 2^52), 0 replaced by 2^-33.
  constexpr double kTwo52 = 4503599627370496.0;
  for (int b = 0; b < kBlocks; ++b) {
    const VecU words[4] = {c0[b], c1[b], c2[b], c3[b]};
    for (int w = 0; w < 4; ++w) {
      const VecU bits = (words[w] & kLow) | std::uint64_t{0x4330000000000000u};
      VecD x;
      std::memcpy(&x, &bits, sizeof x);
      out[4 * b + w] = vmax((x - kTwo52) * 0x1p-32, splat<VecD>(0x1p-33));
    }
  }
}

}  // namespace KEEL_PLAN_ISA
}  // namespace keel::plan::detail
