#include "keel/server/scheduler.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace keel::server {

std::optional<int> parse_time_of_day(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::int64_t next_daily_run(std::int64_t now_epoch, int minute_of_day) {
  // Floor division, so instants before 1970 also land on their own UTC day.
  std::int64_t day = now_epoch / kSecondsPerDay;
  if (now_epoch % kSecondsPerDay < 0) --day;
  const std::int64_t today = day * kSecondsPerDay + static_cast<std::int64_t>(minute_of_day) * 60;
  return today > now_epoch ? today : today + kSecondsPerDay;
}

DailyScheduler::DailyScheduler(int minute_of_day, std::function<std::int64_t()> now,
                               std::function<void(std::int64_t)> fire, double poll_seconds)
    : minute_of_day_(minute_of_day), now_(std::move(now)), fire_(std::move(fire)), poll_seconds_(poll_seconds) {}

DailyScheduler::~DailyScheduler() { stop(); }

void DailyScheduler::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = false;
  }
  thread_ = std::thread([this] { loop(); });
}

void DailyScheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DailyScheduler::loop() {
  std::int64_t next = next_daily_run(now_(), minute_of_day_);
  std::unique_lock lock(mutex_);
  while (!stop_) {
    const std::int64_t now = now_();
    if (now >= next) {
      lock.unlock();
      fire_(next);
      ++runs_;
      lock.lock();
      next = next_daily_run(now, minute_of_day_);  // a clock that jumped days ahead fires once
      continue;
    }
    const double wait = std::min(static_cast<double>(next - now), poll_seconds_);
    cv_.wait_for(lock, std::chrono::duration<double>(wait), [this] { return stop_; });
  }
}

PeriodicTask::PeriodicTask(double interval_seconds, std::function<void()> fire,
                           std::function<void(const std::exception&)> on_error)
    : interval_seconds_(interval_seconds), fire_(std::move(fire)), on_error_(std::move(on_error)) {}

PeriodicTask::~PeriodicTask() { stop(); }

void PeriodicTask::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = false;
  }
  thread_ = std::thread([this] { loop(); });
}

void PeriodicTask::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    try {
      fire_();
    } catch (const std::exception& e) {
      if (on_error_) on_error_(e);
    }
    ++runs_;
    lock.lock();
    if (interval_seconds_ > 0) {
      cv_.wait_for(lock, std::chrono::duration<double>(interval_seconds_), [this] { return stop_; });
    } else {
      cv_.wait(lock, [this] { return stop_; });  // once, at start
    }
  }
}

}  // namespace keel::server
