// keel/server/auth.h: passwords and access tokens of the HTTP service.
//
// Passwords are hashed with argon2id through libsodium's crypto_pwhash_str_alg (a PHC string that
// carries its own salt and cost, so costs can be raised later without breaking old hashes;
// RFC 9106). Tokens are JWTs signed with HMAC-SHA256 (HS256, RFC 7519 / RFC 7518 §3.2) through
// libjwt, with claims iss, sub (user name), uid, tenant, role, ver (the user's token_version),
// iat and exp (seconds since 1970-01-01 UTC). Verification accepts HS256 only (a token with
// "alg":"none" or any other algorithm is rejected), checks the issuer and the expiry, and tries the
// current key first, then the previous keys (key rotation: docs/security.md).
//
// Thread-safety: PasswordHasher and TokenService are immutable after construction and safe to use
// from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keel/store/user_repository.h"

namespace keel::server {

// argon2id cost. Defaults are libsodium's INTERACTIVE limits (2 passes over 64 MiB, about 0.1 s);
// `minimum` (1 pass, 8 KiB: crypto_pwhash_OPSLIMIT_MIN / MEMLIMIT_MIN) is for tests only.
struct PasswordCost {
  unsigned long long ops_limit = 2;
  std::size_t mem_limit_bytes = 64u * 1024u * 1024u;
  static PasswordCost interactive() { return {}; }
  static PasswordCost minimum() { return {1, 8192}; }
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordCost cost = PasswordCost::interactive());
  // PHC string. Throws Error::invalid_input for a password shorter than 8 or longer than 1024
  // bytes, Error::internal when libsodium runs out of memory.
  std::string hash(const std::string& password) const;
  // True when `password` matches `phc_hash` (constant-time comparison inside libsodium).
  bool verify(const std::string& phc_hash, const std::string& password) const;

 private:
  PasswordCost cost_;
};

struct TokenConfig {
  std::string key;                          // HS256 secret, at least 32 bytes
  std::vector<std::string> previous_keys;   // still accepted for verification (rotation)
  std::string issuer = "keel";
  std::int64_t ttl_seconds = 3600;          // lifetime of an issued token
};

struct IssuedToken {
  std::string token;
  std::int64_t expires_at = 0;  // epoch seconds
};

struct TokenClaims {
  std::string username;
  std::int64_t user_id = 0;
  std::string tenant;
  store::Role role = store::Role::kViewer;
  std::int64_t token_version = 0;
  std::int64_t issued_at = 0;
  std::int64_t expires_at = 0;
};

class TokenService {
 public:
  // Throws Error::invalid_input when a key is shorter than 32 bytes or the issuer is empty.
  explicit TokenService(TokenConfig config);
  IssuedToken issue(const store::UserRecord& user, std::int64_t now_epoch) const;
  // The claims of a valid token; nullopt for a bad signature, another algorithm, a wrong
  // issuer, missing claims or exp <= now.
  std::optional<TokenClaims> verify(const std::string& token, std::int64_t now_epoch) const;
  const TokenConfig& config() const { return config_; }

 private:
  TokenConfig config_;
};

// The signing key: the contents of `key_file` when given (trailing newline removed), else the
// environment variable `env_name` (KEEL_JWT_SECRET), else nullopt. Previous keys for rotation come
// from `<env_name>_PREVIOUS` (comma-separated) or lines 2.. of the key file. Throws
// Error::not_found when the file does not exist.
struct SigningKeys {
  std::string key;
  std::vector<std::string> previous;
};
std::optional<SigningKeys> load_signing_keys(const std::optional<std::string>& key_file,
                                             const std::string& env_name = "KEEL_JWT_SECRET");
// 32 random bytes as 64 hex characters (libsodium's randombytes_buf).
std::string random_key_hex();

}  // namespace keel::server
