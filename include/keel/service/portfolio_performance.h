// keel/service/portfolio_performance.h: a portfolio's performance over its stored daily
// snapshots — `keel portfolio performance NAME` and GET /api/v1/portfolios/{id}/performance.
//
// Each snapshot (keel/service/portfolio_history.h) holds the day's net value V_t and its 1-day P&L
// p_t, the change of the same positions' value since the previous price date (docs/batch.md). On
// two snapshots of consecutive trading days (no weekday between them) the day's external flow —
// trades that changed the positions, cash in or out — is what the P&L does not explain,
//     F_t = V_t - V_{t-1} - p_t,
// and the day's time-weighted return is r_t = V_t / (V_{t-1} + F_t) - 1 = p_t / (V_t - p_t). Two
// snapshots further apart (a missing day) have no P&L for the whole span: their return is
// V_t / V_{t-1} - 1, as if nothing was traded, and the result counts and names such gaps. The
// returns are then measured as an account's are (keel/ledger/performance.h: TWR, CAGR, volatility,
// Sharpe, Sortino, maximum drawdown, Calmar) and, with a benchmark, compared with it
// (keel/ledger/benchmark.h: tracking error, information ratio, beta, alpha, capture). Reads only.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/service/ledger_holdings.h"
#include "keel/service/spec.h"

namespace keel::service {

struct PortfolioPerformanceRequest {
  std::string portfolio;  // set by the face
  std::optional<Date> from;
  std::optional<Date> to;
  std::optional<std::string> benchmark;  // "SPY" or "60:SPY,40:AGG"
  double risk_free = 0.0;                 // decimal per year
  bool series = false;

  static constexpr const char* kSchemaName = "PortfolioPerformanceRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "from", .help = "First snapshot date (inclusive)"}, s.from);
    v.field({.name = "to", .help = "Last snapshot date (inclusive)"}, s.to);
    v.field({.name = "benchmark",
             .help = "Benchmark: a symbol of the store's prices (SPY), or a blend 60:SPY,40:AGG rebalanced monthly"},
            s.benchmark);
    v.field({.name = "risk_free", .help = "Risk-free rate of the Sharpe and Sortino ratios and the alpha",
             .unit = "decimal per year", .min = -1, .max = 1},
            s.risk_free);
    v.field({.name = "series", .help = "Add each day's value, P&L, flow, return, wealth index and drawdown"}, s.series);
  }
};

struct PortfolioPerformanceDay {
  std::string date;
  double value_amount = 0.0;
  spec::Nullable<double> pnl_amount;  // the snapshot's 1-day P&L (null on the first day and after a gap)
  double flow_amount = 0.0;           // V_t - V_{t-1} - p_t on consecutive days, else 0
  spec::Nullable<double> return_pct;  // r_t (null on the first day)
  double wealth = 1.0;
  double drawdown = 0.0;
  spec::Nullable<double> benchmark_index;

  static constexpr const char* kSchemaName = "PortfolioPerformanceDay";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "date"}, s.date);
    v.field({.name = "value_amount", .help = "Net value of the snapshot", .unit = "portfolio currency"},
            s.value_amount);
    v.field({.name = "pnl_amount", .help = "The snapshot's 1-day P&L (null on the first day and after a gap)",
             .unit = "portfolio currency"},
            s.pnl_amount);
    v.field({.name = "flow_amount",
             .help = "The change of value the P&L does not explain (trades, cash in or out); 0 after a gap",
             .unit = "portfolio currency"},
            s.flow_amount);
    v.field({.name = "return_pct", .help = "The day's time-weighted return", .unit = "fraction"}, s.return_pct);
    v.field({.name = "wealth", .help = "Growth of 1 invested at the first date"}, s.wealth);
    v.field({.name = "drawdown", .help = "1 - wealth / its running peak", .unit = "fraction"}, s.drawdown);
    v.field({.name = "benchmark_index", .help = "The benchmark's growth of 1 (with benchmark)"}, s.benchmark_index);
  }
};

struct PortfolioPerformanceResult {
  std::string portfolio;
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::string currency;
  std::string start;
  std::string end;
  int days = 0;
  std::size_t points = 0;
  std::size_t gaps = 0;
  double start_value_amount = 0.0;
  double end_value_amount = 0.0;
  double pnl_amount = 0.0;
  double flows_amount = 0.0;
  double twr = 0.0;
  double cagr = 0.0;
  double volatility = 0.0;
  double sharpe = 0.0;
  double sortino = 0.0;
  PerformanceDrawdown max_drawdown;
  double calmar = 0.0;
  double risk_free_rate = 0.0;
  std::optional<BenchmarkResult> benchmark;
  std::optional<std::vector<PortfolioPerformanceDay>> series;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "PortfolioPerformanceResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "portfolio"}, s.portfolio);
    v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
    v.field({.name = "currency", .help = "The portfolio's reporting currency"}, s.currency);
    v.field({.name = "start", .help = "First snapshot measured"}, s.start);
    v.field({.name = "end", .help = "Last snapshot measured"}, s.end);
    v.field({.name = "days", .unit = "calendar days"}, s.days);
    v.field({.name = "points", .help = "Snapshots measured"}, s.points);
    v.field({.name = "gaps",
             .help = "Spans between snapshots that skip a weekday: measured as the change of value, as if nothing was "
                     "traded"},
            s.gaps);
    v.field({.name = "start_value_amount", .unit = "portfolio currency"}, s.start_value_amount);
    v.field({.name = "end_value_amount", .unit = "portfolio currency"}, s.end_value_amount);
    v.field({.name = "pnl_amount", .help = "Sum of the daily P&L over consecutive days", .unit = "portfolio currency"},
            s.pnl_amount);
    v.field({.name = "flows_amount", .help = "Sum of the daily flows: end - start = pnl + flows + the gaps' changes",
             .unit = "portfolio currency"},
            s.flows_amount);
    v.field({.name = "twr", .help = "Time-weighted return", .unit = "fraction"}, s.twr);
    v.field({.name = "cagr", .help = "Annualised TWR", .unit = "fraction per year"}, s.cagr);
    v.field({.name = "volatility", .help = "Annualised (252 days)", .unit = "fraction"}, s.volatility);
    v.field({.name = "sharpe"}, s.sharpe);
    v.field({.name = "sortino"}, s.sortino);
    v.field({.name = "max_drawdown"}, s.max_drawdown);
    v.field({.name = "calmar", .help = "0 when there is no drawdown"}, s.calmar);
    v.field({.name = "risk_free_rate", .unit = "decimal per year"}, s.risk_free_rate);
    v.field({.name = "benchmark", .help = "The comparison with the benchmark (asked with benchmark=)"}, s.benchmark);
    v.field({.name = "series", .help = "Each snapshot's day (asked with series=true)"}, s.series);
    v.field({.name = "warnings"}, s.warnings);
  }
};

// Throws keel::Error: usage without a store; not_found for a portfolio that neither exists nor
// has snapshots; invalid_input when from > to, with fewer than two snapshots with a net value, or
// for a benchmark without prices.
PortfolioPerformanceResult portfolio_performance(const Context& cx, const PortfolioPerformanceRequest& request);

}  // namespace keel::service
