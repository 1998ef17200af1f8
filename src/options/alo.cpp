// American options by the fixed-point method of Andersen, Lake & Offengenden (2016) for the
// early-exercise boundary (docs/options.md, "American options").
//
// Everything is solved for a put with strike 1; a call is the put with spot and strike and rate
// and dividend yield exchanged (McDonald & Schroder 1998), and prices scale with the strike.
// With B(tau) the boundary at time to expiry tau and
//   d+-(tau, z) = (ln z + (r - q) tau) / (vol sqrt tau) +- vol sqrt tau / 2,
// the boundary solves ln B = g(ln B) = -(r - q) tau + ln N(tau, B) - ln D(tau, B) with (FP-B)
//   N = n(d-(tau, B)) / (vol sqrt tau) + r int_0^tau e^{ru} n(d-(tau-u, B(tau)/B(u))) / (vol sqrt(tau-u)) du
//   D = n(d+(tau, B)) / (vol sqrt tau) + N(d+(tau, B))
//       + q int_0^tau e^{qu} [N(d+(tau-u, .)) + n(d+(tau-u, .)) / (vol sqrt(tau-u))] du
// or (FP-A) N = N(d-(tau, B)) + r int e^{ru} N(d-) du, D = N(d+(tau, B)) + q int e^{qu} N(d+) du.
// The boundary is carried as H = ln(B(tau) / X)^2, X = min(1, r/q) its limit at expiry, a
// Chebyshev polynomial in xi = sqrt tau / (1 + rho sqrt(tau / T)) through its values at n + 1
// extrema nodes (rho, the scheme's class, compresses the late part of the boundary when it
// settles early); the integrals use Gauss-Legendre in theta with u = tau sin^2 theta, which makes
// both sqrt(u) (the boundary's behaviour near expiry) and sqrt(tau - u) (the kernel's) analytic
// in theta.
//
// The discretised equations are solved by Newton's method on the node values L_i = ln B(tau_i):
// with F_i(L) = L_i - g_i(L), the Jacobian is I - dg/dL, where g_i depends on L_i directly and
// on every L_j through the interpolated B(u) at node i's quadrature points:
//   dg_i/dL_j = [i = j] (N_i'/N_i - D_i'/D_i)
//               - sum_k (r dN_ik / N_i - q dD_ik / D_i) dH(u_ik)/dh_j sqrt(h_j) / sqrt(H(u_ik)),
// dN_ik, dD_ik the derivatives of the integrands in ln B(tau_i) and dH(u_ik)/dh_j the
// interpolation weights (fixed per scheme). Newton converges quadratically from the QD start
// (the Barone-Adesi-Whaley critical price at each node), where plain fixed-point sweeps
// converge linearly (FP-A) or oscillate (FP-B where r is large against vol^2).
//
// The price is
//   P(S) = p_european(S) + int_0^T [r e^{-r(T-u)} N(-d-(T-u, S/B(u))) - q S e^{-q(T-u)} N(-d+(T-u, S/B(u)))]
//   du.
//
// The kernel values kLanes options at once: every loop over a block's lanes is innermost and
// branch-free, so the compiler vectorises it (one clone per instruction set, as for the
// Black-Scholes batch kernel, chosen at run time).
#include "alo.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <mutex>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "bsm_batch.h"
#include "bsm_kernel.h"
#include "gauss_legendre.h"
#include "simd_math.h"

namespace keel::options::detail {
namespace {

[[gnu::always_inline]] inline double npdf(double x) {
  return kInvSqrt2Pi * simd::exp(-0.5 * x * x);
}
// N(x) given g = e^{-x^2/2} from erfcx alone (relative error ~2e-14, far below what the
// quadrature needs; the centre series of simd::norm_cdf_with is skipped). kLean: from the lean
// erfcx (~5e-13) instead, for the fixed-point sweeps, whose integrals are accurate to ~1e-9 (their
// Gaussians use simd::exp<11> likewise).
template <bool kLean = false>
[[gnu::always_inline]] inline double ncdf_with(double x, double g) {
  const double a = std::abs(x) * kInvSqrt2;
  const double tail = 0.5 * g * (kLean ? simd::erfcx_lean(a) : simd::erfcx(a));
  return x < 0.0 ? tail : 1.0 - tail;
}
[[gnu::always_inline]] inline double ncdf(double x) {
  return ncdf_with(x, simd::exp(-0.5 * x * x));
}

// (nodes, fixed-point points, at most these sweeps, price points, equation, warm-up, tolerance,
// step limit) per class: docs/options.md, "Schemes" (tuned on a grid of 4,116 boundaries x 9
// spots and on random options against the high preset, which agrees with QuantLib's QdFp engine
// at its tightest settings to ~1e-8). Every class uses FP-A, one plain sweep and then Newton
// steps. Found on the way: Newton on FP-B from the QD start fails to converge for short options
// with q just above r (2e-4 off); without the plain sweep Newton converges slowly for short
// high-vol puts with q above r (1e-4 off after three steps); without the step limit a node near
// expiry can be thrown onto the floor and the solution wanders (1e-5); where the boundary settles
// within a small part of the option's life (kappa above ~6) the step limit slows the needed large
// steps, so those classes go without it, with more sweeps.
constexpr AloScheme kStandard[kSchemeClasses] = {
    {16, 12, 6, 32, FixedPointEquation::kA, true, 0.0, 1e-7, 0.5},
    {20, 16, 6, 64, FixedPointEquation::kA, true, 1.0, 1e-7, 0.5},
    {20, 20, 6, 96, FixedPointEquation::kA, true, 2.0, 1e-7, 0.5},
    {32, 32, 6, 128, FixedPointEquation::kA, true, 4.0, 1e-7, 0.5},
    {32, 64, 14, 128, FixedPointEquation::kA, true, 8.0, 1e-8, 0.0},
    {32, 64, 14, 128, FixedPointEquation::kA, true, 16.0, 1e-8, 0.0},
    {32, 64, 14, 128, FixedPointEquation::kA, true, 32.0, 1e-8, 0.0},
    {32, 64, 14, 128, FixedPointEquation::kA, true, 64.0, 1e-8, 0.0},
    {32, 64, 14, 128, FixedPointEquation::kA, true, 128.0, 1e-8, 0.0},
    // Classes 0 and 1 where q < r (X = 1): the boundary leaves X as sqrt(tau ln(1/tau)) and
    // nothing else happens near expiry, so fewer nodes and points keep 1e-6 (worst against the
    // high preset: 5.2e-7 on 1,000,000 random options, a price of 3.6e-6 K that is 6e-12 K off,
    // and 1.7e-7 on 300,000; docs/options.md, "Schemes"). Where q >= r the boundary's limit r/q K
    // and the layer near expiry where q is just above r need more (12 x 12 there: 1.1e-6).
    {12, 12, 6, 32, FixedPointEquation::kA, true, 0.0, 1e-7, 0.5},
    {16, 16, 6, 64, FixedPointEquation::kA, true, 1.0, 1e-7, 0.5},
};

// The high preset: more points and sweeps and a tighter tolerance (reference values; the slow test
// compares the standard preset with it on 100,000 random options).
constexpr AloScheme kHigh[kSchemeClasses] = {
    {20, 48, 16, 128, FixedPointEquation::kA, true, 0.0, 1e-11, 0.5},
    {20, 48, 16, 128, FixedPointEquation::kA, true, 1.0, 1e-11, 0.5},
    {24, 48, 16, 128, FixedPointEquation::kA, true, 2.0, 1e-11, 0.5},
    {32, 48, 16, 128, FixedPointEquation::kA, true, 4.0, 1e-11, 0.5},
    {32, 64, 16, 128, FixedPointEquation::kA, true, 8.0, 1e-11, 0.0},
    {32, 64, 16, 128, FixedPointEquation::kA, true, 16.0, 1e-11, 0.0},
    {32, 64, 16, 128, FixedPointEquation::kA, true, 32.0, 1e-11, 0.0},
    {32, 64, 16, 128, FixedPointEquation::kA, true, 64.0, 1e-11, 0.0},
    {32, 64, 16, 128, FixedPointEquation::kA, true, 128.0, 1e-11, 0.0},
    {20, 48, 16, 128, FixedPointEquation::kA, true, 0.0, 1e-11, 0.5},
    {20, 48, 16, 128, FixedPointEquation::kA, true, 1.0, 1e-11, 0.5},
};

// The kernel takes nodes and fixed-point points four at a time.
constexpr bool kernel_shape_ok(const AloScheme& s) {
  return s.nodes % 4 == 0 && s.fp_points % 4 == 0 && s.nodes <= kMaxNodes && s.fp_points <= kMaxPoints &&
         s.price_points <= kMaxPricePoints;
}
constexpr bool presets_ok() {
  for (int c = 0; c < kSchemeClasses; ++c) {
    if (!kernel_shape_ok(kStandard[c]) || !kernel_shape_ok(kHigh[c])) return false;
  }
  return true;
}
static_assert(presets_ok());

}  // namespace

int scheme_class(double r, double q, double vol, double years) {
  const double v2 = vol * vol;
  const double drift = r - q - 0.5 * v2;
  const double kappa2 = years * (drift * drift / v2 + 2.0 * std::max(r, 0.0));

  // Nearest power of 2 in log scale: class c covers kappa in [2^(c-1.5), 2^(c-0.5)).
  const int cls = !(kappa2 >= 0.25)
                      ? 0
                      : std::clamp(1 + static_cast<int>(std::lround(0.5 * std::log2(kappa2))), 1, kKappaClasses - 1);
  return cls <= 1 && q < r ? kKappaClasses + cls : cls;
}

const AloScheme& standard_scheme(int cls) { return kStandard[std::clamp(cls, 0, kSchemeClasses - 1)]; }
const AloScheme& high_scheme(int cls) { return kHigh[std::clamp(cls, 0, kSchemeClasses - 1)]; }

double PutBoundary::h_at(double sqrt_tau) const {
  // Clenshaw's recurrence for sum'' c_k T_k(z), z = 2 xi(sqrt tau) / xi(sqrt T) - 1.
  const double z = 2.0 * xi(sqrt_tau) / xi_t - 1.0;
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

// Everything of a scheme that does not depend on the option, in units of T (sqrt tau = y sqrt T).
struct SchemeTables {
  AloScheme s{};
  int n = 0, l = 0, p = 0;
  std::vector<double> y;                              // node i: sqrt(tau_i / T), i = 0 (expiry T) .. n - 1
  std::vector<double> sin_t, cos_t, inv_cos, weight;  // fixed-point rule
  std::vector<double> wb, wa;                         // 2 weight sin (FP-B), 2 weight sin cos (FP-A)
  std::vector<double> uf;                             // u_ik / T
  std::vector<double> wfp;                            // [(i l + k) n + j]: dH(u_ik)/dh_j
  std::vector<double> psin, pcos, pw;                 // price rule; pw = 2 weight sin cos
  std::vector<double> wpr;                            // [k n + j]: dH(u_k)/dh_j, sqrt u_k = psin_k sqrt T
  std::vector<double> wexp;                           // [j]: dH(T)/dh_j
  // The tables an option goes to when this scheme's sweeps end before it converged: the standard
  // preset's retry (twice the sweeps), the retry's high preset of the same class; null for the
  // high preset (tables_in_slot).
  const SchemeTables* fallback = nullptr;
};

namespace {

SchemeTables build_tables(const AloScheme& s) {
  if (!kernel_shape_ok(s)) throw std::invalid_argument("ALO scheme: nodes and fixed-point points must be multiples of 4");
  SchemeTables t;
  t.s = s;
  t.n = s.nodes;
  t.l = s.fp_points;
  t.p = s.price_points;
  const int n = t.n;
  const double rho = s.rho;
  // Node i at xi / xi(sqrt T) = (1 + cos(i pi / n)) / 2 = e, i.e. y (1 + rho) / (1 + y rho) = e.
  for (int i = 0; i < n; ++i) {
    const double e = 0.5 * (1.0 + std::cos(std::numbers::pi * i / n));
    t.y.push_back(e / (1.0 + rho * (1.0 - e)));
  }
  const GaussLegendreTheta fp = gauss_legendre_theta(t.l);
  t.sin_t = fp.sin_t;
  t.cos_t = fp.cos_t;
  t.inv_cos = fp.inv_cos;
  t.weight = fp.weight;
  for (int k = 0; k < t.l; ++k) {
    t.wb.push_back(2.0 * fp.weight[k] * fp.sin_t[k]);
    t.wa.push_back(2.0 * fp.weight[k] * fp.sin_t[k] * fp.cos_t[k]);
  }
  const GaussLegendreTheta pr = gauss_legendre_theta(t.p);
  t.psin = pr.sin_t;
  t.pcos = pr.cos_t;
  for (int k = 0; k < t.p; ++k) t.pw.push_back(2.0 * pr.weight[k] * pr.sin_t[k] * pr.cos_t[k]);
  // Interpolation weights: the Chebyshev fit of each unit vector (node n, tau = 0, is H = 0),
  // evaluated at every point, in units where T = 1.
  PutBoundary unit;
  unit.n = n;
  unit.sqrt_t = 1.0;
  unit.inv_a = rho;
  unit.xi_t = unit.xi(1.0);
  t.uf.assign(static_cast<std::size_t>(n) * t.l, 0.0);
  t.wfp.assign(static_cast<std::size_t>(n) * t.l * n, 0.0);
  t.wpr.assign(static_cast<std::size_t>(t.p) * n, 0.0);
  t.wexp.assign(n, 0.0);
  std::array<double, kMaxNodes + 1> e{};
  for (int j = 0; j < n; ++j) {
    e.fill(0.0);
    e[j] = 1.0;
    unit.fit(e.data());
    for (int i = 0; i < n; ++i) {
      for (int k = 0; k < t.l; ++k) {
        const double y = t.y[i] * t.sin_t[k];
        t.uf[i * t.l + k] = y * y;
        t.wfp[(static_cast<std::size_t>(i) * t.l + k) * n + j] = unit.h_at(y);
      }
    }
    for (int k = 0; k < t.p; ++k) t.wpr[static_cast<std::size_t>(k) * n + j] = unit.h_at(t.psin[k]);
    t.wexp[j] = unit.h_at(1.0);
  }
  return t;
}

// Scratch memory of the kernel (fixed shapes, so that the compiler sees whole lane rows), per
// thread, allocated on first use.
struct alignas(64) Workspace {
  double eru[kMaxNodes * kMaxPoints][kLanes];  // e^{r u_ik}, row i l + k
  double equ[kMaxNodes * kMaxPoints][kLanes];
  double jac[kMaxNodes * kMaxNodes][kLanes];   // row i n + j
};

// One block of kLanes options (strike-1 puts, valid inputs with r > 0 and vol sqrt T > 0).
// h_out: [n][kLanes] node values H_i; spot/price null for the boundary alone.
struct BlockArgs {
  const double* r;
  const double* q;
  const double* vol;
  const double* t;
  const double* spot;  // null: no price
  double* price;
  double* h_out;      // null: not wanted
  double* converged;  // per lane 1 (a Newton step met the tolerance) or 0; null: not wanted
};

#define KEEL_LANES for (int w = 0; w < kLanes; ++w)

// A row of lanes as one vector value (GCC vector extension; lowered to two AVX2 or four SSE2
// registers on narrower targets) for the small matrix products, where the auto-vectoriser
// prefers the wrong loop.
typedef double v8 __attribute__((vector_size(8 * sizeof(double)), may_alias));
static_assert(kLanes == 8);
[[gnu::always_inline]] inline v8* vec(double (*rows)[kLanes]) { return reinterpret_cast<v8*>(rows); }
[[gnu::always_inline]] inline const v8* vec(const double (*rows)[kLanes]) { return reinterpret_cast<const v8*>(rows); }

template <bool fp_b>
[[gnu::always_inline]] inline void block_body(const SchemeTables& tb, const BlockArgs& a, Workspace& ws) {
  const int n = tb.n, l = tb.l;
  alignas(64) double r[kLanes], q[kLanes], vol[kLanes], t[kLanes], sqrt_t[kLanes], log_x[kLanes], gap[kLanes];
  KEEL_LANES {
    r[w] = a.r[w];
    q[w] = a.q[w];
    vol[w] = a.vol[w];
    t[w] = a.t[w];
    sqrt_t[w] = std::sqrt(t[w]);
    const double x = q[w] > r[w] ? r[w] / q[w] : 1.0;
    log_x[w] = simd::log(x);
    // ln(X / B_inf), B_inf = lambda / (lambda - 1) the perpetual put's boundary (lambda the
    // negative root of vol^2/2 l^2 + (r - q - vol^2/2) l - r = 0): the boundary lies in [B_inf, X].
    const double v2 = vol[w] * vol[w];
    const double b = r[w] - q[w] - 0.5 * v2;
    const double lam = (-b - std::sqrt(b * b + 2.0 * v2 * r[w])) / v2;
    gap[w] = log_x[w] - simd::log(lam / (lam - 1.0));
  }
  // e^{r u} and e^{q u} at every fixed-point point: fixed across sweeps.
  double(*__restrict eru)[kLanes] = ws.eru;
  double(*__restrict equ)[kLanes] = ws.equ;
  double(*__restrict jac)[kLanes] = ws.jac;
  for (int ik = 0; ik < n * l; ++ik) {
    const double uf = tb.uf[ik];
    KEEL_LANES {
      eru[ik][w] = simd::exp(r[w] * t[w] * uf);
      equ[ik][w] = simd::exp(q[w] * t[w] * uf);
    }
  }
  // Start: the QD boundary (Barone-Adesi-Whaley critical price of the put at each node), six
  // Newton steps on Haug (2007) 3.1.1's condition K - S = p(S) - (1 - e^{-q tau} N(-d1)) S / q1
  // from the seed of Barone-Adesi & Whaley (1987).
  alignas(64) double h[kMaxNodes][kLanes], lnb[kMaxNodes][kLanes], floor_l[kMaxNodes][kLanes],
      scale_l[kMaxNodes][kLanes];
  for (int i = 0; i < n; ++i) {
    const double yi2 = tb.y[i] * tb.y[i];
    alignas(64) double tau[kLanes], sd[kLanes], inv_sd[kLanes], inv_qx[kLanes], dr[kLanes], dq[kLanes], s[kLanes],
        drift[kLanes];
    KEEL_LANES {
      tau[w] = t[w] * yi2;
      const double v2 = vol[w] * vol[w];
      sd[w] = vol[w] * std::sqrt(tau[w]);
      inv_sd[w] = 1.0 / sd[w];
      drift[w] = (r[w] - q[w] + 0.5 * v2) * tau[w];
      const double big_m = 2.0 * r[w] / v2;
      const double big_n = 2.0 * (r[w] - q[w]) / v2;
      dr[w] = simd::exp(-r[w] * tau[w]);
      dq[w] = simd::exp(-q[w] * tau[w]);
      const double one_minus_dr = 1.0 - dr[w];
      const double m_over_k = one_minus_dr > 1e-300 ? big_m / one_minus_dr : 2.0 / (v2 * tau[w]);
      const double qx = (-(big_n - 1.0) - std::sqrt((big_n - 1.0) * (big_n - 1.0) + 4.0 * m_over_k)) * 0.5;
      inv_qx[w] = 1.0 / qx;
      const double qu = (-(big_n - 1.0) - std::sqrt((big_n - 1.0) * (big_n - 1.0) + 4.0 * big_m)) * 0.5;
      const double su = 1.0 / (1.0 - 1.0 / qu);
      const double hh = ((r[w] - q[w]) * tau[w] - 2.0 * sd[w]) / (1.0 - su);
      s[w] = su + (1.0 - su) * simd::exp(hh);
    }
    for (int it = 0; it < 6; ++it) {
      KEEL_LANES {
        const double d1 = (simd::log(s[w]) + drift[w]) * inv_sd[w];
        const double d2 = d1 - sd[w];
        const double g1 = simd::exp(-0.5 * d1 * d1);
        const double g2 = simd::exp(-0.5 * d2 * d2);
        const double nd1 = ncdf_with(-d1, g1);
        const double euro = dr[w] * ncdf_with(-d2, g2) - s[w] * dq[w] * nd1;
        const double rhs = euro - (1.0 - dq[w] * nd1) * s[w] * inv_qx[w];
        const double bi =
            -dq[w] * nd1 * (1.0 - inv_qx[w]) - (1.0 + dq[w] * kInvSqrt2Pi * g1 * inv_sd[w]) * inv_qx[w];
        const double next = (1.0 - rhs + bi * s[w]) / (1.0 + bi);
        s[w] = (next > 0.0 && next < 1e300) ? next : s[w];
      }
    }
    KEEL_LANES {
      // Kept below X by 0.5% of the smaller of vol sqrt(tau) (the boundary's distance from X near
      // expiry is a multiple of it) and ln(X / B_inf) (its distance long before expiry): a node at X
      // would have no sensitivity in the Newton step (dH / d ln B = 0 there). (At 5% the floor
      // bound some nodes of puts with q just above r, whose boundary stays near X, and the
      // sweeps wandered by up to 1e-5.)
      const double fl = -0.005 * (sd[w] < gap[w] ? sd[w] : gap[w]);
      floor_l[i][w] = fl;
      scale_l[i][w] = sd[w];
      double excess = simd::log(s[w]) - log_x[w];
      excess = excess < fl ? excess : fl;
      h[i][w] = excess * excess;
      lnb[i][w] = log_x[w] + excess;
    }
  }
  alignas(64) double sqrt_h[kMaxNodes][kLanes], rhs[kMaxNodes][kLanes];
  alignas(64) double hu[kMaxPoints][kLanes], ishu[kMaxPoints][kLanes], dn[kMaxPoints][kLanes], dd[kMaxPoints][kLanes];
  // Lanes still iterating (1) or converged (0): a converged lane's boundary is left as it is, so
  // an option's price never depends on the other options of its block.
  alignas(64) double live[kLanes], prev_step[kLanes];
  KEEL_LANES {
    live[w] = 1.0;
    prev_step[w] = 0.0;  // no Newton step yet: rho = inf, not trusted
  }
  const double limit = tb.s.step_limit > 0.0 ? tb.s.step_limit : 1e300;
  for (int iter = 0; iter < tb.s.iterations; ++iter) {
    const bool newton = !(tb.s.warm_up && iter == 0);
    for (int j = 0; j < n; ++j) KEEL_LANES sqrt_h[j][w] = std::sqrt(h[j][w]);
    if (newton) {
      v8* jv = vec(jac);
      for (int ij = 0; ij < n * n; ++ij) jv[ij] = v8{};
    }
    for (int i = 0; i < n; ++i) {
      // H at node i's quadrature points, four points at a time: four independent sums in
      // registers (one sum at a time waits on each add's latency), each added in node order.
      {
        const v8* hv = vec(h);
        v8* huv = vec(hu);
        const double* wi = &tb.wfp[static_cast<std::size_t>(i) * l * n];
        for (int k = 0; k < l; k += 4) {
          const double* w0 = wi + static_cast<std::size_t>(k) * n;
          const double* w1 = w0 + n;
          const double* w2 = w1 + n;
          const double* w3 = w2 + n;
          v8 a0 = w0[0] * hv[0], a1 = w1[0] * hv[0], a2 = w2[0] * hv[0], a3 = w3[0] * hv[0];
          for (int j = 1; j < n; ++j) {
            const v8 hj = hv[j];
            a0 += w0[j] * hj;
            a1 += w1[j] * hj;
            a2 += w2[j] * hj;
            a3 += w3[j] * hj;
          }
          huv[k] = a0;
          huv[k + 1] = a1;
          huv[k + 2] = a2;
          huv[k + 3] = a3;
        }
      }
      const double yi = tb.y[i];
      alignas(64) double num[kLanes], den[kLanes], dnum[kLanes], dden[kLanes], sv[kLanes], inv_sv[kLanes],
          tau[kLanes], st[kLanes], st_vol[kLanes];
      KEEL_LANES {
        num[w] = 0.0;
        den[w] = 0.0;
        dnum[w] = 0.0;
        dden[w] = 0.0;
        st[w] = sqrt_t[w] * yi;
        tau[w] = st[w] * st[w];
        sv[w] = vol[w] * st[w];
        inv_sv[w] = 1.0 / sv[w];
        st_vol[w] = st[w] * st[w] * inv_sv[w];  // sqrt(tau) / vol
      }
      const double(*__restrict er_i)[kLanes] = &eru[i * l];
      const double(*__restrict eq_i)[kLanes] = &equ[i * l];
      for (int k = 0; k < l; ++k) {
        const double c = tb.cos_t[k], c2 = c * c, inv_c = tb.inv_cos[k];
        const double wbk = tb.wb[k], wak = tb.wa[k];
        KEEL_LANES {
          const double hv = hu[k][w];
          const double shu = std::sqrt(hv > 0.0 ? hv : 0.0);
          ishu[k][w] = shu > 1e-150 ? 1.0 / shu : 0.0;
          const double s = sv[w] * c;  // vol sqrt(tau - u)
          const double inv_s = inv_sv[w] * inv_c;
          // ln(B(tau) / B(u)) = sqrt H(u) - sqrt H(tau)
          const double xp = (shu - sqrt_h[i][w] + (r[w] - q[w]) * tau[w] * c2) * inv_s + 0.5 * s;
          const double xm = xp - s;
          const double er = er_i[k][w], eq = eq_i[k][w];
          const double gp = simd::exp<11>(-0.5 * xp * xp);
          const double gm = simd::exp<11>(-0.5 * xm * xm);
          double tn, td, tdn, tdd;
          if constexpr (fp_b) {
            // du / (vol sqrt(tau - u)) = (2 sqrt tau / vol) sin theta dtheta.
            const double wgt = wbk * st_vol[w];
            tn = wgt * er * kInvSqrt2Pi * gm;
            td = wgt * eq * (ncdf_with<true>(xp, gp) * s + kInvSqrt2Pi * gp);
            // d/d ln B(tau): n(xm) -> -xm n(xm) / s; N(xp) + n(xp) / s -> -xm n(xp) / s^2.
            tdn = -tn * xm * inv_s;
            tdd = -wgt * eq * kInvSqrt2Pi * gp * xm * inv_s;
          } else {
            // du = 2 tau sin theta cos theta dtheta.
            const double wgt = wak * tau[w];
            tn = wgt * er * ncdf_with<true>(xm, gm);
            td = wgt * eq * ncdf_with<true>(xp, gp);
            // d/d ln B(tau): N(x) -> n(x) / s.
            tdn = wgt * er * kInvSqrt2Pi * gm * inv_s;
            tdd = wgt * eq * kInvSqrt2Pi * gp * inv_s;
          }
          num[w] += tn;
          den[w] += td;
          dnum[w] += tdn;
          dden[w] += tdd;
          dn[k][w] = tdn;
          dd[k][w] = tdd;
        }
      }
      alignas(64) double big_n[kLanes], big_d[kLanes], diag[kLanes];
      KEEL_LANES {
        const double dp = (lnb[i][w] + (r[w] - q[w]) * tau[w]) * inv_sv[w] + 0.5 * sv[w];
        const double dm = dp - sv[w];
        const double gp = simd::exp(-0.5 * dp * dp), gm = simd::exp(-0.5 * dm * dm);
        double nn, d, dnn, dd0;
        if constexpr (fp_b) {
          nn = kInvSqrt2Pi * gm * inv_sv[w] + r[w] * num[w];
          d = kInvSqrt2Pi * gp * inv_sv[w] + ncdf_with(dp, gp) + q[w] * den[w];
          dnn = -dm * kInvSqrt2Pi * gm * inv_sv[w] * inv_sv[w] + r[w] * dnum[w];
          dd0 = -dm * kInvSqrt2Pi * gp * inv_sv[w] * inv_sv[w] + q[w] * dden[w];
        } else {
          nn = ncdf_with(dm, gm) + r[w] * num[w];
          d = ncdf_with(dp, gp) + q[w] * den[w];
          dnn = kInvSqrt2Pi * gm * inv_sv[w] + r[w] * dnum[w];
          dd0 = kInvSqrt2Pi * gp * inv_sv[w] + q[w] * dden[w];
        }
        const double g = -(r[w] - q[w]) * tau[w] + simd::log(nn / d);
        rhs[i][w] = g - lnb[i][w];
        big_n[w] = nn;
        big_d[w] = d;
        // Diagonal: 1 - (N'/N - D'/D).
        diag[w] = 1.0 - (dnn / nn - dd0 / d);
      }
      if (newton) KEEL_LANES jac[i * n + i][w] = diag[w];
      if (!newton) continue;
      // Row i: the coupling through the interpolated boundary at node i's points.
      double(*__restrict jrow)[kLanes] = &jac[i * n];
      alignas(64) double ck[kMaxPoints][kLanes];
      for (int k = 0; k < l; ++k) {
        KEEL_LANES ck[k][w] = (r[w] * dn[k][w] / big_n[w] - q[w] * dd[k][w] / big_d[w]) * ishu[k][w];
      }
      // jrow[j] += sum_k ck[k] W[ik][j] sqrt h_j, as sum_k ck[k] W[ik][j] first, four nodes at a
      // time (their sums stay in registers; every scheme's n is a multiple of 4).
      {
        const v8* ckv = vec(ck);
        v8* jr = vec(jrow);
        const v8* shv = vec(sqrt_h);
        const double* wi = &tb.wfp[static_cast<std::size_t>(i) * l * n];
        for (int j = 0; j < n; j += 4) {
          v8 a0{}, a1{}, a2{}, a3{};
          for (int k = 0; k < l; ++k) {
            const double* wrow = wi + static_cast<std::size_t>(k) * n + j;
            const v8 c = ckv[k];
            a0 += wrow[0] * c;
            a1 += wrow[1] * c;
            a2 += wrow[2] * c;
            a3 += wrow[3] * c;
          }
          jr[j] += a0 * shv[j];
          jr[j + 1] += a1 * shv[j + 1];
          jr[j + 2] += a2 * shv[j + 2];
          jr[j + 3] += a3 * shv[j + 3];
        }
      }
    }
    if (newton) {
      // Gaussian elimination (no pivoting: the Jacobian is dominated by its unit diagonal),
      // every lane at once.
      v8* jv = vec(jac);
      v8* rv = vec(rhs);
      for (int c = 0; c < n; ++c) {
        const v8* prow = jv + c * n;
        const v8 inv_p = 1.0 / prow[c];
        for (int rr = c + 1; rr < n; ++rr) {
          v8* row = jv + rr * n;
          const v8 f = row[c] * inv_p;
          for (int j = c + 1; j < n; ++j) row[j] -= f * prow[j];
          rv[rr] -= f * rv[c];
        }
      }
      for (int c = n - 1; c >= 0; --c) {
        const v8* row = jv + c * n;
        v8 x = rv[c];
        for (int j = c + 1; j < n; ++j) x -= row[j] * rv[j];
        rv[c] = x / row[c];
      }
    }
    // rhs is now the step in ln B (Newton) or g - ln B (plain: ln B <- g).
    alignas(64) double step[kLanes];
    KEEL_LANES step[w] = 0.0;
    for (int i = 0; i < n; ++i) {
      KEEL_LANES {
        // A Newton step moves a node by at most step_limit times its distance from X plus vol
        // sqrt(tau) (the scale of that distance near expiry): there, where the boundary is steep
        // in ln tau, a full step from a poor start can throw a node onto the floor, and the
        // solution wanders.
        const double dist = std::abs(lnb[i][w] - log_x[w]) + scale_l[i][w];
        const double lim = limit * dist;
        double d = rhs[i][w];
        d = d > lim ? lim : (d < -lim ? -lim : d);
        double excess = lnb[i][w] + d - log_x[w];
        excess = excess < floor_l[i][w] ? excess : floor_l[i][w];
        const bool ok = std::abs(excess) < 1e300 && live[w] != 0.0;
        excess = ok ? excess : lnb[i][w] - log_x[w];
        const double moved = std::abs(log_x[w] + excess - lnb[i][w]);
        step[w] = moved > step[w] ? moved : step[w];
        h[i][w] = excess * excess;
        lnb[i][w] = log_x[w] + excess;
      }
    }
    // Converged: a Newton step that moved no node by more than the scheme's tolerance (in ln B),
    // or one after which the distance left is within it. That distance is bounded from the last
    // two steps: with steps shrinking at least by the ratio rho = step / previous, what is left
    // is at most step rho / (1 - rho) (a bound for linear convergence, which Newton's quadratic
    // convergence only beats); it is trusted for rho <= 1/4.
    if (!newton) continue;
    bool any = false;
    KEEL_LANES {
      const double rho = step[w] / prev_step[w];
      const bool left_within = rho <= 0.25 && step[w] * rho <= 0.75 * tb.s.tolerance;
      live[w] = (step[w] <= tb.s.tolerance || left_within) ? 0.0 : live[w];
      prev_step[w] = step[w];
      any |= live[w] != 0.0;
    }
    if (!any) break;
  }
  if (a.h_out) {
    for (int i = 0; i < n; ++i) std::copy(h[i], h[i] + kLanes, a.h_out + i * kLanes);
  }
  if (a.converged) KEEL_LANES a.converged[w] = live[w] == 0.0 ? 1.0 : 0.0;
  if (!a.spot) return;
  // The price: the European put plus the premium integral over u in [0, T] with T - u = T cos^2.
  alignas(64) double log_s[kLanes], s[kLanes], premium[kLanes], b_t[kLanes], sv_t[kLanes], inv_sv_t[kLanes];
  alignas(64) double ht[kLanes];
  {
    v8 acc = v8{};
    const v8* hv = vec(h);
    for (int j = 0; j < n; ++j) acc += tb.wexp[j] * hv[j];
    *reinterpret_cast<v8*>(ht) = acc;
  }
  KEEL_LANES {
    s[w] = a.spot[w];
    log_s[w] = simd::log(s[w]);
    premium[w] = 0.0;
    b_t[w] = simd::exp(log_x[w] - std::sqrt(ht[w] > 0.0 ? ht[w] : 0.0));
    sv_t[w] = vol[w] * sqrt_t[w];
    inv_sv_t[w] = 1.0 / sv_t[w];
  }
  for (int k = 0; k < tb.p; ++k) {
    const double* wrow = &tb.wpr[static_cast<std::size_t>(k) * n];
    alignas(64) double hp[kLanes];
    {
      v8 acc = v8{};
      const v8* hv = vec(h);
      for (int j = 0; j < n; ++j) acc += wrow[j] * hv[j];
      *reinterpret_cast<v8*>(hp) = acc;
    }
    const double c = tb.pcos[k], c2 = c * c, inv_c = 1.0 / c, pwk = tb.pw[k];
    KEEL_LANES {
      const double shp = std::sqrt(hp[w] > 0.0 ? hp[w] : 0.0);
      const double elapsed = t[w] * c2;  // T - u
      const double sv = sv_t[w] * c;
      const double dp = (log_s[w] - (log_x[w] - shp) + (r[w] - q[w]) * elapsed) * (inv_sv_t[w] * inv_c) + 0.5 * sv;
      const double dm = dp - sv;
      const double wgt = pwk * t[w];
      const double wr = wgt * r[w] * simd::exp(-r[w] * elapsed);
      const double wq = wgt * q[w] * simd::exp(-q[w] * elapsed);
      premium[w] += wr * ncdf_with(-dm, simd::exp(-0.5 * dm * dm)) - s[w] * wq * ncdf_with(-dp, simd::exp(-0.5 * dp * dp));
    }
  }
  KEEL_LANES {
    const double d1 = (log_s[w] + (r[w] - q[w]) * t[w]) * inv_sv_t[w] + 0.5 * sv_t[w];
    const double d2 = d1 - sv_t[w];
    double euro = simd::exp(-r[w] * t[w]) * ncdf_with(-d2, simd::exp(-0.5 * d2 * d2)) -
                  s[w] * simd::exp(-q[w] * t[w]) * ncdf_with(-d1, simd::exp(-0.5 * d1 * d1));
    euro = euro > 0.0 ? euro : 0.0;
    const double intrinsic = 1.0 - s[w];
    const double v = euro + premium[w];
    const double held = v > intrinsic ? v : intrinsic;
    a.price[w] = s[w] <= b_t[w] ? (intrinsic > 0.0 ? intrinsic : 0.0) : held;
  }
}

#undef KEEL_LANES

#define KEEL_ALO_BLOCK(SUFFIX, ATTR)                                                   \
  ATTR void block_##SUFFIX(const SchemeTables& tb, const BlockArgs& a, Workspace& ws) { \
    if (tb.s.equation == FixedPointEquation::kB) {                                     \
      block_body<true>(tb, a, ws);                                                     \
    } else {                                                                           \
      block_body<false>(tb, a, ws);                                                    \
    }                                                                                  \
  }
KEEL_ALO_BLOCK(baseline, )
KEEL_ALO_BLOCK(avx2, KEEL_TARGET_X86_64_V3)
KEEL_ALO_BLOCK(avx512, KEEL_TARGET_X86_64_V4)
#undef KEEL_ALO_BLOCK

using BlockFn = void (*)(const SchemeTables&, const BlockArgs&, Workspace&);
BlockFn block_for_cpu() {
  return for_isa(best_kernel_isa(), &block_baseline, &block_avx2, &block_avx512);
}

void run_block(const SchemeTables& tb, const BlockArgs& a) {
  static const BlockFn fn = block_for_cpu();
  thread_local std::unique_ptr<Workspace> ws;
  if (!ws) ws = std::make_unique<Workspace>();
  fn(tb, a, *ws);
}

}  // namespace

namespace {

// The tables of each class, built on first use: slot 0 the standard preset, slot 1 its retry (the
// same scheme with twice the sweeps: most options that need more sweeps than the standard's
// converge slowly, not wrongly), slot 2 the high preset. Each falls back to the next slot.
const SchemeTables& tables_in_slot(int slot, int cls) {
  static std::array<std::unique_ptr<SchemeTables>, 3 * kSchemeClasses> built;
  static std::array<std::once_flag, 3 * kSchemeClasses> once;
  const int at = slot * kSchemeClasses + cls;
  std::call_once(once[at], [slot, cls, at] {
    AloScheme s = slot == 2 ? kHigh[cls] : kStandard[cls];
    if (slot == 1) s.iterations *= 2;
    auto tables = std::make_unique<SchemeTables>(build_tables(s));
    if (slot < 2) tables->fallback = &tables_in_slot(slot + 1, cls);
    built[at] = std::move(tables);
  });
  return *built[at];
}

}  // namespace

const SchemeTables& scheme_tables(int cls, bool high) {
  return tables_in_slot(high ? 2 : 0, std::clamp(cls, 0, kSchemeClasses - 1));
}

const SchemeTables* make_scheme_tables(const AloScheme& scheme) { return new SchemeTables(build_tables(scheme)); }
void free_scheme_tables(const SchemeTables* tables) { delete tables; }

void solve_put_boundaries(const SchemeTables& tb, int count, const double* r, const double* q, const double* vol,
                          const double* years, PutBoundary* out) {
  // One block; a short one is padded with copies of its first option (a lane's result does not
  // depend on the other lanes).
  alignas(64) double rs[kLanes], qs[kLanes], vs[kLanes], ts[kLanes], hs[kMaxNodes * kLanes], done[kLanes];
  for (int w = 0; w < kLanes; ++w) {
    const int i = w < count ? w : 0;
    rs[w] = r[i];
    qs[w] = q[i];
    vs[w] = vol[i];
    ts[w] = years[i];
  }
  run_block(tb, {rs, qs, vs, ts, nullptr, nullptr, hs, done});
  int again[kLanes], m = 0;  // lanes whose sweeps ended before they converged
  for (int w = 0; w < count; ++w) {
    if (done[w] == 0.0 && tb.fallback) {
      again[m++] = w;
      continue;
    }
    PutBoundary& b = out[w];
    b = PutBoundary{};
    b.r = r[w];
    b.q = q[w];
    b.vol = vol[w];
    b.years = years[w];
    b.sqrt_t = std::sqrt(b.years);
    b.n = tb.n;
    b.price_points = tb.p;
    b.x_limit = b.q > b.r ? b.r / b.q : 1.0;
    // The kernel's log of X (simd::log), so that prices from the boundary and the kernel agree.
    b.log_x = std::log(b.x_limit);
    b.inv_a = tb.s.rho / b.sqrt_t;
    b.xi_t = b.xi(b.sqrt_t);
    std::array<double, kMaxNodes + 1> h{};
    for (int i = 0; i < tb.n; ++i) h[i] = hs[i * kLanes + w];
    h[tb.n] = 0.0;
    b.fit(h.data());
  }
  if (m == 0) return;
  // Those, solved again together with the fallback tables (as put_prices does).
  PutBoundary redone[kLanes];
  for (int j = 0; j < m; ++j) {
    rs[j] = r[again[j]];
    qs[j] = q[again[j]];
    vs[j] = vol[again[j]];
    ts[j] = years[again[j]];
  }
  solve_put_boundaries(*tb.fallback, m, rs, qs, vs, ts, redone);
  for (int j = 0; j < m; ++j) out[again[j]] = redone[j];
}

PutBoundary solve_put_boundary(const SchemeTables& tb, double r, double q, double vol, double years) {
  PutBoundary b;
  solve_put_boundaries(tb, 1, &r, &q, &vol, &years, &b);
  return b;
}

void put_prices(const SchemeTables& tb, std::size_t count, const double* r, const double* q, const double* vol,
                const double* years, const double* spot, double* price) {
  alignas(64) double rs[kLanes], qs[kLanes], vs[kLanes], ts[kLanes], ss[kLanes], ps[kLanes], done[kLanes];
  std::vector<std::size_t> again;  // options whose sweeps ended before they converged
  for (std::size_t begin = 0; begin < count; begin += kLanes) {
    const std::size_t m = std::min<std::size_t>(kLanes, count - begin);
    for (int w = 0; w < kLanes; ++w) {
      // A short block is padded with copies of its first option.
      const std::size_t i = begin + (static_cast<std::size_t>(w) < m ? w : 0);
      rs[w] = r[i];
      qs[w] = q[i];
      vs[w] = vol[i];
      ts[w] = years[i];
      ss[w] = spot[i];
    }
    run_block(tb, {rs, qs, vs, ts, ss, ps, nullptr, done});
    for (std::size_t w = 0; w < m; ++w) {
      price[begin + w] = ps[w];
      if (done[w] == 0.0 && tb.fallback) again.push_back(begin + w);
    }
  }
  if (again.empty()) return;
  // Those go to the fallback tables, gathered into blocks of their own (the same values as
  // alone: a lane never depends on the others of its block).
  std::vector<double> r2(again.size()), q2(again.size()), v2(again.size()), t2(again.size()), s2(again.size()),
      p2(again.size());
  for (std::size_t j = 0; j < again.size(); ++j) {
    const std::size_t i = again[j];
    r2[j] = r[i];
    q2[j] = q[i];
    v2[j] = vol[i];
    t2[j] = years[i];
    s2[j] = spot[i];
  }
  put_prices(*tb.fallback, again.size(), r2.data(), q2.data(), v2.data(), t2.data(), s2.data(), p2.data());
  for (std::size_t j = 0; j < again.size(); ++j) price[again[j]] = p2[j];
}

PreparedPrice prepare_price(const PutBoundary& b, int points) {
  PreparedPrice p;
  static const auto rules = [] {
    std::array<GaussLegendreTheta, kMaxPricePoints + 1> out;
    for (int k = 4; k <= kMaxPricePoints; ++k) out[k] = gauss_legendre_theta(k);
    return out;
  }();
  const GaussLegendreTheta& pr = rules[points];
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
KEEL_ALO_PREMIUM(avx2, KEEL_TARGET_X86_64_V3)
KEEL_ALO_PREMIUM(avx512, KEEL_TARGET_X86_64_V4)
#undef KEEL_ALO_PREMIUM

using PremiumTerms = void (*)(const PreparedPrice&, double, double, double*);
PremiumTerms premium_terms_for_cpu() {
  return for_isa(best_kernel_isa(), &premium_terms_baseline, &premium_terms_avx2, &premium_terms_avx512);
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

}  // namespace keel::options::detail
