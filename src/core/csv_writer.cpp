#include "keel/core/csv_writer.h"

namespace keel {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The characters a spreadsheet may take for the start of a formula (OWASP, "CSV Injection").
bool formula_start(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

}  // namespace

bool csv_plain_number(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < n && is_digit(s[i])) ++i, ++digits;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < n && is_digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i < n && s[i] == '%') ++i;
  return i == n;
}

bool csv_formula_like(std::string_view text) {
  const std::size_t k = text.find_first_not_of('\'');
  if (k == std::string_view::npos) return false;
  const std::string_view rest = text.substr(k);
  // A lone "-" (keel's mark of a missing figure in its tables) is text to a spreadsheet, not a formula.
  return formula_start(rest.front()) && !csv_plain_number(rest) && rest != "-";
}

void append_csv_cell(std::string& out, std::string_view text) {
  const bool guard = !text.empty() && (formula_start(text.front()) || text.front() == '\'') && csv_formula_like(text);
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
    if (guard) out += '\'';
    out += text;
    return;
  }
  out += '"';
  if (guard) out += '\'';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string csv_cell(std::string_view text) {
  std::string out;
  append_csv_cell(out, text);
  return out;
}

std::string_view csv_unguarded(std::string_view cell) {
  if (cell.empty() || cell.front() != '\'') return cell;
  return csv_formula_like(cell) ? cell.substr(1) : cell;
}

CsvWriter& CsvWriter::cell(std::string_view text) {
  if (!first_) out_ += ',';
  first_ = false;
  append_csv_cell(out_, text);
  return *this;
}

CsvWriter& CsvWriter::end_row() {
  out_ += '\n';
  first_ = true;
  return *this;
}

CsvWriter& CsvWriter::row(std::initializer_list<std::string_view> cells) {
  for (const std::string_view c : cells) cell(c);
  return end_row();
}

}  // namespace keel
