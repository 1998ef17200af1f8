#include "gauss_legendre.h"

#include <cmath>
#include <numbers>
#include <utility>

namespace keel::options::detail {

GaussLegendreTheta gauss_legendre_theta(int n) {
  // P_n(x) and P_n'(x) by the three-term recurrence.
  auto legendre = [n](double x) {
    double p0 = 1.0, p1 = x;
    for (int k = 2; k <= n; ++k) {
      const double p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    return std::pair{p1, n * (x * p1 - p0) / (x * x - 1.0)};
  };
  GaussLegendreTheta rule;
  for (int i = 0; i < n; ++i) {
    // Newton's method on P_n from the Tricomi start.
    double x = std::cos(std::numbers::pi * (i + 0.75) / (n + 0.5));
    for (int it = 0; it < 100; ++it) {
      const auto [p, dp] = legendre(x);
      const double dx = p / dp;
      x -= dx;
      if (std::abs(dx) < 1e-16) break;
    }
    const double dp = legendre(x).second;
    const double w = 2.0 / ((1.0 - x * x) * dp * dp);
    const double theta = std::numbers::pi / 4.0 * (x + 1.0);
    rule.sin_t.push_back(std::sin(theta));
    rule.cos_t.push_back(std::cos(theta));
    rule.inv_cos.push_back(1.0 / std::cos(theta));
    rule.weight.push_back(w * std::numbers::pi / 4.0);
  }
  return rule;
}

}  // namespace keel::options::detail
