// Per-option dividend yields: an option's own Position::dividend_yield wins over
// ExposureOptions::div, which stays the default for options without one.
#include <gtest/gtest.h>

#include <cmath>

#include "keel/exposures/exposures.h"

namespace keel::exposures {
namespace {

Position aapl_option(const char* symbol, OptionRight right, double strike, double vol,
                     std::optional<double> yield) {
  Position p;
  p.symbol = symbol;
  p.underlying = "AAPL";
  p.type = InstrumentType::kOption;
  p.quantity = 1;
  p.multiplier = 100;
  p.option_type = right;
  p.strike = strike;
  p.expiry = Date::from_ymd(2018, 6, 15);
  p.implied_vol = vol;
  p.dividend_yield = yield;
  return p;
}

// Black-Scholes-Merton (Haug 1.1.6), S = 169.011993, T = 191/365, r = 1.3%, computed
// independently with scipy.stats.norm:
//   call K=170 vol 25% q=1.5%: price 11.5539236612, delta 0.51682463118, theta -11.2192527792
//   put  K=160 vol 27% q=3%:   price 9.26775003006, delta -0.363936021353, rho -37.036889709
//   put  K=160 vol 27% q=0:    price 8.33417823002 (the default yield of the third option)
TEST(ExposuresDividendYield, EachOptionIsValuedWithItsOwnYield) {
  const std::vector<Position> book{
      aapl_option("AAPL180615C00170000", OptionRight::kCall, 170, 0.25, 0.015),
      aapl_option("AAPL180615P00160000", OptionRight::kPut, 160, 0.27, 0.03),
      aapl_option("AAPL180615P00160000", OptionRight::kPut, 160, 0.27, std::nullopt)};
  const MarketInputs market{{169.011993, 169.011993, 169.011993}, {NAN, NAN, NAN}, {}};
  const ExposureReport r = compute_exposures(book, market, {Date::from_ymd(2017, 12, 6), 0.013, 0.0});
  ASSERT_EQ(r.valued, 3u);
  const auto& c = r.positions[0];
  EXPECT_DOUBLE_EQ(c.div, 0.015);
  EXPECT_NEAR(c.price, 11.5539236612, 1e-9);
  EXPECT_NEAR(c.delta, 0.51682463118, 1e-11);
  EXPECT_NEAR(c.theta, -11.2192527792, 1e-9);
  const auto& p = r.positions[1];
  EXPECT_DOUBLE_EQ(p.div, 0.03);
  EXPECT_NEAR(p.price, 9.26775003006, 1e-9);
  EXPECT_NEAR(p.delta, -0.363936021353, 1e-11);
  EXPECT_NEAR(p.rho, -37.036889709, 1e-8);
  // Without its own yield: ExposureOptions::div (0 here): scipy gives 8.33417823002.
  EXPECT_DOUBLE_EQ(r.positions[2].div, 0.0);
  EXPECT_NEAR(r.positions[2].price, 8.33417823002, 1e-9);
}

}  // namespace
}  // namespace keel::exposures
