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
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  std::string identity_issuer;  // the identity provider that signs the user in ("" : a password user)
  std::string email;
  std::string full_name;
  // This sign-in's session at the identity provider (single sign-on whose ID token has a sid: its
  // issuer and sid, a line apart), kept with the sign-in so that the provider's logout of that
  // session ends it; "" otherwise.
  std::string provider_session;
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

// An access token as the server's TokenService issues it.
struct IssuedToken {
  std::string token;
  std::int64_t expires_at = 0;  // epoch seconds
  std::string jti;              // the token's id: 128 random bits, 32 hex digits
};

// Issues an access token for `user` whose sid claim is `session` (a refresh family; "" for none).
using IssueAccessToken = std::function<IssuedToken(const SignInUser& user, const std::string& session)>;

// How long a sign-in lasts (keel serve --refresh-idle, --refresh-absolute; docs/security.md,
// "Sessions and refresh tokens"). A refresh token unused for `idle_seconds` ends its sign-in, and
// no sign-in outlives `absolute_seconds` from its login. idle_seconds 0: no refresh tokens.
struct SessionSettings {
  std::int64_t idle_seconds = 8 * 3600;
  std::int64_t absolute_seconds = 24 * 3600;
};

// What a login or a refresh hands the client: the access token and, with refresh tokens on, the
// refresh token ("USERID.FAMILY.SECRET": 64 hex digits of secret; only its digest is stored) and
// when it ends (its idle end, capped by the sign-in's absolute end).
struct SessionTokens {
  IssuedToken access;
  std::string refresh_token;           // "" when refresh tokens are off
  std::int64_t refresh_expires_at = 0;  // epoch seconds
  std::int64_t session_expires_at = 0;  // the sign-in's absolute end
};

// Starts a sign-in of `user` (whose password the caller checked) at `now`: a new refresh family
// and its first token, and the access token issued for it. Throws Error::usage without a store.
SessionTokens start_session(const Context& cx, const SignInUser& user, std::int64_t now,
                            const SessionSettings& settings, const IssueAccessToken& issue);

// A refresh: the presented token rotated and a new access token, or the reason it was refused.
struct RefreshAnswer {
  std::optional<SessionTokens> tokens;  // nullopt: refused
  SignInUser user;                      // whom they were issued to (password_hash cleared)
  std::string refusal;                  // why, as the 401 says it
  // Access tokens revoked because the refresh token was reused (jti, expires_at): the caller
  // forgets them at once (every other server reads the journal within its poll).
  std::vector<std::pair<std::string, std::int64_t>> revoked;
};

// Presents `refresh_token` at `now`: rotates it when it stands (the user, re-read, must exist and
// be enabled; the new access token carries the user's current role). A token used before ends its
// whole family and revokes the family's access tokens (reuse detection, RFC 9700 §4.14.2); an
// expired or unknown one is refused. Appends auth.refresh (outcome ok, or denied with the reason;
// never the token). Throws Error::usage without a store.
RefreshAnswer refresh_session(const Context& cx, const std::string& refresh_token, std::int64_t now,
                               const SessionSettings& settings, const IssueAccessToken& issue);

// The token a signed-in user signs out with: its id (jti), when it expires (epoch seconds) and
// its sign-in's refresh family (sid; "" for a token issued without one).
struct SignedInToken {
  std::int64_t user_id = 0;
  std::string token_id;
  std::int64_t expires_at = 0;
  std::string session;
};

// Revokes the actor's token until it expires (every server of the store sees it within its
// revocation poll), ends its refresh family (its refresh tokens deleted, its other access tokens
// revoked) and appends auth.logout (resource user/USERNAME, details {}). Returns the access tokens
// revoked (jti, expires_at), the actor's own first. Throws Error::usage without a store.
std::vector<std::pair<std::string, std::int64_t>> sign_out(const Context& cx, const SignedInToken& token);

}  // namespace keel::service
