// The key vault's sealed rows in SQLite (keel/store/secret_repository.h).
#include "keel/store/database.h"
#include "sqlite_repositories.h"

namespace keel::store {

std::string join_origins(const std::vector<std::string>& origins) {
  std::string out;
  for (const auto& o : origins) out += (out.empty() ? "" : " ") + o;
  return out;
}

std::vector<std::string> split_origins(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    if (end > pos) out.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

namespace {

constexpr const char* kColumns =
    "SELECT tenant, name, format, master_key_id, nonce, ciphertext, created_at, updated_at, updated_by, "
    "origins FROM vault_keys ";

SecretRow read_row(Statement& st) {
  SecretRow r;
  r.tenant = st.get_text(0);
  r.name = st.get_text(1);
  r.format = static_cast<int>(st.get_int(2));
  r.master_key_id = st.get_text(3);
  r.nonce = st.get_text(4);
  r.ciphertext = st.get_text(5);
  r.created_at = st.get_text(6);
  r.updated_at = st.get_text(7);
  r.updated_by = st.get_text(8);
  r.origins = split_origins(st.get_text(9));
  return r;
}

std::vector<std::string> texts(Statement st) {
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.get_text(0));
  return out;
}

}  // namespace

bool SqliteSecretRepository::put(const SecretRow& row) {
  return db_.transaction([&] {
    const bool replaced = find(row.tenant, row.name).has_value();
    const std::string now = now_text(*clock_);
    db_.prepare(
           "INSERT INTO vault_keys (tenant, name, format, master_key_id, nonce, ciphertext, created_at, "
           "updated_at, "
           "updated_by, origins) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, name) DO UPDATE SET "
           "format = excluded.format, master_key_id = excluded.master_key_id, nonce = excluded.nonce, "
           "ciphertext = excluded.ciphertext, updated_at = excluded.updated_at, updated_by = "
           "excluded.updated_by, origins = excluded.origins")
        .bind(1, row.tenant)
        .bind(2, row.name)
        .bind(3, row.format)
        .bind(4, row.master_key_id)
        .bind(5, row.nonce)
        .bind(6, row.ciphertext)
        .bind(7, now)
        .bind(8, now)
        .bind(9, row.updated_by)
        .bind(10, join_origins(row.origins))
        .run();
    return replaced;
  });
}

bool SqliteSecretRepository::reseal(const SecretRow& row) {
  return db_.transaction([&] {
    if (!find(row.tenant, row.name)) return false;
    db_.prepare(
           "UPDATE vault_keys SET format = ?, master_key_id = ?, nonce = ?, ciphertext = ? "
           "WHERE tenant = ? AND name = ?")
        .bind(1, row.format)
        .bind(2, row.master_key_id)
        .bind(3, row.nonce)
        .bind(4, row.ciphertext)
        .bind(5, row.tenant)
        .bind(6, row.name)
        .run();
    return true;
  });
}

std::optional<SecretRow> SqliteSecretRepository::find(const std::string& tenant, const std::string& name) {
  auto st = db_.prepare(std::string(kColumns) + "WHERE tenant = ? AND name = ?");
  st.bind(1, tenant).bind(2, name);
  if (!st.step()) return std::nullopt;
  return read_row(st);
}

std::vector<SecretRow> SqliteSecretRepository::list(const std::string& tenant) {
  auto st = db_.prepare(std::string(kColumns) + "WHERE tenant = ? ORDER BY name");
  st.bind(1, tenant);
  std::vector<SecretRow> out;
  while (st.step()) out.push_back(read_row(st));
  return out;
}

bool SqliteSecretRepository::remove(const std::string& tenant, const std::string& name) {
  return db_.transaction([&] {
    if (!find(tenant, name)) return false;
    db_.prepare("DELETE FROM vault_keys WHERE tenant = ? AND name = ?").bind(1, tenant).bind(2, name).run();
    return true;
  });
}

std::vector<std::string> SqliteSecretRepository::tenants() {
  return texts(db_.prepare("SELECT DISTINCT tenant FROM vault_keys ORDER BY tenant"));
}

std::vector<std::string> SqliteSecretRepository::master_key_ids() {
  return texts(db_.prepare("SELECT DISTINCT master_key_id FROM vault_keys ORDER BY master_key_id"));
}

}  // namespace keel::store
