// The key vault's sealed rows (keel/store/secret_repository.h) on both backends. The two questions
// across tenants go, under row-level security, through the owner's lookups keel_vault_tenants() and
// keel_vault_master_key_ids() (migration 26).
#include "keel/store/secret_repository.h"

#include "sql.h"
#include "tags_text.h"

namespace keel::store {

namespace {

constexpr const char* kSecretColumns =
    "SELECT tenant, name, format, master_key_id, nonce, ciphertext, created_at, updated_at, updated_by, "
    "origins FROM vault_keys ";

SecretRow read_secret(const SqlStatement& st) {
  SecretRow r;
  read_row(st, 0, r.tenant, r.name, r.format, r.master_key_id, r.nonce, r.ciphertext, r.created_at,
           r.updated_at, r.updated_by);
  r.origins = detail::split_names(st.get_text(9), ' ');
  return r;
}

std::string first_text(const SqlStatement& r) {
  return r.get_text(0);
}

}  // namespace

bool SecretRepository::put(const SecretRow& row) {
  return c_->transaction(row.tenant, [&] {
    auto existing = c_->prepare(std::string("SELECT 1 FROM vault_keys WHERE tenant = ? AND name = ?") +
                                std::string(c_->dialect().lock(" FOR UPDATE")));
    const bool replaced = existing.bind_all(row.tenant, row.name).step();
    const std::string now = clock_->iso8601();
    c_->prepare(upsert_sql("vault_keys",
                           "tenant, name, format, master_key_id, nonce, ciphertext, created_at, updated_at, "
                           "updated_by, origins",
                           "tenant, name", "created_at"))
        .bind_all(row.tenant, row.name, row.format, row.master_key_id, row.nonce, row.ciphertext, now, now,
                  row.updated_by, detail::join_names(row.origins, ' '))
        .run();
    return replaced;
  });
}

bool SecretRepository::reseal(const SecretRow& row) {
  return c_->change(row.tenant,
                    "UPDATE vault_keys SET format = ?, master_key_id = ?, nonce = ?, ciphertext = ? "
                    "WHERE tenant = ? AND name = ?",
                    row.format, row.master_key_id, row.nonce, row.ciphertext, row.tenant, row.name) > 0;
}

std::optional<SecretRow> SecretRepository::find(const std::string& tenant, const std::string& name) {
  return c_->first(tenant, std::string(kSecretColumns) + "WHERE tenant = ? AND name = ?", read_secret, tenant,
                   name);
}

std::vector<SecretRow> SecretRepository::list(const std::string& tenant) {
  return c_->rows(tenant, std::string(kSecretColumns) + "WHERE tenant = ? ORDER BY name", read_secret, tenant);
}

bool SecretRepository::remove(const std::string& tenant, const std::string& name) {
  return c_->change(tenant, "DELETE FROM vault_keys WHERE tenant = ? AND name = ?", tenant, name) > 0;
}

std::vector<std::string> SecretRepository::tenants() {
  return c_->rows(std::nullopt,
                  c_->dialect().row_level_security ? "SELECT vault_tenant FROM keel_vault_tenants()"
                                                   : "SELECT DISTINCT tenant FROM vault_keys ORDER BY tenant",
                  first_text);
}

std::vector<std::string> SecretRepository::master_key_ids() {
  return c_->rows(std::nullopt,
                  c_->dialect().row_level_security
                      ? "SELECT vault_master_key_id FROM keel_vault_master_key_ids()"
                      : "SELECT DISTINCT master_key_id FROM vault_keys ORDER BY master_key_id",
                  first_text);
}

}  // namespace keel::store
