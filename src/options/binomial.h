// src/options/binomial.h (private): the American put by a binomial tree, for the double-boundary
// case q < r <= 0, which the single-boundary fixed-point method (alo.h) does not cover.
//
// Thread-safety: a pure function.
#pragma once

namespace keel::options::detail {

// Binomial price of the strike-1 American put (equal-probability tree, Black-Scholes last step,
// Richardson over `steps` and steps / 2).
double put_binomial(double spot, double r, double q, double vol, double years, int steps);

}  // namespace keel::options::detail
