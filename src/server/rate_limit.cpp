#include "keel/server/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace keel::server {

TokenBucket::TokenBucket(double requests_per_minute, double burst)
    : per_minute_(requests_per_minute),
      capacity_(std::max(burst > 0.0 ? burst : requests_per_minute, 1.0)),
      refill_per_second_(requests_per_minute / 60.0) {}

void TokenBucket::use_shared(std::shared_ptr<SharedLimitState> shared) {
  shared_ = std::move(shared);
  lease_size_ = shared_ ? static_cast<int>(std::clamp(std::floor(capacity_ / 32.0), 1.0, 256.0)) : 1;
}

RateDecision TokenBucket::take(const std::string& key, double now) {
  if (per_minute_ <= 0.0) return {};
  if (shared_) {
    try {
      bool sweep = false;
      bool fetcher = false;  // this request marked the key's batch as being taken
      {
        std::unique_lock lock(mutex_);
        if (now - last_sweep_ > capacity_ / refill_per_second_) {
          last_sweep_ = now;
          sweep = true;
          std::erase_if(leases_, [&](const auto& kv) {
            return now - kv.second.taken_at >= kLeaseSeconds && now >= kv.second.refused_until &&
                   !kv.second.fetching;
          });
        }
        for (;;) {
          // A token of this server's lease, or the shared bucket known empty until a refill: no
          // round trip, no shared row touched. (Tokens come back only by refilling, so no server
          // can be given one before refused_until.)
          Lease& l = leases_[key];
          // (A request whose clock was read just before the batch's may spend it too.)
          if (l.tokens >= 1.0 && std::abs(now - l.taken_at) < kLeaseSeconds) {
            l.tokens -= 1.0;
            return {};
          }
          if (now < l.refused_until) {
            return {false, std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(l.refused_until - now)))};
          }
          if (!l.fetching) {
            l.fetching = fetcher = true;
            break;
          }
          // Another request of this key is taking the next batch: wait for it, then look again
          // (or, if it takes too long, ask the database alongside it).
          const bool done = fetched_.wait_for(lock, kFetchWait, [&] {
            const auto it = leases_.find(key);
            return it == leases_.end() || !it->second.fetching;
          });
          if (!done) break;
        }
      }
      // However the batch ends, the requests waiting for it go on.
      struct Release {
        TokenBucket* bucket;
        const std::string& key;
        bool active;
        ~Release() {
          if (!active) return;
          {
            std::lock_guard lock(bucket->mutex_);
            if (auto it = bucket->leases_.find(key); it != bucket->leases_.end()) it->second.fetching = false;
          }
          bucket->fetched_.notify_all();
        }
      } release{this, key, fetcher};
      // Buckets idle for a full refill, and login counters idle for a day, are forgotten.
      if (sweep) shared_->sweep(now - capacity_ / refill_per_second_, now - 86400.0);
      const SharedLimitState::Grant g = shared_->take_up_to(key, lease_size_, capacity_, refill_per_second_, now);
      if (g.granted > 0) {
        std::lock_guard lock(mutex_);
        Lease& l = leases_[key];
        if (std::abs(now - l.taken_at) >= kLeaseSeconds) l.tokens = 0.0;  // expired: dropped
        l.tokens += g.granted - 1;  // one is this request's
        l.taken_at = std::max(l.taken_at, now);
        return {};
      }
      {
        std::lock_guard lock(mutex_);
        Lease& l = leases_[key];
        l.refused_until = now + g.wait_seconds;
        l.taken_at = std::min(l.taken_at, now);
      }
      return {false, std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(g.wait_seconds)))};
    } catch (const std::exception&) {
      // The database is unreachable: this process's own bucket meanwhile.
    }
  }
  return take_local(key, now);
}

RateDecision TokenBucket::take_local(const std::string& key, double now) {
  std::lock_guard lock(mutex_);
  const double full_after = capacity_ / refill_per_second_;
  if (now - last_sweep_ > full_after) {
    // Forget buckets that have refilled completely: they are indistinguishable from new ones.
    std::erase_if(buckets_, [&](const auto& kv) { return now - kv.second.updated >= full_after; });
    last_sweep_ = now;
  }
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{capacity_, now});
  Bucket& b = it->second;
  if (!inserted) {
    b.tokens = std::min(capacity_, b.tokens + (now - b.updated) * refill_per_second_);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  const double wait = (1.0 - b.tokens) / refill_per_second_;
  return {false, std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait)))};
}

std::size_t TokenBucket::tracked_keys() {
  std::lock_guard lock(mutex_);
  return buckets_.size() + leases_.size();
}

LoginThrottle::LoginThrottle(LoginThrottleOptions options) : options_(options) {}

std::int64_t LoginThrottle::blocked_for(const std::string& key, double now) {
  if (shared_) {
    try {
      const double until = shared_->blocked_until(key);
      if (until <= now) return 0;
      return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(until - now)));
    } catch (const std::exception&) {
      // The database is unreachable: this process's own counters meanwhile.
    }
  }
  std::lock_guard lock(mutex_);
  const auto it = state_.find(key);
  if (it == state_.end() || it->second.blocked_until <= now) return 0;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(it->second.blocked_until - now)));
}

void LoginThrottle::record_failure(const std::string& key, double now) {
  if (shared_) {
    try {
      shared_->record_failure(key, now, options_);
      return;
    } catch (const std::exception&) {
      // The database is unreachable: count it here.
    }
  }
  std::lock_guard lock(mutex_);
  if (state_.size() > 100000) {
    std::erase_if(state_, [&](const auto& kv) { return kv.second.blocked_until + options_.max_delay_seconds < now; });
  }
  State& s = state_[key];
  if (options_.forget_after_seconds > 0 && s.failures > 0 && now - s.last_failure > options_.forget_after_seconds) {
    s.failures = 0;
  }
  s.last_failure = now;
  ++s.failures;
  const int over = s.failures - options_.free_failures;
  if (over >= 0) {
    const double delay =
        std::min(options_.max_delay_seconds, options_.base_delay_seconds * std::ldexp(1.0, std::min(over, 30)));
    s.blocked_until = now + delay;
  }
}

void LoginThrottle::record_success(const std::string& key) {
  if (shared_) {
    try {
      shared_->record_success(key);
    } catch (const std::exception&) {
      // The database is unreachable: the row stays until the next success.
    }
  }
  std::lock_guard lock(mutex_);
  state_.erase(key);
}

}  // namespace keel::server
