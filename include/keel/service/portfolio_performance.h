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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// Throws keel::Error: usage without a store; not_found for a portfolio that neither exists nor
// has snapshots; invalid_input when from > to, with fewer than two snapshots with a net value, or
// for a benchmark without prices.
PortfolioPerformanceResult portfolio_performance(const Context& cx, const PortfolioPerformanceRequest& request);

}  // namespace keel::service
