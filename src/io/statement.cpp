// Telling a statement's format from its content, and reading a statement file whole
// (keel/io/statement.h).
#include "keel/io/statement.h"

#include "keel/core/strings.h"
#include "keel/io/ibkr_flex_reader.h"
#include "keel/io/input.h"
#include "keel/io/ofx_reader.h"
#include "markup.h"

namespace keel::io {
namespace {

// Whether `hay` contains `needle`, ASCII case-insensitively.
bool contains_nocase(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (iequals(hay.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

}  // namespace

std::string_view statement_format_name(StatementFormat format) {
  switch (format) {
    case StatementFormat::kOfx:
      return "ofx";
    case StatementFormat::kIbkrFlex:
      return "ibkr_flex";
    case StatementFormat::kCsv:
      break;
  }
  return "csv";
}

StatementFormat detect_statement_format(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  while (!head.empty() && (head.front() == ' ' || head.front() == '\t' || head.front() == '\r' || head.front() == '\n')) {
    head.remove_prefix(1);
  }
  head = head.substr(0, 4096);
  if (head.size() >= 10 && iequals(head.substr(0, 10), "OFXHEADER:")) return StatementFormat::kOfx;
  if (head.empty() || head.front() != '<') return StatementFormat::kCsv;
  if (contains_nocase(head, "<FlexQueryResponse") || contains_nocase(head, "<FlexStatements")) {
    return StatementFormat::kIbkrFlex;
  }
  if (contains_nocase(head, "<?OFX") || contains_nocase(head, "<OFX")) return StatementFormat::kOfx;
  return StatementFormat::kCsv;
}

std::string read_file_head(const Files& files, const std::string& path, std::size_t size, std::string_view what) {
  auto input = Input::open(files.open(path, std::string(what)));
  std::string head(size, '\0');
  std::size_t got = 0;
  while (got < size) {
    const std::size_t n = input->read(head.data() + got, size - got);
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  return head;
}

Statement read_statement(std::string_view text, StatementFormat format, const std::string& name,
                         const StatementReadOptions& options, Diagnostics& diags) {
  return format == StatementFormat::kOfx ? read_ofx(text, name, options, diags)
                                         : read_ibkr_flex(text, name, options, diags);
}

StatementFormat detect_statement_file(const Files& files, const std::string& path, std::string_view what) {
  return detect_statement_format(read_file_head(files, path, 4096, what));
}

std::string read_statement_file(const Files& files, const std::string& path, std::string_view what) {
  auto input = Input::open(files.open(path, std::string(what)), std::uint64_t{256} << 20);
  std::string text;
  char buffer[1 << 16];
  while (const std::size_t n = input->read(buffer, sizeof buffer)) text.append(buffer, n);
  return markup::to_utf8(text);
}

}  // namespace keel::io
