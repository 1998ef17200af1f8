// The 32-bit words of a Philox4x32-10 stream, made in batches, for Monte Carlo kernels that
// draw many numbers per path (risk's Ziggurat normals, the retirement plan's uniforms).
//
// PhiloxWords(seed, stream) hands out exactly the words behind keel::PhiloxStream(seed,
// stream).uniform() (same key and counter layout: key = the seed's two 32-bit halves, counter =
// {block low, block high, stream low, stream high}, four words per block, in order), so a Monte
// Carlo path draws the same numbers either way. The blocks are computed 16 at a time over arrays,
// with AVX2 where the processor has it (four blocks per register, vpmuludq for the 32 x 32 -> 64-bit
// products): integer arithmetic only, so both ways give the same bits. Constants as in
// Random123's philox.h (Salmon et al. 2011). Tests check the identity with PhiloxStream.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "keel/core/rng.h"

namespace keel {

inline constexpr std::size_t kPhiloxBatchBlocks = 16;
inline constexpr std::size_t kPhiloxBatchWords = 4 * kPhiloxBatchBlocks;

// Words 0 .. 63 of blocks first_block .. first_block + 15 of stream `stream` under key (k0, k1).
void philox_word_batch(std::uint32_t k0, std::uint32_t k1, std::uint64_t first_block, std::uint64_t stream,
                       std::uint32_t* out);

class PhiloxWords {
 public:
  PhiloxWords(std::uint64_t seed, std::uint64_t stream)
      : k0_(static_cast<std::uint32_t>(seed)), k1_(static_cast<std::uint32_t>(seed >> 32)), stream_(stream) {}

  // The next word of the stream.
  std::uint32_t next() {
    if (used_ == kPhiloxBatchWords) refill();
    return buf_[used_++];
  }
  // The next word as keel::PhiloxStream::uniform() gives it: on (0, 1).
  double uniform() { return uniform_from_bits(next()); }
  // The words not yet handed out of the current batch (a new batch when none is left):
  // peek()[0 .. available()) are the next words; skip(n) hands out n of them at once.
  const std::uint32_t* peek() {
    if (used_ == kPhiloxBatchWords) refill();
    return buf_.data() + used_;
  }
  std::size_t available() const { return kPhiloxBatchWords - used_; }
  void skip(std::size_t n) { used_ += n; }

 private:
  void refill() {
    philox_word_batch(k0_, k1_, block_, stream_, buf_.data());
    block_ += kPhiloxBatchBlocks;
    used_ = 0;
  }

  std::uint32_t k0_, k1_;
  std::uint64_t stream_;
  std::uint64_t block_ = 0;
  std::size_t used_ = kPhiloxBatchWords;
  alignas(32) std::array<std::uint32_t, kPhiloxBatchWords> buf_;
};

}  // namespace keel
