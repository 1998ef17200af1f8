// keel/report/report_format.h: numbers for people, as the report (report.md, its charts) prints
// them: amounts with thousands separators and 2 decimals ("1,234,567.89"), fractions as percent
// with 2 decimals (0.0165 -> "1.65%"), and the bin count of the P&L histogram.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>

namespace keel::report {

// `value` with `decimals` fixed decimals and ',' between thousands: (1234567.891, 2) ->
// "1,234,567.89", (-0.004, 2) -> "0.00" (no negative zero). NaN or infinite -> "n/a".
std::string format_number(double value, int decimals);
// An amount in the portfolio currency: format_number(value, 2).
std::string format_amount(double value);
// A decimal fraction as a percentage: (0.0165, 2) -> "1.65%"; NaN -> "n/a".
std::string format_percent(double fraction, int decimals = 2);

// Bins of the P&L histogram for `count` values: ceil(sqrt(count)) clamped to [5, 40]
// (the square-root rule; Freedman & Diaconis would need the IQR and gives similar counts here).
int pnl_histogram_bins(std::size_t count);

}  // namespace keel::report
