// keel/factors/regression.h: ordinary least squares of many return series on a few factors.
//
// For each series j (a position's daily excess returns y_j, T observations) and the T x K factor
// matrix F (daily factor returns), with an intercept:
//     y_j = alpha_j + F beta_j + e_j.
// The fit centres the data (x_bar, y_bar), solves the normal equations of the centred design
// S beta = Fc' yc with S = Fc' Fc by Cholesky (K is small), and takes alpha = y_bar - x_bar' beta.
// With s^2 = SSR / (T - K - 1) (the unbiased residual variance):
//     se(beta_k) = sqrt(s^2 [S^-1]_kk),   se(alpha) = sqrt(s^2 (1/T + x_bar' S^-1 x_bar)),
//     t = estimate / se,   R^2 = 1 - SSR / SST (SST = sum (y - y_bar)^2),
//     adjusted R^2 = 1 - (1 - R^2)(T - 1)/(T - K - 1).
// These are the textbook formulas (Greene, "Econometric Analysis", 7th ed., ch. 3-4; the
// centred form of (X'X)^-1 with an intercept is its eq. 3-8 / partitioned inverse).
// Annualisation: alpha_annual = periods_per_year x alpha (arithmetic), residual_vol_annual =
// s x sqrt(periods_per_year). Units: decimal returns per period (0.01 = 1%).
//
// All series share the design, so S is factorised once and the work is one matrix product Fc' Y,
// split over columns with oneTBB for large batches. SSR = SST - b' (Fc' y) (the fitted sum of
// squares); for a series whose fit is almost perfect (SSR < 1e-6 SST), where that difference would
// lose digits, the residuals are summed explicitly.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace keel::factors {

enum class MissingReturns {
  kError,      // a non-finite return is an error
  kPerSeries,  // NaN = no observation: each such series is fitted on its own valid rows
};

struct OlsOptions {
  double periods_per_year = 252.0;  // trading days per year for annualising alpha and residual vol
  MissingReturns missing = MissingReturns::kError;
};

// Results in columns: entry j of each vector belongs to series j; matrices are row-major with one
// row per series (betas[j * factors + k]).
struct FactorFits {
  std::size_t series = 0;
  std::size_t factors = 0;
  std::size_t observations = 0;      // T
  std::vector<std::size_t> series_observations;  // per series: T, or its valid rows (kPerSeries)
  std::vector<double> alpha;         // intercept per period (decimal per day for daily data)
  std::vector<double> alpha_annual;  // alpha x periods_per_year
  std::vector<double> alpha_se;
  std::vector<double> alpha_t;
  std::vector<double> betas;         // series x factors
  std::vector<double> beta_se;       // series x factors
  std::vector<double> beta_t;        // series x factors
  std::vector<double> r2;            // 0 for a constant series (SST = 0)
  std::vector<double> adj_r2;
  std::vector<double> residual_vol;         // s, per period
  std::vector<double> residual_vol_annual;  // s x sqrt(periods_per_year)

  double beta(std::size_t j, std::size_t k) const { return betas[j * factors + k]; }
  double t_stat(std::size_t j, std::size_t k) const { return beta_t[j * factors + k]; }
};

// Fits every column of `y` (T x N, row-major: y[t * n_series + j]) on `x` (T x K, row-major:
// x[t * n_factors + k]) with an intercept. `factor_names` (K entries, may be empty) only serve
// error messages. A perfect fit gives zero standard errors and infinite t-statistics.
// With MissingReturns::kPerSeries, a series with NaN returns is fitted on the rows where it has
// one (its own design); a series with K + 1 or fewer valid rows, or whose rows leave the factors
// collinear, gets NaN results (and its observation count) instead of failing the batch.
// Throws keel::Error(invalid_input): when sizes disagree, T <= K + 1 (no residual degrees of
// freedom), a value is not finite (naming observation and series/factor; factors must always be
// finite), or the factors are collinear or constant (naming the factors).
FactorFits fit_factor_model(std::span<const double> y, std::size_t n_series, std::span<const double> x,
                            std::size_t n_factors, const OlsOptions& options = {},
                            std::span<const std::string> factor_names = {});

}  // namespace keel::factors
