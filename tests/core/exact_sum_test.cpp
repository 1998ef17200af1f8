// Tests of keel/core/exact_sum.h: exact, order-free sums, rounded once.
#include "keel/core/exact_sum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "keel/core/error.h"

namespace keel {
namespace {

double sum_of(const std::vector<double>& xs) {
  ExactSum s;
  for (double x : xs) s.add(x);
  return s.value();
}

TEST(ExactSum, CancellationAndRepeatedTenths) {
  // 1e100 + 1 - 1e100: a running double sum gives 0; the exact sum is 1.
  EXPECT_EQ(sum_of({1e100, 1.0, -1e100}), 1.0);
  // Ten times the double nearest 0.1 (0.1000000000000000055511151231257827...) is
  // 1.000000000000000055511151231257827..., whose nearest double is 1 (Python's math.fsum gives
  // 1.0 too); a running sum gives 0.9999999999999999.
  EXPECT_EQ(sum_of(std::vector<double>(10, 0.1)), 1.0);
  EXPECT_EQ(sum_of({}), 0.0);
  EXPECT_EQ(sum_of({5.0, -5.0}), 0.0);
}

TEST(ExactSum, RoundsTiesToEvenAndKeepsTheRest) {
  const double two53 = 9007199254740992.0;  // 2^53: from here doubles step by 2
  // 2^53 + 1 lies halfway between 2^53 and 2^53 + 2: ties to the even significand, 2^53.
  ExactSum a;
  a.add(two53);
  a.add(1.0);
  double hi, lo;
  a.value2(&hi, &lo);
  EXPECT_EQ(hi, two53);
  EXPECT_EQ(lo, 1.0);
  // 2^53 + 3 lies halfway between 2^53 + 2 (odd significand) and 2^53 + 4 (even): 2^53 + 4.
  EXPECT_EQ(sum_of({two53, 3.0}), two53 + 4.0);
  // Just above the halfway point rounds up; the sticky bits far below the window count.
  EXPECT_EQ(sum_of({two53, 1.0, 1e-300}), two53 + 2.0);
  EXPECT_EQ(sum_of({-two53, -1.0, -1e-300}), -two53 - 2.0);
  // Subnormals add exactly: 3 times the smallest one.
  const double tiny = std::numeric_limits<double>::denorm_min();
  EXPECT_EQ(sum_of({tiny, tiny, tiny}), 3.0 * tiny);
  EXPECT_EQ(sum_of({std::numeric_limits<double>::min(), -tiny}), std::numeric_limits<double>::min() - tiny);
}

TEST(ExactSum, AgreesWithIntegerArithmetic) {
  // Multiples of 2^-40 with 50-bit numerators: their exact sum is the 128-bit integer sum times
  // 2^-40, and the correctly rounded double of it is the integer converted (rounded to nearest by
  // the conversion), scaled by the power of two.
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    ExactSum s;
    ExactSum::Int128 total = 0;
    const int n = 1 + static_cast<int>(rng() % 5000);
    for (int i = 0; i < n; ++i) {
      const auto k = static_cast<std::int64_t>(rng() >> 14) - (std::int64_t{1} << 49);
      total += k;
      s.add(std::ldexp(static_cast<double>(k), -40));
    }
    EXPECT_EQ(s.value(), std::ldexp(static_cast<double>(total), -40)) << "trial " << trial;
  }
}

TEST(ExactSum, TheOrderAndTheSplitIntoPartsDoNotMatter) {
  std::mt19937_64 rng(11);
  std::vector<double> xs;
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int i = 0; i < 20000; ++i) xs.push_back(std::ldexp(u(rng), static_cast<int>(rng() % 200) - 100));
  ExactSum whole;
  for (double x : xs) whole.add(x);
  double h0, l0;
  whole.value2(&h0, &l0);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(xs.begin(), xs.end(), rng);
    ExactSum merged;
    std::size_t i = 0;
    while (i < xs.size()) {
      const std::size_t part = 1 + rng() % 3000;
      ExactSum p;
      for (std::size_t e = std::min(xs.size(), i + part); i < e; ++i) p.add(xs[i]);
      merged.merge(ExactSum::from_bytes(p.to_bytes()));
    }
    double h1, l1;
    merged.value2(&h1, &l1);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(h1), std::bit_cast<std::uint64_t>(h0));
    EXPECT_EQ(std::bit_cast<std::uint64_t>(l1), std::bit_cast<std::uint64_t>(l0));
  }
}

TEST(ExactSum, NonFiniteTermsAndBadBytes) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(sum_of({1.0, inf}), inf);
  EXPECT_EQ(sum_of({-inf, 1.0}), -inf);
  EXPECT_TRUE(std::isnan(sum_of({inf, -inf})));
  EXPECT_TRUE(std::isnan(sum_of({std::nan("")})));
  ExactSum s;
  s.add(2.5);
  std::string b = s.to_bytes();
  EXPECT_EQ(ExactSum::from_bytes(b).value(), 2.5);
  EXPECT_THROW(ExactSum::from_bytes(b.substr(0, b.size() - 1)), Error);
  EXPECT_THROW(ExactSum::from_bytes("KXS2" + b.substr(4)), Error);
  EXPECT_THROW(ExactSum::from_bytes(""), Error);
  std::string zero_index = b;
  zero_index[7] = 0;  // the first counter's exponent (little-endian u16 at offset 7)
  zero_index[8] = 0;
  EXPECT_THROW(ExactSum::from_bytes(zero_index), Error);
}

TEST(ExactSum, CountersPastTwoToThe127CarryUpward) {
  // One counter of 2^126 units of 2^0 (exponent 1075), as bytes; doubled three times it passes
  // 2^127, where each counter hands half of itself to the exponent above: the sum stays exact.
  std::string b = "KXS1";
  b.push_back('\0');
  const std::uint16_t count = 1, index = 1075;
  b.append(reinterpret_cast<const char*>(&count), 2);
  b.append(reinterpret_cast<const char*>(&index), 2);
  const ExactSum::Int128 c = ExactSum::Int128{1} << 126;
  b.append(reinterpret_cast<const char*>(&c), 16);
  ExactSum s = ExactSum::from_bytes(b);
  EXPECT_EQ(s.value(), std::ldexp(1.0, 126));
  for (int i = 0; i < 3; ++i) s.merge(ExactSum(s));
  EXPECT_EQ(s.value(), std::ldexp(1.0, 129));
  s.add(-std::ldexp(1.0, 129));
  s.add(1.5);
  EXPECT_EQ(s.value(), 1.5);
}

TEST(ExactSum, SampleVarianceFromTheSums) {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations 32, sample variance 32 / 7.
  ExactSum s1, s2;
  for (double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) {
    s1.add(x);
    s2.add_square(x);
  }
  EXPECT_DOUBLE_EQ(variance_of_sums(s1, s2, 8), 32.0 / 7.0);
  // A large mean: 1e6 + {0.1, 0.2, 0.3}, whose sample variance is 0.01 (to the doubles' spacing of
  // 1.2e-10 at 1e6): the textbook one-pass formula in doubles loses every digit here.
  ExactSum t1, t2;
  for (double x : {1e6 + 0.1, 1e6 + 0.2, 1e6 + 0.3}) {
    t1.add(x);
    t2.add_square(x);
  }
  EXPECT_NEAR(variance_of_sums(t1, t2, 3), 0.01, 1e-9);
  EXPECT_EQ(variance_of_sums(t1, t2, 1), 0.0);
}

}  // namespace
}  // namespace keel
