// Private: the rate each option of a book is valued with (docs/exposures.md "Rates"), shared by
// the exposures and Greeks (price_book) and every risk computation (load_risk_inputs).
//
// `rate_curve` (a request field of every book valuation, valuation_fields in keel/service/risk.h):
//   - "auto" (the default): for each option, the store's curve in the option's currency dated on
//     or before the as-of date (the latest; undated curves after every dated one), read at the
//     option's expiry (zero rates, continuous act/365; par curves bootstrapped, as the ALM engine
//     does); an option whose currency has none falls back to the flat `rate` and the source says so;
//   - "none": the flat `rate` for every option;
//   - a stored curve's name: that curve (its latest date on or before the as-of) for every option.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/book.h"
#include "keel/service/context.h"

namespace keel::service::detail {

// The row of the last value of column `col` of `h` that is not missing; nullopt when none is.
std::optional<std::size_t> last_priced_row(const PriceHistory& h, std::size_t col);

// What the store gives a book's options (the two rules above), read once for every valuation of
// the book (price_book, load_risk_inputs): the positions' dividend yields are set, the rates
// returned.
struct OptionRates {
  std::vector<double> rate;  // per position: the rate read off a curve; NaN: the flat rate (empty: all flat)
  std::string source;        // "flag", "stored curve UST (2017-12-05)", or with " ... else flag (...)"
  std::string div_source = "flag";  // "flag" or "stored dividends (12 months) of AAPL, MSFT"
  std::vector<std::string> warnings;
  bool any_from_curve() const;
};

// Both rules on `book` (rate_curve "none" leaves every rate flat, e.g. for a curve file).
// Throws as stored_option_rates.
OptionRates stored_option_inputs(const Context& cx, Book& book, const std::string& rate_curve, double flat_rate);

// Options without their own dividend_yield get one from the store's cash dividends of their
// underlying with ex-dates in the year to the as-of date (365 days, the as-of date included), each
// brought to today's share basis by the splits after its ex-date: D = the sum, S = the
// underlying's last close on or before the as-of date, q = ln(1 + D / S) (the continuous yield
// that pays D over a year on S). Sets the positions' dividend_yield; returns where the yields came
// from: "flag" (none stored), or "stored dividends (12 months) of AAPL, MSFT".
std::string stored_dividend_yields(const Context& cx, Book& book);

// Throws keel::Error: not_found for a named curve the store does not have (on or before the as-of
// date); usage for a named curve without a store; invalid_input for a stored curve that cannot be
// made a zero curve (naming it).
OptionRates stored_option_rates(const Context& cx, const Book& book, const std::string& rate_curve, double flat_rate);

}  // namespace keel::service::detail
