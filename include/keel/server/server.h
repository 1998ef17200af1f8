// keel/server/server.h: `keel serve` — the HTTP service over the service layer.
//
// The server is thin: it parses a request, authenticates it (JWT, before the body is read),
// checks the role's permission and the rate limit, calls the same keel::service functions as the
// CLI with the caller's tenant, and writes their JSON. Errors are {"error":{"code","message",
// "details","request_id"}} with the status of the error's category (keel/server/http_status.h).
// Long runs go to the store's persistent job queue (keel/service/jobs.h) and are executed by
// worker threads, of this process or of `keel worker` processes on the same store (Worker below).
// docs/server.md describes running and deploying it; docs/security.md the security model.
//
// Thread-safety: Server's methods are called from one controlling thread (stop() also from a
// signal watcher). Sockets are served asynchronously on `io_threads`; handlers run on the request
// and compute pools; jobs on `job_workers` threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "keel/core/env.h"
#include "keel/service/admission.h"
#include "keel/server/auth.h"
#include "keel/server/rate_limit.h"
#include "keel/service/market_data.h"
#include "keel/service/single_sign_on.h"
#include "keel/service/webhooks.h"
#include "keel/vault/master_key_source.h"

namespace keel::server {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                       // 0: any free port (tests)
  std::string db_path = "keel.db";       // SQLite store; must be a file (connections are pooled)
  // A read replica of a PostgreSQL store (`--store-read-replica`, KEEL_STORE_READ_REPLICA; empty:
  // none): a hot standby's URL, as the application role. Requests of read-only routes (GETs, but
  // those marked on_primary) run on it; a request that fails there with an internal error (the
  // replica unreachable, a write it refuses) runs again on the primary. A user's reads go to the
  // primary for `read_replica_sticky_seconds` after each of their writes, so they see their own
  // changes whatever the replica's lag. docs/deploy.md, "A read replica".
  std::string read_replica;
  double read_replica_sticky_seconds = 5.0;

  // Threads (docs/server.md "Threading model").
  std::size_t io_threads = 2;            // asynchronous socket I/O; never wait on a store or engine
  std::size_t threads = 8;               // request pool: authentication, store reads and writes
  std::size_t request_queue = 4096;      // requests waiting for the request pool; more: 503
  std::size_t compute_slots = 0;         // compute pool: engine runs at once; 0 = cores, at least 2
  std::size_t compute_queue = 64;        // engine requests waiting; more: 503 with Retry-After
  std::size_t job_workers = 2;           // background job threads; 0 = queue only
  // Fair share (docs/server.md, "Fair share"): the compute slots one tenant may hold at once
  // (0: the slots less one, at least 1, so another tenant always finds one free), and the jobs one
  // tenant may run at once on this process's job threads (0: the threads less one, at least 1).
  // The compute pool and the job claims take tenants round-robin, then users within a tenant.
  std::size_t tenant_compute_slots = 0;
  std::size_t tenant_job_workers = 0;
  // A computing request's deadline in seconds from its first byte (--request-deadline; 0: none):
  // past it the engine stops at its next check and the request answers 503 naming it.
  double request_deadline_seconds = 30.0;
  std::size_t assistant_streams = 4;     // assistant conversations at once (each holds a thread while the model answers)

  // Limits, enforced while reading (docs/security.md).
  std::size_t max_body_bytes = 16u << 20;      // Content-Length and chunked alike; larger: 413
  std::size_t max_header_bytes = 16u << 10;    // all header lines; larger: 431
  std::size_t max_header_count = 100;          // header fields; more: 431
  std::size_t max_target_bytes = 8192;         // path and query; longer: 414
  std::size_t max_json_depth = 64;             // nesting of a JSON body; deeper: 400
  std::size_t max_json_elements = 1000000;     // values in a JSON body; more: 400
  std::size_t max_connections = 10000;         // open connections in all; more are refused
  std::size_t max_connections_per_client = 256;  // per client address (trusted proxies exempt)
  std::size_t max_stream_buffer_bytes = 1u << 20;  // unsent bytes of an event stream; more: dropped

  // Timeouts, seconds.
  int header_timeout_seconds = 10;  // a request's header must arrive within this
  int read_timeout_seconds = 30;    // each read of a body must make progress within this
  int write_timeout_seconds = 30;   // each write must complete within this
  int keep_alive_seconds = 5;       // an idle keep-alive connection closes after this
  int shutdown_grace_seconds = 10;  // requests in progress may finish within this at shutdown
  int stream_heartbeat_seconds = 15;  // comment lines on quiet event streams

  // Per user, a token bucket: rate_limit_per_minute sustained (<= 0 disables), bursts of up to
  // rate_limit_burst requests (<= 0: one minute's worth). The defaults leave room for a web app's
  // busiest screen loaded twice at once (docs/server.md, "Limits").
  double rate_limit_per_minute = 300;
  double rate_limit_burst = 600;
  double anonymous_rate_limit_per_minute = 60;  // per client address on anonymous routes and failed auth
  TokenConfig tokens;                    // key, previous keys, issuer, lifetime
  // How long a sign-in lasts through its refresh tokens: idle and absolute timeouts
  // (--refresh-idle, --refresh-absolute; idle 0: no refresh tokens).
  service::SessionSettings sessions;
  // Single sign-on through an OpenID Connect provider (--oidc-config FILE; docs/security.md,
  // "Single sign-on"); nullopt: users sign in with a password only.
  std::optional<service::SingleSignOnSettings> single_sign_on;
  // The tenants' webhooks (docs/webhooks.md): where deliveries may go (--webhook-allow-host adds
  // hosts a delivery may reach on a private or loopback address, and over http), their retries;
  // and how often the sender reads the journal and posts what is due.
  service::WebhookSenderSettings webhooks;
  double webhook_poll_seconds = 1.0;
  PasswordCost password_cost;            // argon2id cost of new hashes
  // argon2id memory of all password hashes and checks at once (--hash-memory-mb, 192 MiB: three at
  // the default cost), and how long a login waits for room before a 503 with Retry-After. Logins
  // and user creations run on a pool of budget / cost threads ("hash pool"), so waiting ones hold
  // no thread. keel serve refuses a budget below one hash; tests may set one (nothing hashes).
  HashBudget hash_budget;
  // Users and revoked tokens held in memory; the revocation journal is read at most every
  // auth_cache.poll_interval (250 ms): the staleness bound of a revocation made on another server.
  AuthCacheOptions auth_cache;
  LoginThrottleOptions login_throttle;   // per (client address, user name)
  // Per client address, across user names: a ceiling that stops guessing over many accounts.
  // Its count starts afresh 15 minutes after the last failure (a success does not reset it).
  LoginThrottleOptions login_address_throttle{50, 1.0, 900.0, 900.0};
  std::vector<std::string> cors_origins;  // allowed Origin values; "*" allows any; empty: no CORS
  // Addresses of reverse proxies whose X-Forwarded-For names the client (e.g. "127.0.0.1").
  std::vector<std::string> trusted_proxies;
  bool hsts = false;                     // Strict-Transport-Security (only behind TLS)
  std::optional<std::string> web_root;   // static files of the web app; none: API only
  int job_max_attempts = 3;              // attempts before a failing job stays failed
  double job_retry_base_seconds = 2.0;   // backoff: base x 2^(attempt - 1), capped at 300 s
  double job_poll_seconds = 0.5;         // queue poll interval when idle (PostgreSQL: also woken by NOTIFY)
  double job_lease_seconds = 30.0;       // a claimed job's lease: another process claims it when it ends
  double job_heartbeat_seconds = 10.0;   // lease renewal interval (< job_lease_seconds)
  // Jobs that ended more than this long ago are deleted with their requests, results and outputs
  // (--job-retention-days; 0 keeps them): checked every ten minutes.
  double job_retention_days = 30.0;
  // Assistant conversations untouched for this many days are deleted (--assistant-retention-days;
  // 0 keeps them), in the same sweep as the jobs (keel/service/storage.h).
  double assistant_retention_days = 0.0;
  // The batch snapshots' report text is dropped this many days after it was written, the figures
  // kept (--snapshot-report-retention-days; 0 keeps it), in the same sweep.
  double snapshot_report_retention_days = 0.0;
  std::string job_owner;                 // this process's name in the jobs' lease_owner; empty: host:pid
  // Large Monte Carlo jobs are split into shards of this many paths (risk.var), scenarios
  // (clo.montecarlo) or trials (plan.retire), run by any job runner of the store and reduced
  // exactly; 0: never split.
  std::size_t shard_paths = 1000000;
  std::int64_t shard_scenarios = 5000;
  std::int64_t shard_trials = 200000;  // plan.retire trials (rounded up to a multiple of 8)
  // What one computation may cost, by default and per tenant (keel/service/admission.h; docs/server.md
  // "Limits"): --foreground-seconds, --max-seconds, --max-memory-mb, --tenant-limit.
  service::LimitPolicy limits;
  std::ostream* log = nullptr;           // JSON lines (one per request and event); nullptr: none
  // Batch reports (job kind batch.run): files under <reports_dir>/<tenant folder>/ when set (the
  // folder is the tenant name with every byte but [A-Za-z0-9-] escaped as _XX, so distinct
  // tenants never share a folder); none otherwise.
  std::optional<std::string> reports_dir;
  // The batch's market-data step (provider empty: off). `keel serve` fills it from its environment
  // (KEEL_MARKET_DATA_PROVIDER and friends, keel/marketdata/environment.h).
  service::MarketDataStep batch_market_data;
  // /readyz reports whether that provider and every tenant's assistant (LLM) providers accept a TCP
  // connection (counts only), checked at most once per `provider_check_seconds`
  // (`--provider-check-interval`) with `provider_connect_timeout_ms` per connection; the probe
  // waits at most `provider_check_wait_ms` for a check, then answers with the last counts.
  double provider_check_seconds = 30.0;
  int provider_connect_timeout_ms = 500;
  int provider_check_wait_ms = 800;
  // Where the key vault's master key comes from (keel/vault/master_key_source.h): `keel serve`
  // fills it from KEEL_MASTER_KEY_SOURCE, KEEL_MASTER_KEY_FILE and KEEL_MASTER_KEY. The sources
  // are read on the vault's first need of the key, not at start.
  vault::MasterKeyOptions master_key;
  // `--batch-daily HH:MM`: enqueue batch.run for every tenant once a day at this UTC minute of the day.
  std::optional<int> batch_daily_minute;
  // ALM sessions (docs/alm.md "Sessions"): the time to live of a session created without one, and
  // the longest a request may ask for (`--alm-session-ttl`); the disk budget of all sessions
  // (`--alm-disk-budget-mb`, 0 = none); the server deletes expired sessions and enforces the budget
  // at start and every `alm_cleanup_interval_seconds` (`--alm-cleanup-interval`; 0 = at start only).
  std::int64_t alm_session_ttl_seconds = 7 * 24 * 3600;
  std::int64_t alm_disk_budget_mb = 1024;
  std::int64_t alm_user_budget_mb = 0;  // each user's own sessions, inside the tenant's (0: none)
  double alm_cleanup_interval_seconds = 600;
  // The server's wall clock: job times, token times, uptime, log timestamps, the store's
  // timestamps and the clock of the use cases. Null: the system clock (tests pin it).
  const Clock* clock = nullptr;
  std::function<std::int64_t()> scheduler_clock;  // epoch seconds; empty: the system clock (tests inject one)
  double scheduler_poll_seconds = 1.0;            // how often the scheduler re-reads its clock while waiting
};

// The limits of fair share that `config` means (its 0s resolved): the compute slots and job
// threads one tenant may hold at once.
std::size_t tenant_compute_slots(const ServerConfig& config);
std::size_t tenant_job_workers(const ServerConfig& config);

// The default web root of `keel serve`: the built web app beside the executable (a build tree's
// web/dist, or PREFIX/share/keel/web when installed), or none.
std::optional<std::filesystem::path> default_web_root();

// The OpenAPI 3.1 document `GET /api/v1/openapi.json` serves, built without a caller's store or a
// listening socket (a private temporary store is made and removed): what `keel openapi` prints.
nlohmann::json openapi_document_offline();

// The folder of a tenant's batch report files under --reports-dir: the tenant's name with every
// byte other than A-Z a-z 0-9 '-' written as _XX (hex). One-to-one ("t.x" -> "t_2Ex", "t_x" ->
// "t_5Fx"), and never a path outside the directory.
std::string tenant_folder(const std::string& tenant);

class App;

// `keel worker`: the job runner of a server without its HTTP side. It claims jobs from the store
// (every kind `keel serve` enqueues, shards included) with `config.job_workers` threads, under the
// leases of keel/server/jobs.h, until stop(). Only the job settings of `config` matter (db_path,
// job_*, shard_*, reports_dir, batch_market_data, master_key, clock, log).
class Worker {
 public:
  explicit Worker(ServerConfig config);  // opens the store; throws as Server does
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  // Runs the job threads until stop() (from another thread or a signal watcher). Blocking.
  void run();
  // Running jobs stop at their next step and go back to the queue. Idempotent.
  void stop();
  // The last resort of a stop that did not end in time (a job whose engine does not check its
  // Cancellation): puts every job this process still holds back in the queue, without counting the
  // attempt, so that the process may exit at once. Returns how many. Any thread.
  std::size_t requeue_held_jobs();

 private:
  std::unique_ptr<App> app_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
};

class Server {
 public:
  // Opens (creating and migrating) the store and builds the routes. (Jobs a previous process left
  // running are claimed again when their leases expire.) Throws keel::Error as open_store and TokenService do.
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
  // As Worker::requeue_held_jobs: before exiting when stop() did not end within the grace.
  std::size_t requeue_held_jobs();
  int port() const { return port_; }

 private:
  std::unique_ptr<App> app_;
  std::unique_ptr<std::thread> thread_;
  int port_ = 0;
  bool bound_ = false;
};

}  // namespace keel::server
