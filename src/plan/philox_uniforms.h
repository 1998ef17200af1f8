// Private: a trial's uniforms in bulk, bit-identical to calling keel::PhiloxStream(seed,
// stream).uniform() n times (same Philox4x32-10 key and counter layout: key = seed's two 32-bit
// halves, counter = {block low, block high, stream low, stream high}, four uniforms per block,
// keel::uniform_from_bits of each 32-bit word: k 2^-32, 0 replaced by 2^-33). The rounds are
// written out over arrays of blocks so the compiler can vectorise them across blocks (Salmon et
// al. 2011 give the round function; constants as in Random123's philox.h). Tests check the
// identity with PhiloxStream.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define KEEL_PLAN_PHILOX_AVX2 1
#endif

namespace keel::plan::detail {

inline constexpr std::size_t kPhiloxBatch = 16;  // blocks per batch (64 uniforms)

// Philox4x32-10 of blocks first_block .. first_block + kPhiloxBatch - 1 of one stream, as
// uniforms in out[0 .. 4 kPhiloxBatch).
[[gnu::always_inline]] inline void philox_batch(std::uint32_t k0, std::uint32_t k1, std::uint64_t first_block,
                                                std::uint64_t stream, double* out) {
  constexpr std::uint64_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
  constexpr std::uint64_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
  // 32-bit words held in 64-bit lanes: the products are then 32 x 32 -> 64-bit multiplies of
  // whole lanes, which vectorise (vpmuludq).
  constexpr std::uint64_t kLow = 0xFFFFFFFFu;
  std::uint64_t c0[kPhiloxBatch], c1[kPhiloxBatch], c2[kPhiloxBatch], c3[kPhiloxBatch];
  for (std::size_t b = 0; b < kPhiloxBatch; ++b) {
    const std::uint64_t block = first_block + b;
    c0[b] = block & kLow;
    c1[b] = block >> 32;
    c2[b] = stream & kLow;
    c3[b] = stream >> 32;
  }
  std::uint64_t key0 = k0, key1 = k1;
  for (int round = 0; round < 10; ++round) {
    for (std::size_t b = 0; b < kPhiloxBatch; ++b) {
      const std::uint64_t p0 = kM0 * c0[b];
      const std::uint64_t p1 = kM1 * c2[b];
      const std::uint64_t n0 = (p1 >> 32) ^ c1[b] ^ key0;
      const std::uint64_t n2 = (p0 >> 32) ^ c3[b] ^ key1;
      c0[b] = n0;
      c1[b] = p1 & kLow;
      c2[b] = n2;
      c3[b] = p0 & kLow;
    }
    key0 = (key0 + kW0) & kLow;
    key1 = (key1 + kW1) & kLow;
  }
  // keel::uniform_from_bits: k 2^-32 (exact), 0 replaced by 2^-33.
  constexpr double kScale = 0x1p-32, kHalf = 0x1p-33;
  auto uniform = [](std::uint64_t k) {
    const double u = static_cast<double>(k) * kScale;
    return u > 0.0 ? u : kHalf;
  };
  for (std::size_t b = 0; b < kPhiloxBatch; ++b) {
    out[4 * b + 0] = uniform(c0[b]);
    out[4 * b + 1] = uniform(c1[b]);
    out[4 * b + 2] = uniform(c2[b]);
    out[4 * b + 3] = uniform(c3[b]);
  }
}

#ifdef KEEL_PLAN_PHILOX_AVX2
// The same batch with AVX2: four blocks per register, one block per 64-bit lane (vpmuludq gives
// the 32 x 32 -> 64-bit products). Integer arithmetic and exact conversions only, so the output
// is bit-identical to philox_batch.
__attribute__((target("avx2"))) inline void philox_batch_avx2(std::uint32_t k0, std::uint32_t k1,
                                                              std::uint64_t first_block, std::uint64_t stream,
                                                              double* out) {
  const __m256i m0 = _mm256_set1_epi64x(0xD2511F53);
  const __m256i m1 = _mm256_set1_epi64x(0xCD9E8D57);
  const __m256i low = _mm256_set1_epi64x(0xFFFFFFFF);
  const __m256i magic = _mm256_set1_epi64x(0x4330000000000000LL);  // 2^52 as a double
  const __m256d magic_d = _mm256_set1_pd(4503599627370496.0);
  const __m256d scale = _mm256_set1_pd(0x1p-32);
  const __m256d half = _mm256_set1_pd(0x1p-33);
  for (std::size_t g = 0; g < kPhiloxBatch; g += 4) {
    const std::uint64_t b0 = first_block + g;
    __m256i c0 = _mm256_set_epi64x(
        static_cast<long long>((b0 + 3) & 0xFFFFFFFFu), static_cast<long long>((b0 + 2) & 0xFFFFFFFFu),
        static_cast<long long>((b0 + 1) & 0xFFFFFFFFu), static_cast<long long>(b0 & 0xFFFFFFFFu));
    __m256i c1 =
        _mm256_set_epi64x(static_cast<long long>((b0 + 3) >> 32), static_cast<long long>((b0 + 2) >> 32),
                          static_cast<long long>((b0 + 1) >> 32), static_cast<long long>(b0 >> 32));
    __m256i c2 = _mm256_set1_epi64x(static_cast<long long>(stream & 0xFFFFFFFFu));
    __m256i c3 = _mm256_set1_epi64x(static_cast<long long>(stream >> 32));
    std::uint32_t key0 = k0, key1 = k1;
    for (int round = 0; round < 10; ++round) {
      const __m256i p0 = _mm256_mul_epu32(c0, m0);
      const __m256i p1 = _mm256_mul_epu32(c2, m1);
      const __m256i kv0 = _mm256_set1_epi64x(key0);
      const __m256i kv1 = _mm256_set1_epi64x(key1);
      c0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), c1), kv0);
      c1 = _mm256_and_si256(p1, low);
      c2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), c3), kv1);
      c3 = _mm256_and_si256(p0, low);
      key0 += 0x9E3779B9u;
      key1 += 0xBB67AE85u;
    }
    alignas(32) double w[4][4];
    const __m256i words[4] = {c0, c1, c2, c3};
    for (int k = 0; k < 4; ++k) {
      const __m256d x = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(words[k], magic)), magic_d);
      _mm256_store_pd(w[k], _mm256_max_pd(_mm256_mul_pd(x, scale), half));  // max(k 2^-32, 2^-33)
    }
    for (int b = 0; b < 4; ++b)
      for (int k = 0; k < 4; ++k)
        out[4 * (g + static_cast<std::size_t>(b)) + static_cast<std::size_t>(k)] = w[k][b];
  }
}
#endif

inline void philox_batch_dispatch(std::uint32_t k0, std::uint32_t k1, std::uint64_t first_block,
                                  std::uint64_t stream, double* out) {
#ifdef KEEL_PLAN_PHILOX_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) {
    philox_batch_avx2(k0, k1, first_block, stream, out);
    return;
  }
#endif
  philox_batch(k0, k1, first_block, stream, out);
}

// The uniforms first .. first + n - 1 of (seed, stream) into out (uniform i is word i % 4 of block
// i / 4).
[[gnu::always_inline]] inline void fill_uniforms(std::uint64_t seed, std::uint64_t stream,
                                                 std::uint64_t first, double* out, std::size_t n) {
  const auto k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
  double tmp[4 * kPhiloxBatch];
  std::uint64_t block = first / 4;
  auto skip = static_cast<std::size_t>(first % 4);
  std::size_t i = 0;
  while (i < n) {
    if (skip == 0 && n - i >= 4 * kPhiloxBatch) {
      philox_batch_dispatch(k0, k1, block, stream, out + i);
      i += 4 * kPhiloxBatch;
    } else {
      philox_batch_dispatch(k0, k1, block, stream, tmp);
      for (std::size_t j = skip; i < n && j < 4 * kPhiloxBatch; ++i, ++j) out[i] = tmp[j];
      skip = 0;
    }
    block += kPhiloxBatch;
  }
}

// The first n uniforms of (seed, stream).
[[gnu::always_inline]] inline void fill_uniforms(std::uint64_t seed, std::uint64_t stream, double* out,
                                                 std::size_t n) {
  fill_uniforms(seed, stream, 0, out, n);
}

}  // namespace keel::plan::detail
