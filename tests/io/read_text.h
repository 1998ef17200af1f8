// tests/io/read_text.h: runs an io reader on CSV text and keeps what it reported, for reader tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "keel/io/csv.h"

namespace keel::io::testing {

// `rows`: the reader's result; `diags`: what it reported; errors() as "file:line:column: ..." lines.
template <class Rows>
struct ReadResult {
  Rows rows;
  Diagnostics diags;
  std::vector<std::string> errors() const {
    std::vector<std::string> out;
    for (const auto& e : diags.errors()) out.push_back(e.to_string());
    return out;
  }
};

// Runs `reader(csv, diags)` on `text` read as the file `name`.
template <class Reader>
auto read_text(const std::string& name, const std::string& text, Reader reader) {
  ReadResult<decltype(reader(std::declval<CsvReader&>(), std::declval<Diagnostics&>()))> r;
  auto csv = CsvReader::from_text(name, text, r.diags);
  r.rows = reader(csv, r.diags);
  return r;
}

}  // namespace keel::io::testing
