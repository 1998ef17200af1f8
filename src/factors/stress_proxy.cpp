#include "keel/factors/stress_proxy.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace keel::factors {

std::optional<std::size_t> market_factor(std::span<const std::string> names) {
  for (std::size_t k = 0; k < names.size(); ++k) {
    std::string n = names[k];
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (n == "mkt_rf" || n == "mkt" || n == "market") return k;
  }
  return std::nullopt;
}

ProxyDriver proxy_driver(std::span<const double> betas, std::span<const double> se, double residual_vol, double r2,
                         const Eigen::MatrixXd& factor_cov, std::optional<std::size_t> market,
                         const ProxyOptions& options) {
  const std::size_t K = betas.size();
  ProxyDriver d;
  d.betas.assign(K, 0.0);
  d.r2 = std::isfinite(r2) ? r2 : 0.0;
  const double prior_precision = 1.0 / (options.prior_sd * options.prior_sd);
  for (std::size_t k = 0; k < K; ++k) {
    const double b = betas[k];
    if (!std::isfinite(b)) continue;
    const double s = k < se.size() ? se[k] : 0.0;
    const bool is_market = market && *market == k;
    const double prior = is_market ? options.market_prior : 0.0;
    if (!(s > 0.0) || !std::isfinite(s)) {
      d.betas[k] = b;  // a perfect fit: the estimate is exact
      continue;
    }
    if (!is_market && std::abs(b / s) < options.min_t) continue;
    const double precision = 1.0 / (s * s);
    d.betas[k] = (prior * prior_precision + b * precision) / (prior_precision + precision);
  }
  // s^2 = b_s' Sigma_ss b_s + e^2 over the style factors (all but the market), with the fit's betas.
  double var = std::isfinite(residual_vol) ? residual_vol * residual_vol : 0.0;
  if (factor_cov.rows() == static_cast<Eigen::Index>(K) && factor_cov.cols() == static_cast<Eigen::Index>(K)) {
    for (std::size_t i = 0; i < K; ++i) {
      if ((market && *market == i) || !std::isfinite(betas[i])) continue;
      for (std::size_t j = 0; j < K; ++j) {
        if ((market && *market == j) || !std::isfinite(betas[j])) continue;
        var += betas[i] * betas[j] * factor_cov(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      }
    }
  }
  d.nonmarket_vol = std::sqrt(std::max(var, 0.0));

  return d;
}

double ProxyPath::add(const ProxyDriver& driver, std::optional<std::size_t> market, std::span<const double> day) {
  double move = 0.0;
  for (std::size_t k = 0; k < day.size() && k < driver.betas.size(); ++k) move += driver.betas[k] * day[k];
  double market_move = market && *market < day.size() ? driver.betas[*market] * day[*market] : 0.0;

  // A day is capped just above -100 % so that its log stays finite (a product of such days is a
  // loss of all but a sliver).
  constexpr double kFloor = -1.0 + 1e-12;
  if (move < -1.0) ++capped_;
  move = std::max(move, kFloor);
  market_move = std::max(market_move, kFloor);
  market_log_ += std::log1p(market_move);
  style_log_ += std::log1p(move) - std::log1p(market_move);
  ++days_;
  return move;
}

double ProxyPath::bound(const ProxyDriver& driver, double bound_sd) const {
  return bound_sd * driver.nonmarket_vol * std::sqrt(static_cast<double>(days_));
}

double ProxyPath::growth(const ProxyDriver& driver, double bound_sd) const {
  const double b = bound(driver, bound_sd);
  return std::exp(market_log_ + std::clamp(style_log_, -b, b));
}

bool ProxyPath::bounded(const ProxyDriver& driver, double bound_sd) const {
  return std::abs(style_log_) > bound(driver, bound_sd);
}

}  // namespace keel::factors
