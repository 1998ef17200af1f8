// src/store/pg/secret_repository.h: the key vault's sealed rows on PostgreSQL
// (keel/store/secret_repository.h). Every call on one tenant's rows sets that tenant for its
// transaction, so row-level security checks what the SQL's WHERE clauses say; the two questions
// across tenants go through the owner's lookups keel_vault_tenants() and
// keel_vault_master_key_ids() (migration 26).
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns it.
#pragma once

#include "keel/core/env.h"
#include "keel/store/secret_repository.h"
#include "session.h"

namespace keel::store::pg {

class PgSecretRepository final : public SecretRepository {
 public:
  PgSecretRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
  bool put(const SecretRow& row) override;
  bool reseal(const SecretRow& row) override;
  std::optional<SecretRow> find(const std::string& tenant, const std::string& name) override;
  std::vector<SecretRow> list(const std::string& tenant) override;
  bool remove(const std::string& tenant, const std::string& name) override;
  std::vector<std::string> tenants() override;
  std::vector<std::string> master_key_ids() override;

 private:
  Session* s_;
  const Clock* clock_;
};

}  // namespace keel::store::pg
