// Benchmarks of American option pricing on the benchmark book (bench/options_book.h: spot
// 50..150, strike 100, 1 day..2 years, vol 10..60%, rate 0..5%, dividend 0..3%), every option
// American. bench/peers/options_american_quantlib_peer.cpp prices the same options with
// QuantLib's finite-difference, Barone-Adesi-Whaley and QdFp engines; options_american_compare.sh
// runs both and prints the ratios.
//
// Two workloads:
//  - distinct: every option has its own (rate, dividend, vol, expiry), so ALO solves a boundary
//    per option (the cost of a fresh price), one at a time (alo_price) or in one batch
//    (alo_price_batch, vectorised across options), also on a long-dated book;
//  - scenarios: one option revalued at 1,000 spots (historical VaR, stress, a spot ladder): the
//    boundary does not depend on spot, so ALO solves it once and each price is the premium
//    integral alone.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "keel/options/american.h"
#include "options_book.h"

namespace {

using keel::options::BsmInputs;
using keel::options::bench::Book;

BsmInputs row(const Book& b, std::size_t i) {
  return {b.right[i], b.spot[i], b.strike[i], b.years[i], b.vol[i], b.rate[i], b.div[i]};
}

template <class Price>
void distinct(benchmark::State& state, Price price) {
  const Book book(static_cast<std::size_t>(state.range(0)));
  double checksum = 0.0;
  for (auto _ : state) {
    checksum = 0.0;
    for (std::size_t i = 0; i < book.size(); ++i) checksum += price(row(book, i));
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * book.size()));
  state.counters["checksum"] = checksum;
}

void BM_AloDistinct(benchmark::State& state) {
  distinct(state, [](const BsmInputs& in) { return keel::options::alo_price(in); });
}
void BM_AloHighDistinct(benchmark::State& state) {
  distinct(state, [](const BsmInputs& in) {
    return keel::options::alo_price(in, keel::options::AloAccuracy::kHigh);
  });
}
void BM_BawDistinct(benchmark::State& state) {
  distinct(state, [](const BsmInputs& in) { return keel::options::baw_price(in); });
}
// Price and five Greeks of each option (its own boundary and six bumped ones, solved in one block).
void BM_AloGreeksDistinct(benchmark::State& state) {
  distinct(state, [](const BsmInputs& in) {
    const auto g = keel::options::alo_greeks(in);
    return g.price + g.delta + g.gamma + g.vega + g.rho + g.theta;
  });
}
// The batch API: every option its own boundary, vectorised across options.
void BM_AloBatchDistinct(benchmark::State& state) {
  const Book book(static_cast<std::size_t>(state.range(0)));
  std::vector<double> price(book.size());
  double checksum = 0.0;
  for (auto _ : state) {
    keel::options::alo_price_batch(book.columns(), price);
    checksum = 0.0;
    for (double p : price) checksum += p;
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * book.size()));
  state.counters["checksum"] = checksum;
}
// The same on a long-dated book (bench/options_book.h LongBook: 1 to 30 years, rates to 10%): its
// options need the larger schemes of docs/options.md.
void BM_AloBatchLongDated(benchmark::State& state) {
  const keel::options::bench::LongBook book(static_cast<std::size_t>(state.range(0)));
  std::vector<double> price(book.size());
  double checksum = 0.0;
  for (auto _ : state) {
    keel::options::alo_price_batch(book.columns(), price);
    checksum = 0.0;
    for (double p : price) checksum += p;
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * book.size()));
  state.counters["checksum"] = checksum;
}
// American implied vols of the book's ALO prices (at the book's vols), in one batch.
void BM_AmericanImpliedVolBatch(benchmark::State& state) {
  const Book book(static_cast<std::size_t>(state.range(0)));
  std::vector<double> price(book.size()), vol(book.size());
  std::vector<keel::options::ImpliedVolStatus> status(book.size());
  keel::options::alo_price_batch(book.columns(), price);
  double checksum = 0.0;
  for (auto _ : state) {
    keel::options::american_implied_vol_batch({book.right, price, book.spot, book.strike, book.years, book.rate, book.div},
                                              vol, status);
    checksum = 0.0;
    for (std::size_t i = 0; i < vol.size(); ++i) checksum += status[i] == keel::options::ImpliedVolStatus::kOk ? vol[i] : 0.0;
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * book.size()));
  state.counters["checksum"] = checksum;
}
BENCHMARK(BM_AloBatchDistinct)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AloBatchLongDated)->Arg(10'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AmericanImpliedVolBatch)->Arg(10'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AloDistinct)->Arg(10'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AloGreeksDistinct)->Arg(2'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AloHighDistinct)->Arg(1'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BawDistinct)->Arg(10'000)->Unit(benchmark::kMillisecond);

// 1,000 options of the book, each revalued at 1,000 spots from -30% to +30%: 1M prices.
template <class Price>
void scenarios(benchmark::State& state, Price price) {
  const Book book(1'000);
  double checksum = 0.0;
  for (auto _ : state) {
    checksum = 0.0;
    for (std::size_t i = 0; i < book.size(); ++i) {
      BsmInputs in = row(book, i);
      const double s0 = in.spot;
      for (int k = 0; k < 1'000; ++k) {
        in.spot = s0 * (0.7 + 0.6 * k / 999.0);
        checksum += price(in);
      }
    }
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 1'000'000));
  state.counters["checksum"] = checksum;
}
void BM_AloScenarios(benchmark::State& state) {
  scenarios(state, [](const BsmInputs& in) { return keel::options::alo_price(in); });
}
void BM_BawScenarios(benchmark::State& state) {
  scenarios(state, [](const BsmInputs& in) { return keel::options::baw_price(in); });
}
BENCHMARK(BM_AloScenarios)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BawScenarios)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
