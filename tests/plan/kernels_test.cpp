// The plan engine's kernels (AVX-512, AVX2, baseline; src/plan/kernel.h) against each other and
// against keel::PhiloxStream: a result must not depend on which instruction set the machine has.
// Kernels the machine cannot run are skipped with a message (the baseline one always runs).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../../src/plan/fast_normal.h"
#include "../../src/plan/kernel.h"
#include "keel/core/error.h"
#include "keel/core/rng.h"
#include "keel/plan/simulation.h"

namespace keel::plan {
namespace {

using detail::runnable_kernels;

// The instruction-set flags the kernel reports for CPU 0 (an independent view of the machine).
std::set<std::string> cpu_flags() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    return {std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
  }
  return {};
}

TEST(PlanKernels, TheMachineRunsTheKernelsItsCpuHasAndTheBestIsTheWidest) {
  const auto flags = cpu_flags();
  if (flags.empty()) GTEST_SKIP() << "no /proc/cpuinfo flags on this system";
  std::vector<std::string> expected{"base"};
#if defined(__x86_64__) && defined(__GNUC__)
  if (flags.count("avx2")) expected.emplace_back("avx2");
  if (flags.count("avx512f")) expected.emplace_back("avx512");
#endif
  std::vector<std::string> got;
  for (const auto* k : runnable_kernels()) got.emplace_back(k->isa);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(std::string(detail::best_kernel().isa), expected.back());
}

TEST(PlanKernels, LaneNormalsEqualTheScalarInverseOfPhiloxStream) {
  // A group's draws: lane l is stream stream0 + l, step s its uniform s, through Acklam's inverse.
  // 1,200 steps hold about 480 tail values (p < 0.02425 or p > 0.97575) in the 8 lanes.
  const std::uint64_t seed = 0x0123456789abcdefull, stream0 = (2ull << 56) + 64;
  const int first = 8, last = 1208;
  for (const auto* k : runnable_kernels()) {
    std::vector<double> out(static_cast<std::size_t>(last - first) * detail::kGroup);
    k->group_normals(seed, stream0, first, last, 0.004, 0.035, out.data());
    int tails = 0;
    for (std::size_t l = 0; l < detail::kGroup; ++l) {
      PhiloxStream ref(seed, stream0 + l);
      for (int s = 0; s < first; ++s) ref.uniform();
      for (int s = first; s < last; ++s) {
        const double p = ref.uniform();
        tails += (p < 0.02425 || p > 1 - 0.02425) ? 1 : 0;
        ASSERT_EQ(out[static_cast<std::size_t>(s - first) * detail::kGroup + l],
                  0.004 + 0.035 * detail::inverse_normal_cdf(p))
            << k->isa << " lane " << l << " step " << s;
      }
    }
    EXPECT_GT(tails, 400);
  }
}

void expect_same_results(const PlanResult& a, const PlanResult& b, const std::string& what) {
  EXPECT_EQ(a.failures, b.failures) << what;
  EXPECT_EQ(a.shortfalls_by_year, b.shortfalls_by_year) << what;
  EXPECT_EQ(a.terminal_mean, b.terminal_mean) << what;
  for (int k = 0; k < 5; ++k) {
    EXPECT_EQ(a.terminal_percentiles[k], b.terminal_percentiles[k]) << what;
    EXPECT_EQ(a.balance.values[static_cast<std::size_t>(k)], b.balance.values[static_cast<std::size_t>(k)])
        << what;
    EXPECT_EQ(a.spending.values[static_cast<std::size_t>(k)], b.spending.values[static_cast<std::size_t>(k)])
        << what;
  }
}

TEST(PlanKernels, EveryKernelGivesTheSameResultsBitForBit) {
  const auto kernels = runnable_kernels();
  if (kernels.size() < 2) GTEST_SKIP() << "only the baseline kernel runs on this machine";
  PlanInputs base;
  base.initial_balance = 800'000;
  base.years = 35;
  base.retirement_year = 3;
  base.annual_contribution = 20'000;
  base.withdrawal_amount = 38'000;
  base.returns.mean = 0.055;
  base.returns.sd = 0.14;
  base.inflation.mean = 0.025;
  base.events = {{10, EventType::kExpense, 60'000, ""}, {20, EventType::kWindfall, 90'000, ""}};
  std::vector<std::pair<std::string, PlanInputs>> cases;
  for (auto s : {Strategy::kConstantDollar, Strategy::kConstantPercentage, Strategy::kGuytonKlinger,
                 Strategy::kVpw, Strategy::kFloorCeiling}) {
    PlanInputs in = base;
    in.strategy = s;
    if (s == Strategy::kConstantPercentage || s == Strategy::kFloorCeiling) {
      in.withdrawal_amount.reset();
      in.withdrawal_rate = 0.045;
    }
    cases.emplace_back(std::string(strategy_name(s)), in);
  }
  PlanInputs monthly = base;
  monthly.strategy = Strategy::kGuytonKlinger;
  monthly.steps_per_year = 12;
  monthly.inflation.sd = 0.01;  // stochastic inflation, drawn lane by lane too
  cases.emplace_back("monthly guyton-klinger, stochastic inflation", monthly);
  PlanInputs t = base;
  t.returns.kind = ReturnModelKind::kStudentT;
  t.returns.df = 5;
  cases.emplace_back("student-t", t);
  PlanInputs mix = base;
  mix.returns.kind = ReturnModelKind::kStockBondMix;
  mix.returns.stock_mean = 0.07;
  mix.returns.stock_sd = 0.17;
  mix.returns.bond_mean = 0.03;
  mix.returns.bond_sd = 0.06;
  mix.returns.correlation = 0.2;
  cases.emplace_back("stock/bond mix", mix);
  PlanInputs boot = base;
  boot.returns.kind = ReturnModelKind::kBootstrap;
  for (int i = 0; i < 60; ++i) boot.returns.history.push_back(0.07 + 0.15 * ((i * 37 % 19) - 9) / 9.0);
  cases.emplace_back("block bootstrap", boot);

  SimulationOptions o;
  o.trials = 9'001;  // not a multiple of any vector width
  o.seed = 2026;
  o.path_cells = 9 * 9'008;  // rows for 9 years at once: chunks of 8 years (monthly: 9 years)
  for (const auto& [name, in] : cases) {
    const auto ref = detail::simulate_retirement(*kernels.front(), in, o);
    ASSERT_LT(ref.balance.values[0][20], ref.balance.values[4][20]) << name;  // outcomes spread
    for (std::size_t i = 1; i < kernels.size(); ++i)
      expect_same_results(ref, detail::simulate_retirement(*kernels[i], in, o),
                          name + ": " + kernels.front()->isa + " vs " + kernels[i]->isa);
  }
}

// A run cut into shards of trials (computed in any order, each on its own) and reduced gives the
// whole run's result bit for bit — the whole run simulating its horizon in chunks of years (the
// Student-t chi-squared streams carried from chunk to chunk) and the shards in one chunk each.
TEST(PlanShards, ShardsOfTrialsReducedEqualTheWholeRunBitForBit) {
  PlanInputs base;
  base.initial_balance = 800'000;
  base.years = 35;
  base.retirement_year = 3;
  base.annual_contribution = 20'000;
  base.withdrawal_amount = 38'000;
  base.returns.mean = 0.055;
  base.returns.sd = 0.14;
  base.inflation.mean = 0.025;
  base.events = {{10, EventType::kExpense, 60'000, ""}};
  std::vector<std::pair<std::string, PlanInputs>> cases{{"normal", base}};
  PlanInputs t = base;
  t.returns.kind = ReturnModelKind::kStudentT;
  t.returns.df = 5;
  cases.emplace_back("student-t", t);
  PlanInputs monthly = base;
  monthly.strategy = Strategy::kGuytonKlinger;
  monthly.steps_per_year = 12;
  monthly.inflation.sd = 0.01;
  cases.emplace_back("monthly guyton-klinger, stochastic inflation", monthly);
  SimulationOptions o;
  o.trials = 9'001;
  o.seed = 2026;
  o.path_cells = 9 * 9'008;  // the whole run in chunks of 8 years
  for (const auto& [name, in] : cases) {
    const auto whole = simulate_retirement(in, o);
    const std::size_t per = trial_value_count(in, o);
    EXPECT_EQ(per, 2u + 2u * 35u);
    std::vector<double> values(static_cast<std::size_t>(o.trials) * per);
    for (int first = 8000; first >= 0; first -= 2000) {  // backwards: order does not matter
      const int last = std::min(o.trials, first + 2000);
      const auto part = simulate_trials(in, o, first, last);
      ASSERT_EQ(part.size(), static_cast<std::size_t>(last - first) * per) << name;
      std::copy(part.begin(), part.end(), values.begin() + static_cast<std::ptrdiff_t>(first * per));
    }
    expect_same_results(whole, reduce_trials(in, o, values), name + ": shards vs the whole run");
  }
  EXPECT_THROW(simulate_trials(base, o, 4, 100), Error);     // not on a group of 8
  EXPECT_THROW(simulate_trials(base, o, 8992, 9002), Error);  // past the run
  EXPECT_THROW(reduce_trials(base, o, std::vector<double>(10)), Error);
}

}  // namespace
}  // namespace keel::plan
