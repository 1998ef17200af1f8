// Users and the token revocation journal (keel/store/user_repository.h) on both backends. Under
// PostgreSQL's row-level security a login may name no tenant: the questions across tenants (which
// tenants have a user of this name, whose user is this id, how many users, the journal since an
// id) go through the owner's lookups keel_user_name_tenants(), keel_user_id_tenant(),
// keel_user_count() and keel_token_revocations_*().
#include "keel/store/user_repository.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "keel/core/error.h"
#include "sql.h"

namespace keel::store {
namespace {

constexpr std::array<std::string_view, 4> kRoleNames = {"admin", "manager", "analyst", "viewer"};

constexpr const char* kSelect =
    "SELECT u.id, u.username, t.name, u.role, u.password_hash, u.disabled, u.token_version, "
    "u.created_at, u.updated_at, u.sign_in_by_name, u.email, u.full_name, COALESCE(u.identity_issuer, '') "
    "FROM users u JOIN tenants t ON t.id = u.tenant_id ";

// Every writer of the revocation journal takes this lock before its row is numbered and holds it
// to its commit, so ids are assigned in commit order: a reader that has seen id N has seen every
// id below it, and polling `id > N` never skips a row committed late.
constexpr std::int64_t kTokenRevocationLock = 0x6b65656c7276;  // "keelrv"

UserRecord read_user(const SqlStatement& st) {
  UserRecord u;
  read_row(st, 0, u.id, u.username, u.tenant);
  u.role = parse_role(st.get_text(3)).value_or(Role::kViewer);
  read_row(st, 4, u.password_hash, u.disabled, u.token_version, u.created_at, u.updated_at, u.sign_in_by_name,
           u.email, u.full_name, u.identity_issuer);
  return u;
}

// A tenant having a user of some name, and whether that user signs in by the name alone.
struct NameHolder {
  std::string tenant;
  bool by_name = false;
};

// The tenants having a user named `username`, the one who signs in by it first, then by id (across
// tenants: under row-level security through the owner's lookup). Inside a run or transaction.
std::vector<NameHolder> holders_of(SqlConnection& c, const std::string& username) {
  auto st = c.prepare(c.dialect().row_level_security
                          ? "SELECT name_tenant, name_sign_in FROM keel_user_name_tenants(?)"
                          : "SELECT t.name, u.sign_in_by_name FROM users u JOIN tenants t ON t.id = u.tenant_id "
                            "WHERE u.username = ? ORDER BY u.sign_in_by_name DESC, u.id");
  st.bind(1, username);
  std::vector<NameHolder> out;
  while (st.step()) out.push_back({st.get_text(0), st.get_int(1) != 0});
  return out;
}

// The user `username` of `tenant`, read under that tenant. Inside a run or transaction.
std::optional<UserRecord> read_in_tenant(SqlConnection& c, const std::string& username, const std::string& tenant) {
  c.set_tenant(tenant);
  return c.prepare(std::string(kSelect) + "WHERE u.username = ? AND t.name = ?").bind_all(username, tenant).first(read_user);
}

// The tenant of the user with id `id`, if there is one. Inside a run or transaction.
std::optional<std::string> tenant_of_id(SqlConnection& c, std::int64_t id) {
  auto st = c.prepare(c.dialect().row_level_security
                          ? "SELECT keel_user_id_tenant(?)"
                          : "SELECT t.name FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return st.get_optional_text(0);
}

// Appends a row to the revocation journal, numbered in commit order (kTokenRevocationLock).
void append_revocation(SqlConnection& c, const Clock& clock, const std::string& tenant, std::int64_t user_id,
                       const std::optional<std::string>& jti, std::int64_t expires_at) {
  c.lock_until_commit(kTokenRevocationLock);
  c.prepare(
       "INSERT INTO token_revocations (tenant, user_id, jti, expires_at, created_at) VALUES (?, ?, ?, ?, ?)")
      .bind_all(tenant, user_id, jti, expires_at, clock.iso8601())
      .run();
}

// Changes the row of user `id` with `set_clause` (one `?` for `text`, when given), moves its
// token_version and journals the change.
void bump(SqlConnection& c, const Clock& clock, std::int64_t id, const char* set_clause, const std::string* text) {
  c.transaction(std::nullopt, [&] {
    const auto tenant = tenant_of_id(c, id);
    if (!tenant) throw Error::not_found(fmt::format("no user {}", id));
    c.set_tenant(*tenant);
    auto st = c.prepare(std::string("UPDATE users SET ") + set_clause +
                        ", token_version = token_version + 1, updated_at = ? WHERE id = ? RETURNING id");
    SqlBinder b(st);
    if (text) b.add(*text);
    b.add(clock.iso8601()).add(id);
    if (!st.step()) throw Error::not_found(fmt::format("no user {}", id));
    st.reset();
    append_revocation(c, clock, *tenant, id, std::nullopt, clock.unix_seconds() + kAccountChangeRetentionSeconds);
    // Every sign-in of the user ends with the change: its refresh tokens go with its access tokens.
    c.prepare("DELETE FROM refresh_tokens WHERE user_id = ?").bind(1, id).run();
  });
}

// Deletes a family's rows and journals the revocation of its access tokens unexpired at `now`.
std::vector<std::pair<std::string, std::int64_t>> end_family(SqlConnection& c, const Clock& clock,
                                                             const std::string& tenant, std::int64_t user_id,
                                                             const std::string& family, std::int64_t now) {
  auto revoked = c.prepare("SELECT access_jti, access_expires_at FROM refresh_tokens "
                           "WHERE user_id = ? AND family = ? AND access_expires_at > ? ORDER BY id")
                     .bind_all(user_id, family, now)
                     .rows([](const SqlStatement& r) { return std::pair(r.get_text(0), r.get_int(1)); });
  for (const auto& [jti, expires_at] : revoked) append_revocation(c, clock, tenant, user_id, jti, expires_at);
  c.prepare("DELETE FROM refresh_tokens WHERE user_id = ? AND family = ?").bind_all(user_id, family).run();
  return revoked;
}

void insert_refresh(SqlConnection& c, const std::string& tenant, const RefreshTokenRow& row) {
  c.prepare("INSERT INTO refresh_tokens (tenant, user_id, family, token_hash, access_jti, access_expires_at, "
            "issued_at, expires_at, family_expires_at, provider_session) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant, row.user_id, row.family, row.token_hash, row.access_jti, row.access_expires_at,
                row.issued_at, row.expires_at, row.family_expires_at, row.provider_session)
      .run();
}

}  // namespace

std::string_view role_name(Role role) {
  return kRoleNames[static_cast<std::size_t>(role)];
}

std::optional<Role> parse_role(std::string_view text) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == text) return static_cast<Role>(i);
  }
  return std::nullopt;
}

UserRecord UserRepository::add(const std::string& username, const std::string& tenant, Role role,
                               const std::string& password_hash, bool sign_in_by_name) {
  if (username.empty()) throw Error::invalid_input("user name must not be empty");
  if (tenant.empty()) throw Error::invalid_input("tenant must not be empty");
  const std::string now = clock_->iso8601();
  c_->transaction(tenant, [&] {
    // Names are unique within a tenant; a name signed in by alone, among those across tenants. The
    // second check is only made for such a name (given by an admin or the operator, who see every
    // tenant), so what another tenant holds never changes a manager's answer.
    for (const NameHolder& h : holders_of(*c_, username)) {
      if (h.tenant == tenant) throw Error::conflict("user '" + username + "' already exists");
      if (sign_in_by_name && h.by_name) {
        throw Error::conflict("user '" + username + "' already exists in tenant '" + h.tenant +
                              "', signing in by that name alone: choose another name");
      }
    }
    c_->set_tenant(tenant);
    c_->prepare("INSERT INTO tenants (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
        .bind_all(tenant, now)
        .run();
    c_->prepare(
          "INSERT INTO users (username, tenant_id, role, password_hash, created_at, updated_at, sign_in_by_name) "
          "SELECT ?, id, ?, ?, ?, ?, ? FROM tenants WHERE name = ?")
        .bind_all(username, role_name(role), password_hash, now, now, sign_in_by_name ? 1 : 0, tenant)
        .run();
  });
  return *find(username, tenant);
}

std::optional<UserRecord> UserRepository::find(const std::string& username) {
  return c_->run(std::nullopt, [&]() -> std::optional<UserRecord> {
    const auto holders = holders_of(*c_, username);
    if (holders.empty()) return std::nullopt;
    if (!holders.front().by_name && holders.size() > 1) {
      std::string tenants;
      for (const auto& h : holders) tenants += (tenants.empty() ? "'" : ", '") + h.tenant + "'";
      throw Error::conflict("several tenants have a user '" + username + "' (" + tenants + "): name the tenant");
    }
    return read_in_tenant(*c_, username, holders.front().tenant);
  });
}

std::optional<UserRecord> UserRepository::find(const std::string& username, const std::string& tenant) {
  return c_->run(tenant, [&] { return read_in_tenant(*c_, username, tenant); });
}

std::optional<UserRecord> UserRepository::find_signed_in_by_name(const std::string& username) {
  return c_->run(std::nullopt, [&]() -> std::optional<UserRecord> {
    const auto holders = holders_of(*c_, username);
    if (holders.empty() || !holders.front().by_name) return std::nullopt;
    return read_in_tenant(*c_, username, holders.front().tenant);
  });
}

std::optional<UserRecord> UserRepository::find_id(std::int64_t id) {
  return c_->run(std::nullopt, [&]() -> std::optional<UserRecord> {
    if (!enter_tenant_of(*c_, "keel_user_id_tenant", id)) return std::nullopt;
    return c_->prepare(std::string(kSelect) + "WHERE u.id = ?").bind(1, id).first(read_user);
  });
}

std::vector<UserRecord> UserRepository::list(const std::optional<std::string>& tenant) {
  // Every tenant's users without one: under row-level security only the owner role sees them all.
  return c_->run(tenant, [&] {
    auto st = c_->prepare(std::string(kSelect) + (tenant ? "WHERE t.name = ? " : "") + "ORDER BY u.id");
    if (tenant) st.bind(1, *tenant);
    return st.rows(read_user);
  });
}

std::optional<UserRecord> UserRepository::find_identity(const std::string& issuer, const std::string& subject) {
  return c_->run(std::nullopt, [&]() -> std::optional<UserRecord> {
    const auto owner =
        c_->prepare(c_->dialect().row_level_security
                        ? "SELECT identity_tenant, identity_username FROM keel_identity_user(?, ?)"
                        : "SELECT t.name, u.username FROM users u JOIN tenants t ON t.id = u.tenant_id "
                          "WHERE u.identity_issuer = ? AND u.identity_subject = ?")
            .bind_all(issuer, subject)
            .first([](const SqlStatement& r) { return std::pair(r.get_text(0), r.get_text(1)); });
    if (!owner) return std::nullopt;
    return read_in_tenant(*c_, owner->second, owner->first);
  });
}

UserRecord UserRepository::add_identity_user(const IdentityUser& user) {
  if (user.username.empty()) throw Error::invalid_input("user name must not be empty");
  if (user.tenant.empty()) throw Error::invalid_input("tenant must not be empty");
  if (user.issuer.empty() || user.subject.empty()) throw Error::invalid_input("an identity needs its issuer and subject");
  const std::string now = clock_->iso8601();
  c_->transaction(user.tenant, [&] {
    for (const NameHolder& h : holders_of(*c_, user.username)) {
      if (h.tenant == user.tenant) throw Error::conflict("user '" + user.username + "' already exists");
    }
    c_->set_tenant(user.tenant);
    c_->prepare("INSERT INTO tenants (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
        .bind_all(user.tenant, now)
        .run();
    c_->prepare(
          "INSERT INTO users (username, tenant_id, role, password_hash, created_at, updated_at, sign_in_by_name, "
          "email, full_name, identity_issuer, identity_subject) "
          "SELECT ?, id, ?, '', ?, ?, 0, ?, ?, ?, ? FROM tenants WHERE name = ?")
        .bind_all(user.username, role_name(user.role), now, now, user.email, user.full_name, user.issuer, user.subject,
                  user.tenant)
        .run();
  });
  return *find(user.username, user.tenant);
}

void UserRepository::set_profile(std::int64_t id, const std::string& email, const std::string& full_name) {
  c_->transaction(std::nullopt, [&] {
    if (!enter_tenant_of(*c_, "keel_user_id_tenant", id)) throw Error::not_found(fmt::format("no user {}", id));
    c_->prepare("UPDATE users SET email = ?, full_name = ?, updated_at = ? WHERE id = ?")
        .bind_all(email, full_name, clock_->iso8601(), id)
        .run();
  });
}

void UserRepository::add_sign_in_request(const SignInRequestRow& row) {
  c_->transaction(std::nullopt, [&] {
    c_->prepare("DELETE FROM sign_in_requests WHERE expires_at <= ?").bind(1, row.created_at).run();
    c_->prepare("INSERT INTO sign_in_requests (state_hash, nonce, code_verifier, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)")
        .bind_all(row.state_hash, row.nonce, row.code_verifier, row.created_at, row.expires_at)
        .run();
  });
}

std::optional<SignInRequestRow> UserRepository::take_sign_in_request(const std::string& state_hash, std::int64_t now) {
  return c_->transaction(std::nullopt, [&]() -> std::optional<SignInRequestRow> {
    auto row = c_->prepare("DELETE FROM sign_in_requests WHERE state_hash = ? "
                           "RETURNING state_hash, nonce, code_verifier, created_at, expires_at")
                   .bind(1, state_hash)
                   .first([](const SqlStatement& r) {
                     return SignInRequestRow{r.get_text(0), r.get_text(1), r.get_text(2), r.get_int(3), r.get_int(4)};
                   });
    if (!row || row->expires_at <= now) return std::nullopt;
    return row;
  });
}

void UserRepository::revoke_token(const std::string& tenant, std::int64_t user_id, const std::string& jti,
                                  std::int64_t expires_at) {
  if (jti.empty()) throw Error::invalid_input("token revocation: jti: expected a token id, got an empty one");
  c_->transaction(tenant, [&] { append_revocation(*c_, *clock_, tenant, user_id, jti, expires_at); });
}

std::vector<TokenRevocation> UserRepository::revocations_since(std::int64_t after, std::size_t limit) {
  // Every tenant's rows (under row-level security through the owner's lookup).
  return c_->rows(
      std::nullopt,
      c_->dialect().row_level_security
          ? "SELECT rev_id, rev_user_id, rev_jti, rev_expires_at FROM keel_token_revocations_since(?, ?)"
          : "SELECT id, user_id, jti, expires_at FROM token_revocations WHERE id > ? ORDER BY id LIMIT ?",
      [](const SqlStatement& r) {
        return TokenRevocation{r.get_int(0), r.get_int(1), r.get_optional_text(2), r.get_int(3)};
      },
      after, limit);
}

std::size_t UserRepository::prune_revocations(std::int64_t now_epoch) {
  return c_->transaction(std::nullopt, [&] {
    if (c_->dialect().row_level_security) {
      auto st = c_->prepare("SELECT keel_token_revocations_prune(?)");
      st.bind(1, now_epoch).step();
      return static_cast<std::size_t>(st.get_int(0));
    }
    return static_cast<std::size_t>(c_->prepare("DELETE FROM token_revocations WHERE expires_at < ? "
                                                "AND id < (SELECT max(id) FROM token_revocations)")
                                        .bind(1, now_epoch)
                                        .run());
  });
}

std::int64_t UserRepository::id_of(const std::string& username) {
  const auto user = find(username);
  if (!user) throw Error::not_found("no user '" + username + "'");
  return user->id;
}

void UserRepository::set_disabled(const std::string& username, bool disabled) {
  set_disabled(id_of(username), disabled);
}

void UserRepository::set_password(const std::string& username, const std::string& password_hash) {
  set_password(id_of(username), password_hash);
}

void UserRepository::set_role(const std::string& username, Role role) { set_role(id_of(username), role); }

void UserRepository::set_disabled(std::int64_t id, bool disabled) {
  bump(*c_, *clock_, id, disabled ? "disabled = 1" : "disabled = 0", nullptr);
}

void UserRepository::set_password(std::int64_t id, const std::string& password_hash) {
  bump(*c_, *clock_, id, "password_hash = ?", &password_hash);
}

void UserRepository::set_role(std::int64_t id, Role role) {
  const std::string name(role_name(role));
  bump(*c_, *clock_, id, "role = ?", &name);
}

void UserRepository::end_sessions(std::int64_t id) {
  bump(*c_, *clock_, id, "disabled = disabled", nullptr);  // nothing else of the user changes
}

std::size_t UserRepository::count() {
  return c_->run(std::nullopt, [&] {
    return static_cast<std::size_t>(c_->prepare(c_->dialect().row_level_security
                                                    ? "SELECT keel_user_count()"
                                                    : "SELECT COUNT(*) FROM users")
                                        .first_int());
  });
}

void UserRepository::add_refresh_token(const std::string& tenant, const RefreshTokenRow& row) {
  c_->transaction(tenant, [&] {
    c_->prepare("DELETE FROM refresh_tokens WHERE user_id = ? AND family_expires_at < ?")
        .bind_all(row.user_id, row.issued_at)
        .run();
    insert_refresh(*c_, tenant, row);
  });
}

RefreshUse UserRepository::use_refresh_token(std::int64_t user_id, const std::string& token_hash, std::int64_t now,
                                             std::int64_t idle_seconds, RefreshTokenRow next) {
  return c_->transaction(std::nullopt, [&] {
    RefreshUse out;
    const auto tenant = tenant_of_id(*c_, user_id);
    if (!tenant) return out;
    out.tenant = *tenant;
    c_->set_tenant(*tenant);
    struct Found {
      std::string family;
      std::int64_t expires_at, family_expires_at;
      bool used;
      std::string provider_session;
    };
    // Row-locked where the server has row locks: two refreshes of one token take turns, and the
    // second sees the first's mark (a reuse).
    const auto found = c_->prepare("SELECT family, expires_at, family_expires_at, CASE WHEN used_at IS NULL THEN 0 ELSE 1 END, "
                                   "provider_session FROM refresh_tokens WHERE user_id = ? AND token_hash = ?" +
                                   std::string(c_->dialect().lock(" FOR UPDATE")))
                           .bind_all(user_id, token_hash)
                           .first([](const SqlStatement& r) {
                             return Found{r.get_text(0), r.get_int(1), r.get_int(2), r.get_int(3) != 0, r.get_text(4)};
                           });
    if (!found) return out;
    if (found->used) {
      out.outcome = RefreshOutcome::kReused;
      out.revoked = end_family(*c_, *clock_, *tenant, user_id, found->family, now);
      return out;
    }
    if (found->expires_at <= now || found->family_expires_at <= now) {
      out.outcome = RefreshOutcome::kExpired;
      end_family(*c_, *clock_, *tenant, user_id, found->family, now);
      return out;
    }
    c_->prepare("UPDATE refresh_tokens SET used_at = ? WHERE user_id = ? AND token_hash = ?")
        .bind_all(now, user_id, token_hash)
        .run();
    next.user_id = user_id;
    next.family = found->family;
    next.issued_at = now;
    next.family_expires_at = found->family_expires_at;
    next.expires_at = std::min(now + idle_seconds, found->family_expires_at);
    next.provider_session = found->provider_session;
    insert_refresh(*c_, *tenant, next);
    out.outcome = RefreshOutcome::kRotated;
    out.next = std::move(next);
    return out;
  });
}

std::vector<std::pair<std::string, std::int64_t>> UserRepository::end_refresh_family(const std::string& tenant,
                                                                                    std::int64_t user_id,
                                                                                    const std::string& family,
                                                                                    std::int64_t now) {
  return c_->transaction(tenant, [&] { return end_family(*c_, *clock_, tenant, user_id, family, now); });
}

std::vector<SignInFamily> UserRepository::provider_session_families(const std::string& provider_session) {
  if (provider_session.empty()) return {};
  return c_->run(std::nullopt, [&] {
    // Across tenants: with the owner's rights on PostgreSQL (migration 104's function).
    return c_->prepare(c_->dialect().row_level_security
                           ? "SELECT session_user_id, session_tenant, session_family FROM "
                             "keel_provider_session_families(?)"
                           : "SELECT DISTINCT user_id, tenant, family FROM refresh_tokens WHERE provider_session = ? "
                             "ORDER BY 1, 3")
        .bind_all(provider_session)
        .rows([](const SqlStatement& r) { return SignInFamily{r.get_int(0), r.get_text(1), r.get_text(2)}; });
  });
}

std::size_t UserRepository::live_refresh_families(const std::string& tenant, std::int64_t user_id,
                                                  std::int64_t now) {
  return c_->run(tenant, [&] {
    return static_cast<std::size_t>(
        c_->prepare("SELECT COUNT(DISTINCT family) FROM refresh_tokens WHERE user_id = ? AND family_expires_at > ? "
                    "AND expires_at > ?")
            .bind_all(user_id, now, now)
            .first_int());
  });
}

std::optional<std::string> UserRepository::preferences(const std::string& tenant, const std::string& username) {
  return c_->run(tenant, [&]() -> std::optional<std::string> {
    auto st = c_->prepare("SELECT preferences FROM user_preferences WHERE tenant = ? AND username = ?");
    st.bind_all(tenant, username);
    if (!st.step()) return std::nullopt;
    return st.get_optional_text(0);
  });
}

void UserRepository::set_preferences(const std::string& tenant, const std::string& username, const std::string& json) {
  c_->transaction(tenant, [&] {
    c_->prepare(
          "INSERT INTO user_preferences (tenant, username, preferences, updated_at) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (tenant, username) DO UPDATE SET preferences = excluded.preferences, "
          "updated_at = excluded.updated_at")
        .bind_all(tenant, username, json, clock_->iso8601())
        .run();
  });
}

}  // namespace keel::store
