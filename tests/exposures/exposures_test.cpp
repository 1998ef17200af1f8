#include "keel/exposures/exposures.h"

#include <gtest/gtest.h>

#include <cmath>

#include "keel/core/error.h"
#include "keel/options/american.h"
#include "keel/options/black_scholes.h"

namespace keel::exposures {
namespace {

Position stock(std::string sym, double qty, std::string sector, std::vector<std::string> tags,
               std::string strategy) {
  Position p;
  p.symbol = std::move(sym);
  p.quantity = qty;
  p.sector = std::move(sector);
  p.tags = std::move(tags);
  p.strategy = std::move(strategy);
  return p;
}

Position option(std::string sym, std::string und, double qty, OptionRight right, double strike,
                Date expiry, std::optional<double> iv) {
  Position p;
  p.symbol = std::move(sym);
  p.underlying = std::move(und);
  p.type = InstrumentType::kOption;
  p.quantity = qty;
  p.multiplier = 100;
  p.option_type = right;
  p.strike = strike;
  p.expiry = expiry;
  p.implied_vol = iv;
  p.sector = "Information Technology";
  p.tags = {"options"};
  p.strategy = "hedge";
  return p;
}

const Date kAsOf = Date::from_ymd(2017, 12, 6);

// A book written out by hand: 100 AAPL at 150, -50 MSFT at 80, 10 AAPL 160 calls (1 year, 25%
// implied vol), -5 MSFT 70 puts (historical vol 20%).
struct Fixture {
  std::vector<Position> positions{
      stock("AAPL", 100, "Information Technology", {"core", "tech"}, "long"),
      stock("MSFT", -50, "Information Technology", {"tech"}, "short"),
      option("AAPL181206C00160000", "AAPL", 10, OptionRight::kCall, 160, Date::from_ymd(2018, 12, 6), 0.25),
      option("MSFT181206P00070000", "MSFT", -5, OptionRight::kPut, 70, Date::from_ymd(2018, 12, 6),
             std::nullopt)};
  MarketInputs market{{150.0, 80.0, 150.0, 80.0}, {NAN, NAN, 0.30, 0.20}, {}};
  ExposureOptions opt{kAsOf, 0.02, 0.0};
};

TEST(Exposures, HandComputedBookTotals) {
  Fixture f;
  const ExposureReport r = compute_exposures(f.positions, f.market, f.opt);
  ASSERT_EQ(r.valued, 4u);
  // Option values and Greeks per share from the BSM engine (verified against Haug and QuantLib in
  // tests/options); the 365-day expiry is exactly 1 year. The book's European options are priced
  // by the vectorised batch kernel, equal to the scalar one to ~1e-13 relative.
  const auto call = options::bsm_greeks({OptionRight::kCall, 150, 160, 1.0, 0.25, 0.02, 0.0});
  const auto put = options::bsm_greeks({OptionRight::kPut, 80, 70, 1.0, 0.20, 0.02, 0.0});
  const auto& e = r.positions;
  EXPECT_DOUBLE_EQ(e[0].market_value, 15000.0);   // 100 x 150
  EXPECT_DOUBLE_EQ(e[1].market_value, -4000.0);   // -50 x 80
  EXPECT_NEAR(e[2].market_value, 1000.0 * call.price, 1e-13 * 1000.0 * call.price);  // 10 x 100 x V
  EXPECT_NEAR(e[3].market_value, -500.0 * put.price, 1e-13 * 500.0 * put.price);     // -5 x 100 x V
  EXPECT_DOUBLE_EQ(e[2].notional, 150000.0);      // 10 x 100 x 150
  EXPECT_DOUBLE_EQ(e[3].notional, -40000.0);      // -5 x 100 x 80
  EXPECT_NEAR(e[2].delta_adjusted, 150000.0 * call.delta, 1e-13 * 150000.0);
  EXPECT_NEAR(e[3].delta_adjusted, -40000.0 * put.delta, 1e-13 * 40000.0);  // short put: long delta
  EXPECT_GT(e[3].delta_adjusted, 0.0);
  EXPECT_EQ(e[2].vol_source, VolSource::kImplied);
  EXPECT_EQ(e[3].vol_source, VolSource::kHistorical);
  EXPECT_DOUBLE_EQ(e[3].vol, 0.20);
  EXPECT_EQ(e[2].model, "bsm");

  const double mv[] = {15000.0, -4000.0, 1000.0 * call.price, -500.0 * put.price};
  EXPECT_NEAR(r.market_value.net, mv[0] + mv[1] + mv[2] + mv[3], 1e-9);
  EXPECT_NEAR(r.market_value.gross, 15000 + 4000 + mv[2] - mv[3], 1e-9);
  EXPECT_NEAR(r.market_value.long_, 15000 + mv[2], 1e-9);
  EXPECT_NEAR(r.market_value.short_, -4000 + mv[3], 1e-9);
  const double da[] = {15000.0, -4000.0, 150000.0 * call.delta, -40000.0 * put.delta};
  EXPECT_NEAR(r.delta_adjusted.net, da[0] + da[1] + da[2] + da[3], 1e-9);
  EXPECT_NEAR(r.delta_adjusted.gross, 15000 + 4000 + da[2] + da[3], 1e-9);
  EXPECT_NEAR(r.notional.gross, 15000 + 4000 + 150000 + 40000, 1e-9);
  // Book Greeks: dollar delta = delta-adjusted net; gamma per 1% = q m gamma S^2 / 100.
  EXPECT_NEAR(r.greeks.dollar_delta, r.delta_adjusted.net, 1e-9);
  EXPECT_NEAR(r.greeks.dollar_gamma_1pct,
              1000 * call.gamma * 150 * 150 / 100 - 500 * put.gamma * 80 * 80 / 100, 1e-9);
  EXPECT_NEAR(r.greeks.vega_per_point, 1000 * call.vega / 100 - 500 * put.vega / 100, 1e-9);
  EXPECT_NEAR(r.greeks.theta_per_day, 1000 * call.theta / 365 - 500 * put.theta / 365, 1e-9);
  // Rho per rate point = q m rho / 100: the call's and the short put's, and zero for the stocks.
  EXPECT_NEAR(e[2].rho_per_point, 1000 * call.rho / 100, 1e-9);
  EXPECT_NEAR(e[3].rho_per_point, -500 * put.rho / 100, 1e-9);
  EXPECT_EQ(e[0].rho_per_point, 0.0);
  EXPECT_NEAR(r.greeks.rho_per_point, 1000 * call.rho / 100 - 500 * put.rho / 100, 1e-9);
}

TEST(Exposures, MoneyGreeksAreConvertedWithTheMarketValue) {
  // The same book with the MSFT positions in EUR at EUR/USD 1.10: every money figure of the put,
  // its rho per rate point among them, is 1.10 times its local figure; the per-share Greeks stay.
  Fixture f;
  ExposureReport r = compute_exposures(f.positions, f.market, f.opt);
  const PositionExposure local = r.positions[3];
  convert_exposures(r, std::vector<double>{1.0, 1.10, 1.0, 1.10});
  const PositionExposure& put = r.positions[3];
  EXPECT_NEAR(put.market_value, 1.10 * local.market_value, 1e-9);
  EXPECT_NEAR(put.vega_per_point, 1.10 * local.vega_per_point, 1e-9);
  EXPECT_NEAR(put.theta_per_day, 1.10 * local.theta_per_day, 1e-9);
  EXPECT_NEAR(put.rho_per_point, 1.10 * local.rho_per_point, 1e-9);
  EXPECT_DOUBLE_EQ(put.rho, local.rho);
  EXPECT_NEAR(r.greeks.rho_per_point, r.positions[2].rho_per_point + 1.10 * local.rho_per_point, 1e-9);
}

TEST(Exposures, GroupsByEveryKey) {
  Fixture f;
  const ExposureReport r = compute_exposures(f.positions, f.market, f.opt);
  auto by = [&](GroupBy g) { return group_exposures(f.positions, r, g); };
  const auto types = by(GroupBy::kType);
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(types[0].key, "stock");  // gross 19,000 beats the options' premium
  EXPECT_EQ(types[0].positions, 2u);
  EXPECT_NEAR(types[0].market_value.net, 11000.0, 1e-9);
  EXPECT_NEAR(types[0].market_value.gross, 19000.0, 1e-9);
  const auto tags = by(GroupBy::kTag);  // core, tech, options: AAPL counts in core and tech
  ASSERT_EQ(tags.size(), 3u);
  double tech_net = 0;
  for (const auto& g : tags) {
    if (g.key == "tech") tech_net = g.market_value.net;
  }
  EXPECT_NEAR(tech_net, 11000.0, 1e-9);
  const auto under = by(GroupBy::kUnderlying);
  ASSERT_EQ(under.size(), 2u);
  EXPECT_EQ(under[0].key, "AAPL");
  EXPECT_NEAR(under[0].delta_adjusted.net, r.positions[0].delta_adjusted + r.positions[2].delta_adjusted, 1e-9);
  const auto strategies = by(GroupBy::kStrategy);
  EXPECT_EQ(strategies.size(), 3u);
  const auto sectors = by(GroupBy::kSector);
  ASSERT_EQ(sectors.size(), 1u);
  EXPECT_NEAR(sectors[0].market_value.net, r.market_value.net, 1e-9);
  EXPECT_EQ(parse_group_by("Sector"), GroupBy::kSector);
  EXPECT_FALSE(parse_group_by("colour"));
}

TEST(Exposures, BadPositionsAreReportedAndLeftOutOfTotals) {
  Fixture f;
  f.positions[2].expiry = Date::from_ymd(2017, 11, 17);  // expired before the as-of date
  f.market.historical_vol[3] = NAN;                      // no implied vol and no history
  f.market.spot[1] = NAN;                                // no price for MSFT
  const ExposureReport r = compute_exposures(f.positions, f.market, f.opt);
  EXPECT_EQ(r.valued, 1u);
  EXPECT_EQ(r.failed, 3u);
  EXPECT_NE(r.positions[1].error.find("no price for MSFT"), std::string::npos);
  EXPECT_NE(r.positions[2].error.find("expired on 2017-11-17"), std::string::npos);
  EXPECT_NE(r.positions[3].error.find("no implied_vol and no price history of MSFT"), std::string::npos);
  EXPECT_DOUBLE_EQ(r.market_value.net, 15000.0);
  MarketInputs short_market{{1.0}, {NAN}, {}};
  EXPECT_THROW(compute_exposures(f.positions, short_market, f.opt), Error);
}

TEST(Exposures, PerPositionRatesOverrideTheFlag) {
  Fixture f;
  f.market.rate = {NAN, NAN, 0.045, NAN};  // the call from a curve, the put from the flag
  const ExposureReport r = compute_exposures(f.positions, f.market, f.opt);
  EXPECT_DOUBLE_EQ(r.positions[2].rate, 0.045);
  EXPECT_DOUBLE_EQ(r.positions[3].rate, 0.02);
  EXPECT_DOUBLE_EQ(r.positions[2].price,
                   options::bsm_price({OptionRight::kCall, 150, 160, 1.0, 0.25, 0.045, 0.0}));
  f.market.rate = {0.01};
  EXPECT_THROW(compute_exposures(f.positions, f.market, f.opt), Error);
}

TEST(Exposures, AmericanPositionsUseTheSelectedEngine) {
  Fixture f;
  f.positions[3].exercise = ExerciseStyle::kAmerican;
  const ExposureReport r = compute_exposures(f.positions, f.market, f.opt);
  EXPECT_EQ(r.positions[3].model, "alo-fixed-point");
  EXPECT_DOUBLE_EQ(r.positions[3].price,
                   options::alo_price({OptionRight::kPut, 80, 70, 1.0, 0.20, 0.02, 0.0}));
  f.opt.american_engine = options::AmericanEngine::kBaw;
  const ExposureReport b = compute_exposures(f.positions, f.market, f.opt);
  EXPECT_EQ(b.positions[3].model, "baw-approximation");
  EXPECT_DOUBLE_EQ(b.positions[3].price,
                   options::baw_price({OptionRight::kPut, 80, 70, 1.0, 0.20, 0.02, 0.0}));
}

}  // namespace
}  // namespace keel::exposures
