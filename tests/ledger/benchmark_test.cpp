// The benchmark comparison on four days worked by hand: an account returning +10%, -10%, +10%
// against a 50:50 blend of A and B rebalanced at the end of January. The full definitions against
// numpy/pandas on examples/ledger: tests/ledger/benchmark_reference.py (cases/cli/ledger_benchmark).
#include "keel/ledger/benchmark.h"

#include <gtest/gtest.h>

#include <cmath>

#include "keel/core/error.h"
#include "ledger_test_util.h"

namespace keel::ledger {
namespace {

using testing::day;

PriceHistory blend_closes() {
  PriceHistory h;
  h.symbols = {"A", "B"};
  h.dates = {day("2024-01-29"), day("2024-01-30"), day("2024-01-31"), day("2024-02-01"), day("2024-02-02")};
  // A: 10, 11, 11, 12.1 from 2024-01-30; B: 20, 20, 22, 22. The 2024-01-29 row (9, 19) is before
  // the account starts and is not used.
  h.values = {9, 19, 10, 20, 11, 20, 11, 22, 12.1, 22};
  return h;
}

TEST(Benchmark, BlendRebalancedAtMonthEnd) {
  const std::vector<ValuePoint> s = {{day("2024-01-30"), 100.0, 0.0},
                                     {day("2024-01-31"), 110.0, 0.0},
                                     {day("2024-02-01"), 99.0, 0.0},
                                     {day("2024-02-02"), 108.9, 0.0}};
  const auto perf = measure_performance(s, PerformanceOptions{});
  const auto comps = parse_benchmark("50:A,50:B");
  const auto c = compare_to_benchmark(s, perf, blend_closes(), comps, BenchmarkOptions{});
  // Units 0.5/10 of A and 0.5/20 of B: 2024-01-31 index 0.05 x 11 + 0.025 x 20 = 1.05, the month's
  // last point: back to half each, 0.5 x 1.05 / 11 of A and 0.5 x 1.05 / 20 of B. 2024-02-01:
  // 0.525 + 0.5775 = 1.1025 (held without rebalancing: 1.1); 2024-02-02: 0.5775 + 0.5775 = 1.155.
  ASSERT_EQ(c.index.size(), 4u);
  EXPECT_DOUBLE_EQ(c.index[1], 1.05);
  EXPECT_DOUBLE_EQ(c.index[2], 1.1025);
  EXPECT_DOUBLE_EQ(c.index[3], 1.155);
  // b = 0.05, 0.05, 1/21; r = 0.1, -0.1, 0.1.
  EXPECT_NEAR(c.returns[2], 1.0 / 21.0, 1e-15);
  EXPECT_NEAR(c.portfolio_return, 0.089, 1e-15);  // 1.1 x 0.9 x 1.1 - 1
  EXPECT_NEAR(c.benchmark_return, 0.155, 1e-15);
  EXPECT_NEAR(c.excess_return, -0.066, 1e-15);
  // Deviations from the means: r (1, -2, 1) / 15, b (1, 1, -2) / 1260: cov = -3 / 18900 / 2,
  // var(b) = 6 / 1260^2 / 2, beta = -42; var(r) = 6 / 225 / 2: correlation -0.5.
  EXPECT_NEAR(c.beta, -42.0, 1e-9);
  EXPECT_NEAR(c.correlation, -0.5, 1e-12);
  // alpha = (1/30 + 42 x 3.1/63) x 252 = 2.1 x 252.
  EXPECT_NEAR(c.alpha, 529.2, 1e-9);
  // a = r - b, deviations (4.15, -8.45, 4.3) / 63: sd = sqrt(107.115 / 2) / 63; TE = sd sqrt(252);
  // IR = mean(a) / sd sqrt(252) = -(1/63) / sd sqrt(252).
  const double sd = std::sqrt(107.115 / 2.0) / 63.0;
  EXPECT_NEAR(c.tracking_error, sd * std::sqrt(252.0), 1e-12);
  EXPECT_NEAR(c.information_ratio, -(1.0 / 63.0) / sd * std::sqrt(252.0), 1e-12);
  // Every benchmark day rose: up capture = sum(r) / sum(b) = 0.1 / (0.1 + 1/21); no down day.
  ASSERT_TRUE(c.up_capture.has_value());
  EXPECT_NEAR(*c.up_capture, 0.1 / (0.1 + 1.0 / 21.0), 1e-14);
  EXPECT_FALSE(c.down_capture.has_value());
  EXPECT_EQ(c.benchmark_drawdown.depth, 0.0);
  // January: r 0.1, b 0.05; February: r 0.9 x 1.1 - 1 = -0.01, b 1.155 / 1.05 - 1 = 0.1.
  ASSERT_EQ(c.monthly.size(), 2u);
  EXPECT_EQ(c.monthly[1].period, "2024-02");
  EXPECT_NEAR(c.monthly[1].portfolio, -0.01, 1e-15);
  EXPECT_NEAR(c.monthly[1].benchmark, 0.1, 1e-15);
  ASSERT_EQ(c.annual.size(), 1u);
  EXPECT_NEAR(c.annual[0].excess, -0.066, 1e-15);
  // No flows: 100 in the benchmark is 115.50 at the end.
  EXPECT_NEAR(c.same_flows_end_value, 115.5, 1e-12);
}

TEST(Benchmark, FlowsBuyTheBenchmarkAtThePreviousClose) {
  // A deposit of 50 on the third day buys 50 / B(day 2) units: 100 / 1 + 50 / 1.1025 units.
  const std::vector<ValuePoint> s = {{day("2024-01-30"), 100.0, 0.0},
                                     {day("2024-01-31"), 110.0, 0.0},
                                     {day("2024-02-01"), 99.0, 0.0},
                                     {day("2024-02-02"), 160.0, 50.0}};
  const auto perf = measure_performance(s, PerformanceOptions{});
  const auto c = compare_to_benchmark(s, perf, blend_closes(), parse_benchmark("50:A,50:B"), BenchmarkOptions{});
  EXPECT_NEAR(c.same_flows_end_value, (100.0 + 50.0 / 1.1025) * 1.155, 1e-12);
}

TEST(Benchmark, ParsesSymbolsAndWeights) {
  auto b = parse_benchmark("SPY");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].symbol, "SPY");
  EXPECT_EQ(b[0].weight, 1.0);
  b = parse_benchmark(" 60:spy , 40:AGG ");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].symbol, "SPY");
  EXPECT_DOUBLE_EQ(b[0].weight, 0.6);
  EXPECT_DOUBLE_EQ(b[1].weight, 0.4);
  b = parse_benchmark("0.75:VTI,0.25:BND");
  EXPECT_DOUBLE_EQ(b[0].weight, 0.75);
  try {
    parse_benchmark("60:SPY,,-1:AGG,40:SPY,30:");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.details().size(), 4u) << e.what();
  }
  EXPECT_THROW(parse_benchmark(" "), Error);
}

TEST(Benchmark, AComponentWithoutAPriceAtTheStartIsRefused) {
  const std::vector<ValuePoint> s = {{day("2024-01-28"), 100.0, 0.0}, {day("2024-01-30"), 110.0, 0.0}};
  const auto perf = measure_performance(s, PerformanceOptions{});
  try {
    compare_to_benchmark(s, perf, blend_closes(), parse_benchmark("A"), BenchmarkOptions{});
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("benchmark A has no price on or before 2024-01-28"), std::string::npos);
  }
}

}  // namespace
}  // namespace keel::ledger
