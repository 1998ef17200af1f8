// Peer of bench/options_american_bench.cpp: the same American options (bench/options_book.h)
// priced with QuantLib (Debian libquantlib0-dev) engines, as a QuantLib user writes it: one
// Black-Scholes-Merton process on quotes reset per option, one VanillaOption per option.
// Engines: FdBlackScholesVanillaEngine (Crank-Nicolson; 100 x 100, QuantLib's default grid, and
// 800 x 800), BaroneAdesiWhaleyApproximationEngine, QdFpAmericanEngine (fast, accurate and
// high-precision schemes).
#include <benchmark/benchmark.h>

#include <functional>
#include <ql/exercise.hpp>
#include <ql/instruments/vanillaoption.hpp>
#include <ql/pricingengines/vanilla/baroneadesiwhaleyengine.hpp>
#include <ql/pricingengines/vanilla/fdblackscholesvanillaengine.hpp>
#include <ql/pricingengines/vanilla/qdfpamericanengine.hpp>
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
using Process = ql::ext::shared_ptr<ql::GeneralizedBlackScholesProcess>;

void run(benchmark::State& state,
         const std::function<ql::ext::shared_ptr<ql::PricingEngine>(Process)>& make) {
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
  ql::Handle<ql::BlackVolTermStructure> v_ts(
      ql::ext::make_shared<ql::BlackConstantVol>(today, ql::NullCalendar(), ql::Handle<ql::Quote>(vol), dc));
  auto process =
      ql::ext::make_shared<ql::BlackScholesMertonProcess>(ql::Handle<ql::Quote>(spot), q_ts, r_ts, v_ts);
  auto engine = make(process);
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
      ql::VanillaOption option(payoff,
                               ql::ext::make_shared<ql::AmericanExercise>(today, today + book.days[i]));
      option.setPricingEngine(engine);
      checksum += option.NPV();
    }
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * book.size()));
  state.counters["checksum"] = checksum;
}

void BM_QuantLibFd100(benchmark::State& s) {
  run(s, [](Process p) {
    return ql::ext::make_shared<ql::FdBlackScholesVanillaEngine>(p, 100, 100, 0,
                                                                 ql::FdmSchemeDesc::CrankNicolson());
  });
}
void BM_QuantLibFd800(benchmark::State& s) {
  run(s, [](Process p) {
    return ql::ext::make_shared<ql::FdBlackScholesVanillaEngine>(p, 800, 800, 2,
                                                                 ql::FdmSchemeDesc::CrankNicolson());
  });
}
void BM_QuantLibBaw(benchmark::State& s) {
  run(s, [](Process p) { return ql::ext::make_shared<ql::BaroneAdesiWhaleyApproximationEngine>(p); });
}
void BM_QuantLibQdFpFast(benchmark::State& s) {
  run(s, [](Process p) {
    return ql::ext::make_shared<ql::QdFpAmericanEngine>(p, ql::QdFpAmericanEngine::fastScheme());
  });
}
void BM_QuantLibQdFpAccurate(benchmark::State& s) {
  run(s, [](Process p) {
    return ql::ext::make_shared<ql::QdFpAmericanEngine>(p, ql::QdFpAmericanEngine::accurateScheme());
  });
}
void BM_QuantLibQdFpHigh(benchmark::State& s) {
  run(s, [](Process p) {
    return ql::ext::make_shared<ql::QdFpAmericanEngine>(p, ql::QdFpAmericanEngine::highPrecisionScheme());
  });
}
BENCHMARK(BM_QuantLibFd100)->Arg(1'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QuantLibFd800)->Arg(100)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QuantLibBaw)->Arg(10'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QuantLibQdFpFast)->Arg(10'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QuantLibQdFpAccurate)->Arg(10'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QuantLibQdFpHigh)->Arg(1'000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
