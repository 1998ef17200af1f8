// Signing in and out: the store's side (keel/service/sign_in.h).
#include "keel/service/sign_in.h"

#include <fmt/format.h>

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

void sign_out(const Context& cx, const SignedInToken& token) {
  Store& store = require_store(cx, "tokens are revoked in the store");
  store.users().revoke_token(cx.actor.tenant, token.user_id, token.token_id, token.expires_at);
  audit_action(cx, "auth.logout", fmt::format("user/{}", cx.actor.user), nlohmann::json::object(), "ok");
}

}  // namespace keel::service
