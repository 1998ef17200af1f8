#include <cmath>

#include "keel/core/distributions.h"
#include "keel/core/error.h"
#include "keel/risk/var.h"

namespace keel::risk {

VarResult parametric_var(const RiskBook& book, const ReturnMatrix& returns, const VarOptions& options) {
  validate_var_inputs(book, returns, options);
  const std::vector<double> e = book.asset_exposures();
  const std::vector<double> g = covariance_times(returns, e, options.covariance);
  double variance = 0.0;
  for (std::size_t a = 0; a < e.size(); ++a) variance += e[a] * g[a];
  if (!(variance > 0.0)) {
    throw Error::invalid_input(
        "the portfolio's variance is zero over the window (no risky exposure, or every return is "
        "zero): VaR is undefined");
  }
  double mu_p = 0.0;
  if (options.mean == MeanModel::kSample) {
    const std::size_t n = returns.rows();
    for (std::size_t t = 0; t < n; ++t) {
      const auto r = returns.row(t);
      for (std::size_t a = 0; a < e.size(); ++a) mu_p += e[a] * r[a];
    }
    mu_p /= static_cast<double>(n);
  }
  const double h = options.horizon_days;
  const double c = options.confidence;
  const double z = normal_quantile(c);
  const double sigma_h = std::sqrt(variance) * std::sqrt(h);

  VarResult out;
  out.method = VarMethod::kParametric;
  out.confidence = c;
  out.horizon_days = options.horizon_days;
  out.var = z * sigma_h - h * mu_p;
  out.es = sigma_h * normal_pdf(z) / (1.0 - c) - h * mu_p;
  out.volatility = sigma_h;
  out.scenarios = returns.rows();
  if (book.has_options()) {
    out.warnings.push_back("parametric VaR treats options through their delta exposure");
  }
  return out;
}

}  // namespace keel::risk
