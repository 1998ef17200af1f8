// Monte Carlo behaviour: success rates against independent simulations, reproducibility for any
// thread count, return-model distributions against their quantile functions, the safe
// withdrawal rate, and sensitivity runs.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include "keel/core/distributions.h"
#include "keel/core/error.h"
#include "keel/core/rng.h"
#include "keel/core/stats.h"
#include "keel/plan/sensitivity.h"
#include "keel/plan/simulation.h"

namespace keel::plan {
namespace {

PlanInputs base_plan() {
  PlanInputs in;
  in.initial_balance = 1'000'000;
  in.years = 30;
  in.withdrawal_amount = 45'000;
  in.returns.mean = 0.06;
  in.returns.sd = 0.15;
  in.inflation.mean = 0.025;
  return in;
}

SimulationOptions opts(int trials, std::uint64_t seed) {
  SimulationOptions o;
  o.trials = trials;
  o.seed = seed;
  return o;
}

// Within k combined standard errors of two independent estimates of a proportion.
void expect_within_se(double a, double se_a, double b, double se_b, double k = 4.0) {
  EXPECT_NEAR(a, b, k * std::sqrt(se_a * se_a + se_b * se_b)) << "se " << se_a << ", " << se_b;
}

TEST(PlanMonteCarlo, ConstantDollarSuccessMatchesNumpyPeer) {
  // bench/peers/plan_withdrawal_peer.py --reference (numpy default_rng, 2,000,000 trials):
  // success 0.494557, standard error 0.000354.
  const auto res = simulate_retirement(base_plan(), opts(40'000, 3));
  expect_within_se(res.success_rate, res.success_standard_error, 0.494557, 0.000354);
}

TEST(PlanMonteCarlo, GuytonKlingerSuccessMatchesNumpyPeer) {
  // Same peer, Guyton-Klinger with a 50,000 first withdrawal: 0.855976, se 0.000248.
  auto in = base_plan();
  in.strategy = Strategy::kGuytonKlinger;
  in.withdrawal_amount = 50'000;
  const auto res = simulate_retirement(in, opts(40'000, 4));
  expect_within_se(res.success_rate, res.success_standard_error, 0.855976, 0.000248);
}

TEST(PlanMonteCarlo, ConstantDollarSuccessMatchesAStraightforwardSimulation) {
  // An independent loop with the standard library's Mersenne twister and normal distribution.
  const int n = 20'000;
  std::mt19937_64 gen(2024);
  std::normal_distribution<double> ret(0.06, 0.15);
  int ok = 0;
  for (int t = 0; t < n; ++t) {
    double b = 1e6, w = 45'000;
    bool alive = true;
    for (int y = 0; y < 30; ++y) {
      const double r = ret(gen);
      if (!alive) continue;
      b -= w;
      if (b < 0) {
        alive = false;
        continue;
      }
      b *= 1 + r;
      w *= 1.025;
    }
    ok += alive ? 1 : 0;
  }
  const double p = static_cast<double>(ok) / n;
  const auto res = simulate_retirement(base_plan(), opts(20'000, 11));
  expect_within_se(res.success_rate, res.success_standard_error, p, std::sqrt(p * (1 - p) / n));
}

TEST(PlanMonteCarlo, SameSeedSameResultForAnyThreadCount) {
  auto in = base_plan();
  in.strategy = Strategy::kGuytonKlinger;
  in.steps_per_year = 12;
  in.inflation.sd = 0.01;
  const auto o = opts(3'000, 99);
  PlanResult one, many;
  tbb::task_arena(1).execute([&] { one = simulate_retirement(in, o); });
  tbb::task_arena(4).execute([&] { many = simulate_retirement(in, o); });
  EXPECT_EQ(one.failures, many.failures);
  for (int k = 0; k < 5; ++k) {
    EXPECT_EQ(one.terminal_percentiles[k], many.terminal_percentiles[k]);
    EXPECT_EQ(one.balance.values[k], many.balance.values[k]);
    EXPECT_EQ(one.spending.values[k], many.spending.values[k]);
  }
  const auto other = simulate_retirement(in, opts(3'000, 100));
  EXPECT_NE(other.terminal_percentiles[2], one.terminal_percentiles[2]);
}

// The trial-vectorised engine against a plain replay of each trial: uniforms from
// keel::PhiloxStream(seed, trial) (inflation: stream trial + 2^57), normals from Boost's
// quantile (keel::normal_quantile) instead of the engine's Acklam approximation (relative error
// 1.15e-9), one scripted life per trial (simulate_path) and percentiles by a full sort
// (keel::quantile). Agreement to 1e-6 relative plus a cent covers the approximation's error
// (a balance near exhaustion is a difference of large numbers, so its error is absolute).
// The returns of trial t over the horizon (steps values), drawn as the documented model says.
using ReturnsOfTrial = std::function<std::vector<double>(std::uint64_t seed, int trial, std::size_t steps)>;

ReturnsOfTrial normal_returns(const PlanInputs& in) {
  const int spy = in.steps_per_year;
  const double mean = std::pow(1 + in.returns.mean, 1.0 / spy) - 1;
  const double sd = in.returns.sd / std::sqrt(static_cast<double>(spy));
  return [=](std::uint64_t seed, int t, std::size_t steps) {
    PhiloxStream rs(seed, static_cast<std::uint64_t>(t));
    std::vector<double> r(steps);
    for (auto& x : r) x = mean + sd * normal_quantile(rs.uniform());
    return r;
  };
}

void expect_matches_replay(const PlanInputs& in, int trials, std::uint64_t seed,
                           const ReturnsOfTrial& returns_of,
                           std::size_t path_cells = SimulationOptions{}.path_cells) {
  const int spy = in.steps_per_year;
  const auto steps = static_cast<std::size_t>(in.years * spy);
  const double imean = std::pow(1 + in.inflation.mean, 1.0 / spy) - 1;
  const double isd = in.inflation.sd / std::sqrt(static_cast<double>(spy));
  const auto years = static_cast<std::size_t>(in.years);
  std::vector<std::vector<double>> balance(years + 1), spending(years);
  std::vector<double> terminal;
  int failures = 0;
  for (int t = 0; t < trials; ++t) {
    PhiloxStream is(seed, static_cast<std::uint64_t>(t) + (2ull << 56));
    const std::vector<double> r = returns_of(seed, t, steps);
    std::vector<double> i(steps);
    for (std::size_t s = 0; s < steps; ++s)
      i[s] = in.inflation.sd > 0 ? imean + isd * normal_quantile(is.uniform()) : imean;
    const auto path = simulate_path(in, r, i);
    failures += path.failed ? 1 : 0;
    for (std::size_t y = 0; y <= years; ++y) balance[y].push_back(path.balance[y]);
    for (std::size_t y = 0; y < years; ++y) spending[y].push_back(path.spending[y]);
    terminal.push_back(path.balance.back());
  }
  auto o = opts(trials, seed);
  o.path_cells = path_cells;
  const auto res = simulate_retirement(in, o);
  EXPECT_EQ(res.failures, failures);
  auto near = [](double a, double b) { return std::fabs(a - b) <= 0.01 + 1e-6 * std::fabs(b); };
  for (int k = 0; k < 5; ++k) {
    const double p = kPercentileLevels[k] / 100;
    EXPECT_TRUE(near(res.terminal_percentiles[k], quantile(terminal, p))) << k;
    for (std::size_t y = 0; y <= years; ++y)
      ASSERT_TRUE(near(res.balance.values[static_cast<std::size_t>(k)][y], quantile(balance[y], p)))
          << "balance level " << k << " year-end " << y;
    for (std::size_t y = 0; y < years; ++y)
      ASSERT_TRUE(near(res.spending.values[static_cast<std::size_t>(k)][y], quantile(spending[y], p)))
          << "spending level " << k << " year " << y;
  }
}

// Guyton-Klinger over 40 years with stochastic inflation: every rule fires in some trials.
PlanInputs guyton_klinger_40_years() {
  auto gk = base_plan();
  gk.years = 40;
  gk.strategy = Strategy::kGuytonKlinger;
  gk.withdrawal_amount = 52'000;
  gk.inflation.sd = 0.012;
  return gk;
}

TEST(PlanMonteCarlo, VectorisedEngineMatchesAPlainReplayOfEachTrial) {
  const auto gk = guyton_klinger_40_years();
  // 8,003 trials (not a multiple of the 8 lanes) x 40 years: above 4,096 trials the percentiles
  // are found by counting, and with rows for 2^18 trial-years the horizon runs in two chunks
  // (32 + 8 years).
  expect_matches_replay(gk, 8'003, 77, normal_returns(gk), std::size_t{1} << 18);
  auto monthly = base_plan();
  monthly.steps_per_year = 12;
  monthly.years = 25;
  expect_matches_replay(monthly, 611, 78, normal_returns(monthly));
}

// The models drawn trial by trial, with rows for 9 years of the 3,001 trials kept at once, so the
// 40-year horizon runs in five chunks of 8 years: the draws of each chunk must go on where the
// previous one stopped, the Student-t chi-squared streams included. The replay draws each trial's
// whole horizon in one go from PhiloxStream, with Boost's normal quantile.
TEST(PlanMonteCarlo, ChunkedTrialByTrialModelsMatchAPlainReplay) {
  const auto in = guyton_klinger_40_years();
  const int trials = 3'001;
  const std::size_t cells = 9 * 3'008;  // trials padded to whole groups of 8

  auto t = in;
  t.returns.kind = ReturnModelKind::kStudentT;
  t.returns.df = 5;
  const double t_scale = t.returns.sd * std::sqrt((5.0 - 2.0) / 5.0);
  expect_matches_replay(
      t, trials, 91,
      [&](std::uint64_t seed, int trial, std::size_t steps) {
        PhiloxStream z(seed, static_cast<std::uint64_t>(trial));
        PhiloxStream v(seed, static_cast<std::uint64_t>(trial) + (1ull << 56));
        std::vector<double> r(steps);
        for (auto& x : r) {
          const double zz = normal_quantile(z.uniform());
          x = t.returns.mean + t_scale * zz / std::sqrt(v.chi_squared(5.0) / 5.0);
        }
        return r;
      },
      cells);

  auto mix = in;
  mix.returns.kind = ReturnModelKind::kStockBondMix;
  mix.returns.stock_mean = 0.07;
  mix.returns.stock_sd = 0.17;
  mix.returns.bond_mean = 0.03;
  mix.returns.bond_sd = 0.06;
  mix.returns.correlation = 0.25;
  mix.allocation = 0.7;
  expect_matches_replay(
      mix, trials, 92,
      [&](std::uint64_t seed, int trial, std::size_t steps) {
        // Uniforms 0 .. steps - 1 drive the stocks, steps .. 2 steps - 1 the bonds' own part.
        PhiloxStream u(seed, static_cast<std::uint64_t>(trial));
        std::vector<double> z1(steps), r(steps);
        for (auto& x : z1) x = normal_quantile(u.uniform());
        const double rho = 0.25, rc = std::sqrt(1 - rho * rho);
        for (std::size_t s = 0; s < steps; ++s) {
          const double stock = 0.07 + 0.17 * z1[s];
          const double bond = 0.03 + 0.06 * (rho * z1[s] + rc * normal_quantile(u.uniform()));
          r[s] = 0.7 * stock + 0.3 * bond;
        }
        return r;
      },
      cells);

  auto boot = in;
  boot.returns.kind = ReturnModelKind::kBootstrap;
  boot.returns.block_length = 7;  // blocks straddle the chunk boundaries
  for (int i = 0; i < 60; ++i) boot.returns.history.push_back(0.06 + 0.16 * ((i * 37 % 19) - 9) / 9.0);
  expect_matches_replay(
      boot, trials, 93,
      [&](std::uint64_t seed, int trial, std::size_t steps) {
        // Block k starts at floor(u_k x 60) and wraps around the end of the history.
        PhiloxStream u(seed, static_cast<std::uint64_t>(trial));
        std::vector<double> r;
        while (r.size() < steps) {
          const auto start = static_cast<std::size_t>(u.uniform() * 60.0);
          for (std::size_t k = 0; k < 7 && r.size() < steps; ++k)
            r.push_back(boot.returns.history[(start + k) % 60]);
        }
        return r;
      },
      cells);
}

// A one-year plan with nothing withdrawn: terminal = 1 + r, so terminal percentiles are the
// return distribution's quantiles.
PlanInputs one_year() {
  PlanInputs in;
  in.initial_balance = 1.0;
  in.years = 1;
  in.withdrawal_amount = 0.0;
  in.inflation.mean = 0.0;
  return in;
}

TEST(PlanMonteCarlo, NormalReturnsHaveNormalQuantiles) {
  auto in = one_year();
  in.returns.mean = 0.07;
  in.returns.sd = 0.2;
  const auto res = simulate_retirement(in, opts(200'000, 5));
  // Standard error of a sample quantile: sqrt(p(1-p)/n)/f(q) ~ 0.0011 at 5 % (sd 0.2); 4 se.
  for (int k = 0; k < 5; ++k) {
    const double q = 1.07 + 0.2 * normal_quantile(kPercentileLevels[k] / 100);
    EXPECT_NEAR(res.terminal_percentiles[k], q, 0.0045) << kPercentileLevels[k];
  }
  EXPECT_NEAR(res.terminal_mean, 1.07, 4 * 0.2 / std::sqrt(200'000.0));
}

TEST(PlanMonteCarlo, StudentTReturnsHaveScaledTQuantiles) {
  auto in = one_year();
  in.returns.kind = ReturnModelKind::kStudentT;
  in.returns.mean = 0.07;
  in.returns.sd = 0.2;
  in.returns.df = 4;
  // Standard error of the 5th percentile at 200,000 trials: sqrt(0.05 x 0.95 / n) / f(q) with f the
  // density of 0.2 sqrt(1/2) T_4 there (0.398): 0.00122; the band 0.005 is 4.1 se (the other
  // percentiles have larger densities, so smaller se).
  const auto res = simulate_retirement(in, opts(200'000, 6));
  const double scale = 0.2 * std::sqrt((4.0 - 2.0) / 4.0);  // unit-variance t times sd
  for (int k = 0; k < 5; ++k) {
    const double q = 1.07 + scale * student_t_quantile(kPercentileLevels[k] / 100, 4);
    EXPECT_NEAR(res.terminal_percentiles[k], q, 0.005) << kPercentileLevels[k];
  }
}

TEST(PlanMonteCarlo, StockBondMixHasThePortfolioVariance) {
  auto in = one_year();
  in.returns.kind = ReturnModelKind::kStockBondMix;
  in.allocation = 0.6;
  in.returns.correlation = -0.3;
  // Normal with sd s = 0.1034: the 5th percentile's se at 100,000 trials is sqrt(0.05 x 0.95 / n) /
  // (phi(1.645) / s) = 0.00069, so the band 0.003 is 4.3 se (200,000 trials would buy 6 se).
  const auto res = simulate_retirement(in, opts(100'000, 8));
  const double m = 0.6 * 0.07 + 0.4 * 0.03;
  const double s = std::sqrt(0.36 * 0.18 * 0.18 + 0.16 * 0.06 * 0.06 - 2 * 0.6 * 0.4 * 0.3 * 0.18 * 0.06);
  for (int k = 0; k < 5; ++k) {
    const double q = 1 + m + s * normal_quantile(kPercentileLevels[k] / 100);
    EXPECT_NEAR(res.terminal_percentiles[k], q, 0.003) << kPercentileLevels[k];
  }
}

TEST(PlanMonteCarlo, BootstrapDrawsOnlyHistoricalReturnsUniformly) {
  auto in = one_year();
  in.returns.kind = ReturnModelKind::kBootstrap;
  in.returns.history = {-0.3, -0.1, 0.0, 0.1, 0.2, 0.3, 0.4, 0.5};
  const auto res = simulate_retirement(in, opts(100'000, 9));
  // Each of the 8 returns with probability 1/8: the median falls between 0.1 and 0.2 (both at
  // ~50 %), the 5th percentile is -0.3 and the 95th 0.5.
  EXPECT_DOUBLE_EQ(res.terminal_percentiles[0], 0.7);
  EXPECT_DOUBLE_EQ(res.terminal_percentiles[4], 1.5);
  EXPECT_NEAR(res.terminal_mean, 1.1375, 4 * 0.26 / std::sqrt(100'000.0));
}

TEST(PlanMonteCarlo, BootstrapKeepsBlocksTogether) {
  // With a strictly increasing history and blocks of 4, a 4-year path is one block: consecutive
  // draws (circularly) -> a 1 start and 3 deterministic successors; terminal takes 8 values.
  PlanInputs in;
  in.initial_balance = 1.0;
  in.years = 4;
  in.withdrawal_amount = 0.0;
  in.inflation.mean = 0.0;
  in.returns.kind = ReturnModelKind::kBootstrap;
  in.returns.history = {0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08};
  in.returns.block_length = 4;
  const auto res = simulate_retirement(in, opts(2'000, 10));
  std::vector<double> allowed;
  for (int s = 0; s < 8; ++s) {
    double g = 1;
    for (int k = 0; k < 4; ++k) g *= 1 + in.returns.history[(s + k) % 8];
    allowed.push_back(g);
  }
  for (int k = 0; k < 5; k += 4) {  // p5 and p95 are order statistics here (n-1 = 1999 ...)
    double best = 1e9;
    for (double a : allowed) best = std::min(best, std::fabs(a - res.terminal_percentiles[k]));
    EXPECT_LT(best, 1e-9);
  }
}

TEST(PlanMonteCarlo, SafeWithdrawalRateIsTheExhaustionRateWithoutVolatility) {
  // Zero volatility: every trial is the same, so the safe rate is the rate that exactly
  // exhausts an annuity-due: 1 / a-due(n) = r / ((1 - (1+r)^-n)(1+r)).
  PlanInputs in;
  in.initial_balance = 1'000'000;
  in.years = 30;
  in.withdrawal_rate = 0.04;
  in.returns.sd = 0.0;
  in.returns.mean = 0.05;
  in.inflation.mean = 0.0;
  const double exact = 0.05 / ((1 - std::pow(1.05, -30)) * 1.05);
  EXPECT_NEAR(solve_safe_withdrawal_rate(in, 10, 1, 0.9), exact, 2e-6);
}

TEST(PlanMonteCarlo, SafeWithdrawalRateHitsTheTargetOnCommonRandomNumbers) {
  auto in = base_plan();
  in.withdrawal_amount.reset();
  in.withdrawal_rate = 0.04;
  auto o = opts(5'000, 21);
  o.target_success = 0.9;
  const auto res = simulate_retirement(in, o);
  ASSERT_TRUE(res.safe_withdrawal_rate.has_value());
  const double swr = *res.safe_withdrawal_rate;
  EXPECT_GT(swr, 0.02);
  EXPECT_LT(swr, 0.05);
  o.target_success.reset();
  o.percentile_paths = false;
  in.withdrawal_rate = swr;
  EXPECT_GE(simulate_retirement(in, o).success_rate, 0.9);
  in.withdrawal_rate = swr + 2e-6;
  EXPECT_LT(simulate_retirement(in, o).success_rate, 0.9);
}

TEST(PlanMonteCarlo, SuccessFallsAsTheWithdrawalRateRises) {
  auto in = base_plan();
  const std::vector<double> rates = {0.03, 0.035, 0.04, 0.05, 0.06};
  const auto rows = sensitivity(in, opts(4'000, 31), SensitivityParameter::kWithdrawalRate, rates);
  ASSERT_EQ(rows.size(), rates.size());
  for (std::size_t i = 1; i < rows.size(); ++i)
    EXPECT_LE(rows[i].result.success_rate, rows[i - 1].result.success_rate) << rates[i];
  EXPECT_GT(rows.front().result.success_rate, rows.back().result.success_rate + 0.2);
}

TEST(PlanMonteCarlo, LaterRetirementRaisesSuccess) {
  auto in = base_plan();
  in.annual_contribution = 20'000;
  const std::vector<double> years = {0, 2, 5, 10};
  const auto rows = sensitivity(in, opts(4'000, 32), SensitivityParameter::kRetirementYear, years);
  for (std::size_t i = 1; i < rows.size(); ++i)
    EXPECT_GE(rows[i].result.success_rate, rows[i - 1].result.success_rate);
  EXPECT_THROW(with_parameter(in, SensitivityParameter::kRetirementYear, 2.5), Error);
}

TEST(PlanMonteCarlo, StochasticInflationDrivesConstantDollarSpending) {
  // Year-10 spending is W x prod_{s<9} (1 + i_s) with i_s ~ N(2.5 %, 3 %) iid. Its median is
  // about W exp(9 E[log(1 + i)]), E[log(1 + i)] ~ log(1.025) - 0.03^2 / (2 x 1.025^2) (delta
  // method); the median's standard error is ~0.08 % here, so allow 0.4 %.
  auto in = base_plan();
  in.inflation.sd = 0.03;
  const auto res = simulate_retirement(in, opts(20'000, 41));
  const double elog = std::log(1.025) - 0.03 * 0.03 / (2 * 1.025 * 1.025);
  EXPECT_NEAR(res.spending.values[2][9] / (45'000 * std::exp(9 * elog)), 1.0, 0.004);
  EXPECT_LT(res.spending.values[0][9], 45'000 * std::pow(1.025, 9) * 0.9);
  EXPECT_GT(res.spending.values[4][9], 45'000 * std::pow(1.025, 9) * 1.1);
  // Fixed inflation: every surviving trial spends the same.
  in.inflation.sd = 0.0;
  const auto fixed = simulate_retirement(in, opts(2'000, 41));
  EXPECT_NEAR(fixed.spending.values[2][9], 45'000 * std::pow(1.025, 9), 1e-6);
}

TEST(PlanMonteCarlo, ShortfallYearsAreCountedAmongFailures) {
  const auto res = simulate_retirement(base_plan(), opts(5'000, 51));
  int total = 0;
  for (int c : res.shortfalls_by_year) total += c;
  EXPECT_EQ(total, res.failures);
  ASSERT_TRUE(res.median_shortfall_year.has_value());
  EXPECT_GT(*res.median_shortfall_year, 10.0);  // a 4.5 % plan does not fail early
  EXPECT_LE(*res.median_shortfall_year, 30.0);
}

}  // namespace
}  // namespace keel::plan
