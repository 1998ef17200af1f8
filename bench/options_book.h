// bench/options_book.h: the deterministic benchmark book shared by keel's options benchmarks.
// bench/peers/options_quantlib_peer.cpp and options_numpy_peer.py build the same book with the
// same formulas (a 64-bit LCG, so every language reproduces it exactly).
#pragma once

#include <cstdint>
#include <vector>

#include "keel/options/black_scholes.h"

namespace keel::options::bench {

// Knuth's MMIX LCG; u in [0, 1) from the top 53 bits.
class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : x_(seed) {}
  double next() {
    x_ = x_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(x_ >> 11) * (1.0 / 9007199254740992.0);
  }

 private:
  std::uint64_t x_;
};

struct Book {
  explicit Book(std::size_t n) {
    Lcg rng(42);
    for (std::size_t i = 0; i < n; ++i) {
      right.push_back(rng.next() < 0.5 ? OptionRight::kCall : OptionRight::kPut);
      spot.push_back(50.0 + 100.0 * rng.next());
      strike.push_back(100.0);
      days.push_back(1 + static_cast<int>(729.0 * rng.next()));  // 1 day .. 2 years
      years.push_back(days.back() / 365.0);
      vol.push_back(0.10 + 0.50 * rng.next());
      rate.push_back(0.05 * rng.next());
      div.push_back(0.03 * rng.next());
    }
  }
  std::size_t size() const { return spot.size(); }
  BsmColumns columns() const { return {right, spot, strike, years, vol, rate, div}; }

  std::vector<OptionRight> right;
  std::vector<int> days;
  std::vector<double> spot, strike, years, vol, rate, div;
};

// A long-dated book for the American benchmarks: 1 to 30 years (uniform in days), vol 10..60%,
// rate 0..10%, dividend 0..5%, spot 50..150 on strike 100, calls and puts (seed 7).
struct LongBook {
  explicit LongBook(std::size_t n) {
    Lcg rng(7);
    for (std::size_t i = 0; i < n; ++i) {
      right.push_back(rng.next() < 0.5 ? OptionRight::kCall : OptionRight::kPut);
      spot.push_back(50.0 + 100.0 * rng.next());
      strike.push_back(100.0);
      years.push_back((365 + static_cast<int>(10585.0 * rng.next())) / 365.0);
      vol.push_back(0.10 + 0.50 * rng.next());
      rate.push_back(0.10 * rng.next());
      div.push_back(0.05 * rng.next());
    }
  }
  std::size_t size() const { return spot.size(); }
  BsmColumns columns() const { return {right, spot, strike, years, vol, rate, div}; }

  std::vector<OptionRight> right;
  std::vector<double> spot, strike, years, vol, rate, div;
};

}  // namespace keel::options::bench
