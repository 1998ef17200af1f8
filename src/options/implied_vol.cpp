#include "keel/options/implied_vol.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "bsm_kernel.h"
#include "format_number.h"
#include "keel/core/distributions.h"
#include "keel/core/error.h"

namespace keel::options {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kMaxIterations = 100;

// Normalised out-of-the-money call b(x, s) for x <= 0, its complement b_max - b (a sum of positive
// terms, exact where b is close to b_max) and db/ds.
struct Normalised {
  double b;
  double complement;
  double slope;
};

inline Normalised evaluate(double x, double ex, double enx, double s) {
  const double h = x / s;
  const double t = 0.5 * s;
  Normalised out;
  if (x == 0.0) {
    out.b = std::erf(t * detail::kInvSqrt2);  // N(t) - N(-t) without cancellation
    out.complement = std::erfc(t * detail::kInvSqrt2);
  } else {
    const double n2 = detail::norm_cdf(h - t);
    out.b = ex * detail::norm_cdf(h + t) - enx * n2;
    out.complement = ex * detail::norm_cdf(-(h + t)) + enx * n2;
  }
  out.slope = ex * detail::norm_pdf(h + t);
  return out;
}

// Solves b(x, s) = beta for s, with x <= 0 and 0 < beta < e^{x/2}.
double solve_total_vol(double x, double beta) {
  const double ex = std::exp(0.5 * x);
  const double enx = 1.0 / ex;
  const double s_c = std::sqrt(-2.0 * x);
  const double b_c = x == 0.0 ? 0.0 : evaluate(x, ex, enx, s_c).b;
  const bool lower = beta < b_c;
  double lo = 0.0;
  double hi = lower ? s_c : std::numeric_limits<double>::infinity();
  double s;
  const double log_beta = std::log(beta);
  const double complement_beta = ex - beta;
  const double log_complement_beta = std::log(complement_beta);
  if (lower) {
    // ln b ~ -x^2 / (2 s^2) for small s.
    s = -x / std::sqrt(-2.0 * log_beta);
    if (!(s > lo && s < hi)) s = 0.5 * s_c;
  } else {
    lo = s_c;
    // For large s, b_max - b ~ (e^{x/2} + e^{-x/2}) N(-s/2).
    const double p = complement_beta / (ex + enx);
    s = p < 0.5 ? -2.0 * normal_quantile(p) : s_c;
    if (!(s > lo)) s = s_c > 0.0 ? 2.0 * s_c : 1.0;
  }
  for (int iter = 0; iter < kMaxIterations; ++iter) {
    const Normalised e = evaluate(x, ex, enx, s);
    double f;
    double slope;
    if (lower) {
      f = std::log(e.b) - log_beta;  // -inf when b underflows: below the root
      slope = e.slope / e.b;
    } else {
      f = log_complement_beta - std::log(e.complement);
      slope = e.slope / e.complement;
    }
    if (f == 0.0) return s;
    if (f < 0.0) {
      lo = s;
    } else {
      hi = s;
    }
    double next = s - f / slope;
    if (!(next > lo && next < hi)) {
      next = std::isinf(hi) ? 2.0 * s : 0.5 * (lo + hi);
    }
    if (std::abs(next - s) <= 1e-15 * s || (hi - lo) <= 2e-16 * hi) return next;
    s = next;
  }
  return s;
}

struct Prepared {
  ImpliedVolStatus status = ImpliedVolStatus::kOk;
  double lower_bound = 0.0;  // discounted, in price units
  double upper_bound = 0.0;
};

// Checks the inputs and the bounds; on success returns the vol in `vol`.
Prepared solve(const ImpliedVolInputs& in, double& vol) {
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
  vol = solve_total_vol(x, beta) / std::sqrt(in.years);
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
  for (std::size_t i = 0; i < n; ++i) {
    const ImpliedVolInputs row{in.right[i], in.price[i], in.spot[i], in.strike[i],
                               in.years[i], in.rate[i],  in.div[i]};
    status[i] = solve(row, vol[i]).status;
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
      details.push_back("option " + std::to_string(i) + ": " + implied_vol_problem(row));
    }
  }
  if (bad > details.size()) details.push_back("... and " + std::to_string(bad - details.size()) + " more");
  if (bad > 0) {
    throw Error::invalid_input(std::to_string(bad) + " option(s) without an implied volatility", details);
  }
}

}  // namespace keel::options
