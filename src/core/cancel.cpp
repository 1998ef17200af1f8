// keel/core/cancel.h: the stop flag, the deadline and the calling thread's scope.
#include "keel/core/cancel.h"

#include "keel/core/error.h"

namespace keel {
namespace {

thread_local const Cancellation* t_current = nullptr;

std::int64_t steady_ns(Cancellation::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

void Cancellation::cancel(std::string why) {
  {
    std::lock_guard lock(mutex_);
    if (cancelled_.load(std::memory_order_relaxed)) return;
    why_ = std::move(why);
  }
  cancelled_.store(true, std::memory_order_release);
}

void Cancellation::set_deadline(Clock::time_point when, std::string what) {
  {
    std::lock_guard lock(mutex_);
    deadline_what_ = std::move(what);
  }
  deadline_ns_.store(steady_ns(when), std::memory_order_release);
}

bool Cancellation::stop_requested() const {
  if (cancelled_.load(std::memory_order_acquire)) return true;
  const std::int64_t d = deadline_ns_.load(std::memory_order_acquire);
  return d != INT64_MAX && steady_ns(Clock::now()) >= d;
}

void Cancellation::check() const {
  if (cancelled_.load(std::memory_order_acquire)) {
    std::lock_guard lock(mutex_);
    throw Error::cancelled("the computation was stopped: " + why_);
  }
  const std::int64_t d = deadline_ns_.load(std::memory_order_acquire);
  if (d != INT64_MAX && steady_ns(Clock::now()) >= d) {
    std::lock_guard lock(mutex_);
    throw Error::unavailable("the computation passed " + deadline_what_ +
                             " and was stopped; run it as a background job (\"async\": true) or ask for less");
  }
}

const Cancellation* current_cancellation() { return t_current; }

void cancellation_point() {
  if (t_current != nullptr) t_current->check();
}

CancelScope::CancelScope(const Cancellation* c) : previous_(t_current) { t_current = c; }
CancelScope::~CancelScope() { t_current = previous_; }

}  // namespace keel
