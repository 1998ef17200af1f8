// The batched Philox words (keel/core/philox_words.h) against
// keel::PhiloxStream: a path must draw the same numbers whichever way its words are made, and on
// machines with and without AVX2.
#include <gtest/gtest.h>

#include <Random123/philox.h>

#include <cstdint>

#include "keel/core/philox_words.h"
#include "keel/core/rng.h"

namespace keel {
namespace {

TEST(PhiloxWords, AreTheWordsOfPhiloxStream) {
  for (const std::uint64_t seed : {std::uint64_t{1}, std::uint64_t{0xDEADBEEF12345678}}) {
    for (const std::uint64_t stream : {std::uint64_t{0}, std::uint64_t{99'999}, (std::uint64_t{1} << 63) | 7}) {
      PhiloxStream ref(seed, stream);
      PhiloxWords words(seed, stream);
      // Several batches, and uniforms read between words as the Ziggurat's rare case does.
      for (int i = 0; i < 1000; ++i) {
        const double u = ref.uniform();
        if (i % 7 == 3) {
          ASSERT_EQ(words.uniform(), u) << "seed " << seed << " stream " << stream << " word " << i;
        } else {
          ASSERT_EQ(uniform_from_bits(words.next()), u) << "seed " << seed << " stream " << stream << " word " << i;
        }
      }
    }
  }
}

TEST(PhiloxWords, BatchCarriesTheBlockCounterPast32Bits) {
  // Blocks 2^32 - 2 .. 2^32 + 13: the counter's high word changes inside the batch. Reference:
  // Random123's Philox4x32-10 of each block.
  const std::uint64_t first = (std::uint64_t{1} << 32) - 2;
  const std::uint64_t stream = (std::uint64_t{3} << 40) | 42;
  std::uint32_t batch[kPhiloxBatchWords];
  philox_word_batch(5, 6, first, stream, batch);
  r123::Philox4x32 gen;
  for (std::size_t b = 0; b < kPhiloxBatchBlocks; ++b) {
    const std::uint64_t block = first + b;
    const r123::Philox4x32::ctr_type ctr = {{static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32),
                                             static_cast<std::uint32_t>(stream),
                                             static_cast<std::uint32_t>(stream >> 32)}};
    const auto r = gen(ctr, {{5, 6}});
    for (std::size_t w = 0; w < 4; ++w) EXPECT_EQ(batch[4 * b + w], r.v[w]) << "block " << b << " word " << w;
  }
}

}  // namespace
}  // namespace keel
