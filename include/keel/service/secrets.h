// keel/service/secrets.h: where a use case finds an API key (LLM and market-data providers).
//
// The key vault implements Secrets; the faces hand it to the use cases through Context::secrets.
// A use case asks for a key by name when it is about to call a provider and passes the value
// straight to the client: values are never logged, audited, returned or exported, and error
// messages name the key, never its value.
//
// The key vault (keel/service/key_vault.h) also implements the management calls below, which the
// keys use cases (keel/service/keys.h: `keel keys`, /api/v1/keys) go through. A Secrets that only
// reads (a fixed map in a test) keeps their defaults, which refuse with Error::usage. They change
// the store behind the object, not the object, hence const like get().
//
// Thread-safety: implementations are safe to call from any thread.
#pragma once

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
};

class Secrets {
 public:
  virtual ~Secrets() = default;
  // The secret stored as `name` for `tenant` ("" outside the server: the keel command's own
  // vault), or nullopt when none is set. Throws keel::Error when the vault exists but cannot be
  // opened (wrong master key, unreadable key file), naming the vault, never a value.
  virtual std::optional<std::string> get(std::string_view tenant, std::string_view name) const = 0;

  // Stores `value` as `name` for `tenant` (replacing any), recording `by` as who set it.
  virtual SecretInfo put(std::string_view tenant, std::string_view name, std::string_view value,
                         std::string_view by) const;
  // The tenant's keys by name (names and fingerprints).
  virtual std::vector<SecretInfo> list(std::string_view tenant) const;
  // Removes the key; false when the tenant had no key of that name.
  virtual bool remove(std::string_view tenant, std::string_view name) const;
};

}  // namespace keel::service
