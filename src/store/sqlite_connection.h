// src/store/sqlite_connection.h (private): the SQLite backend, SqlConnection (sql.h) over one
// SQLite connection configured for keel, and its statements.
//
// SqliteConnection owns the connection: WAL journal (a rollback journal during a bulk load, see
// begin_bulk_load), foreign keys on, a busy timeout, and every numbered migration applied at open.
// SQL goes to SQLite as written (`?` placeholders are SQLite's own), with parameters bound (only
// parameterised SQL; never string-built values). `transaction` runs its function inside
// BEGIN IMMEDIATE ... COMMIT and rolls back when it throws, which is how every import is made
// all-or-nothing. BEGIN IMMEDIATE takes the write lock at the start, so a check made inside the
// function against stored rows (a ledger sale against holdings) still holds at COMMIT: no other
// writer can commit in between. A transaction called inside another joins it (one COMMIT or
// ROLLBACK at the outermost level); `run` runs its statements in autocommit. A write lock held by
// another connection past the busy timeout (5 s) is keel::Error(conflict): nothing was changed.
//
// Statements are kept prepared: a statement done with (reset, its bindings cleared) waits for the
// next prepare of the same SQL text, so a repository's statements are parsed and planned once per
// connection, not once per call (at most kIdlePerSql of one text, kIdleTexts texts).
//
// SQL here is kept portable to PostgreSQL where it costs nothing (ON CONFLICT upserts, TEXT dates,
// no SQLite-only functions in repository queries).
//
// Thread-safety: one thread at a time (SQLite connections are not shared across threads).
// Ownership: the connection outlives the statements it prepared.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sql.h"

struct sqlite3;
struct sqlite3_stmt;

namespace keel::store {

class SqliteConnection;

// A prepared statement of a SqliteConnection: the implementation behind its SqlStatements, and
// used as it is where SQLite's own is needed (the storage class of a value, for a copy).
class SqliteStatement final : public SqlStatementImpl {
 public:
  // A statement of `sql`: one the connection kept idle, or a new one. Throws keel::Error when the
  // SQL does not prepare.
  SqliteStatement(SqliteConnection& conn, std::string_view sql);
  // Back to the connection, reset, to wait for the next prepare of the same SQL.
  ~SqliteStatement() override;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters are 1-based, as in SQLite.
  void bind_int(int index, std::int64_t value) override;
  void bind_double(int index, double value) override;
  void bind_text(int index, std::string_view value) override;
  void bind_null(int index) override;
  void bind_blob(int index, std::string_view bytes) override;
  // Advances; true when a row is available, false when done. Throws keel::Error on failure
  // (conflict for constraint violations, internal otherwise).
  bool step() override;
  // Ready to step again, keeping the bound values: every parameter is bound again before the next
  // step (a price import binds every one of a many-row INSERT's parameters per run), so they are
  // not cleared in between.
  void reset() override;
  std::int64_t changes() override;

  // The storage class of a column's value in the current row (SQLite types values, not columns).
  enum class Type { kNull, kInteger, kReal, kText, kBlob };
  Type type(int column) const;
  bool is_null(int column) const override;
  double get_double(int column) const override;
  std::int64_t get_int(int column) const override;
  std::string_view text(int column) const override;
  std::string get_blob(int column) const override;

 private:
  SqliteConnection* conn_;
  std::string sql_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public SqlConnection {
 public:
  // Opens (creating if needed) the database at `path` (":memory:": an in-memory one) and
  // migrates. Throws keel::Error(internal) when the file cannot be opened, and invalid_input when
  // it is not a keel database or is newer than this program.
  explicit SqliteConnection(const std::string& path);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  const Dialect& dialect() const override { return kSqliteDialect; }
  SqlStatement prepare(std::string_view sql) override;
  void set_tenant(const std::string&) override {}
  void lock_until_commit(std::int64_t) override {}
  std::unique_ptr<SqlBulkInsert> bulk_insert(const BulkInsertSpec& spec) override;
  PriceImportStats upsert_prices(const std::function<bool(PriceRows&)>& next_chunk,
                                 const std::function<void()>& before_commit) override;
  void store_transaction(const std::function<void()>& fn) override { enter(true, std::nullopt, fn); }

  // Runs `sql`: one or more statements without parameters.
  void exec(std::string_view sql);
  // Applies every SQLite migration (migrations.h) the database has not recorded, in version order
  // (migrations.cpp). Throws keel::Error(invalid_input) when the database is newer than this
  // program knows.
  void migrate();
  int schema_version();
  // Writes a consistent copy of this database (the last committed state when it starts; writers
  // on other connections go on meanwhile in WAL mode) to a new file at `path`, with SQLite's online
  // backup API. Throws keel::Error(internal) when the file cannot be written.
  void backup_to(const std::string& path);

  // For a bulk load into a file: switches this connection from the WAL to SQLite's rollback
  // journal with synchronous = FULL, when that is possible at once (outside a transaction, and no
  // other connection has the file open). In WAL mode every page a load writes is written twice
  // (to the log, then by the checkpoint into the file); a rollback journal keeps a copy only of
  // the pages that existed before the transaction, so pages a load appends are written once. A
  // crash still leaves the file as it was before the transaction or after the commit (the hot
  // journal is rolled back at the next open), and the commit is fsynced. Returns false, changing
  // nothing, when it cannot switch (in-memory database, open transaction, other connections).
  bool begin_bulk_load();
  // Back to WAL with synchronous = NORMAL after begin_bulk_load() returned true. If another
  // connection opened the file meanwhile the switch waits for the next open (which sets WAL): the
  // store stays correct, only in rollback-journal mode until then. Never throws.
  void end_bulk_load() noexcept;

  // For a writer of many rows in one transaction whose every foreign key names a row it resolved
  // itself inside that transaction, under the write lock, and checks again before its commit (the
  // price import: instruments by symbol): until end_bulk_write(), this connection does not check
  // foreign keys row by row (a lookup of the parent per row: ~15% of the import's SQLite work),
  // and a file database gets a page cache of kBulkWriteCacheKib, so that the pages a load appends
  // are written out and their memory reused as it goes instead of held to the commit (a fresh page
  // of memory costs a page fault; the pages are written once either way). Returns false, changing
  // nothing, inside a transaction (SQLite ignores `PRAGMA foreign_keys` there).
  bool begin_bulk_write();
  // Foreign keys on again and the page cache as before. Never throws.
  void end_bulk_write() noexcept;
  static constexpr int kBulkWriteCacheKib = 4096;

 protected:
  void enter(bool transaction, const std::optional<std::string>& tenant,
             const std::function<void()>& fn) override;

 private:
  friend class SqliteStatement;
  // A prepared statement of `sql`: one kept idle, or a new one.
  sqlite3_stmt* take_statement(const std::string& sql);
  // `st`, reset, back to wait for the next prepare of `sql` (finalized when enough wait already).
  void give_back(std::string&& sql, sqlite3_stmt* st) noexcept;
  // Finalizes the idle statements, then closes the connection (which a statement left unfinalized
  // would keep open, its WAL not checkpointed).
  void close() noexcept;

  static constexpr std::size_t kIdlePerSql = 4;
  static constexpr std::size_t kIdleTexts = 512;
  sqlite3* db_ = nullptr;
  std::string path_;
  int depth_ = 0;                                  // transactions entered, 1 at most (nested ones join)
  std::int64_t cache_size_before_bulk_write_ = 0;  // `PRAGMA cache_size` as it was (0: not changed)
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_;
};

}  // namespace keel::store
