// The descriptions of the requests and results of keel/service/options.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/options.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void OptionPriceRequest::fields(V& v, S& s) {
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
KEEL_SPEC_REQUEST_FIELDS(OptionPriceRequest)

template <class V, class S>
void OptionPriceResult::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(OptionPriceResult)

}  // namespace keel::service
