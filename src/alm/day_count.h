// src/alm/day_count.h (private): accrual year fractions on day serials, inlined for the kernel.
// Same results as QuantLib's Actual365Fixed, Actual360, Thirty360(BondBasis) and
// ActualActual(ISDA) (checked against QuantLib in tests/alm/schedule_test.cpp).
#pragma once

#include <cstdint>

#include "civil.h"
#include "keel/alm/balance_sheet.h"
#include "keel/core/day_count.h"

namespace keel::alm::detail {

inline double act_act_isda(std::int32_t a, std::int32_t b, const DateTable& dates) {
  if (a == b) return 0.0;
  if (a > b) return -act_act_isda(b, a, dates);
  const int ya = dates.get(a).y;
  const int yb = dates.get(b).y;
  if (ya == yb) return (b - a) / (leap(ya) ? 366.0 : 365.0);
  double sum = (serial_from_ymd(ya + 1, 1, 1) - a) / (leap(ya) ? 366.0 : 365.0);
  sum += yb - ya - 1;
  sum += (b - serial_from_ymd(yb, 1, 1)) / (leap(yb) ? 366.0 : 365.0);
  return sum;
}

// keel::thirty_360_bond (keel/core/day_count.h) on the kernel's date table.
inline double thirty_360_bond(std::int32_t a, std::int32_t b, const DateTable& dates) {
  return keel::thirty_360_bond(dates.get(a), dates.get(b));
}

inline double year_fraction(DayCount dc, std::int32_t a, std::int32_t b, const DateTable& dates) {
  switch (dc) {
    case DayCount::kAct365F: return (b - a) / 365.0;
    case DayCount::kAct360: return (b - a) / 360.0;
    case DayCount::kThirty360: return thirty_360_bond(a, b, dates);
    case DayCount::kActActIsda: return act_act_isda(a, b, dates);
  }
  return (b - a) / 365.0;
}

}  // namespace keel::alm::detail
