// Benchmarks of the options engine on a book of 1,000,000 European options.
//
// The same book (seeded, deterministic: spot 50..150, strike 100, 1 day..2 years, vol 10..60%,
// rate 0..5%, dividend 0..3%) is priced by the peers in bench/peers/ (QuantLib's
// AnalyticEuropeanEngine in C++, a vectorised numpy/scipy version) so the figures compare.
// Goals: 1M options with price and five Greeks < 50 ms on one core; 1M implied vols < 1 s.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "keel/options/black_scholes.h"
#include "keel/options/implied_vol.h"
#include "options_book.h"

namespace {

using keel::options::bench::Book;

void BM_BsmGreeksBatch(benchmark::State& state) {
  const Book book(static_cast<std::size_t>(state.range(0)));
  const std::size_t n = book.size();
  std::vector<double> p(n), d(n), g(n), v(n), t(n), r(n);
  for (auto _ : state) {
    keel::options::bsm_greeks_batch(book.columns(), {p, d, g, v, t, r});
    benchmark::DoNotOptimize(p.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  // Same sum as the peers print: agreement of the three implementations on this book.
  double checksum = 0.0;
  for (std::size_t i = 0; i < n; ++i) checksum += p[i] + d[i] + g[i] + v[i] + t[i] + r[i];
  state.counters["checksum"] = checksum;
}
BENCHMARK(BM_BsmGreeksBatch)->Arg(1'000'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

void BM_BsmPriceBatch(benchmark::State& state) {
  const Book book(static_cast<std::size_t>(state.range(0)));
  std::vector<double> p(book.size());
  for (auto _ : state) {
    keel::options::bsm_price_batch(book.columns(), p);
    benchmark::DoNotOptimize(p.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * book.size()));
}
BENCHMARK(BM_BsmPriceBatch)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_ImpliedVolBatch(benchmark::State& state) {
  const Book book(static_cast<std::size_t>(state.range(0)));
  const std::size_t n = book.size();
  std::vector<double> price(n), iv(n);
  std::vector<keel::options::ImpliedVolStatus> status(n);
  keel::options::bsm_price_batch(book.columns(), price);
  keel::options::ImpliedVolColumns in{book.right, price, book.spot, book.strike,
                                      book.years, book.rate,  book.div};
  for (auto _ : state) {
    keel::options::implied_vol_batch(in, iv, status);
    benchmark::DoNotOptimize(iv.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  // Deep in-the-money short options whose price rounds to the intrinsic value have no implied
  // vol (status kBelowLowerBound); they are still timed.
  std::size_t ok = 0;
  for (auto s : status) ok += s == keel::options::ImpliedVolStatus::kOk;
  state.counters["solved_fraction"] = static_cast<double>(ok) / static_cast<double>(n);
}
BENCHMARK(BM_ImpliedVolBatch)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
