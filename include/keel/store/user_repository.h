// keel/store/user_repository.h: users of the HTTP service.
//
// A user has a name unique within its tenant, belongs to one tenant (the `tenants` table of the
// foundation; created on first use), has one role and an argon2id password hash (the PHC string
// libsodium produces; the repository never sees a clear password). A user that signs in by its
// name alone (`sign_in_by_name`: every user of before migration 87, and those an admin or the
// operator adds) holds that name across tenants: no other such user has it. A user added by a
// manager signs in with its tenant and name, so whether another tenant has a user of that name
// changes nothing a manager sees (docs/security.md, "User names and tenants"). `token_version` grows on every password change,
// role change, disable and enable, which revokes the tokens issued before (the token carries the
// version).
//
// Token revocations (`token_revocations`, migration 70) are an append-only journal that every
// server of a store polls: a signed-out token (its `jti`), and every change of a user row (jti
// NULL: "re-read this user; its earlier tokens are void"). Each change of a user row appends its
// journal row in the same transaction. Rows are numbered in commit order (PostgreSQL: writers take
// one advisory lock before numbering theirs; SQLite: one writer at a time), so a reader that has
// seen row N has seen every row below N, and `revocations_since(N)` misses nothing.
//
// UserRepository is a concrete class, written once over the store's SQL connection (either
// backend); Store::users() hands it out. created_at/updated_at come from the store's Clock.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keel/core/role.h"

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

// A user's role is the service's rule as much as the store's column: it is defined below both.
using Role = keel::Role;

std::string_view role_name(Role role);  // "admin", "manager", "analyst", "viewer"
std::optional<Role> parse_role(std::string_view text);

// How long the journal keeps the row of an account change (jti NULL): a server that has not read
// the journal for half of this re-reads every user instead (server/auth.h, AuthCache).
inline constexpr std::int64_t kAccountChangeRetentionSeconds = 24 * 3600;

// One row of the token revocation journal.
struct TokenRevocation {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::optional<std::string> jti;  // one token; nullopt: the user's row changed (every earlier token)
  std::int64_t expires_at = 0;     // epoch seconds; the row is pruned after this
};

// One refresh token as kept (table refresh_tokens, migration 95): only the digest of its secret.
// A sign-in starts a family; each refresh marks the presented row used and adds the next one.
struct RefreshTokenRow {
  std::int64_t user_id = 0;
  std::string family;                  // 32 hex digits, the access tokens' sid
  std::string token_hash;              // BLAKE2b-256 of the secret, 64 hex digits
  std::string access_jti;              // the access token issued with this one
  std::int64_t access_expires_at = 0;  // epoch seconds
  std::int64_t issued_at = 0;
  std::int64_t expires_at = 0;         // the idle end: issued + idle, never past family_expires_at
  std::int64_t family_expires_at = 0;  // the sign-in's absolute end
  // A single sign-on's: the provider's session of the sign-in (its issuer and the ID token's sid,
  // a line apart; migration 104), kept by every row of the family; "" otherwise.
  std::string provider_session;
};

// A sign-in (a refresh family) of some tenant's user.
struct SignInFamily {
  std::int64_t user_id = 0;
  std::string tenant;
  std::string family;
};

// What presenting a refresh token found.
enum class RefreshOutcome {
  kRotated,  // it stood: marked used, the next row kept
  kUnknown,  // no such token (never issued, or its family ended)
  kExpired,  // past its idle or absolute end: the family is deleted
  kReused,   // already used once: the family is deleted and its access tokens revoked
};

struct RefreshUse {
  RefreshOutcome outcome = RefreshOutcome::kUnknown;
  std::string tenant;             // the user's (empty for kUnknown of an unknown user)
  RefreshTokenRow next;           // kRotated: the row kept
  // kReused: the access tokens of the family still unexpired, now in the revocation journal.
  std::vector<std::pair<std::string, std::int64_t>> revoked;  // (jti, expires_at)
};

struct UserRecord {
  std::int64_t id = 0;
  std::string username;
  std::string tenant;
  Role role = Role::kViewer;
  std::string password_hash;  // PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash)
  bool disabled = false;
  std::int64_t token_version = 1;
  std::string created_at;  // ISO-8601 UTC
  std::string updated_at;
  bool sign_in_by_name = true;  // signs in by its name alone (else with its tenant and name)
  std::string email;            // the identity provider's claim at the last sign-in ("" when none)
  std::string full_name;        // the same
  std::string identity_issuer;  // the provider that signs the user in ("" for a user with a password)
};

// A user provisioned at its first single sign-on (keel/service/single_sign_on.h): no password
// (its hash is ''), signing in with its tenant and name, named for good by (issuer, subject).
struct IdentityUser {
  std::string username;
  std::string tenant;
  Role role = Role::kViewer;
  std::string email;
  std::string full_name;
  std::string issuer;
  std::string subject;
};

// A sign-in gone to the identity provider and not yet back (table sign_in_requests, migration 98).
struct SignInRequestRow {
  std::string state_hash;  // SHA-256 of the state, base64url: the state itself is never kept
  std::string nonce;
  std::string code_verifier;
  std::int64_t created_at = 0;  // epoch seconds
  std::int64_t expires_at = 0;
};

class UserRepository {
 public:
  UserRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Creates the user (and the tenant when new). Throws Error::conflict when the tenant has a user
  // of that name, or — `sign_in_by_name` only — another tenant has one that signs in by it;
  // invalid_input for an empty name or tenant.
  UserRecord add(const std::string& username, const std::string& tenant, Role role,
                 const std::string& password_hash, bool sign_in_by_name = true);
  // The user named `username`: the one signing in by that name, else the only user of that name.
  // Throws Error::conflict when several tenants have one and none signs in by it (the keel
  // command's user names; name the tenant).
  std::optional<UserRecord> find(const std::string& username);
  // `tenant`'s user named `username`.
  std::optional<UserRecord> find(const std::string& username, const std::string& tenant);
  // The user signing in by `username` alone, if one does (a login naming no tenant).
  std::optional<UserRecord> find_signed_in_by_name(const std::string& username);
  std::optional<UserRecord> find_id(std::int64_t id);
  // All users (tenant empty) or those of one tenant, by id.
  std::vector<UserRecord> list(const std::optional<std::string>& tenant);
  // Each throws Error::not_found for an unknown user, bumps token_version and appends an account
  // change to the revocation journal (jti NULL, kept kAccountChangeRetentionSeconds), in one
  // transaction.
  // By id, or by name as find(username) finds it.
  void set_disabled(std::int64_t id, bool disabled);
  void set_password(std::int64_t id, const std::string& password_hash);
  void set_role(std::int64_t id, Role role);
  void set_disabled(const std::string& username, bool disabled);
  void set_password(const std::string& username, const std::string& password_hash);
  void set_role(const std::string& username, Role role);
  std::size_t count();
  // Ends every sign-in of the user (a provider's back-channel logout): token_version bumped, an
  // account change journaled and the refresh tokens deleted, as the changes above do.
  void end_sessions(std::int64_t id);

  // Appends the revocation of one token (its jti) of a user of `tenant`, kept until `expires_at`
  // (epoch seconds: the token's own expiry). Throws Error::invalid_input for an empty jti.
  void revoke_token(const std::string& tenant, std::int64_t user_id, const std::string& jti,
                    std::int64_t expires_at);
  // Journal rows with id > `after`, ascending, at most `limit` (every tenant's).
  std::vector<TokenRevocation> revocations_since(std::int64_t after, std::size_t limit);
  // Deletes rows that expired before `now_epoch`, except the newest row (so numbering never
  // restarts below what readers have seen). Returns how many were deleted.
  std::size_t prune_revocations(std::int64_t now_epoch);

  // Refresh tokens (src/store/refresh_tokens.cpp). Keeps the first row of a family (a sign-in) and
  // deletes the user's rows of families that ended before row.issued_at.
  void add_refresh_token(const std::string& tenant, const RefreshTokenRow& row);
  // Presents the token of user `user_id` whose secret digests to `token_hash`, at `now` (epoch
  // seconds), in one transaction: when it stands, marks it used and keeps `next` in its family
  // (next.family, family_expires_at and expires_at are set here: the idle end is now +
  // `idle_seconds`, capped by the family's end). The other outcomes: RefreshOutcome.
  RefreshUse use_refresh_token(std::int64_t user_id, const std::string& token_hash, std::int64_t now,
                               std::int64_t idle_seconds, RefreshTokenRow next);
  // Ends a family (sign-out): deletes its rows and journals the revocation of its access tokens
  // still unexpired at `now`, which it returns as (jti, expires_at).
  std::vector<std::pair<std::string, std::int64_t>> end_refresh_family(const std::string& tenant,
                                                                       std::int64_t user_id,
                                                                       const std::string& family, std::int64_t now);
  // The sign-ins that belong to the identity provider's session `provider_session` (as
  // RefreshTokenRow keeps it), in every tenant; none for "".
  std::vector<SignInFamily> provider_session_families(const std::string& provider_session);
  // The user's families not yet ended at `now`.
  std::size_t live_refresh_families(const std::string& tenant, std::int64_t user_id, std::int64_t now);

  // Single sign-on (migration 98). The user the provider `issuer` names `subject`, whatever its
  // tenant; nullopt when none.
  std::optional<UserRecord> find_identity(const std::string& issuer, const std::string& subject);
  // Creates a user from its identity (and its tenant when new). Throws Error::conflict when the
  // tenant has a user of that name, or the identity belongs to a user already.
  UserRecord add_identity_user(const IdentityUser& user);
  // Keeps the e-mail and name the provider gave at a sign-in (no token changes: they grant nothing).
  void set_profile(std::int64_t id, const std::string& email, const std::string& full_name);
  // Keeps a pending sign-in, deleting the rows expired by row.created_at.
  void add_sign_in_request(const SignInRequestRow& row);
  // Takes the pending sign-in of `state_hash` (deleting it: a state is good once); nullopt when
  // there is none or it expired before `now`.
  std::optional<SignInRequestRow> take_sign_in_request(const std::string& state_hash, std::int64_t now);

  // A user's saved preferences (a JSON object's text; keel/service/preferences.h reads it), or
  // nullopt when the user has saved none. Table user_preferences (migration 89).
  std::optional<std::string> preferences(const std::string& tenant, const std::string& username);
  // Saves them, replacing what was saved.
  void set_preferences(const std::string& tenant, const std::string& username, const std::string& json);

 private:
  std::int64_t id_of(const std::string& username);  // find(username)'s id; not_found when none
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
