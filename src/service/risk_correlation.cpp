#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "keel/core/error.h"
#include "keel/risk/covariance.h"
#include "keel/risk/var.h"
#include "keel/service/risk.h"
#include "keel/service/factors.h"
#include "risk_inputs.h"

namespace keel::service {

RiskCorrelationResult risk_correlation(const Context& cx, const RiskCorrelationRequest& req) {
  if (req.window < 2) throw Error::invalid_input("window must be at least 2 returns");
  detail::RiskInputs in = detail::load_risk_inputs(cx, req.inputs);
  const risk::ReturnMatrix returns = detail::risk_returns(in, req.inputs, req.window);
  {
    // The covariance (window x assets^2) and the answer's matrix: assets^2 cells, held as the
    // covariance, the correlation, the result's rows and their JSON (about 100 bytes a cell).
    const double n = static_cast<double>(returns.cols()), w = static_cast<double>(returns.rows());
    ComputeCost cost;
    cost.operation = "correlation";
    cost.engine = Engine::kHistoricalVar;
    cost.steps = w * n * n;
    cost.memory_bytes = n * n * (3.0 * 8.0 + 100.0);
    cost.formula = fmt::format("window {} x assets {}^2", returns.rows(), returns.cols());
    cost.parameter = "the book's assets (positions), window";
    admit_now(cx, cost);
  }
  const Eigen::MatrixXd cov = risk::covariance(returns, req.covariance);
  const Eigen::MatrixXd corr = risk::correlation_from_covariance(cov);
  const auto k = static_cast<Eigen::Index>(returns.cols());

  RiskCorrelationResult out;
  out.as_of = in.book.as_of.to_string();
  out.portfolio = in.book.name;
  out.currency = in.book.currency;
  out.window = returns.rows();
  out.covariance = std::string(risk::covariance_method_name(req.covariance.method));
  out.symbols = returns.symbols;
  for (Eigen::Index i = 0; i < k; ++i) {
    std::vector<double>& row = out.matrix.emplace_back();
    for (Eigen::Index j = 0; j < k; ++j) row.push_back(corr(i, j));
    out.volatility.push_back(std::sqrt(cov(i, i) * 252.0));
  }
  // Portfolio: sigma_p = sqrt(e' Sigma e) per day with e the delta exposures, annualised; with
  // currency risk on the translated returns, as the parametric VaR (risk::translated_view).
  double sigma_day = 0.0;
  if (in.risk_book.has_fx()) {
    const risk::TranslatedBook view = risk::translated_view(in.risk_book, returns);
    const std::vector<double> e = view.book.asset_exposures();
    const std::vector<double> g = risk::covariance_times(view.returns, e, req.covariance);
    double v = 0.0;
    for (std::size_t a = 0; a < e.size(); ++a) v += e[a] * g[a];
    sigma_day = std::sqrt(std::max(0.0, v));
  } else {
    const std::vector<double> e = in.risk_book.asset_exposures();
    const Eigen::Map<const Eigen::VectorXd> ev(e.data(), k);
    sigma_day = std::sqrt(std::max(0.0, ev.dot(cov * ev)));
  }
  const double value = in.risk_book.total_value();
  out.portfolio_volatility_amount = sigma_day * std::sqrt(252.0);
  out.portfolio_volatility = value != 0.0 ? sigma_day * std::sqrt(252.0) / value : 0.0;
  out.value = value;
  out.warnings = in.warnings;
  // Diversification and concentration of the same book and window: average pairwise
  // correlation, diversification ratio, effective number of bets, HHI, top-10 and sector weights.
  // The factor correlation matrix needs factor data: `keel risk diversification --factors FILE`.
  CorrelationAnalyticsRequest analytics_req;
  analytics_req.inputs = req.inputs;
  analytics_req.window = req.window;
  analytics_req.covariance = req.covariance;
  const CorrelationAnalyticsResult analytics = correlation_analytics(cx, analytics_req);
  out.portfolio_name = analytics.portfolio_name;
  out.diversification = analytics.diversification;
  // The per-position matrix is the asset matrix above with signs; keep only its size, the count
  // behind average_pairwise_correlation.
  out.correlated_positions = analytics.position_correlation.symbols.size();
  return out;
}

}  // namespace keel::service
