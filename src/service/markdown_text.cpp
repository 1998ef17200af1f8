// Markdown from data: escaping and pipe tables (markdown_text.h).
#include "markdown_text.h"

namespace keel::service::report_detail {
namespace {

bool word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

std::string md(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\r':
        if (i + 1 < s.size() && s[i + 1] == '\n') break;  // CRLF: one space, at the LF
        out += ' ';
        break;
      case '\n': out += ' '; break;
      case '\\': case '`': case '*': case '[': case ']': case '|': case '~':
        out += '\\';
        out += c;
        break;
      case '_':
        if (i == 0 || i + 1 == s.size() || !word_byte(s[i - 1]) || !word_byte(s[i + 1])) out += '\\';
        out += c;
        break;
      case '#':  // anywhere: a run of # at the end of a heading would be taken for its closing
        out += "\\#";
        break;
      case '=':
        if (i == 0) out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

std::string md_cell(const std::string& s) {
  std::string out;
  std::size_t backslashes = 0;  // directly before the current byte
  for (char c : s) {
    if (c == '|' && backslashes % 2 == 0)
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
    backslashes = c == '\\' ? backslashes + 1 : 0;
  }
  return out.empty() ? " " : out;
}

std::string MarkdownTable::render() const {
  std::string out = "|";
  for (const auto& h : headers_) out += " " + md_cell(h) + " |";
  out += "\n|";
  for (std::size_t i = 0; i < headers_.size(); ++i)
    out += (i < align_.size() && align_[i] == 'r') ? " ---: |" : " --- |";
  out += "\n";
  for (const auto& r : rows_) {
    out += "|";
    for (std::size_t i = 0; i < headers_.size(); ++i) out += " " + md_cell(i < r.size() ? r[i] : "") + " |";
    out += "\n";
  }
  return out + "\n";
}

}  // namespace keel::service::report_detail
