// keel/store/migrations.h: numbered schema migrations, applied in order at open.
//
// Each migration runs once, inside one transaction, and records its number in schema_version.
// A new feature appends a migration with the next number (never edits a shipped one).
#pragma once

#include <span>

namespace keel::store {

struct Migration {
  int version;
  const char* description;
  const char* sql;  // one or more statements
};

// All migrations, ascending by version.
std::span<const Migration> migrations();

class Database;
// Applies every migration newer than the database's version. Throws keel::Error(invalid_input)
// when the database is newer than this program knows.
void migrate(Database& db);

}  // namespace keel::store
