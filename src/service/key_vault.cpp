// The key vault (keel/service/key_vault.h).
#include "keel/service/key_vault.h"

#include <sodium.h>

#include <algorithm>

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/store/secret_repository.h"
#include "keel/store/store.h"
#include "keel/vault/sealed_value.h"

namespace keel::service {
namespace {

constexpr std::size_t kMaxName = 64;
constexpr std::size_t kMaxValue = 16384;

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

vault::SealedValue sealed_of(const store::SecretRow& row) {
  return {row.format, row.master_key_id, row.nonce, row.ciphertext};
}

SecretInfo info_of(const store::SecretRow& row) {
  SecretInfo info;
  info.name = row.name;
  info.created_at = row.created_at;
  info.updated_at = row.updated_at;
  info.updated_by = row.updated_by;
  info.origins = row.origins;
  return info;
}

// A value opened from a row, wiped when it goes (list() only needs its fingerprint).
struct Opened {
  std::string value;
  ~Opened() {
    if (!value.empty()) sodium_memzero(value.data(), value.size());
  }
};

Store& require(Store* store) {
  if (store == nullptr)
    throw Error::usage("the key vault keeps its keys in a store: give one with --db (or KEEL_DB)");
  return *store;
}

}  // namespace

void check_key_name(std::string_view name) {
  std::string problem;
  if (name.empty()) {
    problem = "name: required";
  } else if (name.size() > kMaxName) {
    problem = "name: at most 64 characters";
  } else if (!std::all_of(name.begin(), name.end(), name_char) || name.front() == '.' ||
             name.front() == '_' || name.front() == '-') {
    problem = "name: expected letters, digits, '.', '_' and '-', starting with a letter or a digit";
  }
  if (!problem.empty()) throw Error::invalid_input("invalid key name", {problem});
}

void check_key_value(std::string_view value) {
  std::string problem;
  if (value.empty()) {
    problem = "value: required (an empty key)";
  } else if (value.size() > kMaxValue) {
    problem = "value: at most 16384 bytes";
  } else if (std::any_of(value.begin(), value.end(),
                         [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    problem = "value: holds a control character (a line break or a tab?); API keys have none";
  }
  if (!problem.empty()) throw Error::invalid_input("invalid key value", {problem});
}

std::string vault_tenant(std::string_view tenant) {
  return tenant.empty() ? std::string(kDefaultTenant) : std::string(tenant);
}

KeyVault::KeyVault(StoreAccess stores, ChainFactory make_chain)
    : stores_(std::move(stores)), make_chain_(std::move(make_chain)) {}

vault::MasterKeyChain& KeyVault::chain() const {
  if (!chain_) chain_ = make_chain_();
  return *chain_;
}

const KeyVault::Held& KeyVault::key_for(const std::string& id) const {
  if (auto it = keys_.find(id); it != keys_.end()) return it->second;
  vault::ResolvedKey found = chain().find(id);
  return keys_.emplace(id, Held{std::move(found.key), found.source}).first->second;
}

const KeyVault::Held& KeyVault::sealing_key(Store& store) const {
  const std::vector<std::string> ids = store.secrets().master_key_ids();
  if (ids.size() > 1) {
    std::string list;
    for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
    throw Error::internal(
        fmt::format("the key vault holds keys sealed under {} master keys ({}): run keel keys rotate-master to "
                    "re-seal them under one",
                    ids.size(), list));
  }
  if (!ids.empty()) return key_for(ids.front());
  vault::ResolvedKey k = chain().current_or_create();
  const std::string id = k.key.id();
  keys_.erase(id);
  return keys_.emplace(id, Held{std::move(k.key), k.source}).first->second;
}

MasterKeyReport KeyVault::report(const Held& held) const {
  return {std::string(vault::source_name(held.source->kind())), held.source->where(), held.key.id()};
}

std::optional<BoundSecret> KeyVault::open(std::string_view tenant, std::string_view name) const {
  const std::string t = vault_tenant(tenant);
  std::optional<store::SecretRow> row;
  stores_([&](Store* store) {
    if (store != nullptr) row = store->secrets().find(t, std::string(name));
  });
  if (!row) return std::nullopt;
  std::lock_guard lock(mutex_);
  return BoundSecret{vault::open(key_for(row->master_key_id).key, t, name, sealed_of(*row)), row->origins};
}

std::optional<SecretInfo> KeyVault::bind(std::string_view tenant, std::string_view name,
                                         const std::vector<std::string>& origins, std::string_view by) const {
  check_key_name(name);
  const std::vector<std::string> checked = check_key_origins(origins);
  const std::string t = vault_tenant(tenant);
  std::optional<SecretInfo> info;
  stores_([&](Store* s) {
    Store& store = require(s);
    store.transaction([&] {
      auto row = store.secrets().find(t, std::string(name));
      if (!row) return;
      row->origins = checked;
      row->updated_by = std::string(by);
      store.secrets().put(*row);  // the sealed columns as they were: the value is not opened
      const auto stored = store.secrets().find(t, row->name);
      if (!stored) throw Error::internal("the key vault did not keep key '" + row->name + "'");
      info = info_of(*stored);
    });
  });
  return info;
}

SecretInfo KeyVault::put(std::string_view tenant, std::string_view name, std::string_view value,
                         std::string_view by, const std::vector<std::string>& origins) const {
  check_key_name(name);
  check_key_value(value);
  const std::vector<std::string> checked = check_key_origins(origins);
  const std::string t = vault_tenant(tenant);
  SecretInfo info;
  stores_([&](Store* s) {
    Store& store = require(s);
    std::lock_guard lock(mutex_);
    // One transaction: the master key chosen from the rows' ids still holds when the row is written
    // (SQLite: BEGIN IMMEDIATE serialises this against a rotation's re-sealing).
    store.transaction([&] {
      const Held& key = sealing_key(store);
      const vault::SealedValue sealed = vault::seal(key.key, t, name, value);
      store::SecretRow row;
      row.tenant = t;
      row.name = std::string(name);
      row.format = sealed.version;
      row.master_key_id = sealed.key_id;
      row.nonce = sealed.nonce;
      row.ciphertext = sealed.ciphertext;
      row.updated_by = std::string(by);
      row.origins = checked;
      const bool replaced = store.secrets().put(row);
      const auto stored = store.secrets().find(t, row.name);
      if (!stored) throw Error::internal("the key vault did not keep key '" + row.name + "'");
      info = info_of(*stored);
      info.fingerprint = vault::fingerprint(key.key, t, value);
      info.replaced = replaced;
    });
  });
  return info;
}

std::vector<SecretInfo> KeyVault::list(std::string_view tenant) const {
  const std::string t = vault_tenant(tenant);
  std::vector<store::SecretRow> rows;
  stores_([&](Store* store) {
    if (store != nullptr) rows = store->secrets().list(t);
  });
  std::vector<SecretInfo> out;
  std::lock_guard lock(mutex_);
  for (const auto& row : rows) {
    SecretInfo info = info_of(row);
    // A missing master key fails the whole list (it is the vault's problem, not one row's); a row
    // that does not open under the right key is listed with the reason.
    const Held& key = key_for(row.master_key_id);
    try {
      Opened opened{vault::open(key.key, t, row.name, sealed_of(row))};
      info.fingerprint = vault::fingerprint(key.key, t, opened.value);
    } catch (const Error& e) {
      info.problem = e.what();
    }
    out.push_back(std::move(info));
  }
  return out;
}

bool KeyVault::remove(std::string_view tenant, std::string_view name) const {
  const std::string t = vault_tenant(tenant);
  bool removed = false;
  stores_([&](Store* store) { removed = require(store).secrets().remove(t, std::string(name)); });
  return removed;
}

std::optional<MasterKeyReport> KeyVault::master_key() const {
  std::optional<MasterKeyReport> out;
  stores_([&](Store* store) {
    std::lock_guard lock(mutex_);
    const std::vector<std::string> ids =
        store != nullptr ? store->secrets().master_key_ids() : std::vector<std::string>{};
    if (!ids.empty()) {
      out = report(key_for(ids.front()));
      return;
    }
    if (auto k = chain().current()) {
      out = MasterKeyReport{std::string(vault::source_name(k->source->kind())), k->source->where(),
                            k->key.id()};
    }
  });
  return out;
}

std::vector<vault::SourceStatus> KeyVault::sources() const {
  std::lock_guard lock(mutex_);
  return chain().status();
}

RotateMasterResult KeyVault::rotate_master(const RotateMasterRequest& req) const {
  RotateMasterResult out;
  auto stage = [&](RotationStage s, std::size_t n) {
    if (req.on_stage) req.on_stage(s, n);
  };
  stores_([&](Store* s) {
    Store& store = require(s);
    std::lock_guard lock(mutex_);
    store::SecretRepository& repo = store.secrets();

    // The key (or keys) the rows name now, and the source the old key comes from.
    const std::vector<std::string> ids = repo.master_key_ids();
    vault::MasterKeySource* from_source = nullptr;
    if (!ids.empty()) {
      for (const auto& id : ids) key_for(id);  // every row must open before anything changes
      const Held& first = key_for(ids.front());
      from_source = first.source;
      out.from = report(first);
    } else if (auto k = chain().current()) {
      from_source = k->source;
      out.from = MasterKeyReport{std::string(vault::source_name(k->source->kind())), k->source->where(),
                                 k->key.id()};
    } else if (!req.to) {
      throw Error::usage("there is no master key to rotate yet (keel keys set makes one)");
    }

    vault::MasterKeySource& target = req.to ? chain().source(*req.to) : *from_source;
    if (const std::string why = target.unavailable_reason(); !why.empty() && target.writable()) {
      throw Error::internal("the new master key cannot go to " + target.where() + ": " + why);
    }
    if (!target.writable() && !req.new_key_text) {
      throw Error::usage(
          "the master key comes from " + target.where() +
          ", which keel cannot change: give the new key on standard input (--new-key-stdin; "
          "32 random bytes as base64: head -c 32 /dev/urandom | base64) and set KEEL_MASTER_KEY to "
          "it afterwards, or move the key to the keyring or a key file with --to keyring|file");
    }
    vault::MasterKey next = req.new_key_text
                                ? vault::parse_master_key(*req.new_key_text, "the new master key")
                                : vault::MasterKey::generate();
    if (std::find(ids.begin(), ids.end(), next.id()) != ids.end() ||
        (out.from && out.from->key_id == next.id())) {
      throw Error::usage("the new master key is the one in use (id " + next.id() + "): give another");
    }

    // 1. The new key, durably, as the target's pending key.
    if (target.writable()) {
      target.save_pending(next);
      stage(RotationStage::kPendingSaved, 0);
    }
    // 2. Every row of every tenant re-sealed, in one transaction.
    std::size_t resealed = 0;
    std::size_t tenants = 0;
    store.transaction([&] {
      for (const std::string& tenant : repo.tenants()) {
        ++tenants;
        for (const store::SecretRow& row : repo.list(tenant)) {
          Opened opened{vault::open(key_for(row.master_key_id).key, tenant, row.name, sealed_of(row))};
          const vault::SealedValue sealed = vault::seal(next, tenant, row.name, opened.value);
          store::SecretRow updated = row;
          updated.format = sealed.version;
          updated.master_key_id = sealed.key_id;
          updated.nonce = sealed.nonce;
          updated.ciphertext = sealed.ciphertext;
          if (!repo.reseal(updated))
            throw Error::internal("key '" + row.name + "' vanished during the rotation");
          ++resealed;
        }
      }
      stage(RotationStage::kResealed, resealed);
    });
    stage(RotationStage::kCommitted, resealed);
    // 3. The new key in place; 4. the old one gone from a source the vault left.
    if (target.writable()) {
      target.promote_pending();
      stage(RotationStage::kPromoted, resealed);
      if (from_source != nullptr && from_source != &target && from_source->writable()) from_source->erase();
    }
    out.keys = resealed;
    out.tenants = tenants;
    out.set_environment = !target.writable();
    keys_.clear();
    const std::string id = next.id();
    const Held& held = keys_.emplace(id, Held{std::move(next), &target}).first->second;
    out.to = report(held);
  });
  return out;
}

KeyVault::ChainFactory master_key_chain_of(vault::MasterKeyOptions options) {
  return [options = std::move(options)] { return std::make_unique<vault::MasterKeyChain>(options); };
}

}  // namespace keel::service

namespace keel::service {

MasterKeySourceResult MasterKeySourceResult::of(const vault::SourceStatus& s) {
  MasterKeySourceResult out;
  out.source = std::string(vault::source_name(s.kind));
  out.where = s.where;
  out.usable = s.unavailable.empty();
  if (!s.unavailable.empty()) {
    out.reason = s.unavailable;
  } else if (!s.error.empty()) {
    out.error = s.error;
  } else {
    out.key_id.emplace();
    if (s.key_id) out.key_id->emplace(*s.key_id);
  }
  out.pending_key_id = s.pending_id;
  return out;
}

namespace {

MasterKeyInUse master_key_in_use(const KeyVault& vault) {
  MasterKeyInUse out;
  if (auto m = vault.master_key()) out.master_key.emplace(std::move(*m));
  return out;
}

}  // namespace

KeyVaultListResult list_vault_keys(const Context& cx, const KeyVault& vault) {
  KeyVaultListResult out;
  out.items = list_keys(cx).items;
  out.in_use = master_key_in_use(vault);
  return out;
}

RotateMasterResult rotate_master_key(const Context& cx, const KeyVault& vault,
                                     const RotateMasterRequest& request) {
  authorize(cx, kKeyRotateMaster, "master_key");
  const RotateMasterResult out = vault.rotate_master(request);
  // Every tenant's keys were re-sealed: the row belongs to none.
  Context store_wide = cx;
  store_wide.actor.tenant = "";
  audit(store_wide, kKeyRotateMaster, "master_key",
        {{"keys", out.keys},
         {"tenants", out.tenants},
         {"from_key_id", out.from ? nlohmann::json(out.from->key_id) : nlohmann::json(nullptr)},
         {"to_key_id", out.to.key_id}});
  return out;
}

MasterKeyStatusResult master_key_status(const KeyVault& vault) {
  MasterKeyStatusResult out;
  out.in_use = master_key_in_use(vault);
  for (const auto& s : vault.sources()) out.sources.push_back(MasterKeySourceResult::of(s));
  return out;
}

}  // namespace keel::service
