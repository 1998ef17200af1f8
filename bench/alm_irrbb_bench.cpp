// bench/alm_irrbb_bench.cpp: EVE under base + 6 supervisory shocks, NII under 3 scenarios and the
// repricing gap of a synthetic bank balance sheet (bench/alm_synthetic_book.h), 10k to 1M positions.
// Target: 1,000,000 positions in < 10 s with peak memory < 2 GB on 2 cores.
//
// Usage: alm_irrbb_bench [google-benchmark flags]
//        alm_irrbb_bench --write-csv FILE N [--no-calendars]   (the book for the numpy peer)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "alm_synthetic_book.h"
#include "keel/alm/irrbb.h"

namespace {

using namespace keel;
using namespace keel::alm;

const Date kAsOf = Date::parse_or_throw("2020-12-31");

// US Treasury par yield curve of 2020-12-31 (../shared/data/rates/ust_par_yields_1990_2020.csv,
// US Department of the Treasury), percent -> decimal.
AlmMarket treasury_market() {
  CurveData c;
  c.name = "UST 2020-12-31";
  c.kind = CurveKind::kPar;
  const std::pair<const char*, double> pts[] = {{"1M", 1.0 / 12}, {"2M", 2.0 / 12}, {"3M", 0.25}, {"6M", 0.5},
                                                {"1Y", 1},        {"2Y", 2},        {"3Y", 3},    {"5Y", 5},
                                                {"7Y", 7},        {"10Y", 10},      {"20Y", 20},  {"30Y", 30}};
  const double rates[] = {0.08, 0.08, 0.09, 0.09, 0.10, 0.13, 0.17, 0.36, 0.65, 0.93, 1.45, 1.65};
  for (std::size_t i = 0; i < 12; ++i) c.points.push_back(CurvePoint{pts[i].first, pts[i].second, rates[i] / 100.0});
  AlmMarket m;
  m.curves["USD"] = to_zero_curve(c);
  m.shocks.rows = {{"USD", 200, 300, 150}};
  m.shocks.source = "Delegated Regulation (EU) 2024/856 Annex";
  return m;
}

const BalanceSheet& book(std::size_t n, bool calendars = true) {
  static std::map<std::pair<std::size_t, bool>, std::unique_ptr<BalanceSheet>> cache;
  auto& slot = cache[{n, calendars}];
  if (!slot) slot = std::make_unique<BalanceSheet>(bench::make_synthetic_book(n, 42, kAsOf, calendars));
  return *slot;
}

// CPU seconds of the whole process (all threads): the fair measure on a shared machine.
double process_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

void BM_IrrbbFull(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const BalanceSheet& b = book(n);
  const AlmMarket m = treasury_market();
  AlmOptions o;
  o.as_of = kAsOf;
  o.tier1 = 1e9;
  double sink = 0.0;
  const double cpu0 = process_cpu_seconds();
  for (auto _ : state) {
    const AlmResult r = run_irrbb(b, m, o);
    sink += r.eve_base.eve + r.nii_base.nii;
    benchmark::DoNotOptimize(sink);
  }
  state.counters["process_cpu_s_per_iter"] = (process_cpu_seconds() - cpu0) / static_cast<double>(state.iterations());
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["positions"] = static_cast<double>(n);
  state.counters["peak_rss_MB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
  state.counters["positions_per_s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_IrrbbFull)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// EVE under base + 6 on the "none"-calendar book: the same work as bench/peers/alm_eve_peer.py.
void BM_IrrbbEveOnlyNoCalendar(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const BalanceSheet& b = book(n, false);
  const AlmMarket m = treasury_market();
  AlmOptions o;
  o.as_of = kAsOf;
  o.run_nii = false;
  const double cpu0 = process_cpu_seconds();
  for (auto _ : state) benchmark::DoNotOptimize(run_irrbb(b, m, o).eve_base.eve);
  state.counters["process_cpu_s_per_iter"] = (process_cpu_seconds() - cpu0) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_IrrbbEveOnlyNoCalendar)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::strcmp(argv[1], "--write-csv") == 0) {
    const bool calendars = !(argc >= 5 && std::strcmp(argv[4], "--no-calendars") == 0);
    const auto b = bench::make_synthetic_book(std::stoul(argv[3]), 42, kAsOf, calendars);
    std::ofstream out(argv[2]);
    bench::write_balance_sheet_csv(b, out);
    std::cerr << "wrote " << b.size() << " positions to " << argv[2] << "\n";
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
