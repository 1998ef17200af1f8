#include "copy_stage.h"

#include <libpq-fe.h>

#include <bit>
#include <cmath>
#include <limits>
#include <utility>

namespace keel::store::pg {

void BinaryRows::float8(double v) {
  be(std::uint32_t{8});
  be(std::bit_cast<std::uint64_t>(std::isnan(v) ? std::numeric_limits<double>::quiet_NaN() : v));
}

CopyIn::CopyIn(Connection& c, const std::string& table, std::string_view columns, bool binary)
    : h_(c.conn), binary_(binary) {
  const std::string sql = "COPY " + table + " (" + std::string(columns) +
                          (binary ? ") FROM STDIN (FORMAT binary)" : ") FROM STDIN");
  PGresult* r = PQexec(h_, sql.c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) throw_error(h_, r);
  PQclear(r);
  open_ = true;
  // The signature, flags (no OIDs) and the length of the header extension (none).
  static constexpr char kHeader[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
  if (binary) send({kHeader, sizeof kHeader - 1});
}

CopyIn::~CopyIn() {
  // Left open by an exception: the transaction is rolled back anyway; end the COPY (failed, so
  // nothing is kept) and read its result, so the connection can report the real error.
  if (!open_) return;
  if (PQputCopyEnd(h_, "abandoned") == 1) {
    while (PGresult* r = PQgetResult(h_)) PQclear(r);
  }
}

void CopyIn::row(std::span<const std::optional<std::string>> values) {
  line_.clear();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) line_ += '\t';
    if (!values[i]) {
      line_ += "\\N";
      continue;
    }
    // Up to a NUL, as a statement's parameters are read (text cannot hold one).
    for (const char ch : std::string_view(values[i]->c_str())) {
      switch (ch) {
        case '\\':
          line_ += "\\\\";
          break;
        case '\t':
          line_ += "\\t";
          break;
        case '\n':
          line_ += "\\n";
          break;
        case '\r':
          line_ += "\\r";
          break;
        default:
          line_ += ch;
      }
    }
  }
  line_ += '\n';
  send(line_);
}

void CopyIn::send(std::string_view data) {
  if (data.empty()) return;
  if (PQputCopyData(h_, data.data(), static_cast<int>(data.size())) != 1) throw_error(h_, nullptr);
}

void CopyIn::complete() {
  static constexpr char kTrailer[] = "\377\377";
  if (binary_) send({kTrailer, 2});
  open_ = false;
  if (PQputCopyEnd(h_, nullptr) != 1) throw_error(h_, nullptr);
  PGresult* r = PQgetResult(h_);
  const bool ok = r != nullptr && PQresultStatus(r) == PGRES_COMMAND_OK;
  // The results up to the end of the command, whatever its outcome.
  for (PGresult* more = PQgetResult(h_); more != nullptr; more = PQgetResult(h_)) PQclear(more);
  if (!ok) throw_error(h_, r);
  PQclear(r);
}

void empty_stage(Connection& c, const std::string& name, const std::string& table,
                 const std::string& columns) {
  // Checked rather than CREATE ... IF NOT EXISTS, which would send a notice every time.
  if (exec1(c, "SELECT to_regclass($1) IS NOT NULL", Params().add("pg_temp." + name)).value(0, 0) == "t") {
    exec(c, std::nullopt, "TRUNCATE " + name);
  } else {
    // No constraint is copied: a NULL or a duplicate is refused by the INSERT into `table`.
    exec(c, std::nullopt,
         "CREATE TEMPORARY TABLE " + name + " ON COMMIT DELETE ROWS AS SELECT " + columns + " FROM " + table +
             " WITH NO DATA");
  }
}

}  // namespace keel::store::pg
