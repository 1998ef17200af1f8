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

// Parametric contributions of a book with currency risk, on its translated view (contributions.h).
VarContributions parametric_contributions_fx(const RiskBook& raw, const ReturnMatrix& raw_returns,
                                             const VarOptions& options) {
  const TranslatedBook view = translated_view(raw, raw_returns);
  const RiskBook& book = view.book;
  const ReturnMatrix& returns = view.returns;
  const std::size_t k = returns.cols();
  const std::size_t n = returns.rows();
  // The local return of each foreign price driver, as extra columns after the translated ones.
  std::vector<std::size_t> local_col(k, kNoAsset);
  std::vector<std::size_t> foreign;
  for (std::size_t i = 0; i < book.size(); ++i) {
    const std::size_t a = book.asset[i];
    if (a == kNoAsset || book.fx_of(i) == kNoAsset || local_col[a] != kNoAsset) continue;
    local_col[a] = k + foreign.size();
    foreign.push_back(a);
  }
  ReturnMatrix aug;
  aug.dates = returns.dates;
  aug.start = returns.start;
  aug.symbols = returns.symbols;
  for (std::size_t a : foreign) aug.symbols.push_back(raw_returns.symbols[a] + " (local)");
  const std::size_t ka = aug.symbols.size();
  aug.values.resize(n * ka);
  for (std::size_t t = 0; t < n; ++t) {
    std::copy_n(returns.values.data() + t * k, k, aug.values.data() + t * ka);
    for (std::size_t j = 0; j < foreign.size(); ++j) aug.values[t * ka + k + j] = raw_returns.at(t, foreign[j]);
  }
  const std::vector<double> e = book.asset_exposures();
  std::vector<double> e_aug = e;
  e_aug.resize(ka, 0.0);
  const std::vector<double> g = covariance_times(returns, e, options.covariance);
  const std::vector<double> g_aug = covariance_times(aug, e_aug, options.covariance);
  // The entries of Sigma that incremental VaR needs: its diagonal and the FX columns (a position
  // has at most a price driver and an FX column), each column as Sigma times a unit vector.
  const std::vector<double> diag = covariance_diagonal(returns, options.covariance);
  const std::size_t fb = book.fx_begin();
  std::vector<std::vector<double>> fx_cols;
  for (std::size_t c = fb; c < k; ++c) {
    std::vector<double> unit(k, 0.0);
    unit[c] = 1.0;
    fx_cols.push_back(covariance_times(returns, unit, options.covariance));
  }
  auto sigma_at = [&](std::size_t x, std::size_t y) {
    if (x == y) return diag[x];
    return x >= fb ? fx_cols[x - fb][y] : fx_cols[y - fb][x];
  };
  double variance = 0.0;
  for (std::size_t a = 0; a < k; ++a) variance += e[a] * g[a];
  if (!(variance > 0.0)) {
    throw Error::invalid_input("the portfolio's variance is zero over the window: VaR is undefined");
  }
  std::vector<double> mu(ka, 0.0);
  if (options.mean == MeanModel::kSample) {
    for (std::size_t t = 0; t < n; ++t) {
      for (std::size_t a = 0; a < ka; ++a) mu[a] += aug.values[t * ka + a];
    }
    for (double& m : mu) m /= static_cast<double>(n);
  }
  const double h = options.horizon_days;
  const double z = normal_quantile(options.confidence);
  const double sigma = std::sqrt(variance);
  double mu_p = 0.0;
  for (std::size_t a = 0; a < k; ++a) mu_p += mu[a] * e[a];
  auto marginal = [&](std::size_t a, double ga) { return z * std::sqrt(h) * ga / sigma - h * mu[a]; };

  VarContributions out = skeleton(book, VarMethod::kParametric);
  out.total_var = z * std::sqrt(h) * sigma - h * mu_p;
  for (std::size_t i = 0; i < book.size(); ++i) {
    const std::size_t a = book.asset[i];
    const std::size_t c = book.fx_of(i);
    if (a == kNoAsset && c == kNoAsset) continue;
    auto& p = out.positions[i];
    const double ei = a == kNoAsset ? 0.0 : book.exposure[i];
    const double xi = c == kNoAsset ? 0.0 : book.fx_exposure[i];
    const double m_a = a == kNoAsset ? 0.0 : marginal(a, g[a]);
    const double m_c = c == kNoAsset ? 0.0 : marginal(c, g[c]);
    p.marginal_var = a == kNoAsset ? m_c : m_a;
    p.component_var = ei * m_a + xi * m_c;
    if (c == kNoAsset) {
      p.component_var_price = p.component_var;
    } else if (a != kNoAsset) {
      p.component_var_price = ei * marginal(local_col[a], g_aug[local_col[a]]);
    }
    p.component_var_currency = p.component_var - p.component_var_price;
    // Without the position: remove d (ei on a, xi on c) from e.
    double dg = 0.0;
    double dsd = 0.0;
    double dmu = 0.0;
    const std::size_t cols[2] = {a, c};
    const double d[2] = {ei, xi};
    for (int u = 0; u < 2; ++u) {
      if (cols[u] == kNoAsset) continue;
      dg += d[u] * g[cols[u]];
      dmu += d[u] * mu[cols[u]];
      for (int w = 0; w < 2; ++w) {
        if (cols[w] == kNoAsset) continue;
        dsd += d[u] * d[w] * sigma_at(cols[u], cols[w]);
      }
    }
    const double var_without = variance - 2.0 * dg + dsd;
    const double without = z * std::sqrt(h) * std::sqrt(std::max(var_without, 0.0)) - h * (mu_p - dmu);
    p.incremental_var = out.total_var - without;
  }
  return out;
}

}  // namespace

VarContributions parametric_contributions(const RiskBook& book, const ReturnMatrix& returns,
                                          const VarOptions& options) {
  validate_var_inputs(book, returns, options);
  if (book.has_fx()) return parametric_contributions_fx(book, returns, options);
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
    c.component_var_price = c.component_var;
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

  // Position P&L per scenario, positions x scenarios (and its price part, with currency risk).
  const bool fx = book.has_fx();
  std::vector<double> pos_pnl(m * n, 0.0);
  std::vector<double> price_pnl(fx ? m * n : 0, 0.0);
  std::vector<double> total(n, 0.0);
  for (std::size_t i = 0; i < m; ++i) {
    const std::size_t c = book.fx_of(i);
    if (c != kNoAsset) {
      const std::size_t a = book.asset[i];
      for (std::size_t s = 0; s < n; ++s) {
        const PnlParts v = position_pnl_parts(book, i, a == kNoAsset ? 0.0 : scale * r.at(s, a),
                                              scale * r.at(s, c), options.horizon_days);
        pos_pnl[i * n + s] = v.total();
        price_pnl[i * n + s] = v.price;
        total[s] += v.total();
      }
      continue;
    }
    if (book.asset[i] == kNoAsset) continue;
    for (std::size_t s = 0; s < n; ++s) {
      const double v = position_pnl(book, i, scale * r.at(s, book.asset[i]), options.horizon_days);
      pos_pnl[i * n + s] = v;
      if (fx) price_pnl[i * n + s] = v;
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
    if (book.asset[i] == kNoAsset && book.fx_of(i) == kNoAsset) continue;
    auto& c = out.positions[i];
    const double* p = pos_pnl.data() + i * n;
    c.component_var = -(p[s_lo] + frac * (p[s_hi] - p[s_lo]));
    if (fx) {
      const double* q = price_pnl.data() + i * n;
      c.component_var_price = -(q[s_lo] + frac * (q[s_hi] - q[s_lo]));
    } else {
      c.component_var_price = c.component_var;
    }
    c.component_var_currency = c.component_var - c.component_var_price;
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
    c.component_var_price *= ratio;
    c.component_var_currency *= ratio;
    c.incremental_var *= ratio;
  }
  return out;
}

}  // namespace keel::risk
