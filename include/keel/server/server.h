// keel/server/server.h: `keel serve` — the HTTP service over the service layer.
//
// The server is thin: it parses a request, authenticates it (JWT in the pre-routing handler),
// checks the role's permission and the rate limit, calls the same keel::service functions as the
// CLI with the caller's tenant, and writes their JSON. Errors are {"error":{"code","message",
// "details","request_id"}} with keel::http_status of the error's category. Long runs go to the
// persistent job queue (keel/store/job_repository.h) and are executed by worker threads.
// docs/server.md describes running and deploying it; docs/security.md the security model.
//
// Thread-safety: Server's methods are called from one controlling thread; requests are served on
// `threads` HTTP worker threads and jobs on `job_workers` threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "keel/server/auth.h"
#include "keel/server/rate_limit.h"

namespace keel::server {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                       // 0: any free port (tests)
  std::string db_path = "keel.db";       // SQLite store; must be a file (connections are pooled)
  std::size_t threads = 16;              // HTTP worker threads (explicit pool)
  std::size_t job_workers = 2;           // background job threads; 0 = queue only
  std::size_t compute_slots = 0;         // engine runs at once in requests (FIFO); 0 = cores, min 2
  double rate_limit_per_minute = 100;    // per user, token bucket; <= 0 disables
  double anonymous_rate_limit_per_minute = 60;  // per client address on anonymous routes
  std::size_t max_body_bytes = 16u << 20;  // larger bodies answer 413
  int read_timeout_seconds = 30;
  int write_timeout_seconds = 30;
  int keep_alive_seconds = 5;
  TokenConfig tokens;                    // key, previous keys, issuer, lifetime
  PasswordCost password_cost;            // argon2id cost of new hashes
  LoginThrottleOptions login_throttle;
  std::vector<std::string> cors_origins;  // allowed Origin values; "*" allows any; empty: no CORS
  bool hsts = false;                     // Strict-Transport-Security (only behind TLS)
  int job_max_attempts = 3;              // attempts before a failing job stays failed
  double job_retry_base_seconds = 2.0;   // backoff: base x 2^(attempt - 1), capped at 300 s
  double job_poll_seconds = 0.5;         // queue poll interval when idle
  std::ostream* log = nullptr;           // JSON lines (one per request and event); nullptr: none
  // Batch reports (job kind batch.run): files under <reports_dir>/<tenant>/ when set; none otherwise.
  std::optional<std::string> reports_dir;
  // `--batch-daily HH:MM`: enqueue batch.run for every tenant once a day at this UTC minute of the day.
  std::optional<int> batch_daily_minute;
  std::function<std::int64_t()> scheduler_clock;  // epoch seconds; empty: the system clock (tests inject one)
  double scheduler_poll_seconds = 1.0;            // how often the scheduler re-reads its clock while waiting
};

class App;

class Server {
 public:
  // Opens (creating and migrating) the store, re-queues jobs a previous server left running and
  // builds the routes. Throws keel::Error as open_store and TokenService do.
  explicit Server(ServerConfig config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port (the chosen one when config.port is 0). Throws
  // Error::internal when the address cannot be bound.
  int bind();
  // Serves until stop() is called (from another thread or a signal watcher). Starts the job
  // workers first. Blocking.
  void run();
  // bind() (if not done) then run() on a background thread; returns the port.
  int start();
  // Graceful shutdown: stops accepting, lets in-flight requests finish, asks running jobs to stop
  // at their next step (they go back to the queue), joins every thread. Idempotent.
  void stop();
  int port() const { return port_; }

 private:
  std::unique_ptr<App> app_;
  std::unique_ptr<std::thread> thread_;
  int port_ = 0;
  bool bound_ = false;
};

}  // namespace keel::server
