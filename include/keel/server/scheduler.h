// keel/server/scheduler.h: a once-a-day trigger for `keel serve --batch-daily HH:MM` (UTC), and a
// periodic one (the server's ALM session cleanup, `--alm-cleanup-interval`).
//
// next_daily_run is the pure rule: the first instant strictly after `now` whose UTC time of day is
// `minute_of_day` minutes past midnight. DailyScheduler runs one thread that sleeps until that
// instant, calls `fire(scheduled_epoch)`, and repeats; stop() wakes it and joins. The clock is a
// function (`now`), so tests drive it with a fake clock: the thread re-reads the clock at least
// every `poll_seconds` while waiting, so a clock that jumps forward fires within one poll.
// A run missed while the server was down is not made up: the next run is the next day's time.
//
// Thread-safety: start() and stop() from one owner thread; `fire` runs on the scheduler thread and
// must be thread-safe with respect to the rest of the server (it opens its own store connection).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "keel/core/date.h"  // iso_utc

namespace keel::server {

inline constexpr std::int64_t kSecondsPerDay = 86400;

// Minutes past 00:00 from "HH:MM" (00:00..23:59); nullopt when malformed.
std::optional<int> parse_time_of_day(const std::string& text);

// The smallest t > now_epoch (seconds since 1970-01-01 UTC) with t mod 86400 == minute_of_day * 60.
std::int64_t next_daily_run(std::int64_t now_epoch, int minute_of_day);


class DailyScheduler {
 public:
  DailyScheduler(int minute_of_day, std::function<std::int64_t()> now, std::function<void(std::int64_t)> fire,
                 double poll_seconds = 1.0);
  ~DailyScheduler();  // stop()
  DailyScheduler(const DailyScheduler&) = delete;
  DailyScheduler& operator=(const DailyScheduler&) = delete;

  void start();
  void stop();  // idempotent
  std::int64_t runs() const { return runs_.load(); }

 private:
  void loop();
  int minute_of_day_;
  std::function<std::int64_t()> now_;
  std::function<void(std::int64_t)> fire_;
  double poll_seconds_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mutex_
  std::atomic<std::int64_t> runs_{0};
  std::thread thread_;
};

// Runs `fire` on its own thread at start() and then every `interval_seconds` (0: only at start)
// until stop(), which wakes the wait and joins (a run in progress finishes first). An exception
// from `fire` is passed to `on_error` (that run is lost; the next one happens on time).
//
// Thread-safety: start() and stop() from one owner thread; `fire` runs on the task's thread.
class PeriodicTask {
 public:
  PeriodicTask(double interval_seconds, std::function<void()> fire,
               std::function<void(const std::exception&)> on_error = {});
  ~PeriodicTask();  // stop()
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  void start();
  void stop();  // idempotent
  std::int64_t runs() const { return runs_.load(); }

 private:
  void loop();
  double interval_seconds_;
  std::function<void()> fire_;
  std::function<void(const std::exception&)> on_error_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mutex_
  std::atomic<std::int64_t> runs_{0};
  std::thread thread_;
};

}  // namespace keel::server
