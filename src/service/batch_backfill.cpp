// backfill_history (keel/service/backfill.h, docs/batch.md "Backfill").
#include "keel/service/backfill.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report_internal.h"
#include "keel/service/batch.h"
#include "keel/service/portfolio_view.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using detail::ms_since;

// One position's analyses on one day (the default steps: a valuation and the previous day's, a
// factor regression, VaR by three methods and a 250-day backtest over 252 returns), in kBookRow
// steps: the three example books over a year measured 3.85 CPU s for about 8,500 position-days,
// 0.45 ms each; 0.5 ms is 200 rows at kBookRow's 4e5 a second.
constexpr double kBookRowsPerPositionDay = 200.0;

// A portfolio to backfill: its name, its price dates in the range, and the first day it held
// anything (nullopt: a position without an entry date, held on every day).
struct Subject {
  std::string name;
  std::size_t positions = 0;
  std::vector<Date> price_dates;
  std::optional<Date> first_held;
};

// One unit of work: a portfolio on a day (a price date or a weekday without prices).
struct Task {
  std::size_t subject = 0;
  Date day;
  bool priced = true;
};

Subject subject_of(Store& store, const std::string& tenant, const std::string& name, Date from, Date to) {
  Subject s;
  s.name = name;
  const std::vector<Position> positions = store.positions(tenant, name);
  s.positions = positions.size();
  std::set<std::string> symbols;
  bool always_held = positions.empty();
  for (const Position& p : positions) {
    if (p.type != InstrumentType::kCash) symbols.insert(p.price_symbol());
    if (!p.entry_date) {
      always_held = true;
    } else if (!s.first_held || *p.entry_date < *s.first_held) {
      s.first_held = *p.entry_date;
    }
  }
  if (always_held) s.first_held.reset();
  if (!symbols.empty()) {
    const PriceHistory h = store.price_history({symbols.begin(), symbols.end()}, from, to, PriceField::kAdjustedClose);
    s.price_dates = h.dates;
  }
  return s;
}

// The failed steps of a report, "name: message" each.
std::vector<std::string> failed_steps(const Report& report) {
  std::vector<std::string> out;
  for (const ReportStep& s : report.steps) {
    if (s.status == "failed") out.push_back(s.name + ": " + s.message);
  }
  return out;
}

BackfillDay run_day(const Context& cx, const Subject& subject, const Task& task, const ReportRequest& base,
                    const detail::StepFilter& filter) {
  const auto t0 = std::chrono::steady_clock::now();
  BackfillDay day;
  day.portfolio = subject.name;
  day.as_of = task.day.to_string();
  if (!task.priced) {
    day.status = "skipped";
    day.message = "no price for any of the book's symbols on this weekday (a market holiday, or before the history)";
    return day;
  }
  if (subject.first_held && task.day < *subject.first_held) {
    day.status = "skipped";
    day.message = "nothing held yet: the first entry date is " + subject.first_held->to_string();
    return day;
  }
  ReportRequest rr = base;
  rr.source = BookSource{};
  rr.source.portfolio = subject.name;
  rr.source.as_of = task.day;
  rr.only_steps = filter.only;
  rr.with_history = false;
  try {
    Report report = build_report(cx, rr);
    if (report.summary.status == "failed") {
      day.status = "failed";
      day.message = report.summary.reason.value_or("the book could not be valued");
    } else {
      cx.store->snapshots().save(detail::snapshot_of(report, cx.actor.tenant, subject.name, task.day));
      const std::vector<std::string> failed = failed_steps(report);
      day.status = failed.empty() ? "stored" : "partial";
      day.message = fmt::format("{}", fmt::join(failed, "; "));
      day.net_value_amount = report.summary.net_value_amount;
      day.pnl_1d_amount = report.summary.pnl_1d_amount;
      day.var_amount = report.summary.var_amount;
    }
  } catch (const Error& e) {
    if (detail::run_stopped() || e.code() == ErrorCode::kCancelled) throw;
    day.status = "failed";
    day.message = detail::error_text(e);
  }
  day.elapsed_ms = ms_since(t0);
  return day;
}

// The steps of a backfill: the default, or those asked for with the snapshot; market-data, clo and
// reports are the daily batch's own.
detail::StepFilter backfill_filter(const std::vector<std::string>& asked) {
  std::vector<std::string> steps = asked;
  if (steps.empty()) steps.assign(std::begin(kBackfillDefaultSteps), std::end(kBackfillDefaultSteps));
  if (std::find(steps.begin(), steps.end(), "snapshot") == steps.end()) steps.push_back("snapshot");
  return detail::step_filter(steps);
}

// What a backfill will do: its portfolios, their days and what they cost.
struct Plan {
  std::vector<std::string> names;
  std::vector<Subject> subjects;
  std::vector<Task> tasks;
  ComputeCost cost;
};

Plan make_plan(const Context& cx, const BackfillRequest& req) {
  Store& store = require_store(cx, "a backfill runs on a store (--db)");
  check_backfill_request(req);
  const std::string& tenant = cx.actor.tenant;
  Plan plan;
  if (req.portfolios.empty()) {
    for (const auto& p : store.list_portfolios(tenant)) plan.names.push_back(p.name);
    if (plan.names.empty()) {
      throw Error::invalid_input("no portfolios in the store for tenant " + tenant +
                                 " (keel import positions FILE --portfolio NAME)");
    }
  } else {
    plan.names = portfolio_names(cx, req.portfolios);
  }
  // The days: each portfolio's price dates in the range, and the weekdays without one.
  std::size_t position_days = 0;
  std::size_t largest = 0;
  for (const auto& name : plan.names) {
    plan.subjects.push_back(subject_of(store, tenant, name, req.from, req.to));
    const Subject& s = plan.subjects.back();
    largest = std::max(largest, s.positions);
    std::size_t next = 0;
    for (Date d = req.from; d <= req.to; d = d.add_days(1)) {
      const bool priced = next < s.price_dates.size() && s.price_dates[next] == d;
      if (priced) ++next;
      if (!priced && d.is_weekend()) continue;
      plan.tasks.push_back({plan.subjects.size() - 1, d, priced});
      if (priced) position_days += s.positions;
    }
  }
  ComputeCost& c = plan.cost;
  c.operation = "backfill";
  c.engine = Engine::kBookRow;
  c.steps = static_cast<double>(position_days) * kBookRowsPerPositionDay;
  c.formula = fmt::format("position-days {} x {} rows a position-day", position_days, kBookRowsPerPositionDay);
  // One day's book at a time per worker: its returns (252 x positions), the VaR's scenarios and the
  // report document.
  c.memory_bytes = 4.0e6 + static_cast<double>(largest) * 252.0 * 8.0 * 16.0;
  c.parameter = "from, to, portfolios";
  c.has_job = true;
  return plan;
}

}  // namespace

ComputeCost backfill_cost(const Context& cx, const BackfillRequest& request) { return make_plan(cx, request).cost; }

void check_backfill_request(const BackfillRequest& req) {
  if (req.to < req.from) {
    throw Error::invalid_input("the backfill's range is empty",
                               {fmt::format("to: {} is before from {}", req.to.to_string(), req.from.to_string())});
  }
  if (req.to - req.from >= kMaxBackfillDays) {
    throw Error::invalid_input("the backfill's range is too long",
                               {fmt::format("to: at most {} days after from", kMaxBackfillDays - 1)});
  }
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < req.steps.size(); ++i) {
    if (req.steps[i] == "market-data" || req.steps[i] == "reports" || req.steps[i] == "clo") {
      problems.push_back(fmt::format("steps[{}]: {} is a step of the daily batch (keel batch run), not of a backfill", i,
                                     req.steps[i]));
    }
  }
  if (!problems.empty()) throw Error::invalid_input("steps a backfill does not run", problems);
  check_batch_steps(req.steps);
}

BackfillResult backfill_history(const Context& cx, const BackfillRequest& req) {
  const auto start = std::chrono::steady_clock::now();
  Plan plan = make_plan(cx, req);
  const detail::StepFilter filter = backfill_filter(req.steps);
  admit_now(cx, plan.cost);
  const std::vector<Subject>& subjects = plan.subjects;
  const std::vector<Task>& tasks = plan.tasks;
  const std::string& tenant = cx.actor.tenant;
  const std::vector<std::string>& names = plan.names;

  BackfillResult out;
  out.from = req.from.to_string();
  out.to = req.to.to_string();
  out.tenant = tenant;
  out.portfolios = names;
  out.days.resize(tasks.size());

  std::size_t threads = req.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  if (!req.open_store) threads = 1;
  threads = std::max<std::size_t>(1, std::min(threads, tasks.size()));
  out.threads = threads;

  if (threads == 1) {
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      out.days[i] = run_day(cx, subjects[tasks[i].subject], tasks[i], req.report, filter);
      if (req.progress) req.progress(i + 1, tasks.size());
    }
  } else {
    // Workers take the next day; each has its own store. The first error (a store that does not
    // open, a cancelled run) stops them all and is thrown here.
    const Cancellation* cancel = current_cancellation();
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t done = 0;
    std::exception_ptr error;
    auto work = [&] {
      CancelScope scope(cancel);
      try {
        std::unique_ptr<Store> own = req.open_store();
        Context wcx = cx;
        wcx.store = own.get();
        for (std::size_t i = next++; i < tasks.size() && !stop; i = next++) {
          out.days[i] = run_day(wcx, subjects[tasks[i].subject], tasks[i], req.report, filter);
          std::lock_guard lock(mutex);
          ++done;
          changed.notify_one();
        }
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
        stop = true;
        changed.notify_one();
      }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(work);
    // Progress as the days end; the workers may all be done before this thread first looks, so the
    // last count is told after they are joined.
    std::size_t reported = 0;
    {
      std::unique_lock lock(mutex);
      while (done < tasks.size() && !stop) {
        changed.wait(lock, [&] { return done != reported || stop; });
        reported = done;
        if (req.progress) {
          lock.unlock();
          req.progress(reported, tasks.size());
          lock.lock();
        }
      }
    }
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    if (req.progress && reported != done) req.progress(done, tasks.size());
  }
  for (const BackfillDay& d : out.days) {
    if (d.status == "stored") ++out.stored;
    else if (d.status == "partial") ++out.partial;
    else if (d.status == "skipped") ++out.skipped;
    else ++out.failed;
  }
  out.elapsed_ms = ms_since(start);
  return out;
}

}  // namespace keel::service
