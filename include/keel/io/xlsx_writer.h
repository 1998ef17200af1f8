// keel/io/xlsx_writer.h: tables to an Excel workbook (libxlsxwriter).
//
// Each Sheet becomes a worksheet with a bold header row, frozen under the header, numbers stored
// as numbers (never as text) with a per-column number format, and column widths fitted to the
// content. Analysts open the file and filter or chart it directly.
//
// Text is always written as a string cell (t="s", XML-escaped in the shared strings), never as a
// formula, whatever it begins with: a name such as "=HYPERLINK(...)" or "@SUM(...)" is shown as
// that text and never evaluated, so no apostrophe is added and the text stays exact.
//
// Thread-safety: stateless; distinct paths may be written concurrently.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace keel::io {

// A cell: empty, text, or a number.
using XlsxCell = std::variant<std::monostate, std::string, double>;

struct XlsxColumn {
  std::string name;
  // Excel number format for numeric cells, e.g. "#,##0.00", "0.00%", "0.0000"; empty = General.
  std::string number_format;
};

struct XlsxSheet {
  std::string name;  // at most 31 characters; []:*?/\ are replaced by '_'
  std::vector<XlsxColumn> columns;
  std::vector<std::vector<XlsxCell>> rows;
};

// Writes the workbook. Throws keel::Error(internal) when the file cannot be written.
void write_xlsx(const std::string& path, const std::vector<XlsxSheet>& sheets);

}  // namespace keel::io
