#include "keel/options/implied_vol.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "bsm_batch.h"
#include "bsm_kernel.h"
#include "iv_batch.h"
#include "format_number.h"
#include "keel/core/error.h"

namespace keel::options {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Normalised out-of-the-money call b(x, s) for x <= 0, its complement b_max - b (a sum of positive
// terms, exact where b is close to b_max) and db/ds.
struct Normalised {
  double b;
  double complement;
  double slope;
};

// Evaluations of b that keep full relative precision where the two-term formula cannot:
//  - far out of the money (h + t < -3) both terms are tiny and e^{+-x/2} may overflow; with the
//    Mills ratio Y(z) = N(z) / n(z) = int_0^inf e^{zu - u^2/2} du,
//      b = e^{-(h^2 + t^2)/2} / sqrt(2 pi) (Y(h + t) - Y(h - t));
//  - for small t = s/2 the two terms nearly cancel (about log10((1 + h^2) / |x|) digits are lost;
//    keel switches when that exceeds 2); there
//      b = sqrt(2/pi) e^{-(h^2 + t^2)/2} sum_{k odd} t^k / k! Y^(k)(h),
//    a sum of positive terms.
// For z <= -3 the derivatives of Y come from the ratios R_k = Y^(k) / Y^(k-1), which satisfy
// R_k = k / (R_{k+1} - z) (from Y^(k+1) = z Y^(k) + k Y^(k-1)), run backwards from
// R_N ~ (z + sqrt(z^2 + 4N)) / 2 (Laplace's continued fraction, convergent), and Y = 1 / (R_1 - z);
// for -3 < z the recurrence runs forwards from Y = N(z) / n(z), losing at most one digit.
constexpr double kSeriesMaxT = 0.5;
constexpr int kSeriesTerms = 24;
constexpr double kTwoOverSqrt2Pi = 0.79788456080286535588;  // sqrt(2 / pi)

// Y(z), Y'(z), ..., Y^(m)(z) into y[0..m], m <= kSeriesTerms.
void mills_derivatives(double z, int m, double* y) {
  if (z <= -3.0) {
    // Enough terms for full precision (measured against long double: 38 at z = -3, 10 at z = -10).
    const int n = std::max(m, 1) + 10 + static_cast<int>(300.0 / (z * z));
    double r = 0.5 * (z + std::sqrt(z * z + 4.0 * (n + 1)));
    std::array<double, kSeriesTerms + 1> ratio{};
    for (int k = n; k >= 1; --k) {
      r = k / (r - z);
      if (k <= std::max(m, 1)) ratio[k] = r;
    }
    y[0] = 1.0 / (ratio[1] - z);
    for (int k = 1; k <= m; ++k) y[k] = y[k - 1] * ratio[k];
  } else {
    y[0] = detail::norm_cdf(z) / detail::norm_pdf(z);
    if (m >= 1) y[1] = 1.0 + z * y[0];
    for (int k = 1; k < m; ++k) y[k + 1] = z * y[k] + k * y[k - 1];
  }
}

double b_series(double h, double t) {
  std::array<double, kSeriesTerms + 1> y{};
  mills_derivatives(h, kSeriesTerms, y.data());
  double sum = 0.0;
  double power = t;  // t^k / k!
  for (int k = 1; k <= kSeriesTerms; k += 2) {
    const double term = power * y[k];
    sum += term;
    if (term <= 1e-17 * sum) break;
    power *= t * t / ((k + 1.0) * (k + 2.0));
  }
  return kTwoOverSqrt2Pi * std::exp(-0.5 * (h * h + t * t)) * sum;
}

inline Normalised evaluate(double x, double ex, double enx, double s, bool want_complement = false) {
  const double h = x / s;
  const double t = 0.5 * s;
  Normalised out;
  // e^{x/2} n(h + t) = e^{-x/2} n(h - t) = e^{-(h^2 + t^2)/2} / sqrt(2 pi)
  out.slope = detail::kInvSqrt2Pi * std::exp(-0.5 * (h * h + t * t));
  if (x == 0.0) {
    out.b = std::erf(t * detail::kInvSqrt2);  // N(t) - N(-t) without cancellation
    out.complement = std::erfc(t * detail::kInvSqrt2);
  } else if (t <= kSeriesMaxT && 1.0 + h * h > 100.0 * -x) {
    // The two-term formula would lose more than ~2 digits (its error is ~eps (1 + h^2) / |x|).
    out.b = b_series(h, t);
    out.complement = ex - out.b;
  } else if (h + t < -3.0) {
    double y_plus, y_minus;
    mills_derivatives(h + t, 0, &y_plus);
    mills_derivatives(h - t, 0, &y_minus);
    out.b = out.slope * (y_plus - y_minus);
    out.complement = ex - out.b;
  } else {
    const double n2 = detail::norm_cdf(h - t);
    out.b = ex * detail::norm_cdf(h + t) - enx * n2;
    // b_max - b as a sum of positive terms, only where the caller needs it (one more CDF).
    out.complement = want_complement ? ex * detail::norm_cdf(-(h + t)) + enx * n2 : ex - out.b;
  }
  return out;
}

// ---- Jaeckel, "Let's be rational" (Wilmott 2015): initial guess and Householder iterations ----

constexpr double kEps = std::numeric_limits<double>::epsilon();
constexpr double kRationalMin = -(1.0 - 1.4901161193847656e-08);  // -(1 - sqrt(eps))
constexpr double kRationalMax = 2.0 / (kEps * kEps);
constexpr double kPi = 3.14159265358979323846;
constexpr double kSqrt3 = 1.73205080756887729353;
constexpr double kSqrt2Pi = 2.50662827463100050242;

// Delbourgo & Gregory (1985) rational cubic through (xl, yl) and (xr, yr) with slopes dl, dr and
// control parameter r (r = 3 is the cubic Hermite; r -> infinity the straight line).
double rational_cubic(double x, double xl, double xr, double yl, double yr, double dl, double dr, double r) {
  const double h = xr - xl;
  if (!(std::abs(h) > 0.0)) return 0.5 * (yl + yr);
  const double t = (x - xl) / h;
  if (r >= kRationalMax) return yr * t + yl * (1.0 - t);
  const double omt = 1.0 - t, t2 = t * t, omt2 = omt * omt;
  return (yr * t2 * t + (r * yr - h * dr) * t2 * omt + (r * yl + h * dl) * t * omt2 + yl * omt2 * omt) /
         (1.0 + (r - 3.0) * t * omt);
}

// The smallest control parameter keeping the interpolant monotone and convex (or concave) where
// the data are (Jaeckel 2015, section 4, after Delbourgo & Gregory), preferring shape to smoothness.
double minimum_control(double dl, double dr, double slope) {
  const bool monotonic = dl * slope >= 0.0 && dr * slope >= 0.0;
  const bool convex = dl <= slope && slope <= dr;
  const bool concave = dl >= slope && slope >= dr;
  if (!monotonic && !convex && !concave) return kRationalMin;
  double r1 = -kRationalMax, r2 = -kRationalMax;
  if (monotonic) r1 = slope != 0.0 ? (dr + dl) / slope : kRationalMax;
  if (convex || concave) {
    const double a = slope - dl, b = dr - slope;
    r2 = (a != 0.0 && b != 0.0) ? std::max(std::abs((dr - dl) / b), std::abs((dr - dl) / a)) : kRationalMax;
  } else if (monotonic) {
    r2 = kRationalMax;
  }
  return std::max(kRationalMin, std::max(r1, r2));
}

// Control parameter matching the second derivative `d2` at the left (or right) end, no smaller
// than minimum_control.
double control_fit(bool left, double xl, double xr, double yl, double yr, double dl, double dr, double d2) {
  const double h = xr - xl;
  const double num = 0.5 * h * d2 + (dr - dl);
  const double den = left ? (yr - yl) / h - dl : dr - (yr - yl) / h;
  double r = num == 0.0 ? 0.0 : (den == 0.0 ? (num > 0.0 ? kRationalMax : kRationalMin) : num / den);
  if (!std::isfinite(r)) r = kRationalMax;
  return std::max(r, minimum_control(dl, dr, (yr - yl) / h));
}

// Inverse of the standard normal CDF for p in (0, 1): Abramowitz & Stegun 26.2.23 (error below
// 4.5e-4) refined by two Halley steps on N(z) - p (cubic convergence: to full precision).
inline double inverse_norm_cdf(double p) {
  p = std::clamp(p, 1e-300, 1.0 - kEps);
  const double tail = p < 0.5 ? p : 1.0 - p;
  const double t = std::sqrt(-2.0 * std::log(tail));
  double z = t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
  z = p < 0.5 ? -z : z;
  for (int i = 0; i < 2; ++i) {
    const double e = (p < 0.5 ? detail::norm_cdf(z) - p : (1.0 - p) - detail::norm_cdf(-z));
    const double u = e * kSqrt2Pi * std::exp(0.5 * z * z);
    z -= u / (1.0 + 0.5 * z * u);
  }
  return z;
}

// Lower map f(s) = 2 pi |x| / sqrt(27) N(-z)^3, z = |x| / (sqrt 3 s) (which behaves like b for
// small s) and its first two derivatives in b:
//   f'(b)  = 2 pi y N(-z)^2 e^{y + s^2/8},  y = z^2
//   f''(b) = N(-z) y / s e^{s^2/4} (4 pi z e^{2y} + 2 pi sqrt(2 pi) e^{5y/2} N(-z) (s^2/4 - 2 - 2y)).
struct LowerMap {
  double f, fp, fpp;
};
LowerMap lower_map(double x, double s) {
  const double ax = std::abs(x);
  const double z = ax / (kSqrt3 * s);
  const double y = z * z;
  const double big_phi = detail::norm_cdf(-z);
  LowerMap m;
  m.f = 2.0 * kPi / std::sqrt(27.0) * ax * big_phi * big_phi * big_phi;
  m.fp = 2.0 * kPi * y * big_phi * big_phi * std::exp(y + 0.125 * s * s);
  m.fpp = big_phi * y / s * std::exp(0.25 * s * s) *
          (4.0 * kPi * z * std::exp(2.0 * y) +
           2.0 * kPi * kSqrt2Pi * std::exp(2.5 * y) * big_phi * (0.25 * s * s - 2.0 - 2.0 * y));
  if (!std::isfinite(m.fpp)) m.fpp = 0.0;
  return m;
}
double inverse_lower_map(double x, double f) {
  if (!(f > 0.0)) return 0.0;
  const double p = std::cbrt(f * std::sqrt(27.0) / (2.0 * kPi * std::abs(x)));
  return std::abs(x / (kSqrt3 * inverse_norm_cdf(p)));
}

// Householder(3) step for g(s) = 0 from nu = -g/g', h2 = g''/g', h3 = g'''/g'.
inline double householder3(double nu, double h2, double h3) {
  return nu * (1.0 + 0.5 * h2 * nu) / (1.0 + nu * (h2 + h3 * nu / 6.0));
}

// Solves b(x, s) = beta for s, with x <= 0 and 0 < beta < e^{x/2}: Jaeckel's four-branch rational
// initial guess, then Householder(3) iterations on the branch's objective (two reach machine
// precision; at most two more run while a step still moves s by more than 1e-6 s).
double solve_total_vol(double x, double beta, double s_start = 0.0) {
  const double ex = std::exp(0.5 * x);
  const double enx = 1.0 / ex;
  const double b_max = ex;
  const double s_c = std::sqrt(-2.0 * x);
  enum class Branch { kLowest, kLower, kUpper, kHighest };
  Branch branch = Branch::kLower;
  double s = s_start;
  // A start from the vectorised kernel (iv_batch.h) is already at the root to within the two-term
  // formula's cancellation error: Householder steps on b - beta from there.
  if (!(s_start > 0.0)) {
    const double b_c = x == 0.0 ? 0.0 : evaluate(x, ex, enx, s_c).b;
    // b'(s) = exp(-(x^2/s^2 + s^2/4) / 2) / sqrt(2 pi); at s_c, x^2/s_c^2 = s_c^2/4 = -x/2.
    const double v_c = detail::kInvSqrt2Pi * std::exp(0.5 * x);
    auto slope_at = [&](double s) {
      return detail::kInvSqrt2Pi * std::exp(-0.5 * (x * x / (s * s) + 0.25 * s * s));
    };
    const double s_l = s_c - b_c / v_c;
    const double s_u = s_c + (b_max - b_c) / v_c;
    const double b_l = s_l > 0.0 ? evaluate(x, ex, enx, s_l).b : 0.0;
    if (beta < b_l) {
      branch = Branch::kLowest;
      const LowerMap m = lower_map(x, s_l);
      const double r = control_fit(false, 0.0, b_l, 0.0, m.f, 1.0, m.fp, m.fpp);
      s = inverse_lower_map(x, rational_cubic(beta, 0.0, b_l, 0.0, m.f, 1.0, m.fp, r));
    } else if (beta <= b_c) {
      branch = Branch::kLower;
      const double inv_vl = 1.0 / slope_at(s_l);
      const double r = control_fit(false, b_l, b_c, s_l, s_c, inv_vl, 1.0 / v_c, 0.0);
      s = rational_cubic(beta, b_l, b_c, s_l, s_c, inv_vl, 1.0 / v_c, r);
    } else {
      const double b_u = evaluate(x, ex, enx, s_u).b;
      if (beta <= b_u) {
        branch = Branch::kUpper;
        const double inv_vu = 1.0 / slope_at(s_u);
        const double r = control_fit(true, b_c, b_u, s_c, s_u, 1.0 / v_c, inv_vu, 0.0);
        s = rational_cubic(beta, b_c, b_u, s_c, s_u, 1.0 / v_c, inv_vu, r);
      } else {
        branch = Branch::kHighest;
        // Upper map f(s) = N(-s/2): f'(b) = -e^{x^2 / (2 s^2)} / 2 (-1/2 at b_max),
        // f''(b) = sqrt(pi/2) x^2 / s^3 e^{x^2 / s^2 + s^2 / 8}.
        const double f_u = detail::norm_cdf(-0.5 * s_u);
        const double w = x * x / (s_u * s_u);
        const double fp = -0.5 * std::exp(0.5 * w);
        const double fpp = std::sqrt(0.5 * kPi) * x * x / (s_u * s_u * s_u) * std::exp(w + 0.125 * s_u * s_u);
        const double r = control_fit(true, b_u, b_max, f_u, 0.0, fp, -0.5, std::isfinite(fpp) ? fpp : 0.0);
        const double f = rational_cubic(beta, b_u, b_max, f_u, 0.0, fp, -0.5, r);
        s = f > 0.0 && f < 0.5 ? -2.0 * inverse_norm_cdf(f) : (f >= 0.5 ? 0.5 * s_u : 2.0 * s_u);
      }
    }
  }
  if (!(s > 0.0) || !std::isfinite(s)) s = s_c > 0.0 ? s_c : 1.0;

  const double log_beta = std::log(beta);
  const double complement_beta = b_max - beta;
  for (int iter = 0; iter < 4; ++iter) {
    const Normalised e = evaluate(x, ex, enx, s, branch == Branch::kHighest);
    if (!(e.slope > 0.0) || !(e.b > 0.0) || !(e.complement > 0.0)) {
      // b underflowed (s far too small) or saturated (s far too large): towards the inflection.
      s = s < s_c ? 0.5 * (s + s_c) : (s_c > 0.0 ? 0.5 * (s + s_c) : 0.5 * s);
      continue;
    }
    const double b2 = x * x / (s * s * s) - 0.25 * s;                 // b''/b'
    const double b3 = b2 * b2 - 3.0 * x * x / (s * s * s * s) - 0.25;  // b'''/b'
    double ds;
    if (branch == Branch::kLowest) {
      // g = 1/ln b - 1/ln beta
      const double lambda = 1.0 / std::log(e.b);
      const double bpb = e.slope / e.b;
      const double g = lambda - 1.0 / log_beta;
      const double gp = -lambda * lambda * bpb;
      const double h2 = b2 - bpb * (1.0 + 2.0 * lambda);
      const double h3 = b3 + bpb * bpb * (2.0 + 6.0 * lambda * (1.0 + lambda)) - 3.0 * b2 * bpb * (1.0 + 2.0 * lambda);
      ds = householder3(-g / gp, h2, h3);
    } else if (branch == Branch::kHighest) {
      // g = ln(b_max - beta) - ln(b_max - b)
      const double bpc = e.slope / e.complement;
      const double g = std::log(complement_beta / e.complement);
      ds = householder3(-g / bpc, b2 + bpc, b3 + 3.0 * b2 * bpc + 2.0 * bpc * bpc);
    } else {
      // g = b - beta
      ds = householder3(-(e.b - beta) / e.slope, b2, b3);
    }
    if (!std::isfinite(ds)) break;
    ds = std::max(ds, -0.5 * s);  // never more than halve s in one step
    s += ds;
    // Householder(3) converges with order 4: once a step is below 1e-6 s the error left is far
    // below an ulp, so two iterations normally suffice (Jaeckel 2015); up to two more run where
    // the initial guess was poor.
    if ((iter >= 1 || s_start > 0.0) && std::abs(ds) <= 1e-6 * s) break;
  }
  return s;
}

struct Prepared {
  ImpliedVolStatus status = ImpliedVolStatus::kOk;
  double lower_bound = 0.0;  // discounted, in price units
  double upper_bound = 0.0;
};

// Checks the inputs and the bounds; on success returns the vol in `vol`.
Prepared solve(const ImpliedVolInputs& in, double& vol, double vol_start = 0.0) {
  Prepared p;
  vol = kNaN;
  if (!(std::isfinite(in.price) && std::isfinite(in.spot) && std::isfinite(in.strike) &&
        std::isfinite(in.years) && std::isfinite(in.rate) && std::isfinite(in.div)) ||
      !(in.spot > 0.0) || !(in.strike > 0.0) || !(in.years > 0.0) || in.price < 0.0) {
    p.status = ImpliedVolStatus::kInvalidInput;
    return p;
  }
  const double w = detail::sign_of(in.right);
  const double dr = std::exp(-in.rate * in.years);
  const double dq = std::exp(-in.div * in.years);
  const double fwd = in.spot * dq / dr;
  const double c = in.price / dr;  // undiscounted price
  const double intrinsic = std::max(w * (fwd - in.strike), 0.0);
  // The bounds as a user computes them, compared with the price as given.
  p.lower_bound = std::max(w * (in.spot * dq - in.strike * dr), 0.0);
  p.upper_bound = w > 0 ? in.spot * dq : in.strike * dr;
  const double x = -std::abs(std::log(fwd / in.strike));
  const double beta = (c - intrinsic) / std::sqrt(fwd * in.strike);
  if (!(in.price > p.lower_bound) || !(beta > 0.0)) {
    p.status = ImpliedVolStatus::kBelowLowerBound;
    return p;
  }
  if (!(in.price < p.upper_bound) || !(beta < std::exp(0.5 * x))) {
    p.status = ImpliedVolStatus::kAboveUpperBound;
    return p;
  }
  const double sqrt_t = std::sqrt(in.years);
  vol = solve_total_vol(x, beta, vol_start * sqrt_t) / sqrt_t;
  return p;
}

std::string explain(const ImpliedVolInputs& in, const Prepared& p) {
  switch (p.status) {
    case ImpliedVolStatus::kOk:
      return {};
    case ImpliedVolStatus::kInvalidInput:
      if (!std::isfinite(in.price) || in.price < 0.0) {
        return "price must be a finite number >= 0, got " + detail::num(in.price);
      }
      if (!(in.spot > 0.0) || !std::isfinite(in.spot)) {
        return "spot must be a finite number > 0, got " + detail::num(in.spot);
      }
      if (!(in.strike > 0.0) || !std::isfinite(in.strike)) {
        return "strike must be a finite number > 0, got " + detail::num(in.strike);
      }
      if (!(in.years > 0.0) || !std::isfinite(in.years)) {
        return "years to expiry must be > 0 for an implied vol (no time value at or after expiry), got " +
               detail::num(in.years);
      }
      return "rate and dividend yield must be finite numbers";
    case ImpliedVolStatus::kBelowLowerBound:
      return "price " + detail::num(in.price) + " is at or below the no-arbitrage lower bound " +
             detail::num(p.lower_bound) +
             " (discounted intrinsic value of the forward): no volatility reproduces it";
    case ImpliedVolStatus::kAboveUpperBound:
      return "price " + detail::num(in.price) + " is at or above the no-arbitrage upper bound " +
             detail::num(p.upper_bound) +
             (in.right == OptionRight::kCall ? " (S e^{-qT})" : " (K e^{-rT})") +
             ": no volatility reproduces it";
    case ImpliedVolStatus::kOutsideVolRange:
      break;  // American only
  }
  return {};
}

}  // namespace

double implied_vol(const ImpliedVolInputs& in) {
  double vol;
  const Prepared p = solve(in, vol);
  if (p.status != ImpliedVolStatus::kOk) {
    throw Error::invalid_input("no implied volatility: " + explain(in, p));
  }
  return vol;
}

std::string implied_vol_problem(const ImpliedVolInputs& in) {
  double vol;
  return explain(in, solve(in, vol));
}

void implied_vol_batch(const ImpliedVolColumns& in, std::span<double> vol,
                       std::span<ImpliedVolStatus> status) {
  const std::size_t n = in.size();
  if (in.right.size() != n || in.spot.size() != n || in.strike.size() != n ||
      in.years.size() != n || in.rate.size() != n || in.div.size() != n || vol.size() != n ||
      status.size() != n) {
    throw Error::invalid_input("implied-vol columns differ in length");
  }
  // The vectorised kernel (iv_batch.h) block by block; the elements it leaves (invalid, on or
  // near a bound, short near-the-money total vols, slow convergence) go to the scalar solver
  // while the block is in cache.
  constexpr std::size_t kBlock = 512;
  const detail::KernelIsa isa = detail::best_kernel_isa();
  std::array<std::uint64_t, kBlock> slow{};
  for (std::size_t begin = 0; begin < n; begin += kBlock) {
    const std::size_t len = std::min(kBlock, n - begin);
    const detail::IvBatchIn block{in.right.data() + begin, in.price.data() + begin, in.spot.data() + begin,
                                  in.strike.data() + begin, in.years.data() + begin, in.rate.data() + begin,
                                  in.div.data() + begin};
    const std::size_t count = detail::implied_vol_kernel(isa, len, block, vol.data() + begin, slow.data());
    for (std::size_t j = 0; j < len; ++j) status[begin + j] = ImpliedVolStatus::kOk;
    if (count == 0) continue;
    for (std::size_t j = 0; j < len; ++j) {
      if (slow[j] == 0) continue;
      const std::size_t i = begin + j;
      const ImpliedVolInputs row{in.right[i], in.price[i], in.spot[i], in.strike[i],
                                 in.years[i], in.rate[i],  in.div[i]};
      status[i] = solve(row, vol[i], slow[j] == 4 ? vol[i] : 0.0).status;
    }
  }
}

void implied_vol_batch(const ImpliedVolColumns& in, std::span<double> vol) {
  std::vector<ImpliedVolStatus> status(in.size());
  implied_vol_batch(in, vol, status);
  std::vector<std::string> details;
  std::size_t bad = 0;
  for (std::size_t i = 0; i < status.size(); ++i) {
    if (status[i] == ImpliedVolStatus::kOk) continue;
    if (++bad <= 50) {
      const ImpliedVolInputs row{in.right[i], in.price[i], in.spot[i], in.strike[i],
                                 in.years[i], in.rate[i],  in.div[i]};
      details.push_back(fmt::format("option {}: {}", i, implied_vol_problem(row)));
    }
  }
  if (bad > details.size()) details.push_back(fmt::format("... and {} more", bad - details.size()));
  if (bad > 0) {
    throw Error::invalid_input(fmt::format("{} option(s) without an implied volatility", bad), details);
  }
}

}  // namespace keel::options
