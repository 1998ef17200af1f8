#include "sqlite_repositories.h"

#include <array>

#include "keel/core/error.h"
#include "keel/store/database.h"

namespace keel::store {
namespace {

constexpr std::array<std::string_view, 4> kRoleNames = {"admin", "manager", "analyst", "viewer"};

constexpr const char* kSelect =
    "SELECT u.id, u.username, t.name, u.role, u.password_hash, u.disabled, u.token_version, "
    "u.created_at, u.updated_at FROM users u JOIN tenants t ON t.id = u.tenant_id ";

UserRecord read_user(const Statement& st) {
  UserRecord u;
  u.id = st.get_int(0);
  u.username = st.get_text(1);
  u.tenant = st.get_text(2);
  u.role = parse_role(st.get_text(3)).value_or(Role::kViewer);
  u.password_hash = st.get_text(4);
  u.disabled = st.get_int(5) != 0;
  u.token_version = st.get_int(6);
  u.created_at = st.get_text(7);
  u.updated_at = st.get_text(8);
  return u;
}

}  // namespace

std::string_view role_name(Role role) { return kRoleNames[static_cast<std::size_t>(role)]; }

std::optional<Role> parse_role(std::string_view text) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == text) return static_cast<Role>(i);
  }
  return std::nullopt;
}

UserRecord SqliteUserRepository::add(const std::string& username, const std::string& tenant, Role role,
                                     const std::string& password_hash) {
  if (username.empty()) throw Error::invalid_input("user name must not be empty");
  if (tenant.empty()) throw Error::invalid_input("tenant must not be empty");
  const std::string now = now_text(*clock_);
  db_->transaction([&] {
    if (find(username)) throw Error::conflict("user '" + username + "' already exists");
    db_->prepare("INSERT INTO tenants (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
        .bind(1, tenant)
        .bind(2, now)
        .run();
    db_->prepare(
           "INSERT INTO users (username, tenant_id, role, password_hash, created_at, updated_at) "
           "SELECT ?, id, ?, ?, ?, ? FROM tenants WHERE name = ?")
        .bind(1, username)
        .bind(2, role_name(role))
        .bind(3, password_hash)
        .bind(4, now)
        .bind(5, now)
        .bind(6, tenant)
        .run();
  });
  return *find(username);
}

std::optional<UserRecord> SqliteUserRepository::find(const std::string& username) {
  auto st = db_->prepare(std::string(kSelect) + "WHERE u.username = ?");
  st.bind(1, username);
  if (!st.step()) return std::nullopt;
  return read_user(st);
}

std::optional<UserRecord> SqliteUserRepository::find_id(std::int64_t id) {
  auto st = db_->prepare(std::string(kSelect) + "WHERE u.id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_user(st);
}

std::vector<UserRecord> SqliteUserRepository::list(const std::optional<std::string>& tenant) {
  auto st = db_->prepare(std::string(kSelect) + (tenant ? "WHERE t.name = ? " : "") + "ORDER BY u.id");
  if (tenant) st.bind(1, *tenant);
  std::vector<UserRecord> out;
  while (st.step()) out.push_back(read_user(st));
  return out;
}

void SqliteUserRepository::bump(const std::string& username, const char* set_clause, const std::string* text) {
  db_->transaction([&] {
    auto who = db_->prepare("SELECT u.id, t.name FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.username = ?");
    who.bind(1, username);
    if (!who.step()) throw Error::not_found("no user '" + username + "'");
    const std::int64_t id = who.get_int(0);
    const std::string tenant = who.get_text(1);
    auto st = db_->prepare(std::string("UPDATE users SET ") + set_clause +
                           ", token_version = token_version + 1, "
                           "updated_at = ? WHERE id = ?");
    int next = 1;
    if (text) st.bind(next++, *text);
    st.bind(next++, now_text(*clock_));
    st.bind(next, id);
    st.run();
    append_revocation(tenant, id, std::nullopt, clock_->unix_seconds() + kAccountChangeRetentionSeconds);
  });
}

void SqliteUserRepository::append_revocation(const std::string& tenant, std::int64_t user_id,
                                             const std::optional<std::string>& jti, std::int64_t expires_at) {
  // One writer at a time (the file's write lock), so ids are assigned in commit order.
  db_->prepare("INSERT INTO token_revocations (tenant, user_id, jti, expires_at, created_at) VALUES (?, ?, ?, ?, ?)")
      .bind(1, tenant)
      .bind(2, user_id)
      .bind(3, jti)
      .bind(4, expires_at)
      .bind(5, now_text(*clock_))
      .run();
}

void SqliteUserRepository::revoke_token(const std::string& tenant, std::int64_t user_id, const std::string& jti,
                                        std::int64_t expires_at) {
  if (jti.empty()) throw Error::invalid_input("token revocation: jti: expected a token id, got an empty one");
  db_->transaction([&] { append_revocation(tenant, user_id, jti, expires_at); });
}

std::vector<TokenRevocation> SqliteUserRepository::revocations_since(std::int64_t after, std::size_t limit) {
  auto st = db_->prepare(
      "SELECT id, user_id, jti, expires_at FROM token_revocations WHERE id > ? ORDER BY id LIMIT ?");
  st.bind(1, after);
  st.bind(2, static_cast<std::int64_t>(limit));
  std::vector<TokenRevocation> out;
  while (st.step()) {
    out.push_back({st.get_int(0), st.get_int(1), st.get_optional_text(2), st.get_int(3)});
  }
  return out;
}

std::size_t SqliteUserRepository::prune_revocations(std::int64_t now_epoch) {
  std::size_t deleted = 0;
  db_->transaction([&] {
    db_->prepare(
           "DELETE FROM token_revocations WHERE expires_at < ? "
           "AND id < (SELECT max(id) FROM token_revocations)")
        .bind(1, now_epoch)
        .run();
    auto changed = db_->prepare("SELECT changes()");
    changed.step();
    deleted = static_cast<std::size_t>(changed.get_int(0));
  });
  return deleted;
}

void SqliteUserRepository::set_disabled(const std::string& username, bool disabled) {
  bump(username, disabled ? "disabled = 1" : "disabled = 0", nullptr);
}

void SqliteUserRepository::set_password(const std::string& username, const std::string& password_hash) {
  bump(username, "password_hash = ?", &password_hash);
}

void SqliteUserRepository::set_role(const std::string& username, Role role) {
  const std::string name(role_name(role));
  bump(username, "role = ?", &name);
}

std::size_t SqliteUserRepository::count() {
  auto st = db_->prepare("SELECT COUNT(*) FROM users");
  st.step();
  return static_cast<std::size_t>(st.get_int(0));
}

}  // namespace keel::store
