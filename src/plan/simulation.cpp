#include "keel/plan/simulation.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "draws.h"
#include "keel/core/error.h"
#include "keel/core/stats.h"
#include "path_kernel.h"
#include "quantiles.h"

namespace keel::plan {

double pmt_due(double rate, int n) {
  if (n < 1) throw Error::invalid_input("pmt_due: the number of periods must be >= 1");
  if (n == 1) return 1.0;
  if (rate == 0.0) return 1.0 / n;
  return rate / (1.0 - std::pow(1.0 + rate, -n)) / (1.0 + rate);
}

double vpw_percentage(const VpwRates& rates, double allocation, int remaining_years) {
  const double rate = allocation * rates.stock_return + (1.0 - allocation) * rates.bond_return;
  return pmt_due(rate, remaining_years);
}

namespace detail {

PathPlan make_path_plan(const PlanInputs& in) {
  PathPlan p;
  p.years = in.years;
  p.steps_per_year = in.steps_per_year;
  p.retirement_year = in.retirement_year;
  p.initial_balance = in.initial_balance;
  p.strategy = in.strategy;
  p.rate_mode = in.withdrawal_rate.has_value();
  p.rate = in.withdrawal_rate.value_or(0.0);
  p.amount_real = in.withdrawal_amount.value_or(0.0);
  p.gk = in.guyton_klinger;
  p.fc = in.floor_ceiling;
  const auto years = static_cast<std::size_t>(in.years);
  p.flow_real.assign(years, 0.0);
  p.oneoff_real.assign(years, 0.0);
  p.vpw_pct.assign(years, 0.0);
  // Contribution per year before retirement: the fixed amount until the first savings-rate
  // event, then rate x income from each event's year on. Income changes add from their year on.
  std::vector<double> contribution(years, in.annual_contribution);
  std::vector<double> income(years, 0.0);
  std::vector<const LifeEvent*> savings;
  for (const auto& e : in.events) {
    const auto y = static_cast<std::size_t>(e.year);
    switch (e.type) {
      case EventType::kExpense: p.oneoff_real[y] -= e.amount; break;
      case EventType::kWindfall: p.oneoff_real[y] += e.amount; break;
      case EventType::kIncomeChange:
        for (std::size_t z = y; z < years; ++z) income[z] += e.amount;
        break;
      case EventType::kSavingsRateChange: savings.push_back(&e); break;
    }
  }
  // Later events override earlier ones; events in the same year apply in file order.
  std::stable_sort(savings.begin(), savings.end(),
                   [](const LifeEvent* a, const LifeEvent* b) { return a->year < b->year; });
  for (const LifeEvent* e : savings)
    for (auto z = static_cast<std::size_t>(e->year); z < years; ++z)
      contribution[z] = e->amount * in.annual_income;
  for (std::size_t y = 0; y < years; ++y) {
    const bool working = static_cast<int>(y) < in.retirement_year;
    p.flow_real[y] = (working ? contribution[y] : 0.0) + income[y];
    p.vpw_pct[y] = vpw_percentage(in.vpw, in.allocation, in.years - static_cast<int>(y));
  }
  return p;
}

namespace {

struct MatrixRecorder {
  double* balance;   // (years + 1) x trials, row-major by year
  double* spending;  // years x trials
  std::size_t trials;
  std::size_t trial = 0;
  void start(double b) { balance[trial] = b; }
  void year(int y, double b, double s) {
    balance[(static_cast<std::size_t>(y) + 1) * trials + trial] = b;
    spending[static_cast<std::size_t>(y) * trials + trial] = s;
  }
  void gk(int, int) {}
};

struct VectorRecorder {
  PathResult* r;
  void start(double b) { r->balance.push_back(b); }
  void year(int, double b, double s) {
    r->balance.push_back(b);
    r->spending.push_back(s);
  }
  void gk(int kind, int y) {
    (kind == 0 ? r->gk_frozen : kind == 1 ? r->gk_cuts : r->gk_raises).push_back(y);
  }
};

void check_options(int trials, std::optional<double> target) {
  std::vector<std::string> problems;
  if (trials < 1 || trials > 10'000'000)
    problems.push_back("trials: must be 1..10,000,000, got " + std::to_string(trials));
  if (target && !(*target > 0.0 && *target < 1.0))
    problems.push_back("target_success: must be in (0, 1)");
  if (!problems.empty()) throw Error::invalid_input("invalid simulation options", problems);
}

constexpr std::size_t kGrain = 256;

// Number of failing trials for a plan (no paths kept); deterministic for any thread count.
int count_failures(const PathPlan& pp, const DrawPlan& dp, int trials, std::uint64_t seed) {
  return tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, static_cast<std::size_t>(trials), kGrain), 0,
      [&](const tbb::blocked_range<std::size_t>& range, int failures) {
        const auto steps = static_cast<std::size_t>(dp.steps);
        std::vector<double> r(steps), infl(steps), scratch(2 * steps);
        NullRecorder rec;
        for (std::size_t t = range.begin(); t != range.end(); ++t) {
          const double* ip = draw_trial(dp, seed, t, r.data(), infl.data(), scratch.data());
          failures += run_path(pp, r.data(), ip, rec).failed ? 1 : 0;
        }
        return failures;
      },
      [](int a, int b) { return a + b; });
}

}  // namespace
}  // namespace detail

PlanResult simulate_retirement(const PlanInputs& in, const SimulationOptions& opt) {
  validate(in);
  detail::check_options(opt.trials, opt.target_success);
  const auto pp = detail::make_path_plan(in);
  const auto dp = detail::make_draw_plan(in);
  const auto trials = static_cast<std::size_t>(opt.trials);
  const auto years = static_cast<std::size_t>(in.years);
  const auto steps = static_cast<std::size_t>(dp.steps);

  // Every cell is written by its trial, so the matrices need no zero-filling.
  std::unique_ptr<double[]> balance, spending;
  if (opt.percentile_paths) {
    balance.reset(new double[(years + 1) * trials]);
    spending.reset(new double[years * trials]);
  }
  std::vector<double> terminal(trials);
  std::vector<int> shortfall(trials);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, trials, detail::kGrain),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::vector<double> r(steps), infl(steps), scratch(2 * steps);
                      detail::MatrixRecorder mrec{balance.get(), spending.get(), trials};
                      detail::NullRecorder nrec;
                      for (std::size_t t = range.begin(); t != range.end(); ++t) {
                        const double* ip = detail::draw_trial(dp, opt.seed, t, r.data(), infl.data(),
                                                               scratch.data());
                        detail::TrialOutcome o;
                        if (opt.percentile_paths) {
                          mrec.trial = t;
                          o = detail::run_path(pp, r.data(), ip, mrec);
                        } else {
                          o = detail::run_path(pp, r.data(), ip, nrec);
                        }
                        terminal[t] = o.terminal;
                        shortfall[t] = o.failed ? o.shortfall_year : 0;
                      }
                    });

  PlanResult res;
  res.trials = opt.trials;
  res.shortfalls_by_year.assign(years, 0);
  std::vector<double> fail_years;
  for (std::size_t t = 0; t < trials; ++t) {
    if (shortfall[t] > 0) {
      ++res.failures;
      ++res.shortfalls_by_year[static_cast<std::size_t>(shortfall[t] - 1)];
      fail_years.push_back(shortfall[t]);
    }
  }
  res.success_rate = 1.0 - static_cast<double>(res.failures) / static_cast<double>(trials);
  res.success_standard_error =
      std::sqrt(res.success_rate * (1.0 - res.success_rate) / static_cast<double>(trials));
  if (!fail_years.empty()) res.median_shortfall_year = quantile(fail_years, 0.5);
  res.terminal_mean = mean(terminal);
  detail::percentiles_in_place(terminal.data(), trials, kPercentileLevels, 5,
                               res.terminal_percentiles);

  if (opt.percentile_paths) {
    const std::size_t rows = 2 * years + 1;
    std::vector<double> q(rows * 5);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows, 1),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t row = range.begin(); row != range.end(); ++row) {
                          double* col = row <= years ? balance.get() + row * trials
                                                     : spending.get() + (row - years - 1) * trials;
                          detail::percentiles_in_place(col, trials, kPercentileLevels, 5,
                                                       q.data() + row * 5);
                        }
                      });
    res.balance.values.assign(5, std::vector<double>(years + 1));
    res.spending.values.assign(5, std::vector<double>(years));
    for (std::size_t row = 0; row < rows; ++row) {
      for (std::size_t k = 0; k < 5; ++k) {
        if (row <= years)
          res.balance.values[k][row] = q[row * 5 + k];
        else
          res.spending.values[k][row - years - 1] = q[row * 5 + k];
      }
    }
  }
  if (opt.target_success)
    res.safe_withdrawal_rate =
        solve_safe_withdrawal_rate(in, opt.trials, opt.seed, *opt.target_success);
  return res;
}

double solve_safe_withdrawal_rate(const PlanInputs& inputs, int trials, std::uint64_t seed,
                                  double target_success) {
  detail::check_options(trials, target_success);
  if (inputs.strategy == Strategy::kVpw || inputs.strategy == Strategy::kConstantPercentage)
    throw Error::invalid_input(
        "a safe withdrawal rate is defined for constant-dollar, guyton-klinger and floor-ceiling "
        "only: the success of " +
        std::string(strategy_name(inputs.strategy)) + " does not depend on a first withdrawal");
  PlanInputs in = inputs;
  in.withdrawal_amount.reset();
  in.withdrawal_rate = 0.0;
  validate(in);
  auto pp = detail::make_path_plan(in);
  const auto dp = detail::make_draw_plan(in);
  // Success >= target  <=>  failures <= allowed.
  const auto allowed = static_cast<int>(std::floor((1.0 - target_success) * trials + 1e-9));
  auto ok = [&](double rate) {
    pp.rate = rate;
    return detail::count_failures(pp, dp, trials, seed) <= allowed;
  };
  double lo = 0.0, hi = 1.0;
  if (!ok(lo)) return 0.0;
  while (hi - lo > 1e-6) {
    const double mid = 0.5 * (lo + hi);
    (ok(mid) ? lo : hi) = mid;
  }
  return lo;
}

PathResult simulate_path(const PlanInputs& in, std::span<const double> returns,
                         std::span<const double> inflation) {
  validate(in);
  const auto steps = static_cast<std::size_t>(in.years) * static_cast<std::size_t>(in.steps_per_year);
  if (returns.size() != steps || inflation.size() != steps)
    throw Error::invalid_input("simulate_path: returns and inflation need " +
                               std::to_string(steps) + " values (years x steps per year), got " +
                               std::to_string(returns.size()) + " and " +
                               std::to_string(inflation.size()));
  const auto pp = detail::make_path_plan(in);
  PathResult r;
  detail::VectorRecorder rec{&r};
  const auto o = detail::run_path(pp, returns.data(), inflation.data(), rec);
  r.failed = o.failed;
  r.shortfall_year = o.shortfall_year;
  return r;
}

}  // namespace keel::plan
