// Currency shocks in the stress test (docs/stress.md, "Currency shocks"), worked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "keel/factors/stress.h"

namespace keel::factors {
namespace {

Date d(const char* s) { return Date::parse_or_throw(s); }

// 10 SAP at 100 EUR (EUR/USD 1.10: 1,100 USD) and 5 AAPL at 200 USD in a USD book; one factor with
// beta 1 for both stocks and 0 for the EUR/USD column.
struct Fixture {
  FxRates fx;
  risk::RiskBook book;
  StressModel model;
  Fixture() {
    FxRows rows;
    rows.add(d("2024-01-09"), "EUR", "USD", 1.10);
    fx = FxRates(rows);
    std::vector<Position> positions(2);
    positions[0].symbol = "SAP";
    positions[0].quantity = 10;
    positions[0].currency = "EUR";
    positions[1].symbol = "AAPL";
    positions[1].quantity = 5;
    PriceHistory spots;
    spots.dates = {d("2024-01-09")};
    spots.symbols = {"SAP", "AAPL"};
    spots.values = {100.0, 200.0};
    book = risk::build_risk_book(positions, spots, d("2024-01-09"), {.currency = "USD", .fx = &fx});
    model.factor_names = {"mkt_rf"};
    model.asset_betas = {1.0, 1.0, 0.0};  // SAP, AAPL, EUR/USD
    model.factor_cov = Eigen::MatrixXd::Constant(1, 1, 0.0001);
  }
};

Scenario scenario(std::vector<FactorShock> shocks) {
  Scenario s;
  s.name = "test";
  s.shocks = std::move(shocks);
  return s;
}

TEST(FxStress, CurrencyShockMovesForeignPositions) {
  const Fixture f;
  // Market -20% and the euro -10%: SAP 1,100 x (0.8 x 0.9 - 1) = -308; AAPL 1,000 x -20% = -200.
  const StressResult r =
      run_stress(f.book, f.model, scenario({{"mkt_rf", -0.2}, {"fx:eur", -0.1}}), StressMethod::kDirect);
  EXPECT_NEAR(r.position_pnl[0], -308.0, 1e-9);
  EXPECT_NEAR(r.position_pnl[1], -200.0, 1e-9);
  EXPECT_NEAR(r.pnl, -508.0, 1e-9);
  EXPECT_DOUBLE_EQ(r.asset_move[2], -0.1);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(FxStress, CurrencyShocksAloneAndInversePairs) {
  const Fixture f;
  // The euro alone -10%: SAP -110, AAPL 0.
  const StressResult alone = run_stress(f.book, f.model, scenario({{"EURUSD", -0.1}}), StressMethod::kDirect);
  EXPECT_NEAR(alone.position_pnl[0], -110.0, 1e-9);
  EXPECT_EQ(alone.position_pnl[1], 0.0);
  // USD/EUR +10% is EUR/USD 1 / 1.1 - 1 = -9.0909%: SAP 1,100 x -1/11 = -100.
  const StressResult inverse = run_stress(f.book, f.model, scenario({{"usd/eur", 0.1}}), StressMethod::kDirect);
  EXPECT_NEAR(inverse.position_pnl[0], -100.0, 1e-9);
  // A currency the book does not hold: ignored with a warning.
  const StressResult other =
      run_stress(f.book, f.model, scenario({{"mkt_rf", -0.1}, {"fx:jpy", -0.1}}), StressMethod::kDirect);
  EXPECT_NEAR(other.position_pnl[0], -110.0, 1e-9);
  ASSERT_EQ(other.warnings.size(), 1u);
  EXPECT_NE(other.warnings[0].find("fx:jpy"), std::string::npos);
}

TEST(FxStress, ParsesCurrencyKeys) {
  EXPECT_EQ(parse_currency_shock("fx:eur")->base, "EUR");
  EXPECT_TRUE(parse_currency_shock("fx:eur")->quote.empty());
  EXPECT_EQ(parse_currency_shock("EUR/USD")->quote, "USD");
  EXPECT_EQ(parse_currency_shock("gbpusd")->base, "GBP");
  EXPECT_FALSE(parse_currency_shock("mkt_rf"));
  EXPECT_FALSE(parse_currency_shock("fx:eu"));
}

}  // namespace
}  // namespace keel::factors
