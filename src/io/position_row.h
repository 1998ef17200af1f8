// src/io/position_row.h (private): one row of a positions-like CSV (positions files, what-if trades
// files) into a Position, shared by read_positions and read_trades so both validate the same way.
#pragma once

#include <optional>
#include <string_view>

#include "keel/io/csv.h"
#include "keel/portfolio/position.h"

namespace keel::io::detail {

// Column indexes of the positions columns of docs/formats.md in one file (-1 = absent).
struct PositionColumns {
  explicit PositionColumns(const CsvColumns& cols);
  int symbol, quantity, entry_price, entry_date, type, underlying, strike, expiry, option_type, multiplier,
      implied_vol, sector, tags, strategy, currency, exercise, dividend_yield;
};

// Parses one row: ticker or OCC symbol (which fills the option columns and must agree with them),
// signed quantity, type, option terms, multiplier (100 for options unless given), implied vol,
// classification. Every problem is recorded at its cell in `diags`; a zero quantity is a warning
// "quantity is zero: <zero_quantity_note>". Returns the position only when the row had no error.
std::optional<Position> parse_position_row(const CsvCells& cells, const CsvRecord& r, const PositionColumns& c,
                                           Diagnostics& diags, std::string_view zero_quantity_note);

}  // namespace keel::io::detail
