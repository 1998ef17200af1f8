// keel/service/key_vault.h: the key vault — API keys sealed at rest under a master key — as the
// faces build it and the use cases reach it (through Context::secrets, keel/service/secrets.h).
//
// KeyVault joins the store's sealed rows (keel/store/secret_repository.h) and the vault module
// (keel/vault/: libsodium's secretbox bound to tenant and name, the master key from the OS keyring,
// a key file or KEEL_MASTER_KEY). A value is opened with the master key whose id its row carries,
// found among the sources by MasterKeyChain; a vault with no rows yet seals its first value under
// the first source's key, creating one when none exists. Keys belong to a tenant; the keel
// command's own keys (tenant "") are the "default" tenant's, the tenant of its portfolios.
// docs/security.md ("Keys") is the user's account of all this.
//
// Nothing here writes a value anywhere but into a sealed row: errors name the key and tenant,
// list() gives fingerprints, and the master key never leaves the sources and this object's
// sodium_malloc'd memory.
//
// rotate_master() replaces the master key and re-seals every row of every tenant, in this order,
// so that a crash at any point leaves every key readable:
//   1. the new key is stored durably as the target source's pending key (the key file's
//      "<file>.new", the keyring's slot=pending item); the rows still name the old key;
//   2. one store transaction re-seals every row under the new key (the rows now name it) — a crash
//      inside it rolls back to step 1's state;
//   3. the pending key is put in place (rename(2) over the key file; the keyring item replaced);
//      a crash between 2 and 3 leaves rows naming a key that is only pending, and the next open
//      finds it there by its id and finishes step 3 (MasterKeyChain::find);
//   4. when the rotation moved the key to another source, the old source's key is removed.
// From the environment (read-only) the new key is given by the caller, and the caller sets
// KEEL_MASTER_KEY to it afterwards; the rows name it from step 2 on.
//
// Thread-safety: every method may be called from any thread (one mutex around the master keys;
// each call reaches the store through StoreAccess, which hands the calling thread a Store).
// Ownership: owns its MasterKeyChain.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/service/keys.h"
#include "keel/service/rules.h"
#include "keel/service/secrets.h"
#include "keel/service/spec.h"
#include "keel/vault/master_key_chain.h"

namespace keel {
class Store;
}

namespace keel::service {

// Names: 1 to 64 characters, letters, digits, '.', '_' and '-', starting with a letter or digit
// ("polygon", "openai", "anthropic.work"). Throws Error::invalid_input with a "name: ..." detail.
void check_key_name(std::string_view name);
// Values: 1 to 16,384 bytes, no control characters (a line break pasted with a key would end up in
// an HTTP header). Throws Error::invalid_input with a "value: ..." detail that never quotes it.
void check_key_value(std::string_view value);

// The master key a vault uses, for reports (never the key).
struct MasterKeyReport {
  std::string source;  // keyring, file or env
  std::string where;   // "key file /home/ann/.config/keel/master.key"
  std::string key_id;  // 16 hex digits (keel/vault/master_key.h)

  static constexpr const char* kSchemaName = "MasterKeyReport";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The names of the master key sources (as vault::source_name writes them).
inline constexpr std::array<spec::Choice<vault::SourceKind>, 3> kSourceKindNames = {
    {{vault::SourceKind::kKeyring, "keyring"}, {vault::SourceKind::kFile, "file"}, {vault::SourceKind::kEnvironment, "env"}}};

// `keel keys set|list|delete`: whose keys (the command line's; HTTP takes the caller's tenant).
struct KeyTenantRequest {
  std::string tenant;  // "": the command's own (the default tenant's)
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The master key a vault uses, a part of what `keel keys list` and `keel keys status` show.
struct MasterKeyInUse {
  spec::Nullable<MasterKeyReport> master_key;
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel keys list`: the tenant's keys and the master key the vault uses.
struct KeyVaultListResult {
  std::vector<KeyResult> items;
  MasterKeyInUse in_use;
  static constexpr const char* kSchemaName = "KeyVaultList";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One master key source as `keel keys status` shows it (ids only, never a key).
struct MasterKeySourceResult {
  std::string source;  // keyring, file or env
  std::string where;
  bool usable = false;
  std::optional<std::string> reason;  // why it cannot be used
  std::optional<std::string> error;   // a key that is there but refused
  std::optional<spec::Nullable<std::string>> key_id;  // usable and not refused: the key in place, or null
  std::optional<std::string> pending_key_id;
  static constexpr const char* kSchemaName = "MasterKeySource";
  static MasterKeySourceResult of(const vault::SourceStatus& s);
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel keys status`: which master key is used and what each source holds.
struct MasterKeyStatusResult {
  MasterKeyInUse in_use;
  std::vector<MasterKeySourceResult> sources;
  static constexpr const char* kSchemaName = "MasterKeyStatus";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The steps of a rotation, reported as they complete (progress; tests stop a rotation there).
enum class RotationStage {
  kPendingSaved,  // step 1 done
  kResealed,      // step 2's rows re-sealed, the transaction not yet committed
  kCommitted,     // step 2 committed
  kPromoted,      // step 3 done
};

// `keel keys rotate-master [--to SOURCE] [--new-key-stdin]`.
struct RotateMasterRequest {
  std::optional<vault::SourceKind> to = {};  // the source of the new key; default: where the old one is
  // The new key's text (base64 or hex of 32 bytes); required when the target is the environment,
  // otherwise a random key is made. The command line reads it from standard input, never argv.
  std::optional<std::string> new_key_text = {};
  std::function<void(RotationStage stage, std::size_t keys)> on_stage = {};
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct RotateMasterResult {
  std::size_t keys = 0;                 // values re-sealed
  std::size_t tenants = 0;              // tenants holding them
  std::optional<MasterKeyReport> from;  // none: the vault had no master key yet
  MasterKeyReport to;
  // The new key lives in the environment: set KEEL_MASTER_KEY to it before keel runs again.
  bool set_environment = false;

  static constexpr const char* kSchemaName = "RotateMasterResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

class KeyVault final : public Secrets {
 public:
  // Runs the function with a Store the calling thread may use, or with nullptr when there is no
  // store (a keel command working on files only): get() then finds nothing, put() refuses.
  using StoreAccess = std::function<void(const std::function<void(Store*)>&)>;
  // Makes the chain of master key sources, on the vault's first need of a master key (so a face
  // whose command never opens a sealed value never reads a keyring or a key file, nor fails on a
  // bad KEEL_MASTER_KEY_SOURCE).
  using ChainFactory = std::function<std::unique_ptr<vault::MasterKeyChain>()>;

  KeyVault(StoreAccess stores, ChainFactory make_chain);

  std::optional<BoundSecret> open(std::string_view tenant, std::string_view name) const override;
  SecretInfo put(std::string_view tenant, std::string_view name, std::string_view value, std::string_view by,
                 const std::vector<std::string>& origins = {}) const override;
  std::optional<SecretInfo> bind(std::string_view tenant, std::string_view name,
                                 const std::vector<std::string>& origins, std::string_view by) const override;
  std::vector<SecretInfo> list(std::string_view tenant) const override;
  bool remove(std::string_view tenant, std::string_view name) const override;

  // The master key the stored rows name (the first source's key when there are none), or nullopt
  // when there is neither; no key is created.
  std::optional<MasterKeyReport> master_key() const;
  // What each source holds (ids only).
  std::vector<vault::SourceStatus> sources() const;
  // See the file comment. Throws keel::Error: usage when there is nothing to rotate, when the target
  // is the environment and no new key is given, or when the new key is the one in use;
  // internal when a source or the store fails (the state is then one the steps above recover).
  RotateMasterResult rotate_master(const RotateMasterRequest& request) const;

 private:
  struct Held {
    vault::MasterKey key;
    vault::MasterKeySource* source;
  };
  // The cached or found key of `id` (mutex_ held).
  const Held& key_for(const std::string& id) const;
  // The key a new value is sealed under (mutex_ held).
  const Held& sealing_key(Store& store) const;
  MasterKeyReport report(const Held& held) const;
  vault::MasterKeyChain& chain() const;  // made on first use (mutex_ held)

  StoreAccess stores_;
  ChainFactory make_chain_;
  mutable std::mutex mutex_;
  mutable std::unique_ptr<vault::MasterKeyChain> chain_;  // guarded by mutex_
  mutable std::map<std::string, Held> keys_;              // by id; guarded by mutex_
};

// The ChainFactory of a face: the keyring, file and environment sources of `options`
// (keel/vault/master_key_source.h).
KeyVault::ChainFactory master_key_chain_of(vault::MasterKeyOptions options);

// `keel keys list`: list_keys (the actor's tenant's) with the vault's master key.
KeyVaultListResult list_vault_keys(const Context& cx, const KeyVault& vault);

// What rotating the master key needs and writes (keel/service/rules.h).
inline constexpr UseCase kKeyRotateMaster{"rotate the key vault's master key", Permission::kManageKeys,
                                          "key.rotate_master"};

// `keel keys rotate-master`: vault.rotate_master(request), audited as key.rotate_master (resource
// master_key, tenant "": it re-seals every tenant's keys; details keys, tenants, from_key_id,
// to_key_id). Throws keel::Error: forbidden (kKeyRotateMaster), and as rotate_master does.
RotateMasterResult rotate_master_key(const Context& cx, const KeyVault& vault, const RotateMasterRequest& request);
// `keel keys status`.
MasterKeyStatusResult master_key_status(const KeyVault& vault);

// The tenant a vault row belongs to: `tenant`, or "default" for "" (the keel command's own keys).
std::string vault_tenant(std::string_view tenant);

}  // namespace keel::service
