#include "keel/factors/book_model.h"

#include <fmt/format.h>

#include <cmath>

#include "keel/core/error.h"

namespace keel::factors {

std::vector<double> excess_returns(const risk::ReturnMatrix& returns, const AlignedFactors& factors) {
  if (returns.rows() != factors.rows()) {
    throw Error::invalid_input(
        fmt::format("factor model: {} returns but {} factor rows", returns.rows(), factors.rows()));
  }
  const std::size_t n = returns.cols();
  std::vector<double> y(returns.values.size());
  for (std::size_t t = 0; t < returns.rows(); ++t) {
    const double rf = factors.rf[t];
    for (std::size_t a = 0; a < n; ++a) y[t * n + a] = returns.values[t * n + a] - rf;
  }
  return y;
}

BookFactorModel fit_book_factor_model(const risk::RiskBook& book, const risk::ReturnMatrix& returns,
                                      const AlignedFactors& factors, const OlsOptions& options) {
  if (returns.symbols != book.assets) {
    throw Error::invalid_input("factor model: the return columns are not the book's assets");
  }
  if (book.assets.empty()) throw Error::invalid_input("factor model: the book has no position with market risk");
  for (std::size_t t = 0; t < returns.rows(); ++t) {
    if (returns.dates[t] != factors.dates[t]) {
      throw Error::invalid_input("factor model: return date " + returns.dates[t].to_string() +
                                 " does not match factor date " + factors.dates[t].to_string());
    }
  }
  const std::size_t n = book.assets.size();
  const std::size_t k = factors.cols();
  const std::size_t T = returns.rows();

  BookFactorModel m;
  m.factor_names = factors.names;
  m.assets = book.assets;
  const std::vector<double> y = excess_returns(returns, factors);
  m.asset_fits = fit_factor_model(y, n, factors.values, k, options, factors.names);

  // Weights: delta exposure over the net book value (gross exposure when that is not positive).
  double net = 0.0;
  double gross = 0.0;
  for (std::size_t i = 0; i < book.size(); ++i) {
    net += book.value[i];
    gross += std::abs(book.exposure[i]);
  }
  m.weight_base_is_gross = !(net > 0.0);
  m.weight_base = m.weight_base_is_gross ? gross : net;
  if (!(m.weight_base > 0.0)) throw Error::invalid_input("factor model: the book has no exposure");

  std::vector<double> asset_weight(n, 0.0);
  m.position_weight.assign(book.size(), 0.0);
  for (std::size_t i = 0; i < book.size(); ++i) {
    m.position_weight[i] = book.exposure[i] / m.weight_base;
    if (book.asset[i] != risk::kNoAsset) asset_weight[book.asset[i]] += m.position_weight[i];
  }
  m.weighted_betas.assign(k, 0.0);
  m.exposure_amount.assign(k, 0.0);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t f = 0; f < k; ++f) {
      m.weighted_betas[f] += asset_weight[a] * m.asset_fits.beta(a, f);
      m.exposure_amount[f] += asset_weight[a] * m.weight_base * m.asset_fits.beta(a, f);
    }
    m.weighted_alpha += asset_weight[a] * m.asset_fits.alpha[a];
  }
  m.weighted_alpha_annual = m.weighted_alpha * options.periods_per_year;

  m.portfolio_returns.assign(T, 0.0);
  for (std::size_t t = 0; t < T; ++t) {
    double s = 0.0;
    for (std::size_t a = 0; a < n; ++a) s += asset_weight[a] * y[t * n + a];
    m.portfolio_returns[t] = s;
  }
  m.portfolio_fit = fit_factor_model(m.portfolio_returns, 1, factors.values, k, options, factors.names);
  return m;
}

}  // namespace keel::factors
