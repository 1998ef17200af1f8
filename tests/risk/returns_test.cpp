#include "keel/risk/returns.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keel/core/error.h"

namespace keel::risk {
namespace {

Date d(const char* s) { return Date::parse_or_throw(s); }

PriceHistory two_symbols() {
  PriceHistory p;
  p.dates = {d("2024-01-02"), d("2024-01-03"), d("2024-01-04"), d("2024-01-05")};
  p.symbols = {"AAA", "BBB"};
  // AAA has every day; BBB misses 2024-01-03.
  p.values = {100.0, 50.0,  //
              110.0, kMissing,  //
              99.0,  55.0,  //
              99.0,  44.0};
  return p;
}

TEST(SimpleReturns, AlignsOnCommonDates) {
  const auto prices = two_symbols();
  const std::vector<std::string> syms{"BBB", "AAA"};
  const ReturnMatrix r = simple_returns(prices, syms, {.window = 0});
  ASSERT_EQ(r.rows(), 2u);
  ASSERT_EQ(r.cols(), 2u);
  EXPECT_EQ(r.symbols[0], "BBB");
  // 2024-01-03 is dropped for both: returns 01-02 -> 01-04 and 01-04 -> 01-05.
  EXPECT_EQ(r.dates[0], d("2024-01-04"));
  EXPECT_DOUBLE_EQ(r.at(0, 0), 55.0 / 50.0 - 1.0);   // +10%
  EXPECT_DOUBLE_EQ(r.at(0, 1), 99.0 / 100.0 - 1.0);  // -1%
  EXPECT_DOUBLE_EQ(r.at(1, 0), 44.0 / 55.0 - 1.0);   // -20%
  EXPECT_DOUBLE_EQ(r.at(1, 1), 0.0);
}

TEST(SimpleReturns, WindowTakesTheLastReturnsUpToAsOf) {
  const auto prices = two_symbols();
  const std::vector<std::string> syms{"AAA"};
  const ReturnMatrix r = simple_returns(prices, syms, {.window = 2, .as_of = d("2024-01-04")});
  ASSERT_EQ(r.rows(), 2u);
  EXPECT_NEAR(r.at(0, 0), 0.10, 1e-15);
  EXPECT_DOUBLE_EQ(r.at(1, 0), 99.0 / 110.0 - 1.0);
}

TEST(SimpleReturns, WindowLargerThanHistoryNamesTheShortSymbols) {
  const auto prices = two_symbols();
  const std::vector<std::string> syms{"AAA", "BBB"};
  try {
    simple_returns(prices, syms, {.window = 3});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    ASSERT_EQ(e.details().size(), 1u);
    EXPECT_NE(e.details()[0].find("BBB: 3 prices, 4 needed"), std::string::npos) << e.details()[0];
  }
}

TEST(SimpleReturns, TooFewCommonDatesIsAnError) {
  // Each symbol has 3 prices (enough for 2 returns) but they share only 2 dates.
  PriceHistory p = two_symbols();
  p.values = {100.0, kMissing, 101.0, 50.0, 102.0, 51.0, kMissing, 52.0};
  const std::vector<std::string> syms{"AAA", "BBB"};
  try {
    simple_returns(p, syms, {.window = 2});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("share 2 dates"), std::string::npos) << e.what();
  }
  EXPECT_EQ(simple_returns(p, syms, {.window = 1}).rows(), 1u);
}

TEST(SimpleReturns, SymbolWithoutPricesIsAnError) {
  auto prices = two_symbols();
  const std::vector<std::string> syms{"AAA", "ZZZ"};
  try {
    simple_returns(prices, syms, {.window = 1});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    ASSERT_EQ(e.details().size(), 1u);
    EXPECT_EQ(e.details()[0], "ZZZ: no prices");
  }
  for (std::size_t t = 0; t < prices.rows(); ++t) prices.at(t, 1) = kMissing;
  const std::vector<std::string> b{"BBB"};
  EXPECT_THROW(simple_returns(prices, b, {.window = 1}), Error);
}

TEST(SimpleReturns, NonPositivePriceIsAnError) {
  auto prices = two_symbols();
  prices.at(3, 0) = 0.0;
  const std::vector<std::string> syms{"AAA"};
  EXPECT_THROW(simple_returns(prices, syms, {.window = 2}), Error);
}

TEST(OverlappingReturns, CompoundsConsecutiveDays) {
  ReturnMatrix r;
  r.symbols = {"X"};
  r.dates = {d("2024-01-02"), d("2024-01-03"), d("2024-01-04")};
  r.values = {0.10, -0.10, 0.20};
  const ReturnMatrix o = overlapping_returns(r, 2);
  ASSERT_EQ(o.rows(), 2u);
  EXPECT_NEAR(o.at(0, 0), 1.1 * 0.9 - 1.0, 1e-15);  // -1%
  EXPECT_NEAR(o.at(1, 0), 0.9 * 1.2 - 1.0, 1e-15);  // +8%
  EXPECT_EQ(o.dates[1], d("2024-01-04"));
  EXPECT_THROW(overlapping_returns(r, 0), Error);
  EXPECT_THROW(overlapping_returns(r, 4), Error);
}

}  // namespace
}  // namespace keel::risk

namespace keel::risk {
namespace {

TEST(SimpleReturns, CarryForwardProxyKeepsEveryDateWithZeroReturns) {
  PriceHistory p;
  p.dates = {Date::parse_or_throw("2024-01-02"), Date::parse_or_throw("2024-01-03"),
             Date::parse_or_throw("2024-01-04"), Date::parse_or_throw("2024-01-05")};
  p.symbols = {"OLD", "NEW"};
  // NEW lists on 01-04; OLD misses 01-04.
  p.values = {100.0, kMissing, 110.0, kMissing, kMissing, 20.0, 121.0, 22.0};
  const std::vector<std::string> syms{"OLD", "NEW"};
  EXPECT_THROW(simple_returns(p, syms, {.window = 3}), Error);
  const ReturnMatrix r =
      simple_returns(p, syms, {.window = 3, .missing = MissingPrices::kCarryForward});
  ASSERT_EQ(r.rows(), 3u);
  // OLD: +10%, 0 (carried 110), 121/110 - 1 = +10%. NEW: 0, 0 (first price), +10%.
  EXPECT_NEAR(r.at(0, 0), 0.10, 1e-15);
  EXPECT_DOUBLE_EQ(r.at(1, 0), 0.0);
  EXPECT_NEAR(r.at(2, 0), 0.10, 1e-15);
  EXPECT_DOUBLE_EQ(r.at(0, 1), 0.0);
  EXPECT_DOUBLE_EQ(r.at(1, 1), 0.0);
  EXPECT_NEAR(r.at(2, 1), 0.10, 1e-15);
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_EQ(r.warnings[0], "OLD: 1 of 3 returns proxied as zero (no price that day or before)");
  EXPECT_EQ(r.warnings[1], "NEW: 2 of 3 returns proxied as zero (no price that day or before)");
  // Window 2 starts on 01-03: OLD's 110 is carried in from that date.
  const ReturnMatrix w2 =
      simple_returns(p, syms, {.window = 2, .missing = MissingPrices::kCarryForward});
  EXPECT_DOUBLE_EQ(w2.at(0, 0), 0.0);
  EXPECT_NEAR(w2.at(1, 0), 0.10, 1e-15);
}

}  // namespace
}  // namespace keel::risk

namespace keel::risk {
namespace {

TEST(SimpleReturns, WarnsAboutDailyMovesBeyondOneHundredPercent) {
  PriceHistory p;
  p.dates = {Date::parse_or_throw("2024-01-02"), Date::parse_or_throw("2024-01-03"),
             Date::parse_or_throw("2024-01-04")};
  p.symbols = {"OK", "BAD"};
  // BAD jumps from 0.01 to 12 (+119,900%): a reused ticker.
  p.values = {10.0, 0.01, 10.5, 12.0, 10.0, 12.5};
  const std::vector<std::string> syms{"OK", "BAD"};
  const ReturnMatrix r = simple_returns(p, syms, {.window = 2});
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].rfind("BAD: 1 daily return(s) beyond +-100%, the largest 119900", 0), 0u)
      << r.warnings[0];
}

}  // namespace
}  // namespace keel::risk
