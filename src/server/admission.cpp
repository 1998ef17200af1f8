// The front of the request pipeline of `keel serve`: the request's id and client address, CORS,
// the route match and 405s, the anonymous rate limit (App::admit), then the bearer token, the
// user's rate limit and the route's permission, each refusal audited (App::authenticate). The
// rest of the pipeline is in server.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "app.h"
#include "keel/net/crypto.h"
#include "keel/server/http_status.h"

namespace keel::server {
namespace {

bool valid_request_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

// The last address of X-Forwarded-For (the one the trusted proxy appended), if it looks like one.
std::optional<std::string> forwarded_client(const std::string& header) {
  const auto comma = header.rfind(',');
  std::string last = comma == std::string::npos ? header : header.substr(comma + 1);
  last.erase(0, last.find_first_not_of(" \t"));
  last.erase(last.find_last_not_of(" \t") + 1);
  if (last.empty() || last.size() > 64) return std::nullopt;
  for (char c : last) {
    if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':')) return std::nullopt;
  }
  return last;
}

}  // namespace

std::string new_request_id() { return net::random_hex(8); }

void api_headers(HttpResponse& res, const std::string& request_id, bool hsts) {
  res.set_header("X-Request-Id", request_id);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  res.set_header("Cache-Control", "no-store");
  if (hsts) res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

Admit App::admit(HttpRequest& req, RequestContext& ctx, HttpResponse& res) {
  ctx.client = req.remote_addr;
  if (!config.trusted_proxies.empty() &&
      std::find(config.trusted_proxies.begin(), config.trusted_proxies.end(), req.remote_addr) !=
          config.trusted_proxies.end()) {
    if (auto fwd = forwarded_client(req.get_header_value("X-Forwarded-For"))) ctx.client = *fwd;
  }
  req.remote_addr = ctx.client;
  const std::string given = req.get_header_value("X-Request-Id");
  ctx.request_id = valid_request_id(given) ? given : new_request_id();

  const std::string origin = req.get_header_value("Origin");
  bool cors_ok = false;
  if (!origin.empty()) {
    for (const auto& o : config.cors_origins) {
      if (o == "*" || o == origin) cors_ok = true;
    }
  }
  const auto cors_headers = [&] {
    if (!cors_ok) return;
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Vary", "Origin");
    res.set_header("Access-Control-Expose-Headers", "X-Request-Id, Retry-After, X-Process-Time");
  };

  std::vector<std::string> matches;
  ctx.route = match(req.method, req.target.substr(0, req.target.find('?')), &matches);
  if (ctx.route == nullptr && web && (req.method == "GET" || req.method == "HEAD") &&
      !(req.path == "/api" || req.path.rfind("/api/", 0) == 0)) {
    return Admit::kStatic;
  }
  api_headers(res, ctx.request_id, config.hsts);
  cors_headers();
  if (req.method == "OPTIONS") {
    if (cors_ok) {
      res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
      res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id");
      res.set_header("Access-Control-Max-Age", "600");
      res.status = 204;
    } else {
      write_error(res, Error(ErrorCode::kForbidden, "origin not allowed"), ctx.request_id);
    }
    return Admit::kRespond;
  }
  if (ctx.route == nullptr) {
    // A path that exists with other methods: 405 with the methods it takes (RFC 9110 15.5.6).
    std::string allow;
    std::vector<std::string> ignored;
    const std::string path = req.target.substr(0, req.target.find('?'));
    for (const auto& r : routes) {
      if (r->matcher->match(path, &ignored) && allow.find(r->method) == std::string::npos) {
        allow += (allow.empty() ? "" : ", ") + r->method;
      }
    }
    if (allow.empty()) {
      write_error(res, Error::not_found("no route " + printable(req.method, 20) + " " + printable(req.path, 200)),
                  ctx.request_id);
    } else {
      res.status = 405;
      res.set_header("Allow", allow);
      res.set_content(dump_json({{"error",
                                  {{"code", "method_not_allowed"},
                                   {"message", printable(req.method, 20) + " is not a method of " +
                                                   printable(path, 200) + " (it takes " + allow + ")"},
                                   {"details", nlohmann::json::array()},
                                   {"request_id", ctx.request_id}}}}),
                      "application/json");
    }
    return Admit::kRespond;
  }
  req.matches = std::move(matches);
  ctx.compute = ctx.route->compute.value_or(false);
  if (!ctx.route->permission) {
    // Liveness answers on the I/O thread at once: it must not wait behind anything, not even the
    // rate limiter's lock, and costs less than the limiter's own bookkeeping.
    if (ctx.route->path == "/healthz") {
      res.status = 200;
      res.set_content(R"({"status":"ok"})", "application/json");
      return Admit::kRespond;
    }
    const RateDecision d = anonymous_limit.take("ip:" + ctx.client, now_seconds());
    if (!d.allowed) {
      res.set_header("Retry-After", fmt::format("{}", d.retry_after_seconds));
      write_error(res, Error(ErrorCode::kRateLimited, "too many requests from this address"), ctx.request_id);
      return Admit::kRespond;
    }
    return Admit::kReadBody;
  }
  return Admit::kAuthenticate;
}

bool App::authenticate(const HttpRequest& req, RequestContext& ctx, HttpResponse& res) {
  try {
    const double now = now_seconds();
    // Every refusal is audited; to keep a flood of bad tokens from filling the audit log, failed
    // authentications also draw on the address's anonymous budget.
    const auto refuse_auth = [&](const std::string& reason, const std::string& user) {
      const RateDecision d = anonymous_limit.take("ip:" + ctx.client, now);
      if (!d.allowed) {
        res.set_header("Retry-After", fmt::format("{}", d.retry_after_seconds));
        write_error(res, Error(ErrorCode::kRateLimited, "too many requests from this address"), ctx.request_id);
        return false;
      }
      auto lease = stores.acquire();
      audit(*lease, user, "", "auth.refused", printable(req.method, 10) + " " + printable(req.path, 200),
            {{"reason", reason}, {"status", 401}}, "denied", ctx.client, ctx.request_id);
      return false;
    };
    const std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) != 0) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"keel\"");
      write_error(res, Error(ErrorCode::kUnauthorized, "missing bearer token"), ctx.request_id);
      return refuse_auth("missing bearer token", "");
    }
    const auto claims = tokens.verify(auth.substr(7), static_cast<std::int64_t>(now));
    std::optional<service::SignInUser> user;
    if (claims) {
      // From memory; the store is read for a user's first request, after a change of the user, and
      // for the revocation journal at most every poll interval (AuthCache).
      user = timed_store("user_lookup", [&] { return auth_cache->admit(*claims, static_cast<std::int64_t>(now)); });
    }
    if (!claims || !user) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"keel\", error=\"invalid_token\"");
      write_error(res, Error(ErrorCode::kUnauthorized, "invalid or expired token"), ctx.request_id);
      return refuse_auth("invalid or expired token", claims ? claims->username : "");
    }
    ctx.principal = Principal{user->id,  user->username,      user->tenant,          user->role,
                              claims->jti, claims->expires_at, claims->token_version, claims->session};
    // By id: user names are unique per tenant only.
    const RateDecision d = user_limit.take(fmt::format("user:{}", user->id), now);
    if (!d.allowed) {
      res.set_header("Retry-After", fmt::format("{}", d.retry_after_seconds));
      write_error(res, Error(ErrorCode::kRateLimited, "rate limit exceeded"), ctx.request_id);
      return false;
    }
    if (!role_allows(user->role, *ctx.route->permission)) {
      const service::UseCase* uc = ctx.route->use_case;
      write_error(res,
                  Error(ErrorCode::kForbidden, uc ? service::refusal_message(user->role, *uc)
                                                  : fmt::format("role {} may not {}", service::role_name(user->role),
                                                                permission_name(*ctx.route->permission))),
                  ctx.request_id);
      // The details a use case's own refusal writes (service::authorize), so a refusal reads the same
      // from every face; the resource is the request line, refused before its subject is looked up.
      nlohmann::json details = {{"permission", permission_name(*ctx.route->permission)},
                                {"role", service::role_name(user->role)}};
      if (uc) details["use_case"] = uc->action;
      auto lease = stores.acquire();
      audit(*lease, user->username, user->tenant, "auth.forbidden",
            printable(req.method, 10) + " " + printable(req.path, 200), details, "denied", ctx.client,
            ctx.request_id);
      return false;
    }
    return true;
  } catch (const std::exception& e) {
    log_line({{"level", "error"}, {"request_id", ctx.request_id}, {"path", printable(req.path)}, {"error", e.what()}});
    write_error(res, Error::internal("internal error (request " + ctx.request_id + ")"), ctx.request_id);
    return false;
  }
}

}  // namespace keel::server
