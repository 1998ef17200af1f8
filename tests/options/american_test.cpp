#include "keel/options/american.h"

#include <gtest/gtest.h>

#include <cmath>

#include "keel/core/error.h"
#include "quantlib_oracle.h"

namespace keel::options {
namespace {

constexpr OptionRight kCall = OptionRight::kCall;
constexpr OptionRight kPut = OptionRight::kPut;

struct BawCase {
  OptionRight right;
  double strike, spot, div, rate, years, vol, value;
};

// Haug, "Option Pricing Formulas" (McGraw-Hill 1998) p. 24: Barone-Adesi-Whaley values (also in
// QuantLib's test-suite/americanoption.cpp, which accepts 3e-3 since Haug's own code reproduces
// them to the second decimal).
const BawCase kHaugBaw[] = {
    {kCall, 100, 90, 0.10, 0.10, 0.10, 0.15, 0.0206},  {kCall, 100, 100, 0.10, 0.10, 0.10, 0.15, 1.8771},
    {kCall, 100, 110, 0.10, 0.10, 0.10, 0.15, 10.0089}, {kCall, 100, 90, 0.10, 0.10, 0.10, 0.25, 0.3159},
    {kCall, 100, 100, 0.10, 0.10, 0.10, 0.25, 3.1280},  {kCall, 100, 110, 0.10, 0.10, 0.10, 0.25, 10.3919},
    {kCall, 100, 90, 0.10, 0.10, 0.10, 0.35, 0.9495},  {kCall, 100, 100, 0.10, 0.10, 0.10, 0.35, 4.3777},
    {kCall, 100, 110, 0.10, 0.10, 0.10, 0.35, 11.1679}, {kCall, 100, 90, 0.10, 0.10, 0.50, 0.15, 0.8208},
    {kCall, 100, 100, 0.10, 0.10, 0.50, 0.15, 4.0842},  {kCall, 100, 110, 0.10, 0.10, 0.50, 0.15, 10.8087},
    {kCall, 100, 90, 0.10, 0.10, 0.50, 0.25, 2.7437},  {kCall, 100, 100, 0.10, 0.10, 0.50, 0.25, 6.8015},
    {kCall, 100, 110, 0.10, 0.10, 0.50, 0.25, 13.0170}, {kCall, 100, 90, 0.10, 0.10, 0.50, 0.35, 5.0063},
    {kCall, 100, 100, 0.10, 0.10, 0.50, 0.35, 9.5106},  {kCall, 100, 110, 0.10, 0.10, 0.50, 0.35, 15.5689},
    {kPut, 100, 90, 0.10, 0.10, 0.10, 0.15, 10.0000},  {kPut, 100, 100, 0.10, 0.10, 0.10, 0.15, 1.8770},
    {kPut, 100, 110, 0.10, 0.10, 0.10, 0.15, 0.0410},  {kPut, 100, 90, 0.10, 0.10, 0.10, 0.25, 10.2533},
    {kPut, 100, 100, 0.10, 0.10, 0.10, 0.25, 3.1277},  {kPut, 100, 110, 0.10, 0.10, 0.10, 0.25, 0.4562},
    {kPut, 100, 90, 0.10, 0.10, 0.10, 0.35, 10.8787},  {kPut, 100, 100, 0.10, 0.10, 0.10, 0.35, 4.3777},
    {kPut, 100, 110, 0.10, 0.10, 0.10, 0.35, 1.2402},  {kPut, 100, 90, 0.10, 0.10, 0.50, 0.15, 10.5595},
    {kPut, 100, 100, 0.10, 0.10, 0.50, 0.15, 4.0842},  {kPut, 100, 110, 0.10, 0.10, 0.50, 0.15, 1.0822},
    {kPut, 100, 90, 0.10, 0.10, 0.50, 0.25, 12.4419},  {kPut, 100, 100, 0.10, 0.10, 0.50, 0.25, 6.8014},
    {kPut, 100, 110, 0.10, 0.10, 0.50, 0.25, 3.3226},  {kPut, 100, 90, 0.10, 0.10, 0.50, 0.35, 14.6945},
    {kPut, 100, 100, 0.10, 0.10, 0.50, 0.35, 9.5104},  {kPut, 100, 110, 0.10, 0.10, 0.50, 0.35, 5.8823},
    {kPut, 100, 100, 0.00, 0.00, 0.50, 0.15, 4.2294},
};

TEST(BaroneAdesiWhaley, MatchesHaugPublishedValues) {
  for (const auto& c : kHaugBaw) {
    const double p = baw_price({c.right, c.spot, c.strike, c.years, c.vol, c.rate, c.div});
    EXPECT_NEAR(p, c.value, 3e-3) << "right=" << int(c.right) << " S=" << c.spot << " T=" << c.years
                                  << " vol=" << c.vol;
  }
}

// QuantLib's BaroneAdesiWhaleyApproximationEngine stops its critical-price search when the
// residual of the critical-price equation is below 1e-6 of the strike (here 1e-4), keel at 1e-10
// of the strike; the prices then agree to that residual. (With QuantLib's stopping rule keel
// reproduces QuantLib to 2e-6 relative on this grid.)
TEST(BaroneAdesiWhaley, AgreesWithQuantLibOnGrid) {
  int n = 0;
  for (OptionRight right : {kCall, kPut}) {
    for (double spot : {70.0, 90.0, 100.0, 110.0, 140.0}) {
      for (int days : {7, 30, 182, 365, 1095}) {
        for (double vol : {0.1, 0.3, 0.6}) {
          for (double rate : {0.0, 0.02, 0.08}) {
            for (double div : {0.0, 0.04}) {
              const double ql = test::quantlib_price(right, spot, 100.0, days, vol, rate, div, true).price;
              const double k = baw_price({right, spot, 100.0, days / 365.0, vol, rate, div});
              EXPECT_NEAR(k, ql, 1e-6 * 100.0)
                  << "right=" << int(right) << " S=" << spot << " days=" << days << " vol=" << vol
                  << " r=" << rate << " q=" << div;
              ++n;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(n, 900);
}

TEST(BaroneAdesiWhaley, IsAtLeastEuropeanAndIntrinsic) {
  for (OptionRight right : {kCall, kPut}) {
    for (double spot : {50.0, 100.0, 200.0}) {
      const BsmInputs in{right, spot, 100.0, 1.0, 0.25, 0.06, 0.03};
      const double american = baw_price(in);
      EXPECT_GE(american, bsm_price(in) - 1e-12);
      EXPECT_GE(american, std::max((right == kCall ? 1 : -1) * (spot - 100.0), 0.0) - 1e-12);
    }
  }
  // No dividend yield: an American call is worth the European call exactly.
  const BsmInputs call{kCall, 100, 95, 0.5, 0.3, 0.05, 0.0};
  EXPECT_EQ(baw_price(call), bsm_price(call));
}

TEST(BaroneAdesiWhaley, GreeksAreFiniteDifferencesAndLimitsHold) {
  const BsmInputs in{kPut, 95, 100, 0.5, 0.3, 0.05, 0.0};
  const Greeks g = baw_greeks(in);
  // An American put's delta lies between the European put delta and -1, gamma and vega positive.
  EXPECT_LT(g.delta, bsm_greeks(in).delta + 1e-9);
  EXPECT_GT(g.delta, -1.0);
  EXPECT_GT(g.gamma, 0.0);
  EXPECT_GT(g.vega, 0.0);
  EXPECT_LT(g.rho, 0.0);
  // Deep in the money: exercise now; delta -1, value K - S.
  const Greeks deep = baw_greeks({kPut, 40, 100, 0.5, 0.3, 0.05, 0.0});
  EXPECT_DOUBLE_EQ(deep.price, 60.0);
  EXPECT_NEAR(deep.delta, -1.0, 1e-9);
  // At expiry and zero vol: finite, intrinsic.
  EXPECT_DOUBLE_EQ(baw_price({kPut, 90, 100, 0.0, 0.3, 0.05, 0.0}), 10.0);
  EXPECT_TRUE(std::isfinite(baw_price({kPut, 90, 100, 1.0, 0.0, 0.05, 0.0})));
  EXPECT_EQ(option_greeks(ExerciseStyle::kEuropean, in).price, bsm_price(in));
  EXPECT_EQ(option_greeks(ExerciseStyle::kAmerican, in, AmericanEngine::kBaw).price, baw_price(in));
  EXPECT_STREQ(model_name(ExerciseStyle::kAmerican, AmericanEngine::kBaw), "baw-approximation");
}

TEST(BaroneAdesiWhaley, RejectsNegativeRatesAndBadInput) {
  EXPECT_THROW(baw_price({kPut, 100, 100, 1.0, 0.2, -0.01, 0.0}), Error);
  EXPECT_THROW(baw_price({kPut, -1, 100, 1.0, 0.2, 0.01, 0.0}), Error);
  EXPECT_THROW(baw_price({kPut, 100, 100, -1.0, 0.2, 0.01, 0.0}), Error);
}

}  // namespace
}  // namespace keel::options
