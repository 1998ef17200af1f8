// keel/service/sign_in.h: what signing in and out of keel serve reads and writes in the store —
// the user row a password is checked against, the auth.login audit rows, and the revocation of a
// signed-out token. The password check, the throttles and the token itself are the server's
// (keel/server/auth.h): this module only keeps the routes of /api/v1/auth away from the store.
//
// Authentication audits itself (no use case acts before a user is known): auth.login rows name
// the user name as typed, auth.logout the signed-in user (docs/security.md, "The audit log").
//
// Thread-safety: stateless; see the Context's store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "keel/core/role.h"
#include "keel/service/context.h"

namespace keel::service {

// A user as signing in and checking a token see it.
struct SignInUser {
  std::int64_t id = 0;
  std::string username;
  std::string tenant;
  Role role = Role::kViewer;
  std::string password_hash;  // PHC string ($argon2id$...); empty where it is not needed
  bool disabled = false;
  std::int64_t token_version = 1;
};

// The user signing in as `username` of `tenant`, or — no tenant given — the user who signs in by
// `username` alone (keel/store/user_repository.h: names are unique per tenant, and only users an
// admin or the operator added sign in without their tenant); nullopt when there is none. Throws
// Error::usage without a store.
std::optional<SignInUser> sign_in_user(const Context& cx, const std::string& username,
                                       const std::optional<std::string>& tenant = std::nullopt);

// Appends an auth.login row (resource user/USERNAME) for a sign-in attempt by `username` in
// `tenant` ("" when unknown), with the Context's client address and request id; outcome "ok",
// "failed" or "denied", details the reason of a refusal (never the password).
void audit_sign_in(const Context& cx, const std::string& username, const std::string& tenant,
                   const nlohmann::json& details, std::string_view outcome);

// The token a signed-in user signs out with: its id (jti) and when it expires (epoch seconds).
struct SignedInToken {
  std::int64_t user_id = 0;
  std::string token_id;
  std::int64_t expires_at = 0;
};

// Revokes the actor's token until it expires (every server of the store sees it within its
// revocation poll) and appends auth.logout (resource user/USERNAME, details {}). Throws
// Error::usage without a store.
void sign_out(const Context& cx, const SignedInToken& token);

}  // namespace keel::service
