#include "keel/options/american.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "alo.h"
#include "bsm_kernel.h"
#include "format_number.h"
#include "keel/core/error.h"

namespace keel::options {
namespace {

constexpr double kCriticalTolerance = 1e-10;  // |LHS - RHS| / K at the critical price
constexpr int kMaxIterations = 200;

struct Params {
  double w;       // +1 call, -1 put
  double k;       // strike
  double t;       // years
  double v;       // vol
  double r;       // rate
  double q;       // dividend yield
  double dq;      // e^{-qT} = e^{(b-r)T}
  double sd;      // v sqrt(T)
  double exponent;  // q2 (call) or q1 (put) of BAW
};

double european(const Params& p, double s) {
  return detail::bsm_price_row(p.w, s, p.k, p.t, p.v, p.r, p.q);
}

double d1_of(const Params& p, double s) {
  return (std::log(s / p.k) + (p.r - p.q + 0.5 * p.v * p.v) * p.t) / p.sd;
}

// Critical price S* (call) or S** (put): Newton's method on Haug (2007) eq. 3.1.1's conditions
//   call: S - K = c(S) + (1 - e^{(b-r)T} N(d1(S))) S / q2
//   put : K - S = p(S) - (1 - e^{(b-r)T} N(-d1(S))) S / q1
// with the seed of Barone-Adesi & Whaley (1987).
double critical_price(const Params& p, double big_m, double big_n) {
  const double w = p.w;
  const double bt = (p.r - p.q) * p.t;
  const double qu = (-(big_n - 1.0) + w * std::sqrt((big_n - 1.0) * (big_n - 1.0) + 4.0 * big_m)) / 2.0;
  const double su = p.k / (1.0 - 1.0 / qu);
  double s;
  if (w > 0) {
    const double h = -(bt + 2.0 * p.sd) * p.k / (su - p.k);
    s = p.k + (su - p.k) * (1.0 - std::exp(h));
  } else {
    const double h = (bt - 2.0 * p.sd) * p.k / (p.k - su);
    s = su + (p.k - su) * std::exp(h);
  }
  const double qx = p.exponent;
  for (int i = 0; i < kMaxIterations; ++i) {
    const double d1 = d1_of(p, s);
    const double nd1 = detail::norm_cdf(w * d1);
    const double lhs = w * (s - p.k);
    const double rhs = european(p, s) + w * (1.0 - p.dq * nd1) * s / qx;
    if (std::abs(lhs - rhs) / p.k <= kCriticalTolerance) break;
    // Slope of the right-hand side in S (Haug's b_i); Newton step on LHS - RHS.
    const double pdf = detail::norm_pdf(d1);
    double next;
    if (w > 0) {
      const double bi = p.dq * nd1 * (1.0 - 1.0 / qx) + (1.0 - p.dq * pdf / p.sd) / qx;
      next = (p.k + rhs - bi * s) / (1.0 - bi);
    } else {
      const double bi = -p.dq * nd1 * (1.0 - 1.0 / qx) - (1.0 + p.dq * pdf / p.sd) / qx;
      next = (p.k - rhs + bi * s) / (1.0 + bi);
    }
    if (!(next > 0.0) || !std::isfinite(next)) break;
    s = next;
  }
  return s;
}

void check(const BsmInputs& in) {
  const std::string problem = bsm_input_problem(in);
  if (!problem.empty()) throw Error::invalid_input("invalid option input: " + problem);
  if (in.rate < 0.0) {
    throw Error::invalid_input(
        "the Barone-Adesi-Whaley American approximation is not defined for a negative risk-free "
        "rate (got " + std::to_string(in.rate) + ")");
  }
}

double baw_unchecked(const BsmInputs& in) {
  const double w = detail::sign_of(in.right);
  const double s = in.spot;
  const double k = in.strike;
  const double t = in.years;
  const double intrinsic = std::max(w * (s - k), 0.0);
  const double sd = in.vol * std::sqrt(t);
  const double euro = detail::bsm_price_row(w, s, k, t, in.vol, in.rate, in.div);
  // A call without dividend yield is never exercised early.
  if (w > 0 && in.div <= 0.0) return euro;
  // At expiry, zero vol, zero spot or zero strike the approximation degenerates: exercise now or
  // hold the European (zero-vol) payoff, whichever is worth more.
  if (!(sd >= kMinStdDev) || !(s > 0.0) || !(k > 0.0)) return std::max(euro, intrinsic);
  const double v2 = in.vol * in.vol;
  const double big_m = 2.0 * in.rate / v2;
  const double big_n = 2.0 * (in.rate - in.div) / v2;
  const double one_minus_dr = -std::expm1(-in.rate * t);
  // M / K(T) with K(T) = 1 - e^{-rT}; tends to 2 / (vol^2 T) as r -> 0.
  const double m_over_k = one_minus_dr > 0.0 ? big_m / one_minus_dr : 2.0 / (v2 * t);
  const double disc = std::sqrt((big_n - 1.0) * (big_n - 1.0) + 4.0 * m_over_k);
  Params p{w, k, t, in.vol, in.rate, in.div, std::exp(-in.div * t), sd,
           (-(big_n - 1.0) + w * disc) / 2.0};
  const double s_crit = critical_price(p, big_m, big_n);
  const double nd1 = detail::norm_cdf(w * d1_of(p, s_crit));
  const double a = w * (s_crit / p.exponent) * (1.0 - p.dq * nd1);
  const bool hold = w > 0 ? s < s_crit : s > s_crit;
  const double value = hold ? euro + a * std::pow(s / s_crit, p.exponent) : intrinsic;
  return std::max(value, std::max(euro, intrinsic));
}

}  // namespace

double detail::qd_put_boundary(double r, double q, double vol, double tau) {
  const double sd = vol * std::sqrt(tau);
  if (!(sd >= 1e-8)) return q > r ? r / q : 1.0;
  const double v2 = vol * vol;
  const double big_m = 2.0 * r / v2;
  const double big_n = 2.0 * (r - q) / v2;
  const double one_minus_dr = -std::expm1(-r * tau);
  const double m_over_k = one_minus_dr > 0.0 ? big_m / one_minus_dr : 2.0 / (v2 * tau);
  const double disc = std::sqrt((big_n - 1.0) * (big_n - 1.0) + 4.0 * m_over_k);
  const Params p{-1.0, 1.0, tau, vol, r, q, std::exp(-q * tau), sd, (-(big_n - 1.0) - disc) / 2.0};
  const double s = critical_price(p, big_m, big_n);
  return std::isfinite(s) && s > 0.0 ? s : (q > r ? r / q : 1.0);
}

namespace {

detail::AloScheme scheme_of(AloAccuracy accuracy, double r, double vol) {
  // (nodes, fixed-point points, iterations, price points): docs/options.md, "Presets". FP-B
  // converges in fewer iterations than FP-A, but the plain (undamped) FP-B iteration stops
  // contracting when the rate is large against the variance: with r / vol^2 above ~2.5 and
  // r T above ~0.13 it oscillates (a 1.6-year put, r = 14.8%, q = 1.9%, vol 12.2% came out
  // 7e-4 off, a 23-year put at r / vol^2 = 3.3 9e-5 off, against FP-A and a 8,000-step tree).
  // FP-A converges there, linearly, so it gets more iterations.
  const bool fp_a = r > 2.0 * vol * vol;
  const auto eq = fp_a ? detail::FixedPointEquation::kA : detail::FixedPointEquation::kB;
  if (accuracy == AloAccuracy::kHigh) return {24, 32, fp_a ? 24 : 12, 96, eq};
  return {fp_a ? 20 : 16, 16, fp_a ? 20 : 8, 64, eq};
}

// The last kCacheSize boundaries solved on this thread, replaced round-robin; see american.h.
struct CachedBoundary {
  double r = std::numeric_limits<double>::quiet_NaN(), q = 0.0, vol = 0.0, years = 0.0;
  AloAccuracy accuracy = AloAccuracy::kStandard;
  detail::PutBoundary boundary;
  detail::PreparedPrice prepared;
};
constexpr int kCacheSize = 8;

const CachedBoundary& boundary_for(double r, double q, double vol, double years, AloAccuracy accuracy) {
  thread_local std::array<CachedBoundary, kCacheSize> cache;
  thread_local int next = 0;
  for (const auto& c : cache) {
    if (c.r == r && c.q == q && c.vol == vol && c.years == years && c.accuracy == accuracy) return c;
  }
  CachedBoundary& slot = cache[next];
  next = (next + 1) % kCacheSize;
  const detail::AloScheme scheme = scheme_of(accuracy, r, vol);
  slot.boundary = detail::solve_put_boundary(r, q, vol, years, scheme, &detail::qd_put_boundary);
  slot.prepared = detail::prepare_price(slot.boundary, scheme.price_points);
  slot.r = r;
  slot.q = q;
  slot.vol = vol;
  slot.years = years;
  slot.accuracy = accuracy;
  return slot;
}

constexpr int kBinomialSteps = 2000;

double alo_unchecked(const BsmInputs& in, AloAccuracy accuracy) {
  const double w = detail::sign_of(in.right);
  const double s = in.spot;
  const double k = in.strike;
  const double t = in.years;
  const double intrinsic = std::max(w * (s - k), 0.0);
  const double euro = detail::bsm_price_row(w, s, k, t, in.vol, in.rate, in.div);
  if (!(in.vol * std::sqrt(t) >= kMinStdDev) || !(s > 0.0) || !(k > 0.0)) return std::max(euro, intrinsic);
  // The call is the put with spot and strike, rate and dividend yield exchanged.
  const double sp = w > 0 ? k : s;
  const double kp = w > 0 ? s : k;
  const double rp = w > 0 ? in.div : in.rate;
  const double qp = w > 0 ? in.rate : in.div;
  // Early exercise of the put never pays when r <= 0 and q >= r: K e^{-rT} >= K, S e^{-qT} <= S.
  if (rp <= 0.0 && qp >= rp) return std::max(euro, intrinsic);
  if (rp <= 0.0) {
    // The tree's error may put it a hair below the European value, which bounds it.
    return std::max({kp * detail::put_binomial(sp / kp, rp, qp, in.vol, t, kBinomialSteps), euro, intrinsic});
  }
  const CachedBoundary& c = boundary_for(rp, qp, in.vol, t, accuracy);
  return std::max(kp * detail::put_price(c.boundary, c.prepared, sp / kp), intrinsic);
}

// Central finite differences of `price` (see american.h for the bumps).
template <class Price>
Greeks fd_greeks(const BsmInputs& in, Price price) {
  Greeks g;
  g.price = price(in);
  auto bumped = [&](double BsmInputs::*field, double h) {
    BsmInputs up = in, dn = in;
    up.*field += h;
    dn.*field -= h;
    return std::pair{price(up), price(dn)};
  };
  const double hs = std::max(1e-4 * in.spot, 1e-8);
  const auto [su, sdn] = bumped(&BsmInputs::spot, hs);
  g.delta = (su - sdn) / (2.0 * hs);
  g.gamma = (su - 2.0 * g.price + sdn) / (hs * hs);
  const double hv = std::min(1e-4, 0.5 * in.vol);
  if (hv > 0.0) {
    const auto [vu, vd] = bumped(&BsmInputs::vol, hv);
    g.vega = (vu - vd) / (2.0 * hv);
  }
  const double hr = 1e-5;
  if (in.rate >= hr) {
    const auto [ru, rd] = bumped(&BsmInputs::rate, hr);
    g.rho = (ru - rd) / (2.0 * hr);
  } else {
    BsmInputs up = in;
    up.rate += hr;
    g.rho = (price(up) - g.price) / hr;
  }
  const double ht = std::min(1e-5, 0.5 * in.years);
  if (ht > 0.0) {
    const auto [later, earlier] = bumped(&BsmInputs::years, -ht);
    g.theta = (later - earlier) / (2.0 * ht);
  }
  return g;
}

void check_input(const BsmInputs& in) {
  const std::string problem = bsm_input_problem(in);
  if (!problem.empty()) throw Error::invalid_input("invalid option input: " + problem);
}

}  // namespace

double baw_price(const BsmInputs& in) {
  check(in);
  return baw_unchecked(in);
}

Greeks baw_greeks(const BsmInputs& in) {
  check(in);
  return fd_greeks(in, [](const BsmInputs& x) { return baw_unchecked(x); });
}

double alo_price(const BsmInputs& in, AloAccuracy accuracy) {
  check_input(in);
  return alo_unchecked(in, accuracy);
}

Greeks alo_greeks(const BsmInputs& in, AloAccuracy accuracy) {
  check_input(in);
  return fd_greeks(in, [accuracy](const BsmInputs& x) { return alo_unchecked(x, accuracy); });
}

const char* american_engine_name(AmericanEngine engine) {
  return engine == AmericanEngine::kBaw ? "baw" : "alo";
}

std::optional<AmericanEngine> parse_american_engine(std::string_view text) {
  if (text == "alo") return AmericanEngine::kAlo;
  if (text == "baw") return AmericanEngine::kBaw;
  return std::nullopt;
}

Greeks option_greeks(ExerciseStyle exercise, const BsmInputs& in, AmericanEngine engine) {
  if (exercise == ExerciseStyle::kEuropean) return bsm_greeks(in);
  return engine == AmericanEngine::kBaw ? baw_greeks(in) : alo_greeks(in);
}

double option_price(ExerciseStyle exercise, const BsmInputs& in, AmericanEngine engine) {
  if (exercise == ExerciseStyle::kEuropean) return bsm_price(in);
  return engine == AmericanEngine::kBaw ? baw_price(in) : alo_price(in);
}

const char* model_name(ExerciseStyle exercise, AmericanEngine engine) {
  if (exercise == ExerciseStyle::kEuropean) return "bsm";
  return engine == AmericanEngine::kBaw ? "baw-approximation" : "alo-fixed-point";
}

double american_implied_vol(const ImpliedVolInputs& in, AmericanEngine engine) {
  if (!(std::isfinite(in.price) && std::isfinite(in.spot) && std::isfinite(in.strike) &&
        std::isfinite(in.years) && std::isfinite(in.rate) && std::isfinite(in.div)) ||
      !(in.spot > 0.0) || !(in.strike > 0.0) || !(in.years > 0.0) || in.price < 0.0) {
    // The European solver's sentence names the bad field.
    throw Error::invalid_input("no implied volatility: " + implied_vol_problem(in));
  }
  if (engine == AmericanEngine::kBaw && in.rate < 0.0) check({in.right, in.spot, in.strike, in.years, 0.2, in.rate, in.div});
  const double w = detail::sign_of(in.right);
  // Zero-vol value: the best of exercising at t in [0, T] along the forward,
  // f(t) = w (S e^{-qt} - K e^{-rt}); its only interior extremum solves f'(t) = 0.
  const double s = in.spot, k = in.strike, r = in.rate, q = in.div, t_max = in.years;
  auto f = [&](double t) { return w * (s * std::exp(-q * t) - k * std::exp(-r * t)); };
  double lower = std::max({0.0, f(0.0), f(t_max)});
  if (q != r && q > 0.0 && r > 0.0) {
    const double t_star = std::log((q * s) / (r * k)) / (q - r);
    if (t_star > 0.0 && t_star < t_max) lower = std::max(lower, f(t_star));
  }
  // S (call) or K (put); with a negative dividend yield (rate) the European bound S e^{-qT}
  // (K e^{-rT}) is the larger.
  const double upper = w > 0 ? s * std::max(1.0, std::exp(-q * t_max)) : k * std::max(1.0, std::exp(-r * t_max));
  if (!(in.price > lower)) {
    throw Error::invalid_input("no implied volatility: price " + detail::num(in.price) +
                               " is at or below the American no-arbitrage lower bound " +
                               detail::num(lower) +
                               " (the zero-vol value: exercise now or at the best later date along the forward)");
  }
  if (!(in.price < upper)) {
    throw Error::invalid_input("no implied volatility: price " + detail::num(in.price) +
                               " is at or above the American upper bound " + detail::num(upper) +
                               (w > 0 ? " (max(S, S e^{-qT}))" : " (max(K, K e^{-rT}))"));
  }
  auto price_at = [&](double vol) {
    const BsmInputs x{in.right, s, k, t_max, vol, r, q};
    return engine == AmericanEngine::kBaw ? baw_unchecked(x) : alo_unchecked(x, AloAccuracy::kStandard);
  };
  constexpr double kVolLo = 1e-4, kVolHi = 20.0;
  double a = kVolLo, b = kVolHi;
  double fa = price_at(a) - in.price, fb = price_at(b) - in.price;
  if (fa > 0.0 || fb < 0.0) {
    throw Error::invalid_input("no implied volatility: price " + detail::num(in.price) +
                               " needs a vol outside [0.0001, 20] (prices " + detail::num(fa + in.price) +
                               " to " + detail::num(fb + in.price) + " there)");
  }
  if (fa == 0.0) return a;
  if (fb == 0.0) return b;
  // Brent's method (Brent 1973, ch. 4): inverse quadratic interpolation or secant, falling back
  // to bisection, so the bracket always shrinks.
  double c = a, fc = fa, d = b - a, e = d;
  for (int iter = 0; iter < 200; ++iter) {
    if ((fb > 0.0) == (fc > 0.0)) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
    if (std::abs(fc) < std::abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const double tol = 2.0 * std::numeric_limits<double>::epsilon() * std::abs(b) + 0.5e-14 * std::abs(b);
    const double m = 0.5 * (c - b);
    if (std::abs(m) <= tol || fb == 0.0) return b;
    if (std::abs(e) >= tol && std::abs(fa) > std::abs(fb)) {
      double p, qq;
      const double sr = fb / fa;
      if (a == c) {
        p = 2.0 * m * sr;
        qq = 1.0 - sr;
      } else {
        const double qa = fa / fc, rr = fb / fc;
        p = sr * (2.0 * m * qa * (qa - rr) - (b - a) * (rr - 1.0));
        qq = (qa - 1.0) * (rr - 1.0) * (sr - 1.0);
      }
      if (p > 0.0) {
        qq = -qq;
      } else {
        p = -p;
      }
      if (2.0 * p < std::min(3.0 * m * qq - std::abs(tol * qq), std::abs(e * qq))) {
        e = d;
        d = p / qq;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += std::abs(d) > tol ? d : (m > 0.0 ? tol : -tol);
    fb = price_at(b) - in.price;
  }
  return b;
}

}  // namespace keel::options
