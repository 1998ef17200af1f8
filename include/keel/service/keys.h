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
  static void fields(V& v, S& s) {
    v.field({.name = "name"}, s.name);
    v.field({.name = "fingerprint",
             .help = "16 hex digits: a hash of the value keyed by the master key (not a part of the value); "
                     "\"\" when the value cannot be opened"},
            s.fingerprint);
    v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
    v.field({.name = "updated_at", .help = "ISO-8601 UTC: when the value was last set"}, s.updated_at);
    v.field({.name = "updated_by", .help = "Who set it (a user name, or cli:USER)"}, s.updated_by);
    v.field({.name = "problem", .help = "Why the value cannot be opened (altered, moved), when it cannot"},
            s.problem);
    v.field({.name = "origins",
             .help = "The origins (scheme://host[:port]) keel may send the key to; empty: nowhere until an "
                     "administrator binds it"},
            s.origins);
    v.field({.name = "origins_default",
             .help = "No origin is bound: these are the default (a market-data vendor's key goes to its vendor)"},
            s.origins_default);
  }
};

struct KeyListResult {
  std::vector<KeyResult> items;

  static constexpr const char* kSchemaName = "KeyList";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "items", .help = "The tenant's keys by name"}, s.items);
  }
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
  static void fields(V& v, S& s) {
    v.field(
        {.name = "value",
         .help = "The API key (1 to 16384 bytes, no control characters); stored sealed, never shown again",
         .faces = spec::kHttp,
         .required = true},
        s.value);
    v.field({.name = "origins",
             .help = "Where keel may send the key: origins scheme://host[:port] (https://api.openai.com); "
                     "repeatable; none: nowhere (a market-data vendor's key: its vendor's API)",
             .cli_name = "origin"},
            s.origins);
  }
};

// `keel keys bind NAME --origin O...`, PUT /api/v1/keys/{name}/origins: where a stored key may go,
// without giving its value again.
struct KeyBindRequest {
  std::string name;    // set by the face
  std::vector<std::string> origins;

  static constexpr const char* kSchemaName = "KeyBindRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "origins",
             .help = "The origins scheme://host[:port] keel may send the key to (replaces the list; empty: nowhere)",
             .cli_name = "origin",
             .required = true},
            s.origins);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "name"}, s.name);
    v.field({.name = "fingerprint", .help = "16 hex digits: a hash of the value keyed by the master key"},
            s.fingerprint);
    v.field({.name = "updated_at", .help = "ISO-8601 UTC"}, s.updated_at);
    v.field({.name = "updated_by"}, s.updated_by);
    v.field({.name = "replaced", .help = "An earlier value of the key was replaced"}, s.replaced);
    v.field({.name = "origins", .help = "The origins keel may send the key to (empty: nowhere, or a vendor "
                                        "key's own vendor)"},
            s.origins);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "deleted"}, s.deleted);
    v.field({.name = "name"}, s.name);
  }
};

// Deletes the actor's tenant's key; audited as key.delete (details name). Throws keel::Error:
// forbidden (kKeyDelete), not_found when the tenant has no key of that name.
KeyDeleteResult delete_key(const Context& cx, const std::string& name);

}  // namespace keel::service
