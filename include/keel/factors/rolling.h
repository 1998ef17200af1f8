// keel/factors/rolling.h: factor betas through time (rolling-window OLS).
//
// For every window of `window` consecutive observations ending at t = window-1, window-1+step, ...,
// T-1, each series is regressed on the factors with an intercept exactly as in
// keel/factors/regression.h (same formulas; windows are independent fits, not updated sums, so
// each point equals a fresh regression on its window).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "keel/factors/regression.h"

namespace keel::factors {

struct RollingOptions {
  std::size_t window = 63;  // observations per fit (63 trading days ~ one quarter); > factors + 1
  std::size_t step = 1;     // observations between successive window ends; >= 1
  OlsOptions ols{};
};

struct RollingFits {
  std::size_t series = 0;
  std::size_t factors = 0;
  std::vector<std::size_t> end_index;   // W: index of each window's last observation
  std::vector<double> betas;            // W x series x factors
  std::vector<double> alpha_annual;     // W x series
  std::vector<double> r2;               // W x series

  std::size_t windows() const { return end_index.size(); }
  double beta(std::size_t w, std::size_t j, std::size_t k) const { return betas[(w * series + j) * factors + k]; }
};

// Same layouts as fit_factor_model. Throws keel::Error(invalid_input) when step < 1, window <=
// factors + 1, window > T, and as fit_factor_model does.
RollingFits rolling_factor_fits(std::span<const double> y, std::size_t n_series, std::span<const double> x,
                                std::size_t n_factors, const RollingOptions& options,
                                std::span<const std::string> factor_names = {});

}  // namespace keel::factors
