// keel/marketdata/validate.h: checks on fetched bars before they are stored, and adjusted closes.
//
// validate_series returns errors (the fetch is refused, nothing stored: the all-or-nothing rule
// of file imports) and flags (stored, but reported):
//   errors  OHLC sanity: prices > 0, high >= max(open, close), low <= min(open, close), low <= high;
//           volume >= 0; a date given twice.
//   flags   gap: an exchange business day (QuantLib's calendar, UnitedStates(NYSE) by default)
//           between the first and last bar without a bar;
//           jump: a close-to-close log return r with |r - median| > jump_mads x 1.4826 x MAD and
//           |r| > jump_min_log, unless a split on that day explains it (|r + ln ratio| is then
//           ordinary); a raw split-sized jump with no split on record is flagged too;
//           adjustment: the provider's adjusted close moves against its close other than the
//           stored dividends and splits imply (relative tolerance adj_tolerance).
// adjusted_closes computes adjusted closes the CRSP / Yahoo way: walking back from the newest
// bar, each dividend D with ex-date t multiplies every earlier close by (1 - D / close[t-1]) and
// each split of ratio R divides them by R (when closes are raw).
//
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "keel/marketdata/provider.h"

namespace keel::marketdata {

struct ValidationOptions {
  double jump_mads = 10.0;       // robust z-score of a daily log return that counts as a jump
  double jump_min_log = 0.15;    // ...and at least this absolute log return (about 16%)
  double adj_tolerance = 5e-4;   // relative, adjusted-close consistency (providers round to 1e-6)
  std::string calendar = "NYSE"; // NYSE, NASDAQ (same holidays), or "none" to skip gap checks
};

struct Finding {
  std::string symbol;
  std::string date;  // YYYY-MM-DD, empty when the finding is about the whole series
  std::string kind;  // ohlc, volume, price, duplicate, gap, jump, adjustment
  std::string message;
};

struct ValidationReport {
  std::vector<Finding> errors;  // refuse the fetch
  std::vector<Finding> flags;   // store, but report
  std::size_t splits_explaining_jumps = 0;
};

// Checks `s` (dates ascending, as parsed) against `actions` (stored plus those in the response).
ValidationReport validate_series(const PriceSeries& s, std::span<const CorporateAction> actions,
                                 const ValidationOptions& options = {});

// Adjusted closes for `close` on `dates` (ascending) from the actions of that symbol; actions
// after the last date are ignored (they apply once their day's bar is stored). When
// `close_split_adjusted`, splits are already in the closes and only dividends are applied.
std::vector<double> adjusted_closes(std::span<const Date> dates, std::span<const double> close,
                                    std::span<const CorporateAction> actions, bool close_split_adjusted);

// Business days of the named calendar in from..to (NYSE holidays from QuantLib).
std::vector<Date> exchange_business_days(Date from, Date to, const std::string& calendar = "NYSE");

// The checks of a fetched security-master record, one problem per field, each naming the field:
// symbol equal to `requested` (case-insensitive), name non-empty, currency a 3-letter upper-case
// code when given, market_cap finite and >= 0 when given, asset_type one of the normalised kinds.
// Empty: the record may be stored.
std::vector<std::string> validate_profile(const SymbolInfo& info, const std::string& requested);

// A provider's instrument type as keel names it: equity, etf, fund, adr, index, crypto, currency,
// future, option or other. Yahoo's quoteType (EQUITY, ETF, MUTUALFUND, INDEX, CRYPTOCURRENCY,
// CURRENCY, FUTURE, OPTION) and Polygon's type codes (CS, ETF, ETN, ADRC, FUND, INDEX, ...) map;
// an unknown non-empty code is "other", an empty one stays empty.
std::string normalise_asset_type(const std::string& code);

}  // namespace keel::marketdata
