// Signing in through an OpenID Connect provider (keel/service/single_sign_on.h).
#include "keel/service/single_sign_on.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/service/rules.h"
#include "keel/store/store.h"
#include "sign_in_internal.h"

namespace keel::service {
namespace {

// The claim at `path` ("email", "realm_access.roles"); nullptr when absent.
const nlohmann::json* claim(const nlohmann::json& claims, const std::string& path) {
  const nlohmann::json* at = &claims;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto dot = path.find('.', start);
    const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!at->is_object()) return nullptr;
    const auto it = at->find(part);
    if (it == at->end()) return nullptr;
    at = &*it;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return at;
}

std::string text_claim(const nlohmann::json& claims, const std::string& path) {
  if (path.empty()) return "";
  const auto* c = claim(claims, path);
  return c && c->is_string() ? c->get<std::string>() : "";
}

// The provider's session as a sign-in keeps it: the issuer and the ID token's sid, a line apart
// (sids are unique per issuer only); "" without a sid.
std::string provider_session_of(const std::string& issuer, const std::string& sid) {
  return sid.empty() ? std::string() : issuer + "\n" + sid.substr(0, 255);
}

// `user` signing in within the provider session the ID token's claims name.
SignInUser with_provider_session(SignInUser user, const nlohmann::json& claims) {
  user.provider_session = provider_session_of(text_claim(claims, "iss"), text_claim(claims, "sid"));
  return user;
}

// Lower rank = more power: admin 0, manager 1, analyst 2, viewer 3 (the enum's order).
int power(Role role) { return static_cast<int>(role); }

bool plain_name(const std::string& name, std::size_t max) {
  return !name.empty() && name.size() <= max && std::all_of(name.begin(), name.end(), [](char ch) {
           const auto u = static_cast<unsigned char>(ch);
           return u > 0x20 && u != 0x7f && ch != '/';
         });
}

// A refusal: audited (the user as far as known), then thrown as unauthorized.
[[noreturn]] void refuse(const Context& cx, const std::string& username, const std::string& tenant,
                         const std::string& reason) {
  audit_sign_in(cx, username, tenant, {{"method", "single_sign_on"}, {"reason", reason}, {"status", 401}}, "failed");
  throw Error(ErrorCode::kUnauthorized, "single sign-on refused: " + reason);
}

std::string member_text(const nlohmann::json& j, const std::string& file, const char* name, bool required,
                        std::string fallback = "") {
  const auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    if (required) throw Error::invalid_input(fmt::format("{}: {}: expected a string, and it is required", file, name));
    return fallback;
  }
  if (!it->is_string()) throw Error::invalid_input(fmt::format("{}: {}: expected a string", file, name));
  return it->get<std::string>();
}

std::vector<std::string> member_list(const nlohmann::json& j, const std::string& file, const char* name,
                                     std::vector<std::string> fallback) {
  const auto it = j.find(name);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_array()) throw Error::invalid_input(fmt::format("{}: {}: expected an array of strings", file, name));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) throw Error::invalid_input(fmt::format("{}: {}[{}]: expected a string", file, name, i));
    out.push_back((*it)[i].get<std::string>());
  }
  return out;
}

Role member_role(const nlohmann::json& value, const std::string& where) {
  const auto role = value.is_string() ? store::parse_role(value.get<std::string>()) : std::nullopt;
  if (!role) throw Error::invalid_input(where + ": expected admin, manager, analyst or viewer");
  return *role;
}

std::int64_t member_seconds(const nlohmann::json& j, const std::string& file, const char* name, std::int64_t fallback,
                            std::int64_t max) {
  const auto it = j.find(name);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() > max) {
    throw Error::invalid_input(fmt::format("{}: {}: expected whole seconds from 0 to {}", file, name, max));
  }
  return it->get<std::int64_t>();
}

}  // namespace

SingleSignOnSettings parse_single_sign_on_settings(const std::string& file, const std::string& json_text) {
  const auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw Error::invalid_input(file + ": expected a JSON object");
  static const std::vector<std::string> kMembers = {
      "issuer",        "client_id",      "client_secret_env", "redirect_uri",   "display_name",
      "scopes",        "algorithms",     "clock_skew_seconds", "username_claim", "email_claim",
      "name_claim",    "roles_claim",    "role_map",          "default_role",   "tenant_claim",
      "default_tenant", "request_seconds", "post_logout_redirect_uri"};
  for (const auto& [name, value] : j.items()) {
    if (std::find(kMembers.begin(), kMembers.end(), name) == kMembers.end()) {
      throw Error::invalid_input(fmt::format("{}: {}: not a member of the single sign-on settings", file,
                                             shown_with(name, 64, 0)));
    }
  }
  SingleSignOnSettings s;
  auto& c = s.client;
  c.issuer = member_text(j, file, "issuer", true);
  c.client_id = member_text(j, file, "client_id", true);
  c.redirect_uri = member_text(j, file, "redirect_uri", true);
  c.post_logout_redirect_uri = member_text(j, file, "post_logout_redirect_uri", false);
  for (const char* url : {"issuer", "redirect_uri", "post_logout_redirect_uri"}) {
    const std::string v = member_text(j, file, url, false);
    if (v.empty() && std::string_view(url) == "post_logout_redirect_uri") continue;
    if (!v.starts_with("https://") && !v.starts_with("http://")) {
      throw Error::invalid_input(fmt::format("{}: {}: expected an http(s) URL", file, url));
    }
  }
  if (const std::string env = member_text(j, file, "client_secret_env", false); !env.empty()) {
    const char* secret = std::getenv(env.c_str());
    if (secret == nullptr || *secret == '\0') {
      throw Error::invalid_input(fmt::format("{}: client_secret_env: the environment has no {}", file, env));
    }
    c.client_secret = secret;
  }
  c.scopes = member_list(j, file, "scopes", c.scopes);
  if (std::find(c.scopes.begin(), c.scopes.end(), "openid") == c.scopes.end()) {
    throw Error::invalid_input(file + ": scopes: must include openid");
  }
  c.algorithms = member_list(j, file, "algorithms", c.algorithms);
  for (const auto& a : c.algorithms) {
    if (a != "RS256" && a != "RS384" && a != "RS512" && a != "ES256") {
      throw Error::invalid_input(fmt::format("{}: algorithms: {} is not one of RS256, RS384, RS512, ES256", file,
                                             shown_with(a, 20, 0)));
    }
  }
  c.clock_skew_seconds = member_seconds(j, file, "clock_skew_seconds", c.clock_skew_seconds, 600);
  s.display_name = member_text(j, file, "display_name", false, s.display_name);
  s.username_claim = member_text(j, file, "username_claim", false, s.username_claim);
  s.email_claim = member_text(j, file, "email_claim", false, s.email_claim);
  s.name_claim = member_text(j, file, "name_claim", false, s.name_claim);
  s.roles_claim = member_text(j, file, "roles_claim", false);
  s.tenant_claim = member_text(j, file, "tenant_claim", false);
  s.default_tenant = member_text(j, file, "default_tenant", false, s.default_tenant);
  s.request_seconds = member_seconds(j, file, "request_seconds", s.request_seconds, 3600);
  if (const auto it = j.find("role_map"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) throw Error::invalid_input(file + ": role_map: expected an object {claim value: role}");
    for (const auto& [value, role] : it->items()) {
      s.role_map.emplace_back(value, member_role(role, fmt::format("{}: role_map.{}", file, shown_with(value, 64, 0))));
    }
  }
  if (const auto it = j.find("default_role"); it != j.end() && !it->is_null()) {
    s.default_role = member_role(*it, file + ": default_role");
  }
  if (!s.roles_claim.empty() && s.role_map.empty()) {
    throw Error::invalid_input(file + ": role_map: roles_claim is set, so role_map must map at least one value");
  }
  if (s.roles_claim.empty() && !s.default_role) {
    throw Error::invalid_input(file + ": default_role: without roles_claim every user takes default_role; set one");
  }
  return s;
}

BackChannelLogout back_channel_logout(const Context& cx, net::OidcClient& client, const std::string& logout_token) {
  // The provider's call names no keel user: the audit rows are the identity's user's when there is
  // one, else the provider's (user "oidc:back_channel" in the default tenant).
  const auto audit_logout = [&](const std::string& user, const std::string& tenant, const nlohmann::json& details,
                                std::string_view outcome) {
    Context as = cx;
    as.actor.user = user;
    as.actor.tenant = tenant;
    audit_action(as, "auth.logout", fmt::format("user/{}", user), details, outcome);
  };
  net::IdToken token;
  try {
    token = client.verify_logout(logout_token);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kInvalidInput) {
      audit_logout("oidc:back_channel", "default", {{"method", "back_channel"}, {"reason", e.what()}}, "denied");
    }
    throw;
  }
  const std::string issuer = text_claim(token.claims, "iss");
  const std::string subject = text_claim(token.claims, "sub");
  const std::string sid = text_claim(token.claims, "sid");
  auto& users = require_store(cx, "single sign-on").users();
  BackChannelLogout out;
  std::optional<store::UserRecord> user;
  if (!subject.empty()) {
    user = users.find_identity(issuer, subject);
    if (!user) return out;
  }
  if (!sid.empty()) {
    auto families = users.provider_session_families(provider_session_of(issuer, sid));
    if (user) std::erase_if(families, [&](const store::SignInFamily& f) { return f.user_id != user->id; });
    if (!families.empty()) {
      const std::int64_t now = cx.env.clock.unix_seconds();
      for (const auto& f : families) {
        for (auto& r : users.end_refresh_family(f.tenant, f.user_id, f.family, now)) out.revoked.push_back(std::move(r));
      }
      const auto owner = user ? user : users.find_id(families.front().user_id);
      out.signed_out = true;
      if (owner) {
        out.user_id = owner->id;
        out.user = owner->username;
        out.tenant = owner->tenant;
        audit_logout(owner->username, owner->tenant,
                     {{"method", "back_channel"}, {"scope", "session"}, {"sign_ins", families.size()}}, "ok");
      }
      return out;
    }
    if (!user) return out;  // a session keel did not keep, and no subject to go by
  }
  users.end_sessions(user->id);
  out.signed_out = true;
  out.every_sign_in = true;
  out.user_id = user->id;
  out.user = user->username;
  out.tenant = user->tenant;
  audit_logout(user->username, user->tenant, {{"method", "back_channel"}, {"scope", "user"}}, "ok");
  return out;
}

std::string provider_sign_out_url(const Context& cx, net::OidcClient& client, const std::string& username,
                                  const std::string& tenant) {
  try {
    const auto user = require_store(cx, "single sign-on").users().find(username, tenant);
    return user && !user->identity_issuer.empty() ? client.end_session_url() : std::string();
  } catch (const Error&) {
    return {};
  }
}

std::optional<Role> mapped_role(const nlohmann::json& claims, const SingleSignOnSettings& settings) {
  std::optional<Role> best;
  const auto consider = [&](const nlohmann::json& v) {
    if (!v.is_string()) return;
    for (const auto& [value, role] : settings.role_map) {
      if (value == v.get<std::string>() && (!best || power(role) < power(*best))) best = role;
    }
  };
  if (!settings.roles_claim.empty()) {
    if (const auto* c = claim(claims, settings.roles_claim)) {
      if (c->is_array()) {
        for (const auto& v : *c) consider(v);
      } else {
        consider(*c);
      }
    }
  }
  return best ? best : settings.default_role;
}

SingleSignOnStart begin_single_sign_on(const Context& cx, net::OidcClient& client,
                                       const SingleSignOnSettings& settings, std::int64_t now) {
  store::UserRepository& users = require_store(cx, "sign-ins are stored").users();
  const auto request = client.authorization_request();
  const std::int64_t expires = now + settings.request_seconds;
  users.add_sign_in_request({net::sha256_base64url(request.state), request.nonce, request.code_verifier, now, expires});
  return {request.url, request.state, expires};
}

SignInUser finish_single_sign_on(const Context& cx, net::OidcClient& client, const SingleSignOnSettings& settings,
                                 const std::string& code, const std::string& state, std::int64_t now) {
  store::UserRepository& users = require_store(cx, "sign-ins are stored").users();
  const auto pending = users.take_sign_in_request(net::sha256_base64url(state), now);
  if (!pending) refuse(cx, "", "", "this sign-in is unknown, was used already or took too long: start again");
  net::IdToken token;
  try {
    token = client.redeem(code, pending->code_verifier, pending->nonce);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kUnauthorized) throw;
    const std::string prefix = "single sign-on refused: ";
    const std::string what = e.what();
    refuse(cx, "", "", what.starts_with(prefix) ? what.substr(prefix.size()) : what);
  }
  const auto& claims = token.claims;
  const std::string issuer = text_claim(claims, "iss");
  const std::string subject = text_claim(claims, "sub");
  const std::string email = text_claim(claims, settings.email_claim).substr(0, 320);
  const std::string full_name = text_claim(claims, settings.name_claim).substr(0, 200);
  std::string username = text_claim(claims, settings.username_claim);
  if (username.empty()) username = email;
  const std::string claimed_tenant = text_claim(claims, settings.tenant_claim);
  const std::string tenant = claimed_tenant.empty() ? settings.default_tenant : claimed_tenant;
  const auto role = mapped_role(claims, settings);

  auto user = users.find_identity(issuer, subject);
  if (!user) {
    if (!plain_name(username, 128)) {
      refuse(cx, "", tenant,
             fmt::format("the provider gives no usable user name ({} or {}: 1 to 128 characters, no spaces or /)",
                         settings.username_claim, settings.email_claim));
    }
    if (!plain_name(tenant, 64)) refuse(cx, username, "", "the provider's tenant claim is not a tenant name");
    if (!role) refuse(cx, username, tenant, "the provider's claims map to no role of keel and there is no default role");
    if (users.find(username, tenant)) {
      refuse(cx, username, tenant,
             fmt::format("the user name '{}' is taken in tenant '{}' by a user who does not sign in through this "
                         "provider; an administrator must rename one of them",
                         shown_with(username, 64, 0), shown_with(tenant, 64, 0)));
    }
    try {
      user = users.add_identity_user({username, tenant, *role, email, full_name, issuer, subject});
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kConflict) throw;
      user = users.find_identity(issuer, subject);  // a sign-in of the same identity at the same time made it
      if (!user) refuse(cx, username, tenant, e.what());
    }
    audit_sign_in(cx, user->username, user->tenant,
                  {{"method", "single_sign_on"}, {"provisioned", true}, {"role", store::role_name(user->role)}}, "ok");
    return with_provider_session(detail::sign_in_user_of(*user), claims);
  }
  if (user->disabled) refuse(cx, user->username, user->tenant, "the user is disabled");
  if (!claimed_tenant.empty() && claimed_tenant != user->tenant) {
    refuse(cx, user->username, user->tenant,
           fmt::format("the provider now names tenant '{}'; the user belongs to '{}' (an administrator moves users)",
                       shown_with(claimed_tenant, 64, 0), user->tenant));
  }
  if (!role) refuse(cx, user->username, user->tenant, "the provider's claims map to no role of keel and there is no default role");
  if (email != user->email || full_name != user->full_name) users.set_profile(user->id, email, full_name);
  nlohmann::json details = {{"method", "single_sign_on"}};
  if (*role != user->role) {
    users.set_role(user->id, *role);
    details["role"] = {{"from", store::role_name(user->role)}, {"to", store::role_name(*role)}};
  }
  user = users.find_id(user->id);
  audit_sign_in(cx, user->username, user->tenant, details, "ok");
  return with_provider_session(detail::sign_in_user_of(*user), claims);
}

}  // namespace keel::service
