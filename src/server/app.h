// src/server/app.h (private): the pieces every route file shares — the route table, the
// per-request Call, the store pool and the App that owns them.
//
// The store is only named here (the pool leases Store connections that use cases run on): none of
// its headers is included, so a route file reaches the store only through src/service.
// server.cpp, which composes the server, is the one file of src/server that includes the store
// (tests/layering/thin_faces.py checks it).
//
// A RouteSpec is the single source of truth for a route: the HTTP engine (http_server.h) matches
// requests against the specs' path templates, App::admit and App::authenticate check the spec's
// permission before the body is read, the spec says which pool runs it, and the OpenAPI document
// is generated from the same list.
//
// A request goes through App::admit (I/O thread: request id, headers, CORS, route, anonymous rate
// limit), App::authenticate (token, user, rate limit, permission), then App::handle (the route
// handler, every exception turned into a JSON error) and App::finish (log line and metrics). A
// short read (an authenticated GET of the request pool) is authenticated and handled on the I/O
// thread that read it while a request slot is free (keel/server/http_server.h); every other
// request is authenticated on the request pool and handled on the pool its route names.
//
// Thread-safety: App is shared by the I/O, pool and job threads; its members lock internally or
// are immutable after start. A Call and its RequestContext belong to one request.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http_intake.h"
#include "http_types.h"
#include "keel/core/error.h"
#include "keel/core/role.h"
#include "keel/server/auth.h"
#include "keel/server/metrics.h"
#include "keel/server/permissions.h"
#include "keel/server/rate_limit.h"
#include "keel/server/replica_routing.h"
#include "keel/server/scheduler.h"
#include "keel/server/server.h"
#include "keel/service/changes.h"
#include "keel/service/context.h"
#include "keel/service/jobs.h"
#include "keel/service/key_vault.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"
#include "keel/service/storage.h"

namespace keel {
class Store;
namespace store {
class JobNotifications;
}
}  // namespace keel

namespace keel::server {

class App;
class Call;
class EventHub;
class HttpServer;
class JobRunner;
class ProviderProbe;
class StaticFiles;

struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string tenant;
  Role role = Role::kViewer;
  std::string token_id;                // the bearer token's jti
  std::int64_t token_expires_at = 0;   // its exp, epoch seconds
  std::int64_t token_version = 0;      // its ver: the user's token_version when it was issued
  std::string session;                 // its sid: the sign-in's refresh family ("" when none)
};

struct RouteSpec {
  RouteSpec(std::string m, std::string p, std::string s, std::string t, std::optional<Permission> perm,
            std::function<void(Call&)> h, std::string body = "")
      : method(std::move(m)), path(std::move(p)), summary(std::move(s)), tag(std::move(t)), permission(perm),
        handler(std::move(h)), request_body(std::move(body)) {}
  // A route that is one use case's face: the use case's permission, and its refusal worded as the
  // use case words it (service::refusal_message), so every face refuses alike.
  RouteSpec(std::string m, std::string p, std::string s, std::string t, const service::UseCase& uc,
            std::function<void(Call&)> h, std::string body = "")
      : RouteSpec(std::move(m), std::move(p), std::move(s), std::move(t), uc.permission, std::move(h), std::move(body)) {
    use_case = &uc;
  }
  std::string method;  // GET POST DELETE
  std::string path;    // template: /api/v1/portfolios/{id}
  std::string summary;
  std::string tag;
  std::optional<Permission> permission;  // nullopt: anonymous route (per-IP rate limit)
  const service::UseCase* use_case = nullptr;  // the use case the route is the face of, if one
  std::function<void(Call&)> handler;
  std::string request_body;  // "json", "csv", "json|csv", "form" (x-www-form-urlencoded) or "" (OpenAPI)
  std::vector<std::string> params;  // names of {params}, in order
  std::optional<RouteTemplate> matcher;
  // Runs on the compute pool (engine work); default: routes with the compute permission.
  std::optional<bool> compute;
  // Hashes or checks a password: runs on the hash pool (ServerConfig::hash_budget), where a request
  // waits at most the budget's max_wait for a thread, then answers 503 with Retry-After.
  bool hashes_passwords = false;
  // OpenAPI schemas of the JSON body, the query parameters and the success results, made from
  // described structs (keel/service/spec.h) when the document is built; they register named types
  // in `components`.
  using SchemaFn = std::function<nlohmann::json(nlohmann::json& components)>;
  SchemaFn request_schema;
  std::function<nlohmann::json()> query_schema;  // an object schema whose properties are the parameters
  std::vector<std::pair<int, SchemaFn>> results;  // (HTTP status, schema of that response's body)

  // The request body is a Req (JSON), read with spec::read_json.
  template <class Req>
  RouteSpec&& takes() && {
    request_schema = [](nlohmann::json& components) { return spec::schema_of<Req>(spec::Role::kRequest, &components); };
    return std::move(*this);
  }
  // The query string is a Q, read with Call::query_as (spec::read_query).
  template <class Q>
  RouteSpec&& query() && {
    query_schema = [] { return spec::schema_of<Q>(spec::Role::kRequest); };
    return std::move(*this);
  }
  // A response with `status` has a Res body (spec::to_json). A route may declare several (e.g. 200
  // when computed at once, 202 with a Job when queued).
  template <class Res>
  RouteSpec&& returns(int status = 200) && {
    results.emplace_back(status, [](nlohmann::json& components) {
      return spec::schema_of<Res>(spec::Role::kResult, &components);
    });
    return std::move(*this);
  }
  // A response with `status` whose body is not JSON by nature (a CSV export, a spreadsheet, a
  // metrics text, an event stream), declared with its media type: a string schema, or a binary
  // one (`binary`). A route may declare several media types for one status (e.g. a download in
  // the format asked for), alongside a returns<Res>() for application/json.
  struct MediaResult {
    int status = 200;
    std::string media_type;  // e.g. "text/csv"
    bool binary = false;
  };
  std::vector<MediaResult> media_results;
  // A route that answers 202 with a Job: the schema of the job's `result` once it succeeded, as
  // the operation's `x-job-result` (its type is then in `components`, for typed clients).
  SchemaFn job_result;
  template <class Res>
  RouteSpec&& job_returns() && {
    job_result = [](nlohmann::json& components) { return spec::schema_of<Res>(spec::Role::kResult, &components); };
    return std::move(*this);
  }
  RouteSpec&& on_hash_pool() && {
    hashes_passwords = true;
    return std::move(*this);
  }
  // Reads only: with a read replica (ServerConfig::read_replica) its store is leased from the
  // replica. Default: GET routes, unless on_primary() says the route needs the primary (its use
  // case writes a cache or a last-access time; /readyz checks the primary).
  std::optional<bool> reads_only;
  RouteSpec&& on_primary() && {
    reads_only = false;
    return std::move(*this);
  }
  RouteSpec&& returns_media(std::string media_type, int status = 200, bool binary = false) && {
    media_results.push_back({status, std::move(media_type), binary});
    return std::move(*this);
  }
};

// Opens Store connections on demand and keeps idle ones for reuse (one per concurrent user).
class StorePool {
 public:
  // The stores' timestamps come from `clock`, which must outlive the pool.
  StorePool(std::string path, const Clock& clock) : path_(std::move(path)), clock_(clock) {}
  ~StorePool();
  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<Store> store) : pool_(pool), store_(std::move(store)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Store& operator*() { return *store_; }
    Store* operator->() { return store_.get(); }
    Store* get() { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
  };
  Lease acquire();
  const std::string& path() const { return path_; }

  // The store's connections as /metrics reports them (keel_store_pool_connections{state},
  // keel_store_pool_waiting). PostgreSQL: the process's connection pool of the URL (a Store
  // leased here holds a connection only while a statement or transaction runs; a checkout
  // waits when all pool_size are in use). SQLite: the connections this pool holds, leased or
  // idle; it opens one for each concurrent user and never makes one wait.
  struct Stats {
    std::size_t in_use = 0;
    std::size_t idle = 0;
    std::size_t waiting = 0;
  };
  Stats stats();

 private:
  std::string path_;
  const Clock& clock_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Store>> idle_;  // guarded by mutex_
  std::size_t leased_ = 0;                    // guarded by mutex_
};

// Threads for event streams that a route produces itself (EventStreamSpec::produce: the
// assistant's answers). A route reserves a slot before it answers (none free: 503), so at most
// `slots` run at once; the stream's thread holds the slot until it returns. stop() tells the
// producers to end (stopping() turns true; they poll it) and joins their threads.
class StreamRunner {
 public:
  explicit StreamRunner(std::size_t slots) : slots_(slots) {}
  ~StreamRunner() { stop(); }
  // A slot, released when the last copy goes; nullptr when every slot is taken or the server stops.
  std::shared_ptr<void> reserve();
  // Runs `fn` on a new thread; false (fn not run) when stopping.
  bool run(std::function<void()> fn);
  void stop();
  bool stopping() const { return stopping_.load(); }
  std::size_t active() const;

 private:
  void reap();  // joins finished threads (mutex_ held)
  std::size_t slots_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::size_t reserved_ = 0;  // guarded by mutex_
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Worker> workers_;  // guarded by mutex_
};

// What the server knows of a request beyond its bytes: set by App::admit and App::authenticate,
// read by the handler (through Call), the log line and the metrics.
struct RequestContext {
  std::string request_id;
  std::chrono::steady_clock::time_point start;
  const RouteSpec* route = nullptr;
  std::optional<Principal> principal;
  std::string client;  // the client address (X-Forwarded-For of a trusted proxy)
  bool compute = false;  // the route runs on the compute pool
  // Hash pool routes: when the request's password work must have started (else 503).
  std::optional<std::chrono::steady_clock::time_point> hash_deadline;
};

// What the HTTP engine does after App::admit.
enum class Admit {
  kRespond,       // the response is complete (a refusal, OPTIONS, /healthz)
  kAuthenticate,  // App::authenticate (request pool, or the I/O thread for a short read), then the body
  kReadBody,      // read the body, then App::handle
  kStatic,        // App::serve_static on the request pool
};

class Call {
 public:
  Call(App& app, const RouteSpec& route, const HttpRequest& req, HttpResponse& res, RequestContext& ctx);

  App& app;
  const RouteSpec& route;
  const HttpRequest& req;
  HttpResponse& res;

  const Principal& principal() const;
  const std::string& tenant() const { return principal().tenant; }
  const std::string& request_id() const { return ctx_.request_id; }
  const std::string& client() const { return ctx_.client; }
  // The deadline of this request's password hashing: set by the hash pool, else now + the budget's wait.
  std::chrono::steady_clock::time_point hash_deadline() const;
  std::string param(const std::string& name) const;
  std::int64_t int_param(const std::string& name) const;  // invalid_input when not an integer
  // The query string read into a described struct Q (spec::read_query): typed, ranges checked,
  // unknown parameters refused; Error::invalid_input("invalid <what>") naming each parameter.
  template <class Q>
  Q query_as(std::string_view what) const {
    Q q;
    spec::read_query(req.query, q, what);
    return q;
  }
  std::optional<std::string> query(const std::string& name) const;
  // The body parsed as JSON (an object unless `allow_array`); invalid_input with the parse
  // position when it is not.
  nlohmann::json json_body(bool allow_array = false) const;
  bool body_is_json() const;
  Store& store();  // leased on first use, returned at the end of the request
  // Whether the store of this request is the read replica (leased from it); use_primary() before
  // the first store() makes it the primary whatever the route.
  bool on_replica() const { return on_replica_; }
  void use_primary() { primary_only_ = true; }
  // What a use case gets from the server: the signed-in user as its actor (with the client
  // address and request id it audits), the store, the server's clock, no file access, and the key
  // vault.
  service::Context service();

  void send(int status, const nlohmann::json& body);
  // Appends an audit entry (the principal, the client address, the request id).
  void audit(const std::string& action, const std::string& resource, const nlohmann::json& details,
             const std::string& outcome = "ok");

 private:
  RequestContext& ctx_;
  std::optional<StorePool::Lease> lease_;
  bool primary_only_ = false;
  bool on_replica_ = false;
};

class App {
 public:
  explicit App(ServerConfig config);
  ~App();

  ServerConfig config;
  const Clock& clock;  // config.clock, else the system clock
  Metrics metrics;
  PasswordHasher hasher;
  TokenService tokens;
  std::unique_ptr<AuthCache> auth_cache;  // users and revoked tokens (the revocation journal)
  std::unique_ptr<net::OidcClient> oidc;  // the identity provider's client (config.single_sign_on); null without
  TokenBucket user_limit;
  TokenBucket anonymous_limit;
  LoginThrottle login_throttle;          // per (client address, user name)
  LoginThrottle login_address_throttle;  // per client address: the ceiling across user names
  StorePool stores;
  // The read replica's connections (ServerConfig::read_replica); null without one.
  std::unique_ptr<StorePool> replica_stores;
  std::atomic<std::uint64_t> replica_fallbacks{0};  // requests run again on the primary
  // Which requests read from the replica (read-your-writes over its lag).
  ReplicaRouting replica_routing;
  // The tenants' API keys (keel/service/key_vault.h), on stores leased from `stores`.
  std::unique_ptr<service::KeyVault> vault;
  IntakeLimits limits;
  std::vector<std::unique_ptr<RouteSpec>> routes;
  std::unique_ptr<JobRunner> jobs;
  // What use cases queue background work through (service::Context::jobs; job_kinds.h).
  std::unique_ptr<service::JobQueue> job_queue;
  // PostgreSQL: job changes of every process (LISTEN keel_jobs), which wake the job threads and the
  // event hub; null on SQLite (both poll).
  std::unique_ptr<store::JobNotifications> notifications;
  // Whether job changes of other processes are heard now (PostgreSQL, its listening connection up).
  bool hears_job_changes() const;
  std::unique_ptr<EventHub> events;
  // The hub as the use cases' change feed (Context::changes): portfolio.changed events.
  service::ChangeFeed* changes = nullptr;
  std::unique_ptr<StreamRunner> streams;  // assistant conversations (--assistant-streams)
  std::unique_ptr<StaticFiles> web;           // --web-root; null: no static files
  std::unique_ptr<HttpServer> http;
  // The market-data and LLM providers' reachability for /readyz (provider_probe.h).
  std::unique_ptr<ProviderProbe> provider_probe;
  std::unique_ptr<DailyScheduler> scheduler;  // --batch-daily; started by Server::run
  std::unique_ptr<PeriodicTask> alm_cleaner;  // ALM session expiry and disk budget; started by Server::run
  // Deletes expired rows of the token revocation journal (auth_cache.prune_interval); started by Server::run.
  std::unique_ptr<PeriodicTask> revocation_pruner;
  // Enqueues the journal's events for the tenants' webhooks and posts the due deliveries; started
  // by Server::run. webhook_state: where it is in the journal (its thread only).
  std::unique_ptr<PeriodicTask> webhook_sender;
  // Holds the store to its retention and per-user budgets (service::sweep_storage) every ten
  // minutes; started by Server::run.
  std::unique_ptr<PeriodicTask> storage_sweeper;
  service::WebhookSenderState webhook_state;
  std::atomic<bool> ready{false};
  std::atomic<bool> stopping{false};
  std::chrono::system_clock::time_point started_at;
  std::string dummy_hash;  // verified when a login names no user, at the same cost as a real one

  void add_route(RouteSpec spec);
  // A route whose handler runs an engine although its permission is not `compute` (a replayed
  // ledger, a report): it runs on the compute pool.
  void add_compute_route(RouteSpec spec) {
    spec.compute = true;
    add_route(std::move(spec));
  }
  // The route for a method and path as sent (percent-encoded; HEAD as GET), with its decoded
  // {params} in `matches`.
  const RouteSpec* match(const std::string& method, const std::string& path, std::vector<std::string>* matches) const;

  // The request pipeline (see the file comment). None of these throws.
  Admit admit(HttpRequest& head, RequestContext& ctx, HttpResponse& res);
  bool authenticate(const HttpRequest& head, RequestContext& ctx, HttpResponse& res);
  void handle(HttpRequest& req, RequestContext& ctx, HttpResponse& res);
  // The route's handler on a Call (handle's inside): with a read replica, run again on the primary
  // when it fails on the replica with anything but an answer.
  void run_handler(HttpRequest& req, RequestContext& ctx, HttpResponse& res);
  void serve_static(const HttpRequest& req, RequestContext& ctx, HttpResponse& res);
  void finish(const HttpRequest& req, const RequestContext& ctx, int status);
  // A response for a request refused before admission (malformed, over a limit): request id,
  // security headers and the JSON error.
  void refuse(RequestContext& ctx, HttpResponse& res, int status, const std::string& message,
              const std::vector<std::string>& details = {});

  void log_line(const nlohmann::json& line);
  // The Env of the use cases the server runs: its clock, no file access.
  Env env() const { return Env{clock, no_files()}; }
  // The Context of a use case the server runs on `store` (a request's, a job's): outbound requests
  // guarded (keel/net/outbound.h: no private, loopback or link-local destination unless allowed).
  service::Context service_context(Store& store) const {
    service::Context cx{&store, env(), vault.get(), {.enforce = true}};
    cx.jobs = job_queue.get();
    cx.changes = changes;
    cx.limits = &config.limits;  // what one computation may cost (keel/service/admission.h)
    return cx;
  }
  // The retention settings the storage sweep and the storage figures use (keel/service/storage.h).
  service::StorageSettings storage_settings() const {
    return {config.job_retention_days, config.assistant_retention_days, config.alm_disk_budget_mb,
            config.alm_user_budget_mb, config.snapshot_report_retention_days};
  }
  double now_seconds() const;   // wall clock, epoch seconds (fractional)
  std::int64_t now_epoch() const;
  void audit(Store& store, const std::string& username, const std::string& tenant, const std::string& action,
             const std::string& resource, const nlohmann::json& details, const std::string& outcome,
             const std::string& client, const std::string& request_id);
  template <class F>
  auto timed_store(const char* op, F&& fn) {
    const auto t0 = std::chrono::steady_clock::now();
    struct Done {
      Metrics& m;
      const char* op;
      std::chrono::steady_clock::time_point t0;
      ~Done() { m.observe_store(op, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()); }
    } done{metrics, op, t0};
    return fn();
  }

 private:
  std::mutex log_mutex_;
};

// JSON error body {"error":{"code","message","details","request_id"}} with its HTTP status.
// Cannot throw on any message text (ill-formed UTF-8 is replaced).
void write_error(HttpResponse& res, const Error& error, const std::string& request_id);
// Headers of every API answer: the request id, no sniffing or framing, no referrer, no cache, a
// closed content policy and, when configured, HSTS (admission.cpp).
void api_headers(HttpResponse& res, const std::string& request_id, bool hsts);
// A new request id (16 hex digits) for a request that came without a valid X-Request-Id.
std::string new_request_id();

// Route groups (one file each).
void add_ops_routes(App& app);
void add_auth_routes(App& app);
void add_user_routes(App& app);
void add_portfolio_routes(App& app);
void add_fx_routes(App& app);
void add_macro_routes(App& app);
void add_risk_routes(App& app);
void add_construct_routes(App& app);
void add_engine_routes(App& app);
void add_job_routes(App& app);
void add_audit_routes(App& app);
void add_ledger_routes(App& app);
void add_tag_routes(App& app);
void add_alm_routes(App& app);
void add_clo_routes(App& app);
void add_report_routes(App& app);
void add_whatif_routes(App& app);
void add_key_routes(App& app);
void add_webhook_routes(App& app);
void add_storage_routes(App& app);
void add_assistant_routes(App& app);
nlohmann::json openapi_document(const App& app);

// Pagination: `limit` (1..500, default 50) and an opaque `cursor`.
struct Page {
  std::size_t limit = 50;
  std::optional<std::string> cursor;  // decoded cursor text
};
// The page of typed ?limit= and ?cursor= values (PageQuery in resources.h): the cursor decoded, or
// invalid_input naming `cursor` when it is not one this server returned.
Page decode_page(std::size_t limit, const std::optional<std::string>& cursor);
std::string encode_cursor(const std::string& text);
// The number after "<prefix>" in a decoded cursor ("j:42" -> 42); invalid_input naming `cursor`
// when the cursor is of another list or its number is not a non-negative integer.
std::int64_t cursor_number(const Page& page, std::string_view prefix);

}  // namespace keel::server
