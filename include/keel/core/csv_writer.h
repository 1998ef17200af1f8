// keel/core/csv_writer.h: the one way keel writes CSV (docs/formats.md, "CSV keel writes").
//
// Every CSV keel writes — the ledger exports, a report's positions.csv, a CLO deal's collateral,
// the `--format csv` tables of the commands, the API's CSV bodies, and the CSV keel makes of a
// JSON upload for its own readers — goes through csv_cell / CsvWriter, so one rule holds for all:
//
// - RFC 4180: a cell holding a comma, a double quote, a line feed or a carriage return is
//   enclosed in double quotes, its quotes doubled; records end with "\n".
// - The formula guard (OWASP, "CSV Injection"): a cell that begins with = + - @, a tab or a
//   carriage return is written with a leading apostrophe ('=HYPERLINK(...), '@SUM(A1)), so that a
//   spreadsheet opening the file shows it as text instead of evaluating it. A plain number
//   (-12.5, +3, 1e-05, -2.5%) is not a formula and is written as it is, so numbers stay numbers;
//   so is a lone "-", the mark of a missing figure in keel's tables.
//   A text that already begins with apostrophes in front of such a start ('=x) gets one more, so
//   that reading undoes exactly what writing did.
// - keel's CSV reader (keel/io/csv.h) undoes the guard: a cell of apostrophes followed by a
//   guarded start loses one apostrophe, so a file keel wrote reads back to the very text it was
//   written from (the transactions export re-imports to the same accounts, notes and lots).
//
// Thread-safety: pure functions; a CsvWriter is used by one thread.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace keel {

// True when `text` is a plain number a spreadsheet reads as a number and never as a formula: an
// optional sign, digits with an optional decimal point (or a point and digits), an optional
// exponent (e or E, optional sign, digits) and an optional trailing %.
bool csv_plain_number(std::string_view text);
// True when `text` must be written with the guard's apostrophe: it begins with = + - @, a tab or
// a carriage return (after any leading apostrophes) and is not a plain number or a lone "-".
bool csv_formula_like(std::string_view text);
// `text` as one cell: guarded, then quoted when it must be.
std::string csv_cell(std::string_view text);
// Appends csv_cell(text) to `out` (no separator).
void append_csv_cell(std::string& out, std::string_view text);
// The reader's side: `cell` (as parsed, quotes removed) with the guard undone — one leading
// apostrophe removed when the rest is csv_formula_like — else `cell` itself.
std::string_view csv_unguarded(std::string_view cell);

// Rows of cells into a string: cell() adds a cell (separated from the previous one of its row),
// end_row() ends the record with "\n".
//
//   CsvWriter w;
//   w.row({"account", "symbol"});
//   w.cell(account).cell(symbol).end_row();
//   return w.take();
class CsvWriter {
 public:
  CsvWriter() = default;
  explicit CsvWriter(std::string initial) : out_(std::move(initial)) {}

  CsvWriter& cell(std::string_view text);
  // An empty cell.
  CsvWriter& empty() { return cell({}); }
  // Ends the current record (an empty record is written as an empty line).
  CsvWriter& end_row();
  // Every cell of one record, then end_row().
  CsvWriter& row(std::initializer_list<std::string_view> cells);

  void reserve(std::size_t bytes) { out_.reserve(bytes); }
  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  bool first_ = true;  // no cell yet in the current record
};

}  // namespace keel
