// keel/store/database.h: a thin, safe layer over an SQLite connection.
//
// This is the SQLite backend's own layer: src/store and the store's tests use it; nothing above
// the store includes it (they use keel::Store and the repositories it hands out).
//
// Database owns one connection configured for keel: WAL journal (a rollback journal during a bulk
// load, see begin_bulk_load), foreign keys on, a busy timeout, and every numbered migration applied
// at open. Statement binds parameters (only
// parameterised SQL; never string-built values) and reads columns. `transaction` runs a
// function inside BEGIN IMMEDIATE ... COMMIT and rolls back when it throws, which is how every
// import is made all-or-nothing. BEGIN IMMEDIATE takes the write lock at the start, so a check
// made inside the function against stored rows (a ledger sale against holdings) still holds at
// COMMIT: no other writer can commit in between. A transaction() called inside another joins it
// (one COMMIT or ROLLBACK at the outermost level). A write lock held by another connection past
// the busy timeout (5 s) is keel::Error(conflict): nothing was changed.
//
// SQL here is kept portable to PostgreSQL where it costs nothing (ON CONFLICT upserts, TEXT dates,
// no SQLite-only functions in repository queries).
//
// Thread-safety: one Database per thread (SQLite connections are not shared across threads).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace keel::store {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite.
  Statement& bind(int index, double value);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index);
  Statement& bind_blob(int index, std::string_view bytes);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Advances; true when a row is available, false when done. Throws keel::Error on failure
  // (conflict for constraint violations, internal otherwise).
  bool step();
  // Steps a statement that returns no rows.
  void run() {
    while (step()) {
    }
  }
  void reset();
  // Resets for another step keeping the bound values (for a statement whose every parameter is
  // bound again before each step: skips clearing them).
  void reset_keeping_bindings();

  // The storage class of a column's value in the current row (SQLite types values, not columns).
  enum class Type { kNull, kInteger, kReal, kText, kBlob };
  Type type(int column) const;
  bool is_null(int column) const;
  double get_double(int column) const;
  std::int64_t get_int(int column) const;
  std::string get_text(int column) const { return std::string(get_text_view(column)); }
  // The same without a copy, valid until the next step or reset.
  std::string_view get_text_view(int column) const;
  std::string get_blob(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  // Opens (creating if needed) and migrates. Throws keel::Error(internal) when the file cannot be
  // opened, and invalid_input when it is not a keel database or is newer than this program.
  static Database open(const std::string& path);
  // An in-memory database (tests).
  static Database open_memory() { return open(":memory:"); }

  Database(Database&& other) noexcept
      : db_(std::exchange(other.db_, nullptr)),
        path_(std::move(other.path_)),
        depth_(other.depth_),
        cache_size_before_bulk_write_(other.cache_size_before_bulk_write_) {}
  Database& operator=(Database&&) = delete;
  Database(const Database&) = delete;
  ~Database();

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  // Rows inserted, updated or deleted by the last such statement that completed.
  std::int64_t changes() const;
  int schema_version();
  // Writes a consistent copy of this database (the last committed state when it starts; writers
  // on other connections go on meanwhile in WAL mode) to a new file at `path`, with SQLite's online
  // backup API. Throws keel::Error(internal) when the file cannot be written.
  void backup_to(const std::string& path);
  const std::string& path() const { return path_; }

  // True inside transaction().
  bool in_transaction() const { return depth_ > 0; }

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
  // connection opened the file meanwhile the switch waits for the next open (Database::open sets
  // WAL): the store stays correct, only in rollback-journal mode until then. Never throws.
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

  template <class F>
  auto transaction(F&& fn) {
    if (depth_ > 0) return fn();  // nested: part of the enclosing transaction
    exec("BEGIN IMMEDIATE");
    depth_ = 1;
    try {
      if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        depth_ = 0;
        exec("COMMIT");
      } else {
        auto result = fn();
        depth_ = 0;
        exec("COMMIT");
        return result;
      }
    } catch (...) {
      depth_ = 0;
      exec("ROLLBACK");
      throw;
    }
  }

 private:
  explicit Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  int depth_ = 0;
  std::int64_t cache_size_before_bulk_write_ = 0;  // `PRAGMA cache_size` as it was (0: not changed)
};

}  // namespace keel::store
