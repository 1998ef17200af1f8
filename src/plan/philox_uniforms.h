// Private: a trial's uniforms in bulk, bit-identical to calling keel::PhiloxStream(seed,
// stream).uniform() n times: the stream's words made in batches by keel::philox_word_batch, each
// turned into keel::uniform_from_bits (k 2^-32, 0 replaced by 2^-33). Tests check the identity
// with PhiloxStream.
#pragma once

#include <cstddef>
#include <cstdint>

#include "keel/core/philox_words.h"
#include "keel/core/rng.h"

namespace keel::plan::detail {

// Words 0 .. 63 of blocks first_block .. first_block + 15 as uniforms in out[0 .. 64).
[[gnu::always_inline]] inline void philox_uniform_batch(std::uint32_t k0, std::uint32_t k1,
                                                        std::uint64_t first_block, std::uint64_t stream,
                                                        double* out) {
  alignas(32) std::uint32_t words[kPhiloxBatchWords];
  philox_word_batch(k0, k1, first_block, stream, words);
  for (std::size_t i = 0; i < kPhiloxBatchWords; ++i) out[i] = uniform_from_bits(words[i]);
}

// The uniforms first .. first + n - 1 of (seed, stream) into out (uniform i is word i % 4 of block
// i / 4).
[[gnu::always_inline]] inline void fill_uniforms(std::uint64_t seed, std::uint64_t stream,
                                                 std::uint64_t first, double* out, std::size_t n) {
  const auto k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
  double tmp[kPhiloxBatchWords];
  std::uint64_t block = first / 4;
  auto skip = static_cast<std::size_t>(first % 4);
  std::size_t i = 0;
  while (i < n) {
    if (skip == 0 && n - i >= kPhiloxBatchWords) {
      philox_uniform_batch(k0, k1, block, stream, out + i);
      i += kPhiloxBatchWords;
    } else {
      philox_uniform_batch(k0, k1, block, stream, tmp);
      for (std::size_t j = skip; i < n && j < kPhiloxBatchWords; ++i, ++j) out[i] = tmp[j];
      skip = 0;
    }
    block += kPhiloxBatchBlocks;
  }
}

// The first n uniforms of (seed, stream).
[[gnu::always_inline]] inline void fill_uniforms(std::uint64_t seed, std::uint64_t stream, double* out,
                                                 std::size_t n) {
  fill_uniforms(seed, stream, 0, out, n);
}

}  // namespace keel::plan::detail
