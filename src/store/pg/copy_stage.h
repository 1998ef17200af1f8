// src/store/pg/copy_stage.h: bulk loads with COPY FROM STDIN into a temporary table, from which one
// INSERT ... SELECT moves the rows where they belong (with ON CONFLICT upserts, joins to resolve
// ids, and row-level security checked on the INSERT — PostgreSQL refuses COPY FROM into a table
// under row-level security).
//
// The table is the connection's own (CREATE TEMPORARY ... ON COMMIT DELETE ROWS), created the first
// time a pooled connection needs it and emptied at every commit or rollback, so no rows outlive the
// transaction that staged them and the catalog is not rewritten on every load. Values go as text
// in COPY's format (CopyIn), formatted exactly like statement parameters (Params: shortest
// round-trip doubles, NULL as nullopt).
//
// Thread-safety: like Tx, one thread.
#pragma once

#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "session.h"

namespace keel::store::pg {

// The names of a comma-separated SQL column list ("a, b, c" -> {"a", "b", "c"}).
std::vector<std::string> column_names(std::string_view list);

// One COPY ... FROM STDIN: rows as lines of COPY's text format, escaped here (tab, newline,
// carriage return and backslash; \N for NULL). libpqxx 6.4's stream_to takes only tuples of a
// fixed arity, so the lines go through the raw-line call of its tablewriter.
class CopyIn {
 public:
  // `table` and `columns` are SQL the caller fixed (names, never input).
  CopyIn(pqxx::transaction_base& tx, const std::string& table, const std::vector<std::string>& columns);
  ~CopyIn();
  CopyIn(const CopyIn&) = delete;
  CopyIn& operator=(const CopyIn&) = delete;
  // One row; nullptr is NULL.
  void row(const std::vector<const char*>& values);
  // Rows already in COPY's text format, each line ending in '\n', whose values need no escaping
  // (numbers, ISO dates, \N): sent as they are, many rows per message.
  void lines(const std::string& text);
  // Ends the COPY: the server has checked every value when this returns.
  void complete();

 private:
  struct Writer;
  std::unique_ptr<Writer> w_;
  std::string line_;
};

class CopyStage {
 public:
  // `name`, `definition` ("seq bigint, symbol text, ...") and `columns` are the caller's fixed SQL.
  CopyStage(Tx& tx, std::string name, std::string definition, std::vector<std::string> columns);
  ~CopyStage();
  CopyStage(const CopyStage&) = delete;
  CopyStage& operator=(const CopyStage&) = delete;

  // Empties the table (creating it on this connection if needed) and opens the COPY.
  void begin();
  // One row, its values in `columns` order.
  void row(const Params& values);
  // `rows` rows in COPY's text format (CopyIn::lines).
  void lines(const std::string& text, std::size_t rows);
  // Ends the COPY (the server checks every value here); returns the rows sent since begin().
  std::size_t finish();

 private:
  Tx* tx_;
  std::string name_;
  std::string definition_;
  std::vector<std::string> columns_;
  std::optional<CopyIn> copy_;
  std::size_t rows_ = 0;
};

}  // namespace keel::store::pg
