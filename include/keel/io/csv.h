// keel/io/csv.h: RFC 4180 CSV reading with precise error places.
//
// CsvReader streams a file through an Input (keel/io/input.h: plain or gzip, detected from the
// content, so "prices.csv.gz" and "prices.csv" both work; a truncated or corrupt gzip file or an
// oversized one is refused) from the ByteSource a Files opened (keel/core/env.h: a non-regular
// file is refused there), and hands out records whose fields are
// views into its buffer. It handles quoted fields with embedded separators, doubled quotes and
// newlines, CRLF and LF line ends, a UTF-8 byte-order mark, blank and whitespace-only lines of
// any length (skipped) and trailing separators (empty fields past the header are dropped).
// Problems go to the Diagnostics given at construction with their line and column, and the
// reader goes on with the next record: an unterminated quote, text after a closing quote, more
// fields than the header, a record longer than kMaxRecordBytes (skipped whole), a cell that is
// not UTF-8, or a control character (anything below U+0020 but tab, and DEL; a line break is
// allowed inside a quoted field). An input whose last line has no line ending (a download or
// copy cut short ends that way; so do some hand-made files) is read whole, with a warning naming
// that line. keel's CSV writer's formula guard is undone (keel/core/csv_writer.h): a cell of
// apostrophes followed by = + - @, a tab or a carriage return (not a plain number) loses one
// apostrophe, so a file keel wrote reads back to the text it was written from.
//
// CsvColumns maps header names (case-insensitive, trimmed) to indexes and reports missing
// required columns; CsvCells gives typed access to cells and reports every bad cell as
// "file:line:column: column-name: what is wrong, what was expected".
//
// Thread-safety: a reader is single-threaded; the views it returns are valid until the next call
// to next() on the same reader.
#pragma once

#include <cstddef>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"
#include "keel/core/diagnostics.h"
#include "keel/io/input.h"

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
  // Longest record accepted (1 MiB, a quoted field may hold newlines); a longer one is an error
  // at its line and is skipped.
  static constexpr std::size_t kMaxRecordBytes = std::size_t{1} << 20;

  // Reads `file` (opened by Files::open), reported under its name. Throws keel::Error
  // (invalid_input) when it is over the size bound or cannot be read or decompressed (also later,
  // from next(), when the damage is further into the file).
  static CsvReader open(std::unique_ptr<ByteSource> file, Diagnostics& diags, char delimiter = ',');
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
  // Moves the header past a preamble (a title line, another section of the same download): to the
  // first record, from the header as read on, whose cells include every one of `names`
  // (case-insensitive, trimmed). The records before it are not read. True when the header has
  // them (at once, or after the move); false when no record has, at the end of the input.
  // `skipped`, when given, sees each record passed over, the header as read first (a title line
  // may name what follows).
  bool seek_header(const std::vector<std::string>& names,
                   const std::function<void(const CsvRecord&)>& skipped = {});
  // Reads the next data record; returns false at the end of input. When the input's last byte is
  // not a line feed (its last line has no line ending, as in a file cut short), records once, as
  // soon as the end of the input has been read (at the latest when next() returns false), the
  // warning "file:line: the last line has no line ending: the file may be truncated" naming that
  // last line.
  bool next(CsvRecord& record);
  // Whether next() reports a record with more fields than the header (the default). A reader of a
  // download with several sections, whose next section is wider, turns it off and asks too_wide()
  // of the records that are still its own.
  void check_width(bool on) { check_width_ = on; }
  // Records "row has N fields but the header has M" at the first field past the header and returns
  // true when `record` is wider than the header.
  bool too_wide(const CsvRecord& record);
  // Estimated size of the decompressed input, for reserving memory.
  std::size_t estimated_bytes() const { return estimated_bytes_; }
  // Estimated number of records, for reserving memory: estimated_bytes() over the mean length of
  // the lines read into the buffer past the header (up to 2 MiB), with a tenth more for margin.
  std::size_t estimated_records() const { return estimated_records_; }
  // Share of the input read so far, in [0, 1]; for progress reporting.
  double progress() const;

 private:
  CsvReader(std::string name, std::string text, Diagnostics& diags, char delimiter,
            std::unique_ptr<Input> source);
  void read_header();
  void set_header(const CsvRecord& header);
  // Makes at least kMaxRecordBytes + 2 bytes (or the rest of the input) available after pos_,
  // moving the unread tail to the front of the buffer (earlier views become invalid, as documented).
  void fill();
  // Moves pos_ past blank and whitespace-only lines; false at the end of input.
  bool skip_blank_lines();
  // Parses the fields of one record at pos_; false when the record does not end within the
  // buffer (longer than kMaxRecordBytes).
  bool parse_fields(CsvRecord& record);
  // Skips to just past the next line feed (after an over-long record).
  void skip_line();
  // Reports cells that are not UTF-8 or hold control characters.
  void check_text(const CsvRecord& record);
  bool parse_record(CsvRecord& record);
  // The end-of-input warning described at next(), once end_line_ is known and the header read.
  void warn_unterminated_last_line();

  // The text being parsed: buf_, or whole_ for a gzip file decompressed whole (parsed where it
  // lies: no copy through buf_).
  char* text_data() { return whole_ ? whole_.get() : buf_.data(); }
  std::size_t text_size() const { return whole_ ? whole_size_ : buf_.size(); }

  std::string name_;
  std::string buf_;
  std::unique_ptr<char[]> whole_;
  std::size_t whole_size_ = 0;
  std::size_t pos_ = 0;
  std::unique_ptr<Input> src_;  // while streaming a file; null for text or at the end
  std::size_t file_bytes_ = 0;       // size on disk (compressed for gzip), for progress
  std::size_t file_bytes_read_ = 0;
  std::size_t estimated_bytes_ = 0;
  std::size_t estimated_records_ = 0;
  std::size_t line_ = 1;
  char delim_;
  Diagnostics* diags_;
  std::vector<std::string> header_;
  std::size_t header_line_ = 0;
  char last_byte_ = '\n';     // the last byte read from src_ so far ('\n' while there is none)
  std::size_t end_line_ = 0;  // the input's last line when it has no line ending; 0: none or not known yet
  bool end_warned_ = false;
  bool check_width_ = true;
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

// Bounds on numbers in input files (docs/formats.md): no quantity, price, amount or rate keel
// reads is near these, and staying far below the range of a double keeps every sum and product
// computed from them finite.
inline constexpr double kMaxInputMagnitude = 1e15;  // any number cell, any JSON number
inline constexpr double kMaxQuantity = 1e12;        // shares or contracts in a position or trade
inline constexpr double kMaxPrice = 1e9;            // a price per share or unit

// Why `text` is not a number, for a message: "number out of range (...)" when it is a number too
// large for a double, else "expected a number".
std::string number_problem(std::string_view text);

// Date::parse (YYYY-MM-DD) remembering the last text it parsed: a file in date order gives one
// date to many rows in a row, and those are parsed once.
class DateParser {
 public:
  std::optional<Date> operator()(std::string_view text) {
    if (has_last_ && text.size() == kSize && std::memcmp(text.data(), last_text_, kSize) == 0) return last_;
    auto d = Date::parse(text);
    if (d) {  // a date's text has kSize bytes
      std::memcpy(last_text_, text.data(), kSize);
      last_ = *d;
      has_last_ = true;
    }
    return d;
  }

 private:
  static constexpr std::size_t kSize = 10;
  char last_text_[kSize] = {};
  Date last_;
  bool has_last_ = false;
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
  mutable DateParser parse_date_;
};

}  // namespace keel::io
