// src/options/gauss_legendre.h (private): Gauss-Legendre quadrature mapped to theta in [0, pi/2],
// the variable of the fixed-point method's integrals (alo.cpp: u = tau sin^2 theta).
//
// Thread-safety: a pure function.
#pragma once

#include <vector>

namespace keel::options::detail {

// The n-point rule on theta in [0, pi/2]: per node sin(theta), cos(theta), 1 / cos(theta) and the
// weight (the weights sum to pi / 2).
struct GaussLegendreTheta {
  std::vector<double> sin_t, cos_t, inv_cos, weight;
};
GaussLegendreTheta gauss_legendre_theta(int n);

}  // namespace keel::options::detail
