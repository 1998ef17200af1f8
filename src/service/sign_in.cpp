// Signing in and out: the store's side (keel/service/sign_in.h).
#include "keel/service/sign_in.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>

#include "keel/core/error.h"
#include "keel/net/crypto.h"
#include "keel/service/rules.h"
#include "keel/store/store.h"
#include "sign_in_internal.h"

namespace keel::service {

std::optional<SignInUser> sign_in_user(const Context& cx, const std::string& username,
                                       const std::optional<std::string>& tenant) {
  store::UserRepository& users = require_store(cx, "users are stored").users();
  const auto row = tenant ? users.find(username, *tenant) : users.find_signed_in_by_name(username);
  if (!row) return std::nullopt;
  return detail::sign_in_user_of(*row);
}

void audit_sign_in(const Context& cx, const std::string& username, const std::string& tenant,
                   const nlohmann::json& details, std::string_view outcome) {
  Context as = cx;
  as.actor.user = username;
  as.actor.tenant = tenant;
  audit_action(as, "auth.login", fmt::format("user/{}", username), details, outcome);
}

namespace {

constexpr std::size_t kFamilyHex = 32;  // 128 bits, as a jti
constexpr std::size_t kSecretHex = 64;  // 256 bits

// The stored digest of a secret: BLAKE2b-256, hex (a stolen table yields no usable token).
std::string secret_digest(std::string_view secret) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     nullptr, 0);
  char hex[2 * crypto_generichash_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool is_hex(std::string_view text, std::size_t size) {
  return text.size() == size && std::all_of(text.begin(), text.end(), [](char ch) {
           return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
         });
}

// A refresh token's parts: "USERID.FAMILY.SECRET"; nullopt for anything else.
struct RefreshParts {
  std::int64_t user_id = 0;
  std::string family;
  std::string secret;
};
std::optional<RefreshParts> parse_refresh(std::string_view text) {
  const auto a = text.find('.');
  if (a == std::string_view::npos || a == 0 || a > 18) return std::nullopt;
  const auto b = text.find('.', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  RefreshParts out;
  for (const char ch : text.substr(0, a)) {
    if (ch < '0' || ch > '9') return std::nullopt;
    out.user_id = out.user_id * 10 + (ch - '0');
  }
  out.family = std::string(text.substr(a + 1, b - a - 1));
  out.secret = std::string(text.substr(b + 1));
  if (!is_hex(out.family, kFamilyHex) || !is_hex(out.secret, kSecretHex)) return std::nullopt;
  return out;
}

void audit_refresh(const Context& cx, const std::string& username, const std::string& tenant,
                   const std::string& reason) {
  Context as = cx;
  as.actor.user = username;
  as.actor.tenant = tenant;
  audit_action(as, "auth.refresh", fmt::format("user/{}", username),
               reason.empty() ? nlohmann::json::object() : nlohmann::json{{"reason", reason}, {"status", 401}},
               reason.empty() ? "ok" : "denied");
}

}  // namespace

SessionTokens start_session(const Context& cx, const SignInUser& user, std::int64_t now,
                            const SessionSettings& settings, const IssueAccessToken& issue) {
  SessionTokens out;
  if (settings.idle_seconds <= 0) {
    out.access = issue(user, "");
    return out;
  }
  Store& store = require_store(cx, "sign-ins are kept in the store");
  const std::string family = net::random_hex(kFamilyHex / 2);
  const std::string secret = net::random_hex(kSecretHex / 2);
  out.access = issue(user, family);
  store::RefreshTokenRow row;
  row.user_id = user.id;
  row.family = family;
  row.token_hash = secret_digest(secret);
  row.access_jti = out.access.jti;
  row.access_expires_at = out.access.expires_at;
  row.issued_at = now;
  row.family_expires_at = now + std::max(settings.absolute_seconds, settings.idle_seconds);
  row.expires_at = std::min(now + settings.idle_seconds, row.family_expires_at);
  row.provider_session = user.provider_session;
  store.users().add_refresh_token(user.tenant, row);
  out.refresh_token = fmt::format("{}.{}.{}", user.id, family, secret);
  out.refresh_expires_at = row.expires_at;
  out.session_expires_at = row.family_expires_at;
  return out;
}

RefreshAnswer refresh_session(const Context& cx, const std::string& refresh_token, std::int64_t now,
                               const SessionSettings& settings, const IssueAccessToken& issue) {
  RefreshAnswer out;
  const auto parts = parse_refresh(refresh_token);
  if (!parts || settings.idle_seconds <= 0) {
    out.refusal = "not a refresh token";
    audit_refresh(cx, "", "", out.refusal);
    return out;
  }
  Store& store = require_store(cx, "sign-ins are kept in the store");
  const auto row = store.users().find_id(parts->user_id);
  const auto refuse = [&](std::string reason) {
    out.refusal = std::move(reason);
    audit_refresh(cx, row ? row->username : "", row ? row->tenant : "", out.refusal);
    return out;
  };
  if (!row) return refuse("unknown or ended refresh token");
  const SignInUser user = detail::sign_in_user_of(*row);
  // The access token is made first (it carries the family): unused when the refresh is refused.
  const IssuedToken access = issue(user, parts->family);
  store::RefreshTokenRow next;
  const std::string secret = net::random_hex(kSecretHex / 2);
  next.token_hash = secret_digest(secret);
  next.access_jti = access.jti;
  next.access_expires_at = access.expires_at;
  auto used = store.users().use_refresh_token(user.id, secret_digest(parts->secret), now, settings.idle_seconds,
                                              std::move(next));
  switch (used.outcome) {
    case store::RefreshOutcome::kUnknown:
      return refuse("unknown or ended refresh token");
    case store::RefreshOutcome::kExpired:
      return refuse("the sign-in has expired; sign in again");
    case store::RefreshOutcome::kReused:
      out.revoked = std::move(used.revoked);
      return refuse("refresh token used twice: the sign-in is ended");
    case store::RefreshOutcome::kRotated:
      break;
  }
  if (user.disabled) {  // a disabled user's rows are deleted with the change; this is the belt
    store.users().end_refresh_family(user.tenant, user.id, parts->family, now);
    return refuse("the user is disabled");
  }
  SessionTokens tokens;
  tokens.access = access;
  tokens.refresh_token = fmt::format("{}.{}.{}", user.id, parts->family, secret);
  tokens.refresh_expires_at = used.next.expires_at;
  tokens.session_expires_at = used.next.family_expires_at;
  out.tokens = std::move(tokens);
  out.user = user;
  out.user.password_hash.clear();
  audit_refresh(cx, user.username, user.tenant, "");
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> sign_out(const Context& cx, const SignedInToken& token) {
  Store& store = require_store(cx, "tokens are revoked in the store");
  std::vector<std::pair<std::string, std::int64_t>> revoked{{token.token_id, token.expires_at}};
  store.users().revoke_token(cx.actor.tenant, token.user_id, token.token_id, token.expires_at);
  if (!token.session.empty()) {
    const std::int64_t now = cx.env.clock.unix_seconds();
    for (auto& r : store.users().end_refresh_family(cx.actor.tenant, token.user_id, token.session, now)) {
      if (r.first != token.token_id) revoked.push_back(std::move(r));
    }
  }
  audit_action(cx, "auth.logout", fmt::format("user/{}", cx.actor.user), nlohmann::json::object(), "ok");
  return revoked;
}

}  // namespace keel::service
