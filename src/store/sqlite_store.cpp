// The SQLite backend of keel::Store: SqlStore (sql_store.h) over a Database.
#include <fmt/format.h>

#include "keel/store/database.h"
#include "keel/store/postgresql.h"
#include "sql_store.h"
#include "sqlite_connection.h"

namespace keel {
namespace {

using store::Database;

// The Database and its connection, made before the SqlStore that uses them.
struct SqliteParts {
  explicit SqliteParts(Database database) : db(std::move(database)) {}
  Database db;
  store::SqliteConnection sql{db};
};

class SqliteStore final : private SqliteParts, public store::SqlStore {
 public:
  SqliteStore(Database db, const Clock& clock) : SqliteParts(std::move(db)), SqlStore(sql, clock) {}

 protected:
  // BEGIN IMMEDIATE: the write lock from the start.
  void run_transaction(const std::function<void()>& fn) override { db.transaction(fn); }
};

}  // namespace

std::unique_ptr<Store> open_store(const std::string& path, const Clock& clock, const StoreOptions& options) {
  // A postgresql:// URL names a PostgreSQL store (store/postgresql.h); anything else is a file.
  if (store::pg::is_url(path)) return store::pg::open_store(path, clock);
  Database db = Database::open(path);
  if (options.page_cache_kib > 0) {
    // A negative cache_size is in KiB (SQLite's convention); the value is an integer, not text.
    db.exec(fmt::format("PRAGMA cache_size = -{}", options.page_cache_kib));
  }
  return std::make_unique<SqliteStore>(std::move(db), clock);
}

}  // namespace keel
