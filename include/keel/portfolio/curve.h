// keel/portfolio/curve.h: the one yield-curve model of keel: a quoted curve (keel::CurveData,
// zero or par) turned into continuously compounded zero rates. The ALM engine discounts and
// projects on it; option pricing (exposures, Greeks, VaR) reads each option's rate from it at the
// option's expiry. Every face that takes a curve therefore gives the same rate for the same curve.
//
// A ZeroCurve holds pillars (years, continuously compounded act/365 zero rate). Between pillars
// the zero rate is interpolated linearly in time; before the first pillar it is flat (the first
// pillar's rate); after the last pillar it is flat too, but the engine refuses a balance sheet
// whose cash flows go further than `last_years() + AlmOptions::max_extrapolation_years`.
//
// Par curves (keel::CurveData with kind kPar, bond-equivalent semi-annual par yields such as the
// US Treasury par yield curve) are bootstrapped to zero rates by `bootstrap_par`:
//   1. par yields are interpolated linearly in maturity onto the semi-annual coupon grid
//      0.5, 1.0, 1.5, ... up to the last quoted maturity (flat before the first quote);
//   2. a quoted maturity T <= 0.5 has no coupon before maturity: DF(T) = (1 + y/2)^(-2T)
//      (bond-equivalent yield of a bill);
//   3. for grid maturities T_n = n/2, the par bond prices at 1:
//      DF(T_n) = (1 - y_n/2 * sum_{k<n} DF(T_k)) / (1 + y_n/2);
//   4. quoted maturities between grid points take the zero rate interpolated from the grid;
//   5. zero rates z = -ln(DF)/T are the pillars (short quotes and every grid point).
// This is the standard par-curve bootstrap (Hull, "Options, Futures and Other Derivatives",
// ch. 4.5; US Treasury yield-curve methodology: par yields on semi-annual coupon dates).
//
// Thread-safety: value types; pure functions.
#pragma once

#include <vector>

#include "keel/portfolio/market_data.h"

namespace keel {

class ZeroCurve {
 public:
  ZeroCurve() = default;
  // `years` strictly ascending and > 0, `zero_rates` the same length (decimal, continuous).
  // Throws keel::Error(invalid_input) otherwise.
  ZeroCurve(std::vector<double> years, std::vector<double> zero_rates);

  // Zero rate at t years (t >= 0), linear between pillars, flat outside.
  double zero(double years) const;
  double discount(double years) const;
  double last_years() const { return years_.empty() ? 0.0 : years_.back(); }
  const std::vector<double>& years() const { return years_; }
  const std::vector<double>& zero_rates() const { return rates_; }
  bool empty() const { return years_.empty(); }

 private:
  std::vector<double> years_;
  std::vector<double> rates_;
};

// Zero curve from quoted data: kZero points are taken as they are; kPar points go through
// bootstrap_par. Throws keel::Error(invalid_input) for an empty curve, non-ascending or
// non-positive tenors, a duplicated tenor, or a par bootstrap giving a non-positive discount
// factor (naming the tenor).
ZeroCurve to_zero_curve(const CurveData& curve);
ZeroCurve bootstrap_par(const CurveData& par_curve);

}  // namespace keel
