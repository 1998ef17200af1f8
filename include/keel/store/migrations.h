// keel/store/migrations.h: numbered schema migrations, applied in order at open.
//
// One numbered list serves both backends: each entry carries its SQLite text and its PostgreSQL
// text. The texts are the files of src/store/migrations/ (NNNN_short_name.sql when one text serves
// both, or NNNN_short_name.sqlite.sql + NNNN_short_name.postgresql.sql), embedded in the program at
// build time (cmake/embed_migrations.cmake; docs/store.md, "Adding a migration"): nothing is read
// from disk at run time. Each migration runs once, inside one transaction, and records its number
// in schema_version. A new feature adds a migration with the next number (never edits a shipped
// one). The build stops when a version lacks the text of either backend.
#pragma once

#include <span>

namespace keel::store {

struct Migration {
  int version;
  const char* description;  // the file's `-- keel migration: ...` line, recorded in schema_version
  const char* sql;          // SQLite: one or more statements
  // PostgreSQL: one or more statements, run by the owner role; tenant tables call
  // keel_protect() (migration 1) to get ENABLE + FORCE ROW LEVEL SECURITY and their policy.
  const char* postgresql;
};

// All migrations, ascending by version; static storage (the program's own data).
std::span<const Migration> migrations();

// Throws keel::Error(invalid_input) when `newest`, the newest version a database recorded (of either
// backend), is newer than this program's newest migration.
void check_not_newer(int newest);

}  // namespace keel::store
