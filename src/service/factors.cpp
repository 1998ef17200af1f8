// `keel risk factors`: factor betas of a book's positions and of the book (keel/service/factors.h).
#include <cmath>
#include <map>

#include "factors_inputs.h"
#include "keel/core/error.h"
#include "keel/factors/rolling.h"
#include "keel/service/factors.h"

namespace keel::service {
namespace {

std::map<std::string, double> named(const std::vector<std::string>& names, const std::vector<double>& values,
                                    std::size_t offset) {
  std::map<std::string, double> m;
  for (std::size_t k = 0; k < names.size(); ++k) m[names[k]] = values[offset + k];
  return m;
}

FactorFit fit_of(const factors::FactorFits& f, std::size_t j, const std::vector<std::string>& names) {
  const std::size_t off = j * f.factors;
  FactorFit out;
  out.betas = named(names, f.betas, off);
  out.alpha = f.alpha_annual[j];
  out.alpha_daily = f.alpha[j];
  out.alpha_t = f.alpha_t[j];
  out.r2 = f.r2[j];
  out.adj_r2 = f.adj_r2[j];
  out.t_stats = named(names, f.beta_t, off);
  out.std_errors = named(names, f.beta_se, off);
  out.residual_vol = f.residual_vol_annual[j];
  out.residual_vol_daily = f.residual_vol[j];
  return out;
}

FactorRolling rolling_of(const detail::BookFactorInputs& b, const FactorsRequest& req) {
  const auto& names = b.model.factor_names;
  const std::size_t K = names.size();
  const std::size_t A = b.model.assets.size();
  // Series 0 = the book, then each asset.
  const std::size_t N = A + 1;
  const std::vector<double> asset_y = factors::excess_returns(b.returns, b.aligned);
  std::vector<double> y(b.returns.rows() * N);
  for (std::size_t t = 0; t < b.returns.rows(); ++t) {
    y[t * N] = b.model.portfolio_returns[t];
    for (std::size_t a = 0; a < A; ++a) y[t * N + 1 + a] = asset_y[t * A + a];
  }
  const factors::RollingFits r = factors::rolling_factor_fits(
      y, N, b.aligned.values, K, {req.rolling_window, req.rolling_step, {req.periods_per_year}}, names);
  FactorRolling out;
  out.window = req.rolling_window;
  out.step = req.rolling_step;
  for (auto e : r.end_index) out.dates.push_back(b.returns.dates[e].to_string());
  auto series = [&](std::size_t j) {
    RollingSeries s;
    for (std::size_t k = 0; k < K; ++k) {
      std::vector<double>& betas = s.betas[names[k]];
      for (std::size_t w = 0; w < r.windows(); ++w) betas.push_back(r.beta(w, j, k));
    }
    for (std::size_t w = 0; w < r.windows(); ++w) {
      s.alpha.push_back(r.alpha_annual[w * N + j]);
      s.r2.push_back(r.r2[w * N + j]);
    }
    return s;
  };
  out.portfolio = series(0);
  for (std::size_t a = 0; a < A; ++a) out.assets.push_back({b.model.assets[a], series(a + 1)});
  return out;
}

}  // namespace

FactorsResult risk_factors(const Context& cx, const FactorsRequest& req) {
  if (!(req.periods_per_year > 0.0)) throw Error::invalid_input("periods per year must be positive");
  detail::BookFactorInputs b =
      detail::load_book_factor_model(cx, req.inputs, req.factors, req.window, req.periods_per_year, "factor betas");
  const auto& m = b.model;
  const auto& book = b.inputs.risk_book;
  const auto& names = m.factor_names;

  FactorsResult out;
  out.as_of = b.inputs.book.as_of.to_string();
  out.portfolio_name = b.inputs.book.name;
  out.currency = b.inputs.book.currency;
  out.factors = names;
  out.factor_source = b.factor_source;
  out.excess_returns = b.aligned.has_rf;
  out.window = b.returns.rows();
  out.first_date = b.returns.dates.front().to_string();
  out.last_date = b.returns.dates.back().to_string();
  out.periods_per_year = req.periods_per_year;
  out.weight_base = m.weight_base;
  out.weight_basis = m.weight_base_is_gross ? "gross_exposure" : "net_value";

  FactorPortfolio& portfolio = out.portfolio;
  if (!m.weighted_betas.empty()) portfolio.betas = named(names, m.weighted_betas, 0);
  portfolio.alpha = m.weighted_alpha_annual;
  portfolio.r2 = m.portfolio_fit.r2[0];
  portfolio.value_weighted = {portfolio.betas, m.weighted_alpha_annual};
  portfolio.regression = fit_of(m.portfolio_fit, 0, names);
  portfolio.exposures = named(names, m.exposure_amount, 0);

  for (std::size_t i = 0; i < book.size(); ++i) {
    if (book.asset[i] == risk::kNoAsset) continue;
    const std::size_t a = book.asset[i];
    FactorPosition p;
    p.fit = fit_of(m.asset_fits, a, names);
    p.symbol = book.ids[i];
    p.driver = book.assets[a];
    p.value = book.value[i];
    p.exposure = book.exposure[i];
    p.weight = m.position_weight[i];
    out.positions.push_back(std::move(p));
  }
  if (req.rolling_window > 0) out.rolling = rolling_of(b, req);
  out.warnings = b.inputs.warnings;
  return out;
}

}  // namespace keel::service
