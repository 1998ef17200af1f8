#include "keel/core/philox_words.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define KEEL_CORE_PHILOX_AVX2 1
#endif

namespace keel {
namespace {

constexpr std::uint64_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
constexpr std::uint64_t kLow = 0xFFFFFFFFu;

// The rounds over arrays of blocks: 32-bit words held in 64-bit lanes, so that the products are
// whole-lane 32 x 32 -> 64-bit multiplies.
void batch_portable(std::uint32_t k0, std::uint32_t k1, std::uint64_t first_block, std::uint64_t stream,
                    std::uint32_t* out) {
  std::uint64_t c0[kPhiloxBatchBlocks], c1[kPhiloxBatchBlocks], c2[kPhiloxBatchBlocks], c3[kPhiloxBatchBlocks];
  for (std::size_t b = 0; b < kPhiloxBatchBlocks; ++b) {
    const std::uint64_t block = first_block + b;
    c0[b] = block & kLow;
    c1[b] = block >> 32;
    c2[b] = stream & kLow;
    c3[b] = stream >> 32;
  }
  std::uint32_t key0 = k0, key1 = k1;
  for (int round = 0; round < 10; ++round) {
    for (std::size_t b = 0; b < kPhiloxBatchBlocks; ++b) {
      const std::uint64_t p0 = kM0 * c0[b];
      const std::uint64_t p1 = kM1 * c2[b];
      const std::uint64_t n0 = (p1 >> 32) ^ c1[b] ^ key0;
      const std::uint64_t n2 = (p0 >> 32) ^ c3[b] ^ key1;
      c0[b] = n0;
      c1[b] = p1 & kLow;
      c2[b] = n2;
      c3[b] = p0 & kLow;
    }
    key0 += kW0;
    key1 += kW1;
  }
  for (std::size_t b = 0; b < kPhiloxBatchBlocks; ++b) {
    out[4 * b + 0] = static_cast<std::uint32_t>(c0[b]);
    out[4 * b + 1] = static_cast<std::uint32_t>(c1[b]);
    out[4 * b + 2] = static_cast<std::uint32_t>(c2[b]);
    out[4 * b + 3] = static_cast<std::uint32_t>(c3[b]);
  }
}

#ifdef KEEL_CORE_PHILOX_AVX2
// Four blocks per register, one per 64-bit lane; two registers' worth (eight blocks) go through the
// rounds together, so that one set's multiplies run while the other's wait on theirs.
struct Lanes {
  __m256i c0, c1, c2, c3;
};

__attribute__((target("avx2"))) inline Lanes initial_lanes(std::uint64_t b0, std::uint64_t stream) {
  return {_mm256_set_epi64x(static_cast<long long>((b0 + 3) & kLow), static_cast<long long>((b0 + 2) & kLow),
                            static_cast<long long>((b0 + 1) & kLow), static_cast<long long>(b0 & kLow)),
          _mm256_set_epi64x(static_cast<long long>((b0 + 3) >> 32), static_cast<long long>((b0 + 2) >> 32),
                            static_cast<long long>((b0 + 1) >> 32), static_cast<long long>(b0 >> 32)),
          _mm256_set1_epi64x(static_cast<long long>(stream & kLow)),
          _mm256_set1_epi64x(static_cast<long long>(stream >> 32))};
}

__attribute__((target("avx2"))) inline void round_lanes(Lanes& x, __m256i m0, __m256i m1, __m256i low, __m256i kv0,
                                                        __m256i kv1) {
  const __m256i p0 = _mm256_mul_epu32(x.c0, m0);
  const __m256i p1 = _mm256_mul_epu32(x.c2, m1);
  x.c0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), x.c1), kv0);
  x.c1 = _mm256_and_si256(p1, low);
  x.c2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), x.c3), kv1);
  x.c3 = _mm256_and_si256(p0, low);
}

// Lane b of (c0 | c1 << 32) holds words 0, 1 of block b, of (c2 | c3 << 32) words 2, 3; the unpacks
// pair them per block (blocks 0 and 2, 1 and 3) and the permutes put the blocks in order.
__attribute__((target("avx2"))) inline void store_lanes(const Lanes& x, std::uint32_t* out) {
  const __m256i w01 = _mm256_or_si256(x.c0, _mm256_slli_epi64(x.c1, 32));
  const __m256i w23 = _mm256_or_si256(x.c2, _mm256_slli_epi64(x.c3, 32));
  const __m256i even = _mm256_unpacklo_epi64(w01, w23);  // blocks 0 | 2
  const __m256i odd = _mm256_unpackhi_epi64(w01, w23);   // blocks 1 | 3
  auto* dst = reinterpret_cast<__m256i*>(out);
  _mm256_storeu_si256(dst, _mm256_permute2x128_si256(even, odd, 0x20));
  _mm256_storeu_si256(dst + 1, _mm256_permute2x128_si256(even, odd, 0x31));
}

static_assert(kPhiloxBatchBlocks % 8 == 0, "batch_avx2 makes eight blocks at a time");

__attribute__((target("avx2"))) void batch_avx2(std::uint32_t k0, std::uint32_t k1, std::uint64_t first_block,
                                                std::uint64_t stream, std::uint32_t* out) {
  const __m256i m0 = _mm256_set1_epi64x(static_cast<long long>(kM0));
  const __m256i m1 = _mm256_set1_epi64x(static_cast<long long>(kM1));
  const __m256i low = _mm256_set1_epi64x(static_cast<long long>(kLow));
  for (std::size_t g = 0; g < kPhiloxBatchBlocks; g += 8) {
    Lanes a = initial_lanes(first_block + g, stream);
    Lanes b = initial_lanes(first_block + g + 4, stream);
    std::uint32_t key0 = k0, key1 = k1;
    for (int round = 0; round < 10; ++round) {
      const __m256i kv0 = _mm256_set1_epi64x(key0);
      const __m256i kv1 = _mm256_set1_epi64x(key1);
      round_lanes(a, m0, m1, low, kv0, kv1);
      round_lanes(b, m0, m1, low, kv0, kv1);
      key0 += kW0;
      key1 += kW1;
    }
    store_lanes(a, out + 4 * g);
    store_lanes(b, out + 4 * (g + 4));
  }
}
#endif

}  // namespace

void philox_word_batch(std::uint32_t k0, std::uint32_t k1, std::uint64_t first_block, std::uint64_t stream,
                       std::uint32_t* out) {
#ifdef KEEL_CORE_PHILOX_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) {
    batch_avx2(k0, k1, first_block, stream, out);
    return;
  }
#endif
  batch_portable(k0, k1, first_block, stream, out);
}

}  // namespace keel
