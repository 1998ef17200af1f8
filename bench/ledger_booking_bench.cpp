// Ledger booking throughput: 1,000,000 generated transactions over 500 symbols booked FIFO, LIFO
// and HIFO with realized gains (wash-sale detection on, as by default), and a side-by-side with
// beancount on a 20,000-transaction ledger (bench/peers/ledger_beancount_peer.py; its parse+book
// time against keel's book() of the same rows; counter "ratio" = beancount / keel).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "ledger_generator.h"
#include "keel/ledger/booking.h"

namespace {

using namespace keel::ledger;

const std::vector<Transaction>& history_1m() {
  static const std::vector<Transaction> h = [] {
    bench::GeneratorOptions g;
    g.transactions = 1'000'000;
    g.symbols = 500;
    g.per_day = 400;
    g.fee = "1.00";
    return bench::generate_history(g);
  }();
  return h;
}

void run_book(benchmark::State& state, LotMethod method, bool wash) {
  const auto& txs = history_1m();
  BookOptions o;
  o.default_method = method;
  o.wash_sales = wash;
  std::size_t realized = 0;
  for (auto _ : state) {
    const BookResult r = book(txs, o);
    realized = r.realized.size();
    benchmark::DoNotOptimize(r.realized.data());
  }
  state.counters["transactions"] = static_cast<double>(txs.size());
  state.counters["realized_lots"] = static_cast<double>(realized);
  state.counters["tx_per_second"] =
      benchmark::Counter(static_cast<double>(txs.size()), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Book1M_Fifo(benchmark::State& s) { run_book(s, LotMethod::kFifo, true); }
void BM_Book1M_Lifo(benchmark::State& s) { run_book(s, LotMethod::kLifo, true); }
void BM_Book1M_Hifo(benchmark::State& s) { run_book(s, LotMethod::kHifo, true); }
void BM_Book1M_Fifo_NoWash(benchmark::State& s) { run_book(s, LotMethod::kFifo, false); }
void BM_Book1M_Lifo_NoWash(benchmark::State& s) { run_book(s, LotMethod::kLifo, false); }
BENCHMARK(BM_Book1M_Fifo)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Book1M_Lifo)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Book1M_Hifo)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Book1M_Fifo_NoWash)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Book1M_Lifo_NoWash)->Unit(benchmark::kMillisecond)->Iterations(3);

// keel vs beancount on the same 20,000 rows (no fees, whole cents: both book exactly).
void BM_VersusBeancount20k(benchmark::State& state) {
  const auto method = state.range(0) == 0 ? LotMethod::kFifo : LotMethod::kLifo;
  const char* name = state.range(0) == 0 ? "fifo" : "lifo";
  bench::GeneratorOptions g;
  g.transactions = 20'000;
  g.symbols = 100;
  g.per_day = 40;
  const auto txs = bench::generate_history(g);
  const auto csv = std::filesystem::temp_directory_path() / "keel_bench_beancount_20k.csv";
  {
    std::ofstream f(csv);
    f << "date,type,symbol,quantity,price,fees\n";
    for (const auto& t : txs) {
      f << t.date.to_string() << ',' << tx_type_name(t.type) << ',' << t.symbol << ','
        << t.quantity.to_string() << ',' << t.price.to_string() << ",0\n";
    }
  }
  double peer_seconds = -1;
  {
    const std::string cmd = "/usr/bin/python3 " KEEL_SOURCE_DIR "/bench/peers/ledger_beancount_peer.py " +
                            csv.string() + " --method " + name + " 2>/dev/null";
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
      char buf[65536];
      std::size_t n = 0;
      while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
      pclose(p);
    }
    if (!out.empty()) {
      const auto j = nlohmann::json::parse(out);
      peer_seconds = j["seconds"]["load"].get<double>();
    }
  }
  std::filesystem::remove(csv);
  BookOptions o;
  o.default_method = method;
  o.wash_sales = false;
  double keel_seconds = 0;
  std::size_t iters = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const BookResult r = book(txs, o);
    keel_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ++iters;
    benchmark::DoNotOptimize(r.realized.data());
  }
  keel_seconds /= static_cast<double>(iters);
  state.counters["keel_ms"] = keel_seconds * 1e3;
  state.counters["beancount_ms"] = peer_seconds * 1e3;
  state.counters["ratio"] = peer_seconds > 0 ? peer_seconds / keel_seconds : 0.0;
}
BENCHMARK(BM_VersusBeancount20k)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(20);

}  // namespace

BENCHMARK_MAIN();
