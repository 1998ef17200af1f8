// keel/core/exact_sum.h: the exact sum of any number of doubles (a long accumulator), and the
// sample variance from two of them.
//
// Every finite double is an integer multiple of 2^-1074 below 2^1024; ExactSum adds the terms'
// integer significands into one 128-bit counter per binary exponent, so nothing is rounded until
// value() rounds the whole sum once, to nearest (ties to even). The result does not depend on the
// order the terms were added in, nor on how they were split into partial sums that were merged:
// a Monte Carlo run reduced from shards computed on several processes gives the bits of the run
// computed in one (keel/risk/monte_carlo.h). A counter holds 2^74 terms before it carries half of
// itself to the exponent above, so any number of terms adds exactly; a sum beyond the largest
// double rounds to infinity. A non-finite term makes the sum NaN (or the infinity, when only
// infinities of one sign were added).
//
// Thread-safety: a value type; distinct objects may be used from distinct threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace keel {

class ExactSum {
 public:
  __extension__ typedef __int128 Int128;

  void add(double x);
  // Adds x * x exactly, as the rounded product and its rounding error (both doubles), unless it
  // underflows (|x| below ~1e-154, where the error is not a double); an x * x beyond the largest
  // double adds an infinity.
  void add_square(double x);
  void merge(const ExactSum& other);

  // The sum rounded to nearest, ties to even (0.0 for no terms or an exact zero).
  double value() const;
  // The sum as hi + lo: hi = value(), lo the rest rounded (|lo| <= ulp(hi) / 2).
  void value2(double* hi, double* lo) const;

  // A compact byte form (the non-zero counters) and back; from_bytes throws Error(invalid_input)
  // on bytes that are not such a form, naming what is wrong.
  std::string to_bytes() const;
  static ExactSum from_bytes(std::string_view bytes);

 private:
  // counters_[e] counts units of 2^(e - 1075): e is a double's biased exponent (1 for subnormals).
  // A counter that would overflow passes half of itself one exponent up (units twice as large),
  // hence the 128 counters above the largest exponent.
  static constexpr int kCounters = 2047 + 128;
  std::array<Int128, kCounters> counters_{};
  int low_ = kCounters;  // the non-zero counters lie in [low_, high_)
  int high_ = 0;
  std::uint8_t special_ = 0;  // bit 0: +inf seen, bit 1: -inf seen, bit 2: NaN seen

  void add_units(int e, Int128 units);
};

// The sample variance (n - 1 in the denominator) of n values from the exact sum of the values and
// of their squares: (S2 - S1^2 / n) / (n - 1), evaluated in double-double arithmetic, so that it
// is accurate to a few ulps unless the mean exceeds the standard deviation by ~10^7. 0 for n < 2.
double variance_of_sums(const ExactSum& sum, const ExactSum& sum_squares, std::size_t n);

}  // namespace keel
