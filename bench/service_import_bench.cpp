// Import of the S&P 500 daily file (607,622 rows, gzip) into a fresh SQLite store: read, validate,
// upsert in one transaction. Peer: bench/peers/import_pandas.py (pandas.read_csv + to_sql);
// bench/compare_import.sh runs both side by side and reports the ratio and peak memory.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "keel/service/imports.h"

namespace {

const std::string kFile = std::string(KEEL_SHARED_DIR) + "/data/equities/sp500_daily_2012_2017.csv.gz";

void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

void BM_ImportSp500IntoFreshStore(benchmark::State& state) {
  if (!std::filesystem::exists(kFile)) {
    state.SkipWithError(("needs " + kFile + " (../shared is absent)").c_str());
    return;
  }
  const std::string db = (std::filesystem::temp_directory_path() / "keel_bench_import.db").string();
  std::size_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    remove_db(db);
    state.ResumeTiming();
    auto store = keel::open_store(db);
    rows = keel::service::import_prices({store.get()}, {{kFile, std::nullopt}}).rows;
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
  remove_db(db);
}
BENCHMARK(BM_ImportSp500IntoFreshStore)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_ReadAndValidateOnly(benchmark::State& state) {
  if (!std::filesystem::exists(kFile)) {
    state.SkipWithError("needs ../shared/data");
    return;
  }
  for (auto _ : state) {
    auto rows = keel::service::read_prices_file({kFile, std::nullopt});
    benchmark::DoNotOptimize(rows.close.data());
  }
}
BENCHMARK(BM_ReadAndValidateOnly)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
