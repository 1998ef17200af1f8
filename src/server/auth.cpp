#include "keel/server/auth.h"

#include <jwt.h>
#include <sodium.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "keel/core/error.h"

namespace keel::server {
namespace {

void ensure_sodium() {
  static const int rc = sodium_init();  // thread-safe, idempotent
  if (rc < 0) throw Error::internal("libsodium could not be initialised");
}

struct JwtDeleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

struct StrDeleter {
  void operator()(char* s) const { std::free(s); }
};

std::optional<TokenClaims> decode_with(const std::string& token, const std::string& key,
                                       const std::string& issuer, std::int64_t now) {
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(key.data()),
                 static_cast<int>(key.size())) != 0 ||
      raw == nullptr) {
    if (raw) jwt_free(raw);
    return std::nullopt;
  }
  JwtPtr jwt(raw);
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) return std::nullopt;
  const char* iss = jwt_get_grant(jwt.get(), "iss");
  const char* sub = jwt_get_grant(jwt.get(), "sub");
  const char* tenant = jwt_get_grant(jwt.get(), "tenant");
  const char* role = jwt_get_grant(jwt.get(), "role");
  if (!iss || issuer != iss || !sub || !tenant || !role) return std::nullopt;
  TokenClaims c;
  c.username = sub;
  c.tenant = tenant;
  const auto parsed_role = store::parse_role(role);
  if (!parsed_role) return std::nullopt;
  c.role = *parsed_role;
  errno = 0;
  c.user_id = jwt_get_grant_int(jwt.get(), "uid");
  c.token_version = jwt_get_grant_int(jwt.get(), "ver");
  c.issued_at = jwt_get_grant_int(jwt.get(), "iat");
  c.expires_at = jwt_get_grant_int(jwt.get(), "exp");
  if (errno != 0 || c.expires_at <= now) return std::nullopt;
  return c;
}

}  // namespace

PasswordHasher::PasswordHasher(PasswordCost cost) : cost_(cost) { ensure_sodium(); }

std::string PasswordHasher::hash(const std::string& password) const {
  if (password.size() < 8) throw Error::invalid_input("password must be at least 8 characters");
  if (password.size() > 1024) throw Error::invalid_input("password must be at most 1024 bytes");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost_.ops_limit, cost_.mem_limit_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error::internal("argon2id hashing failed (out of memory)");
  }
  return out;
}

bool PasswordHasher::verify(const std::string& phc_hash, const std::string& password) const {
  if (password.size() > 1024) return false;
  return crypto_pwhash_str_verify(phc_hash.c_str(), password.data(), password.size()) == 0;
}

TokenService::TokenService(TokenConfig config) : config_(std::move(config)) {
  if (config_.key.size() < 32) throw Error::invalid_input("the token signing key must be at least 32 bytes");
  for (const auto& k : config_.previous_keys) {
    if (k.size() < 32) throw Error::invalid_input("a previous token key is shorter than 32 bytes");
  }
  if (config_.issuer.empty()) throw Error::invalid_input("the token issuer must not be empty");
  if (config_.ttl_seconds <= 0) throw Error::invalid_input("the token lifetime must be positive");
}

IssuedToken TokenService::issue(const store::UserRecord& user, std::int64_t now_epoch) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw Error::internal("libjwt: out of memory");
  JwtPtr jwt(raw);
  const std::int64_t exp = now_epoch + config_.ttl_seconds;
  const std::string role(store::role_name(user.role));
  int rc = jwt_add_grant(jwt.get(), "iss", config_.issuer.c_str());
  rc |= jwt_add_grant(jwt.get(), "sub", user.username.c_str());
  rc |= jwt_add_grant(jwt.get(), "tenant", user.tenant.c_str());
  rc |= jwt_add_grant(jwt.get(), "role", role.c_str());
  rc |= jwt_add_grant_int(jwt.get(), "uid", static_cast<long>(user.id));
  rc |= jwt_add_grant_int(jwt.get(), "ver", static_cast<long>(user.token_version));
  rc |= jwt_add_grant_int(jwt.get(), "iat", static_cast<long>(now_epoch));
  rc |= jwt_add_grant_int(jwt.get(), "exp", static_cast<long>(exp));
  rc |= jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(config_.key.data()),
                    static_cast<int>(config_.key.size()));
  if (rc != 0) throw Error::internal("libjwt: could not build the token");
  std::unique_ptr<char, StrDeleter> encoded(jwt_encode_str(jwt.get()));
  if (!encoded) throw Error::internal("libjwt: could not encode the token");
  return {encoded.get(), exp};
}

std::optional<TokenClaims> TokenService::verify(const std::string& token, std::int64_t now_epoch) const {
  if (token.empty() || token.size() > 8192) return std::nullopt;
  if (auto c = decode_with(token, config_.key, config_.issuer, now_epoch)) return c;
  for (const auto& k : config_.previous_keys) {
    if (auto c = decode_with(token, k, config_.issuer, now_epoch)) return c;
  }
  return std::nullopt;
}

std::optional<SigningKeys> load_signing_keys(const std::optional<std::string>& key_file,
                                             const std::string& env_name) {
  SigningKeys keys;
  if (key_file) {
    if (!std::filesystem::exists(*key_file)) throw Error::not_found("no token key file " + *key_file);
    std::ifstream in(*key_file);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (line.empty()) continue;
      if (first) {
        keys.key = line;
        first = false;
      } else {
        keys.previous.push_back(line);
      }
    }
    if (keys.key.empty()) throw Error::invalid_input("token key file " + *key_file + " is empty");
    return keys;
  }
  const char* env = std::getenv(env_name.c_str());
  if (!env || !*env) return std::nullopt;
  keys.key = env;
  if (const char* prev = std::getenv((env_name + "_PREVIOUS").c_str())) {
    std::stringstream ss(prev);
    std::string item;
    while (std::getline(ss, item, ',')) {
      if (!item.empty()) keys.previous.push_back(item);
    }
  }
  return keys;
}

std::string random_key_hex() {
  ensure_sodium();
  unsigned char buf[32];
  randombytes_buf(buf, sizeof buf);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, buf, sizeof buf);
  return hex;
}

}  // namespace keel::server
