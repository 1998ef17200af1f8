// keel/io/readers.h: validated readers for the foundation's input files (docs/formats.md).
//
// Each reader takes an open CsvReader (a file or an uploaded text) and a Diagnostics; it records
// every problem it finds with its place and returns what it could read. The caller decides:
// `diags.throw_if_errors(...)` before using the result, so nothing is ever half-imported.
// Column order is free; unknown columns are ignored with a warning.
//
// Thread-safety: stateless functions.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/core/diagnostics.h"
#include "keel/io/csv.h"
#include "keel/portfolio/fx.h"
#include "keel/portfolio/market_data.h"
#include "keel/portfolio/position.h"
#include "keel/portfolio/symbol_info.h"

namespace keel::io {

// Called with each chunk of valid rows as the reader goes, so that a caller can store rows while
// the rest of the file is parsed. A chunk's `symbols` is the dictionary as known so far (its
// symbol_index values index it). Rows found bad later do not retract earlier chunks: the caller
// must still check `diags` at the end (and roll back).
using PriceChunkFn = std::function<void(PriceRows chunk)>;

// Prices, long (`date,symbol,close` + optional adj_close,open,high,low,volume) or wide
// (`date,SYM1,SYM2,...`: closes; empty cells are days without a price). Checks: real dates,
// valid symbols, positive prices, non-negative volume, no duplicate (date, symbol) with different
// prices. A row repeated with the same prices (vendors re-send rows with a revised volume) is a
// warning, and the later row is kept. With `on_chunk`, valid rows are also handed out in chunks of
// about `chunk_rows` rows, in file order.
PriceRows read_prices(CsvReader& csv, Diagnostics& diags, const PriceChunkFn& on_chunk = {},
                      std::size_t chunk_rows = 65536);

// Positions: `symbol,quantity` + optional columns of docs/formats.md. An OCC symbol fills the option
// columns (and must agree with them when both are given). Options get multiplier 100 by default.
// A broker's positions download (keel/io/broker_positions.h) is read too; `broker_account`, when
// not empty, keeps the rows of that account of a download of several (an error for keel's columns).
std::vector<Position> read_positions(CsvReader& csv, Diagnostics& diags, std::string_view broker_account = {});

enum class RateUnits { kDecimal, kPercent };

// Factor returns `date,<factor>...`. With kPercent the values are divided by 100. Factor names
// are lower-cased. Empty cells are errors (a factor file must be complete).
FactorTable read_factors(CsvReader& csv, RateUnits units, Diagnostics& diags);

struct CurveReadOptions {
  CurveKind kind = CurveKind::kZero;  // how rates in a `tenor,rate` file are quoted
  RateUnits units = RateUnits::kDecimal;
  std::optional<Date> date;  // required for a wide `date,1m,3m,...` file (par, percent)
  std::string name;          // defaults to the file's stem
  std::string currency = "USD";
};

// A curve either as `tenor,rate` rows or as one date's row of the wide Treasury par-yield file
// (`date,1m,2m,...,30y`; rates in percent; empty = not published that day, skipped). The wide form
// is par yields in percent unless the options say otherwise.
CurveData read_curve(CsvReader& csv, const CurveReadOptions& options, Diagnostics& diags);

// Security master: `symbol` + `sector` (+ `name`, `industry`); the S&P constituents layout
// (`Symbol,Security,GICS Sector,GICS Sub-Industry,...`) is recognised as well.
std::vector<SymbolInfo> read_symbol_info(CsvReader& csv, Diagnostics& diags);

// The columns an FX file's rates are read from. Renaming them reads files laid out by others: the
// ECB's SDMX CSV export is date=TIME_PERIOD, base=CURRENCY_DENOM, quote=CURRENCY, rate=OBS_VALUE.
// Instead of `base` and `quote`, a file may have a `pair` column (`EUR/USD`, `EURUSD` or `EUR.USD`).
struct FxColumnNames {
  std::string date = "date";
  std::string base = "base";
  std::string quote = "quote";
  std::string rate = "rate";
  std::string pair = "pair";
};

// Applies `spec`, "date=TIME_PERIOD,rate=OBS_VALUE" (keel's name = the file's name, separated by
// commas), to `names`. Throws keel::Error(usage) naming an unknown keel name or a bad entry.
void apply_fx_column_spec(std::string_view spec, FxColumnNames& names);

// FX rates `date,base,quote,rate` (units of quote per unit of base; keel/portfolio/fx.h). Checks
// per cell: a real date, three-letter currency codes, base != quote, a positive finite rate; and
// no second rate for one (date, base, quote), naming the line of the first.
FxRows read_fx(CsvReader& csv, const FxColumnNames& names, Diagnostics& diags);

// True when `s` is a plausible ticker: 1-12 of A-Z, 0-9, '.', '-', '^', '/', '=' starting with a
// letter, digit or '^'. (OCC option symbols are checked separately.)
bool is_valid_ticker(std::string_view s);

// The one rule for a symbol keel reads (positions, trades, broker statements: IBKR Flex, OFX):
// a ticker (is_valid_ticker; a share class may be written with one space, "BRK B", as brokers'
// statements do) or an OCC option symbol (compact or padded). Returns nullopt when
// `s` is one, else the problem for a message, quoting `s` ("\"=1+1\" is not a ticker (1-12 of
// A-Z 0-9 . - ^ / =, upper case) or an OCC option symbol", or "malformed OCC option symbol ...").
// An empty `s` is a problem too ("missing value: ...").
std::optional<std::string> symbol_problem(std::string_view s);

}  // namespace keel::io
