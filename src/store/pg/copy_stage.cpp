#include "copy_stage.h"

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

void CopyIn::lines(const std::string& text) {
  if (text.empty()) return;
  // write_raw_line adds the last line's '\n' itself.
  w_->w.write_raw_line(text.back() == '\n' ? text.substr(0, text.size() - 1) : text);
}

void CopyIn::complete() {
  auto w = std::move(w_);
  w->w.complete();
}

#pragma GCC diagnostic pop

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

void CopyStage::begin() {
  // Checked rather than CREATE ... IF NOT EXISTS, whose notice libpq would print on stderr.
  const auto exists = tx_->exec1("SELECT to_regclass($1) IS NOT NULL", Params().add("pg_temp." + name_));
  if (text(exists[0]) == "t") {
    tx_->work().exec("TRUNCATE " + name_);
  } else {
    tx_->work().exec("CREATE TEMPORARY TABLE " + name_ + " (" + definition_ + ") ON COMMIT DELETE ROWS");
  }
  copy_.emplace(tx_->work(), name_, columns_);
  rows_ = 0;
}

void CopyStage::row(const Params& values) {
  copy_->row(values.pointers());
  ++rows_;
}

void CopyStage::lines(const std::string& text, std::size_t rows) {
  copy_->lines(text);
  rows_ += rows;
}

std::size_t CopyStage::finish() {
  copy_->complete();
  copy_.reset();
  return rows_;
}

}  // namespace keel::store::pg
