// keel/factors/stress_proxy.h: the factor proxy of a driver that a historical replay has no prices
// for (keel/factors/stress.h), kept plausible over long windows far from the fit's.
//
// The regression's betas (keel/factors/regression.h), fitted on the last year, are noisy (a single
// stock's R^2 is often 0.2) and the style factors of a historical window can move far more than in
// any year of the fit (the dot-com bust: hml +104 %, rmw +138 % over 2.5 years). Compounded day by
// day, the raw betas then prove anything (a department store at +1,811 %). The proxy is therefore:
//
// 1. Shrunk (Vasicek 1973, "A Note on Using Cross-Sectional Information in Bayesian Estimation of
//    Security Betas", J. Finance 28(5)): each beta is the precision-weighted mean of its estimate
//    and a prior, b* = (m / p^2 + b / se^2) / (1 / p^2 + 1 / se^2), with prior mean m = 1 for the
//    market factor (mkt_rf, mkt or market) and 0 for every other, prior sd p = 0.5 (the cross-
//    sectional dispersion of betas; Blume 1975 finds betas regress to 1 at about this rate).
// 2. Selected: a factor other than the market whose |t| = |b / se| is below 2 gets no beta.
// 3. Bounded: on the proxied days the move splits into its market part (sum of log(1 + b*_m f_m,t))
//    and the rest, the style part (sum of log(1 + b*' f_t) - log(1 + b*_m f_m,t)). The style part
//    is clipped to +-z s sqrt(D), D the proxied days, z = 2, and s the daily sd the model gives the
//    driver's return net of its market part, s^2 = b_s' Sigma_ss b_s + e^2 (the style betas and
//    factor covariance of the fit, e its residual vol): the style factors cannot take the driver
//    further from its market move than two standard deviations of what they moved it in the fit.
//    (Widening s by the window's own style variance was tried: it let the dot-com bust's volatile
//    value factor carry Target to +116 %, and was dropped.) In a crash of a few days the bound
//    binds too, by a few points: each such driver is flagged.
//
// Out of sample on the repo's prices (29 stocks, 2013-2017, betas of the 252 days before each
// origin, every 21 days), the mean absolute error of the proxied move against the real one over
// 21 / 63 / 126 / 252 days was 4.33 / 8.34 / 13.20 / 24.30 % for this proxy, 4.31 / 8.26 / 13.15 /
// 24.15 % for the raw betas, 4.56 / 8.74 / 13.76 / 24.58 % for a CAPM beta and 4.65 / 8.88 / 14.09 /
// 25.72 % for the index (docs/stress.md, "Proxies"; tests/service/stress_proxy_test.cpp).
//
// Thread-safety: pure functions and values.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace keel::factors {

struct ProxyOptions {
  double market_prior = 1.0;  // prior mean of the market beta (others: 0)
  double prior_sd = 0.5;      // prior sd of every beta
  double min_t = 2.0;         // a non-market factor with |t| below this gets no beta
  double bound_sd = 2.0;      // z: the style part's bound in sd of the driver's non-market moves
};

// The proxy of one driver.
struct ProxyDriver {
  std::vector<double> betas;   // K: shrunk and selected
  double nonmarket_vol = 0.0;  // s: daily sd of the return net of its market part, by the fit
  double r2 = 0.0;             // the fit's R^2 (reported; below 0.2 flagged)
};

// The index of the market factor: the first named mkt_rf, mkt or market (any case), else nullopt.
std::optional<std::size_t> market_factor(std::span<const std::string> names);

// The proxy of a driver from its fit: `betas` and `se` (K each), its residual vol per day and R^2,
// and the factors' covariance per day (K x K). A beta with a zero or non-finite se keeps its
// estimate (a perfect fit); a non-finite beta is 0.
ProxyDriver proxy_driver(std::span<const double> betas, std::span<const double> se, double residual_vol, double r2,
                         const Eigen::MatrixXd& factor_cov, std::optional<std::size_t> market,
                         const ProxyOptions& options = {});

// One driver's proxied days, compounded in their market and style parts (see the header).
class ProxyPath {
 public:
  // Adds a day of factor returns (K); returns the day's proxied move before any bound (capped at
  // -100 %: `capped` counts such days).
  double add(const ProxyDriver& driver, std::optional<std::size_t> market, std::span<const double> day);
  // The compounded growth of the proxied days, the style part bounded (see the header).
  double growth(const ProxyDriver& driver, double bound_sd) const;
  // Whether growth() clipped the style part.
  bool bounded(const ProxyDriver& driver, double bound_sd) const;
  // The bound of the style part's log, z s sqrt(D) (see the header).
  double bound(const ProxyDriver& driver, double bound_sd) const;
  std::size_t days() const { return days_; }
  std::size_t capped() const { return capped_; }
  double style_log() const { return style_log_; }

 private:
  double market_log_ = 0.0;
  double style_log_ = 0.0;
  std::size_t days_ = 0;
  std::size_t capped_ = 0;
};

}  // namespace keel::factors
