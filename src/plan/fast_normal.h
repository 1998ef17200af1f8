// Private: standard normal draws from uniforms by inverse transform, fast enough for the plan
// engine's inner loop (one uniform per normal, so a trial's draws are a fixed function of its
// Philox stream position).
//
// Acklam, P. J. (2003), "An algorithm for computing the inverse normal cumulative distribution
// function": rational approximations with relative error below 1.15e-9 over (0, 1). With
// keel::PhiloxStream's 32-bit uniforms the draws are bounded by about +/-6.2 standard deviations.
#pragma once

#include <cmath>
#include <cstddef>

namespace keel::plan::detail {

namespace acklam {
inline constexpr double a1 = -3.969683028665376e+01, a2 = 2.209460984245205e+02,
                        a3 = -2.759285104469687e+02, a4 = 1.383577518672690e+02,
                        a5 = -3.066479806614716e+01, a6 = 2.506628277459239e+00;
inline constexpr double b1 = -5.447609879822406e+01, b2 = 1.615858368580409e+02,
                        b3 = -1.556989798598866e+02, b4 = 6.680131188771972e+01,
                        b5 = -1.328068155288572e+01;
inline constexpr double c1 = -7.784894002430293e-03, c2 = -3.223964580411365e-01,
                        c3 = -2.400758277161838e+00, c4 = -2.549732539343734e+00,
                        c5 = 4.374664141464968e+00, c6 = 2.938163982698783e+00;
inline constexpr double d1 = 7.784695709041462e-03, d2 = 3.224671290700398e-01,
                        d3 = 2.445134137142996e+00, d4 = 3.754408661907416e+00;
inline constexpr double p_low = 0.02425;

[[gnu::always_inline]] inline double central(double p) {
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q /
         (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1.0);
}

inline double lower_tail(double p) {
  const double q = std::sqrt(-2.0 * std::log(p));
  return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) /
         ((((d1 * q + d2) * q + d3) * q + d4) * q + 1.0);
}

inline double upper_tail(double p) {
  const double q = std::sqrt(-2.0 * std::log1p(-p));
  return -(((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) /
         ((((d1 * q + d2) * q + d3) * q + d4) * q + 1.0);
}
}  // namespace acklam

inline double inverse_normal_cdf(double p) {
  if (p < acklam::p_low) return acklam::lower_tail(p);
  if (p > 1.0 - acklam::p_low) return acklam::upper_tail(p);
  return acklam::central(p);
}

// out[i] = mean + sd x inverse_normal_cdf(u[i]), bit-identical to the scalar form: the central
// region is computed for every value in a branch-free loop (vectorisable), then the ~5 % of
// values in the tails are overwritten. `out` and `u` may not alias.
[[gnu::always_inline]] inline void normals_from_uniforms(const double* u, double* out, std::size_t n, double mean,
                                  double sd) {
  for (std::size_t i = 0; i < n; ++i) out[i] = mean + sd * acklam::central(u[i]);
  for (std::size_t i = 0; i < n; ++i) {
    if (u[i] < acklam::p_low)
      out[i] = mean + sd * acklam::lower_tail(u[i]);
    else if (u[i] > 1.0 - acklam::p_low)
      out[i] = mean + sd * acklam::upper_tail(u[i]);
  }
}

}  // namespace keel::plan::detail
