// keel/store/shared_state.h: what the processes sharing one store coordinate through besides its
// rows: change notifications of the job queue (so every `keel serve` pushes progress to its event
// streams and every `keel worker` claims a new job at once), and the rate limits and login
// throttling shared by every `keel serve` of one database.
//
// Both exist on PostgreSQL only: listen_job_changes() LISTENs on the channel `keel_jobs` (migration
// 30's triggers NOTIFY every new job and every change of one) on one dedicated connection, and
// open_shared_limits() keeps token buckets and failed-login counters in the tables of migration 31.
// On an SQLite store they return nullptr: one machine, one server, whose callers poll the queue
// and keep their limits in memory (docs/postgresql.md says why).
//
// Thread-safety: a JobNotifications calls `on_change` from its own thread; SharedLimits may be
// used from any number of threads at once (each call takes a pooled connection).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace keel::store {

class JobNotifications {
 public:
  virtual ~JobNotifications() = default;  // stops listening (joins the thread)
  // True while the dedicated connection is up and listening (false: reconnecting; callers poll).
  virtual bool listening() const = 0;
};

// Starts listening for job changes of the store `db`; `on_change(job id, status)` is called on
// the listener's thread for each notification. A lost connection is reopened with a growing
// pause (at most 5 s); meanwhile listening() is false. nullptr when `db` is not PostgreSQL.
std::unique_ptr<JobNotifications> listen_job_changes(const std::string& db,
                                                     std::function<void(std::int64_t, std::string_view)> on_change);

struct SharedRateDecision {
  bool allowed = true;
  double retry_after_seconds = 0.0;  // > 0 when refused
};

struct SharedTokenGrant {
  int granted = 0;
  double retry_after_seconds = 0.0;  // > 0 when nothing was granted
};

class SharedLimits {
 public:
  virtual ~SharedLimits() = default;
  // One request against the token bucket of `key` (keel/server/rate_limit.h's TokenBucket, kept in
  // the database).
  virtual SharedRateDecision take(const std::string& key, double capacity, double refill_per_second, double now) = 0;
  // Up to `want` tokens at once from the same bucket (the whole tokens it holds, at most `want`),
  // for a server that spends them from memory (a lease, keel/server/rate_limit.h): one locked row
  // per batch instead of per request. retry_after_seconds > 0 when none was there.
  virtual SharedTokenGrant take_up_to(const std::string& key, int want, double capacity, double refill_per_second,
                                      double now) = 0;
  // Failed-login throttling (keel/server/rate_limit.h's LoginThrottle, kept in the database).
  virtual double blocked_until(const std::string& key) = 0;  // 0 when never blocked
  virtual void record_failure(const std::string& key, double now, int free_failures, double base_delay,
                              double max_delay, double forget_after) = 0;
  virtual void record_success(const std::string& key) = 0;
  // Forgets buckets idle since before `before` and login counters whose block ended before it.
  virtual void sweep(double buckets_before, double failures_before) = 0;
};

// The shared limits of the store `db`; nullptr when `db` is not PostgreSQL.
std::unique_ptr<SharedLimits> open_shared_limits(const std::string& db);

}  // namespace keel::store
