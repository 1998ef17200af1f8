// The SQLite backend of keel::Store: SqlStore (sql_store.h) over a Database; open_store, which
// chooses the backend by the location, and the PostgreSQL URL helpers it needs in every build.
#include <fmt/format.h>

#include "keel/store/database.h"
#include "keel/store/postgresql.h"
#include "sql_store.h"
#include "sqlite_connection.h"

namespace keel {

namespace store::pg {

bool is_url(std::string_view text) {
  return text.rfind("postgresql://", 0) == 0 || text.rfind("postgres://", 0) == 0;
}

std::string redact_url(std::string_view url) {
  // scheme://user:password@host... -> scheme://user:***@host...
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto start = scheme + 3;
  const auto at = url.find('@', start);
  const auto slash = url.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at))
    return std::string(url);
  const auto colon = url.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

}  // namespace store::pg

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
