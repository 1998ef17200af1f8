// Retirement Monte Carlo throughput, the same cases as bench/peers/plan_withdrawal_peer.py:
// N(5 %, 12 %) returns, 2.5 % inflation, 1,000,000 start, 40,000 first withdrawal;
// 10,000 trials x 40 years and 100,000 trials x 480 months; constant dollar and Guyton-Klinger;
// full outputs (success, terminal and yearly percentile paths of balance and spending).
// "Time" is wall-clock, "CPU" the CPU time of all threads of the process (comparable with the
// single-threaded numpy peer when the machine is shared).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>

#include "../src/plan/kernel.h"
#include "keel/plan/simulation.h"

namespace {

keel::plan::PlanInputs plan(keel::plan::Strategy s, int spy) {
  keel::plan::PlanInputs in;
  in.initial_balance = 1'000'000;
  in.years = 40;
  in.steps_per_year = spy;
  in.strategy = s;
  in.withdrawal_amount = 40'000;
  in.returns.mean = 0.05;
  in.returns.sd = 0.12;
  in.inflation.mean = 0.025;
  return in;
}

void run(benchmark::State& state, keel::plan::Strategy s, int spy, int trials) {
  const auto in = plan(s, spy);
  keel::plan::SimulationOptions o;
  o.trials = trials;
  o.seed = 1;
  const double success = keel::plan::simulate_retirement(in, o).success_rate;
  for (auto _ : state) {
    auto res = keel::plan::simulate_retirement(in, o);
    benchmark::DoNotOptimize(res.failures);
  }
  state.SetLabel("success " + std::to_string(success));
}

void BM_ConstantDollar_10k_x_40y(benchmark::State& s) {
  run(s, keel::plan::Strategy::kConstantDollar, 1, 10'000);
}
void BM_GuytonKlinger_10k_x_40y(benchmark::State& s) {
  run(s, keel::plan::Strategy::kGuytonKlinger, 1, 10'000);
}
void BM_ConstantDollar_100k_x_480m(benchmark::State& s) {
  run(s, keel::plan::Strategy::kConstantDollar, 12, 100'000);
}
void BM_GuytonKlinger_100k_x_480m(benchmark::State& s) {
  run(s, keel::plan::Strategy::kGuytonKlinger, 12, 100'000);
}

void BM_SafeWithdrawalRate_10k_x_40y(benchmark::State& state) {
  auto in = plan(keel::plan::Strategy::kConstantDollar, 1);
  in.withdrawal_amount.reset();
  in.withdrawal_rate = 0.04;
  for (auto _ : state) benchmark::DoNotOptimize(keel::plan::solve_safe_withdrawal_rate(in, 10'000, 1, 0.9));
}

// The large constant-dollar case on each kernel the machine runs (0 baseline SSE2, 1 AVX2,
// 2 AVX-512); the cases above use the one the engine picks.
void BM_Kernel_ConstantDollar_100k_x_480m(benchmark::State& state) {
  const keel::plan::detail::Kernel* kernels[] = {keel::plan::detail::kernel_base(),
                                                 keel::plan::detail::kernel_avx2(),
                                                 keel::plan::detail::kernel_avx512()};
  const auto* k = kernels[state.range(0)];
  const auto runnable = keel::plan::detail::runnable_kernels();
  if (!k || std::find(runnable.begin(), runnable.end(), k) == runnable.end()) {
    state.SkipWithError("this machine cannot run that kernel");
    return;
  }
  const auto in = plan(keel::plan::Strategy::kConstantDollar, 12);
  keel::plan::SimulationOptions o;
  o.trials = 100'000;
  o.seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(keel::plan::detail::simulate_retirement(*k, in, o).failures);
  state.SetLabel(k->isa);
}

BENCHMARK(BM_ConstantDollar_10k_x_40y)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(BM_GuytonKlinger_10k_x_40y)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(BM_ConstantDollar_100k_x_480m)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_GuytonKlinger_100k_x_480m)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_SafeWithdrawalRate_10k_x_40y)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_Kernel_ConstantDollar_100k_x_480m)
    ->DenseRange(0, 2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
