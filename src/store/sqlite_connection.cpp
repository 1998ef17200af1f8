#include "sqlite_connection.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <mutex>
#include <unordered_map>

#include "keel/core/error.h"
#include "price_order.h"

namespace keel::store {
namespace {

constexpr int kBusyTimeoutMs = 5000;  // how long a connection waits for another's lock
constexpr int kWalRetryMs = 200;      // how long an opening connection waits to set WAL a second time
constexpr const char* kWal = "PRAGMA journal_mode = WAL";

// The journal mode a `PRAGMA journal_mode = ...` left (SQLite answers with the mode in force),
// asked waiting at most `wait_ms` for other connections' locks.
std::string set_journal_mode(sqlite3* db, const char* sql, int wait_ms) {
  sqlite3_busy_timeout(db, wait_ms);
  sqlite3_stmt* st = nullptr;
  std::string mode;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(st, 0);
    if (text != nullptr) mode = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(st);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return mode;
}

// SQLite's result code `rc` as keel::Error; `msg` says what failed, `other` prefixes it for the
// codes that are no conflict or foreign file.
[[noreturn]] void throw_error(int rc, const std::string& msg, std::string_view other = "") {
  const int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) throw Error::conflict(msg);
  if (primary == SQLITE_NOTADB) throw Error::invalid_input(msg);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    // Another connection held the write lock past the busy timeout: nothing of this write was done.
    throw Error::conflict("the database is busy with another write (" + msg +
                          "); nothing was changed: try again");
  }
  throw Error::internal(fmt::format("{}{}", other, msg));
}

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  throw_error(rc, fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

// Throws when a bind returned `rc` other than SQLITE_OK.
inline void bound(sqlite3* db, int rc) {
  if (rc != SQLITE_OK) [[unlikely]]
    fail(db, rc, "binding a parameter");
}

}  // namespace

SqliteStatement::SqliteStatement(SqliteConnection& conn, std::string_view sql)
    : conn_(&conn), sql_(sql), stmt_(conn.take_statement(sql_)) {}

SqliteStatement::~SqliteStatement() {
  conn_->give_back(std::move(sql_), stmt_);
}

void SqliteStatement::bind_int(int index, std::int64_t value) {
  bound(conn_->db_, sqlite3_bind_int64(stmt_, index, value));
}

void SqliteStatement::bind_double(int index, double value) {
  bound(conn_->db_, sqlite3_bind_double(stmt_, index, value));
}

void SqliteStatement::bind_text(int index, std::string_view value) {
  bound(conn_->db_,
        sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT));
}

void SqliteStatement::bind_null(int index) {
  bound(conn_->db_, sqlite3_bind_null(stmt_, index));
}

void SqliteStatement::bind_blob(int index, std::string_view bytes) {
  bound(conn_->db_,
        sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT));
}

bool SqliteStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(conn_->db_, rc, "running SQL");
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
}

std::int64_t SqliteStatement::changes() {
  return sqlite3_changes64(conn_->db_);
}

SqliteStatement::Type SqliteStatement::type(int column) const {
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

bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

double SqliteStatement::get_double(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::int64_t SqliteStatement::get_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string_view SqliteStatement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::string SqliteStatement::get_blob(int column) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  if (p == nullptr) return {};
  return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

SqliteConnection::SqliteConnection(const std::string& path) : path_(path) {
  // keel does not read SQLite's memory statistics; turning them off removes a global mutex from
  // every allocation (measurable in bulk imports). Must precede the library's initialisation.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = path + ": cannot open database: " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close(db_);
    throw Error::internal(msg);
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // octet_length(x), PostgreSQL's and SQLite 3.43's: the bytes of a text or blob, NULL for NULL,
  // so that SQL measuring what a tenant keeps (store/storage_repository.cpp) is written once.
  if (sqlite3_libversion_number() < 3043000) {
    sqlite3_create_function(
        db_, "octet_length", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
        [](sqlite3_context* ctx, int, sqlite3_value** argv) {
          if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
          sqlite3_result_int64(ctx, sqlite3_value_bytes(argv[0]));
        },
        nullptr, nullptr);
  }
  try {
    exec("PRAGMA foreign_keys = ON");
    if (path != ":memory:") {
      // 8 KiB pages instead of SQLite's 4 KiB: a bulk price import writes each page twice (WAL,
      // then checkpoint), and fewer, fuller pages cut that work by ~8% (bench/compare_import.sh).
      // Only takes effect on a new, empty file; an existing store keeps its page size.
      exec("PRAGMA page_size = 8192");
      // Without waiting: a bulk load on another connection may hold the file in rollback-journal
      // mode for the length of its transaction (begin_bulk_load). This connection then reads the
      // file as it is, and follows it back to WAL when the loader switches after its commit.
      // Outside WAL, synchronous = FULL keeps the rollback journal safe against power cuts.
      // Two connections opening a new file at once can each block the other's switch: the second
      // try waits a moment, so one of them leaves the file in WAL.
      const bool wal =
          set_journal_mode(db_, kWal, 0) == "wal" || set_journal_mode(db_, kWal, kWalRetryMs) == "wal";
      exec(wal ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL");
    }
    exec("PRAGMA cache_size = -65536");  // 64 MiB page cache
    exec("PRAGMA temp_store = MEMORY");
    // Reads through a memory map of the file (its first GiB) instead of copying every page into
    // the page cache: a risk run reading the prices of 465 stocks spends a quarter less CPU on
    // the read (docs/risk.md, "Where the time goes"). Writes still go through SQLite's pager.
    exec("PRAGMA mmap_size = 1073741824");
    migrate();
  } catch (const Error& e) {
    close();
    if (e.code() == ErrorCode::kInvalidInput ||
        std::string(e.what()).find("not a database") != std::string::npos) {
      throw Error::invalid_input(path + ": not a keel database (" + e.what() + ")");
    }
    throw;
  } catch (...) {
    close();
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  close();
}

void SqliteConnection::close() noexcept {
  for (auto& [sql, statements] : idle_) {
    for (sqlite3_stmt* st : statements) sqlite3_finalize(st);
  }
  idle_.clear();
  sqlite3_close_v2(db_);
}

SqlStatement SqliteConnection::prepare(std::string_view sql) {
  return SqlStatement(std::make_unique<SqliteStatement>(*this, sql));
}

sqlite3_stmt* SqliteConnection::take_statement(const std::string& sql) {
  if (auto it = idle_.find(sql); it != idle_.end() && !it->second.empty()) {
    sqlite3_stmt* st = it->second.back();
    it->second.pop_back();
    return st;
  }
  sqlite3_stmt* st = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st, nullptr);
  if (rc != SQLITE_OK) fail(db_, rc, "preparing SQL");
  return st;
}

void SqliteConnection::give_back(std::string&& sql, sqlite3_stmt* st) noexcept {
  // Reset, a statement holds no read snapshot and no bound text while it waits.
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  try {
    auto it = idle_.find(sql);
    if (it == idle_.end() && idle_.size() < kIdleTexts) {
      it = idle_.emplace(std::move(sql), std::vector<sqlite3_stmt*>{}).first;
    }
    if (it != idle_.end() && it->second.size() < kIdlePerSql) {
      it->second.push_back(st);
      return;
    }
  } catch (...) {
    // Not kept (no memory for the map): the statement is finalized below.
  }
  sqlite3_finalize(st);  // enough of this text, or enough texts, kept already
}

void SqliteConnection::exec(std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw_error(rc, msg, "SQL failed: ");
  }
}

int SqliteConnection::schema_version() {
  return static_cast<int>(prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version").first_int());
}

void SqliteConnection::enter(bool transaction, const std::optional<std::string>&,
                             const std::function<void()>& fn) {
  if (!transaction || depth_ > 0) return fn();  // a run, or nested: part of the enclosing transaction
  exec("BEGIN IMMEDIATE");
  depth_ = 1;
  try {
    fn();
    depth_ = 0;
    exec("COMMIT");
  } catch (...) {
    depth_ = 0;
    exec("ROLLBACK");
    throw;
  }
}

bool SqliteConnection::begin_bulk_load() {
  if (depth_ > 0 || path_ == ":memory:" || sqlite3_get_autocommit(db_) == 0) return false;
  // Leaving WAL needs the file to itself: ask once, without waiting on other connections.
  if (set_journal_mode(db_, "PRAGMA journal_mode = DELETE", 0) != "delete") {
    set_journal_mode(db_, kWal, kBusyTimeoutMs);  // whatever happened, WAL as before
    return false;
  }
  exec("PRAGMA synchronous = FULL");  // the rollback journal's crash safety needs both syncs
  return true;
}

void SqliteConnection::end_bulk_load() noexcept {
  // Never throws (it runs from destructors): a failure leaves synchronous = FULL, safe and slower.
  if (set_journal_mode(db_, kWal, 0) == "wal")
    sqlite3_exec(db_, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
}

bool SqliteConnection::begin_bulk_write() {
  if (depth_ > 0 || sqlite3_get_autocommit(db_) == 0) return false;
  try {
    if (path_ != ":memory:") {
      const std::int64_t before = prepare("PRAGMA cache_size").first_int();
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

void SqliteConnection::end_bulk_write() noexcept {
  sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
  if (cache_size_before_bulk_write_ != 0) {
    char sql[64];
    const auto before = static_cast<long long>(cache_size_before_bulk_write_);
    std::snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", before);
    sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    cache_size_before_bulk_write_ = 0;
  }
}

void SqliteConnection::backup_to(const std::string& path) {
  sqlite3* out = nullptr;
  // Closes the copy and throws "`path`: `what`: `detail`".
  const auto fail_backup = [&](std::string_view what, const char* detail) {
    std::string msg = fmt::format("{}: {}: {}", path, what, detail);
    sqlite3_close(out);
    throw Error::internal(msg);
  };
  int rc = sqlite3_open_v2(path.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK)
    fail_backup("cannot create the backup", out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
  sqlite3_backup* b = sqlite3_backup_init(out, "main", db_, "main");
  if (b == nullptr) fail_backup("cannot start the backup", sqlite3_errmsg(out));
  // All pages in one step: it reads one snapshot, and in WAL mode writers are not blocked by it.
  rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) fail_backup("the backup failed", sqlite3_errstr(rc));
  rc = sqlite3_close(out);
  if (rc != SQLITE_OK) throw Error::internal(path + ": closing the backup failed: " + sqlite3_errstr(rc));
}

std::unique_ptr<SqlBulkInsert> SqliteConnection::bulk_insert(const BulkInsertSpec& spec) {
  // One prepared INSERT, run once per row.
  return std::make_unique<SqlBulkInsert>(
      prepare(insert_sql(spec.table, fmt::format("{}, {}", spec.key_column, spec.columns))), spec.key, [] {});
}

PriceImportStats SqliteConnection::upsert_prices(const std::function<bool(PriceRows&)>& next_chunk,
                                                 const std::function<void()>& before_commit) {
  // A switch of this connection, turned off again on leaving when it was turned on here.
  struct Switch {
    SqliteConnection& c;
    void (SqliteConnection::*off)();
    bool on;
    ~Switch() {
      if (on) (c.*off)();
    }
  };
  // The rows of a first import are pages appended to the file: with the rollback journal they are
  // written once instead of twice (begin_bulk_load). Both switches change nothing inside
  // a transaction (market data's save_fetch).
  const Switch bulk{*this, &SqliteConnection::end_bulk_load, begin_bulk_load()};
  // Every row names an instrument resolved below in this transaction, checked again before the
  // commit, so SQLite need not look each row's instrument up (begin_bulk_write).
  const Switch bulk_write{*this, &SqliteConnection::end_bulk_write, begin_bulk_write()};
  return transaction(std::nullopt, [&] {
    // Multi-row INSERTs amortise SQLite's per-statement work: kBatch rows per statement, then a
    // single-row statement for the tail.
    constexpr std::size_t kBatch = 256;
    // Bound and stepped as SqliteStatement (final): its calls are direct, not through SqlStatement.
    auto make_insert = [&](std::size_t rows_per_statement) {
      return std::make_unique<SqliteStatement>(
          *this, upsert_sql("prices", "instrument_id, date, close, adj_close, open, high, low, volume",
                            "instrument_id, date", "", rows_per_statement));
    };
    const auto batch = make_insert(kBatch);
    const auto single = make_insert(1);
    auto count_rows = prepare("SELECT COUNT(*) FROM prices WHERE instrument_id = ?");
    auto rows_of = [&](std::int64_t id) {
      return static_cast<std::size_t>(count_rows.bind(1, id).first_int());
    };
    // Rows inserted (not overwritten) per instrument. An instrument with no rows before the import
    // whose keys were all written in runs after every earlier key (price_order.h: every run of a
    // file grouped by symbol) gains one row per distinct key, counted here; any other is counted
    // again in SQL before the commit (a COUNT over the whole table would cost the import ~5%).
    struct Tally {
      std::size_t before = 0;
      std::size_t distinct = 0;  // distinct keys written, while `counted`
      bool counted = true;
    };
    std::unordered_map<std::int64_t, Tally> tally;
    auto add_symbol = prepare("INSERT INTO instruments (symbol) VALUES (?) ON CONFLICT (symbol) DO NOTHING");
    auto find_symbol = prepare("SELECT id FROM instruments WHERE symbol = ?");
    auto resolve = [&](const std::vector<std::string>& symbols) {
      std::vector<std::int64_t> out;
      out.reserve(symbols.size());
      for (const auto& symbol : symbols) {
        add_symbol.run_row(symbol);
        const std::int64_t id = find_symbol.bind(1, symbol).first_int();
        tally[id].before = rows_of(id);
        out.push_back(id);
      }
      return out;
    };
    auto write = [&](const PriceRun& run) {
      const auto& refs = run.refs;
      auto bind_row = [&](SqliteStatement& st, int base, const PriceRef& ref) {
        const PriceRows& c = run.chunks[ref.chunk];
        const std::size_t i = ref.row;
        const auto real_or_null = [&](int index, double v) {
          std::isnan(v) ? st.bind_null(base + index) : st.bind_double(base + index, v);
        };
        st.bind_int(base + 1, ref.instrument);
        st.bind_int(base + 2, ref.date);  // days since 1970-01-01 (migration 75)
        st.bind_double(base + 3, c.close[i]);
        real_or_null(4, c.adj_close[i]);
        real_or_null(5, c.open[i]);
        real_or_null(6, c.high[i]);
        real_or_null(7, c.low[i]);
        real_or_null(8, c.volume[i]);
      };
      const std::size_t n = refs.size();
      std::size_t i = 0;
      for (; i + kBatch <= n; i += kBatch) {
        for (std::size_t r = 0; r < kBatch; ++r) bind_row(*batch, static_cast<int>(8 * r), refs[i + r]);
        batch->step();
        batch->reset();  // bindings kept: every parameter is bound again before the next step
      }
      for (; i < n; ++i) {
        bind_row(*single, 0, refs[i]);
        single->step();
        single->reset();
      }
      Tally* t = nullptr;
      for (std::size_t k = 0; k < n; ++k) {
        if (k == 0 || refs[k].instrument != refs[k - 1].instrument) t = &tally[refs[k].instrument];
        if (!run.after_earlier_runs)
          t->counted = false;
        else if (k == 0 || !refs[k].same_key(refs[k - 1]))
          ++t->distinct;
      }
    };
    PriceImportStats stats = write_prices_in_key_order(next_chunk, resolve, write);
    // What the foreign key would have checked row by row: every instrument written exists.
    auto instrument = prepare("SELECT 1 FROM instruments WHERE id = ?");
    for (const auto& [id, t] : tally) {
      instrument.bind(1, id);
      if (!instrument.step()) throw Error::internal(fmt::format("prices name missing instrument {}", id));
      instrument.reset();
    }
    before_commit();
    for (const auto& [id, t] : tally) {
      stats.inserted += t.before == 0 && t.counted ? t.distinct : rows_of(id) - t.before;
    }
    stats.updated = stats.rows - stats.inserted;
    return stats;
  });
}

}  // namespace keel::store
