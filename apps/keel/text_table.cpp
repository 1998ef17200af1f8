#include "text_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "keel/core/csv_writer.h"
#include "keel/core/strings.h"

namespace keel::cli {
namespace {

// Display width of UTF-8 text: counts code points, not bytes.
std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Table cells carry display formatting ("1,234.56"); in CSV a number must stay a number, so
// digit-grouping commas are removed from cells that are grouped numbers.
std::string ungroup(const std::string& s) {
  std::size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  bool grouped = false;
  for (std::size_t k = i; k < s.size(); ++k) {
    const char c = s[k];
    if (c == ',') grouped = true;
    else if (c == '.') break;
    else if (c < '0' || c > '9') return s;
  }
  if (!grouped) return s;
  std::string out;
  for (char c : s) {
    if (c != ',') out += c;
  }
  return out;
}

}  // namespace

TextTable& TextTable::column(std::string name, Align align) {
  names_.push_back(std::move(name));
  aligns_.push_back(align);
  return *this;
}

TextTable& TextTable::row(std::vector<std::string> cells) {
  cells.resize(names_.size());
  rows_.push_back(std::move(cells));
  return *this;
}

TextTable& TextTable::footer(std::string line) {
  footers_.push_back(std::move(line));
  return *this;
}

std::string TextTable::render() const {
  std::vector<std::size_t> width(names_.size());
  for (std::size_t c = 0; c < names_.size(); ++c) width[c] = display_width(names_[c]);
  for (const auto& r : rows_) {
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], display_width(r[c]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::size_t pad = width[c] - display_width(cells[c]);
      if (c > 0) out += "  ";
      if (aligns_[c] == Align::kRight) out += std::string(pad, ' ') + cells[c];
      else out += cells[c] + (c + 1 < cells.size() ? std::string(pad, ' ') : "");
    }
    return out + "\n";
  };
  std::string out;
  if (!title_.empty()) out += title_ + "\n";
  if (!names_.empty()) {
    out += line(names_);
    std::size_t total = 0;
    for (auto w : width) total += w;
    out += std::string(total + 2 * (width.size() - 1), '-') + "\n";
  }
  for (const auto& r : rows_) out += line(r);
  for (const auto& f : footers_) out += f + "\n";
  return out;
}

// Through the one CSV writer (keel/core/csv_writer.h): RFC 4180 quoting and the formula guard;
// grouped numbers are ungrouped first, so they stay numbers.
std::string TextTable::to_csv() const {
  CsvWriter w;
  for (const auto& name : names_) w.cell(name);
  w.end_row();
  for (const auto& r : rows_) {
    for (const auto& cell : r) w.cell(ungroup(cell));
    w.end_row();
  }
  return w.take();
}

std::string fmt_number(double v, int decimals) {
  if (std::isnan(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string fmt_amount(double v, int decimals) {
  if (std::isnan(v)) return "-";
  std::string s = fmt_number(std::fabs(v), decimals);
  const auto dot = s.find('.');
  std::string int_part = s.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : s.substr(dot);
  std::string grouped;
  for (std::size_t i = 0; i < int_part.size(); ++i) {
    if (i > 0 && (int_part.size() - i) % 3 == 0) grouped += ',';
    grouped += int_part[i];
  }
  const bool negative = v < 0 && (grouped + frac).find_first_not_of("0.,") != std::string::npos;
  return (negative ? "-" : "") + grouped + frac;
}

std::string fmt_percent(double fraction, int decimals) {
  if (std::isnan(fraction)) return "-";
  return fmt_number(fraction * 100.0, decimals) + "%";
}

}  // namespace keel::cli
