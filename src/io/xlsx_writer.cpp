#include "keel/io/xlsx_writer.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "keel/core/error.h"

namespace keel::io {
namespace {

std::string sheet_name(std::string name) {
  for (char& c : name) {
    if (std::string("[]:*?/\\").find(c) != std::string::npos) c = '_';
  }
  if (name.size() > 31) name.resize(31);
  return name.empty() ? "Sheet" : name;
}

double display_width(const XlsxCell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return static_cast<double>(s->size());
  if (std::holds_alternative<double>(c)) return 14;
  return 0;
}

}  // namespace

void write_xlsx(const std::string& path, const std::vector<XlsxSheet>& sheets) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) throw Error::internal(path + ": cannot create the workbook");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  std::map<std::string, lxw_format*> formats;
  auto format_for = [&](const std::string& f) -> lxw_format* {
    if (f.empty()) return nullptr;
    auto it = formats.find(f);
    if (it != formats.end()) return it->second;
    lxw_format* fmt = workbook_add_format(wb);
    format_set_num_format(fmt, f.c_str());
    return formats[f] = fmt;
  };
  for (const auto& sheet : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name(sheet.name).c_str());
    if (ws == nullptr) {
      workbook_close(wb);
      throw Error::internal(path + ": cannot add sheet " + sheet.name);
    }
    std::vector<double> width(sheet.columns.size());
    for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.columns[c].name.c_str(), bold);
      width[c] = static_cast<double>(sheet.columns[c].name.size());
    }
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
      const auto row = static_cast<lxw_row_t>(r + 1);
      for (std::size_t c = 0; c < sheet.rows[r].size() && c < sheet.columns.size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        const XlsxCell& cell = sheet.rows[r][c];
        if (const auto* s = std::get_if<std::string>(&cell)) {
          // A string cell, never worksheet_write_formula: text from the data is never evaluated.
          worksheet_write_string(ws, row, col, s->c_str(), nullptr);
        } else if (const auto* d = std::get_if<double>(&cell)) {
          worksheet_write_number(ws, row, col, *d, format_for(sheet.columns[c].number_format));
        }
        width[c] = std::max(width[c], display_width(cell));
      }
    }
    for (std::size_t c = 0; c < width.size(); ++c) {
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), std::min(width[c] + 2, 60.0),
                           nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
  }
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) throw Error::internal(path + ": cannot write the workbook: " + lxw_strerror(err));
}

}  // namespace keel::io
