// src/options/alo.h (private): the exercise boundary of an American put (strike 1) by the
// fixed-point method of Andersen, Lake & Offengenden (2016), and prices from it. The formulas
// are in alo.cpp and docs/options.md; keel/options/american.h is the public face.
#pragma once

#include <array>

namespace keel::options::detail {

inline constexpr int kMaxNodes = 32;
inline constexpr int kMaxPricePoints = 128;
inline constexpr int kMaxPoints = 128;  // of a fixed-point integral

enum class FixedPointEquation { kA, kB };

// Discretisation of the method: Chebyshev nodes of the boundary, Gauss-Legendre points of each
// fixed-point integral, fixed-point iterations and Gauss-Legendre points of the price integral.
// Point counts must be one of 8, 12, 16, 24, 32, 48, 64, 96, 128.
struct AloScheme {
  int nodes;
  int fp_points;
  int iterations;
  int price_points;
  FixedPointEquation equation;
};

// The boundary of a put with strike 1 as H(sqrt tau) = ln(B(tau) / X)^2 in Chebyshev form.
struct PutBoundary {
  double r = 0.0, q = 0.0, vol = 0.0, years = 0.0, sqrt_t = 0.0;
  double x_limit = 1.0;  // X = min(1, r / q): the boundary at expiry
  double log_x = 0.0;
  int n = 0;
  std::array<double, kMaxNodes + 1> coef{};

  // H at sqrt(tau) in [0, sqrt T].
  double h_at(double sqrt_tau) const;
  // Sets the coefficients from H at the extrema nodes (index 0 = expiry T, n = tau 0).
  void fit(const double* h_nodes);
};

// Solves the boundary for r > 0 (single-boundary case). `initial_guess` gives B(tau) for strike
// 1 (keel uses the Barone-Adesi-Whaley critical price, the QD boundary).
PutBoundary solve_put_boundary(double r, double q, double vol, double years, const AloScheme& scheme,
                               double (*initial_guess)(double r, double q, double vol, double tau));

// The QD boundary of a put with strike 1 at time to expiry tau (the Barone-Adesi-Whaley critical
// price, american.cpp): the starting point of the fixed-point iteration.
double qd_put_boundary(double r, double q, double vol, double tau);

// Spot-independent parts of the price integral for one boundary, so that many spots (scenarios,
// a strike ladder) cost one log and 2 p normal CDFs each.
struct PreparedPrice {
  int points = 0;
  std::array<double, kMaxPricePoints> inv_sv{}, half_sv{}, shift{}, wr{}, wq{};
  double boundary_at_expiry = 0.0;  // B(T): exercise at or below it
  double dr = 1.0, dq = 1.0;
};
PreparedPrice prepare_price(const PutBoundary& b, int points);

// Price of the put with strike 1 at `spot` (spot / strike of the real option).
double put_price(const PutBoundary& b, const PreparedPrice& p, double spot);

// Binomial price of the strike-1 American put (equal-probability tree, Black-Scholes last step,
// Richardson over `steps` and steps / 2), for the double-boundary case q < r <= 0, which the
// single-boundary fixed-point method does not cover.
double put_binomial(double spot, double r, double q, double vol, double years, int steps);

}  // namespace keel::options::detail
