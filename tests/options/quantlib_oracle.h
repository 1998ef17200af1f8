// tests/options/quantlib_oracle.h: QuantLib (Debian libquantlib0-dev) as an independent oracle
// for the options tests. QuantLib keeps a global evaluation date, so this header is for tests only.
#pragma once

#include <ql/exercise.hpp>
#include <ql/instruments/vanillaoption.hpp>
#include <ql/pricingengines/vanilla/analyticeuropeanengine.hpp>
#include <ql/pricingengines/vanilla/baroneadesiwhaleyengine.hpp>
#include <ql/processes/blackscholesprocess.hpp>
#include <ql/quotes/simplequote.hpp>
#include <ql/settings.hpp>
#include <ql/termstructures/volatility/equityfx/blackconstantvol.hpp>
#include <ql/termstructures/yield/flatforward.hpp>
#include <ql/time/calendars/nullcalendar.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>

#include "keel/portfolio/occ_symbol.h"

namespace keel::options::test {

struct QlResult {
  double price = 0.0;
  double delta = 0.0;
  double gamma = 0.0;
  double vega = 0.0;
  double theta = 0.0;
  double rho = 0.0;
};

// Prices an option expiring `days` calendar days from today (act/365, so years = days / 365).
inline QlResult quantlib_price(OptionRight right, double spot, double strike, int days, double vol,
                               double rate, double div, bool american = false) {
  using namespace QuantLib;
  const QuantLib::Date today(15, May, 2020);
  Settings::instance().evaluationDate() = today;
  const DayCounter dc = Actual365Fixed();
  auto s = ext::make_shared<SimpleQuote>(spot);
  Handle<YieldTermStructure> r_ts(ext::make_shared<FlatForward>(today, rate, dc));
  Handle<YieldTermStructure> q_ts(ext::make_shared<FlatForward>(today, div, dc));
  Handle<BlackVolTermStructure> v_ts(ext::make_shared<BlackConstantVol>(today, NullCalendar(), vol, dc));
  auto process = ext::make_shared<BlackScholesMertonProcess>(Handle<Quote>(s), q_ts, r_ts, v_ts);
  auto payoff = ext::make_shared<PlainVanillaPayoff>(
      right == OptionRight::kCall ? Option::Call : Option::Put, strike);
  const QuantLib::Date expiry = today + days;
  QlResult out;
  if (american) {
    VanillaOption option(payoff, ext::make_shared<AmericanExercise>(today, expiry));
    option.setPricingEngine(ext::make_shared<BaroneAdesiWhaleyApproximationEngine>(process));
    out.price = option.NPV();
    return out;
  }
  VanillaOption option(payoff, ext::make_shared<EuropeanExercise>(expiry));
  option.setPricingEngine(ext::make_shared<AnalyticEuropeanEngine>(process));
  out.price = option.NPV();
  out.delta = option.delta();
  out.gamma = option.gamma();
  out.vega = option.vega();
  out.theta = option.theta();
  out.rho = option.rho();
  return out;
}

}  // namespace keel::options::test
