// `keel risk factors`: factor betas of a book's positions and of the book (keel/service/factors.h).
#include <cmath>

#include "factors_inputs.h"
#include "keel/core/error.h"
#include "keel/factors/rolling.h"
#include "keel/service/factors.h"

namespace keel::service {
namespace {

using nlohmann::json;

json named(const std::vector<std::string>& names, const std::vector<double>& values, std::size_t offset) {
  json j = json::object();
  for (std::size_t k = 0; k < names.size(); ++k) j[names[k]] = values[offset + k];
  return j;
}

json fit_json(const factors::FactorFits& f, std::size_t j, const std::vector<std::string>& names) {
  const std::size_t off = j * f.factors;
  return {{"betas", named(names, f.betas, off)},
          {"alpha", f.alpha_annual[j]},
          {"alpha_daily", f.alpha[j]},
          {"alpha_t", f.alpha_t[j]},
          {"r2", f.r2[j]},
          {"adj_r2", f.adj_r2[j]},
          {"t_stats", named(names, f.beta_t, off)},
          {"std_errors", named(names, f.beta_se, off)},
          {"residual_vol", f.residual_vol_annual[j]},
          {"residual_vol_daily", f.residual_vol[j]}};
}

json rolling_json(const detail::BookFactorInputs& b, const FactorsRequest& req) {
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
  json dates = json::array();
  for (auto e : r.end_index) dates.push_back(b.returns.dates[e].to_string());
  auto series = [&](std::size_t j) {
    json betas = json::object();
    for (std::size_t k = 0; k < K; ++k) {
      json s = json::array();
      for (std::size_t w = 0; w < r.windows(); ++w) s.push_back(r.beta(w, j, k));
      betas[names[k]] = std::move(s);
    }
    json alpha = json::array();
    json r2 = json::array();
    for (std::size_t w = 0; w < r.windows(); ++w) {
      alpha.push_back(r.alpha_annual[w * N + j]);
      r2.push_back(r.r2[w * N + j]);
    }
    return json{{"betas", std::move(betas)}, {"alpha", std::move(alpha)}, {"r2", std::move(r2)}};
  };
  json assets = json::array();
  for (std::size_t a = 0; a < A; ++a) {
    json s = series(a + 1);
    s["symbol"] = b.model.assets[a];
    assets.push_back(std::move(s));
  }
  return {{"window", req.rolling_window},
          {"step", req.rolling_step},
          {"dates", std::move(dates)},
          {"portfolio", series(0)},
          {"assets", std::move(assets)}};
}

}  // namespace

nlohmann::json risk_factors_json(Store* store, const FactorsRequest& req) {
  if (!(req.periods_per_year > 0.0)) throw Error::invalid_input("periods per year must be positive");
  detail::BookFactorInputs b =
      detail::load_book_factor_model(store, req.inputs, req.factors, req.window, req.periods_per_year);
  const auto& m = b.model;
  const auto& book = b.inputs.risk_book;
  const auto& names = m.factor_names;

  json out;
  out["as_of"] = b.inputs.book.as_of.to_string();
  out["portfolio_name"] = b.inputs.book.name;
  out["factors"] = names;
  out["factor_source"] = b.factor_source;
  out["excess_returns"] = b.aligned.has_rf;
  out["window"] = b.returns.rows();
  out["first_date"] = b.returns.dates.front().to_string();
  out["last_date"] = b.returns.dates.back().to_string();
  out["periods_per_year"] = req.periods_per_year;
  out["weight_base"] = m.weight_base;
  out["weight_basis"] = m.weight_base_is_gross ? "gross_exposure" : "net_value";

  json regression = fit_json(m.portfolio_fit, 0, names);
  json portfolio;
  portfolio["betas"] = m.weighted_betas.empty() ? json::object() : named(names, m.weighted_betas, 0);
  portfolio["alpha"] = m.weighted_alpha_annual;
  portfolio["r2"] = m.portfolio_fit.r2[0];
  portfolio["value_weighted"] = {{"betas", portfolio["betas"]}, {"alpha", m.weighted_alpha_annual}};
  portfolio["regression"] = std::move(regression);
  portfolio["exposures"] = named(names, m.exposure_amount, 0);
  out["portfolio"] = std::move(portfolio);

  json positions = json::array();
  for (std::size_t i = 0; i < book.size(); ++i) {
    if (book.asset[i] == risk::kNoAsset) continue;
    const std::size_t a = book.asset[i];
    json p = fit_json(m.asset_fits, a, names);
    p["symbol"] = book.ids[i];
    p["driver"] = book.assets[a];
    p["value"] = book.value[i];
    p["exposure"] = book.exposure[i];
    p["weight"] = m.position_weight[i];
    positions.push_back(std::move(p));
  }
  out["positions"] = std::move(positions);
  if (req.rolling_window > 0) out["rolling"] = rolling_json(b, req);
  out["warnings"] = b.inputs.warnings;
  return out;
}

}  // namespace keel::service
