// src/options/alo.h (private): the exercise boundary of an American put (strike 1) by the
// fixed-point method of Andersen, Lake & Offengenden (2016), solved by Newton's method on the
// discretised equations, and prices from it. The formulas are in alo.cpp and docs/options.md;
// keel/options/american.h is the public face.
//
// One kernel solves blocks of kLanes options at once, vectorised across the options (every lane
// runs the same discretisation, so one scheme's tables serve the whole block). A single option
// goes through the same kernel (its block holds copies of it), so a price does not depend on
// whether it was computed alone or in a batch.
//
// Thread-safety: pure functions; the scheme tables are built once per process (thread-safe
// static initialisation), the kernel's scratch memory is thread_local.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>

namespace keel::options::detail {

inline constexpr int kMaxNodes = 32;
inline constexpr int kMaxPoints = 64;        // of a fixed-point integral
inline constexpr int kMaxPricePoints = 128;  // of the price integral
inline constexpr int kLanes = 8;             // options per kernel block

enum class FixedPointEquation { kA, kB };

// A discretisation of the method: n Chebyshev nodes of the boundary, l Gauss-Legendre points per
// fixed-point integral, at most m sweeps (Newton steps, the first a plain fixed-point step when
// warm_up; an option stops at the first Newton step below `tolerance`), p Gauss-Legendre points
// of the price integral, and the interpolation variable xi(sqrt tau) = sqrt tau / (1 + rho
// sqrt(tau / T)) (rho = 0: sqrt tau itself). The kernel takes nodes and fixed-point points four
// at a time: both are multiples of 4.
struct AloScheme {
  int nodes;
  int fp_points;
  int iterations;
  int price_points;
  FixedPointEquation equation;
  bool warm_up;
  double rho;
  double tolerance = 1e-9;  // Newton stops (per option) once a step moves no node by more (ln B)
  // A Newton step moves a node by at most this share of its distance from X (0: no limit).
  double step_limit = 0.5;
};

// The presets: each has one scheme per class of the dimensionless rate
//   kappa = sqrt(T ((r - q - vol^2/2)^2 / vol^2 + 2 r))
// (the boundary moves on the time scale T / kappa^2: a large kappa means a boundary that settles
// early and sharp integrands); the class is kappa rounded to a power of 2 (0 below 0.5), and
// classes 0 and 1 where q < r (X = 1, the boundary's simpler case) are classes 9 and 10.
inline constexpr int kKappaClasses = 9;  // rho 0, 1, 2, 4, ..., 128
inline constexpr int kSchemeClasses = kKappaClasses + 2;
int scheme_class(double r, double q, double vol, double years);
// Within a class, a batch puts its options in the order of this key: a block's options then need
// about as many sweeps as each other (a block sweeps until its slowest option converges; its
// prices do not depend on the block).
inline double block_order_key(double r, double q, double vol, double years) {
  return (q - r) * std::sqrt(years) / vol;
}
const AloScheme& standard_scheme(int cls);
const AloScheme& high_scheme(int cls);

// The boundary of a put with strike 1 as H(xi) = ln(B(tau) / X)^2 in Chebyshev form.
struct PutBoundary {
  double r = 0.0, q = 0.0, vol = 0.0, years = 0.0, sqrt_t = 0.0;
  double inv_a = 0.0;    // rho / sqrt T: xi(x) = x / (1 + x inv_a)
  double xi_t = 0.0;     // xi(sqrt T)
  double x_limit = 1.0;  // X = min(1, r / q): the boundary at expiry
  double log_x = 0.0;
  int n = 0;
  int price_points = 0;  // of the scheme that solved it (prepare_price)
  std::array<double, kMaxNodes + 1> coef{};

  double xi(double sqrt_tau) const { return sqrt_tau / (1.0 + sqrt_tau * inv_a); }
  // H at sqrt(tau) in [0, sqrt T].
  double h_at(double sqrt_tau) const;
  // Sets the coefficients from H at the extrema nodes (index 0 = expiry T, n = tau 0).
  void fit(const double* h_nodes);
};

// The precomputed tables of one scheme (quadrature rules, node positions, the Chebyshev
// interpolation weights at every quadrature point): they depend on the scheme alone, not on
// the option, which is what lets one block of options share them.
struct SchemeTables;
const SchemeTables& scheme_tables(int cls, bool high);
// Tables of any scheme (for tuning and tests; the presets above are cached).
const SchemeTables* make_scheme_tables(const AloScheme& scheme);  // owned by the caller: delete with
void free_scheme_tables(const SchemeTables* tables);

// Solves the boundary of one put (r > 0, vol sqrt T > 0). An option whose sweeps end before it
// converged is solved again with the tables' fallback (the standard preset with twice the sweeps,
// then the high preset of its class), here and in put_prices alike.
PutBoundary solve_put_boundary(const SchemeTables& tables, double r, double q, double vol, double years);
// The boundaries of `count` puts (1 to kLanes) in one kernel block: out[i] is what
// solve_put_boundary gives for put i (a lane's result does not depend on the other lanes), at
// about the cost of one.
void solve_put_boundaries(const SchemeTables& tables, int count, const double* r, const double* q, const double* vol,
                          const double* years, PutBoundary* out);

// Prices of `count` puts with strike 1 at spot[i] (spot / strike of the real option), each with
// its own r, q, vol, years, all with one scheme (r > 0, vol sqrt T > 0, spot > 0): the European
// price plus the early-exercise premium, at least 1 - spot.
void put_prices(const SchemeTables& tables, std::size_t count, const double* r, const double* q,
                const double* vol, const double* years, const double* spot, double* price);

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

}  // namespace keel::options::detail
