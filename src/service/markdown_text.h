// Private: Markdown from data, shared by the documents keel writes as Markdown (report.md,
// keel/service/report_markdown.h; the account tearsheet, keel/service/ledger_tearsheet.h): a
// text escaped so that it renders as itself, and pipe tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace keel::service::report_detail {

// `s`, a text from data (a portfolio, account, sector, symbol, scenario or factor name, a source,
// a reason, a message), as Markdown that renders as that text in CommonMark, GitHub and pandoc:
// never as HTML, a link, an image, emphasis, code, a heading, or a new line or cell of a table.
// & < > become the entities &amp; &lt; &gt;; \ ` * _ [ ] | ~ are escaped with a backslash (an
// underscore inside a word, as in mkt_rf, cannot open emphasis and is left alone); # is escaped,
// and a leading =; a line break becomes a space.
std::string md(std::string_view s);

// A Markdown table cell: a pipe not already escaped (by md) is escaped, line breaks flattened.
std::string md_cell(const std::string& s);

// A pipe table: a header row, an alignment row and the rows, ended by a blank line.
class MarkdownTable {
 public:
  // `align` holds 'l' or 'r' per column.
  MarkdownTable(std::vector<std::string> headers, std::string align)
      : headers_(std::move(headers)), align_(std::move(align)) {}
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::string align_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace keel::service::report_detail
