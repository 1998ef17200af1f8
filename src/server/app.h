// src/server/app.h (private): the pieces every route file shares — the route table, the
// per-request Call, the store pool and the App that owns them.
//
// A RouteSpec is the single source of truth for a route: httplib is given one handler per spec
// (its path template turned into a regex), the pre-routing handler finds the spec to authenticate
// and authorise the request, and the OpenAPI document is generated from the same list.
//
// Thread-safety: App is shared by the HTTP and job threads; its members lock internally or are
// immutable after start. A Call belongs to one request (one thread).
#pragma once

#include <httplib.h>
// glibc's <resolv.h> (pulled in by httplib.h) defines `_res` as a macro, which breaks Eigen's
// parameters of that name in headers included later.
#ifdef _res
#undef _res
#endif

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "keel/core/error.h"
#include "keel/server/auth.h"
#include "keel/server/metrics.h"
#include "keel/server/permissions.h"
#include "keel/server/rate_limit.h"
#include "keel/server/scheduler.h"
#include "keel/server/server.h"
#include "keel/store/store.h"
#include "keel/store/user_repository.h"

namespace keel::server {

class App;
class Call;
class JobRunner;

struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string tenant;
  store::Role role = store::Role::kViewer;
};

struct RouteSpec {
  RouteSpec(std::string m, std::string p, std::string s, std::string t, std::optional<Permission> perm,
            std::function<void(Call&)> h, std::string body = "")
      : method(std::move(m)), path(std::move(p)), summary(std::move(s)), tag(std::move(t)), permission(perm),
        handler(std::move(h)), request_body(std::move(body)) {}
  std::string method;  // GET POST DELETE
  std::string path;    // template: /api/v1/portfolios/{id}
  std::string summary;
  std::string tag;
  std::optional<Permission> permission;  // nullopt: anonymous route (per-IP rate limit)
  std::function<void(Call&)> handler;
  std::string request_body;  // "json", "csv", "json|csv" or "" (OpenAPI)
  std::vector<std::string> params;  // names of {params}, in order
  std::regex regex;
  bool paginated = false;  // a list taking ?limit= and ?cursor= (OpenAPI)
};

// Opens Store connections on demand and keeps idle ones for reuse (one per concurrent user).
class StorePool {
 public:
  explicit StorePool(std::string path) : path_(std::move(path)) {}
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

 private:
  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Store>> idle_;  // guarded by mutex_
};

// Admits at most `permits` engine computations at once, in arrival order (FIFO tickets), so a
// burst of CPU-bound requests queues fairly instead of all running slowly and all holding memory.
class ComputeGate {
 public:
  explicit ComputeGate(std::size_t permits) : permits_(permits == 0 ? 1 : permits) {}
  class Permit {
   public:
    explicit Permit(ComputeGate* g) : gate_(g) {}
    Permit(Permit&& o) noexcept : gate_(std::exchange(o.gate_, nullptr)) {}
    Permit& operator=(Permit&&) = delete;
    ~Permit() {
      if (gate_) gate_->release();
    }

   private:
    ComputeGate* gate_;
  };
  Permit enter();
  std::size_t waiting() const;

 private:
  void release();
  std::size_t permits_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::uint64_t next_ticket_ = 0;  // guarded by mutex_
  std::uint64_t released_ = 0;     // guarded by mutex_
};

// State of the request being served on this thread, set by the pre-routing handler and read by
// the route handler and the logger (httplib runs all three on the same thread, in that order).
struct RequestState {
  bool active = false;
  std::string request_id;
  std::chrono::steady_clock::time_point start;
  const RouteSpec* route = nullptr;
  std::optional<Principal> principal;
  std::string client;
};
RequestState& request_state();

class Call {
 public:
  Call(App& app, const RouteSpec& route, const httplib::Request& req, httplib::Response& res);

  App& app;
  const RouteSpec& route;
  const httplib::Request& req;
  httplib::Response& res;

  const Principal& principal() const;
  const std::string& tenant() const { return principal().tenant; }
  const std::string& request_id() const;
  std::string param(const std::string& name) const;
  std::int64_t int_param(const std::string& name) const;  // invalid_input when not an integer
  std::optional<std::string> query(const std::string& name) const;
  // The body parsed as JSON (an object unless `allow_array`); invalid_input with the parse
  // position when it is not.
  nlohmann::json json_body(bool allow_array = false) const;
  bool body_is_json() const;
  Store& store();  // leased on first use, returned at the end of the request

  void send(int status, const nlohmann::json& body);
  // Appends an audit entry (the principal, the client address, the request id).
  void audit(const std::string& action, const std::string& resource, const nlohmann::json& details,
             const std::string& outcome = "ok");

 private:
  std::optional<StorePool::Lease> lease_;
};

class App {
 public:
  explicit App(ServerConfig config);
  ~App();

  ServerConfig config;
  Metrics metrics;
  PasswordHasher hasher;
  TokenService tokens;
  TokenBucket user_limit;
  TokenBucket anonymous_limit;
  LoginThrottle login_throttle;
  StorePool stores;
  ComputeGate compute_gate;
  std::vector<std::unique_ptr<RouteSpec>> routes;
  httplib::Server http;
  std::unique_ptr<JobRunner> jobs;
  std::unique_ptr<DailyScheduler> scheduler;  // --batch-daily; started by Server::run
  std::atomic<bool> ready{false};
  // The listening socket, recorded when httplib creates it (see App::install), so that its
  // backlog can be raised once bound.
  std::atomic<int> listen_socket{-1};
  std::atomic<bool> stopping{false};
  std::atomic<int> open_streams{0};  // server-sent event responses in progress
  std::chrono::system_clock::time_point started_at;
  std::string dummy_hash;  // verified when a login names no user, at the same cost as a real one

  void add_route(RouteSpec spec);
  const RouteSpec* match(const std::string& method, const std::string& path) const;
  void install();  // handlers and middleware into `http`
  void log_line(const nlohmann::json& line);
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
void write_error(httplib::Response& res, const Error& error, const std::string& request_id);

// Route groups (one file each).
void add_ops_routes(App& app);
void add_auth_routes(App& app);
void add_user_routes(App& app);
void add_portfolio_routes(App& app);
void add_risk_routes(App& app);
void add_engine_routes(App& app);
void add_job_routes(App& app);
void add_audit_routes(App& app);
void add_ledger_routes(App& app);
void add_tag_routes(App& app);
void add_alm_routes(App& app);
void add_clo_routes(App& app);
void add_report_routes(App& app);
void add_whatif_routes(App& app);
nlohmann::json openapi_document(const App& app);

// Pagination: `limit` (1..500, default 50) and an opaque `cursor`.
struct Page {
  std::size_t limit = 50;
  std::optional<std::string> cursor;  // decoded cursor text
};
Page read_page(const Call& call);
std::string encode_cursor(const std::string& text);

}  // namespace keel::server
