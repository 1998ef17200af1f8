// The ledger's income and benchmark kernels on a generated 1,000,000-transaction ledger
// (bench/ledger_income_data.py: three accounts, 500 symbols, quarterly and monthly payers, some
// with tax withheld, a DRIP symbol, 20 years of daily closes with SPY and AGG): measure_income,
// daily_values, measure_performance and compare_to_benchmark, each on the data read once, and the
// two readers and the booking they start from. `keel ledger income|performance` and the tearsheet
// as whole commands are measured by bench/ledger_reports.sh.
//
// The data is read from $KEEL_LEDGER_BENCH_DIR (transactions.csv, prices.csv), by default
// <build>/bench/ledger_1m as bench/ledger_reports.sh leaves it; without it every benchmark is
// skipped with the command that makes it.
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "keel/core/diagnostics.h"
#include "keel/io/csv.h"
#include "keel/io/readers.h"
#include "keel/io/transaction_reader.h"
#include "keel/ledger/benchmark.h"
#include "keel/ledger/booking.h"
#include "keel/ledger/income.h"
#include "keel/ledger/performance.h"
#include "keel/ledger/valuation.h"

namespace {

using namespace keel;
using namespace keel::ledger;

std::filesystem::path data_dir() {
  if (const char* d = std::getenv("KEEL_LEDGER_BENCH_DIR"); d != nullptr && *d != '\0') return d;
  return std::filesystem::path(KEEL_SOURCE_DIR) / "build" / "bench" / "ledger_1m";
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::vector<Transaction> read_txs(const std::string& text) {
  Diagnostics diags;
  auto csv = io::CsvReader::from_text("transactions.csv", text, diags);
  auto txs = io::read_transactions(csv, {}, diags);
  diags.throw_if_errors("transactions.csv");
  return txs;
}

PriceRows read_closes(const std::string& text) {
  Diagnostics diags;
  auto csv = io::CsvReader::from_text("prices.csv", text, diags);
  auto rows = io::read_prices(csv, diags);
  diags.throw_if_errors("prices.csv");
  return rows;
}

// The dates x symbols matrix of every close.
PriceHistory history_of(const PriceRows& rows) {
  PriceHistory h;
  h.symbols = rows.symbols;
  h.dates = rows.date;
  std::sort(h.dates.begin(), h.dates.end());
  h.dates.erase(std::unique(h.dates.begin(), h.dates.end()), h.dates.end());
  h.values.assign(h.dates.size() * h.symbols.size(), kMissing);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto row = std::lower_bound(h.dates.begin(), h.dates.end(), rows.date[i]);
    h.at(static_cast<std::size_t>(row - h.dates.begin()), rows.symbol_index[i]) = rows.close[i];
  }
  return h;
}

struct Data {
  bool ok = false;
  std::string why;
  std::string tx_text, px_text;
  std::vector<Transaction> txs;
  PriceRows rows;
  PriceHistory closes;
  BookResult book;
  std::map<std::string, Quote> quotes;
  Date as_of;
  SeriesOptions series_options;
};

const Data& data() {
  static const Data d = [] {
    Data x;
    const auto dir = data_dir();
    if (!std::filesystem::exists(dir / "transactions.csv") || !std::filesystem::exists(dir / "prices.csv")) {
      x.why = "no " + (dir / "transactions.csv").string() +
              ": run /usr/bin/python3 bench/ledger_income_data.py DIR and set KEEL_LEDGER_BENCH_DIR=DIR";
      return x;
    }
    x.tx_text = slurp(dir / "transactions.csv");
    x.px_text = slurp(dir / "prices.csv");
    x.txs = read_txs(x.tx_text);
    x.rows = read_closes(x.px_text);
    x.closes = history_of(x.rows);
    x.book = book(x.txs, BookOptions{});
    x.as_of = x.closes.dates.back();
    for (const auto& t : x.txs) x.as_of = std::max(x.as_of, t.date);
    for (std::size_t c = 0; c < x.closes.cols(); ++c) {
      for (std::size_t t = x.closes.rows(); t-- > 0;) {
        if (!is_missing(x.closes.at(t, c))) {
          x.quotes[x.closes.symbols[c]] = {Decimal::from_double(x.closes.at(t, c)), x.closes.dates[t]};
          break;
        }
      }
    }
    // As the service asks: one series currency (every account in USD, so every factor is 1).
    x.series_options.currency.emplace().currency = "USD";
    x.series_options.to = x.as_of;
    x.ok = true;
    return x;
  }();
  return d;
}

bool ready(benchmark::State& state) {
  if (data().ok) return true;
  state.SkipWithError(data().why.c_str());
  return false;
}

void BM_ReadTransactions(benchmark::State& state) {
  if (!ready(state)) return;
  for (auto _ : state) benchmark::DoNotOptimize(read_txs(data().tx_text).size());
  state.counters["transactions"] = static_cast<double>(data().txs.size());
}

void BM_ReadPrices(benchmark::State& state) {
  if (!ready(state)) return;
  for (auto _ : state) benchmark::DoNotOptimize(read_closes(data().px_text).size());
  state.counters["closes"] = static_cast<double>(data().rows.size());
}

void BM_Book(benchmark::State& state) {
  if (!ready(state)) return;
  for (auto _ : state) benchmark::DoNotOptimize(book(data().txs, BookOptions{}).realized.size());
  state.counters["realized_rows"] = static_cast<double>(data().book.realized.size());
}

// The booking income, lots and holdings ask for (no realized rows kept), on `threads` threads of
// the pool (the symbols in partitions when there are several): UseRealTime, as the work is spread.
void BM_BookWithoutRealized(benchmark::State& state) {
  if (!ready(state)) return;
  BookOptions o;
  o.keep_realized = false;
  std::size_t lots = 0;
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    arena.execute([&] { lots = book(data().txs, o).open_lots.size(); });
    benchmark::DoNotOptimize(lots);
  }
  state.counters["open_lots"] = static_cast<double>(lots);
}

void BM_MeasureIncome(benchmark::State& state) {
  if (!ready(state)) return;
  IncomeOptions o;
  o.as_of = data().as_of;
  o.by = state.range(0) == 0 ? IncomeGrouping::kMonth : IncomeGrouping::kSymbol;
  std::size_t payments = 0;
  for (auto _ : state) {
    const auto r = measure_income(data().txs, data().book, data().quotes, o);
    payments = r.payments.size();
    benchmark::DoNotOptimize(r.projected_gross);
  }
  state.counters["payments"] = static_cast<double>(payments);
}

void BM_DailyValues(benchmark::State& state) {
  if (!ready(state)) return;
  std::size_t points = 0;
  for (auto _ : state) {
    const auto s = daily_values(data().txs, data().closes, data().series_options);
    points = s.size();
    benchmark::DoNotOptimize(s.back().value);
  }
  state.counters["points"] = static_cast<double>(points);
}

void BM_PerformanceAndBenchmark(benchmark::State& state) {
  if (!ready(state)) return;
  const auto series = daily_values(data().txs, data().closes, data().series_options);
  const auto components = parse_benchmark(state.range(0) == 0 ? "SPY" : "60:SPY,40:AGG");
  for (auto _ : state) {
    const auto perf = measure_performance(series, PerformanceOptions{});
    const auto c = compare_to_benchmark(series, perf, data().closes, components, BenchmarkOptions{});
    benchmark::DoNotOptimize(c.tracking_error);
  }
  state.counters["points"] = static_cast<double>(series.size());
}

BENCHMARK(BM_ReadTransactions)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_ReadPrices)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Book)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_BookWithoutRealized)->Arg(1)->Arg(2)->ArgName("threads")->UseRealTime()->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_MeasureIncome)->Arg(0)->Arg(1)->ArgName("by_symbol")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_DailyValues)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_PerformanceAndBenchmark)->Arg(0)->Arg(1)->ArgName("blend")->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
