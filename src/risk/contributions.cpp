#include "keel/risk/contributions.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "keel/core/distributions.h"
#include "keel/core/error.h"
#include "keel/core/stats.h"
#include "keel/risk/covariance.h"

namespace keel::risk {
namespace {

VarContributions skeleton(const RiskBook& book, VarMethod method) {
  VarContributions out;
  out.method = method;
  out.positions.resize(book.size());
  for (std::size_t i = 0; i < book.size(); ++i) {
    auto& c = out.positions[i];
    c.id = book.ids[i];
    c.asset = book.asset[i] == kNoAsset ? std::string() : book.assets[book.asset[i]];
    c.value = book.value[i];
    c.exposure = book.exposure[i];
  }
  return out;
}

}  // namespace

VarContributions parametric_contributions(const RiskBook& book, const ReturnMatrix& returns,
                                          const VarOptions& options) {
  validate_var_inputs(book, returns, options);
  const std::vector<double> e = book.asset_exposures();
  const std::vector<double> g = covariance_times(returns, e, options.covariance);
  const std::vector<double> diag = covariance_diagonal(returns, options.covariance);
  double variance = 0.0;
  for (std::size_t a = 0; a < e.size(); ++a) variance += e[a] * g[a];
  if (!(variance > 0.0)) {
    throw Error::invalid_input("the portfolio's variance is zero over the window: VaR is undefined");
  }
  std::vector<double> mu(e.size(), 0.0);
  if (options.mean == MeanModel::kSample) {
    for (std::size_t t = 0; t < returns.rows(); ++t) {
      const auto r = returns.row(t);
      for (std::size_t a = 0; a < e.size(); ++a) mu[a] += r[a];
    }
    for (double& m : mu) m /= static_cast<double>(returns.rows());
  }
  const double h = options.horizon_days;
  const double z = normal_quantile(options.confidence);
  const double sigma = std::sqrt(variance);
  double mu_p = 0.0;
  for (std::size_t a = 0; a < e.size(); ++a) mu_p += mu[a] * e[a];

  VarContributions out = skeleton(book, VarMethod::kParametric);
  out.total_var = z * std::sqrt(h) * sigma - h * mu_p;
  for (std::size_t i = 0; i < book.size(); ++i) {
    const std::size_t a = book.asset[i];
    if (a == kNoAsset) continue;
    auto& c = out.positions[i];
    c.marginal_var = z * std::sqrt(h) * g[a] / sigma - h * mu[a];
    c.component_var = book.exposure[i] * c.marginal_var;
    const double ei = book.exposure[i];
    const double var_without = variance - 2.0 * ei * g[a] + ei * ei * diag[a];
    const double without = z * std::sqrt(h) * std::sqrt(std::max(var_without, 0.0)) -
                           h * (mu_p - ei * mu[a]);
    c.incremental_var = out.total_var - without;
  }
  return out;
}

VarContributions historical_contributions(const RiskBook& book, const ReturnMatrix& returns,
                                          const VarOptions& options) {
  validate_var_inputs(book, returns, options);
  const bool overlap =
      options.historical_horizon == HistoricalHorizon::kOverlapping && options.horizon_days > 1;
  const ReturnMatrix overlapped = overlap ? overlapping_returns(returns, options.horizon_days)
                                          : ReturnMatrix{};
  const ReturnMatrix& r = overlap ? overlapped : returns;
  const double scale = overlap ? 1.0 : std::sqrt(static_cast<double>(options.horizon_days));
  const std::size_t n = r.rows();
  const std::size_t m = book.size();

  // Position P&L per scenario, positions x scenarios.
  std::vector<double> pos_pnl(m * n, 0.0);
  std::vector<double> total(n, 0.0);
  for (std::size_t i = 0; i < m; ++i) {
    if (book.asset[i] == kNoAsset) continue;
    for (std::size_t s = 0; s < n; ++s) {
      const double v = position_pnl(book, i, scale * r.at(s, book.asset[i]), options.horizon_days);
      pos_pnl[i * n + s] = v;
      total[s] += v;
    }
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return total[x] < total[y]; });
  const double hpos = (static_cast<double>(n) - 1.0) * (1.0 - options.confidence);
  const auto lo = static_cast<std::size_t>(std::floor(hpos));
  const std::size_t hi = std::min(lo + 1, n - 1);
  const double frac = hpos - static_cast<double>(lo);
  const std::size_t s_lo = order[lo];
  const std::size_t s_hi = order[hi];

  VarContributions out = skeleton(book, VarMethod::kHistorical);
  out.total_var = -(total[s_lo] + frac * (total[s_hi] - total[s_lo]));
  std::vector<double> without(n);
  for (std::size_t i = 0; i < m; ++i) {
    if (book.asset[i] == kNoAsset) continue;
    auto& c = out.positions[i];
    const double* p = pos_pnl.data() + i * n;
    c.component_var = -(p[s_lo] + frac * (p[s_hi] - p[s_lo]));
    c.marginal_var = book.exposure[i] != 0.0 ? c.component_var / book.exposure[i] : 0.0;
    for (std::size_t s = 0; s < n; ++s) without[s] = total[s] - p[s];
    c.incremental_var = out.total_var + quantile(without, 1.0 - options.confidence);
  }
  return out;
}

VarContributions monte_carlo_contributions(const RiskBook& book, const ReturnMatrix& returns,
                                           const VarOptions& options, double monte_carlo_var) {
  VarContributions out = parametric_contributions(book, returns, options);
  const double ratio = out.total_var != 0.0 ? monte_carlo_var / out.total_var : 0.0;
  out.method = VarMethod::kMonteCarlo;
  out.total_var = monte_carlo_var;
  for (auto& c : out.positions) {
    c.marginal_var *= ratio;
    c.component_var *= ratio;
    c.incremental_var *= ratio;
  }
  return out;
}

}  // namespace keel::risk
