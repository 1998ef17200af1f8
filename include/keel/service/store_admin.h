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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct DbCopiedTable {
  std::string table;
  std::int64_t rows = 0;
  static constexpr const char* kSchemaName = "DbCopiedTable";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// Copies a whole store in one target transaction. Throws as store::copy_store.
DbCopyResult db_copy(const DbCopyRequest& request);

// `keel db backup --to FILE [--force]`.
struct DbBackupRequest {
  std::string database;  // set by the face (--db): an SQLite file
  std::string to;
  bool force = false;
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct DbBackupResult {
  std::string backend = "sqlite";
  std::string database;
  std::string path;
  std::int64_t bytes = 0;
  int schema_version = 0;
  static constexpr const char* kSchemaName = "DbBackupResult";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct DemoSeedResult {
  std::string database;
  std::string seed;
  std::int64_t rows = 0;           // reset: rows copied from the seed; save: 0
  std::int64_t replaced_rows = 0;  // reset: rows the store held before
  std::int64_t bytes = 0;          // save: the seed's size
  static constexpr const char* kSchemaName = "DemoSeedResult";
  template <class V, class S>
  static void fields(V& v, S& s);
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
