// American options by the fixed-point method of Andersen, Lake & Offengenden (2016) for the
// early-exercise boundary (docs/options.md, "American options").
//
// Everything is solved for a put with strike 1; a call is the put with spot and strike and rate
// and dividend yield exchanged (McDonald & Schroder 1998), and prices scale with the strike.
// With B(tau) the boundary at time to expiry tau and
//   d+-(tau, z) = (ln z + (r - q) tau) / (vol sqrt tau) +- vol sqrt tau / 2,
// the boundary solves B = e^{-(r-q) tau} N(tau, B) / D(tau, B) with (FP-B)
//   N = n(d-(tau, B)) / (vol sqrt tau) + r int_0^tau e^{ru} n(d-(tau-u, B(tau)/B(u))) / (vol sqrt(tau-u)) du
//   D = n(d+(tau, B)) / (vol sqrt tau) + N(d+(tau, B))
//       + q int_0^tau e^{qu} [N(d+(tau-u, .)) + n(d+(tau-u, .)) / (vol sqrt(tau-u))] du
// or (FP-A) N = N(d-(tau, B)) + r int e^{ru} N(d-) du, D = N(d+(tau, B)) + q int e^{qu} N(d+) du.
// The boundary is carried as H(sqrt tau) = ln(B(tau) / X)^2, X = min(1, r/q) its limit at expiry,
// a smooth function interpolated by a Chebyshev polynomial on the nodes sqrt tau_i; the integrals
// use Gauss-Legendre in theta with u = tau sin^2 theta, which makes both sqrt(u) (the boundary's
// behaviour near expiry) and sqrt(tau - u) (the kernel's) analytic in theta. The price is
//   P(S) = p_european(S) + int_0^T [r e^{-r(T-u)} N(-d-(T-u, S/B(u))) - q S e^{-q(T-u)} N(-d+(T-u, S/B(u)))]
//   du.
#include "alo.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "bsm_kernel.h"
#include "simd_math.h"

namespace keel::options::detail {
namespace {

// Gauss-Legendre nodes and weights on theta in [0, pi/2], as sin(theta), cos(theta), weight.
struct Rule {
  std::vector<double> sin_t, cos_t, inv_cos, weight;
};

Rule make_rule(int n) {
  Rule rule;
  for (int i = 0; i < n; ++i) {
    // Newton's method on the Legendre polynomial P_n from the Tricomi start.
    double x = std::cos(std::numbers::pi * (i + 0.75) / (n + 0.5));
    double dp = 0.0;
    for (int it = 0; it < 100; ++it) {
      double p0 = 1.0, p1 = x;
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = n * (x * p1 - p0) / (x * x - 1.0);
      const double dx = p1 / dp;
      x -= dx;
      if (std::abs(dx) < 1e-16) break;
    }
    double p0 = 1.0, p1 = x;
    for (int k = 2; k <= n; ++k) {
      const double p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    dp = n * (x * p1 - p0) / (x * x - 1.0);
    const double w = 2.0 / ((1.0 - x * x) * dp * dp);
    const double theta = std::numbers::pi / 4.0 * (x + 1.0);
    rule.sin_t.push_back(std::sin(theta));
    rule.cos_t.push_back(std::cos(theta));
    rule.inv_cos.push_back(1.0 / std::cos(theta));
    rule.weight.push_back(w * std::numbers::pi / 4.0);
  }
  return rule;
}

const Rule& rule(int n) {
  // The few sizes the presets use, built once (thread-safe static initialisation).
  static const std::array<Rule, 129> rules = [] {
    std::array<Rule, 129> out;
    for (int k : {8, 12, 16, 24, 32, 48, 64, 96, 128}) out[k] = make_rule(k);
    return out;
  }();
  return rules[n];
}

[[gnu::always_inline]] inline double ncdf(double x) {
  return simd::norm_cdf_with(x, simd::exp(-0.5 * x * x));
}
[[gnu::always_inline]] inline double npdf(double x) {
  return kInvSqrt2Pi * simd::exp(-0.5 * x * x);
}
// N(x) given g = e^{-x^2/2} from erfcx alone (relative error ~2e-14, far below what the
// quadrature needs; the centre series of simd::norm_cdf_with is skipped).
[[gnu::always_inline]] inline double ncdf_with(double x, double g) {
  const double tail = 0.5 * g * simd::erfcx(std::abs(x) * kInvSqrt2);
  return x < 0.0 ? tail : 1.0 - tail;
}

}  // namespace

double PutBoundary::h_at(double sqrt_tau) const {
  // Clenshaw's recurrence for sum'' c_k T_k(z), z = 2 sqrt(tau) / sqrt(T) - 1.
  const double z = 2.0 * sqrt_tau / sqrt_t - 1.0;
  const double z2 = 2.0 * z;
  double b1 = 0.0, b2 = 0.0;
  for (int k = n; k >= 1; --k) {
    const double c = k == n ? 0.5 * coef[k] : coef[k];
    const double b0 = c + z2 * b1 - b2;
    b2 = b1;
    b1 = b0;
  }
  return 0.5 * coef[0] + z * b1 - b2;
}

void PutBoundary::fit(const double* h_nodes) {
  // Chebyshev coefficients through the n + 1 extrema nodes z_i = cos(i pi / n) (a DCT-I);
  // cos(pi k i / n) depends only on k i mod 2n: tabulated once per n (thread-safe static).
  static const auto tables = [] {
    std::array<std::array<double, 2 * kMaxNodes>, kMaxNodes + 1> out{};
    for (int m = 1; m <= kMaxNodes; ++m) {
      for (int j = 0; j < 2 * m; ++j) out[m][j] = std::cos(std::numbers::pi * j / m);
    }
    return out;
  }();
  const auto& cosines = tables[n];
  for (int k = 0; k <= n; ++k) {
    double sum = 0.0;
    for (int i = 0; i <= n; ++i) {
      const double f = (i == 0 || i == n) ? 0.5 * h_nodes[i] : h_nodes[i];
      sum += f * cosines[(k * i) % (2 * n)];
    }
    coef[k] = 2.0 / n * sum;
  }
}

namespace {

// The integrands of node `tau` (sqrt tau = st) at every fixed-point quadrature point, into
// num[k] and den[k] (no reduction in the loops, so they vectorise; one clone per instruction set).
// The boundary at each point's u = tau sin^2 theta_k is evaluated for all points in lockstep
// (Clenshaw's recurrence with the point index innermost).
struct NodeArgs {
  const double* coef;  // Chebyshev coefficients of H, n + 1
  int n;
  double sqrt_t, st, sqrt_h, r, q, vol;
  const double* sin_t;
  const double* cos_t;
  const double* inv_cos;
  const double* weight;
  const double* eru;  // e^{r u_k}
  const double* equ;  // e^{q u_k}
  int l;
  bool fp_b;
};

#define KEEL_ALO_NODE(SUFFIX, ATTR)                                                     \
  ATTR void node_terms_##SUFFIX(const NodeArgs& a, double* num, double* den) {          \
    std::array<double, kMaxPoints> z2, b1, b2;                                          \
    const double inv_sqrt_t = 1.0 / a.sqrt_t;                                           \
    for (int k = 0; k < a.l; ++k) {                                                     \
      z2[k] = 2.0 * (2.0 * a.st * a.sin_t[k] * inv_sqrt_t - 1.0);                        \
      b1[k] = 0.0;                                                                      \
      b2[k] = 0.0;                                                                      \
    }                                                                                   \
    for (int j = a.n; j >= 1; --j) {                                                    \
      const double c = j == a.n ? 0.5 * a.coef[j] : a.coef[j];                          \
      for (int k = 0; k < a.l; ++k) {                                                   \
        const double b0 = c + z2[k] * b1[k] - b2[k];                                    \
        b2[k] = b1[k];                                                                  \
        b1[k] = b0;                                                                     \
      }                                                                                 \
    }                                                                                   \
    const double sv = a.vol * a.st, tau = a.st * a.st, inv_sv = 1.0 / sv;              \
    const double w_b = 2.0 * a.st / a.vol;                                              \
    for (int k = 0; k < a.l; ++k) {                                                     \
      const double h = 0.5 * a.coef[0] + 0.5 * z2[k] * b1[k] - b2[k];                   \
      const double sqrt_hu = std::sqrt(h > 0.0 ? h : 0.0);                              \
      const double c = a.cos_t[k];                                                      \
      const double s = sv * c; /* vol sqrt(tau - u) */                                  \
      /* ln(B(tau) / B(u)) = sqrt H(u) - sqrt H(tau) */                                 \
      const double xp = (sqrt_hu - a.sqrt_h + (a.r - a.q) * tau * c * c) * (inv_sv * a.inv_cos[k]) + 0.5 * s; \
      const double xm = xp - s;                                                         \
      if (a.fp_b) {                                                                     \
        const double w = a.weight[k] * w_b * a.sin_t[k];                                \
        const double gp = simd::exp(-0.5 * xp * xp);                                    \
        num[k] = w * a.eru[k] * npdf(xm);                                               \
        den[k] = w * a.equ[k] * (ncdf_with(xp, gp) * s + kInvSqrt2Pi * gp);             \
      } else {                                                                          \
        const double w = a.weight[k] * 2.0 * tau * a.sin_t[k] * c;                      \
        num[k] = w * a.eru[k] * ncdf(xm);                                               \
        den[k] = w * a.equ[k] * ncdf(xp);                                               \
      }                                                                                 \
    }                                                                                   \
  }
KEEL_ALO_NODE(baseline, )
KEEL_ALO_NODE(avx2, [[gnu::target("arch=x86-64-v3")]])
KEEL_ALO_NODE(avx512, [[gnu::target("arch=x86-64-v4,prefer-vector-width=512")]])
#undef KEEL_ALO_NODE

using NodeTerms = void (*)(const NodeArgs&, double*, double*);
NodeTerms node_terms_for_cpu() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v4")) return &node_terms_avx512;
  if (__builtin_cpu_supports("x86-64-v3")) return &node_terms_avx2;
  return &node_terms_baseline;
}

}  // namespace

PutBoundary solve_put_boundary(double r, double q, double vol, double years, const AloScheme& scheme,
                               double (*initial_guess)(double r, double q, double vol, double tau)) {
  PutBoundary b;
  b.r = r;
  b.q = q;
  b.vol = vol;
  b.years = years;
  b.sqrt_t = std::sqrt(years);
  b.n = scheme.nodes;
  b.x_limit = q > r ? r / q : 1.0;
  b.log_x = std::log(b.x_limit);
  const int n = scheme.nodes;
  const Rule& fp = rule(scheme.fp_points);
  const int l = scheme.fp_points;

  // Nodes sqrt(tau_i) = sqrt(T) (1 + cos(i pi / n)) / 2: i = 0 is expiry T, i = n is tau = 0.
  std::array<double, kMaxNodes + 1> sqrt_tau{}, h{};
  for (int i = 0; i <= n; ++i) sqrt_tau[i] = 0.5 * b.sqrt_t * (1.0 + std::cos(std::numbers::pi * i / n));
  sqrt_tau[n] = 0.0;
  for (int i = 0; i < n; ++i) {
    const double tau = sqrt_tau[i] * sqrt_tau[i];
    const double guess = std::min(initial_guess(r, q, vol, tau), b.x_limit);
    const double lr = guess > 0.0 ? std::log(guess) - b.log_x : -50.0;
    h[i] = lr * lr;
  }
  h[n] = 0.0;
  b.fit(h.data());

  // Weights of each node's integral that do not change between iterations: e^{r u}, e^{q u} and
  // the quadrature point's sqrt(u) and sqrt(tau - u).
  std::vector<double> eru(static_cast<std::size_t>(n) * l), equ(eru.size());
  for (int i = 0; i < n; ++i) {
    const double tau = sqrt_tau[i] * sqrt_tau[i];
    for (int k = 0; k < l; ++k) {
      const double u = tau * fp.sin_t[k] * fp.sin_t[k];
      eru[i * l + k] = simd::exp(r * u);
      equ[i * l + k] = simd::exp(q * u);
    }
  }
  std::array<double, kMaxNodes + 1> next{};
  static const NodeTerms node_terms = node_terms_for_cpu();
  std::array<double, kMaxPoints> num_terms{}, den_terms{};
  for (int iter = 0; iter < scheme.iterations; ++iter) {
    for (int i = 0; i < n; ++i) {
      const double st = sqrt_tau[i];
      const double tau = st * st;
      const double sqrt_h = std::sqrt(h[i]);
      const double log_b = b.log_x - sqrt_h;  // ln B(tau_i)
      const double sv = vol * st;
      const double dp = (log_b + (r - q) * tau) / sv + 0.5 * sv;
      const double dm = dp - sv;
      const NodeArgs args{b.coef.data(),
                          n,
                          b.sqrt_t,
                          st,
                          sqrt_h,
                          r,
                          q,
                          vol,
                          fp.sin_t.data(),
                          fp.cos_t.data(),
                          fp.inv_cos.data(),
                          fp.weight.data(),
                          &eru[static_cast<std::size_t>(i) * l],
                          &equ[static_cast<std::size_t>(i) * l],
                          l,
                          scheme.equation == FixedPointEquation::kB};
      node_terms(args, num_terms.data(), den_terms.data());
      double num_int = 0.0, den_int = 0.0;
      for (int k = 0; k < l; ++k) {
        num_int += num_terms[k];
        den_int += den_terms[k];
      }
      double num, den;
      if (scheme.equation == FixedPointEquation::kB) {
        num = npdf(dm) / sv + r * num_int;
        den = npdf(dp) / sv + ncdf(dp) + q * den_int;
      } else {
        num = ncdf(dm) + r * num_int;
        den = ncdf(dp) + q * den_int;
      }
      const double log_next = -(r - q) * tau + std::log(num / den);
      const double excess = std::min(log_next - b.log_x, 0.0);
      next[i] = std::isfinite(excess) ? excess * excess : h[i];
    }
    for (int i = 0; i < n; ++i) h[i] = next[i];
    b.fit(h.data());
  }
  return b;
}

PreparedPrice prepare_price(const PutBoundary& b, int points) {
  PreparedPrice p;
  const Rule& pr = rule(points);
  p.points = points;
  const double t = b.years;
  for (int k = 0; k < points; ++k) {
    const double s = pr.sin_t[k], c = pr.cos_t[k];
    const double elapsed = t * c * c;  // T - u
    const double sv = b.vol * b.sqrt_t * c;
    const double sqrt_h = std::sqrt(std::max(b.h_at(b.sqrt_t * s), 0.0));
    p.inv_sv[k] = 1.0 / sv;
    p.half_sv[k] = 0.5 * sv;
    // d+ = (ln S - ln B(u) + (r - q)(T - u)) / sv + sv / 2, ln B(u) = ln X - sqrt H(u).
    p.shift[k] = -(b.log_x - sqrt_h) + (b.r - b.q) * elapsed;
    const double w = pr.weight[k] * 2.0 * t * s * c;
    p.wr[k] = w * b.r * std::exp(-b.r * elapsed);
    p.wq[k] = w * b.q * std::exp(-b.q * elapsed);
  }
  p.boundary_at_expiry = std::exp(b.log_x - std::sqrt(std::max(b.h_at(b.sqrt_t), 0.0)));
  p.dr = std::exp(-b.r * t);
  p.dq = std::exp(-b.q * t);
  return p;
}

namespace {

// The premium integrand at every price point, written to `terms` (a loop without a reduction, so
// that the compiler vectorises it); one clone per instruction set, chosen at run time as for the
// batch kernel (docs/options.md).
#define KEEL_ALO_PREMIUM(SUFFIX, ATTR)                                                                 \
  ATTR void premium_terms_##SUFFIX(const PreparedPrice& p, double log_s, double spot, double* terms) { \
    for (int k = 0; k < p.points; ++k) {                                                               \
      const double dp = (log_s + p.shift[k]) * p.inv_sv[k] + p.half_sv[k];                             \
      const double dm = dp - 2.0 * p.half_sv[k];                                                       \
      terms[k] = p.wr[k] * ncdf(-dm) - spot * p.wq[k] * ncdf(-dp);                                     \
    }                                                                                                  \
  }
KEEL_ALO_PREMIUM(baseline, )
KEEL_ALO_PREMIUM(avx2, [[gnu::target("arch=x86-64-v3")]])
KEEL_ALO_PREMIUM(avx512, [[gnu::target("arch=x86-64-v4,prefer-vector-width=512")]])
#undef KEEL_ALO_PREMIUM

using PremiumTerms = void (*)(const PreparedPrice&, double, double, double*);
PremiumTerms premium_terms_for_cpu() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v4")) return &premium_terms_avx512;
  if (__builtin_cpu_supports("x86-64-v3")) return &premium_terms_avx2;
  return &premium_terms_baseline;
}

}  // namespace

double put_price(const PutBoundary& b, const PreparedPrice& p, double spot) {
  if (spot <= p.boundary_at_expiry) return 1.0 - spot;
  static const PremiumTerms premium_terms = premium_terms_for_cpu();
  std::array<double, kMaxPricePoints> terms;
  premium_terms(p, std::log(spot), spot, terms.data());
  double premium = 0.0;
  for (int k = 0; k < p.points; ++k) premium += terms[k];
  const double euro = bsm_price_row(-1.0, spot, 1.0, b.years, b.vol, b.r, b.q);
  return std::max(euro + premium, 1.0 - spot);
}

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
