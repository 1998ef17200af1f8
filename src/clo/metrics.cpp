// IRR by bisection and weighted average life (keel/clo/metrics.h).
#include "keel/clo/metrics.h"

#include <cmath>
#include <cstddef>
#include <limits>

namespace keel::clo {
namespace {

double npv(std::span<const double> cf, std::span<const double> t, double y, double price) {
  const double log1y = std::log1p(y);
  double v = -price;
  for (std::size_t i = 0; i < cf.size(); ++i) {
    if (cf[i] != 0.0) v += cf[i] * std::exp(-log1y * t[i]);
  }
  return v;
}

}  // namespace

double irr(std::span<const double> cash_flows, std::span<const double> times_years,
           double price_amount) {
  bool any = false;
  for (double c : cash_flows) any = any || c != 0.0;
  if (!any) return -1.0;
  double lo = -1.0 + 1e-12;
  double hi = 100.0;
  double f_lo = npv(cash_flows, times_years, lo, price_amount);
  double f_hi = npv(cash_flows, times_years, hi, price_amount);
  if (!std::isfinite(f_lo) || !std::isfinite(f_hi) || (f_lo > 0) == (f_hi > 0)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  // Safeguarded Newton: a Newton step from the current point when it stays inside the bracket,
  // a bisection otherwise; the bracket shrinks every iteration, so this always converges.
  double y = 0.05;
  if (!(y > lo && y < hi)) y = 0.5 * (lo + hi);
  for (int it = 0; it < 200; ++it) {
    const double log1y = std::log1p(y);
    double f = -price_amount, df = 0.0;
    for (std::size_t i = 0; i < cash_flows.size(); ++i) {
      if (cash_flows[i] == 0.0) continue;
      const double v = cash_flows[i] * std::exp(-log1y * times_years[i]);
      f += v;
      df -= times_years[i] * v / (1.0 + y);
    }
    if (f == 0.0) return y;
    if ((f > 0) == (f_lo > 0)) {
      lo = y;
      f_lo = f;
    } else {
      hi = y;
    }
    double next = df != 0.0 ? y - f / df : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - y) < 1e-13 * (1.0 + std::fabs(y)) || hi - lo < 1e-13) return next;
    y = next;
  }
  return y;
}

double weighted_average_life(std::span<const double> principal, std::span<const double> times_years) {
  double num = 0.0;
  double den = 0.0;
  for (std::size_t i = 0; i < principal.size(); ++i) {
    num += principal[i] * times_years[i];
    den += principal[i];
  }
  return den > 0.0 ? num / den : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace keel::clo
