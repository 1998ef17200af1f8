// User use cases (keel/service/users.h).
#include "keel/service/users.h"

#include <fmt/format.h>
#include <sodium.h>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using store::Role;

constexpr std::size_t kMinPasswordChars = 8;

// The problem with a password, "" when it is long enough.
std::string password_problem(const std::string& password) {
  return password.size() < kMinPasswordChars ? "password: expected at least 8 characters" : "";
}

store::UserRepository& users_of(const Context& cx) { return require_store(cx, "users").users(); }

bool is_admin(const Context& cx) { return cx.actor.role == Role::kAdmin; }

// "42" (by id), "'alice'" (by name).
std::string ref_text(const UserRef& ref) { return ref.id ? fmt::format("{}", *ref.id) : shown_with(ref.name, 64, '\''); }

// The user `ref` names as the actor may manage it for `what` ("disable"): another tenant's user
// is not_found to a manager (as if it did not exist), an admin is forbidden to a manager, and the
// actor itself is a conflict.
store::UserRecord managed_user(const Context& cx, const UseCase& use_case, const UserRef& ref, const char* what) {
  authorize(cx, use_case, ref.id ? fmt::format("user/{}", *ref.id) : "user/" + shown_with(ref.name, 64, 0));
  store::UserRepository& repo = users_of(cx);
  // By name: in the tenant named (a manager's own, always), else the user signing in by that name
  // or the only one of that name (names are unique per tenant; an admin sees every tenant).
  const std::optional<std::string> tenant = is_admin(cx) ? ref.tenant : std::optional<std::string>(cx.actor.tenant);
  const auto user = ref.id ? repo.find_id(*ref.id) : tenant ? repo.find(ref.name, *tenant) : repo.find(ref.name);
  if (!user || (!is_admin(cx) && user->tenant != cx.actor.tenant)) {
    throw Error::not_found("no user " + ref_text(ref));
  }
  if (!is_admin(cx) && user->role == Role::kAdmin) {
    refuse(cx, use_case, fmt::format("user/{}", user->id), fmt::format("only an admin may {} an admin", what));
  }
  if (user->username == cx.actor.user && user->tenant == cx.actor.tenant) {
    throw Error::conflict(fmt::format("you may not {} yourself", what));
  }
  return *user;
}

UserResult reread(store::UserRepository& repo, std::int64_t id) {
  const auto u = repo.find_id(id);
  if (!u) throw Error::not_found(fmt::format("no user {}", id));
  return UserResult::of(*u);
}

}  // namespace

spec::ItemsOf<UserResult> list_users(const Context& cx, const UserListRequest& request) {
  authorize(cx, kUserList, "users");
  const std::optional<std::string> tenant = is_admin(cx) ? request.tenant : cx.actor.tenant;
  spec::ItemsOf<UserResult> out;
  for (const auto& u : users_of(cx).list(tenant)) out.items.push_back(UserResult::of(u));
  return out;
}

UserResult create_user(const Context& cx, const CreateUserRequest& request, const PasswordHash& hash) {
  authorize(cx, kUserCreate, "users");
  if (!is_admin(cx)) {
    if (request.tenant && *request.tenant != cx.actor.tenant) {
      refuse(cx, kUserCreate, "users", "a manager adds users to its own tenant only");
    }
    if (request.role == Role::kAdmin) refuse(cx, kUserCreate, "users", "only an admin may create an admin");
  }
  std::vector<std::string> problems;
  if (request.username.empty()) problems.push_back("username: expected a non-empty name");
  if (auto p = password_problem(request.password); !p.empty()) problems.push_back(std::move(p));
  if (!problems.empty()) throw Error::invalid_input("invalid user", problems);
  store::UserRepository& repo = users_of(cx);
  // A user an admin (or the operator) adds signs in by its name alone, which must then be free in
  // every tenant: an admin sees every tenant anyway. A manager's user signs in with its tenant, and
  // its name need only be free in the manager's tenant, so the answer never depends on another
  // tenant's users (docs/security.md, "User names and tenants").
  const UserResult u =
      UserResult::of(repo.add(request.username, request.tenant.value_or(cx.actor.tenant), request.role,
                              hash(request.password), /*sign_in_by_name=*/is_admin(cx)));
  audit(cx, kUserCreate, fmt::format("user/{}", u.id),
        {{"username", u.username}, {"tenant", u.tenant}, {"role", store::role_name(u.role)}});
  return u;
}

UserResult set_user_disabled(const Context& cx, const UserRef& ref, bool disabled) {
  const UseCase& use_case = disabled ? kUserDisable : kUserEnable;
  const store::UserRecord user = managed_user(cx, use_case, ref, disabled ? "disable" : "enable");
  store::UserRepository& repo = users_of(cx);
  repo.set_disabled(user.id, disabled);
  audit(cx, use_case, fmt::format("user/{}", user.id), {{"username", user.username}});
  return reread(repo, user.id);
}

UserResult set_user_role(const Context& cx, const UserRef& ref, const SetRoleRequest& request) {
  const store::UserRecord user = managed_user(cx, kUserRole, ref, "change the role of");
  if (!is_admin(cx) && request.role == Role::kAdmin) {
    refuse(cx, kUserRole, fmt::format("user/{}", user.id), "only an admin may make a user an admin");
  }
  store::UserRepository& repo = users_of(cx);
  repo.set_role(user.id, request.role);
  audit(cx, kUserRole, fmt::format("user/{}", user.id),
        {{"username", user.username}, {"from", store::role_name(user.role)}, {"to", store::role_name(request.role)}});
  return reread(repo, user.id);
}

PasswordChangeResult set_user_password(const Context& cx, const UserRef& ref, const std::string& password,
                                       const PasswordHash& hash) {
  const store::UserRecord user = managed_user(cx, kUserPassword, ref, "set the password of");
  if (!user.identity_issuer.empty()) {
    throw Error::invalid_input("user '" + user.username +
                               "' signs in through single sign-on: the identity provider keeps its password");
  }
  if (auto p = password_problem(password); !p.empty()) throw Error::invalid_input("invalid password", {p});
  users_of(cx).set_password(user.id, hash(password));
  audit(cx, kUserPassword, fmt::format("user/{}", user.id), {{"username", user.username}});
  return {user.username, true};
}

PasswordChangeResult change_own_password(const Context& cx, const OwnPasswordRequest& request,
                                         const PasswordCheck& check, const PasswordHash& hash) {
  authorize(cx, kOwnPassword, "user/" + shown_with(cx.actor.user, 64, 0));
  store::UserRepository& repo = users_of(cx);
  const auto user = repo.find(cx.actor.user, cx.actor.tenant);
  if (!user || user->disabled) throw Error::not_found("no user " + shown_with(cx.actor.user, 64, '\''));
  const std::string resource = fmt::format("user/{}", user->id);
  if (!user->identity_issuer.empty()) {
    throw Error::invalid_input("you sign in through single sign-on: your password is kept by the identity provider");
  }
  if (!check(user->password_hash, request.current_password)) {
    audit(cx, kOwnPassword, resource, {{"username", user->username}, {"reason", "wrong current password"}}, "denied");
    throw Error::forbidden("the current password is not right");
  }
  std::vector<std::string> problems;
  if (auto p = password_problem(request.new_password); !p.empty()) problems.push_back("new_" + p);
  if (request.new_password == request.current_password) {
    problems.push_back("new_password: must differ from the current password");
  }
  if (!problems.empty()) throw Error::invalid_input("invalid password", problems);
  repo.set_password(user->id, hash(request.new_password));
  audit(cx, kOwnPassword, resource, {{"username", user->username}});
  return {user->username, true};
}

std::string hash_password(const std::string& password) {
  if (password.size() < kMinPasswordChars || password.size() > 1024) {
    throw Error::invalid_input("invalid password", {"password: expected 8 to 1024 bytes"});
  }
  if (sodium_init() < 0) throw Error::internal("libsodium could not be initialised");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error::internal("argon2id hashing failed (out of memory)");
  }
  return out;
}

}  // namespace keel::service
