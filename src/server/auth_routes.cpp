// POST /api/v1/auth/login, POST /api/v1/auth/logout and GET /api/v1/auth/me.
#include <fmt/format.h>

#include <algorithm>

#include "app.h"
#include "event_hub.h"
#include "keel/service/preferences.h"
#include "keel/service/sign_in.h"
#include "keel/service/single_sign_on.h"
#include "resources.h"

namespace keel::server {
namespace {

// An auth.login row: authentication audits itself (keel/service/sign_in.h).
void audit_login(Call& c, const std::string& username, const std::string& tenant,
                 const nlohmann::json& details, std::string_view outcome) {
  c.app.timed_store("audit_append",
                    [&] { service::audit_sign_in(c.service(), username, tenant, details, outcome); });
}

std::vector<std::string> permissions_of(Role role) {
  std::vector<std::string> out;
  for (auto p : kAllPermissions) {
    if (role_allows(role, p)) out.emplace_back(permission_name(p));
  }
  return out;
}

service::IssueAccessToken access_issuer(App& app) {
  return [&app](const service::SignInUser& user, const std::string& session) {
    return app.tokens.issue(user, app.now_epoch(), session);
  };
}

// The answer of a login, a refresh and a password change.
LoginResult login_result(App& app, const service::SignInUser& user, const service::SessionTokens& tokens) {
  LoginResult out;
  out.token = tokens.access.token;
  out.expires_at = iso_utc(tokens.access.expires_at);
  out.expires_in = tokens.access.expires_at - app.now_epoch();
  out.user = {user.username, user.tenant, user.role};
  if (!tokens.refresh_token.empty()) {
    out.refresh_token = tokens.refresh_token;
    out.refresh_expires_at = iso_utc(tokens.refresh_expires_at);
    out.session_expires_at = iso_utc(tokens.session_expires_at);
  }
  return out;
}

// A new sign-in of `user`: a refresh family and its tokens, as login and a password change answer it.
LoginResult issue_token(Call& c, const service::SignInUser& user) {
  App& app = c.app;
  const auto tokens = app.timed_store("session_start", [&] {
    return service::start_session(c.service(), user, app.now_epoch(), app.config.sessions, access_issuer(app));
  });
  return login_result(app, user, tokens);
}

void login(Call& c) {
  LoginRequest req;
  spec::read_json(c.json_body(), req, "login request");
  const std::string* username = &req.username;
  const std::string* password = &req.password;

  App& app = c.app;
  const double now = app.now_seconds();
  // Failed logins are counted per (address, user name) — so that, behind a proxy or a shared
  // address, one person's mistakes do not lock out everyone — and per address across all user
  // names, with a higher ceiling, against guessing over many accounts.
  // The account: its name, with its tenant when the login names one (names are unique per tenant).
  const std::string account = req.tenant ? *req.tenant + "/" + *username : *username;
  const std::string account_key = "acct:" + c.client() + "|" + account;
  const std::string ip_key = "ip:" + c.client();
  const std::int64_t wait = std::max(app.login_throttle.blocked_for(account_key, now),
                                     app.login_address_throttle.blocked_for(ip_key, now));
  if (wait > 0) {
    audit_login(c, *username, req.tenant.value_or(""), {{"reason", "throttled"}, {"status", 429}}, "denied");
    c.res.set_header("Retry-After", fmt::format("{}", wait));
    throw Error(ErrorCode::kRateLimited, "too many failed logins; try again later");
  }

  const auto user =
      app.timed_store("user_lookup", [&] { return service::sign_in_user(c.service(), *username, req.tenant); });
  // Without a user the hash check still runs (on a fixed hash), so timing does not tell which
  // user names exist (nor, without a tenant, whether a user a manager added has that name).
  const bool match =
      app.hasher.verify(user ? user->password_hash : app.dummy_hash, *password, c.hash_deadline()) && user.has_value();
  if (!match || user->disabled) {
    app.login_throttle.record_failure(account_key, now);
    app.login_address_throttle.record_failure(ip_key, now);
    audit_login(c, *username, user ? user->tenant : "",
                {{"reason", !match ? "bad credentials" : "disabled"}, {"status", 401}}, "failed");
    throw Error(ErrorCode::kUnauthorized, "invalid user name or password");
  }
  app.login_throttle.record_success(account_key);
  const LoginResult out = issue_token(c, *user);
  audit_login(c, user->username, user->tenant, nlohmann::json::object(), "ok");
  c.send(200, spec::to_json(out));
}

// The answer of a sign-out: an empty object.
struct LogoutResult {
  std::string end_session_url;
  static constexpr const char* kSchemaName = "LogoutResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "end_session_url",
             .help = "Where the browser goes to sign out at the identity provider too (a single sign-on user, "
                     "when the provider has an end_session_endpoint); \"\" otherwise"},
            s.end_session_url);
  }
};

// POST /api/v1/auth/oidc/backchannel-logout: the form (for the OpenAPI document) and the answer.
struct BackChannelLogoutForm {
  std::string logout_token;
  static constexpr const char* kSchemaName = "BackChannelLogoutForm";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "logout_token", .help = "The provider's signed logout token (a JWT)", .required = true},
            s.logout_token);
  }
};

struct BackChannelLogoutResult {
  bool signed_out = false;
  static constexpr const char* kSchemaName = "BackChannelLogoutResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "signed_out", .help = "True when a user of keel had that identity (its sign-ins ended)"},
            s.signed_out);
  }
};



// Revokes the caller's token (its jti) until it expires and ends its sign-in (its refresh tokens,
// and the access tokens issued with them): at once on this server, within the revocation poll
// interval on every other server of the store.
void logout(Call& c) {
  const auto& p = c.principal();
  const auto revoked = service::sign_out(c.service(), {p.user_id, p.token_id, p.token_expires_at, p.session});
  for (const auto& [jti, expires_at] : revoked) c.app.auth_cache->revoked(jti, expires_at);
  c.app.events->tokens_changed();  // this token's open event streams end now
  const std::string provider =
      c.app.oidc ? service::provider_sign_out_url(c.service(), *c.app.oidc, p.username, p.tenant) : std::string();
  c.send(200, spec::to_json(LogoutResult{provider}));
}

// A refresh token for a new access token and the next refresh token (rotation). A token presented
// twice ends its sign-in: whoever holds the other copy is signed out too (reuse detection).
void refresh(Call& c) {
  RefreshRequest req;
  spec::read_json(c.json_body(), req, "refresh request");
  App& app = c.app;
  const auto out = app.timed_store("session_refresh", [&] {
    return service::refresh_session(c.service(), req.refresh_token, app.now_epoch(), app.config.sessions,
                                    access_issuer(app));
  });
  if (!out.revoked.empty()) {
    for (const auto& [jti, expires_at] : out.revoked) app.auth_cache->revoked(jti, expires_at);
    app.events->tokens_changed();
  }
  if (!out.tokens) throw Error(ErrorCode::kUnauthorized, out.refusal);
  c.send(200, spec::to_json(login_result(app, out.user, *out.tokens)));
}

// The identity provider's settings and client, or not_found when the server has none.
std::pair<const service::SingleSignOnSettings*, net::OidcClient*> single_sign_on(App& app) {
  if (!app.oidc || !app.config.single_sign_on) {
    throw Error::not_found("this server has no single sign-on (keel serve --oidc-config)");
  }
  return {&*app.config.single_sign_on, app.oidc.get()};
}

void oidc_info(Call& c) {
  const auto& s = c.app.config.single_sign_on;
  c.send(200, spec::to_json(SingleSignOnInfo{c.app.oidc != nullptr && s.has_value(), s ? s->display_name : ""}));
}

void oidc_start(Call& c) {
  App& app = c.app;
  const auto [settings, client] = single_sign_on(app);
  const auto start = service::begin_single_sign_on(c.service(), *client, *settings, app.now_epoch());
  c.send(200, spec::to_json(SingleSignOnStartResult{start.authorization_url, start.state, iso_utc(start.expires_at)}));
}

// The browser is back from the provider: the code is redeemed, the ID token checked, the user
// provisioned or updated, and a sign-in started as at login.
void oidc_callback(Call& c) {
  SingleSignOnCallback req;
  spec::read_json(c.json_body(), req, "single sign-on callback");
  App& app = c.app;
  const auto [settings, client] = single_sign_on(app);
  const auto user =
      service::finish_single_sign_on(c.service(), *client, *settings, req.code, req.state, app.now_epoch());
  app.auth_cache->user_changed(user.id);  // a role the provider changed applies at once
  c.send(200, spec::to_json(issue_token(c, user)));
}

// The provider tells keel that a user signed out there (Back-Channel Logout 1.0): the form's
// logout_token is checked and the user's sign-ins end. 200 with no body, Cache-Control: no-store;
// 400 for a token refused (the reason in the error).
void oidc_back_channel_logout(Call& c) {
  App& app = c.app;
  net::OidcClient& client = *single_sign_on(app).second;
  std::vector<std::pair<std::string, std::string>> form;
  if (auto bad = parse_form(c.req.body, app.limits.max_query_params, "form", form)) {
    throw Error::invalid_input("back-channel logout: " + bad->message, bad->details);
  }
  const auto token = std::find_if(form.begin(), form.end(), [](const auto& f) { return f.first == "logout_token"; });
  if (token == form.end() || token->second.empty()) {
    throw Error::invalid_input("back-channel logout: expected a form with logout_token",
                               {"logout_token: required (application/x-www-form-urlencoded)"});
  }
  const auto out = service::back_channel_logout(c.service(), client, token->second);
  if (out.every_sign_in) app.auth_cache->user_changed(out.user_id);
  for (const auto& [jti, expires_at] : out.revoked) app.auth_cache->revoked(jti, expires_at);
  if (out.signed_out) app.events->tokens_changed();
  c.res.set_header("Cache-Control", "no-store");
  c.send(200, spec::to_json(BackChannelLogoutResult{out.signed_out}));
}

void me(Call& c) {
  const auto& p = c.principal();
  Me out{p.user_id, p.username, p.tenant, p.role, permissions_of(p.role), "password", "", ""};
  if (const auto user = service::sign_in_user(c.service(), p.username, p.tenant)) {
    if (!user->identity_issuer.empty()) out.sign_in = "single_sign_on";
    out.email = user->email;
    out.full_name = user->full_name;
  }
  c.send(200, spec::to_json(out));
}

// The caller's own password: the current one checked on the hash pool (a wrong one counts as a
// failed login of the account, so guessing through this route is throttled as at login), every
// token of the user revoked, and a new token for the caller in the answer (the login's shape).
void change_password(Call& c) {
  service::OwnPasswordRequest req;
  spec::read_json(c.json_body(), req, "password change");
  App& app = c.app;
  const auto& p = c.principal();
  const double now = app.now_seconds();
  const std::string account_key = "acct:" + c.client() + "|" + p.tenant + "/" + p.username;
  if (const std::int64_t wait = app.login_throttle.blocked_for(account_key, now); wait > 0) {
    c.res.set_header("Retry-After", fmt::format("{}", wait));
    throw Error(ErrorCode::kRateLimited, "too many wrong passwords; try again later");
  }
  try {
    service::change_own_password(
        c.service(), req,
        [&](const std::string& stored, const std::string& password) {
          return app.hasher.verify(stored, password, c.hash_deadline());
        },
        [&](const std::string& password) { return app.hasher.hash(password, c.hash_deadline()); });
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kForbidden) app.login_throttle.record_failure(account_key, now);
    throw;
  }
  app.auth_cache->user_changed(p.user_id);  // the old tokens stop here at once; others via the journal
  app.events->tokens_changed();
  const auto user = service::sign_in_user(c.service(), p.username, p.tenant);
  if (!user) throw Error::internal("the user changed their password and is gone");
  c.send(200, spec::to_json(issue_token(c, *user)));
}

void show_preferences(Call& c) { c.send(200, spec::to_json(service::get_preferences(c.service()))); }

void update_preferences(Call& c) {
  service::UserPreferences change;
  spec::read_json(c.json_body(), change, "preferences");
  c.send(200, spec::to_json(service::update_preferences(c.service(), change)));
}

}  // namespace

void add_auth_routes(App& app) {
  app.add_route(RouteSpec{"POST", "/api/v1/auth/login", "Exchange a user name and password for a JWT", "auth",
                          std::nullopt, login, "json"}
                    .takes<LoginRequest>()
                    .returns<LoginResult>()
                    .on_hash_pool());
  app.add_route(RouteSpec{"POST", "/api/v1/auth/refresh",
                          "Exchange a refresh token for a new access token and the next refresh token (each refresh "
                          "token is good once; presenting one twice ends the sign-in)",
                          "auth", std::nullopt, refresh, "json"}
                    .takes<RefreshRequest>()
                    .returns<LoginResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/auth/oidc",
                          "Whether the server signs users in through an OpenID Connect provider, and its name", "auth",
                          std::nullopt, oidc_info}
                    .returns<SingleSignOnInfo>());
  app.add_route(RouteSpec{"POST", "/api/v1/auth/oidc/start",
                          "Begin a single sign-on: the provider's authorization URL (code flow with PKCE) and the "
                          "state to expect back (404 without a provider)",
                          "auth", std::nullopt, oidc_start}
                    .returns<SingleSignOnStartResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/auth/oidc/callback",
                          "Finish a single sign-on with the code and state the provider sent back: the user "
                          "(provisioned at its first sign-in, its role and e-mail from the provider's claims) and "
                          "its tokens, as login answers them",
                          "auth", std::nullopt, oidc_callback, "json"}
                    .takes<SingleSignOnCallback>()
                    .returns<LoginResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/auth/oidc/backchannel-logout",
                          "The identity provider signs a user out of keel (OpenID Connect Back-Channel Logout): the "
                          "form's logout_token, checked as an ID token is, ends every sign-in of the user it names",
                          "auth", std::nullopt, oidc_back_channel_logout, "form"}
                    .takes<BackChannelLogoutForm>()
                    .returns<BackChannelLogoutResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/auth/logout",
                          "Sign out: revoke the caller's token and end its sign-in (its refresh tokens) on every "
                          "server (answers {})",
                          "auth",
                          Permission::kRead, logout}
                    .returns<LogoutResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/auth/me", "The caller: user, tenant, role and permissions", "auth",
                          Permission::kRead, me}
                    .returns<Me>());
  app.add_route(RouteSpec{"POST", "/api/v1/me/password",
                          "Change the caller's own password {current_password, new_password}: every token of the "
                          "user is revoked and the answer carries a new one (as login)",
                          "auth", service::kOwnPassword, change_password, "json"}
                    .takes<service::OwnPasswordRequest>()
                    .returns<LoginResult>()
                    .on_hash_pool());
  app.add_route(RouteSpec{"GET", "/api/v1/me/preferences",
                          "The caller's preferences (locale, theme, reporting currency, lot method), kept on the "
                          "server for every browser it signs in from",
                          "auth", service::kPreferencesRead, show_preferences}
                    .returns<service::PreferencesResult>());
  app.add_route(RouteSpec{"PUT", "/api/v1/me/preferences",
                          "Change the caller's preferences: the members given replace the saved ones (\"\" clears "
                          "one)",
                          "auth", service::kPreferencesUpdate, update_preferences, "json"}
                    .takes<service::UserPreferences>()
                    .returns<service::PreferencesResult>());
}

}  // namespace keel::server
