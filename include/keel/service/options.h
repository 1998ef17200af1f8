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
  static void fields(V& v, S& s) {
    v.choice({.name = "type", .help = "Option right", .required = true}, s.right, kOptionRightNames);
    v.field({.name = "spot", .help = "Price of the underlying", .unit = "price units", .min = 0, .required = true},
            s.spot);
    v.field({.name = "strike", .help = "Strike price", .unit = "price units", .min = 0, .required = true}, s.strike);
    v.field({.name = "years", .help = "Time to expiry (or expiry)", .unit = "years, act/365", .min = 0}, s.years);
    v.field({.name = "expiry", .help = "Expiry date YYYY-MM-DD (instead of years)"}, s.expiry);
    v.field({.name = "as_of", .help = "Valuation date for expiry (default: today)"}, s.as_of);
    v.field({.name = "vol", .help = "Volatility (required unless implied_vol)", .unit = "annualised decimal, 0.2 = 20%",
             .min = 0},
            s.vol);
    v.field({.name = "rate", .help = "Risk-free rate", .unit = "continuous decimal, 0.05 = 5%", .min = -1, .max = 1},
            s.rate);
    v.field({.name = "div", .help = "Dividend yield", .unit = "continuous decimal", .min = -1, .max = 1}, s.div);
    v.choice({.name = "exercise", .help = "european (Black-Scholes-Merton) or american (priced by american_engine)"},
             s.exercise, kExerciseStyleNames);
    v.choice({.name = "american_engine",
              .help = "American exercise: alo (Andersen-Lake-Offengenden fixed point) or baw "
                      "(Barone-Adesi-Whaley approximation)"},
             s.american_engine, kAmericanEngineNames);
    v.field({.name = "implied_vol", .help = "Solve for the vol that reproduces price"}, s.implied_vol);
    v.field({.name = "price", .help = "Option price to invert (with implied_vol)", .unit = "price units", .min = 0},
            s.price);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "price", .help = "Option value", .unit = "per unit of underlying"}, s.price);
    v.field({.name = "delta", .unit = "per 1.00 of spot"}, s.delta);
    v.field({.name = "gamma", .unit = "per 1.00 of spot, squared"}, s.gamma);
    v.field({.name = "vega", .unit = "per 1.00 of vol"}, s.vega);
    v.field({.name = "theta", .unit = "per year"}, s.theta);
    v.field({.name = "rho", .unit = "per 1.00 of rate"}, s.rho);
    v.field({.name = "implied_vol", .help = "The vol that reproduces price (null unless asked for); the Greeks are "
                                            "at this vol",
             .unit = "annualised decimal"},
            s.implied_vol);
    v.field({.name = "years", .help = "Time to expiry", .unit = "years, act/365"}, s.years);
    v.field({.name = "vol", .help = "Volatility used", .unit = "annualised decimal"}, s.vol);
    v.field({.name = "model", .help = "bsm, alo-fixed-point or baw-approximation"}, s.model);
    v.field({.name = "theta_per_day", .unit = "per calendar day"}, s.theta_per_day);
    v.field({.name = "vega_per_point", .unit = "per vol point (0.01)"}, s.vega_per_point);
    v.field({.name = "rho_per_point", .unit = "per rate point (0.01)"}, s.rho_per_point);
  }
};

// `keel options price` and POST /api/v1/options/price. Greeks are at the implied vol when
// implied_vol is asked for. Throws keel::Error: usage for a missing/contradictory argument,
// invalid_input for bad values and prices outside the no-arbitrage bounds.
OptionPriceResult price_option(const Context& cx, const OptionPriceRequest& request);

}  // namespace keel::service
