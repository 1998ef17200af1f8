// Job notifications (LISTEN keel_jobs on a dedicated connection) and the shared rate limits on
// PostgreSQL (keel/store/shared_state.h).
#include "keel/store/shared_state.h"

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <mutex>
#include <thread>

#include "keel/core/error.h"
#include "keel/store/postgresql.h"
#include "pg_connection.h"

namespace keel::store {
namespace {

// A notification's payload, "<id> <status>", handed to `fn`.
void deliver(std::string_view payload, const std::function<void(std::int64_t, std::string_view)>& fn) {
  std::int64_t id = 0;
  const auto space = payload.find(' ');
  const std::string_view head = payload.substr(0, space);
  std::from_chars(head.data(), head.data() + head.size(), id);
  fn(id, space == std::string_view::npos ? std::string_view() : payload.substr(space + 1));
}

class PgJobNotifications final : public JobNotifications {
 public:
  PgJobNotifications(std::string libpq_url, std::function<void(std::int64_t, std::string_view)> fn)
      : url_(std::move(libpq_url)), fn_(std::move(fn)) {
    thread_ = std::thread([this] { loop(); });
  }
  ~PgJobNotifications() override {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }
  bool listening() const override { return listening_.load(); }

 private:
  void loop() {
    int pause_ms = 100;
    while (!stopping_.load()) {
      try {
        pg::Connection c(url_);
        pg::exec(c, std::nullopt, "LISTEN keel_jobs");
        listening_ = true;
        pause_ms = 100;
        // Something may have changed while we were not listening: say so once.
        fn_(0, "");
        pollfd socket{PQsocket(c.conn), POLLIN, 0};
        // Wakes every 0.2 s to check stop; a connection that can no longer read is opened again.
        while (!stopping_.load() && poll(&socket, 1, 200) >= 0 && PQconsumeInput(c.conn) == 1) {
          while (PGnotify* n = PQnotifies(c.conn)) {
            deliver(n->extra, fn_);
            PQfreemem(n);
          }
        }
      } catch (const std::exception&) {
        // Server gone or restarting: poll meanwhile, and try again after a growing pause.
      }
      listening_ = false;
      for (int waited = 0; waited < pause_ms && !stopping_.load(); waited += 50) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      pause_ms = std::min(pause_ms * 2, 5000);
    }
  }

  std::string url_;
  std::function<void(std::int64_t, std::string_view)> fn_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listening_{false};
  std::thread thread_;
};

class PgSharedLimits final : public SharedLimits {
  // fn(connection) in one transaction on a pooled connection; returns what fn returns.
  template <class F>
  auto in_transaction(F&& fn) {
    pg::PgConnection c(pool_);
    return c.transaction(std::nullopt, [&] { return fn(c); });
  }

 public:
  explicit PgSharedLimits(std::shared_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}

  SharedRateDecision take(const std::string& key, double capacity, double refill, double now) override {
    const double wait = in_transaction([&](pg::PgConnection& tx) {
      return tx
          .exec1("SELECT keel_rate_take($1, $2, $3, $4)",
                 pg::Params().add(key).add(capacity).add(refill).add(now))
          .real(0, 0);
    });
    if (wait <= 0) return {};
    return {false, wait};
  }

  SharedTokenGrant take_up_to(const std::string& key, int want, double capacity, double refill,
                              double now) override {
    return in_transaction([&](pg::PgConnection& tx) {
      // keel_rate_take's arithmetic for several tokens: the row locked, refilled, then debited.
      for (int attempt = 0;; ++attempt) {
        auto r = tx.exec("SELECT tokens, updated_at FROM rate_buckets WHERE key = $1 FOR UPDATE",
                         pg::Params().add(key));
        const bool stored = !r.empty();
        double tokens = capacity, updated = now;
        if (stored) {
          const double was = r.real(0, 1);
          tokens = std::min(capacity, r.real(0, 0) + std::max(0.0, now - was) * refill);
          updated = std::max(was, now);
        }
        const int granted = tokens >= 1.0 ? static_cast<int>(std::min<double>(want, std::floor(tokens))) : 0;
        tokens -= granted;
        if (stored) {
          tx.exec("UPDATE rate_buckets SET tokens = $2, updated_at = $3 WHERE key = $1",
                  pg::Params().add(key).add(tokens).add(updated));
        } else if (tx.exec("INSERT INTO rate_buckets (key, tokens, updated_at) VALUES ($1, $2, $3) "
                           "ON CONFLICT (key) DO NOTHING RETURNING 1",
                           pg::Params().add(key).add(tokens).add(updated))
                       .empty()) {
          // Another server created the row meanwhile: lock it (its commit is waited for) and
          // take from it.
          if (attempt == 0) continue;
          throw Error::internal("the rate-limit row of " + key + " could not be read");
        }
        if (granted > 0) return SharedTokenGrant{granted, 0.0};
        return SharedTokenGrant{0, (1.0 - tokens) / refill};
      }
    });
  }

  double blocked_until(const std::string& key) override {
    return in_transaction([&](pg::PgConnection& tx) {
      auto r = tx.exec("SELECT blocked_until FROM login_failures WHERE key = $1", pg::Params().add(key));
      return r.empty() ? 0.0 : r.real(0, 0);
    });
  }

  void record_failure(const std::string& key, double now, int free_failures, double base_delay,
                      double max_delay, double forget_after) override {
    in_transaction([&](pg::PgConnection& tx) {
      tx.exec(
          "SELECT keel_login_failure($1, $2, $3, $4, $5, $6)",
          pg::Params().add(key).add(now).add(free_failures).add(base_delay).add(max_delay).add(forget_after));
    });
  }

  void record_success(const std::string& key) override {
    in_transaction([&](pg::PgConnection& tx) {
      tx.exec("DELETE FROM login_failures WHERE key = $1", pg::Params().add(key));
    });
  }

  void sweep(double buckets_before, double failures_before) override {
    in_transaction([&](pg::PgConnection& tx) {
      tx.exec("DELETE FROM rate_buckets WHERE updated_at < $1", pg::Params().add(buckets_before));
      tx.exec("DELETE FROM login_failures WHERE blocked_until < $1 AND last_failure < $1",
              pg::Params().add(failures_before));
    });
  }

 private:
  std::shared_ptr<pg::Pool> pool_;
};

}  // namespace

std::unique_ptr<JobNotifications> listen_job_changes(
    const std::string& db, std::function<void(std::int64_t, std::string_view)> on_change) {
  if (!pg::is_url(db)) return nullptr;
  return std::make_unique<PgJobNotifications>(pg::parse_url(db).libpq, std::move(on_change));
}

std::unique_ptr<SharedLimits> open_shared_limits(const std::string& db) {
  if (!pg::is_url(db)) return nullptr;
  return std::make_unique<PgSharedLimits>(pg::Pool::shared(db));
}

}  // namespace keel::store
