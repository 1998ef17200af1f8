// The store's own use cases (keel/service/store_admin.h).
#include "keel/service/store_admin.h"

#include <filesystem>

#include "keel/core/error.h"
#include "keel/store/migrations.h"
#include "keel/store/postgresql.h"
#include "keel/store/store.h"
#include "keel/store/store_copy.h"

namespace keel::service {

DbMigrateResult db_migrate(const DbMigrateRequest& request) {
  DbMigrateResult out;
  if (store::pg::is_url(request.database)) {
    const store::pg::MigrateReport r = store::pg::migrate(request.database, request.app_role);
    out.backend = "postgresql";
    out.database = store::pg::redact_url(request.database);
    out.app_role = request.app_role;
    out.from_version = r.from_version;
    out.to_version = r.to_version;
    out.applied = r.applied;
  } else {
    // Opening an SQLite store applies every missing migration.
    open_store(request.database);
    out.backend = "sqlite";
    out.database = request.database;
    out.to_version = store::migrations().back().version;
  }
  return out;
}

DbCopyResult db_copy(const DbCopyRequest& request) {
  const store::CopyReport r = store::copy_store(request.from, request.to, {request.replace});
  DbCopyResult out{r.from, r.to, r.schema_version, {}, static_cast<std::int64_t>(r.rows),
                   static_cast<std::int64_t>(r.replaced_rows)};
  for (const auto& c : r.tables) out.tables.push_back({c.table, static_cast<std::int64_t>(c.rows)});
  return out;
}

DbBackupResult db_backup(const DbBackupRequest& request) {
  if (store::pg::is_url(request.database)) {
    throw Error::usage(
        "keel db backup copies an SQLite store; back a PostgreSQL database up with pg_dump "
        "(docs/deploy.md, \"Backups\")");
  }
  const store::BackupReport r = store::backup_sqlite(request.database, request.to, request.force);
  return {"sqlite", request.database, r.path, r.bytes, r.schema_version};
}

std::string demo_seed_path(const std::string& database) {
  const std::filesystem::path p(database);
  std::filesystem::path seed = p;
  seed.replace_filename(p.stem().string() + ".seed.db");
  return seed.string();
}

namespace {

DemoSeedRequest demo_request(const DemoSeedRequest& request) {
  if (store::pg::is_url(request.database)) {
    throw Error::usage("the demo is an SQLite store; a PostgreSQL database is put back with pg_restore");
  }
  DemoSeedRequest out = request;
  if (out.database.rfind("sqlite:", 0) == 0) out.database.erase(0, 7);
  if (out.seed.empty()) out.seed = demo_seed_path(out.database);
  return out;
}

}  // namespace

DemoSeedResult demo_save(const DemoSeedRequest& request) {
  const DemoSeedRequest req = demo_request(request);
  const store::BackupReport r = store::backup_sqlite(req.database, req.seed, true);
  DemoSeedResult out;
  out.database = req.database;
  out.seed = r.path;
  out.bytes = r.bytes;
  return out;
}

DemoSeedResult demo_reset(const DemoSeedRequest& request) {
  const DemoSeedRequest req = demo_request(request);
  if (!std::filesystem::exists(req.seed)) {
    throw Error::not_found("no demo seed at " + req.seed + ": `make demo` writes it (keel demo save) as its last step");
  }
  const store::CopyReport r = store::copy_store("sqlite:" + req.seed, "sqlite:" + req.database, {true});
  DemoSeedResult out;
  out.database = req.database;
  out.seed = req.seed;
  out.rows = static_cast<std::int64_t>(r.rows);
  out.replaced_rows = static_cast<std::int64_t>(r.replaced_rows);
  return out;
}

bool store_answers(const Context& cx) {
  return cx.store != nullptr && cx.store->ping();
}

}  // namespace keel::service
