// Migration 8: positions.dividend_yield (per-option continuous dividend yield; NULL = the run's
// default) survives a save and load.
#include <gtest/gtest.h>

#include "keel/store/migrations.h"
#include "keel/store/store.h"
#include "sqlite_connection.h"

namespace keel {
namespace {

Position option(const char* symbol, std::optional<double> yield) {
  Position p;
  p.symbol = symbol;
  p.type = InstrumentType::kOption;
  p.quantity = 1;
  p.underlying = "SPY";
  p.strike = 450;
  p.expiry = Date::parse("2025-01-17");
  p.option_type = OptionRight::kCall;
  p.multiplier = 100;
  p.implied_vol = 0.2;
  p.dividend_yield = yield;
  return p;
}

TEST(StoreDividendYield, RoundTripKeepsAYieldAndItsAbsence) {
  auto s = open_store(":memory:");
  s->save_portfolio(kDefaultTenant, "book",
                    {option("SPY250117C00450000", 0.0125), option("SPY250117C00460000", std::nullopt),
                     option("SPY250117C00470000", -0.004)},
                    "test");
  const std::vector<Position> back = s->positions(kDefaultTenant, "book");
  ASSERT_EQ(back.size(), 3u);
  ASSERT_TRUE(back[0].dividend_yield.has_value());
  EXPECT_DOUBLE_EQ(*back[0].dividend_yield, 0.0125);
  EXPECT_FALSE(back[1].dividend_yield.has_value());
  ASSERT_TRUE(back[2].dividend_yield.has_value());
  EXPECT_DOUBLE_EQ(*back[2].dividend_yield, -0.004);
}

TEST(StoreDividendYield, ADatabaseFromBeforeMigrationEightGainsTheColumn) {
  store::SqliteConnection db(":memory:");
  db.exec("ALTER TABLE positions DROP COLUMN dividend_yield; DELETE FROM schema_version WHERE version = 8");
  auto count = [&db] {
    auto st = db.prepare("SELECT COUNT(*) FROM pragma_table_info('positions') WHERE name = 'dividend_yield'");
    st.step();
    return st.get_int(0);
  };
  ASSERT_EQ(count(), 0);
  db.migrate();
  EXPECT_EQ(count(), 1);
}

}  // namespace
}  // namespace keel
