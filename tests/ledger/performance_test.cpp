#include "keel/ledger/performance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "keel/core/error.h"
#include "ledger_test_util.h"

namespace keel::ledger {
namespace {

using testing::day;

TEST(Xirr, MatchesExcelDocumentationExample) {
  // Microsoft's XIRR documentation example: -10000 on 2008-01-01, 2750 on 2008-03-01,
  // 4250 on 2008-10-30, 3250 on 2009-02-15, 2750 on 2009-04-01 -> 0.373362535 (37.34%).
  std::vector<DatedFlow> f = {{day("2008-01-01"), -10000}, {day("2008-03-01"), 2750},
                              {day("2008-10-30"), 4250},   {day("2009-02-15"), 3250},
                              {day("2009-04-01"), 2750}};
  const auto r = xirr(f);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(*r, 0.373362535, 1e-8);
}

TEST(Xirr, OneYearDoublingAndNoSignChange) {
  // -100 then +110 exactly 365 days later: 10%.
  std::vector<DatedFlow> f = {{day("2021-01-01"), -100}, {day("2022-01-01"), 110}};
  EXPECT_NEAR(*xirr(f), 0.10, 1e-12);
  std::vector<DatedFlow> g = {{day("2021-01-01"), 100}, {day("2022-01-01"), 110}};
  EXPECT_FALSE(xirr(g).has_value());
}

// Four days: 100; 110 (+10%); a deposit of 50 at the start of day 3 and 165 at its end
// (165 / (110 + 50) - 1 = +3.125%); 148.5 on day 4 (-10%).
std::vector<ValuePoint> four_days() {
  return {{day("2024-01-02"), 100, 0}, {day("2024-01-03"), 110, 0},
          {day("2024-01-04"), 165, 50}, {day("2024-01-05"), 148.5, 0}};
}

TEST(Performance, TwrLinksDailyReturnsAroundFlows) {
  const auto r = measure_performance(four_days(), {});
  ASSERT_EQ(r.daily_returns.size(), 3u);
  EXPECT_NEAR(r.daily_returns[0], 0.10, 1e-12);
  EXPECT_NEAR(r.daily_returns[1], 0.03125, 1e-12);
  EXPECT_NEAR(r.daily_returns[2], -0.10, 1e-12);
  // 1.1 x 1.03125 x 0.9 - 1 = 0.0209375.
  EXPECT_NEAR(r.twr, 0.0209375, 1e-12);
  EXPECT_DOUBLE_EQ(r.net_flows, 50);
  // CAGR over 3 calendar days: 1.0209375^(365/3) - 1.
  EXPECT_NEAR(r.cagr, std::pow(1.0209375, 365.0 / 3.0) - 1.0, 1e-9);
}

TEST(Performance, RiskRatiosWrittenOut) {
  const auto r = measure_performance(four_days(), {});
  // Returns 0.1, 0.03125, -0.1: mean 0.0104166..., sample sd 0.1016145..., downside deviation
  // sqrt(0.01 / 3) = 0.0577350...; annualised with sqrt(252).
  const double mean = (0.1 + 0.03125 - 0.1) / 3;
  const double sd = std::sqrt((std::pow(0.1 - mean, 2) + std::pow(0.03125 - mean, 2) + std::pow(-0.1 - mean, 2)) / 2);
  EXPECT_NEAR(sd, 0.1016145, 1e-7);
  EXPECT_NEAR(r.volatility, sd * std::sqrt(252.0), 1e-12);
  EXPECT_NEAR(r.sharpe, 1.62729, 1e-4);  // 0.0104167 / 0.1016145 x 15.8745
  EXPECT_NEAR(r.sortino, 2.86410, 1e-4);  // 0.0104167 / 0.0577350 x 15.8745
  // Wealth 1.1, 1.134375, 1.0209375: drawdown 1 - 1.0209375 / 1.134375 = 10% from day 3 to day 4.
  EXPECT_NEAR(r.max_drawdown.depth, 0.10, 1e-12);
  EXPECT_EQ(r.max_drawdown.peak, day("2024-01-04"));
  EXPECT_EQ(r.max_drawdown.trough, day("2024-01-05"));
  EXPECT_FALSE(r.max_drawdown.recovery.has_value());
  EXPECT_NEAR(r.calmar, r.cagr / 0.10, 1e-9);
  // A 2% risk-free rate lowers the Sharpe numerator by 0.02 / 252 per day.
  PerformanceOptions o;
  o.risk_free_annual = 0.02;
  EXPECT_NEAR(measure_performance(four_days(), o).sharpe, (mean - 0.02 / 252) / sd * std::sqrt(252.0), 1e-12);
}

TEST(Performance, DrawdownRecoveryAndPeriods) {
  std::vector<ValuePoint> s = {{day("2024-01-31"), 100, 0}, {day("2024-02-29"), 80, 0},
                               {day("2024-03-29"), 100, 0}, {day("2024-04-30"), 120, 0}};
  const auto r = measure_performance(s, {});
  EXPECT_NEAR(r.max_drawdown.depth, 0.20, 1e-12);
  EXPECT_EQ(r.max_drawdown.peak, day("2024-01-31"));
  EXPECT_EQ(r.max_drawdown.trough, day("2024-02-29"));
  EXPECT_EQ(r.max_drawdown.recovery, day("2024-03-29"));
  ASSERT_EQ(r.monthly.size(), 3u);
  EXPECT_EQ(r.monthly[0].period, "2024-02");
  EXPECT_NEAR(r.monthly[0].twr, -0.20, 1e-12);
  ASSERT_EQ(r.quarterly.size(), 2u);
  EXPECT_NEAR(r.quarterly[0].twr, 0.0, 1e-12);   // Q1: 100 -> 80 -> 100
  EXPECT_NEAR(r.quarterly[1].twr, 0.20, 1e-12);  // Q2: 100 -> 120
  ASSERT_EQ(r.annual.size(), 1u);
  EXPECT_NEAR(r.annual[0].twr, 0.20, 1e-12);
}

TEST(Performance, RejectsShortOrUnorderedSeries) {
  std::vector<ValuePoint> one = {{day("2024-01-02"), 100, 0}};
  EXPECT_THROW(measure_performance(one, {}), Error);
  std::vector<ValuePoint> back = {{day("2024-01-03"), 100, 0}, {day("2024-01-02"), 100, 0}};
  EXPECT_THROW(measure_performance(back, {}), Error);
}

}  // namespace
}  // namespace keel::ledger
