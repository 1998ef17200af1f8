// The one symbol rule of keel's readers (keel/io/readers.h, symbol_problem).
#include "keel/core/strings.h"
#include "keel/io/readers.h"
#include "keel/portfolio/occ_symbol.h"

namespace keel::io {

std::optional<std::string> symbol_problem(std::string_view s) {
  if (s.empty()) return std::string("missing value: expected a ticker or an OCC option symbol");
  if (OccSymbol::parse(s)) return std::nullopt;
  if (looks_like_occ(s)) return "malformed OCC option symbol " + shown(s) + ": " + OccSymbol::explain_invalid(s);
  if (is_valid_ticker(s)) return std::nullopt;
  // A share class as brokers write it, with one space ("BRK B" in IBKR's statements): a ticker
  // when the space is read as the class's dot. It cannot start a formula (a ticker starts with a
  // letter, digit or '^').
  if (s.find(' ') != std::string_view::npos && s.find("  ") == std::string_view::npos && s.front() != ' ' &&
      s.back() != ' ') {
    std::string dotted(s);
    for (char& c : dotted) c = c == ' ' ? '.' : c;
    if (is_valid_ticker(dotted)) return std::nullopt;
  }
  return shown(s) + " is not a ticker (1-12 of A-Z 0-9 . - ^ / =, upper case) or an OCC option symbol";
}

}  // namespace keel::io
