// keel/service/users.h: the users of keel serve — add, list, disable or enable, change a role or a
// password — the use cases behind `keel user ...` and /api/v1/users (one JSON shape for both, from
// the described requests and results below).
//
// Who may do what is the face's business: the server lets a manager manage its own tenant's
// non-admin users only (src/server/user_routes.cpp); the command line owns the store and may do
// everything. Passwords are hashed by the face's hasher (Argon2id, keel/server/auth.h) and never
// leave the use case otherwise; results carry no hash.
//
// Disabling, enabling, a role change and a password change revoke every token the user holds, on
// every server of the store, whichever face made them: the repository increments the user's
// token_version and appends to the token revocation journal in one transaction
// (keel/store/user_repository.h), which each server reads at most every 250 ms.
//
// Thread-safety: stateless; the Store of the Context must not be used concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/spec.h"
#include "keel/store/user_repository.h"

namespace keel::service {

inline constexpr std::array<spec::Choice<store::Role>, 4> kRoleNames = {{{store::Role::kAdmin, "admin"},
                                                                        {store::Role::kManager, "manager"},
                                                                        {store::Role::kAnalyst, "analyst"},
                                                                        {store::Role::kViewer, "viewer"}}};

// A user as the faces show it (never its password hash).
struct UserResult {
  std::int64_t id = 0;
  std::string username;
  std::string tenant;
  store::Role role = store::Role::kViewer;
  bool disabled = false;
  std::string created_at;
  std::string updated_at;
  static constexpr const char* kSchemaName = "User";
  static UserResult of(const store::UserRecord& u) {
    return {u.id, u.username, u.tenant, u.role, u.disabled, u.created_at, u.updated_at};
  }
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "id"}, s.id);
    v.field({.name = "username"}, s.username);
    v.field({.name = "tenant"}, s.tenant);
    v.choice({.name = "role"}, s.role, kRoleNames);
    v.field({.name = "disabled", .help = "A disabled user cannot sign in; its tokens are revoked"}, s.disabled);
    v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
    v.field({.name = "updated_at", .help = "ISO-8601 UTC"}, s.updated_at);
  }
};

// `keel user list [--tenant]`, GET /api/v1/users?tenant= (with the page of the query string).
struct UserListRequest {
  std::optional<std::string> tenant;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "tenant", .help = "Only this tenant's users (over HTTP: admins; others see their own tenant)"},
            s.tenant);
  }
};

// The users of a tenant (all tenants when none is named), by id. Throws as require_store.
spec::ItemsOf<UserResult> list_users(const Context& cx, const UserListRequest& request);

// `keel user add NAME --role R [--tenant T] --password-stdin`, POST /api/v1/users.
struct CreateUserRequest {
  std::string username;
  std::string password;  // HTTP: the body's; the command line reads standard input, never argv
  store::Role role = store::Role::kViewer;
  std::optional<std::string> tenant;
  static constexpr const char* kSchemaName = "CreateUserRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "username", .help = "User name (unique)", .required = true, .cli_positional = true},
            s.username);
    v.field({.name = "password", .help = "At least 8 characters", .faces = spec::kHttp, .required = true},
            s.password);
    v.choice({.name = "role", .help = "What the user may do", .required = true}, s.role, kRoleNames);
    v.field({.name = "tenant",
             .help = "The user's tenant, created when new (default: the caller's; over HTTP only admins name "
                     "another)"},
            s.tenant);
  }
};

// Turns a password into the PHC string stored (the face's Argon2id hasher, keel/server/auth.h).
using PasswordHash = std::function<std::string(const std::string& password)>;

// Adds the user in request.tenant (the default tenant when none). Throws keel::Error:
// invalid_input for an empty name or a password under 8 characters (every problem at once, by
// field), conflict when the name is taken.
UserResult create_user(const Context& cx, const CreateUserRequest& request, const PasswordHash& hash);

// `keel user disable|enable NAME` (by name), POST /api/v1/users/{id}/disable|enable (by id).
// Revokes the user's tokens. Throws keel::Error(not_found) for an unknown user.
UserResult set_user_disabled(const Context& cx, const std::string& username, bool disabled);

// POST /api/v1/users/{id}/role.
struct SetRoleRequest {
  store::Role role = store::Role::kViewer;
  static constexpr const char* kSchemaName = "SetRoleRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.choice({.name = "role", .help = "The user's new role", .required = true}, s.role, kRoleNames);
  }
};

// Revokes the user's tokens. Throws keel::Error(not_found) for an unknown user.
UserResult set_user_role(const Context& cx, const std::string& username, const SetRoleRequest& request);

// `keel user passwd NAME --password-stdin`.
struct PasswordChangeResult {
  std::string username;
  bool password_changed = true;
  static constexpr const char* kSchemaName = "PasswordChangeResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "password_changed"}, s.password_changed);
    v.field({.name = "username"}, s.username);
  }
};

// Sets the password (revoking the user's tokens). Throws keel::Error: invalid_input for a password
// under 8 characters, not_found for an unknown user.
PasswordChangeResult set_user_password(const Context& cx, const std::string& username, const std::string& password,
                                       const PasswordHash& hash);

}  // namespace keel::service
