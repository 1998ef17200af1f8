// CLO engine benchmarks: a 400-loan, 10-tranche deal over 40 quarterly periods.
//   BM_CloRun          one deterministic projection with per-period records
//   BM_CloGrid         a 10 x 10 x 5 (CDR x CPR x recovery) scenario grid with IRR/WAL
//   BM_CloMonteCarlo   Monte Carlo of correlated defaults (one-factor Gaussian copula), by
//                      scenarios, loans and threads (scaling)
// Run: build-clo/bench/clo_projection_bench --benchmark_filter=... (items/s = runs per second).
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <string>

#include "keel/clo/simulation.h"

namespace {

using namespace keel;
using namespace keel::clo;

Deal bench_deal(int n_loans) {
  Deal d;
  d.name = "bench";
  d.dates.closing = Date::from_ymd(2025, 1, 20);
  d.dates.first_payment = Date::from_ymd(2025, 4, 20);
  d.dates.reinvestment_end = Date::from_ymd(2029, 1, 20);
  d.dates.legal_maturity = Date::from_ymd(2035, 1, 20);  // 40 quarterly payment dates
  d.reference_dates = {d.dates.closing};
  d.reference_rates = {0.043};
  const MoodysRating ratings[] = {MoodysRating::kBa3, MoodysRating::kB1, MoodysRating::kB2, MoodysRating::kB2,
                                  MoodysRating::kB3, MoodysRating::kCaa1, MoodysRating::kB1};
  double total = 0.0;
  for (int i = 0; i < n_loans; ++i) {
    Loan l;
    l.obligor = "Obligor " + std::to_string(i);
    l.industry = "Industry " + std::to_string(i % 27);
    l.par = 1e6 * (0.5 + 0.1 * (i % 11));
    l.price = 0.92 + 0.01 * (i % 8);
    l.spread = 0.0275 + 0.0025 * (i % 8);
    l.floor = (i % 4 == 0) ? 0.005 : 0.0;
    l.rating = ratings[i % 7];
    l.maturity = Date::from_ymd(2029 + i % 5, 1 + i % 12, 15);
    total += l.par;
    d.collateral.push_back(l);
  }
  const char* names[] = {"A-1", "A-2", "B-1", "B-2", "C", "D-1", "D-2", "E", "F"};
  const double shares[] = {0.55, 0.07, 0.07, 0.04, 0.06, 0.04, 0.02, 0.04, 0.02};
  const double spreads[] = {0.0130, 0.0160, 0.0180, 0.0190, 0.0215, 0.0320, 0.0350, 0.0625, 0.0800};
  const double oc[] = {0, 0, 1.214, 1.214, 1.139, 1.073, 1.073, 1.047, 1.02};
  double used = 0.0;
  for (int k = 0; k < 9; ++k) {
    Tranche t;
    t.name = names[k];
    t.balance = total * shares[k];
    t.spread = spreads[k];
    t.deferrable = k >= 4;
    if (oc[k] > 0) t.oc_trigger = oc[k];
    if (k >= 2 && k <= 6) t.ic_trigger = 1.10;
    used += t.balance;
    d.tranches.push_back(t);
  }
  Tranche e;
  e.name = "Sub";
  e.is_equity = true;
  e.balance = total - used;
  e.price = 0.9;
  d.tranches.push_back(e);
  d.target_par = total;
  d.fees.taxes_admin = {250000, 2.0, 450000};
  d.fees.senior_bps = 15;
  d.fees.sub_bps = 35;
  d.fees.incentive = {0.2, 0.12};
  d.reinvestment.price = 0.995;
  d.reinvestment.spread = 0.0325;
  d.reinvestment.term_months = 72;
  d.reinvestment.diversion_class = "E";
  d.reinvestment.diversion_threshold = 1.049;
  return d;
}

void BM_CloRun(benchmark::State& state) {
  const CloModel model(bench_deal(static_cast<int>(state.range(0))));
  const Scenario s{0.02, 0.15, 0.70, 6};
  for (auto _ : state) benchmark::DoNotOptimize(model.project(s));
  state.SetItemsProcessed(state.iterations());
  state.counters["periods"] = model.periods();
}
BENCHMARK(BM_CloRun)->Arg(100)->Arg(400)->Arg(1600)->Unit(benchmark::kMicrosecond);

void BM_CloGrid(benchmark::State& state) {
  const CloModel model(bench_deal(400));
  GridSpec g;
  g.cdr.clear();
  g.cpr.clear();
  for (int i = 0; i < 10; ++i) g.cdr.push_back(0.01 * i);
  for (int i = 0; i < 10; ++i) g.cpr.push_back(0.05 + 0.025 * i);
  g.recovery = {0.3, 0.4, 0.5, 0.6, 0.7};
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(run_grid(model, g));
  state.SetItemsProcessed(state.iterations() * 500);
}
BENCHMARK(BM_CloGrid)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CloMonteCarlo(benchmark::State& state) {
  const CloModel model(bench_deal(static_cast<int>(state.range(0))));
  MonteCarloOptions o;
  o.base = Scenario{0.03, 0.15, 0.65, 6};
  o.scenarios = state.range(1);
  o.seed = 1;
  o.asset_correlation = 0.30;
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(2)));
  for (auto _ : state) benchmark::DoNotOptimize(run_monte_carlo(model, o));
  state.SetItemsProcessed(state.iterations() * state.range(1));
}
BENCHMARK(BM_CloMonteCarlo)
    ->Args({400, 10000, 2})
    ->Args({400, 10000, 1})
    ->Args({400, 1000, 2})
    ->Args({400, 100000, 2})
    ->Args({100, 10000, 2})
    ->Args({200, 10000, 2})
    ->Args({800, 10000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
