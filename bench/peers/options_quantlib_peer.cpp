// Peer of bench/options_greeks_bench.cpp: the same book of European options priced with
// QuantLib's AnalyticEuropeanEngine (Debian libquantlib0-dev), price and the five Greeks per
// option, as a QuantLib user writes it: one Black-Scholes-Merton process on quotes that are
// reset per option, one VanillaOption per option.
#include <benchmark/benchmark.h>

#include <ql/exercise.hpp>
#include <ql/instruments/vanillaoption.hpp>
#include <ql/pricingengines/vanilla/analyticeuropeanengine.hpp>
#include <ql/processes/blackscholesprocess.hpp>
#include <ql/quotes/simplequote.hpp>
#include <ql/settings.hpp>
#include <ql/termstructures/volatility/equityfx/blackconstantvol.hpp>
#include <ql/termstructures/yield/flatforward.hpp>
#include <ql/time/calendars/nullcalendar.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>

#include "options_book.h"

namespace {

namespace ql = QuantLib;

void BM_QuantLibAnalyticEuropean(benchmark::State& state) {
  const keel::options::bench::Book book(static_cast<std::size_t>(state.range(0)));
  const ql::Date today(6, ql::December, 2017);
  ql::Settings::instance().evaluationDate() = today;
  const ql::DayCounter dc = ql::Actual365Fixed();
  auto spot = ql::ext::make_shared<ql::SimpleQuote>(100.0);
  auto rate = ql::ext::make_shared<ql::SimpleQuote>(0.0);
  auto div = ql::ext::make_shared<ql::SimpleQuote>(0.0);
  auto vol = ql::ext::make_shared<ql::SimpleQuote>(0.2);
  ql::Handle<ql::YieldTermStructure> r_ts(
      ql::ext::make_shared<ql::FlatForward>(today, ql::Handle<ql::Quote>(rate), dc));
  ql::Handle<ql::YieldTermStructure> q_ts(
      ql::ext::make_shared<ql::FlatForward>(today, ql::Handle<ql::Quote>(div), dc));
  ql::Handle<ql::BlackVolTermStructure> v_ts(ql::ext::make_shared<ql::BlackConstantVol>(
      today, ql::NullCalendar(), ql::Handle<ql::Quote>(vol), dc));
  auto process = ql::ext::make_shared<ql::BlackScholesMertonProcess>(ql::Handle<ql::Quote>(spot),
                                                                      q_ts, r_ts, v_ts);
  auto engine = ql::ext::make_shared<ql::AnalyticEuropeanEngine>(process);
  double checksum = 0.0;
  for (auto _ : state) {
    checksum = 0.0;
    for (std::size_t i = 0; i < book.size(); ++i) {
      spot->setValue(book.spot[i]);
      rate->setValue(book.rate[i]);
      div->setValue(book.div[i]);
      vol->setValue(book.vol[i]);
      auto payoff = ql::ext::make_shared<ql::PlainVanillaPayoff>(
          book.right[i] == keel::OptionRight::kCall ? ql::Option::Call : ql::Option::Put, book.strike[i]);
      ql::VanillaOption option(payoff, ql::ext::make_shared<ql::EuropeanExercise>(today + book.days[i]));
      option.setPricingEngine(engine);
      checksum += option.NPV() + option.delta() + option.gamma() + option.vega() + option.theta() +
                  option.rho();
    }
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * book.size()));
  state.counters["checksum"] = checksum;
}
BENCHMARK(BM_QuantLibAnalyticEuropean)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
