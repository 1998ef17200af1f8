// src/store/sqlite_connection.h (private): SqlConnection (sql.h) over an SQLite Database.
//
// `transaction` is Database::transaction (BEGIN IMMEDIATE, joined when nested), `run` runs its
// statements in autocommit; SQL goes to SQLite as written (`?` placeholders are SQLite's own).
// Statements are kept prepared: a statement done with (reset, its bindings cleared) waits for the
// next prepare of the same SQL text, so a repository's statements are parsed and planned once per
// connection, not once per call (at most kIdlePerSql of one text, kIdleTexts texts).
//
// Thread-safety: one thread at a time, like the Database. Ownership: it owns the Database, and
// outlives the statements it prepared.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "keel/store/database.h"
#include "sql.h"

namespace keel::store {

class SqliteConnection final : public SqlConnection {
 public:
  explicit SqliteConnection(Database db) : db_(std::move(db)) {}
  const Dialect& dialect() const override { return kSqliteDialect; }
  SqlStatement prepare(std::string_view sql) override;
  void set_tenant(const std::string&) override {}
  void lock_until_commit(std::int64_t) override {}
  std::unique_ptr<SqlBulkInsert> bulk_insert(const BulkInsertSpec& spec) override;
  PriceImportStats upsert_prices(const std::function<bool(PriceRows&)>& next_chunk,
                                 const std::function<void()>& before_commit) override;
  void store_transaction(const std::function<void()>& fn) override { db_.transaction(fn); }
  Database& database() { return db_; }

  // A prepared statement of `sql`: one kept idle, or a new one.
  std::unique_ptr<Statement> take_statement(std::string_view sql);
  // `st`, reset, back to wait for the next prepare of `sql` (finalized when enough wait already).
  void give_back(std::string&& sql, std::unique_ptr<Statement> st);

 protected:
  void enter(bool transaction, const std::optional<std::string>& tenant,
             const std::function<void()>& fn) override;

 private:
  static constexpr std::size_t kIdlePerSql = 4;
  static constexpr std::size_t kIdleTexts = 512;
  Database db_;  // closed after the statements below are finalized
  std::unordered_map<std::string, std::vector<std::unique_ptr<Statement>>> idle_;
};

}  // namespace keel::store
