// keel/server/rate_limit.h: token-bucket rate limits and failed-login throttling.
//
// TokenBucket (the classic token bucket, e.g. RFC 2697's single-rate meter without colours): each
// key (a user name or a client address) has a bucket of `capacity` tokens refilled continuously at
// `refill_per_second`; a request takes one token or is refused with the seconds until one is
// available (the Retry-After value, rounded up). With capacity = B and refill = N / 60, a client
// gets N requests per minute with bursts of up to B (B defaults to N). Buckets idle for longer than a full refill are
// forgotten (they would be full again), which bounds memory by the number of recently active keys.
//
// LoginThrottle: after `free_failures` consecutive failed logins for a key (an account or an
// address), further attempts are refused for base_delay x 2^(failures - free_failures) seconds
// (capped at max_delay). A success resets the key.
//
// State is in memory, or — after use_shared() — in a SharedLimitState the server's composition
// hands over: the database every `keel serve` of a PostgreSQL store shares (the store's shared
// limit state), so that N servers behind one proxy give a user N x nothing more
// than one server would. A shared TokenBucket takes its tokens in batches (a lease of
// lease_size() tokens: 1/32 of the capacity, at most 256) and spends them from memory for up to
// kLeaseSeconds, so the shared row is locked once per batch rather than once per request. Every
// request admitted spent a token of the shared bucket; tokens leased and not spent in time are
// dropped, never returned. So across S servers a user may get at most S x lease_size() requests
// beyond what one bucket would admit (tokens leased just before the bucket refilled), and may be
// refused up to that many early (tokens held by another server). One request of a key takes the
// next batch while the others of that key wait for it (up to kFetchWait), so a server asks the
// database once per batch, not once per waiting thread. A refusal is kept in memory
// until the shared bucket refills a token (the Retry-After), so a client hammering on its limit
// does not reach the database either. When that state cannot be reached (a call throws), a shared limiter falls
// back to its memory for that call (per-process limits rather than none, and no failed request).
// In memory, a restart forgets it, which only gives an attacker one more round of free attempts
// (docs/security.md).
//
// Times are passed in (seconds, fractional), so tests control the clock.
//
// Thread-safety: both classes lock internally; safe from many threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace keel::server {

struct RateDecision {
  bool allowed = true;
  std::int64_t retry_after_seconds = 0;  // > 0 when refused
};

struct LoginThrottleOptions {
  int free_failures = 5;        // failures before any delay
  double base_delay_seconds = 1.0;
  double max_delay_seconds = 900.0;
  // A key whose last failure is older than this starts counting afresh; 0: only a success resets.
  double forget_after_seconds = 0.0;
};

// Limits kept outside this process, shared by the servers of one store: the token buckets and
// failed-login counters of TokenBucket and LoginThrottle, by key. The limiters know only this
// interface; where the state lives is the composition's choice (src/server/server.cpp). Any call
// may throw when the state cannot be reached.
class SharedLimitState {
 public:
  virtual ~SharedLimitState() = default;
  // One request against the bucket of `key`: 0 when allowed, else the seconds until a token.
  virtual double take(const std::string& key, double capacity, double refill_per_second, double now) = 0;
  struct Grant {
    int granted = 0;
    double wait_seconds = 0.0;  // > 0 when nothing was granted
  };
  // Up to `want` tokens of the bucket of `key` at once (what it holds, at most `want`); the
  // default takes one through take().
  virtual Grant take_up_to(const std::string& key, int want, double capacity, double refill_per_second,
                           double now) {
    (void)want;
    const double wait = take(key, capacity, refill_per_second, now);
    return wait <= 0.0 ? Grant{1, 0.0} : Grant{0, wait};
  }
  virtual double blocked_until(const std::string& key) = 0;  // 0 when never blocked
  virtual void record_failure(const std::string& key, double now, const LoginThrottleOptions& options) = 0;
  virtual void record_success(const std::string& key) = 0;
  // Forgets buckets idle since before `buckets_before` and login counters whose block ended before
  // `failures_before`.
  virtual void sweep(double buckets_before, double failures_before) = 0;
};

class TokenBucket {
 public:
  // requests_per_minute <= 0 disables the limit (every request allowed). The bucket holds `burst`
  // tokens (<= 0: requests_per_minute), refilled at requests_per_minute / 60 a second.
  explicit TokenBucket(double requests_per_minute, double burst = 0.0);
  double burst() const { return capacity_; }
  RateDecision take(const std::string& key, double now_seconds);
  double requests_per_minute() const { return per_minute_; }
  std::size_t tracked_keys();
  // Tokens taken from the shared bucket at once (1 without shared state).
  int lease_size() const { return lease_size_; }
  static constexpr double kLeaseSeconds = 1.0;
  // Keep the buckets in `shared` from now on (memory stays the fallback).
  void use_shared(std::shared_ptr<SharedLimitState> shared);

 private:
  RateDecision take_local(const std::string& key, double now_seconds);
  std::shared_ptr<SharedLimitState> shared_;
  struct Bucket {
    double tokens = 0.0;
    double updated = 0.0;
  };
  double per_minute_;
  double capacity_;
  double refill_per_second_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mutex_
  double last_sweep_ = 0.0;                          // guarded by mutex_
  int lease_size_ = 1;
  struct Lease {
    double tokens = 0.0;    // taken from the shared bucket, not yet spent
    double taken_at = 0.0;  // the last batch's time: spent until kLeaseSeconds after it
    double refused_until = 0.0;  // the shared bucket had no token before this time
    bool fetching = false;       // a request of this key is taking the next batch
  };
  // Signalled when a batch has been taken: the requests of its key that waited for it go on.
  std::condition_variable fetched_;
  // The longest a request waits for another's batch before it asks the database itself.
  static constexpr auto kFetchWait = std::chrono::milliseconds(250);
  std::unordered_map<std::string, Lease> leases_;  // guarded by mutex_
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottleOptions options = {});
  // Seconds the key must still wait (0 = may try now).
  std::int64_t blocked_for(const std::string& key, double now_seconds);
  void record_failure(const std::string& key, double now_seconds);
  void record_success(const std::string& key);
  // Keep the counters in `shared` from now on (memory stays the fallback).
  void use_shared(std::shared_ptr<SharedLimitState> shared) { shared_ = std::move(shared); }

 private:
  std::shared_ptr<SharedLimitState> shared_;
  struct State {
    int failures = 0;
    double blocked_until = 0.0;
    double last_failure = 0.0;
  };
  LoginThrottleOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, State> state_;  // guarded by mutex_
};

}  // namespace keel::server
