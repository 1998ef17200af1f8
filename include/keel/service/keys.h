// keel/service/keys.h: the key vault's use cases — set, bind, list and delete a tenant's API keys —
// behind `keel keys set|bind|list|delete` and /api/v1/keys (one JSON shape for both, from the
// described results below). They go through Context::secrets (keel/service/secrets.h), which the
// faces point at their key vault (keel/service/key_vault.h). Results carry names and fingerprints,
// never a value.
//
// The keys are the actor's tenant's (Context::actor; the keel command's --tenant); every use case
// needs manage_keys (admins) and checks it itself, and each change writes its audit row (key.set,
// key.bind, key.delete: resource key/NAME, details the name — never the value or its fingerprint),
// so the command and /api/v1/keys refuse alike and leave the same row.
//
// Thread-safety: stateless; see the Context's store and secrets.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

// A stored key, without its value.
struct KeyResult {
  std::string name;
  std::string fingerprint;
  std::string created_at;
  std::string updated_at;
  std::string updated_by;
  std::optional<std::string> problem;
  std::vector<std::string> origins;
  bool origins_default = false;

  static constexpr const char* kSchemaName = "Key";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct KeyListResult {
  std::vector<KeyResult> items;

  static constexpr const char* kSchemaName = "KeyList";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// What reading and changing the tenant's keys need and write (keel/service/rules.h). Listing
// writes nothing; its action names it only in a refusal's audit row.
inline constexpr UseCase kKeyList{"list the tenant's API keys", Permission::kManageKeys, "key.list"};
inline constexpr UseCase kKeySet{"store the tenant's API keys", Permission::kManageKeys, "key.set"};
inline constexpr UseCase kKeyBind{"choose where the tenant's API keys may be sent", Permission::kManageKeys,
                                  "key.bind"};
inline constexpr UseCase kKeyDelete{"delete the tenant's API keys", Permission::kManageKeys, "key.delete"};

// The actor's tenant's keys by name. Throws Error: forbidden (kKeyList), usage without a vault
// (Context::secrets), and as the vault does when its master key cannot be found.
KeyListResult list_keys(const Context& cx);

struct KeySetRequest {
  std::string name;    // set by the face (the CLI's argument, the HTTP path)
  std::string value;   // HTTP: the body's "value"; the CLI reads standard input or a prompt, never argv
  std::vector<std::string> origins;

  static constexpr const char* kSchemaName = "KeySetRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel keys bind NAME --origin O...`, PUT /api/v1/keys/{name}/origins: where a stored key may go,
// without giving its value again.
struct KeyBindRequest {
  std::string name;    // set by the face
  std::vector<std::string> origins;

  static constexpr const char* kSchemaName = "KeyBindRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct KeySetResult {
  std::string name;
  std::string fingerprint;
  std::string updated_at;
  std::string updated_by;
  bool replaced = false;
  std::vector<std::string> origins;

  static constexpr const char* kSchemaName = "KeySetResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Seals and stores the key with its origins in the actor's tenant, set by the actor; audited as
// key.set (details name, replaced, origins). Throws keel::Error: forbidden (kKeySet),
// invalid_input for a bad name, value or origin (details "name: ...", "value: ..." never quoting
// the value, "origins[i]: ..."); usage without a vault or a store.
KeySetResult set_key(const Context& cx, const KeySetRequest& request);
// Replaces a stored key's origins (its value and fingerprint stay); audited as key.bind (details
// name, origins). Throws keel::Error: forbidden (kKeyBind), not_found when there is none.
KeySetResult bind_key(const Context& cx, const KeyBindRequest& request);

struct KeyDeleteResult {
  bool deleted = true;
  std::string name;

  static constexpr const char* kSchemaName = "KeyDeleteResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Deletes the actor's tenant's key; audited as key.delete (details name). Throws keel::Error:
// forbidden (kKeyDelete), not_found when the tenant has no key of that name.
KeyDeleteResult delete_key(const Context& cx, const std::string& name);

}  // namespace keel::service
