// keel/portfolio/fx.h: foreign-exchange rates and conversion between currencies.
//
// Quote direction (docs/fx.md): a rate of the pair BASE/QUOTE is the number of units of QUOTE one
// unit of BASE buys. EUR/USD 1.08 means 1 EUR = 1.08 USD, so an amount in EUR times 1.08 is the
// amount in USD, and the same pair converts USD to EUR by dividing.
//
// Which date's rate: an amount dated D converts at the rate of D, or, when the pair has no rate
// that day (a weekend, a holiday of the publishing bank), at the latest rate before D within
// kFxMaxStaleDays calendar days. Anything older is a missing rate: an error naming the pair and
// the date, never a rate of 1.
//
// Routes: a conversion from A to B uses the pair A/B, else B/A inverted, else a cross through one
// pivot currency P (A→P then P→B, each leg direct or inverted), trying USD, then EUR, then the
// other currencies in alphabetical order. The route is chosen from the pairs the table holds
// (not per date) and reported, so a result can say "EUR→GBP via USD".
//
// Thread-safety: FxRates is immutable after construction and safe to read from many threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keel/core/date.h"

namespace keel {

// A rate older than this many calendar days is not used for a date (covers a long weekend next to
// a holiday of the publishing bank: the ECB publishes no rate on TARGET holidays).
inline constexpr int kFxMaxStaleDays = 7;

// True for a three-letter upper-case code (ISO 4217 form: USD, EUR, GBP).
bool is_currency_code(std::string_view code);

// Long-form rates as a file holds them: one entry per (date, base, quote).
struct FxRows {
  std::vector<Date> date;
  std::vector<std::string> base;
  std::vector<std::string> quote;
  std::vector<double> rate;  // units of quote per unit of base, positive and finite

  std::size_t size() const { return date.size(); }
  void add(Date d, std::string b, std::string q, double r);
};

// How one currency converts into another.
struct FxRoute {
  std::string from;
  std::string to;
  // Empty for the same currency, a direct pair or its inverse; else the pivot currency.
  std::string via;
  // Legs as stored pairs "BASE/QUOTE" with their direction: inverted legs divide.
  struct Leg {
    std::size_t pair = 0;  // index into FxRates::pairs()
    bool inverted = false;
  };
  std::vector<Leg> legs;  // 0 (same currency), 1 or 2

  // "EUR/USD", "USD/EUR (inverse of EUR/USD)", "EUR→GBP via USD": for messages and results.
  std::string describe(const class FxRates& rates) const;
};

// One conversion rate with where it came from.
struct FxQuote {
  double rate = 1.0;  // units of `to` per unit of `from`
  Date date;          // the date asked for
  Date rate_date;     // the oldest date among the rates used (== date unless a stale rate was used)
  std::string via;    // the pivot currency, or empty
};

class FxRates {
 public:
  struct Pair {
    std::string base;
    std::string quote;
    std::vector<Date> dates;    // ascending, unique
    std::vector<double> rates;  // units of quote per unit of base
  };

  FxRates() = default;
  // Validates and indexes `rows`. Throws keel::Error(invalid_input) listing every bad row: a
  // code that is not a currency code, base == quote, a rate that is not positive and finite, or
  // two rates for one date and pair (also a pair given both ways, A/B and B/A, on one date with
  // rates that are not each other's inverse to 1e-9 relative).
  explicit FxRates(const FxRows& rows);

  bool empty() const { return pairs_.empty(); }
  const std::vector<Pair>& pairs() const { return pairs_; }
  std::size_t rate_count() const;
  // Currencies that appear in any pair, sorted.
  std::vector<std::string> currencies() const;
  // The stored pair base/quote (as given, not inverted), or nullopt.
  std::optional<std::size_t> find_pair(std::string_view base, std::string_view quote) const;

  // The route from `from` to `to` (see the file comment), or nullopt when none exists.
  std::optional<FxRoute> route(std::string_view from, std::string_view to) const;

  // The rate converting `from` into `to` on `date`, or nullopt when a leg has no rate on or within
  // kFxMaxStaleDays before `date` (or there is no route).
  std::optional<FxQuote> find(std::string_view from, std::string_view to, Date date) const;
  // As find(), but throws keel::Error(invalid_input) "no FX rate for EUR/USD on or up to 7 days
  // before 2024-05-01 (latest: 2024-04-10)" when it is missing.
  FxQuote rate(std::string_view from, std::string_view to, Date date) const;

  // The rate of `route` on every date of `dates` (any order), by the same rule. Throws
  // keel::Error(invalid_input) as rate() does for the first date without a rate.
  std::vector<double> series(const FxRoute& route, std::span<const Date> dates) const;

 private:
  // Rate of one stored pair on `date` by the staleness rule, with the date it was published.
  std::optional<std::pair<double, Date>> pair_rate(std::size_t pair, Date date) const;
  std::optional<FxQuote> quote(const FxRoute& route, Date date) const;
  [[noreturn]] void missing(const FxRoute& route, Date date) const;

  std::vector<Pair> pairs_;
  std::map<std::pair<std::string, std::string>, std::size_t, std::less<>> index_;
};

}  // namespace keel
