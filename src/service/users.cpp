// User use cases (keel/service/users.h).
#include "keel/service/users.h"

#include "keel/core/error.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

constexpr std::size_t kMinPasswordChars = 8;

// The problem with a password, "" when it is long enough.
std::string password_problem(const std::string& password) {
  return password.size() < kMinPasswordChars ? "password: expected at least 8 characters" : "";
}

store::UserRepository& users_of(const Context& cx) { return require_store(cx, "users").users(); }

UserResult reread(store::UserRepository& repo, const std::string& username) {
  const auto u = repo.find(username);
  if (!u) throw Error::not_found("no user named \"" + username + "\"");
  return UserResult::of(*u);
}

}  // namespace

spec::ItemsOf<UserResult> list_users(const Context& cx, const UserListRequest& request) {
  spec::ItemsOf<UserResult> out;
  for (const auto& u : users_of(cx).list(request.tenant)) out.items.push_back(UserResult::of(u));
  return out;
}

UserResult create_user(const Context& cx, const CreateUserRequest& request, const PasswordHash& hash) {
  std::vector<std::string> problems;
  if (request.username.empty()) problems.push_back("username: expected a non-empty name");
  if (auto p = password_problem(request.password); !p.empty()) problems.push_back(std::move(p));
  if (!problems.empty()) throw Error::invalid_input("invalid user", problems);
  store::UserRepository& repo = users_of(cx);
  return UserResult::of(
      repo.add(request.username, request.tenant.value_or(kDefaultTenant), request.role, hash(request.password)));
}

UserResult set_user_disabled(const Context& cx, const std::string& username, bool disabled) {
  store::UserRepository& repo = users_of(cx);
  repo.set_disabled(username, disabled);
  return reread(repo, username);
}

UserResult set_user_role(const Context& cx, const std::string& username, const SetRoleRequest& request) {
  store::UserRepository& repo = users_of(cx);
  repo.set_role(username, request.role);
  return reread(repo, username);
}

PasswordChangeResult set_user_password(const Context& cx, const std::string& username, const std::string& password,
                                       const PasswordHash& hash) {
  if (auto p = password_problem(password); !p.empty()) throw Error::invalid_input("invalid password", {p});
  store::UserRepository& repo = users_of(cx);
  repo.set_password(username, hash(password));
  return {username, true};
}

}  // namespace keel::service
