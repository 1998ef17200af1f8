// keel/server/auth.h: passwords and access tokens of the HTTP service.
//
// Passwords are hashed with argon2id through libsodium's crypto_pwhash_str_alg (a PHC string that
// carries its own salt and cost, so costs can be raised later without breaking old hashes;
// RFC 9106). Each hash or verification holds its argon2id memory (64 MiB at the default cost)
// while it runs, so a PasswordHasher admits computations only while their memory fits its budget
// (HashBudget); one that cannot start within the budget's wait throws PasswordHashBusy (the server
// answers 503 with Retry-After).
//
// Tokens are JWTs signed with HMAC-SHA256 (HS256, RFC 7519 / RFC 7518 §3.2) through libjwt, with
// claims iss, sub (user name), uid, tenant, role, ver (the user's token_version), jti (128 random
// bits in hex, the token's id), sid (the sign-in's refresh family, when it has one), iat and exp (seconds since 1970-01-01 UTC). Verification accepts
// HS256 only (a token with "alg":"none" or any other algorithm is rejected), checks the issuer and
// the expiry, requires a jti, and tries the current key first, then the previous keys (key
// rotation: docs/security.md).
//
// Whether a verified token still stands (not revoked, its user unchanged) is checked against the
// store by AuthCache (keel/service/token_check.h).
//
// Thread-safety: PasswordHasher and TokenService are safe to use from many threads
// (PasswordHasher's budget locks internally; TokenService is immutable).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "keel/service/sign_in.h"
#include "keel/service/token_check.h"

namespace keel::server {

// argon2id cost. Defaults are libsodium's INTERACTIVE limits (2 passes over 64 MiB, about 0.1 s);
// `minimum` (1 pass, 8 KiB: crypto_pwhash_OPSLIMIT_MIN / MEMLIMIT_MIN) is for tests only.
struct PasswordCost {
  unsigned long long ops_limit = 2;
  std::size_t mem_limit_bytes = 64u * 1024u * 1024u;
  static PasswordCost interactive() { return {}; }
  static PasswordCost minimum() { return {1, 8192}; }
  bool operator==(const PasswordCost&) const = default;
};

// The cost recorded in an argon2id PHC string ($argon2id$v=19$m=KIB,t=PASSES,p=1$...): memory in
// bytes and passes; nullopt when the string is not one.
std::optional<PasswordCost> phc_cost(const std::string& phc_hash);

// How much argon2id memory all computations of one PasswordHasher may hold at once, and how long
// a computation waits for its share before giving up.
struct HashBudget {
  // 3 computations at the default cost: with 1,000 logins waiting, keel serve peaks under 300 MB
  // (bench/login_flood.py; 256 MiB peaked at 306 MB), and 3 hashes keep 2 cores busy.
  std::size_t memory_bytes = 192u * 1024u * 1024u;
  std::chrono::milliseconds max_wait{2000};
};

// A hash or verification that could not start within the budget's wait (the server: 503 with
// Retry-After).
class PasswordHashBusy : public std::runtime_error {
 public:
  PasswordHashBusy() : std::runtime_error("too many password checks at once; retry shortly") {}
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordCost cost = PasswordCost::interactive(), HashBudget budget = {});
  // PHC string. Throws Error::invalid_input for a password shorter than 8 or longer than 1024
  // bytes, Error::internal when libsodium runs out of memory, PasswordHashBusy when the budget has
  // no room for it before `deadline` (default: now + the budget's max_wait).
  std::string hash(const std::string& password) const;
  std::string hash(const std::string& password, std::chrono::steady_clock::time_point deadline) const;
  // True when `password` matches `phc_hash` (constant-time comparison inside libsodium). The
  // memory taken from the budget is the hash's own (its m=), at most the whole budget. Throws
  // PasswordHashBusy as hash().
  bool verify(const std::string& phc_hash, const std::string& password) const;
  bool verify(const std::string& phc_hash, const std::string& password,
              std::chrono::steady_clock::time_point deadline) const;
  // A PHC string of no password, made at this hasher's cost (outside the budget): what a login of
  // an unknown user is checked against, so that it costs what a known user's does.
  std::string dummy_hash() const;
  const PasswordCost& cost() const { return cost_; }
  const HashBudget& budget() const { return budget_; }
  // Computations at this hasher's cost that fit the budget at once (at least 1).
  std::size_t concurrency() const;

 private:
  class Gate;  // the budget's memory, shared by copies of this hasher
  std::string compute(const std::string& password) const;  // the argon2id work, no budget
  PasswordCost cost_;
  HashBudget budget_;
  std::shared_ptr<Gate> gate_;
};

struct TokenConfig {
  std::string key;                          // HS256 secret, at least 32 bytes
  std::vector<std::string> previous_keys;   // still accepted for verification (rotation)
  std::string issuer = "keel";
  std::int64_t ttl_seconds = 3600;          // lifetime of an issued token
};

using service::IssuedToken;

using service::TokenClaims;

class TokenService {
 public:
  // Throws Error::invalid_input when a key is shorter than 32 bytes or the issuer is empty.
  explicit TokenService(TokenConfig config);
  // `session`: the sid claim, the sign-in's refresh family ("" for none: no sid).
  IssuedToken issue(const service::SignInUser& user, std::int64_t now_epoch, const std::string& session = "") const;
  // The claims of a valid token; nullopt for a bad signature, another algorithm, a wrong
  // issuer, missing claims (a jti of 32 hex digits included) or exp <= now.
  // A token that verified is remembered (by its BLAKE2b-256 digest, so no lookup compares token
  // bytes) until it expires: the same token again costs a digest instead of a base64 decode, a
  // JSON parse and an HMAC, and its expiry is checked at every use. Whether it has been revoked is
  // not a property of the token: AuthCache::admit checks that on every request. At most
  // kVerifiedTokens are remembered (then the memory starts afresh); a token that fails is never.
  std::optional<TokenClaims> verify(const std::string& token, std::int64_t now_epoch) const;
  const TokenConfig& config() const { return config_; }
  static constexpr std::size_t kVerifiedTokens = 16384;

 private:
  TokenConfig config_;
  mutable std::shared_mutex verified_mutex_;
  mutable std::unordered_map<std::string, TokenClaims> verified_;  // by digest; guarded by verified_mutex_
};

using service::AuthCache;
using service::AuthCacheOptions;

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
