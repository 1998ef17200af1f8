// The descriptions of the requests and results of keel/service/portfolio_performance.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/portfolio_performance.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void PortfolioPerformanceRequest::fields(V& v, S& s) {
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
KEEL_SPEC_REQUEST_FIELDS(PortfolioPerformanceRequest)

template <class V, class S>
void PortfolioPerformanceDay::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(PortfolioPerformanceDay)

template <class V, class S>
void PortfolioPerformanceResult::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(PortfolioPerformanceResult)

}  // namespace keel::service
