// keel/core/diagnostics.h: collecting every problem in an input before failing.
//
// Readers never stop at the first bad cell: they record each problem with its place
// (file, line, column and, for CSV, the column name; or a JSON field path) and go on.
// At the end `throw_if_errors` raises one keel::Error(invalid_input) whose details hold every
// problem as "file:line:column: message", so a user fixes a file in one pass.
// Warnings (e.g. unknown columns) are kept separately and never fail an import.
//
// Thread-safety: not thread-safe; one Diagnostics per reader.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace keel {

struct Diagnostic {
  std::string file;    // file name or "<request>"; empty when unknown
  std::size_t line = 0;    // 1-based; 0 = the whole file
  std::size_t column = 0;  // 1-based field (CSV) or character column; 0 = whole line
  std::string field;   // CSV column name or JSON path (e.g. "tranches[2].balance"); may be empty
  std::string message; // what is wrong and what was expected

  // "file:line:column: field: message" with absent parts left out.
  std::string to_string() const;
};

class Diagnostics {
 public:
  // Stops recording errors after this many (the count keeps going) so a hopeless file
  // does not produce a million lines.
  static constexpr std::size_t kMaxRecorded = 200;

  void error(Diagnostic d);
  void warning(Diagnostic d);

  bool has_errors() const { return error_count_ > 0; }
  std::size_t error_count() const { return error_count_; }
  const std::vector<Diagnostic>& errors() const { return errors_; }
  const std::vector<Diagnostic>& warnings() const { return warnings_; }

  // Throws keel::Error(invalid_input) with `summary` and one detail line per recorded error
  // (plus "... and N more") when there is any error; does nothing otherwise.
  void throw_if_errors(const std::string& summary) const;

 private:
  std::vector<Diagnostic> errors_;
  std::vector<Diagnostic> warnings_;
  std::size_t error_count_ = 0;
};

}  // namespace keel
