// keel/store/store_copy.h: moving a whole store from one backend to another (`keel db copy`), and
// an online backup of an SQLite store (`keel db backup`).
//
// copy_store reads every table of the source in one consistent snapshot and writes it into the
// target in ONE transaction, table by table in foreign-key order (parents first), with every
// column as it is: ids, tenants, timestamps, exact decimals and doubles (shortest round-trip
// text) arrive unchanged. It refuses a target holding any row (beyond the `default` tenant every
// new store has) unless `replace` is set, which empties the target's tables first, in the same
// transaction. Before the commit it counts every table of the target against the rows read; any
// difference, any refused row, any error rolls the whole copy back, leaving the target as it was.
// Source and target must have the same migrations applied (an SQLite file is migrated when
// opened; a PostgreSQL database by `keel db migrate`) and therefore the same tables and columns.
//
// A location is `sqlite:PATH` (or a plain path) or a `postgresql://` URL. PostgreSQL is read and
// written as the owner role: the copy crosses every tenant, which the application role cannot see.
// On PostgreSQL, tables under row-level security are loaded through a temporary table (COPY FROM
// is refused on them) and identity sequences are moved past the copied ids.
//
// Thread-safety: the functions open their own connections; call them from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace keel::store {

struct CopyOptions {
  bool replace = false;  // empty a non-empty target first (its rows are lost)
};

struct CopiedTable {
  std::string table;
  std::size_t rows = 0;
};

struct CopyReport {
  std::string from;  // as given, passwords redacted
  std::string to;
  int schema_version = 0;           // newest migration of both
  std::vector<CopiedTable> tables;  // in the order written
  std::size_t rows = 0;             // in all
  std::size_t replaced_rows = 0;    // rows the target held before (replace)
};

// Throws keel::Error: usage for a bad location or the same location twice; not_found for a missing
// SQLite source; invalid_input when the schemas differ or the target is not empty; forbidden when
// PostgreSQL is not reached as the owner role; internal when a row is refused or counts differ.
CopyReport copy_store(const std::string& from, const std::string& to, const CopyOptions& options = {});

struct BackupReport {
  std::string path;
  std::int64_t bytes = 0;
  int schema_version = 0;
};

// Writes a consistent copy of the SQLite store at `db_path` to `to_path` with SQLite's online
// backup API while other connections may keep writing (the copy is the last committed state when
// it starts), into a temporary file renamed into place once `PRAGMA integrity_check` passes.
// Refuses an existing `to_path` unless `overwrite`. Throws keel::Error (usage for a PostgreSQL URL:
// back those up with pg_dump).
BackupReport backup_sqlite(const std::string& db_path, const std::string& to_path, bool overwrite = false);

}  // namespace keel::store
