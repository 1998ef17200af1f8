// The descriptions of the requests and results of keel/service/key_vault.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/key_vault.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void MasterKeyReport::fields(V& v, S& s) {
  v.field({.name = "source", .help = "keyring, file or env"}, s.source);
  v.field({.name = "where", .help = "The keyring item, key file or environment variable"}, s.where);
  v.field({.name = "key_id", .help = "Id of the master key (a keyed hash; not the key)"}, s.key_id);
}
KEEL_SPEC_FIELDS(MasterKeyReport)

template <class V, class S>
void KeyTenantRequest::fields(V& v, S& s) {
  v.field({.name = "tenant", .help = "Tenant whose keys these are (default: default, the command's own)",
           .faces = spec::kCli},
          s.tenant);
}
KEEL_SPEC_REQUEST_FIELDS(KeyTenantRequest)

template <class V, class S>
void MasterKeyInUse::fields(V& v, S& s) {
  v.field({.name = "master_key", .help = "The master key in use (null: none yet)"}, s.master_key);
}
KEEL_SPEC_FIELDS(MasterKeyInUse)

template <class V, class S>
void KeyVaultListResult::fields(V& v, S& s) {
  v.field({.name = "items", .help = "The tenant's keys by name"}, s.items);
  v.flatten(s.in_use);
}
KEEL_SPEC_FIELDS(KeyVaultListResult)

template <class V, class S>
void MasterKeySourceResult::fields(V& v, S& s) {
  v.field({.name = "source", .help = "keyring, file or env"}, s.source);
  v.field({.name = "where", .help = "The keyring item, key file or environment variable"}, s.where);
  v.field({.name = "usable"}, s.usable);
  v.field({.name = "reason", .help = "Why the source cannot be used"}, s.reason);
  v.field({.name = "error", .help = "Why the key it holds is refused (e.g. a key file's mode)"}, s.error);
  v.field({.name = "key_id", .help = "The id of the key it holds (null: none), when usable and not refused"},
          s.key_id);
  v.field({.name = "pending_key_id", .help = "A new key saved by an unfinished rotation"}, s.pending_key_id);
}
KEEL_SPEC_FIELDS(MasterKeySourceResult)

template <class V, class S>
void MasterKeyStatusResult::fields(V& v, S& s) {
  v.flatten(s.in_use);
  v.field({.name = "sources", .help = "Every source, in the order they are tried"}, s.sources);
}
KEEL_SPEC_FIELDS(MasterKeyStatusResult)

template <class V, class S>
void RotateMasterRequest::fields(V& v, S& s) {
  v.choice({.name = "to", .help = "Keep the new key in (default: where the old one is)"}, s.to, kSourceKindNames);
}
KEEL_SPEC_REQUEST_FIELDS(RotateMasterRequest)

template <class V, class S>
void RotateMasterResult::fields(V& v, S& s) {
  v.field({.name = "keys", .help = "Values re-sealed under the new master key"}, s.keys);
  v.field({.name = "tenants", .help = "Tenants holding them"}, s.tenants);
  v.field({.name = "from", .help = "The master key before"}, s.from);
  v.field({.name = "to", .help = "The master key now"}, s.to);
  v.field({.name = "set_environment", .help = "Set KEEL_MASTER_KEY to the new key before keel runs again"},
          s.set_environment);
}
KEEL_SPEC_FIELDS(RotateMasterResult)

}  // namespace keel::service
