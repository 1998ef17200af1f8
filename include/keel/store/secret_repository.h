// keel/store/secret_repository.h: the key vault's rows — API keys sealed under the master key,
// one per (tenant, name), each with the origins it may be sent to — as the store keeps them (table
// `vault_keys`, migrations 26 and 71).
//
// The store holds only what keel/vault/sealed_value.h produces (format version, master key id,
// nonce and ciphertext as base64 text) and never sees a value or a master key: sealing and opening
// happen in the key vault (keel/service/key_vault.h). Every row belongs to a tenant; on PostgreSQL
// row-level security keeps each tenant to its own rows, and the two questions that span tenants
// (which tenants hold keys, which master keys sealed them; asked by a master-key rotation and
// before sealing a first key) go through the owner's SECURITY DEFINER lookups, which return
// tenant names and key ids only.
//
// SecretRepository is a concrete class, written once over the store's SQL connection (either
// backend); Store::secrets() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

struct SecretRow {
  std::string tenant;
  std::string name;
  int format = 1;  // keel/vault/sealed_value.h's kSealedFormatVersion
  std::string master_key_id;
  std::string nonce;       // base64
  std::string ciphertext;  // base64
  std::string created_at;  // ISO-8601 UTC, set by the store
  std::string updated_at;  // ISO-8601 UTC, set by the store when the value changes
  std::string updated_by;  // who set the value or its origins ("cli:ann", a user name of keel serve)
  // The origins the key may be sent to (scheme://host[:port], normalized by the key vault), in
  // order; empty: none stored (migration 71's column `origins`, the origins joined by spaces).
  std::vector<std::string> origins;
};

class SecretRepository {
 public:
  SecretRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Stores the row of (tenant, name), origins included, replacing the one there (its created_at is
  // kept); created_at and updated_at come from the store's clock. Returns true when a row was
  // replaced.
  bool put(const SecretRow& row);
  // Replaces the sealed columns (format, master key id, nonce, ciphertext) of an existing row and
  // nothing else (not its origins): a master-key rotation changes how a value is sealed, not the value.
  // Returns false when the row does not exist.
  bool reseal(const SecretRow& row);
  std::optional<SecretRow> find(const std::string& tenant, const std::string& name);
  // The tenant's rows by name.
  std::vector<SecretRow> list(const std::string& tenant);
  // Returns false when there was no such row.
  bool remove(const std::string& tenant, const std::string& name);
  // Every tenant holding at least one row, sorted.
  std::vector<std::string> tenants();
  // The distinct master key ids of all rows of every tenant, sorted (one, except for a store
  // written by hand).
  std::vector<std::string> master_key_ids();

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
