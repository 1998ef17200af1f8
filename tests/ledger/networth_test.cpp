// Net worth history (keel/ledger/networth.h) on a hand-worked series.
#include "keel/ledger/networth.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "keel/core/error.h"
#include "ledger_test_util.h"

namespace keel::ledger {
namespace {

using namespace testing;

// Month ends 2024-01-31 .. 2024-04-30 and 2025-01-31: 1000, 1100, 990, 1200, 1500.
std::vector<NetWorthPoint> series() {
  return {{day("2024-01-31"), D("1000")}, {day("2024-02-29"), D("1100")}, {day("2024-03-31"), D("990")},
          {day("2024-04-30"), D("1200")}, {day("2025-01-31"), D("1500")}};
}

TEST(NetWorthHistory, StepsChangeAndGrowth) {
  const auto p = series();
  const auto h = net_worth_history(p);
  ASSERT_EQ(h.steps.size(), 4u);
  // 1000 -> 1100: +100, 10%; 1100 -> 990: -110, -10%; 990 -> 1200: +210, 210/990; 1200 -> 1500: +300, 25%.
  EXPECT_EQ(h.steps[0].change, D("100"));
  EXPECT_NEAR(*h.steps[0].growth, 0.10, 1e-15);
  EXPECT_EQ(h.steps[1].change, D("-110"));
  EXPECT_NEAR(*h.steps[1].growth, -0.10, 1e-15);
  EXPECT_EQ(h.steps[2].change, D("210"));
  EXPECT_NEAR(*h.steps[2].growth, 210.0 / 990.0, 1e-15);
  EXPECT_EQ(h.steps[3].start, day("2024-04-30"));
  EXPECT_EQ(h.steps[3].end, day("2025-01-31"));
  EXPECT_NEAR(*h.steps[3].growth, 0.25, 1e-15);
}

TEST(NetWorthHistory, PeriodsChainFromTheLastPointBefore) {
  const auto p = series();
  const auto h = net_worth_history(p);
  // Months: each point after the first ends its month, which starts at the point before.
  ASSERT_EQ(h.monthly.size(), 4u);
  EXPECT_EQ(h.monthly[0].period, "2024-02");
  EXPECT_EQ(h.monthly[3].period, "2025-01");
  EXPECT_EQ(h.monthly[3].start_value, D("1200"));
  // Quarters: 2024-Q1 from 1000 (the first point) to 990 (-10, -1%); 2024-Q2 990 -> 1200;
  // 2025-Q1 1200 -> 1500.
  ASSERT_EQ(h.quarterly.size(), 3u);
  EXPECT_EQ(h.quarterly[0].period, "2024-Q1");
  EXPECT_EQ(h.quarterly[0].start_value, D("1000"));
  EXPECT_EQ(h.quarterly[0].end_value, D("990"));
  EXPECT_EQ(h.quarterly[0].change, D("-10"));
  EXPECT_NEAR(*h.quarterly[0].growth, -0.01, 1e-15);
  EXPECT_EQ(h.quarterly[1].period, "2024-Q2");
  EXPECT_EQ(h.quarterly[1].change, D("210"));
  // Years: 2024 1000 -> 1200 (+20%); 2025 1200 -> 1500 (+25%).
  ASSERT_EQ(h.annual.size(), 2u);
  EXPECT_EQ(h.annual[0].period, "2024");
  EXPECT_NEAR(*h.annual[0].growth, 0.20, 1e-15);
  EXPECT_EQ(h.annual[1].start, day("2024-04-30"));
  EXPECT_NEAR(*h.annual[1].growth, 0.25, 1e-15);
}

TEST(NetWorthHistory, TotalAndAnnualizedGrowth) {
  const auto p = series();
  const auto h = net_worth_history(p);
  ASSERT_TRUE(h.total.has_value());
  EXPECT_EQ(h.total->change, D("500"));
  EXPECT_NEAR(*h.total->growth, 0.5, 1e-15);
  // 2024-01-31 -> 2025-01-31 is 366 days (2024 is a leap year): 1.5^(365/366) - 1.
  EXPECT_EQ(p.back().date - p.front().date, 366);
  EXPECT_NEAR(*h.annualized_growth, std::pow(1.5, 365.0 / 366.0) - 1.0, 1e-14);
}

TEST(NetWorthHistory, EdgeCases) {
  EXPECT_FALSE(net_worth_history({}).total.has_value());
  // One point: no step, no period, a zero change over no day (no annualized rate).
  const std::vector<NetWorthPoint> one = {{day("2024-01-31"), D("1000")}};
  const auto h1 = net_worth_history(one);
  EXPECT_TRUE(h1.steps.empty());
  EXPECT_TRUE(h1.monthly.empty());
  EXPECT_EQ(h1.total->change, D("0"));
  EXPECT_FALSE(h1.annualized_growth.has_value());
  // A start at zero or below has no growth rate, but a change.
  const std::vector<NetWorthPoint> from_zero = {{day("2024-01-31"), D("0")}, {day("2024-02-29"), D("50")}};
  const auto h0 = net_worth_history(from_zero);
  EXPECT_EQ(h0.steps[0].change, D("50"));
  EXPECT_FALSE(h0.steps[0].growth.has_value());
  EXPECT_FALSE(h0.annualized_growth.has_value());
  // Dates out of order or repeated are an error.
  const std::vector<NetWorthPoint> bad = {{day("2024-02-29"), D("1")}, {day("2024-02-29"), D("2")}};
  EXPECT_THROW(net_worth_history(bad), Error);
}

}  // namespace
}  // namespace keel::ledger
