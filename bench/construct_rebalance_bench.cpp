// The tax-aware rebalance's own pass (construct::rebalance): holdings, target weights and the
// account's open lots, linear but for each symbol's lots sorted. Its rate, rows a second, is the
// admission's kBookRow (keel/service/admission.h, docs/server.md "Limits").
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include "keel/construct/rebalance.h"

namespace {

using keel::construct::RebalanceInput;

// `symbols` holdings of 10 shares per lot, `lots` lots spread over them, half the symbols kept at
// a smaller weight (so half are sold down, across all of their lots) and the other half sold out.
RebalanceInput book(int symbols, int lots) {
  RebalanceInput in;
  in.tax_aware = true;
  in.holdings.reserve(symbols);
  for (int i = 0; i < symbols; ++i) in.holdings.push_back({fmt::format("S{:05d}", i), 0.0, 100.0});
  in.lots.reserve(lots);
  for (int k = 0; k < lots; ++k) {
    const int i = k % symbols;
    in.holdings[i].quantity += 10.0;
    const double unit = 90.0 + k % 20;
    in.lots.push_back({in.holdings[i].symbol, fmt::format("L{}", k), keel::Date::from_ymd(2014, 1 + k % 12, 1 + k % 28), 10.0,
                       10.0 * unit, k % 2 ? keel::construct::LotTerm::kLong : keel::construct::LotTerm::kShort});
  }
  for (int i = 0; i < symbols / 2; ++i) in.target[in.holdings[i].symbol] = 0.5 / symbols;
  return in;
}

void BM_TaxAwareRebalance(benchmark::State& state) {
  const int symbols = static_cast<int>(state.range(0));
  const int lots = static_cast<int>(state.range(1));
  const RebalanceInput in = book(symbols, lots);
  for (auto _ : state) benchmark::DoNotOptimize(keel::construct::rebalance(in));
  state.SetItemsProcessed(state.iterations() * (symbols + symbols / 2 + lots));
}
BENCHMARK(BM_TaxAwareRebalance)->Args({2000, 300000})->Args({20000, 1000000})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
