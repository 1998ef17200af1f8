#include "keel/core/error.h"
#include "keel/service/risk.h"
#include "risk_inputs.h"

namespace keel::service {
namespace {

nlohmann::json lr_json(const risk::LikelihoodRatio& t) {
  return {{"lr", t.lr}, {"p_value", t.p_value}, {"df", t.df}};
}

}  // namespace

nlohmann::json risk_backtest_json(Store* store, const RiskBacktestRequest& req) {
  detail::RiskInputs in = detail::load_risk_inputs(Context{store}, req.inputs);
  const std::size_t w = req.backtest.window;
  // Every return up to as-of: the first `window` estimate the first VaR, the rest are tested.
  const risk::ReturnMatrix returns = detail::risk_returns(in, req.inputs, 0);
  if (returns.rows() < w + 2) {
    throw Error::invalid_input("backtest with a window of " + std::to_string(w) + " days needs at least " +
                               std::to_string(w + 2) + " daily returns; the history has " +
                               std::to_string(returns.rows()));
  }
  const std::vector<double> pnl = risk::historical_pnl(in.risk_book, returns, 1.0, 1);
  const risk::BacktestResult b = risk::backtest_var(pnl, req.backtest);

  nlohmann::json out;
  out["as_of"] = in.book.as_of.to_string();
  out["portfolio"] = in.book.name;
  out["method"] = std::string(risk::var_method_name(req.backtest.method));
  out["confidence"] = req.backtest.confidence;
  out["window"] = w;
  out["observations"] = b.observations;
  out["exceptions"] = b.exceptions;
  out["expected_exceptions"] = b.expected_exceptions;
  out["exception_rate"] = static_cast<double>(b.exceptions) / static_cast<double>(b.observations);
  out["kupiec"] = lr_json(b.kupiec);
  out["christoffersen"] = lr_json(b.christoffersen);
  out["conditional_coverage"] = lr_json(b.conditional_coverage);
  out["zone"] = std::string(risk::traffic_light_name(b.zone));
  out["first_date"] = returns.dates[w].to_string();
  out["last_date"] = returns.dates.back().to_string();
  nlohmann::json dates = nlohmann::json::array();
  nlohmann::json series = nlohmann::json::array();
  for (std::size_t k = 0; k < b.observations; ++k) {
    const std::size_t t = w + k;
    if (b.exception[k]) {
      dates.push_back({{"date", returns.dates[t].to_string()}, {"pnl", pnl[t]}, {"var", b.var[k]}});
    }
    if (req.include_series) {
      series.push_back({{"date", returns.dates[t].to_string()},
                        {"pnl", pnl[t]},
                        {"var", b.var[k]},
                        {"exception", b.exception[k] != 0}});
    }
  }
  out["exception_dates"] = std::move(dates);
  if (req.include_series) out["series"] = std::move(series);
  out["warnings"] = in.warnings;
  return out;
}

}  // namespace keel::service
