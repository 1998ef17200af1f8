// FX conversion: expected values worked by hand from the rates in each test.
#include "keel/portfolio/fx.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"

namespace keel {
namespace {

Date d(const char* s) { return Date::parse_or_throw(s); }

FxRates three_pairs() {
  FxRows rows;
  rows.add(d("2024-03-01"), "EUR", "USD", 1.10);  // Friday
  rows.add(d("2024-03-04"), "EUR", "USD", 1.08);  // Monday
  rows.add(d("2024-03-01"), "GBP", "USD", 1.25);
  rows.add(d("2024-03-04"), "GBP", "USD", 1.27);
  rows.add(d("2024-03-01"), "USD", "JPY", 150.0);
  return FxRates(rows);
}

TEST(FxRates, DirectAndInverse) {
  const auto fx = three_pairs();
  EXPECT_DOUBLE_EQ(fx.rate("EUR", "USD", d("2024-03-04")).rate, 1.08);
  // 1 USD = 1 / 1.08 EUR.
  EXPECT_DOUBLE_EQ(fx.rate("USD", "EUR", d("2024-03-04")).rate, 1.0 / 1.08);
  EXPECT_EQ(fx.rate("USD", "USD", d("1999-01-01")).rate, 1.0);
  EXPECT_EQ(fx.route("USD", "EUR")->describe(fx), "USD/EUR (inverse of EUR/USD)");
}

TEST(FxRates, TriangularCrossThroughThePivot) {
  const auto fx = three_pairs();
  // EUR→GBP: 1 EUR = 1.10 USD and 1 GBP = 1.25 USD, so 1 EUR = 1.10 / 1.25 = 0.88 GBP.
  const auto q = fx.rate("EUR", "GBP", d("2024-03-01"));
  EXPECT_NEAR(q.rate, 0.88, 1e-15);
  EXPECT_EQ(q.via, "USD");
  // GBP→JPY on 2024-03-01: 1.25 USD per GBP x 150 JPY per USD = 187.5.
  EXPECT_NEAR(fx.rate("GBP", "JPY", d("2024-03-01")).rate, 187.5, 1e-12);
  EXPECT_EQ(fx.route("EUR", "GBP")->describe(fx), "EUR→GBP via USD");
}

TEST(FxRates, StaleRateUsedWithinAWeekThenRefused) {
  const auto fx = three_pairs();
  // Saturday 2024-03-02 takes Friday's rate, and says so.
  const auto sat = fx.rate("EUR", "USD", d("2024-03-02"));
  EXPECT_DOUBLE_EQ(sat.rate, 1.10);
  EXPECT_EQ(sat.rate_date, d("2024-03-01"));
  // 2024-03-11 is 7 days after Monday's rate: still used; 2024-03-12 is 8: missing.
  EXPECT_DOUBLE_EQ(fx.rate("EUR", "USD", d("2024-03-11")).rate, 1.08);
  EXPECT_FALSE(fx.find("EUR", "USD", d("2024-03-12")));
  try {
    fx.rate("EUR", "USD", d("2024-03-12"));
    FAIL() << "a missing rate must be refused";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "no FX rate for EUR/USD on or up to 7 days before 2024-03-12 (latest: 2024-03-04)");
  }
  // Before the first rate, and a pair with no route at all.
  EXPECT_THROW(fx.rate("EUR", "USD", d("2024-02-29")), Error);
  try {
    fx.rate("EUR", "CHF", d("2024-03-01"));
    FAIL() << "a currency with no rates must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no FX rate for EUR/CHF on 2024-03-01"), std::string::npos) << e.what();
  }
}

TEST(FxRates, CrossNamesTheLegThatIsMissing) {
  const auto fx = three_pairs();
  // USD/JPY has only 2024-03-01; GBP→JPY on 2024-03-12 lacks both legs, the first named.
  try {
    fx.rate("JPY", "GBP", d("2024-03-09"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "no FX rate for USD/JPY (a leg of JPY→GBP via USD) on or up to 7 days before 2024-03-09 "
                 "(latest: 2024-03-01)");
  }
}

TEST(FxRates, SeriesOnDates) {
  const auto fx = three_pairs();
  const std::vector<Date> dates{d("2024-03-01"), d("2024-03-02"), d("2024-03-04")};
  const auto s = fx.series(*fx.route("USD", "EUR"), dates);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_DOUBLE_EQ(s[0], 1.0 / 1.10);
  EXPECT_DOUBLE_EQ(s[1], 1.0 / 1.10);
  EXPECT_DOUBLE_EQ(s[2], 1.0 / 1.08);
}

TEST(FxRates, BadRowsRefusedTogether) {
  FxRows rows;
  rows.add(d("2024-03-01"), "EUR", "USD", 1.10);
  rows.add(d("2024-03-01"), "EUR", "USD", 1.11);    // a second rate
  rows.add(d("2024-03-01"), "USD", "EUR", 0.5);     // the inverse disagrees
  rows.add(d("2024-03-01"), "EUR", "EUR", 1.0);     // one currency
  rows.add(d("2024-03-01"), "GBP", "USD", -1.0);    // not positive
  try {
    FxRates fx(rows);
    FAIL();
  } catch (const Error& e) {
    ASSERT_EQ(e.details().size(), 4u);
    EXPECT_EQ(e.details()[0], "rate 4 (2024-03-01 EUR/EUR): base and quote are the same currency");
    EXPECT_EQ(e.details()[1], "rate 5 (2024-03-01 GBP/USD): rate -1 is not a positive finite number");
    EXPECT_EQ(e.details()[2], "rate 2 (2024-03-01 EUR/USD): a second rate for this pair and date");
    EXPECT_EQ(e.details()[3], "2024-03-01: EUR/USD 1.1 and USD/EUR 0.5 are not each other's inverse");
  }
}

TEST(FxRates, CurrencyCodes) {
  EXPECT_TRUE(is_currency_code("USD"));
  EXPECT_FALSE(is_currency_code("usd"));
  EXPECT_FALSE(is_currency_code("EURO"));
  EXPECT_FALSE(is_currency_code(""));
}

}  // namespace
}  // namespace keel
