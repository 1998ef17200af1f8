#include "keel/portfolio/curve.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "keel/core/error.h"

namespace keel {
namespace {

// Par yield at t years: linear in maturity between quotes, flat outside.
double par_at(const std::vector<CurvePoint>& pts, double t) {
  if (t <= pts.front().years) return pts.front().rate;
  if (t >= pts.back().years) return pts.back().rate;
  auto hi = std::upper_bound(pts.begin(), pts.end(), t,
                             [](double x, const CurvePoint& p) { return x < p.years; });
  auto lo = hi - 1;
  const double w = (t - lo->years) / (hi->years - lo->years);
  return lo->rate + w * (hi->rate - lo->rate);
}

void check_points(const CurveData& curve) {
  std::vector<std::string> problems;
  if (curve.points.empty()) problems.push_back("the curve has no points");
  for (std::size_t i = 0; i < curve.points.size(); ++i) {
    const CurvePoint& p = curve.points[i];
    if (!(p.years > 0.0)) problems.push_back("tenor " + p.tenor + ": maturity must be > 0 years");
    if (!std::isfinite(p.rate) || std::fabs(p.rate) > 1.0)
      problems.push_back(
          fmt::format("tenor {}: rate {:f} is not a decimal rate between -100% and 100%", p.tenor, p.rate));
    if (i > 0 && !(p.years > curve.points[i - 1].years))
      problems.push_back("tenor " + p.tenor + ": tenors must be strictly ascending (after " +
                         curve.points[i - 1].tenor + ")");
  }
  if (!problems.empty()) {
    throw Error::invalid_input("curve " + (curve.name.empty() ? std::string("<unnamed>") : curve.name) +
                                   " is not usable",
                               problems);
  }
}

}  // namespace

ZeroCurve::ZeroCurve(std::vector<double> years, std::vector<double> zero_rates)
    : years_(std::move(years)), rates_(std::move(zero_rates)) {
  if (years_.empty() || years_.size() != rates_.size())
    throw Error::invalid_input("zero curve: need as many rates as maturities, at least one");
  for (std::size_t i = 0; i < years_.size(); ++i) {
    if (!(years_[i] > 0.0) || (i > 0 && !(years_[i] > years_[i - 1])) || !std::isfinite(rates_[i]))
      throw Error::invalid_input("zero curve: maturities must be > 0 and strictly ascending, rates finite");
  }
}

double ZeroCurve::zero(double t) const {
  if (years_.empty()) return 0.0;
  if (t <= years_.front()) return rates_.front();
  if (t >= years_.back()) return rates_.back();
  const std::size_t hi =
      static_cast<std::size_t>(std::upper_bound(years_.begin(), years_.end(), t) - years_.begin());
  const std::size_t lo = hi - 1;
  const double w = (t - years_[lo]) / (years_[hi] - years_[lo]);
  return rates_[lo] + w * (rates_[hi] - rates_[lo]);
}

double ZeroCurve::discount(double t) const { return std::exp(-zero(t) * t); }

ZeroCurve bootstrap_par(const CurveData& curve) {
  check_points(curve);
  const auto& pts = curve.points;
  std::vector<double> years;
  std::vector<double> zeros;
  // Bills: no coupon before maturity, bond-equivalent yield.
  for (const CurvePoint& p : pts) {
    if (p.years < 0.5 - 1e-9) {
      const double df = std::pow(1.0 + p.rate / 2.0, -2.0 * p.years);
      years.push_back(p.years);
      zeros.push_back(-std::log(df) / p.years);
    }
  }
  // Semi-annual coupon grid: the par bond of each grid maturity prices at 1.
  const double last = pts.back().years;
  const int n_grid = static_cast<int>(std::floor(last * 2.0 + 1e-9));
  double annuity = 0.0;  // sum of DF(T_k), k < n
  for (int n = 1; n <= n_grid; ++n) {
    const double t = n / 2.0;
    const double y = par_at(pts, t);
    const double df = (1.0 - y / 2.0 * annuity) / (1.0 + y / 2.0);
    if (!(df > 0.0)) {
      throw Error::invalid_input(
          fmt::format("curve {}: par bootstrap gives a non-positive discount factor at {:f} years; check the "
                      "par yields near that tenor",
                      curve.name, t));
    }
    annuity += df;
    years.push_back(t);
    zeros.push_back(-std::log(df) / t);
  }
  // A last quote beyond the grid (maturity not a multiple of 6 months): coupons at T - k/2,
  // discounted on the curve built so far, solve the par condition for DF(T).
  if (last > n_grid / 2.0 + 1e-9 && last > 0.5) {
    const ZeroCurve partial(years, zeros);
    const double y = pts.back().rate;
    double sum = 0.0;
    for (double t = last - 0.5; t > 1e-9; t -= 0.5) sum += partial.discount(t);
    const double df = (1.0 - y / 2.0 * sum) / (1.0 + y / 2.0);
    if (!(df > 0.0)) throw Error::invalid_input("curve " + curve.name + ": par bootstrap failed at the last tenor");
    years.push_back(last);
    zeros.push_back(-std::log(df) / last);
  }
  return ZeroCurve(std::move(years), std::move(zeros));
}

ZeroCurve to_zero_curve(const CurveData& curve) {
  if (curve.kind == CurveKind::kPar) return bootstrap_par(curve);
  check_points(curve);
  std::vector<double> years;
  std::vector<double> zeros;
  for (const CurvePoint& p : curve.points) {
    years.push_back(p.years);
    zeros.push_back(p.rate);
  }
  return ZeroCurve(std::move(years), std::move(zeros));
}

}  // namespace keel
