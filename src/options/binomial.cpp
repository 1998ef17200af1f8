// The binomial price of an American put (binomial.h).
#include "binomial.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "bsm_kernel.h"

namespace keel::options::detail {

double put_binomial(double spot, double r, double q, double vol, double years, int steps) {
  // Equal-probability (Jarrow-Rudd) binomial tree with strike 1, whose probabilities stay valid
  // for any drift and vol (a Cox-Ross-Rubinstein tree's do not when vol sqrt(dt) < |r - q| dt),
  // with the Black-Scholes European value at the last step (the BBS tree of Broadie & Detemple
  // 1996), extrapolated as 2 V(n) - V(n/2) (BBSR), which removes the leading error term.
  auto tree = [&](int m) {
    const double dt = years / m;
    const double jump = vol * std::sqrt(dt);
    const double drift = (r - q - 0.5 * vol * vol) * dt;
    const double up2 = std::exp(2.0 * jump);
    const double half_disc = 0.5 * std::exp(-r * dt);
    std::vector<double> v(static_cast<std::size_t>(m));
    double s = spot * std::exp((m - 1) * (drift - jump));
    for (int j = 0; j < m; ++j, s *= up2) {
      v[j] = std::max(bsm_price_row(-1.0, s, 1.0, dt, vol, r, q), 1.0 - s);
    }
    for (int i = m - 2; i >= 0; --i) {
      s = spot * std::exp(i * (drift - jump));
      for (int j = 0; j <= i; ++j, s *= up2) v[j] = std::max(half_disc * (v[j + 1] + v[j]), 1.0 - s);
    }
    return v[0];
  };
  return 2.0 * tree(steps) - tree(steps / 2);
}

}  // namespace keel::options::detail
