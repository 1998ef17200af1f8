// Market-data sync: 500 symbols x 5 years of daily bars from a loopback Yahoo-format server.
//
// The server answers /v8/finance/chart/{SYM} with a generated chart JSON (1,260 sessions of a
// deterministic random walk per symbol, built once before timing). BM_FirstSync fetches every
// symbol into a fresh store (requests, validation, one transaction); BM_SecondSync runs the same
// request again on the synced store: coverage says nothing is missing, so it makes no request.
// Counters: requests, bars, and the store's size. Peak memory: run under /usr/bin/time -v.
#include <benchmark/benchmark.h>
#include <httplib.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "keel/marketdata/validate.h"
#include "keel/service/market_data.h"

namespace {

using namespace keel;

constexpr int kSymbols = 500;
const Date kFrom = Date::parse_or_throw("2019-01-02");
const Date kTo = Date::parse_or_throw("2023-12-29");

std::string symbol_name(int i) {
  std::string s = "S";
  s += static_cast<char>('A' + i / 26 / 26 % 26);
  s += static_cast<char>('A' + i / 26 % 26);
  s += static_cast<char>('A' + i % 26);
  return s;
}

// A chart JSON for one symbol: NYSE sessions of kFrom..kTo, a random walk with OHLC around it.
std::string chart(int k, const std::vector<Date>& sessions) {
  std::uint64_t x = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(k + 1);
  auto uniform = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<double>(x >> 11) / 9007199254740992.0;
  };
  nlohmann::json ts = nlohmann::json::array(), o = ts, h = ts, l = ts, c = ts, v = ts;
  double close = 20.0 + 100.0 * uniform();
  for (const Date d : sessions) {
    const double open = close * (1.0 + 0.004 * (uniform() - 0.5));
    close = close * std::exp(0.02 * (uniform() - 0.5));
    ts.push_back(static_cast<long long>(d.serial()) * 86400 + 14 * 3600 + 30 * 60);
    o.push_back(open);
    h.push_back(std::max(open, close) * (1.0 + 0.005 * uniform()));
    l.push_back(std::min(open, close) * (1.0 - 0.005 * uniform()));
    c.push_back(close);
    v.push_back(static_cast<long long>(1e6 * (1.0 + uniform())));
  }
  nlohmann::json doc = {{"chart",
                         {{"result",
                           {{{"meta", {{"currency", "USD"}, {"symbol", symbol_name(k)}, {"gmtoffset", -18000}}},
                             {"timestamp", ts},
                             {"indicators", {{"quote", {{{"open", o}, {"high", h}, {"low", l}, {"close", c}, {"volume", v}}}},
                                             {"adjclose", {{{"adjclose", c}}}}}}}}},
                          {"error", nullptr}}}};
  return doc.dump();
}

struct Fixture {
  Fixture() {
    const auto sessions = marketdata::exchange_business_days(kFrom, kTo, "NYSE");
    for (int k = 0; k < kSymbols; ++k) bodies[symbol_name(k)] = chart(k, sessions);
    server.Get("/v8/finance/chart/([A-Z]+)", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      const auto it = bodies.find(req.matches[1].str());
      if (it == bodies.end()) {
        res.status = 404;
        return;
      }
      res.set_content(it->second, "application/json");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    dir = std::filesystem::temp_directory_path() / ("keel-md-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
  }
  ~Fixture() {
    server.stop();
    thread.join();
    std::filesystem::remove_all(dir);
  }
  service::FetchPricesRequest request() const {
    service::FetchPricesRequest r;
    r.source.provider = "yahoo";
    r.source.options.base_url = "http://127.0.0.1:" + std::to_string(port);
    r.source.options.requests_per_second = 1e9;  // loopback: no rate limit (yahoo would allow 2/s)
    // Uncompressed like the Python peer's http.client (KEEL_BENCH_ENCODING=gzip for what vendors
    // send); never br: cpp-httplib brotli-compresses at its slowest level, timing the test server.
    const char* enc = std::getenv("KEEL_BENCH_ENCODING");
    r.source.options.http.accept_encoding = enc && *enc ? enc : "identity";
    r.source.options.cache_dir = (dir / "cache").string();
    for (int k = 0; k < kSymbols; ++k) r.symbols.push_back(symbol_name(k));
    r.from = kFrom;
    r.to = kTo;
    r.today = Date::parse_or_throw("2026-11-23");
    return r;
  }
  std::map<std::string, std::string> bodies;
  httplib::Server server;
  int port = 0;
  std::thread thread;
  std::atomic<long> requests{0};
  std::filesystem::path dir;
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_FirstSync(benchmark::State& state) {
  Fixture& f = fixture();
  long requests = 0;
  std::size_t bars = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string db = (f.dir / "first.db").string();
    std::filesystem::remove(db);
    std::filesystem::remove_all(f.dir / "cache");
    auto store = open_store(db);
    const long before = f.requests;
    state.ResumeTiming();
    const auto r = service::fetch_prices({store.get()}, f.request());
    bars = r.fetched_bars;
    requests = f.requests - before;
  }
  state.counters["symbols"] = kSymbols;
  state.counters["requests"] = static_cast<double>(requests);
  state.counters["bars"] = static_cast<double>(bars);
  state.counters["bars_per_s"] = benchmark::Counter(static_cast<double>(bars), benchmark::Counter::kIsRate);
  state.counters["db_mib"] = static_cast<double>(std::filesystem::file_size(f.dir / "first.db")) / (1 << 20);
}
BENCHMARK(BM_FirstSync)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

void BM_SecondSync(benchmark::State& state) {
  Fixture& f = fixture();
  const std::string db = (f.dir / "second.db").string();
  std::filesystem::remove(db);
  auto store = open_store(db);
  service::fetch_prices({store.get()}, f.request());
  long requests = 0;
  for (auto _ : state) {
    const long before = f.requests;
    const auto r = service::fetch_prices({store.get()}, f.request());
    requests = f.requests - before;
    benchmark::DoNotOptimize(r);
  }
  state.counters["requests"] = static_cast<double>(requests);
}
BENCHMARK(BM_SecondSync)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace

// `marketdata_sync_bench --serve` only serves the fixture (prints the port, stops at end of
// input) for the Python peer, bench/peers/marketdata_sync_peer.py.
int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--serve") {
    std::cout << fixture().port << std::endl;
    std::string line;
    std::getline(std::cin, line);
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
