// FX rates on every backend: rows written in one transaction come back bit for bit, a key written
// again replaces its rate, reads select the pairs touching a set of currencies over a date range,
// and the pairs list their first and last dates and counts.
#include "keel/store/fx_repository.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>

#include "backends.h"
#include "keel/core/error.h"
#include "keel/store/store.h"

namespace keel::store {
namespace {

class FxContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, FxContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

Date d(const char* text) {
  return Date::parse_or_throw(text);
}

std::uint64_t bits(double v) {
  return std::bit_cast<std::uint64_t>(v);
}

TEST_P(FxContract, RatesComeBackBitForBit) {
  auto s = open_store_under_test();
  FxRows rows;
  // Rates whose last binary digits a decimal round trip through 15 digits would change.
  rows.add(d("2024-03-01"), "EUR", "USD", 1.0838000000000001);
  rows.add(d("2024-03-01"), "GBP", "USD", 1.0 / 0.7903);
  rows.add(d("2024-03-04"), "EUR", "USD", 0.1 + 0.2 + 0.7854);
  rows.add(d("2024-03-01"), "USD", "JPY", 150.123456789012345);
  const FxUpsertStats stats = s->fx().upsert(rows);
  EXPECT_EQ(stats.rows, 4U);
  EXPECT_EQ(stats.inserted, 4U);
  EXPECT_EQ(stats.updated, 0U);

  const FxRows back = s->fx().rows({}, std::nullopt, std::nullopt);
  ASSERT_EQ(back.size(), 4U);
  // By base, quote, date.
  EXPECT_EQ(back.base[0], "EUR");
  EXPECT_EQ(back.date[0], d("2024-03-01"));
  EXPECT_EQ(bits(back.rate[0]), bits(1.0838000000000001));
  EXPECT_EQ(back.date[1], d("2024-03-04"));
  EXPECT_EQ(bits(back.rate[1]), bits(0.1 + 0.2 + 0.7854));
  EXPECT_EQ(back.base[2], "GBP");
  EXPECT_EQ(bits(back.rate[2]), bits(1.0 / 0.7903));
  EXPECT_EQ(back.base[3], "USD");
  EXPECT_EQ(back.quote[3], "JPY");
  EXPECT_EQ(bits(back.rate[3]), bits(150.123456789012345));
}

TEST_P(FxContract, AKeyWrittenAgainReplacesItsRate) {
  auto s = open_store_under_test();
  FxRows first;
  first.add(d("2024-03-01"), "EUR", "USD", 1.08);
  first.add(d("2024-03-04"), "EUR", "USD", 1.09);
  s->fx().upsert(first);
  FxRows again;
  again.add(d("2024-03-04"), "EUR", "USD", 1.085);
  again.add(d("2024-03-05"), "EUR", "USD", 1.087);
  const FxUpsertStats stats = s->fx().upsert(again);
  EXPECT_EQ(stats.inserted, 1U);
  EXPECT_EQ(stats.updated, 1U);
  const FxRows back = s->fx().rows({"EUR"}, std::nullopt, std::nullopt);
  ASSERT_EQ(back.size(), 3U);
  EXPECT_EQ(back.rate[1], 1.085);
  EXPECT_EQ(back.rate[2], 1.087);
}

TEST_P(FxContract, ManyRowsSpanSeveralStatementsInOneTransaction) {
  auto s = open_store_under_test();
  FxRows rows;
  // 450 rows: two full statements of 200 and one of 50.
  for (int i = 0; i < 450; ++i) rows.add(Date::from_serial(19'000 + i), "EUR", "USD", 1.0 + i * 1e-4);
  EXPECT_EQ(s->fx().upsert(rows).inserted, 450U);
  const auto pairs = s->fx().pairs();
  ASSERT_EQ(pairs.size(), 1U);
  EXPECT_EQ(pairs[0].rates, 450U);
  EXPECT_EQ(pairs[0].first, Date::from_serial(19'000));
  EXPECT_EQ(pairs[0].last, Date::from_serial(19'449));
}

TEST_P(FxContract, AFailedWriteKeepsNothing) {
  auto s = open_store_under_test();
  FxRows rows;
  rows.add(d("2024-03-01"), "EUR", "USD", 1.08);
  rows.add(d("2024-03-04"), "EUR", "USD", -1.0);  // refused by the table's CHECK, after a good row
  EXPECT_THROW(s->fx().upsert(rows), Error);
  EXPECT_EQ(s->fx().rows({}, std::nullopt, std::nullopt).size(), 0U);
  EXPECT_TRUE(s->fx().pairs().empty());
}

TEST_P(FxContract, ReadsThePairsTouchingCurrenciesOverADateRange) {
  auto s = open_store_under_test();
  FxRows rows;
  for (const char* day : {"2024-02-20", "2024-03-01", "2024-03-04"}) {
    rows.add(d(day), "EUR", "USD", 1.08);
    rows.add(d(day), "GBP", "USD", 1.26);
    rows.add(d(day), "CHF", "JPY", 170.0);
  }
  s->fx().upsert(rows);
  const FxRows eur = s->fx().rows({"EUR", "GBP"}, d("2024-03-01"), d("2024-03-04"));
  ASSERT_EQ(eur.size(), 4U);
  for (std::size_t i = 0; i < eur.size(); ++i) {
    EXPECT_NE(eur.base[i], "CHF");
    EXPECT_GE(eur.date[i], d("2024-03-01"));
  }
  // USD is the quote of two pairs: both, and not CHF/JPY.
  EXPECT_EQ(s->fx().rows({"USD"}, std::nullopt, d("2024-02-20")).size(), 2U);

  const auto pairs = s->fx().pairs();
  ASSERT_EQ(pairs.size(), 3U);
  EXPECT_EQ(pairs[0].base, "CHF");
  EXPECT_EQ(pairs[0].quote, "JPY");
  EXPECT_EQ(pairs[1].base, "EUR");
  EXPECT_EQ(pairs[1].first, d("2024-02-20"));
  EXPECT_EQ(pairs[1].last, d("2024-03-04"));
  EXPECT_EQ(pairs[1].rates, 3U);
}

}  // namespace
}  // namespace keel::store
