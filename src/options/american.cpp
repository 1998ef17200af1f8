#include "keel/options/american.h"

#include <algorithm>
#include <cmath>

#include "bsm_kernel.h"
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

double baw_price(const BsmInputs& in) {
  check(in);
  return baw_unchecked(in);
}

Greeks baw_greeks(const BsmInputs& in) {
  check(in);
  Greeks g;
  g.price = baw_unchecked(in);
  auto bumped = [&](double BsmInputs::*field, double h) {
    BsmInputs up = in, dn = in;
    up.*field += h;
    dn.*field -= h;
    return std::pair{baw_unchecked(up), baw_unchecked(dn)};
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
    g.rho = (baw_unchecked(up) - g.price) / hr;
  }
  const double ht = std::min(1e-5, 0.5 * in.years);
  if (ht > 0.0) {
    const auto [later, earlier] = bumped(&BsmInputs::years, -ht);
    g.theta = (later - earlier) / (2.0 * ht);
  }
  return g;
}

Greeks option_greeks(ExerciseStyle exercise, const BsmInputs& in) {
  return exercise == ExerciseStyle::kAmerican ? baw_greeks(in) : bsm_greeks(in);
}

double option_price(ExerciseStyle exercise, const BsmInputs& in) {
  return exercise == ExerciseStyle::kAmerican ? baw_price(in) : bsm_price(in);
}

const char* model_name(ExerciseStyle exercise) {
  return exercise == ExerciseStyle::kAmerican ? "baw-approximation" : "bsm";
}

}  // namespace keel::options
