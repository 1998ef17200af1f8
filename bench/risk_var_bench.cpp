// Market risk engine on real data: an equal-weight portfolio (1,000,000 USD) of all 489 stocks of
// ../shared/data/equities/sp500_daily_2012_2017.csv.gz, 1,259 daily returns (all 1,260 dates; a
// symbol's missing prices are carried forward, the proxy the data needs because only 81 dates are
// common to all 489 symbols). Peer: bench/peers/risk_var_peer.py (numpy/scipy, same inputs).
// Counters report each VaR so the two can be compared number for number.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "keel/io/csv.h"
#include "keel/io/readers.h"
#include "keel/risk/contributions.h"
#include "keel/risk/covariance.h"
#include "keel/risk/var.h"

namespace {

using namespace keel;
using namespace keel::risk;

const std::string kFile = std::string(KEEL_SHARED_DIR) + "/data/equities/sp500_daily_2012_2017.csv.gz";

// All 489 symbols, sorted, as a dates x symbols matrix of adjusted closes (the io reader validates).
PriceHistory load_prices() {
  Diagnostics diags;
  auto csv = io::CsvReader::open(local_files().open(kFile, "prices"), diags);
  PriceRows rows = io::read_prices(csv, diags);
  diags.throw_if_errors("cannot read " + kFile);
  std::vector<std::string> symbols = rows.symbols;
  std::sort(symbols.begin(), symbols.end());
  return pivot_prices(rows, symbols, /*adjusted=*/true);
}

struct Data {
  PriceHistory prices;
  ReturnMatrix returns;
  RiskBook book;
};

const Data& data() {
  static const Data d = [] {
    Data x;
    x.prices = load_prices();
    x.returns = simple_returns(x.prices, x.prices.symbols,
                               {.window = 0, .missing = MissingPrices::kCarryForward});
    const double each = 1'000'000.0 / static_cast<double>(x.prices.cols());
    x.book.assets = x.prices.symbols;
    for (std::size_t a = 0; a < x.prices.cols(); ++a) {
      x.book.ids.push_back(x.prices.symbols[a]);
      x.book.asset.push_back(a);
      x.book.value.push_back(each);
      x.book.exposure.push_back(each);
      x.book.units.push_back(0.0);
      x.book.spot.push_back(0.0);
      x.book.option.emplace_back();
    }
    std::fprintf(stderr, "loaded %zu dates x %zu symbols -> %zu returns\n", x.prices.rows(),
                 x.prices.cols(), x.returns.rows());
    return x;
  }();
  return d;
}

void report(benchmark::State& state, const VarResult& v) {
  state.counters["var"] = v.var;
  state.counters["es"] = v.es;
}

void BM_Returns(benchmark::State& state) {
  const Data& d = data();
  for (auto _ : state) {
    auto r = simple_returns(d.prices, d.prices.symbols,
                            {.window = 0, .missing = MissingPrices::kCarryForward});
    benchmark::DoNotOptimize(r.values.data());
  }
}

void BM_ParametricSample(benchmark::State& state) {
  const Data& d = data();
  VarResult v;
  for (auto _ : state) v = parametric_var(d.book, d.returns, {.confidence = 0.99});
  report(state, v);
}

void BM_ParametricEwma(benchmark::State& state) {
  const Data& d = data();
  VarOptions o{.confidence = 0.99};
  o.covariance.method = CovarianceMethod::kEwma;
  VarResult v;
  for (auto _ : state) v = parametric_var(d.book, d.returns, o);
  report(state, v);
}

void BM_ParametricLedoitWolf(benchmark::State& state) {
  const Data& d = data();
  VarOptions o{.confidence = 0.99};
  o.covariance.method = CovarianceMethod::kLedoitWolf;
  VarResult v;
  for (auto _ : state) v = parametric_var(d.book, d.returns, o);
  report(state, v);
}

void BM_ParametricContributions(benchmark::State& state) {
  const Data& d = data();
  for (auto _ : state) {
    auto c = parametric_contributions(d.book, d.returns, {.confidence = 0.99});
    benchmark::DoNotOptimize(c.total_var);
  }
}

void BM_Historical(benchmark::State& state) {
  const Data& d = data();
  VarResult v;
  for (auto _ : state) v = historical_var(d.book, d.returns, {.confidence = 0.99});
  report(state, v);
}

void BM_SampleCovarianceMatrix(benchmark::State& state) {
  const Data& d = data();
  for (auto _ : state) {
    auto s = sample_covariance(d.returns);
    benchmark::DoNotOptimize(s.data());
  }
}

void BM_MonteCarlo(benchmark::State& state, McDistribution dist) {
  const Data& d = data();
  VarOptions o{.confidence = 0.99};
  o.monte_carlo.paths = 100'000;
  o.monte_carlo.distribution = dist;
  o.monte_carlo.df = 5.0;
  VarResult v;
  for (auto _ : state) v = monte_carlo_var(d.book, d.returns, o);
  report(state, v);
  state.counters["std_error"] = v.std_error.value_or(0.0);
}

BENCHMARK(BM_Returns)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParametricSample)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParametricEwma)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParametricLedoitWolf)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParametricContributions)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Historical)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SampleCovarianceMatrix)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MonteCarlo, normal, McDistribution::kNormal)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK_CAPTURE(BM_MonteCarlo, student_t5, McDistribution::kStudentT)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
