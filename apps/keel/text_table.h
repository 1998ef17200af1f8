// apps/keel/text_table.h: aligned plain-text tables for terminal output, and the same as CSV.
#pragma once

#include <string>
#include <vector>

namespace keel::cli {

class TextTable {
 public:
  enum class Align { kLeft, kRight };

  explicit TextTable(std::string title = "") : title_(std::move(title)) {}
  TextTable& column(std::string name, Align align = Align::kRight);
  TextTable& row(std::vector<std::string> cells);
  // A line printed under the table (totals, notes).
  TextTable& footer(std::string line);

  std::string render() const;  // title, header, rule, rows, footers
  std::string to_csv() const;  // header + rows through keel/core/csv_writer.h (RFC 4180, formula guard); no title or footers

  bool empty() const { return rows_.empty(); }

 private:
  std::string title_;
  std::vector<std::string> names_;
  std::vector<Align> aligns_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::string> footers_;
};

// Number formatting for tables: thousands separators and fixed decimals ("1,234,567.89");
// "-" for NaN.
std::string fmt_amount(double v, int decimals = 2);
std::string fmt_number(double v, int decimals = 4);
std::string fmt_percent(double fraction, int decimals = 2);  // 0.0123 -> "1.23%"

}  // namespace keel::cli
