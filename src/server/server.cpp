// The request pipeline of `keel serve` after admission (admission.cpp: request ids, CORS, routing,
// authentication, rate limits, permissions): the store pool, the route call, the one exception
// handler, JSON errors, static files, logs and metrics. The sockets are in http_server.cpp.
#include "keel/server/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <ctime>
#include <iostream>

#include "app.h"
#include "event_hub.h"
#include "http_server.h"
#include "job_kinds.h"
#include "provider_probe.h"
#include "static_files.h"
#include "keel/net/crypto.h"
#include "keel/server/http_status.h"
#include "keel/server/jobs.h"
#include "keel/core/cancel.h"
#include "keel/core/date.h"
#include "keel/core/strings.h"
#include "keel/marketdata/provider.h"
#include "keel/net/outbound.h"
#include "keel/service/assistant_providers.h"
// The composition root: the one file of src/server that opens the store and its shared state
// (the routes reach the store through src/service; tests/layering/thin_faces.py).
#include "keel/store/audit_repository.h"
#include "keel/store/job_repository.h"
#include "keel/store/postgresql.h"
#include "keel/store/shared_state.h"
#include "keel/store/store.h"

namespace keel::server {
namespace {

// The rate limits' shared state (keel/server/rate_limit.h) kept in the store's database.
class StoreSharedLimits final : public SharedLimitState {
 public:
  explicit StoreSharedLimits(std::unique_ptr<store::SharedLimits> limits) : limits_(std::move(limits)) {}
  double take(const std::string& key, double capacity, double refill_per_second, double now) override {
    const store::SharedRateDecision d = limits_->take(key, capacity, refill_per_second, now);
    // A refusal is never "0 seconds": that would read as allowed.
    return d.allowed ? 0.0 : std::max(d.retry_after_seconds, 1e-3);
  }
  Grant take_up_to(const std::string& key, int want, double capacity, double refill_per_second,
                   double now) override {
    const store::SharedTokenGrant g = limits_->take_up_to(key, want, capacity, refill_per_second, now);
    return g.granted > 0 ? Grant{g.granted, 0.0} : Grant{0, std::max(g.retry_after_seconds, 1e-3)};
  }
  double blocked_until(const std::string& key) override { return limits_->blocked_until(key); }
  void record_failure(const std::string& key, double now, const LoginThrottleOptions& o) override {
    limits_->record_failure(key, now, o.free_failures, o.base_delay_seconds, o.max_delay_seconds,
                            o.forget_after_seconds);
  }
  void record_success(const std::string& key) override { limits_->record_success(key); }
  void sweep(double buckets_before, double failures_before) override {
    limits_->sweep(buckets_before, failures_before);
  }

 private:
  std::unique_ptr<store::SharedLimits> limits_;
};

// The job queue use cases hand background work to (service::Context::jobs): a row in the store's
// queue, the job threads woken.
class ServerJobQueue final : public service::JobQueue {
 public:
  explicit ServerJobQueue(App& app) : app_(app) {}
  store::JobRecord enqueue(Store& store, const service::Actor& actor, std::string_view kind,
                           const nlohmann::json& request, bool& joined) override {
    store::JobRepository& repo = store.jobs();
    const std::int64_t id = app_.timed_store("job_enqueue", [&] {
      return repo.enqueue_or_join(actor.tenant, actor.user, std::string(kind), request.dump(),
                                  app_.config.job_max_attempts, app_.now_epoch(), joined);
    });
    if (!joined) app_.jobs->notify();
    auto job = repo.find(id);
    if (!job) throw Error::internal(fmt::format("job {} was queued but cannot be read back", id));
    return *job;
  }
  void cancel_requested(std::int64_t id, const std::string& why) override { app_.jobs->cancel_local(id, why); }

 private:
  App& app_;
};

}  // namespace

// ---------------------------------------------------------------- StorePool

StorePool::~StorePool() = default;

StorePool::Lease::~Lease() {
  if (!store_ || !pool_) return;
  std::lock_guard lock(pool_->mutex_);
  pool_->idle_.push_back(std::move(store_));
  --pool_->leased_;
}

StorePool::Lease StorePool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      ++leased_;
      return Lease(this, std::move(s));
    }
  }
  // Pooled connections share the OS page cache; a small private cache each keeps the resident
  // size of the server bounded by (connections x 8 MiB) instead of (connections x database size).
  auto store = open_store(path_, clock_, StoreOptions{.page_cache_kib = 8192});
  std::lock_guard lock(mutex_);
  ++leased_;
  return Lease(this, std::move(store));
}

StorePool::Stats StorePool::stats() {
  if (store::pg::is_url(path_)) {
    const auto pg = store::pg::pool_stats(path_);
    return Stats{pg.in_use, pg.idle, pg.waiting};
  }
  std::lock_guard lock(mutex_);
  return Stats{leased_, idle_.size(), 0};
}

// ---------------------------------------------------------------- errors

void write_error(HttpResponse& res, const Error& error, const std::string& request_id) {
  res.status = http_status(error.code());
  nlohmann::json details = nlohmann::json::array();
  for (const auto& d : error.details()) details.push_back(d);
  const nlohmann::json body = {{"error",
                                {{"code", error_code_name(error.code())},
                                 {"message", error.what()},
                                 {"details", details},
                                 {"request_id", request_id}}}};
  res.set_content(dump_json(body), "application/json");
}

// ---------------------------------------------------------------- Call

Call::Call(App& a, const RouteSpec& r, const HttpRequest& rq, HttpResponse& rs, RequestContext& ctx)
    : app(a), route(r), req(rq), res(rs), ctx_(ctx) {}

const Principal& Call::principal() const {
  if (!ctx_.principal) throw Error(ErrorCode::kUnauthorized, "authentication required");
  return *ctx_.principal;
}

std::string Call::param(const std::string& name) const {
  for (std::size_t i = 0; i < route.params.size(); ++i) {
    if (route.params[i] == name && i < req.matches.size()) return req.matches[i];
  }
  throw Error::internal("route " + route.path + " has no parameter " + name);
}

std::int64_t Call::int_param(const std::string& name) const {
  const std::string text = param(name);
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    throw Error::not_found("no " + name + " '" + printable(text, 80) + "'");
  }
  return v;
}

std::optional<std::string> Call::query(const std::string& name) const {
  if (!req.has_param(name)) return std::nullopt;
  return req.get_param_value(name);
}

bool Call::body_is_json() const {
  const std::string type = to_lower(req.get_header_value("Content-Type"));
  if (type.find("json") != std::string::npos) return true;
  // No type, or the form type that `curl -d` sends by default: look at the first character.
  if (type.empty() || type.rfind("application/x-www-form-urlencoded", 0) == 0 || type.rfind("text/plain", 0) == 0) {
    for (char c : req.body) {
      if (std::isspace(static_cast<unsigned char>(c))) continue;
      return c == '{' || c == '[';
    }
  }
  return false;
}

nlohmann::json Call::json_body(bool allow_array) const {
  if (req.body.empty()) return nlohmann::json::object();
  return parse_json_body(req.body, app.limits, allow_array);
}

std::chrono::steady_clock::time_point Call::hash_deadline() const {
  return ctx_.hash_deadline.value_or(std::chrono::steady_clock::now() + app.hasher.budget().max_wait);
}

Store& Call::store() {
  if (lease_) return **lease_;
  const bool replica = app.replica_stores && !primary_only_ &&
                       app.replica_routing.reads_from_replica(route.reads_only.value_or(route.method == "GET"),
                                                              ctx_.principal ? ctx_.principal->user_id : 0,
                                                              std::chrono::steady_clock::now());
  if (replica) {
    try {
      lease_.emplace(app.replica_stores->acquire());
      on_replica_ = true;
      return **lease_;
    } catch (const std::exception& e) {
      // The replica cannot be reached: this request reads from the primary.
      app.replica_fallbacks.fetch_add(1, std::memory_order_relaxed);
      app.log_line({{"level", "warning"}, {"event", "read_replica"}, {"request_id", ctx_.request_id},
                    {"error", printable(e.what(), 300)}});
    }
  }
  lease_.emplace(app.stores.acquire());
  return **lease_;
}

service::Context Call::service() {
  service::Context cx = app.service_context(store());
  if (ctx_.principal) {
    cx.actor.user = ctx_.principal->username;
    cx.actor.tenant = ctx_.principal->tenant;
    cx.actor.role = ctx_.principal->role;
  } else {
    // An anonymous route (login) acts for nobody: it may read, never change.
    cx.actor.user = "";
    cx.actor.role = Role::kViewer;
  }
  cx.actor.client = ctx_.client;
  cx.actor.request_id = ctx_.request_id;
  return cx;
}

void Call::send(int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(dump_json(body), "application/json");
}

void Call::audit(const std::string& action, const std::string& resource, const nlohmann::json& details,
                 const std::string& outcome) {
  const std::string user = ctx_.principal ? ctx_.principal->username : "";
  const std::string tenant = ctx_.principal ? ctx_.principal->tenant : "";
  app.audit(store(), user, tenant, action, resource, details, outcome, ctx_.client, ctx_.request_id);
}

// ---------------------------------------------------------------- App

App::App(ServerConfig c)
    : config(std::move(c)),
      clock(config.clock ? *config.clock : system_clock_source()),
      hasher(config.password_cost, config.hash_budget),
      tokens(config.tokens),
      user_limit(config.rate_limit_per_minute, config.rate_limit_burst),
      anonymous_limit(config.anonymous_rate_limit_per_minute),
      login_throttle(config.login_throttle),
      login_address_throttle(config.login_address_throttle),
      stores(config.db_path, clock),
      replica_routing(std::chrono::duration<double>(std::max(0.0, config.read_replica_sticky_seconds))),
      started_at(clock.now()) {
  if (config.db_path.empty() || config.db_path == ":memory:") {
    throw Error::usage("keel serve needs a database file (--db), not an in-memory store");
  }
  if (config.single_sign_on) {
    oidc = std::make_unique<net::OidcClient>(config.single_sign_on->client, net::curl_provider_http(),
                                             [this] { return clock.unix_seconds(); });
  }
  if (!config.read_replica.empty()) {
    if (!store::pg::is_url(config.read_replica) || !store::pg::is_url(config.db_path)) {
      throw Error::usage(
          "--store-read-replica: a read replica is a PostgreSQL URL (a hot standby of the --db PostgreSQL "
          "store); SQLite has none");
    }
    // Opened on first need: a replica that is down at start only sends reads to the primary.
    replica_stores = std::make_unique<StorePool>(config.read_replica, clock);
  }
  limits.max_target_bytes = config.max_target_bytes;
  limits.max_header_bytes = config.max_header_bytes;
  limits.max_header_count = config.max_header_count;
  limits.max_json_depth = config.max_json_depth;
  limits.max_json_elements = config.max_json_elements;
  if (config.web_root) web = std::make_unique<StaticFiles>(*config.web_root);
  {
    // Creates and migrates the file before anything else, then opens one connection per pool
    // thread up front: opening one checks the schema under the write lock, and a burst of first
    // requests opening them together would queue on that lock (seconds of tail latency).
    const std::size_t compute = config.compute_slots ? config.compute_slots
                                                     : std::max<std::size_t>(2, std::thread::hardware_concurrency());
    std::vector<StorePool::Lease> warm;
    for (std::size_t i = 0; i < config.threads + compute + 1; ++i) warm.push_back(stores.acquire());
  }
  vault = std::make_unique<service::KeyVault>(
      [this](const std::function<void(Store*)>& fn) {
        auto lease = stores.acquire();
        fn(lease.get());
      },
      service::master_key_chain_of(config.master_key));
  dummy_hash = hasher.dummy_hash();
  auth_cache = std::make_unique<AuthCache>(
      [this](const std::function<void(Store&)>& fn) {
        auto lease = stores.acquire();
        fn(*lease);
      },
      config.auth_cache);
  revocation_pruner = std::make_unique<PeriodicTask>(
      static_cast<double>(config.auth_cache.prune_interval.count()),
      [this] {
        auto lease = stores.acquire();
        service::prune_revocations(service_context(*lease), now_epoch());
      },
      [this](const std::exception& e) {
        log_line({{"level", "error"}, {"event", "revocation_prune"}, {"error", e.what()}});
      });
  webhook_sender = std::make_unique<PeriodicTask>(
      config.webhook_poll_seconds,
      [this, post = service::curl_webhook_post(config.webhooks)] {
        auto lease = stores.acquire();
        service::run_webhooks(service_context(*lease), config.webhooks, post, now_seconds(), webhook_state);
      },
      [this](const std::exception& e) {
        log_line({{"level", "error"}, {"event", "webhooks"}, {"error", e.what()}});
      });
  storage_sweeper = std::make_unique<PeriodicTask>(
      600.0,
      [this] {
        auto lease = stores.acquire();
        const auto swept = service::sweep_storage(service_context(*lease), storage_settings(), now_seconds());
        if (swept.jobs_deleted + swept.conversations_expired + swept.conversations_evicted +
                swept.snapshot_reports_dropped >
            0) {
          log_line({{"event", "storage_sweep"},
                    {"jobs_deleted", swept.jobs_deleted},
                    {"conversations_expired", swept.conversations_expired},
                    {"conversations_evicted", swept.conversations_evicted},
                    {"snapshot_reports_dropped", swept.snapshot_reports_dropped}});
        }
      },
      [this](const std::exception& e) {
        log_line({{"level", "error"}, {"event", "storage_sweep"}, {"error", e.what()}});
      });
  JobRunnerOptions jo;
  jo.db_path = config.db_path;
  jo.workers = config.job_workers;
  jo.retry_base_seconds = config.job_retry_base_seconds;
  jo.poll_seconds = config.job_poll_seconds;
  jo.lease_seconds = config.job_lease_seconds;
  jo.heartbeat_seconds = config.job_heartbeat_seconds;
  jo.owner = config.job_owner;
  jo.tenant_workers = tenant_job_workers(config);
  jo.clock = &clock;
  // The hub streams job progress and the portfolio changes the jobs' use cases announce.
  events = std::make_unique<EventHub>(*this, std::chrono::seconds(std::max(1, config.stream_heartbeat_seconds)));
  changes = events.get();
  jo.changes = changes;
  jobs = std::make_unique<JobRunner>(jo);
  register_job_kinds(*this);
  job_queue = std::make_unique<ServerJobQueue>(*this);
  // Several servers and workers may share the store: rate limits and login throttling in the
  // database (PostgreSQL), and every process hears of every job change (LISTEN).
  if (auto limits = store::open_shared_limits(config.db_path)) {
    const auto shared = std::make_shared<StoreSharedLimits>(std::move(limits));
    user_limit.use_shared(shared);
    login_throttle.use_shared(shared);
    login_address_throttle.use_shared(shared);
  }
  notifications = store::listen_job_changes(config.db_path, [this](std::int64_t, std::string_view) { jobs->notify(); });
  streams = std::make_unique<StreamRunner>(std::max<std::size_t>(1, config.assistant_streams));
  provider_probe = std::make_unique<ProviderProbe>(
      [this] {
        ProbeTargets t;
        const auto& md = config.batch_market_data;
        if (!md.provider.empty() && !md.options.offline) {
          ProbeTarget target;
          target.url = md.options.base_url.empty() ? marketdata::default_base_url(md.provider) : md.options.base_url;
          // As the market-data requests go: guarded, the operator's configured host allowed.
          target.outbound.enforce = true;
          if (!md.options.base_url.empty()) target.outbound.allowed_hosts.push_back(net::host_for_policy(target.url));
          t.market_data.push_back(std::move(target));
        }
        auto lease = stores.acquire();
        for (auto& d : service::assistant_provider_destinations(service_context(*lease))) {
          t.llm.push_back(ProbeTarget{std::move(d.base_url), std::move(d.outbound), d.refused});
        }
        return t;
      },
      std::chrono::milliseconds(static_cast<std::int64_t>(std::max(0.0, config.provider_check_seconds) * 1000)),
      std::chrono::milliseconds(std::max(1, config.provider_connect_timeout_ms)));

  add_ops_routes(*this);
  add_auth_routes(*this);
  add_user_routes(*this);
  add_portfolio_routes(*this);
  add_fx_routes(*this);
  add_macro_routes(*this);
  add_risk_routes(*this);
  add_construct_routes(*this);
  add_engine_routes(*this);
  add_job_routes(*this);
  add_audit_routes(*this);
  add_ledger_routes(*this);
  add_tag_routes(*this);
  add_alm_routes(*this);
  add_clo_routes(*this);
  add_report_routes(*this);
  add_whatif_routes(*this);
  add_key_routes(*this);
  add_webhook_routes(*this);
  add_storage_routes(*this);
  add_assistant_routes(*this);
  http = std::make_unique<HttpServer>(*this);
}

App::~App() {
  // The job threads announce portfolio changes to the hub (events), which is destroyed first.
  if (jobs) jobs->stop();
}

bool App::hears_job_changes() const { return notifications && notifications->listening(); }

// ---------------------------------------------------------------- StreamRunner

std::shared_ptr<void> StreamRunner::reserve() {
  std::lock_guard lock(mutex_);
  if (stopping_ || reserved_ >= slots_) return nullptr;
  ++reserved_;
  return std::shared_ptr<void>(new char(0), [this](void* p) {
    delete static_cast<char*>(p);
    std::lock_guard l(mutex_);
    --reserved_;
  });
}

bool StreamRunner::run(std::function<void()> fn) {
  std::lock_guard lock(mutex_);
  if (stopping_) return false;
  reap();
  auto done = std::make_shared<std::atomic<bool>>(false);
  workers_.push_back({std::thread([fn = std::move(fn), done]() mutable {
                        fn();
                        fn = nullptr;  // releases the slot and the sink before the thread is reaped
                        done->store(true);
                      }),
                      done});
  return true;
}

void StreamRunner::reap() {
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
}

void StreamRunner::stop() {
  std::vector<Worker> running;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    running.swap(workers_);
  }
  for (auto& w : running) w.thread.join();
}

std::size_t StreamRunner::active() const {
  std::lock_guard lock(mutex_);
  return reserved_;
}

double App::now_seconds() const {
  return std::chrono::duration<double>(clock.now().time_since_epoch()).count();
}

std::int64_t App::now_epoch() const { return static_cast<std::int64_t>(now_seconds()); }

void App::add_route(RouteSpec spec) {
  spec.matcher.emplace(spec.path);
  spec.params = spec.matcher->params();
  if (!spec.compute) spec.compute = spec.permission == Permission::kCompute;
  routes.push_back(std::make_unique<RouteSpec>(std::move(spec)));
}

const RouteSpec* App::match(const std::string& method, const std::string& path,
                            std::vector<std::string>* matches) const {
  const std::string m = method == "HEAD" ? "GET" : method;
  for (const auto& r : routes) {
    if (r->method == m && r->matcher->match(path, matches)) return r.get();
  }
  return nullptr;
}

void App::log_line(const nlohmann::json& line) {
  if (!config.log) return;
  nlohmann::json out = line;
  const auto now = clock.now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  out["ts"] = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
  if (!out.contains("level")) out["level"] = "info";
  const std::string text = dump_json(out);
  std::lock_guard lock(log_mutex_);
  *config.log << text << '\n';
  config.log->flush();
}

void App::audit(Store& store, const std::string& username, const std::string& tenant, const std::string& action,
                const std::string& resource, const nlohmann::json& details, const std::string& outcome,
                const std::string& client, const std::string& request_id) {
  store::AuditEntry e;
  e.username = printable(username, 200);
  e.tenant = tenant;
  e.action = action;
  e.resource = printable(resource, 300);
  e.outcome = outcome;
  e.client = client;
  e.request_id = request_id;
  e.details = details.is_null() ? "{}" : dump_json(details);
  timed_store("audit_append", [&] { return store.audit().append(e); });
}

void App::refuse(RequestContext& ctx, HttpResponse& res, int status, const std::string& message,
                 const std::vector<std::string>& details) {
  if (ctx.request_id.empty()) ctx.request_id = new_request_id();
  api_headers(res, ctx.request_id, config.hsts);
  write_error(res, Error(transport_error_code(status), message, details), ctx.request_id);
  res.status = status;
  if (status == 503) {
    // An overloaded server is not an internal error: say so in the code.
    res.body = dump_json({{"error",
                           {{"code", "unavailable"},
                            {"message", message},
                            {"details", details},
                            {"request_id", ctx.request_id}}}});
  }
}

namespace {

// JSON answers this large or larger go gzip-compressed to clients that accept it.
constexpr std::size_t kGzipJsonBytes = 1024;

// Compresses a large JSON answer for a client that accepts gzip (zlib level 1: most of the size
// for a fraction of the time), on the request's pool thread, never on the I/O thread. Event
// streams and answers already encoded are left as they are.
void compress_answer(const HttpRequest& req, HttpResponse& res) {
  if (res.stream || res.body.size() < kGzipJsonBytes || !res.get_header_value("Content-Encoding").empty()) return;
  if (res.get_header_value("Content-Type").rfind("application/json", 0) != 0) return;
  res.set_header("Vary", "Accept-Encoding");
  if (!accepts_gzip(req)) return;
  std::string z = gzip_of(res.body, 1);
  if (z.empty() || z.size() >= res.body.size()) return;
  res.body = std::move(z);
  res.set_header("Content-Encoding", "gzip");
}

}  // namespace

void App::run_handler(HttpRequest& req, RequestContext& ctx, HttpResponse& res) {
  if (!replica_stores) {
    Call call(*this, *ctx.route, req, res, ctx);
    ctx.route->handler(call);
    return;
  }
  // On the read replica, a failure that is not an answer (a lost or refused connection, a write
  // the standby refuses) runs the request again on the primary, from the response as it was.
  const HttpResponse before = res;
  {
    Call call(*this, *ctx.route, req, res, ctx);
    try {
      ctx.route->handler(call);
      return;
    } catch (const Error& e) {
      if (!call.on_replica() || e.code() != ErrorCode::kInternal) throw;
      log_line({{"level", "warning"}, {"event", "read_replica"}, {"request_id", ctx.request_id},
                {"error", printable(e.what(), 300)}});
    } catch (const nlohmann::json::exception&) {
      throw;
    } catch (const std::exception& e) {
      if (!call.on_replica()) throw;
      log_line({{"level", "warning"}, {"event", "read_replica"}, {"request_id", ctx.request_id},
                {"error", printable(e.what(), 300)}});
    }
  }
  replica_fallbacks.fetch_add(1, std::memory_order_relaxed);
  res = before;
  Call again(*this, *ctx.route, req, res, ctx);
  again.use_primary();
  ctx.route->handler(again);
}

void App::handle(HttpRequest& req, RequestContext& ctx, HttpResponse& res) {
  // How long the server spent on the request, from its first byte read to its answer made.
  struct ProcessTime {
    const RequestContext& ctx;
    HttpResponse& res;
    ~ProcessTime() {
      try {
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count();
        res.set_header("X-Process-Time", fmt::format("{:.6f}", secs));
      } catch (...) {
      }
    }
  } process_time{ctx, res};
  try {
    try {
      // A computation whose deadline passed while it waited for the compute pool (or whose client
      // left, or past a shutdown's grace) answers at once, without running (http_server.cpp).
      cancellation_point();
      run_handler(req, ctx, res);
      compress_answer(req, res);
      if (replica_stores && ctx.principal && req.method != "GET" && req.method != "HEAD" && res.status < 400) {
        replica_routing.note_write(ctx.principal->user_id, std::chrono::steady_clock::now());
      }
    } catch (const Error& e) {
      write_error(res, e, ctx.request_id);
      if (e.code() == ErrorCode::kInternal) {
        log_line({{"level", "error"}, {"request_id", ctx.request_id}, {"path", printable(req.path)}, {"error", e.what()}});
      }
    } catch (const PasswordHashBusy& e) {
      // The password hashing budget stayed full for the whole wait: come back shortly.
      refuse(ctx, res, 503, e.what());
      res.set_header("Retry-After", "1");
    } catch (const nlohmann::json::exception& e) {
      // A value of the wrong type deep in a body (e.g. get<std::string>() on a number): the
      // client's input, not a fault of the server.
      write_error(res, Error::invalid_input("invalid request body", {printable(e.what(), 300)}), ctx.request_id);
    } catch (const std::exception& e) {
      log_line({{"level", "error"}, {"request_id", ctx.request_id}, {"path", printable(req.path)}, {"error", e.what()}});
      write_error(res, Error::internal("internal error (request " + ctx.request_id + ")"), ctx.request_id);
    } catch (...) {
      log_line({{"level", "error"}, {"request_id", ctx.request_id}, {"path", printable(req.path)}, {"error", "unknown exception"}});
      write_error(res, Error::internal("internal error (request " + ctx.request_id + ")"), ctx.request_id);
    }
  } catch (...) {
    // Only a failure to allocate the error itself lands here: a fixed answer that cannot fail.
    res.status = 500;
    res.body = R"({"error":{"code":"internal","message":"internal error","details":[]}})";
  }
}

void App::serve_static(const HttpRequest& req, RequestContext& ctx, HttpResponse& res) {
  try {
    if (!web || !web->serve(req, res)) {
      write_error(res, Error::not_found("no route " + printable(req.method, 20) + " " + printable(req.path, 200)),
                  ctx.request_id);
      api_headers(res, ctx.request_id, config.hsts);
      return;
    }
    res.set_header("X-Request-Id", ctx.request_id);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                   "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    if (config.hsts) res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  } catch (const std::exception& e) {
    log_line({{"level", "error"}, {"path", printable(req.path)}, {"error", e.what()}});
    res = HttpResponse{};
    api_headers(res, ctx.request_id, config.hsts);
    write_error(res, Error::internal("internal error (request " + ctx.request_id + ")"), ctx.request_id);
  }
}

void App::finish(const HttpRequest& req, const RequestContext& ctx, int status) {
  try {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count();
    const std::string route = ctx.route ? ctx.route->path : (status == 404 || status < 400 ? "static" : "unmatched");
    metrics.observe_request(route, printable(req.method, 10), status, secs);
    if (config.log) {
      nlohmann::json line = {{"event", "request"},
                             {"request_id", ctx.request_id},
                             {"method", printable(req.method, 10)},
                             {"path", printable(req.path)},
                             {"route", route},
                             {"status", status},
                             {"duration_ms", secs * 1000.0},
                             {"client", ctx.client}};
      if (ctx.principal) {
        line["user"] = ctx.principal->username;
        line["tenant"] = ctx.principal->tenant;
      }
      log_line(line);
    }
  } catch (...) {
    // Logging must never take a connection down.
  }
}

// ---------------------------------------------------------------- Server

std::size_t tenant_compute_slots(const ServerConfig& c) {
  if (c.tenant_compute_slots > 0) return c.tenant_compute_slots;
  const std::size_t slots = c.compute_slots ? c.compute_slots : std::max<std::size_t>(2, std::thread::hardware_concurrency());
  return std::max<std::size_t>(1, slots - 1);
}

std::size_t tenant_job_workers(const ServerConfig& c) {
  if (c.tenant_job_workers > 0) return c.tenant_job_workers;
  return std::max<std::size_t>(1, c.job_workers > 0 ? c.job_workers - 1 : 1);
}

std::size_t Server::requeue_held_jobs() { return app_ ? app_->jobs->requeue_held("interrupted by a shutdown; re-queued") : 0; }
std::size_t Worker::requeue_held_jobs() { return app_ ? app_->jobs->requeue_held("interrupted by a shutdown; re-queued") : 0; }

Server::Server(ServerConfig config) : app_(std::make_unique<App>(std::move(config))) {}

Server::~Server() { stop(); }

int Server::bind() {
  if (bound_) return port_;
  port_ = app_->http->bind(app_->config.host, app_->config.port);
  bound_ = true;
  return port_;
}

void Server::run() {
  bind();
  app_->jobs->start();
  app_->events->start();
  if (app_->scheduler) app_->scheduler->start();
  if (app_->alm_cleaner) app_->alm_cleaner->start();
  app_->revocation_pruner->start();
  app_->webhook_sender->start();
  app_->storage_sweeper->start();
  app_->ready = true;
  app_->log_line({{"event", "listening"}, {"host", app_->config.host}, {"port", port_},
                  {"web_root", app_->web ? nlohmann::json(app_->web->root().string()) : nlohmann::json(nullptr)}});
  app_->http->run();
  app_->ready = false;
}

int Server::start() {
  bind();
  thread_ = std::make_unique<std::thread>([this] { run(); });
  for (int i = 0; i < 5000 && !app_->http->running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!app_->http->running()) throw Error::internal("the HTTP server did not start");
  return port_;
}

Worker::Worker(ServerConfig config) : app_(std::make_unique<App>(std::move(config))) {}

Worker::~Worker() { stop(); }

void Worker::run() {
  app_->jobs->start();
  app_->ready = true;
  app_->log_line({{"event", "worker_started"},
                  {"owner", app_->jobs->owner()},
                  {"threads", app_->config.job_workers},
                  {"lease_seconds", app_->config.job_lease_seconds},
                  {"listening", app_->notifications != nullptr}});
  {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return stop_; });
  }
  app_->ready = false;
  app_->jobs->stop();  // running jobs stop at their next step and go back to the queue
  app_->log_line({{"event", "stopped"}, {"leases_lost", app_->jobs->leases_lost()}});
}

void Worker::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
}

void Server::stop() {
  if (!app_) return;
  if (app_->stopping.exchange(true)) return;
  app_->ready = false;
  if (app_->scheduler) app_->scheduler->stop();
  if (app_->alm_cleaner) app_->alm_cleaner->stop();
  app_->revocation_pruner->stop();
  app_->webhook_sender->stop();
  app_->storage_sweeper->stop();
  // Running jobs are cancelled (the server is shutting down): they stop at their next check and go
  // back to the queue while the HTTP side drains; the job threads are joined after it.
  app_->jobs->request_stop();
  app_->events->stop();  // every event stream gets "event: shutdown" and its end
  app_->provider_probe->stop();
  app_->streams->stop();  // assistant answers end at their next wait on the provider
  app_->http->stop();    // no new connections; requests in progress finish (bounded), then every thread joins
  app_->jobs->stop();
  if (thread_ && thread_->joinable()) thread_->join();
  app_->log_line({{"event", "stopped"}});
}

}  // namespace keel::server
