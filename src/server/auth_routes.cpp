// POST /api/v1/auth/login and GET /api/v1/auth/me.
#include <fmt/format.h>

#include "app.h"
#include "requests.h"

namespace keel::server {
namespace {

std::string iso_utc(std::int64_t epoch) {
  const std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

nlohmann::json permissions_of(store::Role role) {
  nlohmann::json out = nlohmann::json::array();
  for (auto p : kAllPermissions) {
    if (role_allows(role, p)) out.push_back(permission_name(p));
  }
  return out;
}

void login(Call& c) {
  const auto body = c.json_body();
  Fields f(body);
  const auto username = f.text("username");
  const auto password = f.text("password");
  if (!body.contains("username")) f.fail("username", "required");
  if (!body.contains("password")) f.fail("password", "required");
  f.throw_if_errors("login request");

  App& app = c.app;
  const double now = app.now_seconds();
  // Failed logins are counted per (address, user name) — so that, behind a proxy or a shared
  // address, one person's mistakes do not lock out everyone — and per address across all user
  // names, with a higher ceiling, against guessing over many accounts.
  const std::string account_key = "acct:" + c.client() + "|" + *username;
  const std::string ip_key = "ip:" + c.client();
  const std::int64_t wait = std::max(app.login_throttle.blocked_for(account_key, now),
                                     app.login_address_throttle.blocked_for(ip_key, now));
  if (wait > 0) {
    app.audit(c.store(), *username, "", "auth.login", "user/" + *username, {{"reason", "throttled"}, {"status", 429}},
              "denied", c.client(), c.request_id());
    c.res.set_header("Retry-After", std::to_string(wait));
    throw Error(ErrorCode::kRateLimited, "too many failed logins; try again later");
  }

  const auto user = app.timed_store("user_lookup", [&] { return c.store().users().find(*username); });
  // Without a user the hash check still runs (on a fixed hash), so timing does not tell which
  // user names exist.
  const bool match = app.hasher.verify(user ? user->password_hash : app.dummy_hash, *password) && user.has_value();
  if (!match || user->disabled) {
    app.login_throttle.record_failure(account_key, now);
    app.login_address_throttle.record_failure(ip_key, now);
    app.audit(c.store(), *username, user ? user->tenant : "", "auth.login", "user/" + *username,
              {{"reason", !match ? "bad credentials" : "disabled"}, {"status", 401}}, "failed", c.client(), c.request_id());
    throw Error(ErrorCode::kUnauthorized, "invalid user name or password");
  }
  app.login_throttle.record_success(account_key);
  const auto issued = app.tokens.issue(*user, app.now_epoch());
  app.audit(c.store(), user->username, user->tenant, "auth.login", "user/" + user->username, nlohmann::json::object(),
            "ok", c.client(), c.request_id());
  c.send(200, {{"token", issued.token},
               {"token_type", "Bearer"},
               {"expires_at", iso_utc(issued.expires_at)},
               {"expires_in", issued.expires_at - app.now_epoch()},
               {"user", {{"username", user->username}, {"tenant", user->tenant}, {"role", store::role_name(user->role)}}}});
}

void me(Call& c) {
  const auto& p = c.principal();
  c.send(200, {{"id", p.user_id},
               {"username", p.username},
               {"tenant", p.tenant},
               {"role", store::role_name(p.role)},
               {"permissions", permissions_of(p.role)}});
}

}  // namespace

void add_auth_routes(App& app) {
  app.add_route({"POST", "/api/v1/auth/login", "Exchange a user name and password for a JWT", "auth", std::nullopt,
                 login, "json"});
  app.add_route({"GET", "/api/v1/auth/me", "The caller: user, tenant, role and permissions", "auth",
                 Permission::kRead, me});
}

}  // namespace keel::server
