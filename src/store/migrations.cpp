// Applying the SQLite migrations. Their texts are src/store/migrations/*.sql, embedded at build
// time by cmake/embed_migrations.cmake into the generated source that defines migrations().
#include "keel/store/migrations.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/store/database.h"

namespace keel::store {

void check_not_newer(int newest) {
  const int latest = migrations().empty() ? 0 : migrations().back().version;
  if (newest > latest) {
    throw Error::invalid_input(
        fmt::format("database schema version {} is newer than this keel ({}): upgrade keel", newest, latest));
  }
}

void migrate(Database& db) {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
          "description TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT "
          "(strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))");
  // Apply every migration not yet recorded, in version order, so that a migration numbered
  // below the newest applied one (developed in parallel) is still applied.
  std::vector<int> applied;
  auto st = db.prepare("SELECT version FROM schema_version ORDER BY version");
  while (st.step()) applied.push_back(static_cast<int>(st.get_int(0)));
  if (!applied.empty()) check_not_newer(applied.back());
  for (const Migration& m : migrations()) {
    if (std::find(applied.begin(), applied.end(), m.version) != applied.end()) continue;
    db.transaction([&] {
      // Another process opening the same new store may have applied it since the read above:
      // check again under the write lock (BEGIN IMMEDIATE) before applying.
      bool done = false;
      {
        auto st2 = db.prepare("SELECT 1 FROM schema_version WHERE version = ?");
        st2.bind(1, m.version);
        done = st2.step();
      }
      if (done) return;
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_version (version, description) VALUES (?, ?)")
          .bind(1, m.version)
          .bind(2, m.description)
          .run();
    });
  }
}

}  // namespace keel::store
