// The key vault's sealed rows on PostgreSQL (src/store/pg/secret_repository.h).
#include "secret_repository.h"

namespace keel::store::pg {
namespace {

constexpr const char* kColumns =
    "SELECT tenant, name, format, master_key_id, nonce, ciphertext, created_at, updated_at, updated_by, "
    "origins FROM vault_keys ";

SecretRow read_row(const pqxx::row& r) {
  SecretRow out;
  out.tenant = text(r[0]);
  out.name = text(r[1]);
  out.format = static_cast<int>(integer(r[2]));
  out.master_key_id = text(r[3]);
  out.nonce = text(r[4]);
  out.ciphertext = text(r[5]);
  out.created_at = text(r[6]);
  out.updated_at = text(r[7]);
  out.updated_by = text(r[8]);
  out.origins = split_origins(text(r[9]));
  return out;
}

}  // namespace

bool PgSecretRepository::put(const SecretRow& row) {
  return s_->run(row.tenant, [&](Tx& tx) {
    const bool replaced = !tx.exec("SELECT 1 FROM vault_keys WHERE tenant = $1 AND name = $2 FOR UPDATE",
                                   Params().add(row.tenant).add(row.name))
                               .empty();
    const std::string now = clock_->iso8601();
    tx.exec(
        "INSERT INTO vault_keys (tenant, name, format, master_key_id, nonce, ciphertext, created_at, "
        "updated_at, "
        "updated_by, origins) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9) ON CONFLICT (tenant, name) DO UPDATE SET "
        "format = excluded.format, master_key_id = excluded.master_key_id, nonce = excluded.nonce, "
        "ciphertext = excluded.ciphertext, updated_at = excluded.updated_at, updated_by = "
        "excluded.updated_by, origins = excluded.origins",
        Params()
            .add(row.tenant)
            .add(row.name)
            .add(row.format)
            .add(row.master_key_id)
            .add(row.nonce)
            .add(row.ciphertext)
            .add(now)
            .add(row.updated_by)
            .add(join_origins(row.origins)));
    return replaced;
  });
}

bool PgSecretRepository::reseal(const SecretRow& row) {
  return s_->run(row.tenant, [&](Tx& tx) {
    return tx.exec(
                 "UPDATE vault_keys SET format = $1, master_key_id = $2, nonce = $3, ciphertext = $4 "
                 "WHERE tenant = $5 AND name = $6",
                 Params()
                     .add(row.format)
                     .add(row.master_key_id)
                     .add(row.nonce)
                     .add(row.ciphertext)
                     .add(row.tenant)
                     .add(row.name))
               .affected_rows() > 0;
  });
}

std::optional<SecretRow> PgSecretRepository::find(const std::string& tenant, const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<SecretRow> {
    const auto r =
        tx.exec(std::string(kColumns) + "WHERE tenant = $1 AND name = $2", Params().add(tenant).add(name));
    if (r.empty()) return std::nullopt;
    return read_row(r[0]);
  });
}

std::vector<SecretRow> PgSecretRepository::list(const std::string& tenant) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<SecretRow> out;
    for (const auto& r :
         tx.exec(std::string(kColumns) + "WHERE tenant = $1 ORDER BY name", Params().add(tenant))) {
      out.push_back(read_row(r));
    }
    return out;
  });
}

bool PgSecretRepository::remove(const std::string& tenant, const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) {
    return tx.exec("DELETE FROM vault_keys WHERE tenant = $1 AND name = $2", Params().add(tenant).add(name))
               .affected_rows() > 0;
  });
}

std::vector<std::string> PgSecretRepository::tenants() {
  return s_->run(std::nullopt, [&](Tx& tx) {
    std::vector<std::string> out;
    for (const auto& r : tx.exec("SELECT vault_tenant FROM keel_vault_tenants()")) out.push_back(text(r[0]));
    return out;
  });
}

std::vector<std::string> PgSecretRepository::master_key_ids() {
  return s_->run(std::nullopt, [&](Tx& tx) {
    std::vector<std::string> out;
    for (const auto& r : tx.exec("SELECT vault_master_key_id FROM keel_vault_master_key_ids()")) {
      out.push_back(text(r[0]));
    }
    return out;
  });
}

}  // namespace keel::store::pg
