// The descriptions of the requests and results of keel/service/store_admin.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/store_admin.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void DbMigrateRequest::fields(V& v, S& s) {
  v.field({.name = "app_role", .help = "PostgreSQL: the role keel serve connects as; granted DML only"},
          s.app_role);
}
KEEL_SPEC_REQUEST_FIELDS(DbMigrateRequest)

template <class V, class S>
void DbMigrateResult::fields(V& v, S& s) {
  v.field({.name = "backend", .help = "sqlite or postgresql"}, s.backend);
  v.field({.name = "database", .help = "The store (a URL's password shown as ***)"}, s.database);
  v.field({.name = "app_role", .help = "PostgreSQL: the role granted DML"}, s.app_role);
  v.field({.name = "from_version", .help = "PostgreSQL: the newest migration before (0: an empty database)"},
          s.from_version);
  v.field({.name = "to_version", .help = "The newest migration now"}, s.to_version);
  v.field({.name = "applied", .help = "PostgreSQL: the migrations this run applied, ascending"}, s.applied);
}
KEEL_SPEC_FIELDS(DbMigrateResult)

template <class V, class S>
void DbCopyRequest::fields(V& v, S& s) {
  v.field({.name = "from", .help = "Source: sqlite:PATH or a postgresql:// URL (as the owner role)", .required = true},
          s.from);
  v.field({.name = "to",
           .help = "Target, migrated to the same version: sqlite:PATH (created if missing) or a postgresql:// "
                   "URL (as the owner role)",
           .required = true},
          s.to);
  v.field({.name = "replace", .help = "Delete the target's rows first when it is not empty"}, s.replace);
}
KEEL_SPEC_REQUEST_FIELDS(DbCopyRequest)

template <class V, class S>
void DbCopiedTable::fields(V& v, S& s) {
  v.field({.name = "table"}, s.table);
  v.field({.name = "rows"}, s.rows);
}
KEEL_SPEC_FIELDS(DbCopiedTable)

template <class V, class S>
void DbCopyResult::fields(V& v, S& s) {
  v.field({.name = "from"}, s.from);
  v.field({.name = "to"}, s.to);
  v.field({.name = "schema_version", .help = "The newest migration of both stores"}, s.schema_version);
  v.field({.name = "tables", .help = "Rows copied per table, in the order written"}, s.tables);
  v.field({.name = "rows", .help = "Rows copied in all"}, s.rows);
  v.field({.name = "replaced_rows", .help = "Rows the target held before (--replace)"}, s.replaced_rows);
}
KEEL_SPEC_FIELDS(DbCopyResult)

template <class V, class S>
void DbBackupRequest::fields(V& v, S& s) {
  v.field({.name = "to", .help = "The backup file to write", .required = true}, s.to);
  v.field({.name = "force", .help = "Replace the backup file when it exists"}, s.force);
}
KEEL_SPEC_REQUEST_FIELDS(DbBackupRequest)

template <class V, class S>
void DbBackupResult::fields(V& v, S& s) {
  v.field({.name = "backend"}, s.backend);
  v.field({.name = "database"}, s.database);
  v.field({.name = "path", .help = "The backup file written"}, s.path);
  v.field({.name = "bytes", .unit = "bytes"}, s.bytes);
  v.field({.name = "schema_version"}, s.schema_version);
}
KEEL_SPEC_FIELDS(DbBackupResult)

template <class V, class S>
void DemoSeedRequest::fields(V& v, S& s) {
  v.field({.name = "seed", .help = "The seed file (default: the store's name with .seed.db, beside it)"}, s.seed);
}
KEEL_SPEC_REQUEST_FIELDS(DemoSeedRequest)

template <class V, class S>
void DemoSeedResult::fields(V& v, S& s) {
  v.field({.name = "database"}, s.database);
  v.field({.name = "seed", .help = "The seed file"}, s.seed);
  v.field({.name = "rows", .help = "Rows copied from the seed (reset)"}, s.rows);
  v.field({.name = "replaced_rows", .help = "Rows the store held before (reset)"}, s.replaced_rows);
  v.field({.name = "bytes", .help = "The seed's size (save)", .unit = "bytes"}, s.bytes);
}
KEEL_SPEC_FIELDS(DemoSeedResult)

}  // namespace keel::service
