// The vectorised implied-vol path (implied_vol_batch, src/options/iv_batch.cpp) against exact
// prices (mpmath, tests/options/data/implied_vol_reference.csv), against round trips through the
// Black-Scholes price, and against the scalar solver, on every instruction set this CPU runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "iv_batch.h"
#include "keel/options/black_scholes.h"
#include "keel/options/implied_vol.h"

namespace keel::options {
namespace {

struct Quotes {
  std::vector<OptionRight> right;
  std::vector<double> price, spot, strike, years, rate, div, vol;
  void add(OptionRight r, double p, double s, double k, double t, double rr, double q, double v) {
    right.push_back(r);
    price.push_back(p);
    spot.push_back(s);
    strike.push_back(k);
    years.push_back(t);
    rate.push_back(rr);
    div.push_back(q);
    vol.push_back(v);
  }
  ImpliedVolColumns columns() const { return {right, price, spot, strike, years, rate, div}; }
  detail::IvBatchIn batch_in() const {
    return {right.data(), price.data(), spot.data(), strike.data(), years.data(), rate.data(), div.data()};
  }
  std::size_t size() const { return price.size(); }
};

std::string sci(double v) {
  std::ostringstream out;
  out << std::scientific << v;
  return out.str();
}

std::uint64_t lcg_state = 777;
double uniform() {
  lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<double>(lcg_state >> 11) * (1.0 / 9007199254740992.0);
}

// A wide random book: rights, 1 day to 10 years, vols 1% to 300%, moneyness +-5 standard
// deviations, rates -2%..10%, dividend yields 0..8%, and prices from the double pricer.
Quotes random_book(std::size_t n) {
  Quotes q;
  lcg_state = 777;
  for (std::size_t i = 0; i < n; ++i) {
    const OptionRight right = uniform() < 0.5 ? OptionRight::kCall : OptionRight::kPut;
    const double years = (1.0 + 3649.0 * uniform() * uniform()) / 365.0;
    const double vol = 0.01 + 2.99 * uniform() * uniform();
    const double rate = -0.02 + 0.12 * uniform();
    const double div = 0.08 * uniform();
    const double spot = 100.0;
    const double strike = spot * std::exp((rate - div) * years + (10.0 * uniform() - 5.0) * vol * std::sqrt(years));
    q.add(right, bsm_price({right, spot, strike, years, vol, rate, div}), spot, strike, years, rate, div, vol);
  }
  return q;
}

// d ln(price) / d ln(vol) at vol: how a relative vol error moves the price (relative).
double elasticity(const Quotes& q, std::size_t i, double vol) {
  const Greeks g = bsm_greeks({q.right[i], q.spot[i], q.strike[i], q.years[i], vol, q.rate[i], q.div[i]});
  return g.vega * vol / q.price[i];
}

TEST(ImpliedVolBatch, ReproducesExactPricesToTheLastDigits) {
  // The scalar test's fixture and tolerance (implied_vol_test.cpp): the price the vol gives is
  // within 1e-12 relative of the exact price, plus what rounding the inputs to double causes.
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/tests/options/data/implied_vol_reference.csv");
  ASSERT_TRUE(in.good());
  std::string line;
  std::getline(in, line);
  Quotes q;
  std::vector<double> elastic, k_elastic;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
    ASSERT_GE(f.size(), 10u) << line;
    q.add(f[0] == "call" ? OptionRight::kCall : OptionRight::kPut, std::stod(f[7]), std::stod(f[1]), std::stod(f[2]),
          std::stod(f[3]), std::stod(f[4]), std::stod(f[5]), std::stod(f[6]));
    elastic.push_back(std::stod(f[8]));
    k_elastic.push_back(std::stod(f[9]));
  }
  ASSERT_EQ(q.size(), 981u);
  std::vector<double> iv(q.size());
  std::vector<ImpliedVolStatus> status(q.size());
  implied_vol_batch(q.columns(), iv, status);
  double worst = 0.0;
  for (std::size_t i = 0; i < q.size(); ++i) {
    ASSERT_EQ(status[i], ImpliedVolStatus::kOk) << i;
    const double tolerance = 1e-12 + 4.0 * 1.1102230246251565e-16 * k_elastic[i];
    const double price_error = std::abs(iv[i] / q.vol[i] - 1.0) * elastic[i];
    EXPECT_LE(price_error, tolerance) << "option " << i << " iv=" << iv[i] << " vol=" << q.vol[i];
    worst = std::max(worst, price_error / tolerance);
  }
  RecordProperty("worst_error_over_tolerance", sci(worst));
}

TEST(ImpliedVolBatch, AgreesWithTheScalarSolverOnAWideRandomBook) {
  const Quotes q = random_book(100'000);
  std::vector<double> iv(q.size());
  std::vector<ImpliedVolStatus> status(q.size());
  implied_vol_batch(q.columns(), iv, status);
  std::size_t solved = 0;
  double worst = 0.0;
  for (std::size_t i = 0; i < q.size(); ++i) {
    const ImpliedVolInputs row{q.right[i], q.price[i], q.spot[i], q.strike[i], q.years[i], q.rate[i], q.div[i]};
    const std::string problem = implied_vol_problem(row);
    // Same verdict as the scalar solver, and where both solve, the same price to 1e-12.
    ASSERT_EQ(status[i] == ImpliedVolStatus::kOk, problem.empty()) << i << ": " << problem;
    if (!problem.empty()) {
      EXPECT_TRUE(std::isnan(iv[i]));
      continue;
    }
    const double scalar = implied_vol(row);
    const double e = elasticity(q, i, scalar);
    const double price_error = std::abs(iv[i] / scalar - 1.0) * (std::isfinite(e) ? e : 0.0);
    EXPECT_LE(price_error, 1e-12) << "option " << i << " batch " << iv[i] << " scalar " << scalar;
    worst = std::max(worst, price_error);
    // And the round trip through the double pricer (whose own rounding far from the money is
    // why the bound is 1e-10 here, as in implied_vol_test.cpp).
    const double back = bsm_price({q.right[i], q.spot[i], q.strike[i], q.years[i], iv[i], q.rate[i], q.div[i]});
    EXPECT_LE(std::abs(back - q.price[i]), 1e-10 * q.price[i]) << "option " << i;
    ++solved;
  }
  EXPECT_GT(solved, 95'000u);
  RecordProperty("worst_relative_price_difference", sci(worst));
}

TEST(ImpliedVolBatch, EveryInstructionSetGivesTheSameVols) {
  // The kernel on each instruction set this CPU runs, on the elements it keeps (the rest go to
  // the scalar solver), against the scalar solver.
  const Quotes q = random_book(20'000);
  std::vector<double> vol(q.size());
  std::vector<std::uint64_t> slow(q.size());
  for (const detail::KernelIsa isa :
       {detail::KernelIsa::kBaseline, detail::KernelIsa::kAvx2, detail::KernelIsa::kAvx512}) {
    if (!detail::kernel_isa_supported(isa)) continue;
    const std::size_t count = detail::implied_vol_kernel(isa, q.size(), q.batch_in(), vol.data(), slow.data());
    EXPECT_LT(count, q.size() / 4) << detail::kernel_isa_name(isa);
    for (std::size_t i = 0; i < q.size(); ++i) {
      if (slow[i] != 0) continue;
      const double scalar =
          implied_vol({q.right[i], q.price[i], q.spot[i], q.strike[i], q.years[i], q.rate[i], q.div[i]});
      const double e = elasticity(q, i, scalar);
      EXPECT_LE(std::abs(vol[i] / scalar - 1.0) * e, 1e-12)
          << detail::kernel_isa_name(isa) << " option " << i << " " << vol[i] << " vs " << scalar;
    }
  }
}

TEST(ImpliedVolBatch, BadRowsGetTheScalarVerdict) {
  // Invalid inputs, prices on and just inside the bounds, and a normal row between them.
  Quotes q;
  const double call = bsm_price({OptionRight::kCall, 100, 100, 0.5, 0.3, 0.02, 0.0});
  q.add(OptionRight::kCall, call, 100, 100, 0.5, 0.02, 0.0, 0.3);
  q.add(OptionRight::kCall, -1.0, 100, 100, 0.5, 0.02, 0.0, 0.0);             // negative price
  q.add(OptionRight::kCall, call, 100, 100, 0.0, 0.02, 0.0, 0.0);             // expired
  q.add(OptionRight::kCall, call, std::nan(""), 100, 0.5, 0.02, 0.0, 0.0);    // NaN spot
  q.add(OptionRight::kCall, 100.0, 100, 100, 0.5, 0.02, 0.0, 0.0);            // at the upper bound
  q.add(OptionRight::kPut, 0.0, 100, 100, 0.5, 0.02, 0.0, 0.0);               // at the lower bound
  q.add(OptionRight::kCall, 14.0, 100, 90, 1.0, 0.05, 0.0, 0.0);              // below it
  q.add(OptionRight::kPut, 1e-300, 100, 10, 0.01, 0.0, 0.0, 0.0);             // tiny price far out
  std::vector<double> iv(q.size());
  std::vector<ImpliedVolStatus> status(q.size());
  implied_vol_batch(q.columns(), iv, status);
  const std::vector<ImpliedVolStatus> expected{
      ImpliedVolStatus::kOk,           ImpliedVolStatus::kInvalidInput,    ImpliedVolStatus::kInvalidInput,
      ImpliedVolStatus::kInvalidInput, ImpliedVolStatus::kAboveUpperBound, ImpliedVolStatus::kBelowLowerBound,
      ImpliedVolStatus::kBelowLowerBound, ImpliedVolStatus::kOk};
  for (std::size_t i = 0; i < q.size(); ++i) EXPECT_EQ(status[i], expected[i]) << i;
  EXPECT_NEAR(iv[0], 0.3, 1e-13);
  EXPECT_TRUE(std::isfinite(iv[7]));
}

}  // namespace
}  // namespace keel::options
