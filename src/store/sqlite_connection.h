// src/store/sqlite_connection.h (private): SqlConnection (sql.h) over an SQLite Database.
//
// `transaction` is Database::transaction (BEGIN IMMEDIATE, joined when nested), `run` runs its
// statements in autocommit; SQL goes to SQLite as written (`?` placeholders are SQLite's own).
//
// Thread-safety: one thread at a time, like the Database. Ownership: the Database outlives it.
#pragma once

#include "keel/store/database.h"
#include "sql.h"

namespace keel::store {

class SqliteConnection final : public SqlConnection {
 public:
  explicit SqliteConnection(Database& db) : db_(&db) {}
  const Dialect& dialect() const override { return kSqliteDialect; }
  SqlStatement prepare(std::string_view sql) override;
  void set_tenant(const std::string&) override {}
  void lock_until_commit(std::int64_t) override {}
  std::unique_ptr<SqlBulkInsert> bulk_insert(const BulkInsertSpec& spec) override;
  PriceImportStats upsert_prices(const std::function<bool(PriceRows&)>& next_chunk,
                                 const std::function<void()>& before_commit) override;
  Database& database() { return *db_; }

 protected:
  void enter(bool transaction, const std::optional<std::string>& tenant,
             const std::function<void()>& fn) override;

 private:
  Database* db_;
};

}  // namespace keel::store
