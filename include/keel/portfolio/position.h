// keel/portfolio/position.h: positions of a portfolio (stocks, ETFs, listed options).
//
// Plain data, filled by io readers or the store, consumed by the engines. Quantity is in shares
// or contracts (negative = short). Options carry their contract terms; `multiplier` is the
// number of shares per contract (100 for US listed options, 1 for stocks).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/portfolio/occ_symbol.h"

namespace keel {

enum class InstrumentType { kStock, kEtf, kOption, kCash, kOther };
enum class ExerciseStyle { kEuropean, kAmerican };

// "stock", "etf", "option", "cash", "other"; parse accepts the same, case-insensitive.
std::string_view instrument_type_name(InstrumentType t);
std::optional<InstrumentType> parse_instrument_type(std::string_view text);
std::string_view option_right_name(OptionRight r);  // "call" / "put"
std::optional<OptionRight> parse_option_right(std::string_view text);  // call/put/c/p
std::string_view exercise_style_name(ExerciseStyle e);  // "european" / "american"
std::optional<ExerciseStyle> parse_exercise_style(std::string_view text);
// How a listed option on `underlying` is exercised when its file does not say: European for the
// cash-settled index options (SPX, SPXW, XSP, NDX, NDXP, RUT, RUTW, VIX, VIXW, DJX, XEO, MXEA,
// MXEF, and any "^"-prefixed index symbol), American for everything else OCC lists (single
// stocks and ETFs, and OEX).
ExerciseStyle default_exercise_style(std::string_view underlying);

struct Position {
  std::string symbol;        // ticker, or the OCC symbol of an option
  double quantity = 0.0;     // shares or contracts; negative = short
  InstrumentType type = InstrumentType::kStock;
  std::optional<double> entry_price;
  std::optional<Date> entry_date;
  // Options only.
  std::string underlying;    // ticker of the underlying (options); empty otherwise
  std::optional<double> strike;
  std::optional<Date> expiry;
  std::optional<OptionRight> option_type;
  ExerciseStyle exercise = ExerciseStyle::kEuropean;
  double multiplier = 1.0;   // shares per unit of quantity
  std::optional<double> implied_vol;  // decimal, annualised (0.25 = 25%)
  // Continuous dividend yield of the underlying for valuing this option, decimal per year
  // (0.02 = 2%); empty = the run's default (the `--div` flag / request field `div`).
  std::optional<double> dividend_yield;
  // Classification.
  std::string sector;
  std::vector<std::string> tags;
  std::string strategy;
  std::string currency = "USD";
  std::string country;  // the issuer's, ISO 3166-1 alpha-2 (from the security master); "" unknown

  bool is_option() const { return type == InstrumentType::kOption; }
  // The symbol whose prices drive this position: the underlying for options, else the symbol.
  const std::string& price_symbol() const { return is_option() ? underlying : symbol; }
};

}  // namespace keel
