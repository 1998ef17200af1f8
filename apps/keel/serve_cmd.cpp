// `keel serve`: the HTTP service, and `keel worker`: its job runner alone (docs/server.md). SIGTERM
// or SIGINT stops either gracefully.
#include <pthread.h>
#include <signal.h>
#include <tbb/global_control.h>

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "context.h"
#include "keel/marketdata/environment.h"
#include "keel/core/error.h"
#include "keel/server/scheduler.h"
#include "keel/server/server.h"

namespace keel::cli {

namespace {

// How large Monte Carlo jobs are cut into shards: the same flags on keel serve and keel worker.
struct ShardFlags {
  std::size_t paths = 1000000;
  std::int64_t scenarios = 5000;
  std::int64_t trials = 200000;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--shard-paths", paths,
                    "Split risk.var jobs with more Monte Carlo paths into shards of this many (0: never)");
    cmd->add_option("--shard-scenarios", scenarios,
                    "Split clo.montecarlo jobs with more scenarios into shards of this many (0: never)");
    cmd->add_option("--shard-trials", trials,
                    "Split plan.retire jobs with more trials into shards of this many (0: never)");
  }

  void apply(server::ServerConfig& c) const {
    if (scenarios < 0 || trials < 0) throw Error::usage("--shard-scenarios and --shard-trials must not be negative");
    c.shard_paths = paths;
    c.shard_scenarios = scenarios;
    c.shard_trials = trials;
  }
};

// What one computation may cost (keel/service/admission.h): the same flags on keel serve and keel
// worker (a worker's jobs are held to the limits of a job).
struct LimitFlags {
  service::ComputeLimits defaults = {.whatif_sessions_per_user = 200, .assistant_user_mb = 64};
  double max_memory_mb = 1024;
  std::vector<std::string> tenants;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--foreground-seconds", defaults.foreground_cpu_seconds,
                    "Computations estimated above this many CPU seconds run as jobs (or are refused where there is "
                    "no job)");
    cmd->add_option("--max-seconds", defaults.max_cpu_seconds,
                    "Computations estimated above this many CPU seconds are refused (413)");
    cmd->add_option("--max-memory-mb", max_memory_mb,
                    "Computations estimated to need more memory than this (MiB) are refused (413)");
    cmd->add_option("--whatif-sessions-per-user", defaults.whatif_sessions_per_user,
                    "What-if sessions each user may keep; creating one more is refused (0: any)")
        ->capture_default_str();
    cmd->add_option("--assistant-user-mb", defaults.assistant_user_mb,
                    "Each user's assistant conversations in MiB; past it the user's least recently changed ones are "
                    "deleted (0: no budget)")
        ->capture_default_str();
    cmd->add_option("--tenant-limit", tenants,
                    "A tenant's own limits: TENANT:foreground_seconds=S,max_seconds=S,max_memory_mb=M,"
                    "whatif_sessions=N,assistant_mb=M (repeat)");
  }

  void apply(server::ServerConfig& c) const {
    if (!(defaults.foreground_cpu_seconds > 0) || !(defaults.max_cpu_seconds >= defaults.foreground_cpu_seconds))
      throw Error::usage("--foreground-seconds must be above 0 and at most --max-seconds");
    if (!(max_memory_mb >= 1 && max_memory_mb <= 16.0 * 1024 * 1024))
      throw Error::usage("--max-memory-mb: expected 1 to 16777216 MiB");
    if (defaults.whatif_sessions_per_user < 0 || defaults.whatif_sessions_per_user > 1'000'000'000)
      throw Error::usage("--whatif-sessions-per-user: expected 0 (any) to 1000000000");
    if (defaults.assistant_user_mb < 0 || defaults.assistant_user_mb > 16 * 1024 * 1024)
      throw Error::usage("--assistant-user-mb: expected 0 (no budget) to 16777216 MiB");
    c.limits.defaults = defaults;
    c.limits.defaults.max_memory_bytes = static_cast<std::uint64_t>(max_memory_mb * 1024.0 * 1024.0);
    for (const auto& t : tenants) c.limits.tenants.insert(service::parse_tenant_limit(t, c.limits.defaults));
  }
};

struct ServeFlags {
  std::string host = "127.0.0.1";
  int port = 8080;
  double rate_limit = 300;
  double rate_burst = 600;
  double anonymous_rate_limit = 60;
  std::size_t io_threads = 2;
  std::size_t threads = 8;
  std::size_t request_queue = 4096;
  std::size_t job_workers = 2;
  std::size_t assistant_streams = 4;
  std::size_t compute_slots = 0;
  std::size_t compute_queue = 64;
  std::size_t tenant_compute_slots = 0;
  std::size_t tenant_job_workers = 0;
  double request_deadline = 30;
  double max_body_mb = 16;
  std::size_t max_connections = 10000;
  std::size_t max_connections_per_client = 256;
  int header_timeout = 10;
  int read_timeout = 30;
  int write_timeout = 30;
  int keep_alive = 5;
  int shutdown_grace = 10;
  std::vector<std::string> trusted_proxies;
  std::string web_root;
  bool no_web = false;
  std::string token_key_file;
  std::int64_t token_ttl = 900;
  std::string refresh_idle = "8h";
  std::string refresh_absolute = "24h";
  std::string oidc_config;
  std::vector<std::string> webhook_allow_hosts;
  std::string issuer = "keel";
  std::size_t hash_memory_mb = 192;
  std::vector<std::string> cors;
  bool hsts = false;
  bool quiet_log = false;
  std::string reports_dir;
  std::string batch_daily;
  std::string alm_session_ttl = "7d";
  std::int64_t alm_disk_budget_mb = 1024;
  std::int64_t alm_user_budget_mb = 0;
  double alm_cleanup_interval = 600;
  double provider_check_interval = 30;
  std::string read_replica;
  double read_replica_sticky = 5;
  double job_lease = 30;
  double job_retention_days = 30;
  double assistant_retention_days = 0;
  double snapshot_report_retention_days = 0;
  double job_heartbeat = 10;
  ShardFlags shards;
  LimitFlags limits;
};

// A duration such as 7d, 12h, 90m or 3600s (plain digits: seconds).
std::int64_t parse_duration(const std::string& flag, const std::string& text) {
  std::int64_t mult = 1;
  std::string digits = text;
  if (!digits.empty() && (digits.back() == 'd' || digits.back() == 'h' || digits.back() == 'm' || digits.back() == 's')) {
    const char unit = digits.back();
    mult = unit == 'd' ? 86400 : unit == 'h' ? 3600 : unit == 'm' ? 60 : 1;
    digits.pop_back();
  }
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || v <= 0 ||
      v > 3650LL * 86400 / mult) {
    throw Error::usage(flag + ": expected a duration such as 7d, 12h, 90m or 3600s, got \"" + text + "\"");
  }
  return v * mult;
}

struct WorkerFlags {
  std::size_t threads = 1;
  std::size_t tenant_job_workers = 0;
  std::size_t compute_threads = 0;
  double lease = 30;
  double heartbeat = 10;
  double poll = 0.5;
  double retry_base = 2.0;
  ShardFlags shards;
  LimitFlags limits;
  std::string name;
  std::string reports_dir;
  bool quiet_log = false;
};

void check_lease(double lease, double heartbeat) {
  if (!(lease >= 1 && lease <= 3600)) throw Error::usage("--job-lease/--lease: expected 1 to 3600 seconds");
  if (!(heartbeat > 0 && heartbeat * 2 <= lease)) {
    throw Error::usage("--job-heartbeat/--heartbeat: expected more than 0 and at most half the lease");
  }
}

// Blocks SIGTERM and SIGINT in every thread (started after this) and returns the set, for one
// watcher thread to sigwait on.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// The last resort of a stop (SIGTERM, SIGINT): when the process has not finished stopping within
// `after` of the signal (a computation or a job whose engine does not check its Cancellation
// keeps a thread), the jobs it still holds go back to the queue (not counting the attempt) and it
// exits at once, so a supervisor never needs SIGKILL and no job stays "running" until its lease
// ends. Declared after the server it serves, so that it is gone before the server is.
class StopDeadline {
 public:
  StopDeadline(std::function<std::size_t()> requeue, bool log)
      : requeue_(std::move(requeue)), log_(log), thread_([this] { run(); }) {}
  ~StopDeadline() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  StopDeadline(const StopDeadline&) = delete;
  StopDeadline& operator=(const StopDeadline&) = delete;
  // The signal arrived: the process must be gone `after` from now.
  void arm(std::chrono::milliseconds after) {
    {
      std::lock_guard lock(mutex_);
      deadline_ = std::chrono::steady_clock::now() + after;
      armed_ = true;
    }
    cv_.notify_all();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return done_ || armed_; });
    if (cv_.wait_until(lock, deadline_, [&] { return done_; })) return;
    lock.unlock();
    const std::size_t requeued = requeue_();
    if (log_) {
      std::cerr << nlohmann::json{{"level", "warn"},
                                  {"event", "stop_forced"},
                                  {"message", "threads still running past the shutdown grace; exiting"},
                                  {"jobs_requeued", requeued}}
                       .dump()
                << std::endl;
    }
    std::_Exit(0);
  }

  std::function<std::size_t()> requeue_;
  bool log_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool armed_ = false;  // guarded by mutex_
  bool done_ = false;   // guarded by mutex_
  std::chrono::steady_clock::time_point deadline_;
  std::thread thread_;  // last: started once the rest is set
};

// What a server and a worker take alike from their flags and the environment: the log, the
// reports directory, the batch's market data provider and the key vault's master key (its sources
// and KEEL_MASTER_KEY_SOURCE: a bad value stops the start here rather than at the first request
// that needs a key).
void configure_environment(server::ServerConfig& c, bool quiet_log, const std::string& reports_dir) {
  c.log = quiet_log ? nullptr : &std::cerr;
  if (!reports_dir.empty()) c.reports_dir = reports_dir;
  const auto env = marketdata::market_data_environment();
  c.batch_market_data.provider = env.provider;
  c.batch_market_data.options = env.options;
  c.batch_market_data.base_urls = env.base_urls;
  c.master_key = vault::master_key_options_from_environment();
}

void serve(Context& ctx, const ServeFlags& f) {
  server::ServerConfig c;
  c.host = f.host;
  c.port = f.port;
  c.db_path = ctx.db_path;
  c.rate_limit_per_minute = f.rate_limit;
  c.rate_limit_burst = f.rate_burst;
  c.anonymous_rate_limit_per_minute = f.anonymous_rate_limit;
  if (f.io_threads == 0 || f.threads == 0) throw Error::usage("--io-threads and --threads must be at least 1");
  c.io_threads = f.io_threads;
  c.threads = f.threads;
  c.request_queue = f.request_queue;
  c.job_workers = f.job_workers;
  c.assistant_streams = f.assistant_streams;
  c.compute_slots = f.compute_slots;
  c.compute_queue = f.compute_queue;
  c.tenant_compute_slots = f.tenant_compute_slots;
  c.tenant_job_workers = f.tenant_job_workers;
  if (!(f.request_deadline >= 0 && f.request_deadline <= 86400)) {
    throw Error::usage("--request-deadline: expected 0 (none) to 86400 seconds");
  }
  c.request_deadline_seconds = f.request_deadline;
  if (!(f.max_body_mb > 0 && f.max_body_mb <= 4096)) throw Error::usage("--max-body-mb must be in (0, 4096]");
  c.max_body_bytes = static_cast<std::size_t>(f.max_body_mb * 1024 * 1024);
  c.max_connections = f.max_connections;
  c.max_connections_per_client = f.max_connections_per_client;
  for (int t : {f.header_timeout, f.read_timeout, f.write_timeout, f.keep_alive}) {
    if (t < 1) throw Error::usage("timeouts must be at least 1 second");
  }
  c.header_timeout_seconds = f.header_timeout;
  c.read_timeout_seconds = f.read_timeout;
  c.write_timeout_seconds = f.write_timeout;
  c.keep_alive_seconds = f.keep_alive;
  c.shutdown_grace_seconds = std::max(0, f.shutdown_grace);
  c.trusted_proxies = f.trusted_proxies;
  if (!f.no_web) {
    if (!f.web_root.empty()) {
      c.web_root = f.web_root;
    } else if (auto root = server::default_web_root()) {
      c.web_root = root->string();
    }
  }
  c.cors_origins = f.cors;
  c.hsts = f.hsts;
  configure_environment(c, f.quiet_log, f.reports_dir);
  if (!f.batch_daily.empty()) {
    c.batch_daily_minute = server::parse_time_of_day(f.batch_daily);
    if (!c.batch_daily_minute) throw Error::usage("--batch-daily: expected HH:MM (UTC, 00:00 to 23:59)");
  }
  c.alm_session_ttl_seconds = parse_duration("--alm-session-ttl", f.alm_session_ttl);
  if (c.alm_session_ttl_seconds < 60) throw Error::usage("--alm-session-ttl: at least 60 seconds");
  if (f.alm_disk_budget_mb < 0) throw Error::usage("--alm-disk-budget-mb: 0 (no budget) or more");
  c.alm_disk_budget_mb = f.alm_disk_budget_mb;
  if (f.alm_user_budget_mb < 0) throw Error::usage("--alm-user-budget-mb: 0 (no budget) or more");
  c.alm_user_budget_mb = f.alm_user_budget_mb;
  if (!(f.alm_cleanup_interval >= 0)) throw Error::usage("--alm-cleanup-interval: 0 (at start only) or more seconds");
  c.alm_cleanup_interval_seconds = f.alm_cleanup_interval;
  if (!(f.provider_check_interval >= 0)) throw Error::usage("--provider-check-interval: 0 or more seconds");
  c.provider_check_seconds = f.provider_check_interval;
  c.read_replica = f.read_replica;
  if (!(f.read_replica_sticky >= 0)) throw Error::usage("--read-replica-sticky: 0 or more seconds");
  c.read_replica_sticky_seconds = f.read_replica_sticky;
  const auto keys = server::load_signing_keys(
      f.token_key_file.empty() ? std::nullopt : std::optional<std::string>(f.token_key_file));
  if (keys) {
    c.tokens.key = keys->key;
    c.tokens.previous_keys = keys->previous;
  } else {
    c.tokens.key = server::random_key_hex();
    ctx.warn("no --token-key-file and no KEEL_JWT_SECRET: using a random signing key; tokens end with this process");
  }
  c.tokens.issuer = f.issuer;
  c.tokens.ttl_seconds = f.token_ttl;
  if (f.token_ttl < 30) throw Error::usage("--token-ttl: at least 30 seconds");
  c.sessions.idle_seconds = f.refresh_idle == "0" ? 0 : parse_duration("--refresh-idle", f.refresh_idle);
  c.sessions.absolute_seconds = parse_duration("--refresh-absolute", f.refresh_absolute);
  if (c.sessions.idle_seconds > 0 && c.sessions.idle_seconds < f.token_ttl) {
    throw Error::usage("--refresh-idle: 0 (no refresh tokens) or at least the --token-ttl");
  }
  if (c.sessions.absolute_seconds < c.sessions.idle_seconds) {
    throw Error::usage("--refresh-absolute: at least the --refresh-idle");
  }
  c.webhooks.policy.allowed_hosts = f.webhook_allow_hosts;
  if (!f.oidc_config.empty()) {
    std::ifstream in(f.oidc_config, std::ios::binary);
    if (!in) throw Error::usage("--oidc-config: cannot read " + f.oidc_config);
    std::ostringstream text;
    text << in.rdbuf();
    c.single_sign_on = service::parse_single_sign_on_settings(f.oidc_config, text.str());
  }
  {
    const std::size_t one_hash_mb = c.password_cost.mem_limit_bytes >> 20;
    if (f.hash_memory_mb < one_hash_mb || f.hash_memory_mb > (std::size_t{1} << 20)) {
      throw Error::usage(fmt::format("--hash-memory-mb (or KEEL_HASH_MEMORY_MB): expected {} (one password hash) to "
                                     "1048576 MiB, got {}",
                                     one_hash_mb, f.hash_memory_mb));
    }
    c.hash_budget.memory_bytes = f.hash_memory_mb << 20;
  }
  check_lease(f.job_lease, f.job_heartbeat);
  c.job_lease_seconds = f.job_lease;
  c.job_heartbeat_seconds = f.job_heartbeat;
  if (!(f.job_retention_days >= 0 && f.job_retention_days <= 36500)) {
    throw Error::usage("--job-retention-days: expected 0 (keep every job) to 36500 days");
  }
  c.job_retention_days = f.job_retention_days;
  if (!(f.assistant_retention_days >= 0 && f.assistant_retention_days <= 36500)) {
    throw Error::usage("--assistant-retention-days: expected 0 (keep every conversation) to 36500 days");
  }
  c.assistant_retention_days = f.assistant_retention_days;
  if (!(f.snapshot_report_retention_days >= 0 && f.snapshot_report_retention_days <= 36500)) {
    throw Error::usage("--snapshot-report-retention-days: expected 0 (keep every report) to 36500 days");
  }
  c.snapshot_report_retention_days = f.snapshot_report_retention_days;
  f.shards.apply(c);
  f.limits.apply(c);

  // Signals go to one watcher thread (blocked everywhere else, so every thread inherits the mask).
  const sigset_t signals = block_stop_signals();

  server::Server srv(c);
  const int port = srv.bind();
  ctx.note(fmt::format("keel serve: http://{}:{} (db {}{})", f.host, port, ctx.db_path,
                       c.web_root ? ", web app " + *c.web_root : ", no web app"));
  // Requests get the grace, then their computations are cancelled and answer within a second.
  StopDeadline deadline([&srv] { return srv.requeue_held_jobs(); }, !f.quiet_log);
  std::thread watcher([&srv, &deadline, signals, grace = c.shutdown_grace_seconds] {
    int sig = 0;
    sigwait(&signals, &sig);
    deadline.arm(std::chrono::seconds(grace) + std::chrono::milliseconds(900));
    srv.stop();
  });
  srv.run();
  srv.stop();
  watcher.join();
}

void work(Context& ctx, const WorkerFlags& f) {
  if (f.threads == 0) throw Error::usage("--threads must be at least 1");
  check_lease(f.lease, f.heartbeat);
  if (!(f.poll > 0 && f.poll <= 60)) throw Error::usage("--poll: expected more than 0 and at most 60 seconds");
  if (!(f.retry_base > 0 && f.retry_base <= 300)) throw Error::usage("--retry-base: expected more than 0 and at most 300 seconds");
  server::ServerConfig c;
  c.db_path = ctx.db_path;
  c.job_workers = f.threads;
  c.tenant_job_workers = f.tenant_job_workers;
  c.threads = 1;  // no HTTP requests: one store connection kept warm for the vault
  c.compute_slots = 1;
  c.job_lease_seconds = f.lease;
  c.job_heartbeat_seconds = f.heartbeat;
  c.job_poll_seconds = f.poll;
  c.job_retry_base_seconds = f.retry_base;
  c.job_owner = f.name;
  f.shards.apply(c);
  f.limits.apply(c);
  configure_environment(c, f.quiet_log, f.reports_dir);
  c.tokens.key = server::random_key_hex();  // a worker issues no tokens

  std::optional<tbb::global_control> cores;
  if (f.compute_threads > 0) cores.emplace(tbb::global_control::max_allowed_parallelism, f.compute_threads);
  const sigset_t signals = block_stop_signals();
  server::Worker worker(c);
  ctx.note(fmt::format("keel worker: {} job thread(s) on {}", f.threads, ctx.db_path));
  // Running jobs are cancelled at once and go back to the queue: two seconds for them to stop.
  StopDeadline deadline([&worker] { return worker.requeue_held_jobs(); }, !f.quiet_log);
  std::thread watcher([&worker, &deadline, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    deadline.arm(std::chrono::seconds(2));
    worker.stop();
  });
  worker.run();
  // Stopped by a signal (the watcher returned): nothing left to wait for.
  watcher.join();
}

}  // namespace

void add_serve_commands(CLI::App& app, Context& ctx) {
  auto f = std::make_shared<ServeFlags>();
  auto* cmd = app.add_subcommand("serve", "Run the HTTP API (docs/server.md)");
  cmd->add_option("--host", f->host, "Address to listen on (put a TLS proxy in front for anything but loopback)");
  cmd->add_option("--port", f->port, "TCP port (0: any free port)");
  cmd->add_option("--rate-limit", f->rate_limit, "Requests per minute per user, sustained (token bucket; 0 disables)");
  cmd->add_option("--rate-burst", f->rate_burst,
                  "Requests a user may send at once before the per-minute rate applies (the bucket's size; 0: one "
                  "minute's worth)");
  cmd->add_option("--anonymous-rate-limit", f->anonymous_rate_limit,
                  "Requests per minute per client address on anonymous routes (login, health)");
  cmd->add_option("--io-threads", f->io_threads, "Threads doing socket I/O (asynchronous; default 2)");
  cmd->add_option("--threads", f->threads, "Request pool: threads for authentication, store reads and writes");
  cmd->add_option("--request-queue", f->request_queue, "Requests that may wait for the request pool (more: 503)");
  cmd->add_option("--job-workers", f->job_workers, "Background job threads (0: queue only)");
  cmd->add_option("--assistant-streams", f->assistant_streams,
                  "Assistant conversations at once (POST /api/v1/assistant/messages); more answer 503")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--compute-slots", f->compute_slots,
                  "Compute pool: engine runs at once inside requests (0: the number of cores, at least 2)");
  cmd->add_option("--compute-queue", f->compute_queue,
                  "Engine requests that may wait for the compute pool (more: 503 with Retry-After)");
  cmd->add_option("--tenant-compute-slots", f->tenant_compute_slots,
                  "Compute slots one tenant may hold at once (0: the slots less one, at least 1)");
  cmd->add_option("--tenant-job-workers", f->tenant_job_workers,
                  "Jobs one tenant may run at once on this server's job threads (0: the threads less one, at least 1)");
  cmd->add_option("--request-deadline", f->request_deadline,
                  "Seconds a computing request may take from its first byte; past it, 503 (0: none)")
      ->capture_default_str();
  cmd->add_option("--max-body-mb", f->max_body_mb, "Largest request body in MiB, chunked or not (larger: 413)");
  cmd->add_option("--max-connections", f->max_connections, "Open connections in all (more are refused)");
  cmd->add_option("--max-connections-per-client", f->max_connections_per_client,
                  "Open connections per client address (trusted proxies exempt)");
  cmd->add_option("--header-timeout", f->header_timeout, "Seconds for a request's header to arrive");
  cmd->add_option("--read-timeout", f->read_timeout, "Seconds within which each read of a body must make progress");
  cmd->add_option("--write-timeout", f->write_timeout, "Seconds within which each write must complete");
  cmd->add_option("--keep-alive", f->keep_alive, "Seconds an idle keep-alive connection stays open");
  cmd->add_option("--shutdown-grace", f->shutdown_grace,
                  "Seconds requests in progress may take to finish after SIGTERM/SIGINT");
  cmd->add_option("--trust-proxy", f->trusted_proxies,
                  "Address of a reverse proxy whose X-Forwarded-For names the client (repeat)");
  cmd->add_option("--web-root", f->web_root,
                  "Serve the web app from DIR (default: web/dist of the build tree or share/keel/web, when present)");
  cmd->add_flag("--no-web", f->no_web, "Serve the API only");
  cmd->add_option("--token-key-file", f->token_key_file,
                  "HS256 signing key file (line 1: current key; further lines: previous keys still accepted); "
                  "default $KEEL_JWT_SECRET");
  cmd->add_option("--token-ttl", f->token_ttl, "Access token lifetime in seconds")->capture_default_str();
  cmd->add_option("--refresh-idle", f->refresh_idle,
                  "A sign-in unused this long ends: its refresh token expires (8h, 90m; 0: no refresh tokens, a "
                  "sign-in lasts one access token)")
      ->capture_default_str();
  cmd->add_option("--refresh-absolute", f->refresh_absolute,
                  "No sign-in outlives this from its login, however it is used (24h, 7d)")
      ->capture_default_str();
  cmd->add_option("--oidc-config", f->oidc_config,
                  "Single sign-on: the OpenID Connect provider's settings, a JSON file (docs/security.md, \"Single "
                  "sign-on\")");
  cmd->add_option("--webhook-allow-host", f->webhook_allow_hosts,
                  "A host webhooks may post to on a private or loopback address, and over http (HOST or "
                  "HOST:PORT; repeat for more)");
  cmd->add_option("--issuer", f->issuer, "Token issuer (iss claim)");
  cmd->add_option("--hash-memory-mb", f->hash_memory_mb,
                  "argon2id memory of all password checks at once, MiB (64 each: 192 runs 3); logins past it wait "
                  "up to 2 s, then 503")
      ->envname("KEEL_HASH_MEMORY_MB")
      ->capture_default_str();
  cmd->add_option("--cors-origin", f->cors, "Allowed browser Origin (repeat; '*' for any)");
  cmd->add_flag("--hsts", f->hsts, "Send Strict-Transport-Security (when served over TLS)");
  cmd->add_flag("--no-log", f->quiet_log, "No JSON request log on stderr");
  cmd->add_option("--reports-dir", f->reports_dir,
                  "Write batch report files under DIR/<tenant>/ (default: batch jobs write no files)");
  cmd->add_option("--batch-daily", f->batch_daily, "Enqueue the batch for every tenant once a day at HH:MM UTC");
  cmd->add_option("--alm-session-ttl", f->alm_session_ttl,
                  "ALM sessions: time to live of a session created without one, and the longest allowed (7d, 12h, "
                  "90m)")
      ->capture_default_str();
  cmd->add_option("--alm-disk-budget-mb", f->alm_disk_budget_mb,
                  "ALM sessions: disk budget of all sessions in MiB; least recently used are evicted (0: none)")
      ->capture_default_str();
  cmd->add_option("--alm-user-budget-mb", f->alm_user_budget_mb,
                  "ALM sessions: disk budget of each user's own sessions in MiB, inside the tenant's; the user's "
                  "least recently used are evicted (0: none)")
      ->capture_default_str();
  cmd->add_option("--alm-cleanup-interval", f->alm_cleanup_interval,
                  "ALM sessions: seconds between the server's cleanups of expired sessions (also at start; 0: at "
                  "start only)")
      ->capture_default_str();
  cmd->add_option("--store-read-replica", f->read_replica,
                  "A hot standby of the PostgreSQL store (postgresql:// URL, the application role): read-only "
                  "requests run on it, falling back to the primary")
      ->envname("KEEL_STORE_READ_REPLICA");
  cmd->add_option("--read-replica-sticky", f->read_replica_sticky,
                  "Seconds after a user's write during which their reads go to the primary (read-your-writes)")
      ->capture_default_str();
  cmd->add_option("--provider-check-interval", f->provider_check_interval,
                  "/readyz: seconds between checks that the market-data and LLM providers accept a connection "
                  "(0: at every probe)")
      ->capture_default_str();
  cmd->add_option("--job-lease", f->job_lease,
                  "Seconds a claimed job's lease lasts; a job whose lease ends is claimed again by any process");
  cmd->add_option("--job-heartbeat", f->job_heartbeat, "Seconds between lease renewals (at most half the lease)");
  cmd->add_option("--job-retention-days", f->job_retention_days,
                  "Jobs that ended more than this many days ago are deleted with their results (0: keep them)")
      ->capture_default_str();
  cmd->add_option("--assistant-retention-days", f->assistant_retention_days,
                  "Assistant conversations untouched for more than this many days are deleted (0: keep them)")
      ->capture_default_str();
  cmd->add_option("--snapshot-report-retention-days", f->snapshot_report_retention_days,
                  "The batch snapshots' reports are dropped this many days after they were made; their figures "
                  "stay in the history (0: keep them)")
      ->capture_default_str();
  f->shards.add_to(cmd);
  f->limits.add_to(cmd);
  cmd->callback([&ctx, f] { serve(ctx, *f); });

  auto w = std::make_shared<WorkerFlags>();
  auto* wc = app.add_subcommand(
      "worker", "Run background jobs of the store (no HTTP): any number of workers and servers share one database");
  wc->add_option("--threads", w->threads, "Jobs run at once by this process (default 1)");
  wc->add_option("--tenant-job-workers", w->tenant_job_workers,
                 "Jobs one tenant may run at once in this process (0: the threads less one, at least 1)");
  wc->add_option("--compute-threads", w->compute_threads,
                 "Cores one job's engine may use (0: all; 1 with one worker per core)");
  wc->add_option("--lease", w->lease, "Seconds a claimed job's lease lasts; renewed every --heartbeat");
  wc->add_option("--heartbeat", w->heartbeat, "Seconds between lease renewals (at most half the lease)");
  wc->add_option("--poll", w->poll, "Seconds between looks at the queue when idle (PostgreSQL also wakes on NOTIFY)");
  wc->add_option("--retry-base", w->retry_base, "First retry delay of a failed attempt, doubled per attempt (cap 300 s)");
  w->shards.add_to(wc);
  w->limits.add_to(wc);
  wc->add_option("--name", w->name, "This worker's name in the jobs' lease_owner (default host:pid)");
  wc->add_option("--reports-dir", w->reports_dir, "Write batch report files under DIR/<tenant>/ (as keel serve)");
  wc->add_flag("--no-log", w->quiet_log, "No JSON event log on stderr");
  wc->callback([&ctx, w] { work(ctx, *w); });
}

}  // namespace keel::cli
