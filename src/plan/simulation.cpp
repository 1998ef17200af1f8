#include "keel/plan/simulation.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include "keel/core/cancel.h"
#include <tbb/task_group.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "draws.h"
#include "keel/core/error.h"
#include "keel/core/memory.h"
#include "keel/core/rng.h"
#include "keel/core/stats.h"
#include "kernel.h"
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
      case EventType::kExpense:
        p.oneoff_real[y] -= e.amount;
        break;
      case EventType::kWindfall:
        p.oneoff_real[y] += e.amount;
        break;
      case EventType::kIncomeChange:
        for (std::size_t z = y; z < years; ++z) income[z] += e.amount;
        break;
      case EventType::kSavingsRateChange:
        savings.push_back(&e);
        break;
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

struct VectorRecorder {
  static constexpr bool kRules = true;
  PathResult* r;
  void year(int, double b, double s) {
    r->balance.push_back(b);
    r->spending.push_back(s);
  }
  void gk(int kind, int y, bool fired) {
    if (fired) (kind == 0 ? r->gk_frozen : kind == 1 ? r->gk_cuts : r->gk_raises).push_back(y);
  }
};

void check_options(int trials, std::optional<double> target) {
  std::vector<std::string> problems;
  if (trials < 1 || trials > 10'000'000)
    problems.push_back(fmt::format("trials: must be 1..10,000,000, got {}", trials));
  if (target && !(*target > 0.0 && *target < 1.0)) problems.push_back("target_success: must be in (0, 1)");
  if (!problems.empty()) throw Error::invalid_input("invalid simulation options", problems);
}

constexpr std::size_t kGrainGroups = 32;  // groups of kGroup trials per task
// Working memory a thread keeps between runs. Fresh memory costs a page fault per 4 KiB page when
// first touched (about 1,000 for 10,000 trials x 40 years, as long as the simulation itself), so
// a buffer of up to kKeepBytes stays with its thread for the next run (at most four, ~33 MB per
// thread): the caller's thread for the states and rows, each worker for its percentile scratch.
// Larger buffers are allocated per run, on huge pages where Linux allows. A run nested on a
// thread whose buffer is in use (a TBB worker taking up another plan's task while it waits) gets
// its own memory.
constexpr std::size_t kKeepBytes = std::size_t{8} << 20;

template <class T, int kSlot>
class Scratch {
 public:
  explicit Scratch(std::size_t n) : kept_(n * sizeof(T) <= kKeepBytes && !in_use_) {
    if (kept_) {
      in_use_ = true;
      if (store_.size() < n) store_.resize(n);
      data_ = store_.data();
    } else {
      owned_.reset(new T[n]);
      data_ = owned_.get();
      advise_huge_pages(data_, n * sizeof(T));  // one fault per 2 MiB instead of per 4 KiB
    }
  }
  ~Scratch() {
    if (kept_) in_use_ = false;
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  T* get() const { return data_; }

 private:
  static thread_local std::vector<T> store_;
  static thread_local bool in_use_;
  bool kept_;
  std::unique_ptr<T[]> owned_;
  T* data_ = nullptr;
};
template <class T, int kSlot>
thread_local std::vector<T> Scratch<T, kSlot>::store_;
template <class T, int kSlot>
thread_local bool Scratch<T, kSlot>::in_use_ = false;

// The percentile tasks of the two halves of the rows. Waited for before the rows go away, also
// when the simulation throws.
struct PendingRows {
  tbb::task_group group[2];
  void wait_all() {
    group[0].wait();
    group[1].wait();
  }
  ~PendingRows() {
    for (auto& g : group) {
      g.cancel();
      try {
        g.wait();
      } catch (...) {  // already unwinding from the simulation's exception
      }
    }
  }
};

// The slots: one buffer each per thread.
using StateScratch = Scratch<double, 0>;
using BalanceScratch = Scratch<double, 1>;
using SpendingScratch = Scratch<double, 2>;
using RankScratch = Scratch<std::uint32_t, 3>;

// The report percentiles of a column of n trial values (reordered when short). `idx`: n values.
__attribute__((target_clones("avx512f", "avx2", "default"))) void column_percentiles(double* col,
                                                                                     std::size_t n, double* q,
                                                                                     std::uint32_t* idx) {
  if (n < 4096)
    percentiles_in_place(col, n, kPercentileLevels, 5, q);
  else
    percentiles_by_counting(col, n, kPercentileLevels, 5, q, idx);
}

std::size_t padded_trials(std::size_t trials) {
  return (trials + kGroup - 1) / kGroup * kGroup;
}

// kernel.run_chunk over trials [t_first, t_last) in blocks of kGrainGroups groups, asking `cancel`
// (when there is one) before each: a task of the partitioner may hold many blocks, and a block is
// well under a millisecond, so a cancelled run stops within one. Trials are independent: the
// blocks give the bits of one call.
void run_blocks(const Kernel& kernel, const ChunkJob& job, std::size_t t_first, std::size_t t_last,
                const Cancellation* cancel) {
  if (cancel == nullptr) {
    kernel.run_chunk(job, t_first, t_last);
    return;
  }
  constexpr std::size_t kBlock = kGrainGroups * kGroup;
  for (std::size_t a = t_first; a < t_last; a += kBlock) {
    cancel->check();
    kernel.run_chunk(job, a, std::min(t_last, a + kBlock));
  }
}

// Number of failing trials for a plan (no paths kept; the whole horizon in one chunk per task);
// deterministic for any thread count. `states`: kStateFields x padded trials.
int count_failures(const Kernel& kernel, const PathPlan& pp, const DrawPlan& dp, int trials,
                   std::uint64_t seed, double* states) {
  const auto n = static_cast<std::size_t>(trials);
  const std::size_t stride = padded_trials(n);
  const ChunkJob job{&pp, &dp, seed, 0, pp.years, states, stride, nullptr, nullptr, nullptr, 0};
  const double* failed_year = states + kStateFailedYear * stride;
  const Cancellation* cancel = current_cancellation();
  return tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, stride / kGroup, kGrainGroups), 0,
      [&](const tbb::blocked_range<std::size_t>& range, int failures) {
        const std::size_t t_first = range.begin() * kGroup, t_last = range.end() * kGroup;
        run_blocks(kernel, job, t_first, t_last, cancel);
        for (std::size_t t = t_first; t < std::min(t_last, n); ++t) failures += failed_year[t] > 0.0 ? 1 : 0;
        return failures;
      },
      [](int a, int b) { return a + b; });
}

// Years per chunk: the whole horizon unless rows are kept; then as many years as fit `cells`
// trial-years, a multiple of 4 steps so each chunk starts on a Philox block. Each chunk costs a
// pass over the trials' states and a wait for the slowest percentile task, against rows that stay
// in cache and memory the thread keeps (100,000 trials x 480 months: 2^18 cells, 20 chunks,
// 43 ms; 2^19, 10 chunks, 38-39 ms; 2^20, 41-43 ms; 2^21, 43-47 ms; 2^22, 45 ms).
int chunk_years(const PathPlan& pp, std::size_t stride, bool rows, std::size_t cells) {
  if (!rows) return pp.years;
  int y = static_cast<int>(std::min<std::size_t>(cells / stride, 1000));
  if (pp.steps_per_year % 4 != 0) y = y / 4 * 4;
  const int least = pp.steps_per_year % 4 != 0 ? 4 : 1;
  return std::min(std::max(y, least), pp.years);
}

}  // namespace

// The result from every trial's shortfall year and final balance (reordered by the percentiles),
// and the percentile rows of balance (years + 1 rows of 5) and spending (years rows of 5).
PlanResult finish_result(const PlanInputs& in, const SimulationOptions& opt, const double* failed_year,
                         double* terminal, const std::vector<double>& q_balance,
                         const std::vector<double>& q_spending);

}  // namespace detail

static_assert(kTrialAlignment == static_cast<int>(detail::kGroup), "shards start on a kernel group");

std::size_t trial_value_count(const PlanInputs& in, const SimulationOptions& opt) {
  return 2 + (opt.percentile_paths ? 2 * static_cast<std::size_t>(in.years) : 0);
}

std::vector<double> simulate_trials(const PlanInputs& in, const SimulationOptions& opt, int first, int last) {
  validate(in);
  detail::check_options(opt.trials, opt.target_success);
  if (first < 0 || first >= last || last > opt.trials || first % kTrialAlignment != 0) {
    throw Error::invalid_input(fmt::format(
        "plan trials [{}, {}) are not a range of the run's {} trials starting on a multiple of {}", first,
        last, opt.trials, kTrialAlignment));
  }
  const auto pp = detail::make_path_plan(in);
  const auto dp = detail::make_draw_plan(in);
  const auto n = static_cast<std::size_t>(last - first);
  const auto years = static_cast<std::size_t>(in.years);
  const std::size_t stride = detail::padded_trials(n);
  // The whole horizon in one chunk (the chunking of a whole run does not change its numbers):
  // every trial's states and, for the percentile paths, every year's balance and spending.
  std::vector<double> states(detail::kStateFields * stride);
  std::vector<double> balance(opt.percentile_paths ? years * stride : 0), spending(balance.size());
  const detail::ChunkJob job{&pp, &dp, opt.seed, 0, in.years, states.data(), stride,
                             opt.percentile_paths ? balance.data() : nullptr,
                             opt.percentile_paths ? spending.data() : nullptr, nullptr,
                             static_cast<std::size_t>(first)};
  const auto& kernel = detail::best_kernel();
  const Cancellation* cancel = current_cancellation();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, stride / detail::kGroup, detail::kGrainGroups),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      detail::run_blocks(kernel, job, static_cast<std::size_t>(first) + range.begin() * detail::kGroup,
                                         static_cast<std::size_t>(first) + range.end() * detail::kGroup, cancel);
                    });
  const std::size_t per = trial_value_count(in, opt);
  std::vector<double> out(n * per);
  for (std::size_t t = 0; t < n; ++t) {
    double* v = out.data() + t * per;
    v[0] = states[detail::kStateFailedYear * stride + t];
    v[1] = states[detail::kStateBalance * stride + t];
    if (!opt.percentile_paths) continue;
    for (std::size_t y = 0; y < years; ++y) {
      v[2 + y] = balance[y * stride + t];
      v[2 + years + y] = spending[y * stride + t];
    }
  }
  return out;
}

PlanResult reduce_trials(const PlanInputs& in, const SimulationOptions& opt, const std::vector<double>& values) {
  validate(in);
  detail::check_options(opt.trials, opt.target_success);
  const auto trials = static_cast<std::size_t>(opt.trials);
  const auto years = static_cast<std::size_t>(in.years);
  const std::size_t per = trial_value_count(in, opt);
  if (values.size() != trials * per) {
    throw Error::invalid_input(
        fmt::format("plan: {} values for {} trials of {}", values.size(), trials, per));
  }
  std::vector<double> failed(trials), terminal(trials);
  for (std::size_t t = 0; t < trials; ++t) {
    failed[t] = values[t * per];
    terminal[t] = values[t * per + 1];
  }
  std::vector<double> q_balance((years + 1) * 5, in.initial_balance), q_spending(years * 5);
  if (opt.percentile_paths) {
    // Each year's column of every trial, in trial order, as the whole run's rows hold it.
    tbb::parallel_for(std::size_t{0}, 2 * years, [&](std::size_t i) {
      const bool is_balance = i < years;
      const std::size_t y = i % years;
      std::vector<double> col(trials);
      const std::size_t at = 2 + (is_balance ? 0 : years) + y;
      for (std::size_t t = 0; t < trials; ++t) col[t] = values[t * per + at];
      double* q = is_balance ? q_balance.data() + (y + 1) * 5 : q_spending.data() + y * 5;
      const detail::RankScratch idx(trials);
      detail::column_percentiles(col.data(), trials, q, idx.get());
    });
  }
  return detail::finish_result(in, opt, failed.data(), terminal.data(), q_balance, q_spending);
}

PlanResult simulate_retirement(const PlanInputs& in, const SimulationOptions& opt) {
  return detail::simulate_retirement(detail::best_kernel(), in, opt);
}

PlanResult detail::simulate_retirement(const Kernel& kernel, const PlanInputs& in,
                                       const SimulationOptions& opt) {
  validate(in);
  detail::check_options(opt.trials, opt.target_success);
  const auto pp = detail::make_path_plan(in);
  const auto dp = detail::make_draw_plan(in);
  const auto trials = static_cast<std::size_t>(opt.trials);
  const auto years = static_cast<std::size_t>(in.years);
  const std::size_t stride = detail::padded_trials(trials);
  const std::size_t groups = stride / detail::kGroup;
  const int chunk = detail::chunk_years(pp, stride, opt.percentile_paths, opt.path_cells);
  // Student-t: each trial's chi-squared stream goes on from chunk to chunk.
  std::vector<PhiloxStream> chi;
  if (dp.kind == ReturnModelKind::kStudentT && chunk < in.years) {
    chi.reserve(stride);
    for (std::size_t t = 0; t < stride; ++t) chi.emplace_back(opt.seed, detail::stream_id(t, 1));
  }

  // Every cell of the states and rows is written by its trial before it is read: no zero-filling.
  // The rows are double-buffered: the percentiles of one chunk are computed while the next chunk
  // is simulated into the other half (the threads take either kind of task, so neither waits for
  // the slowest task of the other).
  const std::size_t row_cells = opt.percentile_paths ? static_cast<std::size_t>(chunk) * stride : 0;
  const detail::StateScratch states(detail::kStateFields * stride);
  const detail::BalanceScratch balance(2 * row_cells);
  const detail::SpendingScratch spending(2 * row_cells);
  // q_balance[t * 5 + k]: level k at year-end t (t = 0 is the start); q_spending by year.
  std::vector<double> q_balance((years + 1) * 5, in.initial_balance), q_spending(years * 5);
  detail::PendingRows pending;
  const Cancellation* cancel = current_cancellation();
  for (int y_first = 0, c = 0; y_first < in.years; y_first += chunk, ++c) {
    const int y_last = std::min(in.years, y_first + chunk);
    const auto half = static_cast<std::size_t>(c % 2);
    double* balance_rows = balance.get() + half * row_cells;
    double* spending_rows = spending.get() + half * row_cells;
    pending.group[half].wait();  // the percentiles of chunk c - 2 have read this half
    const detail::ChunkJob job{&pp,           &dp,
                               opt.seed,      y_first,
                               y_last,        states.get(),
                               stride,        opt.percentile_paths ? balance_rows : nullptr,
                               spending_rows, chi.empty() ? nullptr : chi.data(),
                               0};
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, groups, detail::kGrainGroups),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        detail::run_blocks(kernel, job, range.begin() * detail::kGroup, range.end() * detail::kGroup,
                                           cancel);
                      });
    if (!opt.percentile_paths) continue;
    const auto rows = static_cast<std::size_t>(y_last - y_first);
    for (std::size_t i = 0; i < 2 * rows; ++i) {
      const std::size_t row = i % rows;
      const std::size_t y = static_cast<std::size_t>(y_first) + row;
      const bool is_balance = i < rows;
      double* col = (is_balance ? balance_rows : spending_rows) + row * stride;
      double* q = is_balance ? q_balance.data() + (y + 1) * 5 : q_spending.data() + y * 5;
      pending.group[half].run([col, q, trials] {
        const detail::RankScratch idx(trials);
        detail::column_percentiles(col, trials, q, idx.get());
      });
    }
  }
  pending.wait_all();
  return detail::finish_result(in, opt, states.get() + detail::kStateFailedYear * stride,
                               states.get() + detail::kStateBalance * stride, q_balance, q_spending);
}

PlanResult detail::finish_result(const PlanInputs& in, const SimulationOptions& opt, const double* failed_year,
                                 double* terminal, const std::vector<double>& q_balance,
                                 const std::vector<double>& q_spending) {
  const auto trials = static_cast<std::size_t>(opt.trials);
  const auto years = static_cast<std::size_t>(in.years);
  PlanResult res;
  res.trials = opt.trials;
  res.shortfalls_by_year.assign(years, 0);
  // The final balances (reordered by the percentiles below, after their mean).
  for (std::size_t t = 0; t < trials; ++t) {
    const auto shortfall = static_cast<int>(failed_year[t]);
    if (shortfall > 0) {
      ++res.failures;
      ++res.shortfalls_by_year[static_cast<std::size_t>(shortfall - 1)];
    }
  }
  res.success_rate = 1.0 - static_cast<double>(res.failures) / static_cast<double>(trials);
  res.success_standard_error =
      std::sqrt(res.success_rate * (1.0 - res.success_rate) / static_cast<double>(trials));
  if (res.failures > 0) {
    // Median of the failure years from their counts (the same linear rule as keel::quantile:
    // h = (n - 1) / 2 between the order statistics floor(h) and floor(h) + 1).
    const double h = (static_cast<double>(res.failures) - 1.0) * 0.5;
    const auto lo = static_cast<int>(std::floor(h));
    const int hi = std::min(lo + 1, res.failures - 1);
    auto year_of_rank = [&](int rank) {
      int seen = 0;
      for (std::size_t y = 0; y < years; ++y) {
        seen += res.shortfalls_by_year[y];
        if (seen > rank) return static_cast<double>(y + 1);
      }
      return static_cast<double>(years);
    };
    const double a = year_of_rank(lo), b = year_of_rank(hi);
    res.median_shortfall_year = a + (h - static_cast<double>(lo)) * (b - a);
  }
  res.terminal_mean = mean(std::span<const double>(terminal, trials));
  const detail::RankScratch idx(trials);
  detail::column_percentiles(terminal, trials, res.terminal_percentiles, idx.get());

  if (opt.percentile_paths) {
    res.balance.values.assign(5, std::vector<double>(years + 1));
    res.spending.values.assign(5, std::vector<double>(years));
    for (std::size_t k = 0; k < 5; ++k) {
      for (std::size_t t = 0; t <= years; ++t) res.balance.values[k][t] = q_balance[t * 5 + k];
      for (std::size_t t = 0; t < years; ++t) res.spending.values[k][t] = q_spending[t * 5 + k];
    }
  }
  if (opt.target_success)
    res.safe_withdrawal_rate = solve_safe_withdrawal_rate(in, opt.trials, opt.seed, *opt.target_success);
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
  const auto& kernel = detail::best_kernel();
  const detail::StateScratch states(detail::kStateFields *
                                    detail::padded_trials(static_cast<std::size_t>(trials)));
  auto ok = [&](double rate) {
    pp.rate = rate;
    return detail::count_failures(kernel, pp, dp, trials, seed, states.get()) <= allowed;
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
    throw Error::invalid_input(fmt::format(
        "simulate_path: returns and inflation need {} values (years x steps per year), got {} and {}", steps,
        returns.size(), inflation.size()));
  const auto pp = detail::make_path_plan(in);
  PathResult r;
  r.balance.push_back(pp.initial_balance);
  detail::VectorRecorder rec{&r};
  auto st = detail::start_state<double>(pp);
  detail::StepInflation<double> infl;
  infl.fixed = inflation.data();
  detail::run_years(pp, st, 0, pp.years, returns.data(), infl, rec);
  r.failed = st.failed_year > 0.0;
  r.shortfall_year = static_cast<int>(st.failed_year);
  return r;
}

}  // namespace keel::plan
