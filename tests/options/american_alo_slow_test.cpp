// The ALO standard preset against the high preset on 100,000 random options over the accuracy
// domain of docs/options.md (slow: the high preset costs ~10x). The high preset itself is checked
// against QuantLib's QdFp engine at tight settings on 1,096 options (american_alo_test.cpp,
// DenseGridAgainstQuantLib, to ~1e-8); this test covers the domain densely between those points.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <iomanip>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "keel/options/american.h"
#include "options_domain_sample.h"

namespace keel::options {
namespace {

// A figure for the test report: 1.2e-07.
std::string sci(double x) {
  std::ostringstream os;
  os << std::scientific << std::setprecision(2) << x;
  return os.str();
}

TEST(AloAmericanSlow, StandardWithinOneMillionthOfHighOnRandomOptions) {
  constexpr std::size_t kN = 100'000;
  bench::Lcg rng(2026112401);
  const bench::DomainSample book(bench::kAnyClass, kN, rng);
  std::vector<double> standard(kN), high(kN);
  alo_price_batch(book.columns(), standard);
  alo_price_batch(book.columns(), high, AloAccuracy::kHigh);
  const auto worst = bench::worst_error(standard, high, 1e-5 * 100.0, 1e-6);
  const std::size_t i = worst.at;
  EXPECT_EQ(worst.over, 0u) << "worst " << worst.relative << " at right " << int(book.right[i]) << " S "
                            << book.spot[i] << " T " << book.years[i] << " vol " << book.vol[i] << " r "
                            << book.rate[i] << " q " << book.div[i] << " high " << high[i] << " standard "
                            << standard[i];
  RecordProperty("worst_relative", sci(worst.relative));
}

// Each scheme class of the standard preset on its own, against the high preset: random calls and
// puts over the accuracy domain (as above), kept when their put form falls in the class, until
// there are `count` of them. docs/options.md, "Schemes", gives these worsts on larger samples; the
// classes are those that hold the benchmark books (0-2, 9, 10). Reported as worst_class_<c>.
TEST(AloAmericanSlow, EachSchemeClassWithinOneMillionthOfHigh) {
  struct Sample {
    int cls;
    std::size_t count;
  };
  bench::Lcg rng(2026112501);
  for (const Sample& want :
       {Sample{9, 200'000}, Sample{0, 200'000}, Sample{10, 100'000}, Sample{1, 100'000}, Sample{2, 50'000}}) {
    const bench::DomainSample book(want.cls, want.count, rng);
    std::vector<double> standard(want.count), high(want.count);
    alo_price_batch(book.columns(), standard);
    alo_price_batch(book.columns(), high, AloAccuracy::kHigh);
    const auto worst = bench::worst_error(standard, high, 1e-5 * 100.0, 1e-6);
    const std::size_t i = worst.at;
    EXPECT_LE(worst.relative, 1e-6) << "class " << want.cls << ": right " << int(book.right[i]) << " S "
                                    << book.spot[i] << " T " << book.years[i] << " vol " << book.vol[i]
                                    << " r " << book.rate[i] << " q " << book.div[i];
    RecordProperty("worst_class_" + std::to_string(want.cls), sci(worst.relative));
  }
}

}  // namespace
}  // namespace keel::options
