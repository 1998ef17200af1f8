// keel/service/store_admin.h: the store itself — schema migrations, copies between backends and
// online backups — the use cases behind `keel db migrate|copy|backup` (the command line's only:
// keel serve has no route to them). Each reports what it did as a described result, the one JSON
// shape of --format json.
//
// The store is named by its location (an SQLite file or a postgresql:// URL, as `keel --db`), not
// taken from the Context: migrating and copying work on stores the face has not opened. Only
// store_answers (keel serve's /readyz) checks the Context's own store.
//
// Thread-safety: stateless; each call opens its own connections.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/spec.h"

namespace keel::service {

// `keel db migrate [--app-role ROLE]`.
struct DbMigrateRequest {
  std::string database;  // set by the face (--db): an SQLite file or a postgresql:// URL
  std::string app_role = "keel_app";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "app_role", .help = "PostgreSQL: the role keel serve connects as; granted DML only"},
            s.app_role);
  }
};

struct DbMigrateResult {
  std::string backend;                    // sqlite or postgresql
  std::string database;                   // passwords redacted
  std::optional<std::string> app_role;    // PostgreSQL only
  std::optional<int> from_version;        // PostgreSQL only
  int to_version = 0;
  std::optional<std::vector<int>> applied;  // PostgreSQL only
  static constexpr const char* kSchemaName = "DbMigrateResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "backend", .help = "sqlite or postgresql"}, s.backend);
    v.field({.name = "database", .help = "The store (a URL's password shown as ***)"}, s.database);
    v.field({.name = "app_role", .help = "PostgreSQL: the role granted DML"}, s.app_role);
    v.field({.name = "from_version", .help = "PostgreSQL: the newest migration before (0: an empty database)"},
            s.from_version);
    v.field({.name = "to_version", .help = "The newest migration now"}, s.to_version);
    v.field({.name = "applied", .help = "PostgreSQL: the migrations this run applied, ascending"}, s.applied);
  }
};

// Brings the store's schema up to this keel's migrations: PostgreSQL as its owner role (granting
// app_role its rights); an SQLite file by opening it (which migrates it). Throws as
// store::pg::migrate and open_store.
DbMigrateResult db_migrate(const DbMigrateRequest& request);

// `keel db copy --from A --to B [--replace]`.
struct DbCopyRequest {
  std::string from;
  std::string to;
  bool replace = false;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "from", .help = "Source: sqlite:PATH or a postgresql:// URL (as the owner role)", .required = true},
            s.from);
    v.field({.name = "to",
             .help = "Target, migrated to the same version: sqlite:PATH (created if missing) or a postgresql:// "
                     "URL (as the owner role)",
             .required = true},
            s.to);
    v.field({.name = "replace", .help = "Delete the target's rows first when it is not empty"}, s.replace);
  }
};

struct DbCopiedTable {
  std::string table;
  std::int64_t rows = 0;
  static constexpr const char* kSchemaName = "DbCopiedTable";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "table"}, s.table);
    v.field({.name = "rows"}, s.rows);
  }
};

struct DbCopyResult {
  std::string from;  // passwords redacted
  std::string to;
  int schema_version = 0;
  std::vector<DbCopiedTable> tables;  // in the order written
  std::int64_t rows = 0;
  std::int64_t replaced_rows = 0;
  static constexpr const char* kSchemaName = "DbCopyResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "from"}, s.from);
    v.field({.name = "to"}, s.to);
    v.field({.name = "schema_version", .help = "The newest migration of both stores"}, s.schema_version);
    v.field({.name = "tables", .help = "Rows copied per table, in the order written"}, s.tables);
    v.field({.name = "rows", .help = "Rows copied in all"}, s.rows);
    v.field({.name = "replaced_rows", .help = "Rows the target held before (--replace)"}, s.replaced_rows);
  }
};

// Copies a whole store in one target transaction. Throws as store::copy_store.
DbCopyResult db_copy(const DbCopyRequest& request);

// `keel db backup --to FILE [--force]`.
struct DbBackupRequest {
  std::string database;  // set by the face (--db): an SQLite file
  std::string to;
  bool force = false;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "to", .help = "The backup file to write", .required = true}, s.to);
    v.field({.name = "force", .help = "Replace the backup file when it exists"}, s.force);
  }
};

struct DbBackupResult {
  std::string backend = "sqlite";
  std::string database;
  std::string path;
  std::int64_t bytes = 0;
  int schema_version = 0;
  static constexpr const char* kSchemaName = "DbBackupResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "backend"}, s.backend);
    v.field({.name = "database"}, s.database);
    v.field({.name = "path", .help = "The backup file written"}, s.path);
    v.field({.name = "bytes", .unit = "bytes"}, s.bytes);
    v.field({.name = "schema_version"}, s.schema_version);
  }
};

// An online, consistent copy of an SQLite store. Throws keel::Error: usage for a PostgreSQL
// database (pg_dump backs those up), otherwise as store::backup_sqlite.
DbBackupResult db_backup(const DbBackupRequest& request);

// `keel demo save` and `keel demo reset`: the demo's SQLite store put back as the demo seeded it.
// `make demo` ends with a save, which writes a consistent copy of the store (as db_backup) to the
// seed file; a reset copies the seed over the store in ONE transaction (as db_copy --replace):
// every row the store held since, users and audit rows included, gives way to the seed's, while a
// `keel serve` on the store may keep running. The seed is `<store>.seed.db` beside the store
// (keel.db: keel.seed.db) unless named.
struct DemoSeedRequest {
  std::string database;  // set by the face (--db): an SQLite file
  std::string seed;      // default: demo_seed_path(database)

  static constexpr const char* kSchemaName = "DemoSeedRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "seed", .help = "The seed file (default: the store's name with .seed.db, beside it)"}, s.seed);
  }
};

struct DemoSeedResult {
  std::string database;
  std::string seed;
  std::int64_t rows = 0;           // reset: rows copied from the seed; save: 0
  std::int64_t replaced_rows = 0;  // reset: rows the store held before
  std::int64_t bytes = 0;          // save: the seed's size
  static constexpr const char* kSchemaName = "DemoSeedResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "database"}, s.database);
    v.field({.name = "seed", .help = "The seed file"}, s.seed);
    v.field({.name = "rows", .help = "Rows copied from the seed (reset)"}, s.rows);
    v.field({.name = "replaced_rows", .help = "Rows the store held before (reset)"}, s.replaced_rows);
    v.field({.name = "bytes", .help = "The seed's size (save)", .unit = "bytes"}, s.bytes);
  }
};

// "keel.db" -> "keel.seed.db"; "dir/demo" -> "dir/demo.seed.db".
std::string demo_seed_path(const std::string& database);
// Throws keel::Error: usage for a PostgreSQL store (the demo is an SQLite file), otherwise as
// db_backup (save) and db_copy (reset); not_found for a reset without a seed, naming `make demo`.
DemoSeedResult demo_save(const DemoSeedRequest& request);
DemoSeedResult demo_reset(const DemoSeedRequest& request);

// Whether the Context's store answers a trivial query (readiness). False without a store; throws
// as the store does when its connection fails.
bool store_answers(const Context& cx);

}  // namespace keel::service
