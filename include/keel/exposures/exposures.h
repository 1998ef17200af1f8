// keel/exposures/exposures.h: market value, notional and delta-adjusted exposure of a book, its
// aggregates (gross, net, long, short; by type, sector, tag, strategy or underlying) and the
// book's Greeks in money terms.
//
// Definitions (docs/exposures.md), per position with quantity q (negative = short), multiplier m
// (shares per unit; 100 for US listed options), spot S of the underlying (last close on the as-of
// date) and, for options, the model price V and Greeks per share from keel::options:
//   market value      = q m P        P = S for stocks/ETFs/other, V for options
//   notional          = q m S        (options: the underlying controlled)
//   delta-adjusted    = q m S delta  (delta = 1 for stocks/ETFs/other)
//   dollar delta      = delta-adjusted exposure
//   dollar gamma (1%) = q m gamma S^2 / 100   (change of dollar delta for a 1% rise of S)
//   vega (vol point)  = q m vega / 100         (value change for +1 vol point)
//   theta (per day)   = q m theta / 365        (value change per calendar day)
// Book level: gross = sum |x|, net = sum x, long = sum of x > 0, short = sum of x < 0 (a negative
// number), for x = market value; delta_adjusted the same on delta-adjusted exposure; notional
// the same on notional. Cash positions count at face value (S = 1).
//
// Options: European exercise uses Black-Scholes-Merton (all European options of the book in one
// call of the batch kernel, options::bsm_greeks_batch), American by ExposureOptions::american_engine
// (ALO by default, or Barone-Adesi-Whaley) one by one (flagged in `model`). Vol: the position's implied_vol, else the underlying's
// historical vol supplied by the caller (MarketInputs::historical_vol); the choice is recorded in
// `vol_source`. Dividend yield: the position's dividend_yield, else ExposureOptions::div (recorded
// in `div`). A position that cannot be valued (no spot, expired option, no vol) is kept in the
// output with `error` set and left out of every total: one bad position never hides the rest.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/options/american.h"
#include "keel/portfolio/position.h"

namespace keel::exposures {

enum class GroupBy { kType, kSector, kTag, kStrategy, kUnderlying, kCurrency, kCountry, kRegion };
// "type", "sector", "tag", "strategy", "underlying", "currency"; parse is case-insensitive.
std::string_view group_by_name(GroupBy g);
std::optional<GroupBy> parse_group_by(std::string_view text);

enum class VolSource { kNone, kImplied, kHistorical };
std::string_view vol_source_name(VolSource v);  // "none", "implied", "historical"

// Market inputs per position, in the order of the positions (NaN = not available).
struct MarketInputs {
  std::vector<double> spot;            // last close of Position::price_symbol() at as_of
  std::vector<double> historical_vol;  // annualised decimal vol of the underlying (options only)
  // Optional per-position risk-free rate (continuous decimal, e.g. read off a zero curve at the
  // option's expiry); empty, or NaN for a position, means ExposureOptions::rate.
  std::vector<double> rate;
};

struct ExposureOptions {
  Date as_of;                 // valuation date; options expire in (expiry - as_of) / 365 years
  double rate = 0.0;          // risk-free rate, continuous decimal (0.05 = 5%)
  double div = 0.0;           // dividend yield of options without Position::dividend_yield, continuous decimal
  options::AmericanEngine american_engine = options::kDefaultAmericanEngine;  // American exercise
};

struct PositionExposure {
  std::string symbol;
  std::string underlying;     // price symbol
  InstrumentType type = InstrumentType::kStock;
  double quantity = 0.0;
  double multiplier = 1.0;
  double spot = 0.0;          // underlying's price
  double price = 0.0;         // per unit of underlying: S, or the option's model value
  double market_value = 0.0;
  double notional = 0.0;
  double delta_adjusted = 0.0;
  // Per share of underlying (options; stocks have delta 1 and zero higher Greeks).
  double delta = 0.0;
  double gamma = 0.0;
  double vega = 0.0;   // per 1.00 of vol
  double theta = 0.0;  // per year
  double rho = 0.0;    // per 1.00 of rate
  // Position-level money Greeks.
  double dollar_gamma_1pct = 0.0;
  double vega_per_point = 0.0;
  double theta_per_day = 0.0;
  double rho_per_point = 0.0;  // P&L of a one-point (0.01) rise of the rate
  // Options only.
  double years = 0.0;
  double vol = 0.0;
  VolSource vol_source = VolSource::kNone;
  double rate = 0.0;  // the rate the option was valued with
  double div = 0.0;   // the dividend yield it was valued with (its own, else ExposureOptions::div)
  std::string model;  // "bsm", "alo-fixed-point" or "baw-approximation"; empty for non-options
  std::string error;  // why the position could not be valued; empty when valued
};

struct Totals {
  double gross = 0.0;
  double net = 0.0;
  double long_ = 0.0;
  double short_ = 0.0;  // <= 0
  void add(double x);
};

struct Group {
  std::string key;
  std::size_t positions = 0;
  Totals market_value;
  Totals delta_adjusted;
  Totals notional;
};

struct BookGreeks {
  double dollar_delta = 0.0;
  double dollar_gamma_1pct = 0.0;
  double vega_per_point = 0.0;
  double theta_per_day = 0.0;
  double rho_per_point = 0.0;
};

struct ExposureReport {
  std::vector<PositionExposure> positions;  // in input order, including unvalued ones
  Totals market_value;
  Totals delta_adjusted;
  Totals notional;
  BookGreeks greeks;
  std::size_t valued = 0;
  std::size_t failed = 0;
};

// Values every position and adds up the book. Throws keel::Error(invalid_input) only when the
// market inputs differ in length from the positions or the options are not finite; per-position
// problems go to PositionExposure::error.
ExposureReport compute_exposures(std::span<const Position> positions, const MarketInputs& market,
                                 const ExposureOptions& options);

// Groups the valued positions of `report` (same order as `positions`). Keys: the type name; the
// sector ("Unknown" when empty); each tag (a position with several tags counts in each, so tag
// groups may overlap; "(none)" without tags); the strategy ("(none)" when empty); the price symbol;
// the position's currency.
// Groups are sorted by descending gross market value, then key.
std::vector<Group> group_exposures(std::span<const Position> positions, const ExposureReport& report,
                                   GroupBy by);

// Converts `report`, valued in each position's own currency, into one reporting currency: the
// money figures of each valued position (market value, notional, delta-adjusted exposure and the
// money Greeks) are multiplied by `fx[i]`, units of the reporting currency per unit of position
// i's, and the totals and book Greeks are added up again. Spot and price stay in the position's
// currency. Throws keel::Error(invalid_input) when `fx` differs in length from the positions or a
// valued position's rate is not positive and finite.
void convert_exposures(ExposureReport& report, std::span<const double> fx);

}  // namespace keel::exposures
