#include <gtest/gtest.h>

#include "keel/core/error.h"
#include "keel/io/readers.h"
#include "read_text.h"

namespace keel::io {
namespace {

using testing::read_text;

auto reader(const FxColumnNames& names = {}) {
  return [names](CsvReader& csv, Diagnostics& d) { return read_fx(csv, names, d); };
}

TEST(ReadFx, RowsAsWritten) {
  auto r = read_text("fx.csv", "date,base,quote,rate\n2024-01-02,EUR,USD,1.0956\n2024-01-02,gbp,usd,1.2645\n",
                     reader());
  ASSERT_TRUE(r.errors().empty());
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows.date[0].to_string(), "2024-01-02");
  EXPECT_EQ(r.rows.base[1], "GBP");  // codes are upper-cased
  EXPECT_EQ(r.rows.quote[1], "USD");
  EXPECT_EQ(r.rows.rate[0], 1.0956);
}

TEST(ReadFx, PairColumnInsteadOfBaseAndQuote) {
  auto r = read_text("fx.csv", "date,pair,rate\n2024-01-02,EUR/USD,1.0956\n2024-01-03,GBPUSD,1.2700\n", reader());
  ASSERT_TRUE(r.errors().empty());
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows.base[0], "EUR");
  EXPECT_EQ(r.rows.quote[1], "USD");
}

TEST(ReadFx, ColumnsRenamedForTheEcbLayout) {
  FxColumnNames names;
  apply_fx_column_spec("date=TIME_PERIOD, base=CURRENCY_DENOM,quote=CURRENCY,rate=OBS_VALUE", names);
  auto r = read_text("ecb.csv",
                     "KEY,FREQ,CURRENCY,CURRENCY_DENOM,TIME_PERIOD,OBS_VALUE\n"
                     "EXR.D.USD.EUR.SP00.A,D,USD,EUR,2024-01-02,1.0956\n",
                     reader(names));
  ASSERT_TRUE(r.errors().empty());
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows.base[0], "EUR");
  EXPECT_EQ(r.rows.quote[0], "USD");
  EXPECT_EQ(r.rows.rate[0], 1.0956);
}

TEST(ReadFx, BadColumnSpecIsAUsageError) {
  FxColumnNames names;
  EXPECT_THROW(apply_fx_column_spec("day=TIME_PERIOD", names), Error);
  EXPECT_THROW(apply_fx_column_spec("rate", names), Error);
}

TEST(ReadFx, EveryBadCellNamedWithItsPlace) {
  auto r = read_text("fx.csv",
                     "date,base,quote,rate\n"
                     "2024-01-02,EUR,USD,1.09\n"
                     "2024-02-30,EUR,USD,1.09\n"  // no such date
                     "2024-01-03,EURO,USD,1.09\n"
                     "2024-01-03,EUR,EUR,1\n"
                     "2024-01-03,EUR,USD,0\n"
                     "2024-01-03,EUR,USD,-1.1\n"
                     "2024-01-02,EUR,USD,1.10\n",  // second rate for line 2's key
                     reader());
  const auto e = r.errors();
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0].rfind("fx.csv:3:1: date:", 0), 0u) << e[0];
  EXPECT_EQ(e[1], "fx.csv:4:2: base: \"EURO\" is not a currency: expected a three-letter code such as EUR");
  EXPECT_EQ(e[2], "fx.csv:5:3: quote: quote EUR is the base currency: a rate converts one currency into another");
  EXPECT_EQ(e[3], "fx.csv:6:4: rate: \"0\" is not a rate: expected a positive number of USD per EUR");
  EXPECT_EQ(e[4], "fx.csv:7:4: rate: \"-1.1\" is not a rate: expected a positive number of USD per EUR");
  EXPECT_EQ(e[5], "fx.csv:8:1: date: a second EUR/USD rate for 2024-01-02 (first given on line 2)");
}

TEST(ReadFx, MissingColumnsNamed) {
  auto r = read_text("fx.csv", "day,base,quote,value\n2024-01-02,EUR,USD,1.09\n", reader());
  const auto e = r.errors();
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0], "fx.csv:1: missing column \"date\"");
  EXPECT_EQ(e[1], "fx.csv:1: missing column \"rate\"");
}

}  // namespace
}  // namespace keel::io
