#include <algorithm>
#include <cmath>

#include "keel/core/error.h"
#include "keel/risk/contributions.h"
#include "keel/service/risk.h"
#include "risk_inputs.h"

namespace keel::service {

RiskVarResult risk_var(const Context& cx, const RiskVarRequest& req) {
  if (req.methods.empty()) throw Error::invalid_input("no VaR method requested");
  if (req.window < 2) throw Error::invalid_input("window must be at least 2 returns");
  detail::RiskInputs in = detail::load_risk_inputs(cx, req.inputs);
  const risk::ReturnMatrix returns = detail::risk_returns(in, req.inputs, req.window);
  const risk::RiskBook& rb = in.risk_book;
  risk::VarOptions o = req.var;
  o.repair_psd = o.repair_psd && !req.strict_psd;
  risk::validate_var_inputs(rb, returns, o);

  RiskVarResult out;
  out.as_of = in.book.as_of.to_string();
  out.portfolio = in.book.name;
  out.value = rb.total_value();
  out.positions = rb.size();
  out.window = returns.rows();
  out.window_start = returns.dates.front().to_string();
  out.covariance = std::string(risk::covariance_method_name(o.covariance.method));
  if (o.covariance.method == risk::CovarianceMethod::kEwma) out.lambda = o.covariance.ewma_lambda;
  out.mean = std::string(spec::choice_name(kMeanModelNames, o.mean));
  out.parametric_model = o.delta_gamma && rb.has_options() ? "delta-gamma (Cornish-Fisher)" : "delta-normal";

  std::optional<double> mc_var;
  for (const risk::VarMethod m : req.methods) {
    const risk::VarResult v = risk::compute_var(m, rb, returns, o);
    VarMethodResult& r = out.results.emplace_back();
    r.method = std::string(risk::var_method_name(m));
    r.confidence = v.confidence;
    r.horizon_days = v.horizon_days;
    r.var = v.var;
    r.es = v.es;
    r.var_pct = rb.total_value() != 0.0 ? v.var / rb.total_value() : 0.0;
    r.volatility = v.volatility;
    r.scenarios = v.scenarios;
    if (m == risk::VarMethod::kHistorical) {
      r.horizon_rule =
          o.historical_horizon == risk::HistoricalHorizon::kOverlapping && o.horizon_days > 1 ? "overlapping"
                                                                                              : "sqrt_time";
    }
    if (m == risk::VarMethod::kMonteCarlo) {
      const bool t = o.monte_carlo.distribution == risk::McDistribution::kStudentT;
      r.distribution = t ? "t" : "normal";
      if (t) r.df = o.monte_carlo.df;
      r.paths = o.monte_carlo.paths;
      r.seed = o.monte_carlo.seed;
      r.std_error = v.std_error.value_or(0.0);
      mc_var = v.var;
    }
    for (const auto& w : v.warnings) in.warnings.push_back(std::string(risk::var_method_name(m)) + ": " + w);
  }

  // Contributions of the first method asked for (parametric when several).
  const risk::VarMethod cm = req.methods.size() == 1 ? req.methods.front() : risk::VarMethod::kParametric;
  risk::VarContributions c;
  if (cm == risk::VarMethod::kHistorical) {
    c = risk::historical_contributions(rb, returns, o);
  } else if (cm == risk::VarMethod::kMonteCarlo && mc_var) {
    c = risk::monte_carlo_contributions(rb, returns, o, *mc_var);
  } else {
    c = risk::parametric_contributions(rb, returns, o);
  }
  out.contributions_method = std::string(risk::var_method_name(c.method));
  for (const auto& p : c.positions) {
    out.contributions.push_back({.symbol = p.id,
                                 .asset = p.asset,
                                 .value = p.value,
                                 .exposure = p.exposure,
                                 .marginal_var = p.marginal_var,
                                 .component_var = p.component_var,
                                 .component_pct = c.total_var != 0.0 ? p.component_var / c.total_var : 0.0,
                                 .incremental_var = p.incremental_var});
  }
  out.warnings = in.warnings;
  return out;
}

}  // namespace keel::service
