// The private vectorised math of the batch kernel (src/options/simd_math.h) against libm.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "bsm_batch.h"
#include "bsm_kernel.h"
#include "keel/options/black_scholes.h"
#include "simd_math.h"

namespace keel::options {
namespace {

TEST(BatchKernelMath, ExpAndLogMatchLibmToAFewUlp) {
  double worst_exp = 0.0, worst_log = 0.0;
  for (double x = -700.0; x <= 700.0; x += 0.0137) {
    worst_exp = std::max(worst_exp, std::abs(detail::simd::exp(x) / std::exp(x) - 1.0));
  }
  for (double x = 1e-300; x < 1e300; x *= 1.37) {
    const double ref = std::log(x);
    worst_log = std::max(worst_log, std::abs(detail::simd::log(x) - ref) / std::max(std::abs(ref), 1e-300));
  }
  for (double x = 0.5; x < 2.0; x += 1e-4) {  // near 1, where ln x is small: relative accuracy
    const double ref = std::log(x);
    if (ref != 0.0) worst_log = std::max(worst_log, std::abs(detail::simd::log(x) / ref - 1.0));
  }
  EXPECT_LT(worst_exp, 1e-15);
  EXPECT_LT(worst_log, 1e-15);
  EXPECT_EQ(detail::simd::exp(-800.0), 0.0);
  EXPECT_EQ(detail::simd::log(1.0), 0.0);
}

// The lean variants of the American fixed-point kernel against long-double references: exp<11>
// to its truncation (0.347^12 / 12! = 6.4e-15, plus rounding) and erfcx_lean to its fit's
// 5.3e-13, over the whole range each is used on.
TEST(BatchKernelMath, LeanExpAndErfcxKeepTheirStatedAccuracy) {
  double worst_exp = 0.0, worst_erfcx = 0.0;
  for (double x = -700.0; x <= 700.0; x += 0.0137) {
    const long double ref = std::exp(static_cast<long double>(x));
    worst_exp = std::max(worst_exp, static_cast<double>(std::abs(detail::simd::exp<11>(x) / ref - 1.0L)));
  }
  for (double a = 0.0; a <= 26.5; a += 1e-4) {
    const long double la = a;
    const long double ref = std::exp(la * la) * std::erfc(la);
    worst_erfcx = std::max(worst_erfcx, static_cast<double>(std::abs(detail::simd::erfcx_lean(a) / ref - 1.0L)));
  }
  EXPECT_LT(worst_exp, 1e-14);
  EXPECT_LT(worst_erfcx, 6e-13);
}

TEST(BatchKernelMath, NormalCdfMatchesErfcToRounding) {
  double worst = 0.0, far = 0.0;
  for (double x = -37.0; x <= 8.0; x += 0.001) {
    const double ref = 0.5 * std::erfc(-x / std::sqrt(2.0));
    const double got = detail::simd::norm_cdf_with(x, std::exp(-0.5 * x * x));
    (x >= -20.0 ? worst : far) = std::max(x >= -20.0 ? worst : far, std::abs(got / ref - 1.0));
  }
  // Lower tail: relative error of the erfcx fit (2.3e-14) and of the rounded argument of both
  // sides (~1e-13 measured down to -20); beyond -20 standard deviations the
  // rounding of x^2 / 2 (~700 ulp-sized) adds up to ~z^2 ulp in e^{-x^2/2}.
  EXPECT_LT(worst, 1e-13);
  EXPECT_LT(far, 5e-13);
  double centre = 0.0;
  for (double x = -1.4; x <= 1.4; x += 1e-4) {
    const double ref = 0.5 * std::erfc(-x / std::sqrt(2.0));
    centre = std::max(centre, std::abs(detail::simd::norm_cdf_with(x, std::exp(-0.5 * x * x)) / ref - 1.0));
  }
  EXPECT_LT(centre, 2e-15);
}

// A grid that visits the vectorised fast path (moneyness 0.3..3, 1 day..10 years, vol 1..150%,
// negative to high rates and yields, |d| beyond 37 where a density underflows) and every
// scalar fix-up case (zero spot, zero strike, zero vol, expiry).
struct Grid {
  Grid() {
    for (OptionRight rt : {OptionRight::kCall, OptionRight::kPut}) {
      for (double s : {0.0, 30.0, 80.0, 99.5, 100.0, 125.0, 300.0}) {
        for (double k : {0.0, 100.0}) {
          for (double t : {0.0, 1.0 / 365, 30.0 / 365, 1.0, 10.0}) {
            for (double v : {0.0, 0.01, 0.2, 1.5}) {
              for (double r : {-0.01, 0.0, 0.05}) {
                for (double q : {-0.02, 0.0, 0.04}) add(rt, s, k, t, v, r, q);
              }
            }
          }
        }
      }
      // A dividend yield so high that e^{-qT} underflows to zero (the scalar fix-up's case).
      add(rt, 100.0, 100.0, 10.0, 0.2, 0.0, 80.0);
    }
  }
  void add(OptionRight rt, double s, double k, double t, double v, double r, double q) {
    right.push_back(rt);
    spot.push_back(s);
    strike.push_back(k);
    years.push_back(t);
    vol.push_back(v);
    rate.push_back(r);
    div.push_back(q);
  }
  std::size_t size() const { return spot.size(); }
  detail::BatchIn in() const {
    return {right.data(), spot.data(), strike.data(), years.data(), vol.data(), rate.data(), div.data()};
  }
  std::vector<OptionRight> right;
  std::vector<double> spot, strike, years, vol, rate, div;
};

struct Outputs {
  explicit Outputs(std::size_t n) : col(6, std::vector<double>(n)) {}
  detail::BatchOut greeks() {
    return {col[0].data(), col[1].data(), col[2].data(), col[3].data(), col[4].data(), col[5].data()};
  }
  std::vector<std::vector<double>> col;  // price, delta, gamma, vega, theta, rho
};

// Relative agreement with a floor of 1e-13 of the option's scale (spot + strike), so that values
// that cancel to about zero (theta, deep OTM prices) compare in absolute terms.
// Compares the first `columns` columns.
double worst_difference(const Outputs& a, const Outputs& b, const Grid& grid, std::size_t columns = 6) {
  double worst = 0.0;
  for (std::size_t c = 0; c < columns; ++c) {
    for (std::size_t i = 0; i < grid.size(); ++i) {
      const double scale = std::max({std::abs(b.col[c][i]), 1e-3 * (grid.spot[i] + grid.strike[i]), 1e-300});
      const double d = std::abs(a.col[c][i] - b.col[c][i]) / scale;
      worst = std::isnan(d) ? INFINITY : std::max(worst, d);
    }
  }
  return worst;
}

TEST(BatchKernelPaths, EveryInstructionSetAgreesWithThePortablePathAndTheScalarKernel) {
  const Grid grid;
  const std::size_t n = grid.size();
  Outputs scalar(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Greeks g = detail::bsm_row(detail::sign_of(grid.right[i]), grid.spot[i], grid.strike[i],
                                     grid.years[i], grid.vol[i], grid.rate[i], grid.div[i]);
    const double row[6] = {g.price, g.delta, g.gamma, g.vega, g.theta, g.rho};
    for (std::size_t c = 0; c < 6; ++c) scalar.col[c][i] = row[c];
  }
  Outputs portable(n);
  detail::bsm_batch_on(detail::KernelIsa::kBaseline, n, grid.in(), portable.greeks());
  EXPECT_LT(worst_difference(portable, scalar, grid), 1e-13);
  int paths = 0;
  for (auto isa : {detail::KernelIsa::kAvx2, detail::KernelIsa::kAvx512}) {
    if (!detail::kernel_isa_supported(isa)) continue;
    ++paths;
    Outputs wide(n);
    detail::bsm_batch_on(isa, n, grid.in(), wide.greeks());
    EXPECT_LT(worst_difference(wide, portable, grid), 1e-13) << detail::kernel_isa_name(isa);
    Outputs price_only(n);
    detail::bsm_batch_on(isa, n, grid.in(),
                         {price_only.col[0].data(), nullptr, nullptr, nullptr, nullptr, nullptr});
    EXPECT_LT(worst_difference(price_only, wide, grid, 1), 1e-13) << "price-only kernel";
  }
  if (paths == 0) GTEST_SKIP() << "this CPU runs only the portable (baseline x86-64) kernel";
}

TEST(BatchKernelPaths, InvalidRowsAreCounted) {
  Grid grid;
  EXPECT_EQ(detail::count_invalid(grid.size(), grid.in()), 0u);
  grid.spot[3] = -1.0;
  grid.vol[10] = NAN;
  grid.rate[11] = INFINITY;
  grid.years[12] = -0.5;
  EXPECT_EQ(detail::count_invalid(grid.size(), grid.in()), 4u);
}

}  // namespace
}  // namespace keel::options
