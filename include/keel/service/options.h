// keel/service/options.h: `keel options price` — one option's price and Greeks, or its implied
// volatility from a price (docs/options.md), shared by the CLI and POST /api/v1/options/price.
// The request and the result are described structs (keel/service/spec.h): the CLI flags, the HTTP
// body, the JSON output and the OpenAPI schemas come from their `fields`.
//
// Thread-safety: pure apart from reading the Context's clock (the default valuation date).
#pragma once

#include <optional>
#include <string>

#include "keel/core/date.h"
#include "keel/options/american.h"
#include "keel/portfolio/position.h"
#include "keel/service/context.h"
#include "keel/service/risk.h"
#include "keel/service/spec.h"

namespace keel::service {

inline constexpr spec::Choice<OptionRight> kOptionRightNames[] = {{OptionRight::kCall, "call"},
                                                                  {OptionRight::kPut, "put"}};
inline constexpr spec::Choice<ExerciseStyle> kExerciseStyleNames[] = {{ExerciseStyle::kEuropean, "european"},
                                                                      {ExerciseStyle::kAmerican, "american"}};

struct OptionPriceRequest {
  OptionRight right = OptionRight::kCall;
  double spot = 0.0;             // price of the underlying
  double strike = 0.0;
  std::optional<double> years;   // time to expiry, act/365, or
  std::optional<Date> expiry;    // an expiry date with
  std::optional<Date> as_of;     // the valuation date (default: today, from the Context's clock)
  std::optional<double> vol;     // annualised decimal; required unless implied_vol
  double rate = 0.0;             // continuous decimal
  double div = 0.0;              // continuous decimal
  ExerciseStyle exercise = ExerciseStyle::kEuropean;
  options::AmericanEngine american_engine = options::kDefaultAmericanEngine;  // American exercise
  bool implied_vol = false;      // solve for the vol that reproduces `price`
  std::optional<double> price;   // the option price to invert

  // Exactly one of them: the schema's oneOf (spec::SchemaWriter), as the use case checks it.
  static constexpr const char* kOneOf[] = {"years", "expiry"};
  static constexpr const char* kSchemaName = "OptionPriceRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One option's value and Greeks (docs/options.md gives the units).
struct OptionPriceResult {
  double price = 0.0;
  double delta = 0.0;
  double gamma = 0.0;
  double vega = 0.0;
  double theta = 0.0;
  double rho = 0.0;
  spec::Nullable<double> implied_vol;  // null unless asked for
  double years = 0.0;
  double vol = 0.0;
  std::string model;
  double theta_per_day = 0.0;
  double vega_per_point = 0.0;
  double rho_per_point = 0.0;

  static constexpr const char* kSchemaName = "OptionPriceResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel options price` and POST /api/v1/options/price. Greeks are at the implied vol when
// implied_vol is asked for. Throws keel::Error: usage for a missing/contradictory argument,
// invalid_input for bad values and prices outside the no-arbitrage bounds.
OptionPriceResult price_option(const Context& cx, const OptionPriceRequest& request);

}  // namespace keel::service
