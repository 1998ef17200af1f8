#include "keel/factors/rolling.h"

#include <fmt/format.h>

#include "keel/core/error.h"

namespace keel::factors {

RollingFits rolling_factor_fits(std::span<const double> y, std::size_t n_series, std::span<const double> x,
                                std::size_t n_factors, const RollingOptions& options,
                                std::span<const std::string> factor_names) {
  if (n_series == 0 || n_factors == 0 || x.size() % n_factors != 0) {
    throw Error::invalid_input("rolling betas need at least one series and one factor");
  }
  const std::size_t T = x.size() / n_factors;
  if (options.step < 1) throw Error::invalid_input("the rolling step must be at least 1");
  if (options.window <= n_factors + 1) {
    throw Error::invalid_input(
        fmt::format("the rolling window must exceed {} observations for {} factors, got {}", n_factors + 1,
                    n_factors, options.window));
  }
  if (options.window > T) {
    throw Error::invalid_input(fmt::format(
        "the rolling window of {} observations is longer than the {} available", options.window, T));
  }
  RollingFits out;
  out.series = n_series;
  out.factors = n_factors;
  for (std::size_t end = options.window - 1; end < T; end += options.step) {
    const std::size_t start = end + 1 - options.window;
    const FactorFits f =
        fit_factor_model(y.subspan(start * n_series, options.window * n_series), n_series,
                         x.subspan(start * n_factors, options.window * n_factors), n_factors, options.ols,
                         factor_names);
    out.end_index.push_back(end);
    out.betas.insert(out.betas.end(), f.betas.begin(), f.betas.end());
    out.alpha_annual.insert(out.alpha_annual.end(), f.alpha_annual.begin(), f.alpha_annual.end());
    out.r2.insert(out.r2.end(), f.r2.begin(), f.r2.end());
  }
  return out;
}

}  // namespace keel::factors
