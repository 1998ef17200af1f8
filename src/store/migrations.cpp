// Applying the SQLite migrations. Their texts are src/store/migrations/*.sql, embedded at build
// time by cmake/embed_migrations.cmake into the generated source that defines migrations().
#include "keel/store/migrations.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "sqlite_connection.h"

namespace keel::store {

void check_not_newer(int newest) {
  const int latest = migrations().empty() ? 0 : migrations().back().version;
  if (newest > latest) {
    throw Error::invalid_input(
        fmt::format("database schema version {} is newer than this keel ({}): upgrade keel", newest, latest));
  }
}

void SqliteConnection::migrate() {
  exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
      "description TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT "
      "(strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))");
  // Apply every migration not yet recorded, in version order, so that a migration numbered
  // below the newest applied one (developed in parallel) is still applied.
  const std::vector<int> applied =
      prepare("SELECT version FROM schema_version ORDER BY version").rows([](const SqlStatement& r) {
        return static_cast<int>(r.get_int(0));
      });
  if (!applied.empty()) check_not_newer(applied.back());
  for (const Migration& m : migrations()) {
    if (std::find(applied.begin(), applied.end(), m.version) != applied.end()) continue;
    transaction(std::nullopt, [&] {
      // Another process opening the same new store may have applied it since the read above:
      // check again under the write lock (BEGIN IMMEDIATE) before applying.
      if (prepare("SELECT 1 FROM schema_version WHERE version = ?").bind(1, m.version).step()) return;
      exec(m.sql);
      prepare("INSERT INTO schema_version (version, description) VALUES (?, ?)")
          .run_row(m.version, m.description);
    });
  }
}

}  // namespace keel::store
