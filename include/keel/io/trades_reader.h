// keel/io/trades_reader.h: proposed trades for a what-if analysis (`keel whatif --trades FILE`,
// POST /api/v1/sessions/{id}/trades), docs/formats.md "Trades".
//
// A trades file is a positions file whose quantity is a signed change (+ buy, - sell) plus an
// optional `price` column: `symbol,quantity` required; optional `price` and the positions' columns
// (type, underlying, strike, expiry, option_type, exercise, multiplier, implied_vol, sector, tags,
// strategy, currency) that describe an instrument the book does not hold yet. OCC option symbols
// fill the option columns, exactly as in a positions file (the same row parser validates both).
// Like every reader it records every problem as file:line:column and returns only good rows; the
// caller throws with Diagnostics::throw_if_errors so nothing is half-read.
//
// Thread-safety: stateless functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/diagnostics.h"
#include "keel/core/env.h"
#include "keel/io/csv.h"
#include "keel/portfolio/position.h"

namespace keel::io {

struct Trade {
  // symbol, quantity = the signed change in shares or contracts, and (for an instrument not yet
  // held) its terms and classification. entry_price/entry_date are not read from a trades file.
  Position position;
  // Execution price per unit of the instrument's quote (a share price; an option premium per
  // share, paid x multiplier per contract). Absent: the last close (or the option's model value)
  // on the as-of date is used for the cash impact.
  std::optional<double> price;
  std::string origin;  // "file:line" (or "body.json:line") for messages; may be empty
};

// Reads every row; bad rows go to `diags` (at their cell) and are left out. A file with a header and
// no rows is an error. Problems checked beyond the positions rules: price must be a positive number.
std::vector<Trade> read_trades(CsvReader& csv, Diagnostics& diags);

// Reads an uploaded `text` reported under `name`, or without one the trades file `name` opened
// through `files` (none by default: the request field "trades"), and throws keel::Error:
// invalid_input with every problem, forbidden when `files` refuses paths, not_found for a missing
// file. Warnings go to `warnings`.
std::vector<Trade> read_trades_file(const std::string& name, const std::optional<std::string>& text,
                                    std::vector<std::string>* warnings = nullptr,
                                    const Files& files = no_files());

}  // namespace keel::io
