// keel/risk/backtest.h: is yesterday's VaR model right? Exceptions and the standard tests.
//
// A backtest walks a daily P&L series: the VaR for day t is estimated from the `window` days before
// t only, and day t is an exception when its loss exceeds that VaR (pnl_t < -VaR_t). Then:
//  - Kupiec (1995) proportion of failures, chi2(1):
//      LR_pof = -2 ln[(1-p)^(n-x) p^x] + 2 ln[(1-x/n)^(n-x) (x/n)^x],  p = 1 - c.
//  - Christoffersen (1998) independence, chi2(1), from the transition counts n_ij (state i then j):
//      LR_ind = -2 ln[(1-pi)^(n00+n10) pi^(n01+n11)] + 2 ln[(1-pi0)^n00 pi0^n01 (1-pi1)^n10 pi1^n11],
//      pi0 = n01/(n00+n01), pi1 = n11/(n10+n11), pi = (n01+n11)/(n00+n01+n10+n11).
//  - Conditional coverage LR_cc = LR_pof + LR_ind, chi2(2).
//  - Basel Committee (1996), "Supervisory framework for the use of backtesting...": traffic light.
//    For 250 days at 99%: green 0-4, yellow 5-9, red >= 10 exceptions. In general, with
//    F = Binomial(n, 1-c) cumulative probability: green while F(x) < 95%, red once F(x) >= 99.99%,
//    yellow in between (the Basel table's own construction).
//    The plus factor added to the capital multiplier of 3 (the same document's Table 2): 0 in the
//    green zone, 0.40, 0.50, 0.65, 0.75, 0.85 for 5, 6, 7, 8, 9 exceptions, 1.00 in the red zone.
//    For another number of days or confidence, the exceptions are first mapped to the count of 250
//    days at 99% with the same cumulative probability (the smallest k with F_250(k) >= F_n(x)), so
//    that the zones and the factors agree with the table at 250 days.
// 0 ln 0 = 0 throughout.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "keel/risk/covariance_options.h"
#include "keel/risk/var.h"

namespace keel::risk {

struct LikelihoodRatio {
  double lr = 0.0;       // test statistic
  double p_value = 1.0;  // upper tail of chi-squared with `df` degrees of freedom
  int df = 1;
};

// Throws invalid_input when observations == 0, exceptions > observations, or c outside (0, 1).
LikelihoodRatio kupiec_pof(std::size_t observations, std::size_t exceptions, double confidence);
// `exceptions[t]` != 0 marks an exception on day t. Throws invalid_input for fewer than 2 days.
LikelihoodRatio christoffersen_independence(std::span<const std::uint8_t> exceptions);
LikelihoodRatio conditional_coverage(const LikelihoodRatio& pof, const LikelihoodRatio& ind);

enum class TrafficLight { kGreen, kYellow, kRed };
std::string_view traffic_light_name(TrafficLight z);  // "green", "yellow", "red"
TrafficLight traffic_light(std::size_t observations, std::size_t exceptions, double confidence);
// The Basel plus factor (see above): 0 to 1. Throws as traffic_light.
double basel_plus_factor(std::size_t observations, std::size_t exceptions, double confidence);

struct BacktestOptions {
  std::size_t window = 250;      // estimation window, days
  double confidence = 0.99;
  VarMethod method = VarMethod::kHistorical;  // historical or parametric
  // Parametric only: sample (n - 1) or EWMA variance of the window's P&L; for a linear book this
  // is e' Sigma e of the same estimator.
  CovarianceOptions covariance{};
};

struct BacktestResult {
  std::size_t observations = 0;   // days tested = pnl.size() - window
  std::size_t exceptions = 0;
  double expected_exceptions = 0.0;  // observations x (1 - c)
  std::vector<double> var;            // VaR of each tested day (positive loss)
  std::vector<std::uint8_t> exception;  // 1 on exception days
  LikelihoodRatio kupiec;
  LikelihoodRatio christoffersen;
  LikelihoodRatio conditional_coverage;
  TrafficLight zone = TrafficLight::kGreen;
  double plus_factor = 0.0;  // Basel plus factor of the zone
};

// Rolling one-day VaR over `pnl` (daily P&L of the book, oldest first). Throws invalid_input when
// pnl.size() <= window + 1, window < 2, c outside (0, 1), or the method is Monte Carlo or the
// covariance is Ledoit-Wolf (not defined on a single P&L series).
BacktestResult backtest_var(std::span<const double> pnl, const BacktestOptions& options);

}  // namespace keel::risk
