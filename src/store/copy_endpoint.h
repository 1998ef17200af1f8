// src/store/copy_endpoint.h (private): one side of a store copy (keel/store/store_copy.h) — the
// backend-specific part: listing keel's tables with their columns and foreign-key parents, reading
// a table's rows in one snapshot, and writing rows in one transaction. store_copy.cpp holds the
// backend-neutral part (checks, order, counts).
//
// Values travel as text, the way both backends print them: integers in decimal, doubles as their
// shortest round-trip text, text as is, blobs as their raw bytes; nullopt is NULL. Each endpoint
// converts to and from its column types; a target's TableWriter binds them to its statement.
//
// Thread-safety: one thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql.h"

namespace keel::store::copy {

enum class Kind { kInteger, kReal, kText, kBlob };

struct Column {
  std::string name;
  Kind kind = Kind::kText;
};

struct Table {
  std::string name;
  std::vector<Column> columns;       // in the table's order
  std::vector<std::string> parents;  // tables its foreign keys reference (itself excluded)
};

// `name` as an SQL identifier in double quotes (a quote inside doubled), as both servers read it.
inline std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// "a, b, c".
inline std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The columns' quoted names, joined: a column list of INSERT, SELECT and COPY.
inline std::string quoted_list(const std::vector<Column>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + quoted(c.name);
  return out;
}

using Value = std::optional<std::string>;
using Row = std::vector<Value>;

// Writes one table's rows (store_copy.cpp): each run of `row` takes a row's values as parameters by
// their column's kind (integers and doubles parsed from their text, blobs as bytes, NULL as NULL).
class TableWriter {
 public:
  TableWriter(std::string table, std::vector<Column> columns, SqlStatement row, std::function<void()> finish)
      : table_(std::move(table)),
        columns_(std::move(columns)),
        row_(std::move(row)),
        finish_(std::move(finish)) {}
  // Throws invalid_input naming the table, row and column of a number that does not parse.
  void row(const Row& values);
  // Ends the table's load (`finish`: COPY complete, staged rows moved); its errors name the table.
  void finish();

 private:
  std::string table_;
  std::vector<Column> columns_;
  SqlStatement row_;
  std::function<void()> finish_;
  std::size_t line_ = 0;
};

class Endpoint {
 public:
  virtual ~Endpoint() = default;
  // For messages: the location with any password redacted.
  virtual std::string describe() const = 0;
  virtual std::vector<int> applied_migrations() = 0;
  // keel's tables (schema_version excluded), by name.
  virtual std::vector<Table> tables() = 0;
  // Rows of `table`; with `where` (an SQL condition both dialects read alike), only those matching.
  virtual std::size_t count(const std::string& table, const std::string& where = {}) = 0;

  // As a source: everything read between begin_read and end_read is one snapshot.
  virtual void begin_read() = 0;
  virtual void read(const Table& table, const std::vector<Column>& columns,
                    const std::function<void(const Row&)>& fn) = 0;
  virtual void end_read() = 0;

  // As a target: one transaction from begin_write to commit (rollback on any failure).
  virtual void begin_write() = 0;
  // Deletes every row of `tables` (children first), the append-only audit triggers suspended.
  virtual void clear(const std::vector<Table>& children_first) = 0;
  virtual std::unique_ptr<TableWriter> writer(const Table& table, const std::vector<Column>& columns) = 0;
  // Moves identity sequences past the copied ids, then commits.
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

std::unique_ptr<Endpoint> open_sqlite_endpoint(const std::string& path, bool as_target);
// Built with the PostgreSQL backend (src/store/pg/copy_endpoint.cpp); otherwise throws usage.
std::unique_ptr<Endpoint> open_postgresql_endpoint(const std::string& url);

}  // namespace keel::store::copy
