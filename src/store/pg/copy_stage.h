// src/store/pg/copy_stage.h: bulk loads with COPY FROM STDIN into a temporary table, from which one
// INSERT ... SELECT moves the rows where they belong (with ON CONFLICT upserts, joins to resolve
// ids, and row-level security checked on the INSERT — PostgreSQL refuses COPY FROM into a table
// under row-level security).
//
// The table is the connection's own (CREATE TEMPORARY ... ON COMMIT DELETE ROWS), created the first
// time a pooled connection needs it and emptied at every commit or rollback, so no rows outlive the
// transaction that staged them and the catalog is not rewritten on every load. Values go as text
// in COPY's format (CopyIn), formatted exactly like statement parameters (Params: shortest
// round-trip doubles, NULL as nullopt), or in COPY's binary format (CopyIn, BinaryRows), which the
// server reads without parsing numbers.
//
// Thread-safety: like the connection, one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pg_connection.h"

namespace keel::store::pg {

// Rows in COPY's binary format: per row a 16-bit field count, per field a 32-bit length (-1 for
// NULL) and the value in the column type's binary form, every number big-endian.
class BinaryRows {
 public:
  void row(std::int16_t fields) { be(static_cast<std::uint16_t>(fields)); }
  void null() { be(std::uint32_t{0xffffffff}); }
  void int8(std::int64_t v) {
    be(std::uint32_t{8});
    be(static_cast<std::uint64_t>(v));
  }
  // The IEEE-754 bits as they are, but NaN as the one NaN PostgreSQL's float8in makes of "NaN",
  // so a value stores the same bits as the text path's.
  void float8(double v);
  void text(std::string_view v) {
    be(static_cast<std::uint32_t>(v.size()));
    bytes_.append(v);
  }
  const std::string& bytes() const { return bytes_; }
  std::size_t size() const { return bytes_.size(); }
  void clear() { bytes_.clear(); }

 private:
  template <class U>
  void be(U v) {
    char b[sizeof(U)];
    for (std::size_t i = 0; i < sizeof(U); ++i) b[i] = static_cast<char>(v >> (8 * (sizeof(U) - 1 - i)));
    bytes_.append(b, sizeof(U));
  }
  std::string bytes_;
};

// One COPY ... FROM STDIN on a connection (in its open transaction). In the text format, row() escapes
// each value (tab, newline, carriage return and backslash; \N for NULL) and sends it as one line;
// in the binary format, the header goes when it opens, the trailer at complete(), and in between
// send() takes whole rows (BinaryRows::bytes()), many per message.
class CopyIn {
 public:
  // `table` and `columns` ("a, b, c") are SQL the caller fixed (names, never input).
  CopyIn(Connection& c, const std::string& table, std::string_view columns, bool binary = false);
  ~CopyIn();
  CopyIn(const CopyIn&) = delete;
  CopyIn& operator=(const CopyIn&) = delete;
  // One row of the text format; nullopt is NULL.
  void row(std::span<const std::optional<std::string>> values);
  void send(std::string_view data);
  // Ends the COPY: the server has checked every value when this returns.
  void complete();

 private:
  PGconn* h_;
  bool binary_;
  bool open_ = false;
  std::string line_;
};

// A statement whose every run sends its parameters after the first `skipped` as one text row of
// `copy` (pg_connection.cpp): a row of a bulk insert (whose parameter 1 is the key the INSERT ...
// SELECT binds), a row of a store copy.
SqlStatement copy_row_statement(std::shared_ptr<CopyIn> copy, std::size_t skipped);

// Empties the connection's temporary table `name`, creating it on this connection first if needed
// with the names and types of `columns` ("a, b, c") of `table`, so its values move to `table` as
// they are (the caller's fixed SQL; a stage always has the same columns): the COPY into it comes next.
void empty_stage(Connection& c, const std::string& name, const std::string& table,
                 const std::string& columns);

}  // namespace keel::store::pg
