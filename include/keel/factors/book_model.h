// keel/factors/book_model.h: factor exposures of a book (positions, options by delta).
//
// Each driver asset of a keel::risk::RiskBook (a stock, or an option's underlying) is regressed on
// the factors (keel/factors/regression.h) using its daily excess returns y_a = r_a - rf.
// A position inherits the betas of its driver; its weight is its delta exposure over the book
// value, w_i = e_i / V (e_i = value for a stock, units x delta x spot for an option, 0 for cash;
// V = the book's net value, or its gross absolute exposure when the net value is not positive).
// Portfolio betas are reported two ways:
//   value-weighted: beta_p = sum_i w_i beta_a(i), alpha_p = sum_i w_i alpha_a(i);
//   regression:     the OLS of the book's own daily excess-return series
//                   y_p,t = sum_i w_i (r_a(i),t - rf_t) = sum_a W_a y_a,t on the same factors.
// OLS is linear in y, so both give the same betas and alpha on the same window; the regression
// adds the book's R^2, t-statistics and residual (specific) volatility, which a weighted sum of
// position R^2 cannot give. Dollar exposures: exposure_k = sum_i e_i beta_a(i),k, the P&L in
// portfolio currency of a one-unit (100%) factor return.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "keel/factors/alignment.h"
#include "keel/factors/regression.h"
#include "keel/risk/book.h"
#include "keel/risk/returns.h"

namespace keel::factors {

struct BookFactorModel {
  std::vector<std::string> factor_names;   // K
  std::vector<std::string> assets;          // the book's driver assets (fit columns)
  FactorFits asset_fits;                    // one series per asset
  FactorFits portfolio_fit;                 // one series: the book's excess returns
  std::vector<double> position_weight;      // per position of the book, e_i / V
  double weight_base = 0.0;                 // V, portfolio currency
  bool weight_base_is_gross = false;        // true when V is the gross exposure (net value <= 0)
  std::vector<double> weighted_betas;       // K, value-weighted portfolio betas
  double weighted_alpha = 0.0;              // per day
  double weighted_alpha_annual = 0.0;
  std::vector<double> exposure_amount;      // K, sum_i e_i beta_ik (portfolio currency per 1.00)
  std::vector<double> portfolio_returns;    // T, the book's daily excess returns y_p
};

// `returns` must have the book's assets as columns (same order) on the dates of `factors`.
// Throws keel::Error(invalid_input) when they disagree, when the book has no risky position, and as
// fit_factor_model does.
BookFactorModel fit_book_factor_model(const risk::RiskBook& book, const risk::ReturnMatrix& returns,
                                      const AlignedFactors& factors, const OlsOptions& options = {});

// Excess returns y[t * N + a] = r_a,t - rf_t (T x N row-major).
std::vector<double> excess_returns(const risk::ReturnMatrix& returns, const AlignedFactors& factors);

}  // namespace keel::factors
