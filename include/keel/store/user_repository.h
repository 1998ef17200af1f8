// keel/store/user_repository.h: users of the HTTP service (issue #10).
//
// A user has a unique name, belongs to one tenant (the `tenants` table of the foundation; created
// on first use), has one role and an argon2id password hash (the PHC string libsodium produces;
// the repository never sees a clear password). `token_version` grows on every password change,
// role change and disable, which revokes the tokens issued before (the token carries the version).
//
// UserRepository is the interface; the SQLite backend implements it and Store::users() hands it
// out. created_at/updated_at come from the store's Clock.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::store {

// Ordered from most to least privileged (docs/security.md has the permission matrix).
enum class Role { kAdmin, kManager, kAnalyst, kViewer };

std::string_view role_name(Role role);  // "admin", "manager", "analyst", "viewer"
std::optional<Role> parse_role(std::string_view text);

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
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;

  // Creates the user (and the tenant when new). Throws Error::conflict when the name is taken,
  // invalid_input for an empty name or tenant.
  virtual UserRecord add(const std::string& username, const std::string& tenant, Role role,
                         const std::string& password_hash) = 0;
  virtual std::optional<UserRecord> find(const std::string& username) = 0;
  virtual std::optional<UserRecord> find_id(std::int64_t id) = 0;
  // All users (tenant empty) or those of one tenant, by id.
  virtual std::vector<UserRecord> list(const std::optional<std::string>& tenant) = 0;
  // Each throws Error::not_found for an unknown user and bumps token_version.
  virtual void set_disabled(const std::string& username, bool disabled) = 0;
  virtual void set_password(const std::string& username, const std::string& password_hash) = 0;
  virtual void set_role(const std::string& username, Role role) = 0;
  virtual std::size_t count() = 0;
};

}  // namespace keel::store
