// The vectorised implied-vol kernel (iv_batch.h): the scalar solver of implied_vol.cpp written
// as one branch-free function of a lane, so that the compiler vectorises the loop over options
// (selects instead of branches, simd_math.h instead of libm). Formulas and references are those
// of implied_vol.cpp and docs/options.md ("Implied volatility").
#include "iv_batch.h"

#include <cfloat>
#include <cmath>
#include <cstdint>

#include "simd_math.h"

namespace keel::options::detail {
namespace {

constexpr double kInvSqrt2Pi = 0.39894228040143267794;
constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kSqrtPiOver2 = 1.25331413731550025121;
constexpr double kSqrt2Pi = 2.50662827463100050242;
constexpr double kPi = 3.14159265358979323846;
constexpr double kSqrt3 = 1.73205080756887729353;
constexpr double kSqrt27 = 5.19615242270663188058;
constexpr double kEps = DBL_EPSILON;
constexpr double kRationalMin = -(1.0 - 1.4901161193847656e-08);
constexpr double kRationalMax = 2.0 / (kEps * kEps);

[[gnu::always_inline]] inline bool finite(double v) { return std::abs(v) <= DBL_MAX; }

// Y(z) = N(z) / n(z) for z <= 0.
[[gnu::always_inline]] inline double mills(double z) { return kSqrtPiOver2 * simd::erfcx(-z * kInvSqrt2); }

struct Eval {
  double b, complement, slope;
  bool series;  // in the scalar solver's series region (the two-term form cancels there)
  bool in_range;  // the erfcx arguments are inside its fit
};

// Normalised out-of-the-money call b(x, s) = e^{x/2} N(h + t) - e^{-x/2} N(h - t), h = x / s,
// t = s / 2, x <= 0, e^{x/2} = ex; its complement e^{x/2} - b and db/ds.
// With slope = e^{-(h^2 + t^2)/2} / sqrt(2 pi) = e^{x/2} n(h + t) = e^{-x/2} n(h - t):
//   e^{-x/2} N(h - t) = slope Y(h - t)  (h - t < 0 always),
//   e^{x/2} N(h + t)  = slope Y(h + t) if h + t < 0, else e^{x/2} - slope Y(-(h + t)).
[[gnu::always_inline]] inline Eval evaluate(double x, double ex, double s, double inv_s) {
  const double h = x * inv_s;
  const double t = 0.5 * s;
  const double z1 = h + t, z2 = h - t;
  Eval e;
  e.slope = kInvSqrt2Pi * simd::exp(-0.5 * (h * h + t * t));
  const bool lower = z1 < 0.0;
  const double tail1 = e.slope * mills(lower ? z1 : -z1);
  const double minus = e.slope * mills(z2);
  const double plus = lower ? tail1 : ex - tail1;  // e^{x/2} N(h + t)
  e.b = plus - minus;
  e.complement = (lower ? ex - tail1 : tail1) + minus;
  e.series = (t <= 0.5) & (1.0 + h * h > 100.0 * -x);
  e.in_range = -z2 * kInvSqrt2 <= 26.5;
  return e;
}

[[gnu::always_inline]] inline double rational_cubic(double x, double xl, double xr, double yl, double yr, double dl,
                                                    double dr, double r) {
  const double h = xr - xl;
  const bool degenerate = !(std::abs(h) > 0.0);
  const double hs = degenerate ? 1.0 : h;
  const double t = (x - xl) / hs;
  const double omt = 1.0 - t, t2 = t * t, omt2 = omt * omt;
  const double cubic = (yr * t2 * t + (r * yr - h * dr) * t2 * omt + (r * yl + h * dl) * t * omt2 + yl * omt2 * omt) /
                       (1.0 + (r - 3.0) * t * omt);
  const double line = yr * t + yl * (1.0 - t);
  return degenerate ? 0.5 * (yl + yr) : (r >= kRationalMax ? line : cubic);
}

// (The shape tests as 0/1 doubles: combined masks of different origins stop GCC's vectoriser.)
[[gnu::always_inline]] inline double minimum_control(double dl, double dr, double slope) {
  const double monotonic = (dl * slope >= 0.0 ? 1.0 : 0.0) * (dr * slope >= 0.0 ? 1.0 : 0.0);
  const double convex = (dl <= slope ? 1.0 : 0.0) * (slope <= dr ? 1.0 : 0.0);
  const double concave = (dl >= slope ? 1.0 : 0.0) * (slope >= dr ? 1.0 : 0.0);
  const double slope_safe = slope != 0.0 ? slope : 1.0;
  const double r1_mono = slope != 0.0 ? (dr + dl) / slope_safe : kRationalMax;
  const double r1 = monotonic != 0.0 ? r1_mono : -kRationalMax;
  const double a = slope - dl, b = dr - slope;
  const double ab = (a != 0.0 ? 1.0 : 0.0) * (b != 0.0 ? 1.0 : 0.0);
  const double a_safe = ab != 0.0 ? a : 1.0, b_safe = ab != 0.0 ? b : 1.0;
  const double shape_r = std::max(std::abs((dr - dl) / b_safe), std::abs((dr - dl) / a_safe));
  const double shape = ab != 0.0 ? shape_r : kRationalMax;
  const double other = monotonic != 0.0 ? kRationalMax : -kRationalMax;
  const double r2 = convex + concave != 0.0 ? shape : other;
  const double out = std::max(kRationalMin, std::max(r1, r2));
  return monotonic + convex + concave != 0.0 ? out : kRationalMin;
}

[[gnu::always_inline]] inline double control_fit(bool left, double xl, double xr, double yl, double yr, double dl,
                                                 double dr, double d2) {
  const double h = xr - xl;
  const double hs = h != 0.0 ? h : 1.0;
  const double num = 0.5 * h * d2 + (dr - dl);
  const double den = left ? (yr - yl) / hs - dl : dr - (yr - yl) / hs;
  const double den_safe = den != 0.0 ? den : 1.0;
  double r = num == 0.0 ? 0.0 : (den == 0.0 ? (num > 0.0 ? kRationalMax : kRationalMin) : num / den_safe);
  r = finite(r) ? r : kRationalMax;
  return std::max(r, minimum_control(dl, dr, (yr - yl) / hs));
}

// Inverse normal CDF: Abramowitz & Stegun 26.2.23 (error below 4.5e-4) and one Halley step
// (cubic: below 1e-10, which is all an initial guess needs; the scalar solver takes two).
[[gnu::always_inline]] inline double inverse_norm_cdf(double p) {
  p = p < 1e-300 ? 1e-300 : (p > 1.0 - kEps ? 1.0 - kEps : p);
  const bool low = p < 0.5;
  const double tail = low ? p : 1.0 - p;
  const double t = std::sqrt(-2.0 * simd::log(tail));
  double z = t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
  z = low ? -z : z;
  {
    const double a = std::abs(z);
    const double g = simd::exp(-0.5 * a * a);
    const double tz = 0.5 * g * simd::erfcx(a * kInvSqrt2);  // N(-|z|)
    const double n_z = z < 0.0 ? tz : 1.0 - tz;              // N(z)
    const double n_mz = z < 0.0 ? 1.0 - tz : tz;             // N(-z)
    const double e = low ? n_z - p : (1.0 - p) - n_mz;
    const double u = e * kSqrt2Pi / g;
    z -= u / (1.0 + 0.5 * z * u);
  }
  return z;
}

[[gnu::always_inline]] inline double householder3(double nu, double h2, double h3) {
  return nu * (1.0 + 0.5 * h2 * nu) / (1.0 + nu * (h2 + h3 * nu / 6.0));
}

// One option: writes its vol, returns 1 when it must go to the scalar solver.
// kFull = false: the fast pass, which values the two middle branches of the initial guess (a
// rational cubic in s) and hands lanes in the outer two (which need the lower or upper map and
// an inverse normal CDF) to the full pass with flag 2.
template <bool kFull>
[[gnu::always_inline]] inline std::uint64_t lane(std::size_t i, const IvBatchIn& in, double* vol) {
  const double w = in.right[i] == OptionRight::kCall ? 1.0 : -1.0;
  const double price_raw = in.price[i], spot_raw = in.spot[i], strike_raw = in.strike[i];
  const double years_raw = in.years[i], rate_raw = in.rate[i], div_raw = in.div[i];
  const bool valid = finite(price_raw) & finite(spot_raw) & finite(strike_raw) & finite(years_raw) &
                     finite(rate_raw) & finite(div_raw) & (spot_raw > 0.0) & (strike_raw > 0.0) &
                     (years_raw > 0.0) & (price_raw >= 0.0);
  // Stand-ins on invalid lanes keep every operation finite (the lane is flagged).
  const double price = valid ? price_raw : 0.1, spot = valid ? spot_raw : 1.0, strike = valid ? strike_raw : 1.0;
  const double years = valid ? years_raw : 1.0, rate = valid ? rate_raw : 0.0, div = valid ? div_raw : 0.0;

  const double dr = simd::exp(-rate * years);
  const double dq = simd::exp(-div * years);
  const double fwd = spot * dq / dr;
  const double c = price / dr;
  const double intrinsic = std::max(w * (fwd - strike), 0.0);
  const double lower_bound = std::max(w * (spot * dq - strike * dr), 0.0);
  // (Arithmetic rather than a select on w: GCC folds w > 0 back into the byte compare of `right`,
  // whose mask does not combine with the double-width ones under AVX-512.)
  const double upper_bound = 0.5 * ((1.0 + w) * spot * dq + (1.0 - w) * strike * dr);
  const double ratio_raw = fwd / strike;
  // (Flags as doubles: AVX-512 mask registers of different origins do not combine in GCC's
  // vectoriser, arithmetic selects do.)
  double bad = valid ? 0.0 : 1.0;
  bad = ratio_raw >= 1e-300 ? bad : 1.0;
  bad = ratio_raw <= 1e300 ? bad : 1.0;
  bad = dr >= 1e-300 ? bad : 1.0;
  bad = dr <= 1e300 ? bad : 1.0;
  const double ratio = bad == 0.0 ? ratio_raw : 1.0;
  const double x = -std::abs(simd::log(ratio));
  const double root_fk = std::sqrt(fwd * strike);
  const double beta_raw = (c - intrinsic) / root_fk;
  const double ex = simd::exp(0.5 * x);
  // Well inside the bounds (within 1e-9 of one the scalar solver decides, with its own rounding).
  bad = price - lower_bound > 1e-9 * price ? bad : 1.0;
  bad = upper_bound - price > 1e-9 * upper_bound ? bad : 1.0;
  bad = beta_raw >= 1e-290 ? bad : 1.0;
  bad = beta_raw < ex * (1.0 - 1e-9) ? bad : 1.0;
  bad = (root_fk > 0.0) & (root_fk <= DBL_MAX) ? bad : 1.0;
  const double beta = bad == 0.0 ? beta_raw : 0.5 * ex;

  // ---- initial guess (Jaeckel 2015): four branches around the inflection point s_c ----
  const double b_max = ex;
  const bool atm = x == 0.0;
  const double s_c = std::sqrt(-2.0 * x);
  // At s_c: h + t = 0 and the slope is e^{x/2} / sqrt(2 pi), so b_c = e^{x/2} / 2 - v_c Y(-s_c).
  const double v_c = kInvSqrt2Pi * ex;
  const double b_c = atm ? 0.0 : 0.5 * ex - v_c * mills(-s_c);
  const double inv_vc = 1.0 / v_c;
  const double s_l = s_c - b_c * inv_vc;
  const double s_u = s_c + (b_max - b_c) * inv_vc;
  const bool l_pos = s_l > 0.0;
  const double sl = l_pos ? s_l : 1.0;
  const double inv_sl = 1.0 / sl;
  const Eval at_l = evaluate(x, ex, sl, inv_sl);
  const double b_l = l_pos ? at_l.b : 0.0;
  const double inv_su = 1.0 / s_u;
  const Eval at_u = evaluate(x, ex, s_u, inv_su);
  const double b_u = at_u.b;

  const bool lowest_t = beta < b_l;
  const bool lower_t = !lowest_t & (beta <= b_c);
  const bool upper_t = !lowest_t & !lower_t & (beta <= b_u);
  const bool highest_t = !lowest_t & !lower_t & !upper_t;
  const bool outer = lowest_t | highest_t;
  // The fast pass computes as if every lane were in a middle branch (two-way selects only).
  const bool lowest = kFull ? lowest_t : false;
  const bool lower = kFull ? lower_t : beta <= b_c;
  const bool upper = kFull ? upper_t : !lower;
  const bool highest = kFull ? highest_t : false;

  // The outer branches' maps (the fast pass leaves those lanes to the full pass: flag 2).
  double lm_f = 0.0, lm_fp = 1.0, lm_fpp = 0.0, f_u = 0.5, um_fp = -0.5, um_fpp = 0.0;
  const double ax = -x;
  if constexpr (kFull) {
    // Lower map at s_l (implied_vol.cpp, lower_map), with N(-z) = e^{-y/2} erfcx(z / sqrt 2) / 2.
    const double zl = ax * inv_sl * (1.0 / kSqrt3);
    const double yl = zl * zl;
    const double erfcx_l = simd::erfcx(zl * kInvSqrt2);
    const double g_l = simd::exp(-0.5 * yl);
    const double big_phi = 0.5 * g_l * erfcx_l;
    const double e8_l = simd::exp(0.125 * sl * sl);
    lm_f = 2.0 * kPi / kSqrt27 * ax * big_phi * big_phi * big_phi;
    lm_fp = 0.5 * kPi * yl * erfcx_l * erfcx_l * e8_l;
    // e^{1.5 y} = g_l^-3 (infinite when g_l underflows: then f'' is set to 0, as the scalar does).
    lm_fpp = 0.5 * erfcx_l * yl * inv_sl * (e8_l * e8_l / (g_l * g_l * g_l)) *
                    (4.0 * kPi * zl + kPi * kSqrt2Pi * erfcx_l * (0.25 * sl * sl - 2.0 - 2.0 * yl));
    lm_fpp = finite(lm_fpp) ? lm_fpp : 0.0;

    // Upper map at s_u: f = N(-s/2).
    const double g_u = simd::exp(-0.125 * s_u * s_u);
    f_u = 0.5 * g_u * simd::erfcx(0.5 * s_u * kInvSqrt2);
    const double wu = x * x * inv_su * inv_su;
    const double ew_u = simd::exp(0.5 * wu);
    um_fp = -0.5 * ew_u;
    um_fpp = kSqrtPiOver2 * wu * inv_su * (ew_u * ew_u / g_u);
    um_fpp = finite(um_fpp) ? um_fpp : 0.0;
  }

  // The chosen branch's interpolation data.
  const double xl = lowest ? 0.0 : (lower ? b_l : (upper ? b_c : b_u));
  const double xr = lowest ? b_l : (lower ? b_c : (upper ? b_u : b_max));
  const double yl0 = lowest ? 0.0 : (lower ? s_l : (upper ? s_c : f_u));
  const double yr0 = lowest ? lm_f : (lower ? s_c : (upper ? s_u : 0.0));
  const double dl = lowest ? 1.0 : (lower ? 1.0 / at_l.slope : (upper ? inv_vc : um_fp));
  const double drr = lowest ? lm_fp : (lower ? inv_vc : (upper ? 1.0 / at_u.slope : -0.5));
  const double d2 = lowest ? lm_fpp : (highest ? um_fpp : 0.0);
  const bool left = upper | highest;
  const double r = control_fit(left, xl, xr, yl0, yr0, dl, drr, d2);
  const double value = rational_cubic(beta, xl, xr, yl0, yr0, dl, drr, r);

  double s = value;
  if constexpr (kFull) {
    // lowest: invert the lower map; highest: invert f = N(-s/2); one inverse normal CDF serves both.
    const double lm_arg = value * kSqrt27 / (2.0 * kPi * ax);
    const double lm_arg_safe = lm_arg > 1e-300 ? lm_arg : 1e-300;
    const double cbrt = simd::exp(simd::log(lm_arg_safe) * (1.0 / 3.0));
    const double p = lowest ? cbrt : value;
    const double zinv = inverse_norm_cdf(p);
    const double s_lowest = value > 0.0 ? std::abs(x / (kSqrt3 * zinv)) : 0.0;
    const double s_highest = (value > 0.0) & (value < 0.5) ? -2.0 * zinv : (value >= 0.5 ? 0.5 * s_u : 2.0 * s_u);
    s = lowest ? s_lowest : (highest ? s_highest : value);
  }
  s = (s > 0.0) & finite(s) ? s : (s_c > 0.0 ? s_c : 1.0);

  // ---- two Householder(3) steps on the branch's objective ----
  // lowest: g = 1/ln b - 1/ln beta; highest: g = ln(b_max - beta) - ln(b_max - b); else b - beta.
  const double log_target = simd::log(lowest ? beta : b_max - beta);
  const double inv_log_beta = 1.0 / log_target;
  double ds = 0.0;
  Eval e{};
#pragma GCC unroll 2
  for (int iter = 0; iter < 2; ++iter) {
    const double inv_s = 1.0 / s;
    e = evaluate(x, ex, s, inv_s);
    // (An underflowed slope shows as a non-finite step below.)
    const bool ok = (e.b >= 1e-300) & (e.complement > 0.0) & e.in_range;
    bad = ok ? bad : 1.0;
    const double bb = ok ? e.b : 0.5 * ex;
    const double comp = ok ? e.complement : 0.5 * ex;
    const double slope = ok ? e.slope : 1.0;
    const double x2s2 = x * x * inv_s * inv_s;
    const double b2 = x2s2 * inv_s - 0.25 * s;
    const double b3 = b2 * b2 - 3.0 * x2s2 * inv_s * inv_s - 0.25;
    // One log, one reciprocal of b (lowest) or of b_max - b (highest), one of the slope.
    const double own = lowest ? bb : comp;
    const double lg = simd::log(own);
    const double inv_own = 1.0 / own;
    const double inv_slope = 1.0 / slope;
    const double lambda = 1.0 / lg;
    const double bpb = slope * inv_own;  // b'/b (lowest) or b'/(b_max - b) (highest)
    const double g_low = lambda - inv_log_beta;
    const double h2_low = b2 - bpb * (1.0 + 2.0 * lambda);
    const double h3_low =
        b3 + bpb * bpb * (2.0 + 6.0 * lambda * (1.0 + lambda)) - 3.0 * b2 * bpb * (1.0 + 2.0 * lambda);
    const double bpc = bpb;
    // lowest: nu = -g / g' with g' = -lambda^2 b'/b; highest: nu = -g / (b'/(b_max - b)).
    const double nu = lowest ? g_low * lg * lg * bb * inv_slope
                             : (highest ? -(log_target - lg) * comp * inv_slope : -(bb - beta) * inv_slope);
    const double h2 = lowest ? h2_low : (highest ? b2 + bpc : b2);
    const double h3 = lowest ? h3_low : (highest ? b3 + 3.0 * b2 * bpc + 2.0 * bpc * bpc : b3);
    ds = householder3(nu, h2, h3);
    bad = finite(ds) ? bad : 1.0;
    ds = finite(ds) ? ds : 0.0;
    ds = std::max(ds, -0.5 * s);
    s += ds;
  }
  // Converged (the second step below 1e-6 s leaves an error far below an ulp) and the last
  // evaluation accurate (outside the series region).
  bad = (std::abs(ds) <= 1e-6 * s) ? bad : 1.0;
  // In the series region the two-term evaluation cancels: the vol is close (to the cancellation
  // error) but not exact; the caller polishes it with one exact step (flag 4) if nothing else failed.
  const std::uint64_t polish = (bad == 0.0) & e.series ? 4 : 0;
  bad = e.series ? 1.0 : bad;
  vol[i] = s / std::sqrt(years);
  if constexpr (kFull) {
    const std::uint64_t failed = bad != 0.0 ? 1 : 0;
    return polish != 0 ? polish : failed;
  } else {
    // (Bit 2: outer branch, for the full pass; bit 1: bad. Two independent selects vectorise.)
    const std::uint64_t outer_bit = outer ? 2 : 0;
    const std::uint64_t failed = bad != 0.0 ? 1 : 0;
    return outer_bit | (polish != 0 ? polish : failed);
  }
}

template <bool kFull>
[[gnu::always_inline]] inline void body(std::size_t n, const IvBatchIn& in, double* vol, std::uint64_t* slow) {
#pragma GCC ivdep
  for (std::size_t i = 0; i < n; ++i) slow[i] = lane<kFull>(i, in, vol);
}

#define KEEL_IV_KERNEL(SUFFIX, ATTR)                                                           \
  ATTR void iv_fast_##SUFFIX(std::size_t n, const IvBatchIn& in, double* vol, std::uint64_t* slow) { \
    body<false>(n, in, vol, slow);                                                             \
  }                                                                                            \
  ATTR void iv_full_##SUFFIX(std::size_t n, const IvBatchIn& in, double* vol, std::uint64_t* slow) { \
    body<true>(n, in, vol, slow);                                                              \
  }
KEEL_IV_KERNEL(baseline, )
KEEL_IV_KERNEL(avx2, KEEL_TARGET_X86_64_V3)
KEEL_IV_KERNEL(avx512, KEEL_TARGET_X86_64_V4)
#undef KEEL_IV_KERNEL

}  // namespace

std::size_t implied_vol_kernel(KernelIsa isa, std::size_t n, const IvBatchIn& in, double* vol, std::uint64_t* slow) {
  using Pass = void (*)(std::size_t, const IvBatchIn&, double*, std::uint64_t*);
  Pass fast = &iv_fast_baseline, full = &iv_full_baseline;
  if (isa == KernelIsa::kAvx512) {
    fast = &iv_fast_avx512;
    full = &iv_full_avx512;
  } else if (isa == KernelIsa::kAvx2) {
    fast = &iv_fast_avx2;
    full = &iv_full_avx2;
  }
  fast(n, in, vol, slow);
  // The lanes in the outer branches, gathered into columns and run through the full pass.
  constexpr std::size_t kChunk = 256;
  std::size_t index[kChunk];
  OptionRight right[kChunk];
  double price[kChunk], spot[kChunk], strike[kChunk], years[kChunk], rate[kChunk], div[kChunk], v[kChunk];
  std::uint64_t flag[kChunk];
  const IvBatchIn packed{right, price, spot, strike, years, rate, div};
  std::size_t i = 0;
  while (i < n) {
    std::size_t m = 0;
    for (; i < n && m < kChunk; ++i) {
      if ((slow[i] & 2) == 0) continue;
      index[m] = i;
      right[m] = in.right[i];
      price[m] = in.price[i];
      spot[m] = in.spot[i];
      strike[m] = in.strike[i];
      years[m] = in.years[i];
      rate[m] = in.rate[i];
      div[m] = in.div[i];
      ++m;
    }
    if (m == 0) break;
    full(m, packed, v, flag);
    for (std::size_t j = 0; j < m; ++j) {
      vol[index[j]] = v[j];
      slow[index[j]] = flag[j];
    }
  }
  std::size_t count = 0;
  for (std::size_t j = 0; j < n; ++j) count += slow[j] != 0 ? 1 : 0;
  return count;
}

}  // namespace keel::options::detail
