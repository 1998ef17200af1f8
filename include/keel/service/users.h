// keel/service/users.h: the users of keel serve — add, list, disable or enable, change a role or a
// password — the use cases behind `keel user ...` and /api/v1/users (one JSON shape for both, from
// the described requests and results below).
//
// Who may do what is the face's business: the server lets a manager manage its own tenant's
// non-admin users only (src/server/user_routes.cpp); the command line owns the store and may do
// everything. Passwords are hashed by the face's hasher (Argon2id: keel serve's budgeted hasher,
// keel/server/auth.h; the keel command's hash_password below) and never leave the use case
// otherwise; results carry no hash.
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
#include "keel/service/rules.h"
#include "keel/service/spec.h"
#include "keel/store/user_repository.h"

namespace keel::service {

inline constexpr std::array<spec::Choice<Role>, 4> kRoleNames = {{{Role::kAdmin, "admin"},
                                                                  {Role::kManager, "manager"},
                                                                  {Role::kAnalyst, "analyst"},
                                                                  {Role::kViewer, "viewer"}}};

// A user as the faces show it (never its password hash).
struct UserResult {
  std::int64_t id = 0;
  std::string username;
  std::string tenant;
  Role role = Role::kViewer;
  bool disabled = false;
  std::string created_at;
  std::string updated_at;
  bool sign_in_by_name = true;
  std::string email;
  std::string full_name;
  std::string sign_in;  // "password" or "single_sign_on"
  static constexpr const char* kSchemaName = "User";
  static UserResult of(const store::UserRecord& u) {
    return {u.id,           u.username,        u.tenant,  u.role,      u.disabled,
            u.created_at,   u.updated_at,      u.sign_in_by_name,      u.email,
            u.full_name,    u.identity_issuer.empty() ? "password" : "single_sign_on"};
  }
  template <class V, class S>
  static void fields(V& v, S& s);
};

// What managing users needs and writes (keel/service/rules.h). Beyond the permission: a manager
// manages its own tenant's users only (another tenant's user is not_found, as if it did not
// exist), never an admin nor makes one; an admin manages every tenant; nobody disables, enables or
// changes the role of themselves (an administrator could otherwise lock every administrator out).
inline constexpr UseCase kUserList{"list users", Permission::kManageUsers, ""};
inline constexpr UseCase kUserCreate{"add users", Permission::kManageUsers, "user.create"};
inline constexpr UseCase kUserDisable{"disable users", Permission::kManageUsers, "user.disable"};
inline constexpr UseCase kUserEnable{"enable users", Permission::kManageUsers, "user.enable"};
inline constexpr UseCase kUserRole{"change users' roles", Permission::kManageUsers, "user.role"};
inline constexpr UseCase kUserPassword{"set users' passwords", Permission::kManageUsers, "user.passwd"};

// The user a change names: by id (over HTTP, the path's {id}) or by name (the keel command), in
// `tenant` when given (user names are unique per tenant; a manager's own tenant whatever is given).
struct UserRef {
  std::optional<std::int64_t> id;
  std::string name;
  std::optional<std::string> tenant;
};

// `keel user list [--tenant]`, GET /api/v1/users?tenant= (with the page of the query string).
struct UserListRequest {
  std::optional<std::string> tenant;
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The users of a tenant, by id: an admin's the named tenant's (all tenants when none is named), a
// manager's its own tenant's. Throws forbidden (kUserList), as require_store.
spec::ItemsOf<UserResult> list_users(const Context& cx, const UserListRequest& request);

// `keel user add NAME --role R [--tenant T] --password-stdin`, POST /api/v1/users.
struct CreateUserRequest {
  std::string username;
  std::string password;  // HTTP: the body's; the command line reads standard input, never argv
  Role role = Role::kViewer;
  std::optional<std::string> tenant;
  static constexpr const char* kSchemaName = "CreateUserRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Turns a password into the PHC string stored (the face's Argon2id hasher, keel/server/auth.h).
using PasswordHash = std::function<std::string(const std::string& password)>;

// The keel command's PasswordHash: Argon2id (RFC 9106) at libsodium's interactive cost — 2 passes
// over 64 MiB, keel serve's default — as a PHC string keel serve verifies. Throws keel::Error:
// invalid_input for a password shorter than 8 or longer than 1024 bytes, internal when libsodium
// runs out of memory.
std::string hash_password(const std::string& password);

// Adds the user in request.tenant (the actor's tenant when none); audited as user.create
// (resource user/ID, details username, tenant, role). Throws keel::Error: forbidden (kUserCreate; a
// manager naming another tenant or the admin role), invalid_input for an empty name or a password
// under 8 characters (every problem at once, by field), conflict when the name is taken.
UserResult create_user(const Context& cx, const CreateUserRequest& request, const PasswordHash& hash);

// `keel user disable|enable NAME` (by name), POST /api/v1/users/{id}/disable|enable (by id).
// Revokes the user's tokens; audited as user.disable or user.enable (resource user/ID, details
// username). Throws keel::Error: forbidden, not_found, conflict (the actor itself) as above.
UserResult set_user_disabled(const Context& cx, const UserRef& user, bool disabled);

// POST /api/v1/users/{id}/role.
struct SetRoleRequest {
  Role role = Role::kViewer;
  static constexpr const char* kSchemaName = "SetRoleRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Revokes the user's tokens; audited as user.role (resource user/ID, details username, from, to).
// Throws keel::Error: forbidden (a manager making an admin), not_found, conflict as above.
UserResult set_user_role(const Context& cx, const UserRef& user, const SetRoleRequest& request);

// `keel user passwd NAME --password-stdin`.
struct PasswordChangeResult {
  std::string username;
  bool password_changed = true;
  static constexpr const char* kSchemaName = "PasswordChangeResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Sets the password (revoking the user's tokens); audited as user.passwd (resource user/ID,
// details username). Throws keel::Error: invalid_input for a password under 8 characters,
// forbidden and not_found as above.
PasswordChangeResult set_user_password(const Context& cx, const UserRef& user, const std::string& password,
                                       const PasswordHash& hash);

// POST /api/v1/me/password: a signed-in user changes their own password, giving the current one.
inline constexpr UseCase kOwnPassword{"change their own password", Permission::kRead, "user.password.change"};

struct OwnPasswordRequest {
  std::string current_password;
  std::string new_password;
  static constexpr const char* kSchemaName = "OwnPasswordRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Whether `password` matches the stored hash (the server's hash pool: Argon2id, timed).
using PasswordCheck = std::function<bool(const std::string& stored_hash, const std::string& password)>;

// The actor's own password, after `check` accepts the current one: every token of the user is
// revoked (the face issues the caller a new one). Audited as user.password.change (resource
// user/ID), a wrong current password too (outcome "denied"). Throws keel::Error: forbidden for a
// wrong current password (the face counts it as a failed login), invalid_input for a new password
// under 8 characters or equal to the current one, not_found when the actor is no stored user.
PasswordChangeResult change_own_password(const Context& cx, const OwnPasswordRequest& request,
                                         const PasswordCheck& check, const PasswordHash& hash);

}  // namespace keel::service
