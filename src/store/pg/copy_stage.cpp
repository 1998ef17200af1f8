#include "copy_stage.h"

#include <libpq-fe.h>

#include <bit>
#include <cmath>
#include <limits>
#include <utility>

// tablewriter is deprecated for its own escaping; only its raw-line call is used (see CopyIn).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <pqxx/tablewriter>

namespace keel::store::pg {

struct CopyIn::Writer {
  Writer(pqxx::transaction_base& tx, const std::string& table, const std::vector<std::string>& columns)
      : w(tx, table, columns.begin(), columns.end()) {}
  pqxx::tablewriter w;
};

CopyIn::CopyIn(pqxx::transaction_base& tx, const std::string& table, const std::vector<std::string>& columns)
    : w_(std::make_unique<Writer>(tx, table, columns)) {}

CopyIn::~CopyIn() {
  // Left open by an exception: the transaction is rolled back anyway; end the COPY quietly so the
  // connection can report the real error.
  if (w_) {
    try {
      w_->w.complete();
    } catch (...) {
    }
  }
}

void CopyIn::row(const std::vector<const char*>& values) {
  line_.clear();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) line_ += '\t';
    const char* v = values[i];
    if (v == nullptr) {
      line_ += "\\N";
      continue;
    }
    for (; *v; ++v) {
      switch (*v) {
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
          line_ += *v;
      }
    }
  }
  w_->w.write_raw_line(line_);
}

void CopyIn::complete() {
  auto w = std::move(w_);
  w->w.complete();
}

#pragma GCC diagnostic pop

void BinaryRows::float8(double v) {
  be(std::uint32_t{8});
  be(std::bit_cast<std::uint64_t>(std::isnan(v) ? std::numeric_limits<double>::quiet_NaN() : v));
}

BinaryCopyIn::BinaryCopyIn(Tx& tx, const std::string& table, const std::vector<std::string>& columns)
    : h_(handle_of(tx.work().conn())) {
  sql_ = "COPY " + table + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) sql_ += (i ? ", " : "") + columns[i];
  sql_ += ") FROM STDIN (FORMAT binary)";
  PGresult* r = PQexec(h_, sql_.c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) throw_direct(h_, r, sql_);
  PQclear(r);
  open_ = true;
  // The signature, flags (no OIDs) and the length of the header extension (none).
  static constexpr char kHeader[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
  send({kHeader, sizeof kHeader - 1});
}

BinaryCopyIn::~BinaryCopyIn() {
  // Left open by an exception: the transaction is rolled back anyway; end the COPY (failed, so
  // nothing is kept) and read its result, so the connection can report the real error.
  if (!open_) return;
  if (PQputCopyEnd(h_, "abandoned") == 1) {
    while (PGresult* r = PQgetResult(h_)) PQclear(r);
  }
}

void BinaryCopyIn::send(std::string_view rows) {
  if (rows.empty()) return;
  if (PQputCopyData(h_, rows.data(), static_cast<int>(rows.size())) != 1) throw_direct(h_, nullptr, sql_);
}

void BinaryCopyIn::complete() {
  static constexpr char kTrailer[] = "\377\377";
  send({kTrailer, 2});
  open_ = false;
  if (PQputCopyEnd(h_, nullptr) != 1) throw_direct(h_, nullptr, sql_);
  PGresult* r = PQgetResult(h_);
  const bool ok = r != nullptr && PQresultStatus(r) == PGRES_COMMAND_OK;
  // The results up to the end of the command, whatever its outcome.
  for (PGresult* more = PQgetResult(h_); more != nullptr; more = PQgetResult(h_)) PQclear(more);
  if (!ok) throw_direct(h_, r, sql_);
  PQclear(r);
}

std::vector<std::string> column_names(std::string_view list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    auto name = list.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty()) out.emplace_back(name);
    start = end + 1;
  }
  return out;
}

CopyStage::CopyStage(Tx& tx, std::string name, std::string definition, std::vector<std::string> columns)
    : tx_(&tx), name_(std::move(name)), definition_(std::move(definition)), columns_(std::move(columns)) {}

CopyStage::~CopyStage() = default;

void CopyStage::begin(bool binary) {
  // Checked rather than CREATE ... IF NOT EXISTS, whose notice libpq would print on stderr.
  const auto exists = tx_->exec1("SELECT to_regclass($1) IS NOT NULL", Params().add("pg_temp." + name_));
  if (text(exists[0]) == "t") {
    tx_->work().exec("TRUNCATE " + name_);
  } else {
    tx_->work().exec("CREATE TEMPORARY TABLE " + name_ + " (" + definition_ + ") ON COMMIT DELETE ROWS");
  }
  if (binary) {
    binary_.emplace(*tx_, name_, columns_);
  } else {
    copy_.emplace(tx_->work(), name_, columns_);
  }
  rows_ = 0;
}

void CopyStage::row(const Params& values) {
  copy_->row(values.pointers());
  ++rows_;
}

void CopyStage::send(std::string_view data, std::size_t rows) {
  binary_->send(data);
  rows_ += rows;
}

std::size_t CopyStage::finish() {
  if (binary_) {
    binary_->complete();
    binary_.reset();
  } else {
    copy_->complete();
    copy_.reset();
  }
  return rows_;
}

}  // namespace keel::store::pg
