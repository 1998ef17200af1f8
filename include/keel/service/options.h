// keel/service/options.h: `keel options price` — one option's price and Greeks, or its implied
// volatility from a price (docs/cli.md), shared by the CLI and the HTTP API.
//
// Thread-safety: pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "keel/core/date.h"
#include "keel/options/american.h"
#include "keel/portfolio/position.h"

namespace keel::service {

struct OptionPriceRequest {
  OptionRight right = OptionRight::kCall;
  double spot = 0.0;
  double strike = 0.0;
  std::optional<double> years;   // time to expiry, or
  std::optional<Date> expiry;    // an expiry date with
  std::optional<Date> as_of;     // the valuation date (required with expiry)
  std::optional<double> vol;     // annualised decimal; required unless implied_vol
  double rate = 0.0;
  double div = 0.0;
  ExerciseStyle exercise = ExerciseStyle::kEuropean;
  options::AmericanEngine american_engine = options::kDefaultAmericanEngine;  // American exercise
  bool implied_vol = false;      // solve for the vol that reproduces `price`
  std::optional<double> price;   // the option price to invert
};

// {"price","delta","gamma","vega","theta","rho","implied_vol"} (implied_vol null unless asked
// for; then the Greeks are at the implied vol) plus "years", "vol", "model", "theta_per_day",
// "vega_per_point", "rho_per_point". Throws keel::Error: usage for a missing/contradictory
// argument, invalid_input for bad values and prices outside the no-arbitrage bounds.
nlohmann::json price_option(const OptionPriceRequest& request);

}  // namespace keel::service
