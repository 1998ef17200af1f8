// keel/core/cancel.h: asking a computation to stop, and its deadline.
//
// A long computation (Monte Carlo paths, plan trials, a CLO grid's points, a solver's iterations)
// is given a Cancellation by whoever started it: keel serve's request (stopped when its deadline
// passes or its client disconnects), a background job (stopped when a user cancels it, the lease
// is lost or the server shuts down), or nothing at all (the keel command, a library call). Its
// loops call check() at least every 100 ms of work; check() throws keel::Error:
//   - cancelled (ErrorCode::kCancelled) after cancel(), naming who asked;
//   - unavailable (ErrorCode::kUnavailable) once the deadline has passed, naming the deadline.
// stop_requested() answers the same question without throwing, for loops that must unwind first.
//
// Engines find the caller's Cancellation through a scope, not a parameter threaded through every
// signature: CancelScope installs one on the calling thread, and current_cancellation() reads it.
// A parallel loop reads it once on the calling thread and hands the pointer to its tasks (TBB's
// threads do not see the caller's thread_local). Without a scope, current_cancellation() is null
// and cancellation_point() costs one thread-local read.
//
// Thread-safety: cancel(), set_deadline() and check() may be called from any thread at once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace keel {

class Cancellation {
 public:
  using Clock = std::chrono::steady_clock;

  Cancellation() = default;
  Cancellation(const Cancellation&) = delete;
  Cancellation& operator=(const Cancellation&) = delete;

  // Asks the computation to stop; `why` is the message's cause ("cancelled by alice", "the
  // client disconnected", "the server is shutting down"). The first call wins.
  void cancel(std::string why);
  // Ends the computation with `unavailable` once `when` has passed; `what` names the deadline in
  // the message ("the request deadline of 30 s (--request-deadline)").
  void set_deadline(Clock::time_point when, std::string what);

  // True once cancel() was called or the deadline passed.
  bool stop_requested() const;
  // Throws Error::cancelled or Error::unavailable as the header says; nothing otherwise.
  void check() const;
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

 private:
  std::atomic<bool> cancelled_{false};
  std::atomic<std::int64_t> deadline_ns_{INT64_MAX};  // steady clock, since its epoch
  mutable std::mutex mutex_;                          // guards the two texts
  std::string why_;
  std::string deadline_what_;
};

// The Cancellation of the calling thread's computation, or null.
const Cancellation* current_cancellation();

// Throws as current_cancellation()->check() when there is one.
void cancellation_point();

// Installs `c` (may be null) as the calling thread's Cancellation for the scope's life, restoring
// the previous one after.
class CancelScope {
 public:
  explicit CancelScope(const Cancellation* c);
  ~CancelScope();
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  const Cancellation* previous_;
};

// A loop's check, cheap enough for every iteration: it reads the clock and asks `c` every
// `stride` calls (a power of two). Use one per thread.
class CancelPoll {
 public:
  explicit CancelPoll(const Cancellation* c, std::uint32_t stride = 256) : c_(c), mask_(stride - 1) {}
  void operator()() {
    if (c_ != nullptr && (++n_ & mask_) == 0) c_->check();
  }

 private:
  const Cancellation* c_;
  std::uint32_t mask_;
  std::uint32_t n_ = 0;
};

}  // namespace keel
