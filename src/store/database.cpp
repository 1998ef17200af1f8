#include "keel/store/database.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdio>
#include <mutex>

#include "keel/core/error.h"
#include "keel/store/migrations.h"

namespace keel::store {
namespace {

constexpr int kBusyTimeoutMs = 5000;  // how long a connection waits for another's lock
constexpr int kWalRetryMs = 200;      // how long an opening connection waits to set WAL a second time

// The journal mode a `PRAGMA journal_mode = ...` left (SQLite answers with the mode in force).
std::string set_journal_mode(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  std::string mode;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(st, 0);
    if (text != nullptr) mode = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(st);
  return mode;
}

// Another connection held the write lock past the busy timeout: nothing of this write was done.
std::string busy_message(const std::string& msg) {
  return "the database is busy with another write (" + msg + "); nothing was changed: try again";
}

// SQLite's result code `rc` as keel::Error; `msg` says what failed, `other` prefixes it for the
// codes that are no conflict or foreign file.
[[noreturn]] void throw_error(int rc, const std::string& msg, std::string_view other = "") {
  const int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) throw Error::conflict(msg);
  if (primary == SQLITE_NOTADB) throw Error::invalid_input(msg);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw Error::conflict(busy_message(msg));
  throw Error::internal(fmt::format("{}{}", other, msg));
}

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  throw_error(rc, fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

// `st` after a bind that returned `rc`; throws when the bind failed.
Statement& bound(Statement& st, sqlite3* db, int rc) {
  if (rc != SQLITE_OK) fail(db, rc, "binding a parameter");
  return st;
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) fail(db, rc, "preparing SQL");
}

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, double value) {
  return bound(*this, db_, sqlite3_bind_double(stmt_, index, value));
}

Statement& Statement::bind(int index, std::int64_t value) {
  return bound(*this, db_, sqlite3_bind_int64(stmt_, index, value));
}

Statement& Statement::bind(int index, std::string_view value) {
  const auto n = static_cast<int>(value.size());
  return bound(*this, db_, sqlite3_bind_text(stmt_, index, value.data(), n, SQLITE_TRANSIENT));
}

Statement& Statement::bind_null(int index) {
  return bound(*this, db_, sqlite3_bind_null(stmt_, index));
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  const auto n = static_cast<int>(bytes.size());
  return bound(*this, db_, sqlite3_bind_blob(stmt_, index, bytes.data(), n, SQLITE_TRANSIENT));
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, rc, "running SQL");
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::reset_keeping_bindings() {
  sqlite3_reset(stmt_);
}

Statement::Type Statement::type(int column) const {
  switch (sqlite3_column_type(stmt_, column)) {
    case SQLITE_INTEGER:
      return Type::kInteger;
    case SQLITE_FLOAT:
      return Type::kReal;
    case SQLITE_TEXT:
      return Type::kText;
    case SQLITE_BLOB:
      return Type::kBlob;
    default:
      return Type::kNull;
  }
}

std::string Statement::get_blob(int column) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  if (p == nullptr) return {};
  return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
double Statement::get_double(int column) const {
  return sqlite3_column_double(stmt_, column);
}
std::int64_t Statement::get_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string_view Statement::get_text_view(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

Database Database::open(const std::string& path) {
  // keel does not read SQLite's memory statistics; turning them off removes a global mutex from
  // every allocation (measurable in bulk imports). Must precede the library's initialisation.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = path + ": cannot open database: " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    throw Error::internal(msg);
  }
  Database out(db, path);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  try {
    out.exec("PRAGMA foreign_keys = ON");
    if (path != ":memory:") {
      // 8 KiB pages instead of SQLite's 4 KiB: a bulk price import writes each page twice (WAL,
      // then checkpoint), and fewer, fuller pages cut that work by ~8% (bench/compare_import.sh).
      // Only takes effect on a new, empty file; an existing store keeps its page size.
      out.exec("PRAGMA page_size = 8192");
      // Without waiting: a bulk load on another connection may hold the file in rollback-journal
      // mode for the length of its transaction (begin_bulk_load). This connection then reads the
      // file as it is, and follows it back to WAL when the loader switches after its commit.
      // Outside WAL, synchronous = FULL keeps the rollback journal safe against power cuts.
      // Two connections opening a new file at once can each block the other's switch: the second
      // try waits a moment, so one of them leaves the file in WAL.
      sqlite3_busy_timeout(db, 0);
      bool wal = set_journal_mode(db, "PRAGMA journal_mode = WAL") == "wal";
      if (!wal) {
        sqlite3_busy_timeout(db, kWalRetryMs);
        wal = set_journal_mode(db, "PRAGMA journal_mode = WAL") == "wal";
      }
      sqlite3_busy_timeout(db, kBusyTimeoutMs);
      out.exec(wal ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL");
    }
    out.exec("PRAGMA cache_size = -65536");  // 64 MiB page cache
    out.exec("PRAGMA temp_store = MEMORY");
    // Reads through a memory map of the file (its first GiB) instead of copying every page into
    // the page cache: a risk run reading the prices of 465 stocks spends a quarter less CPU on
    // the read (docs/risk.md, "Where the time goes"). Writes still go through SQLite's pager.
    out.exec("PRAGMA mmap_size = 1073741824");
    migrate(out);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kInvalidInput ||
        std::string(e.what()).find("not a database") != std::string::npos) {
      throw Error::invalid_input(path + ": not a keel database (" + e.what() + ")");
    }
    throw;
  }
  return out;
}

bool Database::begin_bulk_load() {
  if (depth_ > 0 || path_ == ":memory:" || sqlite3_get_autocommit(db_) == 0) return false;
  // Leaving WAL needs the file to itself: ask once, without waiting on other connections.
  sqlite3_busy_timeout(db_, 0);
  const std::string mode = set_journal_mode(db_, "PRAGMA journal_mode = DELETE");
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  if (mode != "delete") {
    set_journal_mode(db_, "PRAGMA journal_mode = WAL");  // whatever happened, WAL as before
    return false;
  }
  exec("PRAGMA synchronous = FULL");  // the rollback journal's crash safety needs both syncs
  return true;
}

bool Database::begin_bulk_write() {
  if (depth_ > 0 || sqlite3_get_autocommit(db_) == 0) return false;
  try {
    if (path_ != ":memory:") {
      auto st = prepare("PRAGMA cache_size");
      const std::int64_t before = st.step() ? st.get_int(0) : 0;
      exec(fmt::format("PRAGMA cache_size = -{}", kBulkWriteCacheKib));
      cache_size_before_bulk_write_ = before;
    }
    exec("PRAGMA foreign_keys = OFF");
  } catch (...) {
    end_bulk_write();
    throw;
  }
  return true;
}

void Database::end_bulk_write() noexcept {
  sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
  if (cache_size_before_bulk_write_ != 0) {
    char sql[64];
    const auto before = static_cast<long long>(cache_size_before_bulk_write_);
    std::snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", before);
    sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    cache_size_before_bulk_write_ = 0;
  }
}

void Database::end_bulk_load() noexcept {
  sqlite3_busy_timeout(db_, 0);
  const std::string mode = set_journal_mode(db_, "PRAGMA journal_mode = WAL");
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // Never throws (it runs from destructors): a failure leaves synchronous = FULL, safe and slower.
  if (mode == "wal") sqlite3_exec(db_, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
}

Database::~Database() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

void Database::exec(std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw_error(rc, msg, "SQL failed: ");
  }
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(db_);
}

int Database::schema_version() {
  auto st = prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  return st.step() ? static_cast<int>(st.get_int(0)) : 0;
}

void Database::backup_to(const std::string& path) {
  sqlite3* out = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg =
        path + ": cannot create the backup: " + (out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
    sqlite3_close(out);
    throw Error::internal(msg);
  }
  sqlite3_backup* b = sqlite3_backup_init(out, "main", db_, "main");
  if (b == nullptr) {
    std::string msg = path + ": cannot start the backup: " + sqlite3_errmsg(out);
    sqlite3_close(out);
    throw Error::internal(msg);
  }
  // All pages in one step: it reads one snapshot, and in WAL mode writers are not blocked by it.
  rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    std::string msg = path + ": the backup failed: " + sqlite3_errstr(rc);
    sqlite3_close(out);
    throw Error::internal(msg);
  }
  rc = sqlite3_close(out);
  if (rc != SQLITE_OK) throw Error::internal(path + ": closing the backup failed: " + sqlite3_errstr(rc));
}

}  // namespace keel::store
