#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "keel/core/stats.h"
#include "keel/risk/var.h"

namespace keel::risk {

VarResult historical_var(const RiskBook& book, const ReturnMatrix& returns, const VarOptions& options) {
  validate_var_inputs(book, returns, options);
  std::vector<double> pnl;
  if (options.historical_horizon == HistoricalHorizon::kOverlapping && options.horizon_days > 1) {
    pnl = historical_pnl(book, overlapping_returns(returns, options.horizon_days), 1.0,
                         options.horizon_days);
  } else {
    pnl = historical_pnl(book, returns, std::sqrt(static_cast<double>(options.horizon_days)),
                         options.horizon_days);
  }
  VarResult out;
  out.method = VarMethod::kHistorical;
  out.confidence = options.confidence;
  out.horizon_days = options.horizon_days;
  out.scenarios = pnl.size();
  out.volatility = stddev(pnl);
  const TailRisk tr = tail_risk(pnl, options.confidence);
  out.var = tr.var;
  out.es = tr.es;
  if (pnl.size() < 100) {
    out.warnings.push_back(
        fmt::format("historical VaR from only {} scenarios: the tail estimate is coarse", pnl.size()));
  }
  if (options.keep_pnl) {
    std::sort(pnl.begin(), pnl.end());
    out.pnl = std::move(pnl);
  }
  return out;
}

}  // namespace keel::risk
