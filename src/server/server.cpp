// The HTTP core of `keel serve`: middleware (request ids, security headers, CORS, authentication,
// rate limits, permissions), the single exception handler, JSON errors, logs and metrics.
#include "keel/server/server.h"

#include <sodium.h>

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <ctime>
#include <iostream>

#include <sys/socket.h>

#include "app.h"
#include "job_kinds.h"
#include "keel/server/jobs.h"
#include "keel/store/audit_repository.h"
#include "keel/store/database.h"

namespace keel::server {
namespace {

std::string new_request_id() {
  unsigned char buf[8];
  randombytes_buf(buf, sizeof buf);
  char hex[17];
  sodium_bin2hex(hex, sizeof hex, buf, sizeof buf);
  return hex;
}

bool valid_request_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

std::regex route_regex(const std::string& path, std::vector<std::string>& params) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '{') {
      const auto end = path.find('}', i);
      params.push_back(path.substr(i + 1, end - i - 1));
      out += "([^/]+)";
      i = end;
    } else if (std::string_view(".+*?^$()[]|\\").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return std::regex(out);
}

std::string regex_text(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '{') {
      i = path.find('}', i);
      out += "([^/]+)";
    } else if (std::string_view(".+*?^$()[]|\\").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

RequestState& request_state() {
  thread_local RequestState state;
  return state;
}

// ---------------------------------------------------------------- StorePool

StorePool::Lease::~Lease() {
  if (!store_ || !pool_) return;
  std::lock_guard lock(pool_->mutex_);
  pool_->idle_.push_back(std::move(store_));
}

StorePool::Lease StorePool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(s));
    }
  }
  auto store = open_store(path_);
  // Pooled connections share the OS page cache; a small private cache each keeps the resident
  // size of the server bounded by (connections x 8 MiB) instead of (connections x database size).
  store->database().exec("PRAGMA cache_size = -8192");
  return Lease(this, std::move(store));
}

ComputeGate::Permit ComputeGate::enter() {
  std::unique_lock lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  cv_.wait(lock, [&] { return ticket < released_ + permits_; });
  return Permit(this);
}

void ComputeGate::release() {
  {
    std::lock_guard lock(mutex_);
    ++released_;
  }
  cv_.notify_all();
}

std::size_t ComputeGate::waiting() const {
  std::lock_guard lock(mutex_);
  const std::uint64_t admitted = released_ + permits_;
  return next_ticket_ > admitted ? static_cast<std::size_t>(next_ticket_ - admitted) : 0;
}

// ---------------------------------------------------------------- errors

void write_error(httplib::Response& res, const Error& error, const std::string& request_id) {
  res.status = http_status(error.code());
  nlohmann::json body = {{"error",
                          {{"code", error_code_name(error.code())},
                           {"message", error.what()},
                           {"details", error.details()},
                           {"request_id", request_id}}}};
  res.set_content(body.dump(), "application/json");
}

// ---------------------------------------------------------------- Call

Call::Call(App& a, const RouteSpec& r, const httplib::Request& rq, httplib::Response& rs)
    : app(a), route(r), req(rq), res(rs) {}

const Principal& Call::principal() const {
  const auto& st = request_state();
  if (!st.principal) throw Error(ErrorCode::kUnauthorized, "authentication required");
  return *st.principal;
}

const std::string& Call::request_id() const { return request_state().request_id; }

std::string Call::param(const std::string& name) const {
  for (std::size_t i = 0; i < route.params.size(); ++i) {
    if (route.params[i] == name && i + 1 < req.matches.size()) return req.matches[i + 1].str();
  }
  throw Error::internal("route " + route.path + " has no parameter " + name);
}

std::int64_t Call::int_param(const std::string& name) const {
  const std::string text = param(name);
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    throw Error::not_found("no " + name + " '" + text + "'");
  }
  return v;
}

std::optional<std::string> Call::query(const std::string& name) const {
  if (!req.has_param(name.c_str())) return std::nullopt;
  return req.get_param_value(name.c_str());
}

bool Call::body_is_json() const {
  const std::string type = req.get_header_value("Content-Type");
  if (type.find("json") != std::string::npos) return true;
  if (type.empty()) {
    for (char c : req.body) {
      if (std::isspace(static_cast<unsigned char>(c))) continue;
      return c == '{' || c == '[';
    }
  }
  return false;
}

nlohmann::json Call::json_body(bool allow_array) const {
  if (req.body.empty()) return nlohmann::json::object();
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(req.body);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error::invalid_input("the request body is not valid JSON",
                               {fmt::format("body: byte {}: {}", e.byte, e.what())});
  }
  if (!body.is_object() && !(allow_array && body.is_array())) {
    throw Error::invalid_input(allow_array ? "the request body must be a JSON object or array"
                                           : "the request body must be a JSON object",
                               {"body: expected an object"});
  }
  return body;
}

Store& Call::store() {
  if (!lease_) lease_.emplace(app.stores.acquire());
  return **lease_;
}

void Call::send(int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void Call::audit(const std::string& action, const std::string& resource, const nlohmann::json& details,
                 const std::string& outcome) {
  const auto& st = request_state();
  const std::string user = st.principal ? st.principal->username : "";
  const std::string tenant = st.principal ? st.principal->tenant : "";
  app.audit(store(), user, tenant, action, resource, details, outcome, st.client, st.request_id);
}

// ---------------------------------------------------------------- App

App::App(ServerConfig c)
    : config(std::move(c)),
      hasher(config.password_cost),
      tokens(config.tokens),
      user_limit(config.rate_limit_per_minute),
      anonymous_limit(config.anonymous_rate_limit_per_minute),
      login_throttle(config.login_throttle),
      stores(config.db_path),
      compute_gate(config.compute_slots ? config.compute_slots
                                        : std::max<std::size_t>(2, std::thread::hardware_concurrency())),
      started_at(std::chrono::system_clock::now()) {
  if (config.db_path.empty() || config.db_path == ":memory:") {
    throw Error::usage("keel serve needs a database file (--db), not an in-memory store");
  }
  { auto first = stores.acquire(); }  // creates and migrates the file before anything else
  dummy_hash = hasher.hash("no user has this password");
  JobRunnerOptions jo;
  jo.db_path = config.db_path;
  jo.workers = config.job_workers;
  jo.retry_base_seconds = config.job_retry_base_seconds;
  jo.poll_seconds = config.job_poll_seconds;
  jobs = std::make_unique<JobRunner>(jo);
  register_job_kinds(*this);
  const std::size_t requeued = jobs->recover();
  if (requeued) log_line({{"event", "jobs_requeued"}, {"count", requeued}});

  add_ops_routes(*this);
  add_auth_routes(*this);
  add_user_routes(*this);
  add_portfolio_routes(*this);
  add_risk_routes(*this);
  add_engine_routes(*this);
  add_job_routes(*this);
  add_audit_routes(*this);
  add_ledger_routes(*this);
  add_tag_routes(*this);
  add_alm_routes(*this);
  add_clo_routes(*this);
  add_report_routes(*this);
  add_whatif_routes(*this);
  install();
}

App::~App() = default;

double App::now_seconds() const {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::int64_t App::now_epoch() const { return static_cast<std::int64_t>(now_seconds()); }

void App::add_route(RouteSpec spec) {
  spec.params.clear();
  spec.regex = route_regex(spec.path, spec.params);
  routes.push_back(std::make_unique<RouteSpec>(std::move(spec)));
}

const RouteSpec* App::match(const std::string& method, const std::string& path) const {
  const std::string m = method == "HEAD" ? "GET" : method;
  for (const auto& r : routes) {
    if (r->method == m && std::regex_match(path, r->regex)) return r.get();
  }
  return nullptr;
}

void App::log_line(const nlohmann::json& line) {
  if (!config.log) return;
  nlohmann::json out = line;
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  out["ts"] = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
  if (!out.contains("level")) out["level"] = "info";
  const std::string text = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(log_mutex_);
  *config.log << text << '\n';
  config.log->flush();
}

void App::audit(Store& store, const std::string& username, const std::string& tenant, const std::string& action,
                const std::string& resource, const nlohmann::json& details, const std::string& outcome,
                const std::string& client, const std::string& request_id) {
  store::AuditEntry e;
  e.username = username;
  e.tenant = tenant;
  e.action = action;
  e.resource = resource;
  e.outcome = outcome;
  e.client = client;
  e.request_id = request_id;
  e.details = details.is_null() ? "{}" : details.dump();
  timed_store("audit_append", [&] { return store::AuditRepository(store.database()).append(e); });
}

void App::install() {
  const std::size_t threads = std::max<std::size_t>(config.threads, 2);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_read_timeout(config.read_timeout_seconds, 0);
  http.set_write_timeout(config.write_timeout_seconds, 0);
  http.set_keep_alive_timeout(config.keep_alive_seconds);
  http.set_keep_alive_max_count(1000);
  http.set_payload_max_length(config.max_body_bytes);
  http.set_tcp_nodelay(true);
  // Debian's cpp-httplib is compiled with a listen backlog of 5: under a burst of new connections
  // (many clients at once, or keep-alive connections recycled after 1000 requests) the SYNs
  // beyond it wait for the client's retransmission, a second or more. Keep httplib's socket
  // options, remember the socket, and raise its backlog once bound (Server::bind).
  http.set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_socket = static_cast<int>(sock);
  });

  for (const auto& spec : routes) {
    const RouteSpec* r = spec.get();
    auto handler = [this, r](const httplib::Request& req, httplib::Response& res) {
      Call call(*this, *r, req, res);
      r->handler(call);
    };
    const std::string pattern = regex_text(r->path);
    if (r->method == "GET") http.Get(pattern, handler);
    else if (r->method == "POST") http.Post(pattern, handler);
    else if (r->method == "DELETE") http.Delete(pattern, handler);
    else if (r->method == "PUT") http.Put(pattern, handler);
    else if (r->method == "PATCH") http.Patch(pattern, handler);
  }

  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    using HR = httplib::Server::HandlerResponse;
    auto& st = request_state();
    st = RequestState{};
    st.active = true;
    st.start = std::chrono::steady_clock::now();
    const std::string given = req.get_header_value("X-Request-Id");
    st.request_id = valid_request_id(given) ? given : new_request_id();
    st.client = req.remote_addr;
    res.set_header("X-Request-Id", st.request_id);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    res.set_header("Cache-Control", "no-store");
    if (config.hsts) res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");

    const std::string origin = req.get_header_value("Origin");
    bool cors_ok = false;
    if (!origin.empty()) {
      for (const auto& o : config.cors_origins) {
        if (o == "*" || o == origin) cors_ok = true;
      }
      if (cors_ok) {
        res.set_header("Access-Control-Allow-Origin", origin);
        res.set_header("Vary", "Origin");
        res.set_header("Access-Control-Expose-Headers", "X-Request-Id, Retry-After");
      }
    }
    if (req.method == "OPTIONS") {
      if (cors_ok) {
        res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id");
        res.set_header("Access-Control-Max-Age", "600");
        res.status = 204;
      } else {
        write_error(res, Error(ErrorCode::kForbidden, "origin not allowed"), st.request_id);
      }
      return HR::Handled;
    }

    st.route = match(req.method, req.path);
    if (st.route == nullptr) return HR::Unhandled;  // httplib answers 404 (JSON via the error handler)
    const double now = now_seconds();
    if (!st.route->permission) {
      const RateDecision d = anonymous_limit.take("ip:" + st.client, now);
      if (!d.allowed) {
        res.set_header("Retry-After", std::to_string(d.retry_after_seconds));
        write_error(res, Error(ErrorCode::kRateLimited, "too many requests from this address"), st.request_id);
        return HR::Handled;
      }
      return HR::Unhandled;
    }

    const std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) != 0) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"keel\"");
      write_error(res, Error(ErrorCode::kUnauthorized, "missing bearer token"), st.request_id);
      return HR::Handled;
    }
    const auto claims = tokens.verify(auth.substr(7), static_cast<std::int64_t>(now));
    std::optional<store::UserRecord> user;
    if (claims) {
      auto lease = stores.acquire();
      user = timed_store("user_lookup", [&] { return store::UserRepository(lease->database()).find_id(claims->user_id); });
    }
    if (!claims || !user || user->disabled || user->token_version != claims->token_version ||
        user->username != claims->username) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"keel\", error=\"invalid_token\"");
      write_error(res, Error(ErrorCode::kUnauthorized, "invalid or expired token"), st.request_id);
      return HR::Handled;
    }
    st.principal = Principal{user->id, user->username, user->tenant, user->role};
    const RateDecision d = user_limit.take("user:" + user->username, now);
    if (!d.allowed) {
      res.set_header("Retry-After", std::to_string(d.retry_after_seconds));
      write_error(res, Error(ErrorCode::kRateLimited, "rate limit exceeded"), st.request_id);
      return HR::Handled;
    }
    if (!role_allows(user->role, *st.route->permission)) {
      write_error(res,
                  Error(ErrorCode::kForbidden, fmt::format("role {} may not {}", store::role_name(user->role),
                                                           permission_name(*st.route->permission))),
                  st.request_id);
      return HR::Handled;
    }
    return HR::Unhandled;
  });

  http.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    const std::string& rid = request_state().request_id;
    try {
      std::rethrow_exception(ep);
    } catch (const Error& e) {
      write_error(res, e, rid);
      if (e.code() == ErrorCode::kInternal) {
        log_line({{"level", "error"}, {"request_id", rid}, {"path", req.path}, {"error", e.what()}});
      }
    } catch (const std::exception& e) {
      log_line({{"level", "error"}, {"request_id", rid}, {"path", req.path}, {"error", e.what()}});
      write_error(res, Error::internal("internal error (request " + rid + ")"), rid);
    } catch (...) {
      log_line({{"level", "error"}, {"request_id", rid}, {"path", req.path}, {"error", "unknown exception"}});
      write_error(res, Error::internal("internal error (request " + rid + ")"), rid);
    }
  });

  http.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
    using HR = httplib::Server::HandlerResponse;
    if (!res.body.empty()) return HR::Unhandled;
    auto& st = request_state();
    if (!st.active) {
      st = RequestState{};
      st.active = true;
      st.start = std::chrono::steady_clock::now();
      st.request_id = new_request_id();
      st.client = req.remote_addr;
    }
    const int status = res.status;
    if (status == 404) {
      write_error(res, Error::not_found("no route " + req.method + " " + req.path), st.request_id);
    } else if (status == 413) {
      write_error(res,
                  Error(ErrorCode::kPayloadTooLarge,
                        fmt::format("request body over the limit of {} bytes", config.max_body_bytes)),
                  st.request_id);
    } else {
      write_error(res, Error::invalid_input(fmt::format("bad request (HTTP {})", status)), st.request_id);
      res.status = status;
    }
    return HR::Handled;
  }));

  http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    auto& st = request_state();
    const double secs = st.active ? std::chrono::duration<double>(std::chrono::steady_clock::now() - st.start).count()
                                  : 0.0;
    const std::string route = st.route ? st.route->path : "unmatched";
    metrics.observe_request(route, req.method, res.status, secs);
    if (config.log) {
      nlohmann::json line = {{"event", "request"},     {"request_id", st.request_id}, {"method", req.method},
                             {"path", req.path},       {"route", route},              {"status", res.status},
                             {"duration_ms", secs * 1000.0}, {"client", st.client}};
      if (st.principal) {
        line["user"] = st.principal->username;
        line["tenant"] = st.principal->tenant;
      }
      log_line(line);
    }
    st = RequestState{};
  });
}

// ---------------------------------------------------------------- pagination

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}

std::string encode_cursor(const std::string& text) {
  std::string out;
  unsigned val = 0;
  int bits = -6;
  for (unsigned char c : text) {
    val = (val << 8) + c;
    bits += 8;
    while (bits >= 0) {
      out += kB64[(val >> bits) & 0x3F];
      bits -= 6;
    }
  }
  if (bits > -6) out += kB64[((val << 8) >> (bits + 8)) & 0x3F];
  return out;
}

static std::optional<std::string> decode_cursor(const std::string& text) {
  std::string out;
  unsigned val = 0;
  int bits = -8;
  for (char c : text) {
    const char* p = std::strchr(kB64, c);
    if (!p || c == '\0') return std::nullopt;
    val = (val << 6) + static_cast<unsigned>(p - kB64);
    bits += 6;
    if (bits >= 0) {
      out += static_cast<char>((val >> bits) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

Page read_page(const Call& call) {
  Page page;
  std::vector<std::string> problems;
  if (auto l = call.query("limit")) {
    std::size_t v = 0;
    const auto [ptr, ec] = std::from_chars(l->data(), l->data() + l->size(), v);
    if (ec != std::errc() || ptr != l->data() + l->size() || v < 1 || v > 500) {
      problems.push_back("limit: expected an integer from 1 to 500");
    } else {
      page.limit = v;
    }
  }
  if (auto c = call.query("cursor")) {
    page.cursor = decode_cursor(*c);
    if (!page.cursor) problems.push_back("cursor: not a cursor returned by this list");
  }
  if (!problems.empty()) throw Error::invalid_input("bad pagination parameters", problems);
  return page;
}

// ---------------------------------------------------------------- Server

Server::Server(ServerConfig config) : app_(std::make_unique<App>(std::move(config))) {}

Server::~Server() { stop(); }

int Server::bind() {
  if (bound_) return port_;
  const auto& c = app_->config;
  if (c.port == 0) {
    port_ = app_->http.bind_to_any_port(c.host);
    if (port_ <= 0) throw Error::internal("cannot bind " + c.host);
  } else {
    if (!app_->http.bind_to_port(c.host, c.port)) {
      throw Error::internal(fmt::format("cannot bind {}:{} (in use?)", c.host, c.port));
    }
    port_ = c.port;
  }
  // listen() again on a listening socket only changes its backlog (Linux, BSD).
  if (const int fd = app_->listen_socket.load(); fd >= 0) ::listen(fd, SOMAXCONN);
  bound_ = true;
  return port_;
}

void Server::run() {
  bind();
  app_->jobs->start();
  if (app_->scheduler) app_->scheduler->start();
  app_->ready = true;
  app_->log_line({{"event", "listening"}, {"host", app_->config.host}, {"port", port_}});
  app_->http.listen_after_bind();
  app_->ready = false;
}

int Server::start() {
  bind();
  thread_ = std::make_unique<std::thread>([this] { run(); });
  for (int i = 0; i < 5000 && !app_->http.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!app_->http.is_running()) throw Error::internal("the HTTP server did not start");
  return port_;
}

void Server::stop() {
  if (!app_) return;
  if (app_->stopping.exchange(true)) return;
  app_->ready = false;
  if (app_->scheduler) app_->scheduler->stop();
  app_->jobs->stop();  // running jobs stop at their next step and go back to the queue
  // Event streams see `stopping`, send "event: shutdown" and end; httplib would cut them otherwise.
  for (int i = 0; i < 3000 && app_->open_streams.load() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  app_->http.stop();   // no new connections; the pool finishes in-flight requests, then joins
  if (thread_ && thread_->joinable()) thread_->join();
  app_->log_line({{"event", "stopped"}});
}

}  // namespace keel::server
