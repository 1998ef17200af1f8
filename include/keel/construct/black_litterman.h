// keel/construct/black_litterman.h: expected returns for portfolio construction from market
// equilibrium and investor views (Black & Litterman, "Global portfolio optimization", Financial
// Analysts Journal 48(5), 1992; He & Litterman, "The intuition behind Black-Litterman model
// portfolios", Goldman Sachs, 1999).
//
//   equilibrium  pi = delta Sigma w_mkt, the returns under which the market portfolio w_mkt is the
//                mean-variance optimum of an investor of risk aversion delta
//   posterior    mu = pi + tau Sigma P' (tau P Sigma P' + Omega)^-1 (Q - P pi)
//                (the same as [(tau Sigma)^-1 + P' Omega^-1 P]^-1 [(tau Sigma)^-1 pi + P' Omega^-1 Q]
//                wherever Omega is invertible, and defined at full confidence, Omega_kk = 0, where
//                the view then holds exactly)
//   Omega        diagonal, omega_k = (1 - c_k) / c_k x tau p_k Sigma p_k' for a confidence c_k in
//                [0, 1]: Idzorek's confidence method ("A step-by-step guide to the
//                Black-Litterman model", 2005) in its closed form. Idzorek picks omega_k so that
//                the weights (delta Sigma)^-1 mu under view k alone move the fraction c_k of the
//                way from w_mkt to their position under that view at full confidence; those
//                weights move along (delta Sigma)^-1 tau Sigma p_k' by tau p_k Sigma p_k' /
//                (tau p_k Sigma p_k' + omega_k) of the full move, which equals c_k exactly at the
//                omega_k above (Walters, "The Black-Litterman model in detail", 2014). It is also
//                He and Litterman's tau p_k Sigma p_k' (the prior's own variance of the view) at
//                c = 1/2. c = 1: the view holds exactly; c = 0: omega infinite, the view has no
//                effect (it is left out).
//
// Units are the caller's (keel's: daily decimal returns). Deterministic; pure functions.
#pragma once

#include <Eigen/Dense>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace keel::construct {

struct View {
  std::string label;                                  // e.g. "AAPL - MSFT", for messages
  std::vector<std::pair<std::size_t, double>> terms;  // (asset index, weight): a row of P
  double value = 0.0;                                 // Q_k, the view's return per period
  double confidence = 0.5;                            // c_k in [0, 1]
};

// pi = delta Sigma w.
Eigen::VectorXd equilibrium_returns(const Eigen::MatrixXd& covariance, const Eigen::VectorXd& market_weights,
                                    double risk_aversion);

// The risk aversion the market portfolio implies: (w'mean - rf) / w'Sigma w; nullopt when that is
// not a positive finite number (a market whose mean excess return is not positive).
std::optional<double> implied_risk_aversion(const Eigen::MatrixXd& covariance, const Eigen::VectorXd& mean,
                                            const Eigen::VectorXd& market_weights, double risk_free);

struct BlackLittermanResult {
  Eigen::VectorXd mean;   // the posterior expected returns
  Eigen::VectorXd omega;  // the diagonal of Omega used (infinity for a view at confidence 0)
};

// The posterior mean of the prior `prior` (usually equilibrium_returns) under `views`, tau the
// prior's uncertainty scale. Throws keel::Error(invalid_input) for a view with no terms, an asset
// out of range, a confidence outside [0, 1], tau not positive, or views that contradict each
// other at full confidence (tau P Sigma P' + Omega singular).
BlackLittermanResult black_litterman(const Eigen::MatrixXd& covariance, const Eigen::VectorXd& prior,
                                     const std::vector<View>& views, double tau);

}  // namespace keel::construct
