// keel/store/migrations.h: numbered schema migrations, applied in order at open.
//
// One numbered list serves both backends: each entry carries its SQLite text and its PostgreSQL
// text. Each migration runs once, inside one transaction, and records its number in
// schema_version. A new feature appends a migration with the next number (never edits a shipped
// one). An entry without PostgreSQL text still migrates SQLite; PostgreSQL's migrate refuses to
// go past it (naming the number) until its text is written.
#pragma once

#include <span>

namespace keel::store {

struct Migration {
  int version;
  const char* description;
  const char* sql;  // SQLite: one or more statements
  // PostgreSQL: one or more statements, run by the owner role; tenant tables call
  // keel_protect() (migration 1) to get ENABLE + FORCE ROW LEVEL SECURITY and their policy.
  // nullptr when not written yet.
  const char* postgresql = nullptr;
};

// All migrations, ascending by version.
std::span<const Migration> migrations();

class Database;
// Applies every SQLite migration newer than the database's version. Throws keel::Error(invalid_input)
// when the database is newer than this program knows.
void migrate(Database& db);

}  // namespace keel::store
