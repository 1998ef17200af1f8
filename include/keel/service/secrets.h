// keel/service/secrets.h: where a use case finds an API key (LLM and market-data providers).
//
// The key vault implements Secrets; the faces hand it to the use cases through Context::secrets.
// A use case asks for a key by name and destination (get_for) when it is about to call a provider
// and passes the value straight to the client with the origins the key is bound to: a key goes to
// those origins only, whatever a provider record or a redirect says. Values are never logged,
// audited, returned or exported, and error messages name the key, never its value.
//
// The key vault (keel/service/key_vault.h) also implements the management calls below, which the
// keys use cases (keel/service/keys.h: `keel keys`, /api/v1/keys) go through. A Secrets that only
// reads (a fixed map in a test) keeps their defaults, which refuse with Error::usage. They change
// the store behind the object, not the object, hence const like get().
//
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::service {

// What may be said about a stored key: never its value.
struct SecretInfo {
  std::string name;
  std::string fingerprint;  // 16 hex digits, a keyed hash of the value (keel/vault/sealed_value.h); "" when
                            // the value cannot be opened
  std::string created_at;   // ISO-8601 UTC
  std::string updated_at;   // ISO-8601 UTC: when the value was last set
  std::string updated_by;   // "cli:ann", or the user name of keel serve that set it
  std::string problem;      // why the value cannot be opened (altered, moved), "" when it can
  bool replaced = false;    // put(): an earlier value was replaced
  // The origins (scheme://host[:port], keel/net/outbound.h) the key may be sent to, sorted; empty:
  // none stored (then default_key_origins applies).
  std::vector<std::string> origins;
};

// An opened key and the origins it is bound to.
struct BoundSecret {
  std::string value;
  std::vector<std::string> origins;  // as stored (empty: none)
};

// The origins a key with none stored may be sent to: a market-data vendor's key named after it
// goes to the vendor's own API (polygon: https://api.polygon.io, fred: https://api.stlouisfed.org);
// any other key goes nowhere until an administrator binds it (keel keys bind NAME --origin O).
std::vector<std::string> default_key_origins(std::string_view name);
// The origins a key may be sent to: its own, else default_key_origins.
std::vector<std::string> effective_key_origins(std::string_view name, const std::vector<std::string>& origins);
// Origins as stored: each normalized (keel/net/outbound.h's normalize_origin: a URL's path is
// dropped), sorted, without duplicates. Throws Error::invalid_input with an "origins[i]: ..."
// detail for one that is not an http(s) origin, or for more than 16.
std::vector<std::string> check_key_origins(const std::vector<std::string>& origins);

struct Context;

// When `e` is a refusal of keel/net/outbound.h (a destination the outbound policy refuses, a key
// not bound to the origin), appends `outbound.refused` (outcome denied; details: the reason and
// the message, never a key) to the store's audit log for `tenant` and `actor` (else cx.actor.user), and returns
// true. Anything else: false, nothing written. Never throws (a failing audit is not the caller's
// error).
bool audit_outbound_refusal(const Context& cx, const std::string& tenant, const std::string& resource,
                            const std::exception& e, const std::string& actor = {}) noexcept;

class Secrets {
 public:
  virtual ~Secrets() = default;
  // The secret stored as `name` for `tenant` ("" outside the server: the keel command's own
  // vault) with its origins, or nullopt when none is set. Throws keel::Error when the vault exists
  // but cannot be opened (wrong master key, unreadable key file), naming the vault, never a value.
  virtual std::optional<BoundSecret> open(std::string_view tenant, std::string_view name) const = 0;

  // open()'s value, whatever its origins: for managing keys and for tests. A use case about to
  // send a key asks get_for.
  std::optional<std::string> get(std::string_view tenant, std::string_view name) const;
  // The key to send in a request to `url`, with the origins it may go to (for the client, which
  // checks every request and redirect hop against them), or nullopt when none is stored. Throws
  // Error(forbidden) (keel/net/outbound.h's kKeyNotBound) when `url`'s origin is not one of the
  // key's effective origins: the message names the key, the origin and the command that binds it.
  std::optional<BoundSecret> get_for(std::string_view tenant, std::string_view name, std::string_view url) const;

  // Stores `value` as `name` for `tenant` (replacing any, origins included), recording `by` as
  // who set it; `origins` as check_key_origins returns them.
  virtual SecretInfo put(std::string_view tenant, std::string_view name, std::string_view value,
                         std::string_view by, const std::vector<std::string>& origins = {}) const;
  // Replaces the origins of a stored key, not its value; nullopt when there is no such key.
  virtual std::optional<SecretInfo> bind(std::string_view tenant, std::string_view name,
                                         const std::vector<std::string>& origins, std::string_view by) const;
  // The tenant's keys by name (names and fingerprints).
  virtual std::vector<SecretInfo> list(std::string_view tenant) const;
  // Removes the key; false when the tenant had no key of that name.
  virtual bool remove(std::string_view tenant, std::string_view name) const;
};

}  // namespace keel::service
