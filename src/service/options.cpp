#include "keel/service/options.h"

#include <chrono>
#include <cmath>
#include <string>

#include "keel/core/error.h"
#include "keel/options/american.h"
#include "keel/options/black_scholes.h"
#include "keel/options/implied_vol.h"

namespace keel::service {
namespace {

// The UTC date of the clock's now.
Date utc_date(const Clock& clock) {
  const auto days = std::chrono::floor<std::chrono::days>(clock.now()).time_since_epoch().count();
  return Date::from_serial(static_cast<std::int32_t>(days));
}

}  // namespace

OptionPriceResult price_option(const Context& cx, const OptionPriceRequest& req) {
  double years = 0.0;
  if (req.years && req.expiry) throw Error::usage("give either years or expiry, not both");
  if (req.years) {
    if (req.as_of) throw Error::usage("as_of is only used with expiry");
    years = *req.years;
  } else if (req.expiry) {
    const Date as_of = req.as_of.value_or(utc_date(cx.env.clock));
    years = year_fraction_act365(as_of, *req.expiry);
    if (years < 0.0) {
      throw Error::invalid_input("the option expired on " + req.expiry->to_string() + ", before the as-of date " +
                                 as_of.to_string());
    }
  } else {
    throw Error::usage("give the time to expiry: years or expiry (with as_of, default today)");
  }

  OptionPriceResult out;
  double vol = 0.0;
  if (req.implied_vol) {
    if (!req.price) throw Error::usage("implied_vol needs the option price (price)");
    const options::ImpliedVolInputs iv{req.right, *req.price, req.spot, req.strike, years, req.rate, req.div};
    vol = req.exercise == ExerciseStyle::kAmerican ? options::american_implied_vol(iv, req.american_engine)
                                                   : options::implied_vol(iv);
    out.implied_vol.emplace(vol);
  } else {
    if (!req.vol) throw Error::usage("give vol (or implied_vol with price)");
    if (req.price) throw Error::usage("price is the input of implied_vol; ask for implied_vol");
    vol = *req.vol;
  }
  const options::BsmInputs in{req.right, req.spot, req.strike, years, vol, req.rate, req.div};
  const options::Greeks g = options::option_greeks(req.exercise, in, req.american_engine);
  out.price = g.price;
  out.delta = g.delta;
  out.gamma = g.gamma;
  out.vega = g.vega;
  out.theta = g.theta;
  out.rho = g.rho;
  out.years = years;
  out.vol = vol;
  out.model = options::model_name(req.exercise, req.american_engine);
  out.theta_per_day = g.theta / 365.0;
  out.vega_per_point = g.vega / 100.0;
  out.rho_per_point = g.rho / 100.0;
  return out;
}

}  // namespace keel::service
