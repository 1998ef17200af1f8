// Exposures of a book in several currencies: each position valued in its own currency, then its
// money figures converted into the reporting currency before the totals; grouped by currency.
#include <gtest/gtest.h>

#include <vector>

#include "keel/core/error.h"
#include "keel/exposures/exposures.h"

namespace keel::exposures {
namespace {

Position stock(const char* symbol, double quantity, const char* currency) {
  Position p;
  p.symbol = symbol;
  p.quantity = quantity;
  p.currency = currency;
  return p;
}

TEST(ExposuresCurrency, ConvertedAtEachPositionsRateThenGroupedByCurrency) {
  // 10 SAP at 100 EUR, 5 AAPL at 200 USD, -4 VOD at 50 GBP; a USD book with EUR/USD 1.10 and
  // GBP/USD 1.25: 1,100 USD, 1,000 USD and -250 USD.
  const std::vector<Position> book = {stock("SAP", 10, "EUR"), stock("AAPL", 5, "USD"), stock("VOD", -4, "GBP")};
  MarketInputs m;
  m.spot = {100.0, 200.0, 50.0};
  m.historical_vol.assign(3, 0.0);
  ExposureOptions o;
  o.as_of = Date::parse_or_throw("2024-03-01");
  ExposureReport r = compute_exposures(book, m, o);
  EXPECT_DOUBLE_EQ(r.market_value.net, 1000.0 + 1000.0 - 200.0);  // before: currencies mixed
  const std::vector<double> fx = {1.10, 1.0, 1.25};
  convert_exposures(r, fx);
  EXPECT_NEAR(r.positions[0].market_value, 1100.0, 1e-12);
  EXPECT_DOUBLE_EQ(r.positions[0].spot, 100.0);  // spot and price stay local
  EXPECT_NEAR(r.positions[2].notional, -250.0, 1e-12);
  EXPECT_NEAR(r.market_value.net, 1850.0, 1e-12);
  EXPECT_NEAR(r.market_value.gross, 2350.0, 1e-12);
  EXPECT_NEAR(r.market_value.short_, -250.0, 1e-12);
  EXPECT_NEAR(r.greeks.dollar_delta, 1850.0, 1e-12);

  const auto groups = group_exposures(book, r, GroupBy::kCurrency);
  ASSERT_EQ(groups.size(), 3u);  // by descending gross: EUR 1,100, USD 1,000, GBP 250
  EXPECT_EQ(groups[0].key, "EUR");
  EXPECT_NEAR(groups[0].market_value.net, 1100.0, 1e-12);
  EXPECT_EQ(groups[1].key, "USD");
  EXPECT_EQ(groups[2].key, "GBP");
  EXPECT_NEAR(groups[2].market_value.net, -250.0, 1e-12);
  EXPECT_EQ(parse_group_by("Currency"), GroupBy::kCurrency);

  const std::vector<double> bad = {1.10, 0.0, 1.25};
  EXPECT_THROW(convert_exposures(r, bad), Error);
  EXPECT_THROW(convert_exposures(r, std::vector<double>{1.0}), Error);
}

}  // namespace
}  // namespace keel::exposures
