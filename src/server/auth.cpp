#include "keel/server/auth.h"

#include <jwt.h>
#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string_view>

#include "keel/net/crypto.h"
#include "keel/core/error.h"
#include "keel/service/rules.h"

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

constexpr std::size_t kTokenIdBytes = 16;  // 128 bits

bool is_token_id(std::string_view text) {
  return text.size() == 2 * kTokenIdBytes &&
         std::all_of(text.begin(), text.end(), [](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); });
}

std::string new_token_id() { return net::random_hex(kTokenIdBytes); }

// The number after `key` ("m=", "t=") in the parameter list of a PHC string.
std::optional<unsigned long long> phc_parameter(std::string_view params, std::string_view key) {
  std::size_t pos = 0;
  while (pos < params.size()) {
    const std::size_t end = std::min(params.find(',', pos), params.size());
    const std::string_view item = params.substr(pos, end - pos);
    if (item.substr(0, key.size()) == key) {
      unsigned long long v = 0;
      const auto [ptr, ec] = std::from_chars(item.data() + key.size(), item.data() + item.size(), v);
      if (ec != std::errc() || ptr != item.data() + item.size()) return std::nullopt;
      return v;
    }
    pos = end + 1;
  }
  return std::nullopt;
}

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
  const char* jti = jwt_get_grant(jwt.get(), "jti");
  if (!iss || issuer != iss || !sub || !tenant || !role || !jti || !is_token_id(jti)) return std::nullopt;
  TokenClaims c;
  c.username = sub;
  c.tenant = tenant;
  c.jti = jti;
  if (const char* sid = jwt_get_grant(jwt.get(), "sid")) {
    if (!is_token_id(sid)) return std::nullopt;
    c.session = sid;
  }
  const auto parsed_role = service::parse_role(role);
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

std::optional<PasswordCost> phc_cost(const std::string& phc_hash) {
  // $argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>
  constexpr std::string_view kPrefix = "$argon2id$v=19$";
  const std::string_view text(phc_hash);
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const std::string_view rest = text.substr(kPrefix.size());
  const std::string_view params = rest.substr(0, rest.find('$'));
  const auto m = phc_parameter(params, "m=");
  const auto t = phc_parameter(params, "t=");
  if (!m || !t || *m == 0 || *t == 0 || *m > (std::size_t{1} << 32)) return std::nullopt;
  return PasswordCost{*t, static_cast<std::size_t>(*m) * 1024u};
}

// The budget's memory: computations take their bytes before they start and give them back after.
class PasswordHasher::Gate {
 public:
  explicit Gate(std::size_t bytes) : free_(bytes) {}
  // Holds `bytes` of the gate for one computation.
  class Share {
   public:
    Share(Gate& gate, std::size_t bytes) : gate_(gate), bytes_(bytes) {}
    Share(const Share&) = delete;
    Share& operator=(const Share&) = delete;
    ~Share() { gate_.give(bytes_); }

   private:
    Gate& gate_;
    std::size_t bytes_;
  };
  // False when `bytes` did not become free before `deadline`.
  bool take(std::size_t bytes, std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    if (!freed_.wait_until(lock, deadline, [&] { return free_ >= bytes; })) return false;
    free_ -= bytes;
    return true;
  }
  void give(std::size_t bytes) {
    {
      std::lock_guard lock(mutex_);
      free_ += bytes;
    }
    freed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  std::size_t free_;  // guarded by mutex_
};

PasswordHasher::PasswordHasher(PasswordCost cost, HashBudget budget)
    : cost_(cost), budget_(budget), gate_(std::make_shared<Gate>(budget.memory_bytes)) {
  ensure_sodium();
}

std::size_t PasswordHasher::concurrency() const {
  return std::max<std::size_t>(1, budget_.memory_bytes / std::max<std::size_t>(1, cost_.mem_limit_bytes));
}

std::string PasswordHasher::hash(const std::string& password) const {
  return hash(password, std::chrono::steady_clock::now() + budget_.max_wait);
}

std::string PasswordHasher::hash(const std::string& password, std::chrono::steady_clock::time_point deadline) const {
  if (password.size() < 8) throw Error::invalid_input("password must be at least 8 characters");
  if (password.size() > 1024) throw Error::invalid_input("password must be at most 1024 bytes");
  if (!gate_->take(cost_.mem_limit_bytes, deadline)) throw PasswordHashBusy();
  const Gate::Share share(*gate_, cost_.mem_limit_bytes);
  return compute(password);
}

std::string PasswordHasher::compute(const std::string& password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost_.ops_limit, cost_.mem_limit_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error::internal("argon2id hashing failed (out of memory)");
  }
  return out;
}

bool PasswordHasher::verify(const std::string& phc_hash, const std::string& password) const {
  return verify(phc_hash, password, std::chrono::steady_clock::now() + budget_.max_wait);
}

bool PasswordHasher::verify(const std::string& phc_hash, const std::string& password,
                            std::chrono::steady_clock::time_point deadline) const {
  if (password.size() > 1024) return false;
  // The memory the stored hash asks for (its own m=), or this hasher's when it cannot be read
  // (libsodium then refuses the string without computing). A stored hash asking more than the
  // whole budget takes the whole budget: it runs alone.
  const auto stored = phc_cost(phc_hash);
  const std::size_t bytes =
      stored ? std::min(stored->mem_limit_bytes, std::max(budget_.memory_bytes, cost_.mem_limit_bytes))
             : cost_.mem_limit_bytes;
  if (!gate_->take(bytes, deadline)) throw PasswordHashBusy();
  const Gate::Share share(*gate_, bytes);
  return crypto_pwhash_str_verify(phc_hash.c_str(), password.data(), password.size()) == 0;
}

// Once per server, at start: outside the budget, which a test may set below one computation.
std::string PasswordHasher::dummy_hash() const { return compute("no user has this password"); }

TokenService::TokenService(TokenConfig config) : config_(std::move(config)) {
  if (config_.key.size() < 32) throw Error::invalid_input("the token signing key must be at least 32 bytes");
  for (const auto& k : config_.previous_keys) {
    if (k.size() < 32) throw Error::invalid_input("a previous token key is shorter than 32 bytes");
  }
  if (config_.issuer.empty()) throw Error::invalid_input("the token issuer must not be empty");
  if (config_.ttl_seconds <= 0) throw Error::invalid_input("the token lifetime must be positive");
  ensure_sodium();  // the digests of verified tokens
}

IssuedToken TokenService::issue(const service::SignInUser& user, std::int64_t now_epoch,
                                const std::string& session) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw Error::internal("libjwt: out of memory");
  JwtPtr jwt(raw);
  const std::int64_t exp = now_epoch + config_.ttl_seconds;
  const std::string role(service::role_name(user.role));
  int rc = jwt_add_grant(jwt.get(), "iss", config_.issuer.c_str());
  rc |= jwt_add_grant(jwt.get(), "sub", user.username.c_str());
  rc |= jwt_add_grant(jwt.get(), "tenant", user.tenant.c_str());
  rc |= jwt_add_grant(jwt.get(), "role", role.c_str());
  rc |= jwt_add_grant_int(jwt.get(), "uid", static_cast<long>(user.id));
  rc |= jwt_add_grant_int(jwt.get(), "ver", static_cast<long>(user.token_version));
  const std::string jti = new_token_id();
  rc |= jwt_add_grant(jwt.get(), "jti", jti.c_str());
  if (!session.empty()) rc |= jwt_add_grant(jwt.get(), "sid", session.c_str());
  rc |= jwt_add_grant_int(jwt.get(), "iat", static_cast<long>(now_epoch));
  rc |= jwt_add_grant_int(jwt.get(), "exp", static_cast<long>(exp));
  rc |= jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(config_.key.data()),
                    static_cast<int>(config_.key.size()));
  if (rc != 0) throw Error::internal("libjwt: could not build the token");
  std::unique_ptr<char, StrDeleter> encoded(jwt_encode_str(jwt.get()));
  if (!encoded) throw Error::internal("libjwt: could not encode the token");
  return {encoded.get(), exp, jti};
}

std::optional<TokenClaims> TokenService::verify(const std::string& token, std::int64_t now_epoch) const {
  if (token.empty() || token.size() > 8192) return std::nullopt;
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  const std::string key(reinterpret_cast<const char*>(digest), sizeof digest);
  {
    std::shared_lock lock(verified_mutex_);
    if (const auto it = verified_.find(key); it != verified_.end()) {
      if (it->second.expires_at <= now_epoch) return std::nullopt;
      return it->second;
    }
  }
  std::optional<TokenClaims> claims = decode_with(token, config_.key, config_.issuer, now_epoch);
  for (std::size_t i = 0; !claims && i < config_.previous_keys.size(); ++i) {
    claims = decode_with(token, config_.previous_keys[i], config_.issuer, now_epoch);
  }
  if (claims) {
    std::unique_lock lock(verified_mutex_);
    if (verified_.size() >= kVerifiedTokens) {
      // Expired ones first; if every one still stands, start afresh (each is verified again once).
      std::erase_if(verified_, [&](const auto& kv) { return kv.second.expires_at <= now_epoch; });
      if (verified_.size() >= kVerifiedTokens) verified_.clear();
    }
    verified_.emplace(key, *claims);
  }
  return claims;
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

std::string random_key_hex() { return net::random_hex(32); }

}  // namespace keel::server
