#include <algorithm>
#include <cmath>

#include "keel/core/error.h"
#include "keel/risk/covariance.h"
#include "keel/service/risk.h"
#include "keel/service/factors.h"
#include "risk_inputs.h"

namespace keel::service {

nlohmann::json risk_correlation_json(Store* store, const RiskCorrelationRequest& req) {
  if (req.window < 2) throw Error::invalid_input("--window must be at least 2 returns");
  detail::RiskInputs in = detail::load_risk_inputs(Context{store}, req.inputs);
  const risk::ReturnMatrix returns = detail::risk_returns(in, req.inputs, req.window);
  const Eigen::MatrixXd cov = risk::covariance(returns, req.covariance);
  const Eigen::MatrixXd corr = risk::correlation_from_covariance(cov);
  const auto k = static_cast<Eigen::Index>(returns.cols());

  nlohmann::json out;
  out["as_of"] = in.book.as_of.to_string();
  out["portfolio"] = in.book.name;
  out["window"] = returns.rows();
  out["covariance"] = std::string(risk::covariance_method_name(req.covariance.method));
  out["symbols"] = returns.symbols;
  nlohmann::json matrix = nlohmann::json::array();
  nlohmann::json vol = nlohmann::json::array();
  for (Eigen::Index i = 0; i < k; ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (Eigen::Index j = 0; j < k; ++j) row.push_back(corr(i, j));
    matrix.push_back(std::move(row));
    vol.push_back(std::sqrt(cov(i, i) * 252.0));
  }
  out["matrix"] = std::move(matrix);
  out["volatility"] = std::move(vol);
  // Portfolio: sigma_p = sqrt(e' Sigma e) per day with e the delta exposures, annualised.
  const std::vector<double> e = in.risk_book.asset_exposures();
  const Eigen::Map<const Eigen::VectorXd> ev(e.data(), k);
  const double sigma_day = std::sqrt(std::max(0.0, ev.dot(cov * ev)));
  const double value = in.risk_book.total_value();
  out["portfolio_volatility_amount"] = sigma_day * std::sqrt(252.0);
  out["portfolio_volatility"] = value != 0.0 ? sigma_day * std::sqrt(252.0) / value : 0.0;
  out["value"] = value;
  out["warnings"] = in.warnings;
  // Diversification and concentration of the same book and window (issue #5): average pairwise
  // correlation, diversification ratio, effective number of bets, HHI, top-10 and sector weights.
  // The factor correlation matrix needs factor data: `keel risk diversification --factors FILE`.
  CorrelationAnalyticsRequest analytics_req;
  analytics_req.inputs = req.inputs;
  analytics_req.window = req.window;
  analytics_req.covariance = req.covariance;
  nlohmann::json analytics = correlation_analytics(store, analytics_req);
  // The per-position matrix is the asset matrix above with signs; keep only its size, the count
  // behind average_pairwise_correlation.
  analytics["correlated_positions"] = analytics.at("position_correlation").at("symbols").size();
  analytics.erase("position_correlation");
  for (auto it = analytics.begin(); it != analytics.end(); ++it) {
    if (it.key() == "warnings") continue;
    out[it.key()] = it.value();
  }
  return out;
}

}  // namespace keel::service
