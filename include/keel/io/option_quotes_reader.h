// keel/io/option_quotes_reader.h: a CSV of option quotes, for implied volatilities (`keel options
// iv`, docs/formats.md "Option quotes").
//
// Columns (header names case-insensitive): `spot` and `price` required; the contract as
// `option_type` (call|put), `strike` and `expiry` (YYYY-MM-DD) or `years` (act/365), or an OCC
// `symbol` that fills whichever of those three are absent (cells given beside it must agree with
// it); optional `exercise` (european|american), `rate`, `dividend_yield` (continuous decimals), and
// `symbol` as a free label otherwise (a ticker or any text, carried to the output). Every bad cell
// is an error at file:line:column saying what was expected; the reader goes on with the next row,
// so one pass names them all.
//
// Thread-safety: pure over its arguments.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/core/diagnostics.h"
#include "keel/io/csv.h"
#include "keel/portfolio/occ_symbol.h"
#include "keel/portfolio/position.h"

namespace keel::io {

struct OptionQuote {
  std::size_t line = 0;  // 1-based line of the row
  std::string symbol;    // as given (may be empty)
  OptionRight right = OptionRight::kCall;
  std::optional<ExerciseStyle> exercise;  // empty: the command's default
  double spot = 0.0;
  double strike = 0.0;
  double price = 0.0;
  std::optional<double> years;  // exactly one of years and expiry
  std::optional<Date> expiry;
  std::size_t expiry_column = 0;  // 1-based column the expiry came from (expiry or symbol)
  std::optional<double> rate;  // empty: the command's default
  std::optional<double> div;
};

std::vector<OptionQuote> read_option_quotes(CsvReader& csv, Diagnostics& diags);

}  // namespace keel::io
