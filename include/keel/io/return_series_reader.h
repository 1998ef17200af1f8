// keel/io/return_series_reader.h: historical return series for the plan bootstrap.
//
// Two layouts are recognised:
//   * `date,return`: periodic simple returns in decimals (or percent with RateUnits::kPercent);
//   * the Fama-French factor file (`date,mkt_rf,...,rf`, percent): the market return is
//     mkt_rf + rf, divided by 100.
// The source frequency (daily, monthly, annual) is inferred from the median spacing of dates.
// to_frequency compounds returns into calendar months or years: (1 + r_1)...(1 + r_k) - 1. The
// first and last period of a finer source are dropped when the data may not cover them fully
// (a daily series starting mid-month or mid-year), so every kept period is complete.
//
// Thread-safety: stateless functions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/core/diagnostics.h"
#include "keel/io/csv.h"
#include "keel/io/readers.h"

namespace keel::io {

enum class ReturnFrequency { kDaily, kMonthly, kAnnual };

struct ReturnSeries {
  std::vector<Date> dates;      // period end (the last date seen in the period)
  std::vector<double> returns;  // simple returns, decimals
  ReturnFrequency frequency = ReturnFrequency::kDaily;
  std::string source;           // "date,return" or "fama-french mkt_rf + rf"
};

// Reads and validates; problems go to `diags` with their file:line:column. `units` applies to
// the `date,return` layout (the Fama-French layout is always percent).
ReturnSeries read_return_series(CsvReader& csv, Diagnostics& diags,
                                RateUnits units = RateUnits::kDecimal);

// Compounds into `target` periods (monthly or annual; target must not be finer than the source,
// else keel::Error(invalid_input)).
ReturnSeries to_frequency(const ReturnSeries& series, ReturnFrequency target);

// Reads `file` (opened by Files::open), throws on problems (invalid_input), and converts to
// `target`. The reader's warnings (a last line without a line ending, ...) are appended to
// `warnings` as "file:line: message" when it is given.
ReturnSeries read_return_series_file(std::unique_ptr<ByteSource> file, ReturnFrequency target,
                                     RateUnits units = RateUnits::kDecimal,
                                     std::vector<std::string>* warnings = nullptr);

}  // namespace keel::io
