// keel/io/csv.h: RFC 4180 CSV reading with precise error places.
//
// CsvReader streams a file (plain or gzip, detected from the content through zlib, so
// "prices.csv.gz" and "prices.csv" both work), decompressing as it goes, and hands out records
// whose fields are views into its buffer. One record may not exceed kMaxRecordBytes. It handles quoted fields with embedded separators, doubled quotes and
// newlines, CRLF and LF line ends, a UTF-8 byte-order mark, blank lines (skipped) and trailing
// separators (empty fields past the header are dropped). Structural problems (an unterminated
// quote, text after a closing quote, more fields than the header) go to the Diagnostics given
// at construction with their line and column.
//
// CsvColumns maps header names (case-insensitive, trimmed) to indexes and reports missing
// required columns; CsvCells gives typed access to cells and reports every bad cell as
// "file:line:column: column-name: what is wrong, what was expected".
//
// Thread-safety: a reader is single-threaded; the views it returns are valid until the next call
// to next() on the same reader.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"
#include "keel/core/diagnostics.h"

namespace keel::io {

struct CsvRecord {
  std::size_t line = 0;  // 1-based line on which the record starts
  std::vector<std::string_view> fields;

  std::string_view operator[](std::size_t i) const {
    return i < fields.size() ? fields[i] : std::string_view();
  }
};

class CsvReader {
 public:
  // Longest record the streaming reader accepts (a quoted field may hold newlines).
  static constexpr std::size_t kMaxRecordBytes = std::size_t{1} << 20;

  // Reads `path`. Throws keel::Error: not_found when the file does not exist, invalid_input when
  // it cannot be read or decompressed.
  static CsvReader open(const std::string& path, Diagnostics& diags, char delimiter = ',');
  // Parses `text` (e.g. an HTTP upload) that is reported under `display_name`.
  static CsvReader from_text(std::string display_name, std::string text, Diagnostics& diags,
                             char delimiter = ',');

  CsvReader(CsvReader&& other) noexcept;
  CsvReader& operator=(CsvReader&&) = delete;
  CsvReader(const CsvReader&) = delete;
  ~CsvReader();

  const std::string& name() const { return name_; }
  // Header names as written (trimmed). Empty when the input has no non-blank line.
  const std::vector<std::string>& header() const { return header_; }
  std::size_t header_line() const { return header_line_; }
  // Reads the next data record; returns false at the end of input.
  bool next(CsvRecord& record);
  // Estimated size of the decompressed input, for reserving memory.
  std::size_t estimated_bytes() const { return estimated_bytes_; }
  // Share of the input read so far, in [0, 1]; for progress reporting.
  double progress() const;

 private:
  CsvReader(std::string name, std::string text, Diagnostics& diags, char delimiter, void* gz,
            std::size_t file_bytes);
  void read_header();
  // Makes at least kMaxRecordBytes (or the rest of the input) available after pos_, moving the
  // unread tail to the front of the buffer (earlier views become invalid, as documented).
  void fill();
  bool parse_record(CsvRecord& record);

  std::string name_;
  std::string buf_;
  std::size_t pos_ = 0;
  void* gz_ = nullptr;          // gzFile while streaming a file; null for text or at end of file
  std::size_t file_bytes_ = 0;  // size on disk (compressed for gzip), for progress
  std::size_t estimated_bytes_ = 0;
  std::size_t line_ = 1;
  char delim_;
  Diagnostics* diags_;
  std::vector<std::string> header_;
  std::size_t header_line_ = 0;
};

// Header lookup for one reader. Names compare case-insensitively after trimming.
class CsvColumns {
 public:
  // Records an error for each missing required column (at the header line) and, when
  // `warn_unknown`, a warning for each header name in neither list.
  CsvColumns(const CsvReader& reader, std::initializer_list<std::string_view> required,
             std::initializer_list<std::string_view> optional, Diagnostics& diags,
             bool warn_unknown = true);
  // Index of the column or -1 when the file does not have it.
  int index(std::string_view name) const;
  bool has(std::string_view name) const { return index(name) >= 0; }

 private:
  std::vector<std::string> lower_names_;
};

// Typed, validated access to cells of records from one reader.
class CsvCells {
 public:
  CsvCells(const CsvReader& reader, Diagnostics& diags) : reader_(&reader), diags_(&diags) {}

  // Trimmed text of the cell; empty when col < 0 or the record is short.
  std::string_view text(const CsvRecord& r, int col) const;
  bool empty(const CsvRecord& r, int col) const { return text(r, col).empty(); }
  // A number; an error when the cell is not a number, or when it is empty and `required`.
  std::optional<double> number(const CsvRecord& r, int col, bool required) const;
  // A date as YYYY-MM-DD; same error rules.
  std::optional<Date> date(const CsvRecord& r, int col, bool required) const;
  // Records an error at the cell (col < 0: the whole line).
  void error(const CsvRecord& r, int col, std::string message) const;
  void warning(const CsvRecord& r, int col, std::string message) const;

 private:
  Diagnostic place(const CsvRecord& r, int col, std::string message) const;
  const CsvReader* reader_;
  Diagnostics* diags_;
};

}  // namespace keel::io
