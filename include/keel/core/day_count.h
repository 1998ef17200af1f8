// keel/core/day_count.h: the 30/360 bond basis day count, implemented once for every engine that
// accrues on it (ALM fixed coupons with day_count 30/360, CLO fixed-rate collateral and notes).
//
// 30/360 bond basis (US "30/360", ISDA 2006 section 4.16(f); QuantLib's Thirty360(BondBasis)):
// a start date on the 31st counts as the 30th; an end date on the 31st counts as the 30th when the
// start (after that rule) is the 30th; then
//   fraction = (360 (Y2 - Y1) + 30 (M2 - M1) + (D2 - D1)) / 360.
// Act/365 fixed is keel::year_fraction_act365 (keel/core/date.h); the ALM kernel's act/360 and
// act/act (ISDA) work on day serials in src/alm/day_count.h.
//
// Thread-safety: pure functions.
#pragma once

#include "keel/core/civil.h"
#include "keel/core/date.h"

namespace keel {

// 30/360 bond basis year fraction from `a` to `b` (negative when b is before a).
constexpr double thirty_360_bond(CivilDate a, CivilDate b) {
  const int d1 = a.d == 31 ? 30 : a.d;
  const int d2 = b.d == 31 && d1 >= 30 ? 30 : b.d;
  return (360 * (b.y - a.y) + 30 * (b.m - a.m) + (d2 - d1)) / 360.0;
}

// The same on keel::Date.
inline double year_fraction_30_360(Date from, Date to) {
  return thirty_360_bond(civil_from_days(from.serial()), civil_from_days(to.serial()));
}

}  // namespace keel
