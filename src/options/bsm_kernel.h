// src/options/bsm_kernel.h (private): the one Black-Scholes-Merton formula that the scalar and
// batch APIs, the implied-vol solver and the American approximation share.
//
// Haug (2007) 1.1.6 with cost of carry b = r - q:
//   d1 = (ln(S/K) + (r - q + vol^2/2) T) / (vol sqrt T),  d2 = d1 - vol sqrt T
//   call = S e^{-qT} N(d1) - K e^{-rT} N(d2),  put = K e^{-rT} N(-d2) - S e^{-qT} N(-d1)
// With w = +1 for a call and -1 for a put:
//   delta = w e^{-qT} N(w d1)              gamma = e^{-qT} n(d1) / (S vol sqrt T)
//   vega  = S e^{-qT} n(d1) sqrt T         rho   = w K T e^{-rT} N(w d2)
//   theta = -S e^{-qT} n(d1) vol / (2 sqrt T) + w (q S e^{-qT} N(w d1) - r K e^{-rT} N(w d2))
#pragma once

#include <cmath>

#include "keel/options/black_scholes.h"

namespace keel::options::detail {

inline constexpr double kInvSqrt2Pi = 0.39894228040143267794;
inline constexpr double kInvSqrt2 = 0.70710678118654752440;

// Standard normal CDF through erfc, accurate in relative terms in the lower tail.
inline double norm_cdf(double x) { return 0.5 * std::erfc(-x * kInvSqrt2); }
inline double norm_pdf(double x) { return kInvSqrt2Pi * std::exp(-0.5 * x * x); }

// The zero-vol / expiry limit: the discounted forward payoff (see black_scholes.h).
inline Greeks bsm_limit(double w, double s, double k, double t, double v, double r, double q) {
  Greeks g;
  const double dq = std::exp(-q * t);
  const double dr = std::exp(-r * t);
  const double fwd_s = s * dq;
  const double fwd_k = k * dr;
  const double diff = w * (fwd_s - fwd_k);
  if (diff > 0.0) {
    g.price = diff;
    g.delta = w * dq;
    g.theta = w * (q * fwd_s - r * fwd_k);
    g.rho = w * k * t * dr;
  } else if (diff == 0.0 && s > 0.0) {
    g.delta = 0.5 * w * dq;
    if (t > 0.0) g.vega = fwd_s * std::sqrt(t) * kInvSqrt2Pi;
    (void)v;
  }
  return g;
}

inline Greeks bsm_row(double w, double s, double k, double t, double v, double r, double q) {
  const double sqrt_t = std::sqrt(t);
  const double sd = v * sqrt_t;
  if (!(sd >= kMinStdDev) || !(s > 0.0)) return bsm_limit(w, s, k, t, v, r, q);
  const double dq = std::exp(-q * t);
  const double dr = std::exp(-r * t);
  const double d1 = (std::log(s / k) + (r - q) * t) / sd + 0.5 * sd;
  const double d2 = d1 - sd;
  const double n1 = norm_cdf(w * d1);
  const double n2 = norm_cdf(w * d2);
  const double pdf = norm_pdf(d1);
  const double fwd_s = s * dq;
  const double fwd_k = k * dr;
  Greeks g;
  g.price = w * (fwd_s * n1 - fwd_k * n2);
  if (g.price < 0.0) g.price = 0.0;  // rounding in the far tails
  g.delta = w * dq * n1;
  g.gamma = dq * pdf / (s * sd);
  g.vega = fwd_s * pdf * sqrt_t;
  g.theta = -fwd_s * pdf * v / (2.0 * sqrt_t) + w * (q * fwd_s * n1 - r * fwd_k * n2);
  g.rho = w * k * t * dr * n2;
  return g;
}

inline double bsm_price_row(double w, double s, double k, double t, double v, double r, double q) {
  const double sd = v * std::sqrt(t);
  if (!(sd >= kMinStdDev) || !(s > 0.0)) return bsm_limit(w, s, k, t, v, r, q).price;
  const double d1 = (std::log(s / k) + (r - q) * t) / sd + 0.5 * sd;
  const double d2 = d1 - sd;
  const double p = w * (s * std::exp(-q * t) * norm_cdf(w * d1) - k * std::exp(-r * t) * norm_cdf(w * d2));
  return p > 0.0 ? p : 0.0;
}

inline double sign_of(OptionRight r) { return r == OptionRight::kCall ? 1.0 : -1.0; }

}  // namespace keel::options::detail
