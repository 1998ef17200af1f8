// keel/ledger/networth.h: net worth history from dated values (snapshots or a replay), with the
// change and growth rate per step and per calendar month, quarter and year.
//
// Net worth here is what an investor owns at a date (securities at market + cash), so its growth
// includes contributions and withdrawals: it answers "how much richer am I", not "how well did the
// investments do" (that is the time-weighted return of keel/ledger/performance.h).
//
// Conventions (the same as PeriodGrowth in performance.h):
//  - A period ('2024-03', '2024-Q1', '2024') ends at its last point and starts at the last point
//    before it (so consecutive periods chain); the first point only starts the first period.
//  - change = end_value - start_value (exact, currency units); growth = end_value / start_value - 1
//    (a decimal fraction, 0.05 = 5%), absent when start_value is not positive.
//  - annualized growth over the whole history = (end / start)^(365 / calendar days) - 1, absent when
//    the start is not positive or the history spans no day.
//
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/ledger/decimal.h"

namespace keel::ledger {

struct NetWorthPoint {
  Date date;
  Decimal net_worth;  // currency units
};

struct NetWorthChange {
  std::string period;      // "2024-03", "2024-Q1", "2024"; empty for a step between two points
  Date start;
  Date end;
  Decimal start_value;
  Decimal end_value;
  Decimal change;                 // end_value - start_value
  std::optional<double> growth;   // end_value / start_value - 1
};

struct NetWorthHistory {
  std::vector<NetWorthChange> steps;  // one per point after the first, from the point before it
  std::vector<NetWorthChange> monthly, quarterly, annual;
  std::optional<NetWorthChange> total;         // first point to last (absent without points)
  std::optional<double> annualized_growth;
};

// `points` in strictly increasing date order. Throws keel::Error(invalid_input) naming the first
// date out of order or repeated. No points give an empty history.
NetWorthHistory net_worth_history(std::span<const NetWorthPoint> points);

}  // namespace keel::ledger
