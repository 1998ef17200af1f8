// keel/risk/returns.h: daily simple returns of a set of symbols, aligned on their common dates.
//
// Risk engines read returns as a dates x assets matrix of doubles (row-major, like PriceHistory).
// Returns are simple returns of adjusted closes, r_t = P_t / P_{t-1} - 1, taken between consecutive
// dates on which *every* requested symbol has a price; a date on which any symbol lacks a price is
// dropped for all (so a return across such a gap spans more than one trading day).
//
// With MissingPrices::kCarryForward (a proxy the user must ask for) every date of the history is
// kept instead: a missing price is carried forward from the symbol's last price, so the symbol's
// return is zero on a day without a price and on every day before its first price in the window;
// each proxied symbol is named in a warning with its count of proxied returns.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"
#include "keel/portfolio/fx.h"
#include "keel/portfolio/market_data.h"

namespace keel::risk {

// Dates x assets matrix of simple returns (decimal, 0.01 = 1%); value(t, a) = values[t * cols + a].
// dates[t] is the date at the end of return t.
struct ReturnMatrix {
  std::vector<Date> dates;
  Date start;  // the date of the prices the first return starts from
  std::vector<std::string> symbols;
  std::vector<double> values;
  std::vector<std::string> warnings;  // e.g. symbols whose missing prices were proxied

  std::size_t rows() const { return dates.size(); }
  std::size_t cols() const { return symbols.size(); }
  double at(std::size_t t, std::size_t a) const { return values[t * symbols.size() + a]; }
  std::span<const double> row(std::size_t t) const {
    return {values.data() + t * symbols.size(), symbols.size()};
  }
};

enum class MissingPrices {
  kError,         // align on the dates common to every symbol; too little history is an error
  kCarryForward,  // keep every date; a missing price is carried forward (zero return), see above
};

struct ReturnsOptions {
  // Number of returns wanted (the last `window` common-date returns up to as_of); 0 = all available.
  std::size_t window = 252;
  // Last date used; default: the last date of the history.
  std::optional<Date> as_of{};
  MissingPrices missing = MissingPrices::kError;
};

// Returns of `symbols` (in that order; duplicates are an error) from `prices` (adjusted closes).
// Throws keel::Error(invalid_input): when `symbols` is empty; naming every symbol absent from
// `prices` or with no price at all; naming every symbol with fewer than window + 1 prices up to
// as_of; when the common dates give fewer than window + 1 prices (naming the count); for a price
// that is not strictly positive inside the window (naming symbol and date). With kCarryForward
// only a symbol without any price up to as_of, or a history shorter than window + 1 dates, is an
// error.
ReturnMatrix simple_returns(const PriceHistory& prices, std::span<const std::string> symbols,
                            const ReturnsOptions& options = {});

// Compounded, overlapping h-day returns from one-day returns: for each start s = 0 .. T-h,
// R_s = prod_{j<h} (1 + r_{s+j}) - 1 (T - h + 1 rows; dates are the end dates). horizon_days >= 1.
// Throws keel::Error(invalid_input) when horizon_days < 1 or horizon_days > rows.
ReturnMatrix overlapping_returns(const ReturnMatrix& daily, int horizon_days);

// Name of the FX return column of currency `from` in a book reporting in `to`: "EUR/USD", the
// pair whose rate converts `from` into `to` (docs/fx.md quote direction).
std::string fx_asset_name(std::string_view from, std::string_view to);

// Appends one column per currency of `currencies`: the return of its rate into `reporting`,
// f_t = X_t / X_(t-1) - 1, on the dates of `returns` (X_(-1) on returns.start), each rate taken
// by the rule of docs/fx.md (that day's, else the latest within kFxMaxStaleDays before it). So the
// FX return of a scenario spans the same dates as its price returns. Throws
// keel::Error(invalid_input) naming the pair and date when a rate is missing, or when a currency
// has no route into `reporting`.
void append_fx_returns(ReturnMatrix& returns, std::span<const std::string> currencies, std::string_view reporting,
                       const FxRates& fx);

}  // namespace keel::risk
