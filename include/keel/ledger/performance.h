// keel/ledger/performance.h: returns of an account or a household from its daily values and
// external cash flows.
//
// Input is a daily series of (date, end-of-day value, external flow that day). Definitions (see
// docs/ledger.md for the references):
//  - Time-weighted return, daily linking (GIPS; Bacon, "Practical Portfolio Performance
//    Measurement and Attribution", ch. 2): flows arrive at the start of the day,
//    r_t = V_t / (V_{t-1} + F_t) - 1, TWR = prod(1 + r_t) - 1. Days whose base V_{t-1} + F_t is not
//    positive contribute no return.
//  - Money-weighted return: XIRR, the rate r solving sum CF_i / (1 + r)^((d_i - d_0)/365) = 0
//    (actual/365, as spreadsheet XIRR), with the investor's flows: deposits negative, withdrawals
//    positive, and the ending value as a final positive flow.
//  - CAGR = (1 + TWR)^(365 / days) - 1 over the calendar days from first to last date.
//  - Volatility = sample standard deviation (n - 1) of daily returns x sqrt(periods_per_year).
//  - Sharpe = (mean(r) - rf_d) / sd(r) x sqrt(P), rf_d = risk_free_annual / P per period.
//  - Sortino = (mean(r) - rf_d) / DD x sqrt(P), DD = sqrt(mean(min(r - rf_d, 0)^2)) over all
//    periods (Sortino and Price, 1994, target = the risk-free rate).
//  - Max drawdown on the wealth index W_t = prod(1 + r): max over t of 1 - W_t / max_{s<=t} W_s,
//    with the peak, trough and recovery dates; Calmar = CAGR / max drawdown.
// Performance is analytics, computed in binary floating point (amounts of record stay Decimal).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keel/core/date.h"

namespace keel::ledger {

struct ValuePoint {
  Date date;
  double value = 0.0;  // end-of-day market value incl. cash, currency units
  double flow = 0.0;   // external flow that day, currency units (+ into the portfolio)
};

struct DatedFlow {
  Date date;
  double amount = 0.0;  // investor's view: money paid in < 0, money received > 0
};

// Label of the calendar period holding `d`: kind 'm' -> "2017-03", 'q' -> "2017-Q1", 'y' -> "2017".
std::string period_key(Date d, char kind);

// XIRR, actual/365. Returns nullopt when the flows do not change sign or no rate in
// (-99.99%, 1e6%) solves the equation. Reference: Excel's XIRR worked example (-10000 on
// 2008-01-01 ... ) gives 37.34%.
std::optional<double> xirr(std::span<const DatedFlow> flows);

struct PerformanceOptions {
  double risk_free_annual = 0.0;  // decimal per year (0.02 = 2%), spread evenly over periods
  int periods_per_year = 252;     // trading days
};

struct Drawdown {
  double depth = 0.0;  // fraction of the peak lost, >= 0 (0.25 = 25%)
  std::optional<Date> peak;
  std::optional<Date> trough;
  std::optional<Date> recovery;  // first date back at the peak, if any
};

struct PeriodGrowth {
  std::string period;       // "2017-03", "2017-Q1", "2017"
  Date start;               // last date of the previous period (or the first date)
  Date end;
  double start_value = 0.0;
  double end_value = 0.0;
  double flows = 0.0;       // external flows inside the period
  double twr = 0.0;         // time-weighted return inside the period
};

struct PerformanceResult {
  Date start;
  Date end;
  double start_value = 0.0;
  double end_value = 0.0;
  double net_flows = 0.0;
  double twr = 0.0;
  double cagr = 0.0;
  std::optional<double> xirr;
  double volatility = 0.0;  // annualised
  double sharpe = 0.0;
  double sortino = 0.0;
  Drawdown max_drawdown;
  double calmar = 0.0;      // 0 when there is no drawdown
  std::vector<double> daily_returns;   // one per point after the first
  std::vector<double> wealth;         // W_t, one per point (1 at the first)
  std::vector<double> drawdown;       // 1 - W_t / max_{s<=t} W_s, one per point (>= 0; 0 at a peak)
  std::vector<PeriodGrowth> monthly, quarterly, annual;
};

// Throws keel::Error(invalid_input) when `series` has fewer than two points or dates that are not
// strictly increasing.
PerformanceResult measure_performance(std::span<const ValuePoint> series, const PerformanceOptions& options);

}  // namespace keel::ledger
