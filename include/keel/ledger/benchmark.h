// keel/ledger/benchmark.h: an account's returns against a benchmark — one price series of the
// store, or a blend of several rebalanced to its weights at every month end.
//
// compare_to_benchmark() takes the account's daily values (daily_values()) and their measured
// performance (measure_performance()), and the benchmark's closes; on the same dates, with r_t the
// account's daily time-weighted return and b_t the benchmark's (docs/ledger.md, "Benchmarks"):
//  - the benchmark index B_t (1 at the first date; each component at its last close on or before
//    the date); a blend holds w_i B / P_i of component i, set at the first date and again at the
//    last date of every calendar month;
//  - total and annualised return of both, excess return = TWR - benchmark return, annualised
//    excess = CAGR - benchmark CAGR;
//  - active return a_t = r_t - b_t: tracking error = sd(a) sqrt(P), information ratio =
//    mean(a) / sd(a) sqrt(P) (sample standard deviations, n - 1);
//  - beta = cov(r, b) / var(b); alpha (Jensen, annualised) = (mean(r) - rf/P - beta (mean(b) -
//    rf/P)) P; correlation;
//  - up capture = mean(r_t : b_t > 0) / mean(b_t : b_t > 0), down capture likewise over b_t < 0;
//  - the benchmark's volatility and maximum drawdown with its dates;
//  - rolling twelve months, at the last point of every month from the first with a full year
//    behind it: the return of both over the points dated in (t - 1 year, t], their annualised
//    volatilities and the beta of those daily returns;
//  - month and calendar-year returns of both (the product of the daily factors of the points
//    dated in the period) and their difference;
//  - the same cash flows into the benchmark: units = V_0 / B_0 at the start, each day's external
//    flow F_t buys F_t / B_{t-1} units (flows join at the start of the day, as in the TWR), the end
//    value is units x B_N, and its money-weighted return (XIRR) uses the account's own flows.
// Analytics in binary floating point.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"
#include "keel/ledger/performance.h"
#include "keel/portfolio/market_data.h"

namespace keel::ledger {

struct BenchmarkComponent {
  std::string symbol;
  double weight = 1.0;  // fraction; the components' weights sum to 1
};

// "SPY" (the whole weight), or "60:SPY,40:AGG" / "0.6:SPY,0.4:AGG" (weights scaled to sum to 1).
// Throws keel::Error(invalid_input) naming the problem: an empty part, a weight that is not a
// positive number, a symbol twice.
std::vector<BenchmarkComponent> parse_benchmark(std::string_view text);

struct PeriodComparison {
  std::string period;  // "2017-03" or "2017"
  double portfolio = 0.0;
  double benchmark = 0.0;
  double excess = 0.0;  // portfolio - benchmark
};

struct RollingWindow {
  Date end;  // the last point of a month
  double portfolio_return = 0.0;
  double benchmark_return = 0.0;
  double portfolio_volatility = 0.0;  // annualised
  double benchmark_volatility = 0.0;
  double beta = 0.0;
};

struct BenchmarkComparison {
  std::vector<double> index;    // B_t, one per point (1 at the first)
  std::vector<double> returns;  // b_t, one per point after the first
  double portfolio_return = 0.0;
  double benchmark_return = 0.0;
  double excess_return = 0.0;
  double portfolio_cagr = 0.0;
  double benchmark_cagr = 0.0;
  double excess_cagr = 0.0;
  double benchmark_volatility = 0.0;
  double tracking_error = 0.0;
  double information_ratio = 0.0;  // 0 when the tracking error is 0
  double beta = 0.0;               // 0 when the benchmark does not move
  double alpha = 0.0;
  double correlation = 0.0;
  std::optional<double> up_capture;    // none without a day the benchmark rose
  std::optional<double> down_capture;  // none without a day it fell
  Drawdown benchmark_drawdown;
  std::vector<PeriodComparison> monthly, annual;
  std::vector<RollingWindow> rolling_12m;
  double same_flows_end_value = 0.0;  // the account's flows invested in the benchmark
  std::optional<double> same_flows_xirr;
};

struct BenchmarkOptions {
  double risk_free_annual = 0.0;
  int periods_per_year = 252;
};

// `series` and `perf` are the account's (perf = measure_performance(series)); `closes` holds a
// column per component symbol. Throws keel::Error(invalid_input) when a component has no close
// on or before the first date.
BenchmarkComparison compare_to_benchmark(std::span<const ValuePoint> series, const PerformanceResult& perf,
                                         const PriceHistory& closes, std::span<const BenchmarkComponent> components,
                                         const BenchmarkOptions& options);

}  // namespace keel::ledger
