// keel/clo/metrics.h: yield and life measures of a stream of dated cash flows.
//
// Thread-safety: pure functions.
#pragma once

#include <span>

namespace keel::clo {

// Annual internal rate of return y (act/365, annual compounding) solving
//   sum_t cf_t / (1 + y)^(t_years) = price_amount,
// where price_amount > 0 is paid at time 0 and cf_t received at times_years[t] >= 0.
// Found by bracketing on (-1 + 1e-12, 100) and safeguarded Newton steps (bisection when a step
// leaves the bracket) to a relative 1e-13. Returns -1 when every cash flow
// is zero (total loss) and NaN when there is no root in the bracket.
double irr(std::span<const double> cash_flows, std::span<const double> times_years,
           double price_amount);

// Weighted average life in years: sum(p_t * t) / sum(p_t) over principal payments p_t; NaN when
// no principal is paid.
double weighted_average_life(std::span<const double> principal, std::span<const double> times_years);

}  // namespace keel::clo
