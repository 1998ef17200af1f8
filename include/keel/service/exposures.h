// keel/service/exposures.h: the exposures and book-Greeks use cases (`keel exposures`,
// `keel options greeks`, and the same JSON over HTTP).
//
// Inputs per position (docs/exposures.md): spot = the underlying's last close on or before the
// as-of date; vol = the position's implied_vol, else the historical vol of the underlying's
// adjusted closes over `vol_window` trading days (shown per position as vol_source); rate and
// dividend yield from the request, or the zero rate of a curve file at each option's expiry on
// the curve model of keel/portfolio/curve.h (the ALM engine's): zero rates (continuous, act/365)
// as given, par yields (bond-equivalent, semi-annual, e.g. the Treasury file) bootstrapped;
// linear in the zero rate between pillars, flat beyond the ends. Sector from the position, else
// the sectors file, else the store's security master, else "Unknown".
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/exposures/exposures.h"
#include "keel/io/readers.h"
#include "keel/options/historical_vol.h"
#include "keel/service/book.h"

namespace keel::service {

struct BookRiskRequest {
  BookSource source;
  double rate = 0.0;               // risk-free rate, continuous decimal
  double div = 0.0;                // dividend yield of the underlyings, continuous decimal
  std::size_t vol_window = options::kDefaultVolWindow;  // trading days of historical vol
  std::optional<std::string> sectors_file;  // symbol -> sector (S&P constituents layout works)
  // Rates of options from a curve instead of `rate` (io::read_curve formats).
  std::optional<std::string> curve_file;
  io::CurveReadOptions curve;  // kind and units of a tenor,rate file; `date` defaults to the as-of
  options::AmericanEngine american_engine = options::kDefaultAmericanEngine;  // American options
};

struct PricedBook {
  Book book;
  std::string rate_source;  // "flag" or "curve FILE (zero|par, DATE)"
  exposures::ExposureOptions options;
  exposures::ExposureReport report;
};

// Loads the book (service::load_book) and values every position. Throws keel::Error as
// load_book does, and invalid_input for a bad rate, dividend yield, window or sectors file;
// positions that cannot be valued are reported per position, not thrown.
PricedBook price_book(Store* store, const BookRiskRequest& request);

// `keel exposures --by KEY`: {"gross","net","long","short","delta_adjusted":{"gross","net",...},
// "groups":[{"key","gross","net",...}], ...} as in INTERFACES.md plus notional, greeks,
// positions, errors and warnings.
nlohmann::json exposures_json(const PricedBook& priced, exposures::GroupBy by);

// `keel options greeks`: per-position price and Greeks with their inputs, and book totals.
nlohmann::json option_greeks_json(const PricedBook& priced);

}  // namespace keel::service
