#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/service/risk.h"
#include "risk_compute.h"
#include "risk_inputs.h"

namespace keel::service {
namespace {

LikelihoodRatioResult lr_of(const risk::LikelihoodRatio& t) { return {t.lr, t.p_value, t.df}; }

}  // namespace

RiskBacktestResult risk_backtest(const Context& cx, const RiskBacktestRequest& req) {
  detail::RiskInputs in = detail::load_risk_inputs(cx, req.inputs);
  const std::size_t w = req.backtest.window;
  // Every return up to as-of: the first `window` estimate the first VaR, the rest are tested.
  const risk::ReturnMatrix returns = detail::risk_returns(in, req.inputs, 0);
  if (returns.rows() < w + 2) {
    throw Error::invalid_input(
        fmt::format("backtest with a window of {} days needs at least {} daily returns; the history has {}", w,
                    w + 2, returns.rows()));
  }
  {
    // The P&L of every day (days x assets), then each tested day's VaR from its window: a sort of
    // the window for the historical method (window x log2 window), a pass for the parametric.
    const double days = static_cast<double>(returns.rows()), n = static_cast<double>(returns.cols());
    const double tested = days - static_cast<double>(w), width = static_cast<double>(w);
    ComputeCost cost;
    cost.operation = "VaR backtest";
    cost.engine = Engine::kHistoricalVar;
    cost.steps = days * n + tested * width * std::max(1.0, std::log2(width));
    cost.memory_bytes = 8.0 * days * n + 8.0 * width + 64.0 * tested;
    cost.formula = fmt::format("days {} x assets {} + tested days {:.0f} x window {} x log2 window", returns.rows(),
                               returns.cols(), tested, w);
    cost.parameter = "window (or async, to run it as a job)";
    admit_now(cx, cost);
  }
  const std::vector<double> pnl = risk::historical_pnl(in.risk_book, returns, 1.0, 1);
  const risk::BacktestResult b = risk::backtest_var(pnl, req.backtest);

  RiskBacktestResult out;
  out.as_of = in.book.as_of.to_string();
  out.portfolio = in.book.name;
  out.currency = in.book.currency;
  out.method = std::string(risk::var_method_name(req.backtest.method));
  out.confidence = req.backtest.confidence;
  out.window = w;
  out.observations = b.observations;
  out.exceptions = b.exceptions;
  out.expected_exceptions = b.expected_exceptions;
  out.exception_rate = static_cast<double>(b.exceptions) / static_cast<double>(b.observations);
  out.kupiec = lr_of(b.kupiec);
  out.christoffersen = lr_of(b.christoffersen);
  out.conditional_coverage = lr_of(b.conditional_coverage);
  out.zone = std::string(risk::traffic_light_name(b.zone));
  out.plus_factor = b.plus_factor;
  out.first_date = returns.dates[w].to_string();
  out.last_date = returns.dates.back().to_string();
  if (req.include_series) out.series.emplace();
  for (std::size_t k = 0; k < b.observations; ++k) {
    const std::size_t t = w + k;
    if (b.exception[k]) out.exception_dates.push_back({returns.dates[t].to_string(), pnl[t], b.var[k]});
    if (out.series) out.series->push_back({returns.dates[t].to_string(), pnl[t], b.var[k], b.exception[k] != 0});
  }
  out.warnings = in.warnings;
  return out;
}

}  // namespace keel::service
