// The ALO standard preset against the high preset on 100,000 random options over the accuracy
// domain of docs/options.md (slow: the high preset costs ~10x). The high preset itself is checked
// against QuantLib's QdFp engine at tight settings on 1,096 options (american_alo_test.cpp,
// DenseGridAgainstQuantLib, to ~1e-8); this test covers the domain densely between those points.
#include <gtest/gtest.h>

#include <cmath>
#include <iomanip>
#include <sstream>
#include <cstdint>
#include <utility>
#include <string>
#include <vector>

#include "alo.h"
#include "keel/options/american.h"

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
  std::uint64_t x = 2026112401;
  auto u = [&] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(x >> 11) * (1.0 / 9007199254740992.0);
  };
  std::vector<OptionRight> right(kN);
  std::vector<double> spot(kN), strike(kN, 100.0), years(kN), vol(kN), rate(kN), div(kN);
  for (std::size_t i = 0; i < kN; ++i) {
    right[i] = u() < 0.5 ? OptionRight::kCall : OptionRight::kPut;
    spot[i] = 100.0 * std::exp(std::log(0.5) + u() * std::log(4.0));
    years[i] = std::max(1.0, std::round(std::exp(u() * std::log(30.0 * 365.0)))) / 365.0;
    vol[i] = 0.05 + 1.15 * u();
    rate[i] = 0.2 * u();
    div[i] = 0.15 * u();
  }
  std::vector<double> standard(kN), high(kN);
  alo_price_batch({right, spot, strike, years, vol, rate, div}, standard);
  alo_price_batch({right, spot, strike, years, vol, rate, div}, high, AloAccuracy::kHigh);
  double worst = 0.0;
  std::size_t worst_i = 0, over = 0;
  for (std::size_t i = 0; i < kN; ++i) {
    const double scale = std::max(high[i], 1e-5 * strike[i]);
    const double e = std::abs(standard[i] - high[i]) / scale;
    if (e > worst) {
      worst = e;
      worst_i = i;
    }
    if (e > 1e-6) ++over;
  }
  EXPECT_EQ(over, 0u) << "worst " << worst << " at right " << int(right[worst_i]) << " S " << spot[worst_i]
                      << " T " << years[worst_i] << " vol " << vol[worst_i] << " r " << rate[worst_i] << " q "
                      << div[worst_i] << " high " << high[worst_i] << " standard " << standard[worst_i];
  RecordProperty("worst_relative", sci(worst));
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
  std::uint64_t x = 2026112501;
  auto u = [&] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(x >> 11) * (1.0 / 9007199254740992.0);
  };
  for (const Sample& want : {Sample{9, 200'000}, Sample{0, 200'000}, Sample{10, 100'000}, Sample{1, 100'000},
                             Sample{2, 50'000}}) {
    std::vector<OptionRight> right;
    std::vector<double> spot, strike, years, vol, rate, div;
    while (spot.size() < want.count) {
      const OptionRight rt = u() < 0.5 ? OptionRight::kCall : OptionRight::kPut;
      const double s = 100.0 * std::exp(std::log(0.5) + u() * std::log(4.0));
      const double t = std::max(1.0, std::round(std::exp(u() * std::log(30.0 * 365.0)))) / 365.0;
      const double v = 0.05 + 1.15 * u(), r = 0.2 * u(), q = 0.15 * u();
      // The put form: a call is the put with rate and yield exchanged.
      const double pr = rt == OptionRight::kCall ? q : r, pq = rt == OptionRight::kCall ? r : q;
      if (!(pr > 0.0) || detail::scheme_class(pr, pq, v, t) != want.cls) continue;
      right.push_back(rt);
      spot.push_back(s);
      strike.push_back(100.0);
      years.push_back(t);
      vol.push_back(v);
      rate.push_back(r);
      div.push_back(q);
    }
    std::vector<double> standard(want.count), high(want.count);
    alo_price_batch({right, spot, strike, years, vol, rate, div}, standard);
    alo_price_batch({right, spot, strike, years, vol, rate, div}, high, AloAccuracy::kHigh);
    double worst = 0.0;
    std::size_t worst_i = 0;
    for (std::size_t i = 0; i < want.count; ++i) {
      const double e = std::abs(standard[i] - high[i]) / std::max(high[i], 1e-5 * strike[i]);
      if (e > worst) {
        worst = e;
        worst_i = i;
      }
    }
    EXPECT_LE(worst, 1e-6) << "class " << want.cls << ": right " << int(right[worst_i]) << " S " << spot[worst_i]
                           << " T " << years[worst_i] << " vol " << vol[worst_i] << " r " << rate[worst_i] << " q "
                           << div[worst_i];
    RecordProperty("worst_class_" + std::to_string(want.cls), sci(worst));
  }
}

}  // namespace
}  // namespace keel::options
