#include "keel/io/csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "keel/core/csv_writer.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/io/input.h"
#include "keel/core/strings.h"

namespace keel::io {
namespace {

// A column's name in a diagnostic (Diagnostic::field) is cut past this many bytes.
constexpr std::size_t kMaxFieldNameBytes = 64;
// A message longer than this (or not UTF-8) is cut; every byte shown may take 4 (\xNN).
constexpr std::size_t kMaxMessageBytes = 2048;

std::string lower_trimmed(std::string_view s) {
  return to_lower(trim(s));
}

// True when every byte is printable ASCII or a tab (the common case, checked first).
bool plain_ascii(std::string_view s) {
  unsigned bad = 0;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    bad |= static_cast<unsigned>((c < 0x20 && c != '\t') | (c >= 0x7F));
  }
  return bad == 0;
}

// The value of `s` when it is a plain decimal: an optional '-', digits, and optionally '.' and
// more digits, 15 digits in all at most; nullopt for anything else (left to parse_double). Such a
// number is m / 10^k with m < 10^15 < 2^53 and k <= 15, both exact doubles, so one IEEE division
// rounds it correctly: the same double std::from_chars gives (Clinger's fast path), at a fraction
// of the cost on the price files' millions of cells.
std::optional<double> plain_decimal(std::string_view s) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  constexpr std::size_t kMaxDigits = 15;
  const char* p = s.data();
  const char* const end = p + s.size();
  const bool negative = p < end && *p == '-';
  if (negative) ++p;
  // One pass over the digits (the mantissa wraps harmlessly past 19 digits: such cells are refused
  // below by their digit count).
  std::uint64_t m = 0;
  const char* const int_start = p;
  while (p < end && static_cast<unsigned>(*p - '0') < 10u) m = 10 * m + static_cast<std::uint64_t>(*p++ - '0');
  const std::size_t int_digits = static_cast<std::size_t>(p - int_start);
  if (int_digits == 0) return std::nullopt;
  std::size_t fraction = 0;
  if (p < end && *p == '.') {
    const char* const frac_start = ++p;
    while (p < end && static_cast<unsigned>(*p - '0') < 10u) m = 10 * m + static_cast<std::uint64_t>(*p++ - '0');
    fraction = static_cast<std::size_t>(p - frac_start);
    if (fraction == 0) return std::nullopt;
  }
  // More than 15 digits, an exponent, or not a number: the general parser decides.
  if (p != end || int_digits + fraction > kMaxDigits) return std::nullopt;
  const double v = static_cast<double>(m) / kPow10[fraction];
  return negative ? -v : v;
}

}  // namespace

std::string number_problem(std::string_view text) {
  text = trim(text);
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range && ptr == text.data() + text.size()) {
    return "number out of range (a double holds magnitudes up to 1.8e308)";
  }
  return "expected a number";
}

CsvReader::CsvReader(std::string name, std::string text, Diagnostics& diags, char delimiter,
                     std::unique_ptr<Input> source)
    : name_(std::move(name)), buf_(std::move(text)), src_(std::move(source)), delim_(delimiter), diags_(&diags) {
  file_bytes_ = src_ ? static_cast<std::size_t>(src_->file_bytes()) : 0;
  // gzip text is typically 3-4 times smaller than the CSV it holds.
  estimated_bytes_ = src_ ? (src_->gzip() ? file_bytes_ * 4 : file_bytes_) : buf_.size();
  if (src_) {
    std::size_t n = 0;
    if (auto whole = src_->take_whole(n)) {
      whole_ = std::move(whole);
      whole_size_ = n;
      estimated_bytes_ = n;
      file_bytes_read_ = static_cast<std::size_t>(src_->file_bytes_read());
      src_.reset();
    }
  }
  const std::string_view all(text_data(), text_size());
  if (!src_ && !all.empty() && all.back() != '\n') {
    end_line_ = 1 + static_cast<std::size_t>(std::count(all.begin(), all.end(), '\n'));
  }
  fill();
  if (text_size() >= 3 && std::string_view(text_data(), 3) == "\xEF\xBB\xBF") pos_ = 3;
  read_header();
  // Lines in the text at hand past the header (the whole text, or the first buffer of a stream).
  const std::string_view sample(text_data() + pos_, std::min(text_size() - pos_, 2 * kMaxRecordBytes));
  const auto lines = static_cast<std::size_t>(std::count(sample.begin(), sample.end(), '\n'));
  const std::size_t mean_line = lines > 0 ? std::max<std::size_t>(1, sample.size() / lines) : 40;
  estimated_records_ = estimated_bytes_ / mean_line + estimated_bytes_ / mean_line / 10 + 1;
}

CsvReader::CsvReader(CsvReader&& o) noexcept = default;
CsvReader::~CsvReader() = default;

void CsvReader::fill() {
  if (!src_ || buf_.size() - pos_ >= kMaxRecordBytes + 2) return;
  buf_.erase(0, pos_);
  pos_ = 0;
  const std::size_t want = 2 * kMaxRecordBytes + 4;
  while (buf_.size() < want) {
    const std::size_t old = buf_.size();
    buf_.resize(want);
    const std::size_t n = src_->read(buf_.data() + old, want - old);
    buf_.resize(old + n);
    if (n > 0) last_byte_ = buf_.back();
    if (n == 0) {
      // The rest of the input is buf_[pos_, end): the last line's number is known now, before
      // the rows are parsed (so the warning is recorded ahead of theirs, within the warnings cap).
      if (last_byte_ != '\n') {
        end_line_ = line_ + static_cast<std::size_t>(std::count(buf_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                                                buf_.end(), '\n'));
      }
      file_bytes_read_ = static_cast<std::size_t>(src_->file_bytes_read());
      src_.reset();
      return;
    }
  }
  file_bytes_read_ = static_cast<std::size_t>(src_->file_bytes_read());
}

double CsvReader::progress() const {
  if (file_bytes_ > 0 && !whole_) {
    if (!src_) return 1.0;
    return std::min(1.0, static_cast<double>(file_bytes_read_) / static_cast<double>(file_bytes_));
  }
  return text_size() == 0 ? 1.0 : static_cast<double>(pos_) / static_cast<double>(text_size());
}

void CsvReader::read_header() {
  CsvRecord header;
  const std::size_t errors_before = diags_->error_count();
  if (!parse_record(header)) {
    if (diags_->error_count() == errors_before) {
      diags_->error({name_, 0, 0, "", "the file is empty: expected a header row"});
    }
    return;
  }
  set_header(header);
}

void CsvReader::set_header(const CsvRecord& header) {
  header_.clear();
  header_line_ = header.line;
  for (auto f : header.fields) {
    const std::string_view name = trim(f);
    // A name that is not clean text was reported by check_text; keep a printable form of it so
    // that no message built from it carries invalid bytes.
    const bool clean = utf8_error_offset(name) == std::string_view::npos &&
                       std::none_of(name.begin(), name.end(), [](char c) {
                         return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
                       });
    if (clean) {
      header_.emplace_back(name);
    } else {
      const std::string q = shown(name, kMaxRecordBytes);
      header_.push_back(q.substr(1, q.size() - 2));
    }
  }
  // Trailing separators on the header line leave empty names at the end: drop them.
  while (!header_.empty() && header_.back().empty()) header_.pop_back();
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i].empty()) {
      diags_->error({name_, header_line_, i + 1, "", "empty column name in the header"});
    }
  }
}

CsvReader CsvReader::open(std::unique_ptr<ByteSource> file, Diagnostics& diags, char delimiter) {
  std::string name = file->name();
  auto src = Input::open(std::move(file));
  return CsvReader(std::move(name), std::string(), diags, delimiter, std::move(src));
}

CsvReader CsvReader::from_text(std::string display_name, std::string text, Diagnostics& diags,
                               char delimiter) {
  return CsvReader(std::move(display_name), std::move(text), diags, delimiter, nullptr);
}

bool CsvReader::seek_header(const std::vector<std::string>& names,
                            const std::function<void(const CsvRecord&)>& skipped) {
  auto has_all = [&](const auto& cells) {
    return std::all_of(names.begin(), names.end(), [&](const std::string& n) {
      return std::any_of(cells.begin(), cells.end(), [&](const auto& c) { return iequals(trim(c), trim(n)); });
    });
  };
  if (header_line_ == 0) return false;
  if (has_all(header_)) return true;
  if (skipped) {
    CsvRecord first{header_line_, {header_.begin(), header_.end()}};
    skipped(first);
  }
  CsvRecord record;
  while (parse_record(record)) {
    if (has_all(record.fields)) {
      set_header(record);
      return true;
    }
    if (skipped) skipped(record);
  }
  return false;
}

bool CsvReader::next(CsvRecord& record) {
  warn_unterminated_last_line();
  if (!parse_record(record)) {
    warn_unterminated_last_line();
    return false;
  }
  // Empty fields past the header's width come from trailing separators: drop them.
  while (record.fields.size() > header_.size() && record.fields.back().empty()) {
    record.fields.pop_back();
  }
  if (check_width_) too_wide(record);
  return true;
}

bool CsvReader::too_wide(const CsvRecord& record) {
  if (record.fields.size() <= header_.size()) return false;
  diags_->error({name_, record.line, header_.size() + 1, "",
                 fmt::format("row has {} fields but the header has {}", record.fields.size(), header_.size())});
  return true;
}

void CsvReader::warn_unterminated_last_line() {
  // A file cut short (a download or copy interrupted) most often ends inside its last line; a
  // complete file ends with a line feed. Editors and hand-made files may omit the last one, so
  // this is a warning naming the line, not an error: the file is imported, the cut made visible.
  // An empty file (no header) is an error already.
  if (end_line_ == 0 || end_warned_ || header_line_ == 0) return;
  end_warned_ = true;
  diags_->warning({name_, end_line_, 0, "", "the last line has no line ending: the file may be truncated"});
}

bool CsvReader::skip_blank_lines() {
  for (;;) {
    fill();
    const std::size_t n = text_size();
    const char* data = text_data();
    std::size_t p = pos_;
    while (p < n && (data[p] == ' ' || data[p] == '\t')) ++p;
    if (p >= n) {
      pos_ = n;
      if (!src_) return false;
      continue;  // a run of blanks longer than the buffer: read on
    }
    if (data[p] == '\r' && p + 1 < n && data[p + 1] == '\n') ++p;
    if (data[p] == '\n') {
      pos_ = p + 1;
      ++line_;
      continue;
    }
    if (p - pos_ > kMaxRecordBytes) pos_ = p;  // keep the record's start within the buffer bound
    return true;
  }
}

void CsvReader::skip_line() {
  for (;;) {
    const std::size_t n = text_size();
    const void* lf = pos_ < n ? std::memchr(text_data() + pos_, '\n', n - pos_) : nullptr;
    if (lf != nullptr) {
      pos_ = static_cast<std::size_t>(static_cast<const char*>(lf) - text_data()) + 1;
      ++line_;
      return;
    }
    pos_ = n;
    if (!src_) return;
    fill();
  }
}

bool CsvReader::parse_record(CsvRecord& record) {
  for (;;) {
    record.fields.clear();
    if (!skip_blank_lines()) return false;
    record.line = line_;
    const std::size_t start = pos_;
    const bool complete = parse_fields(record);
    if (!complete || pos_ - start > kMaxRecordBytes) {
      diags_->error(
          {name_, record.line, 0, "",
           fmt::format(
               "record longer than the limit of {} bytes (1 MiB; an unterminated quoted field?): skipped",
               kMaxRecordBytes)});
      if (!complete) skip_line();
      continue;
    }
    // Most records are printable ASCII throughout: one pass over the record's bytes (the line
    // end aside) instead of one per field; only a record with anything else is checked cell by
    // cell (a line break inside a quoted cell lands there too).
    std::string_view bytes(text_data() + start, pos_ - start);
    if (!bytes.empty() && bytes.back() == '\n') bytes.remove_suffix(1);
    if (!bytes.empty() && bytes.back() == '\r') bytes.remove_suffix(1);
    if (!plain_ascii(bytes)) check_text(record);
    // The formula guard of keel's CSV writer is undone (keel/core/csv_writer.h): a file keel
    // wrote reads back to the text it was written from.
    for (std::string_view& f : record.fields) {
      if (!f.empty() && f.front() == '\'') f = csv_unguarded(f);
    }
    return true;
  }
}

namespace {

// The first byte in [p, end) that is `delim` or a line feed; `end` when there is none. Sixteen
// bytes at a time where SSE2 is there (every x86-64): a field's end is found by one compare instead
// of a branch per byte.
const char* field_end(const char* p, const char* end, char delim) {
#if defined(__SSE2__)
  const __m128i d = _mm_set1_epi8(delim), lf = _mm_set1_epi8('\n');
  for (; end - p >= 16; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, lf)));
    if (m != 0) return p + __builtin_ctz(static_cast<unsigned>(m));
  }
#endif
  while (p < end && *p != delim && *p != '\n') ++p;
  return p;
}

}  // namespace

bool CsvReader::parse_fields(CsvRecord& record) {
  const std::size_t n = text_size();
  char* data = text_data();
  const bool more = src_ != nullptr;  // the record must end within the buffer
  for (;;) {
    // One field starting at pos_.
    if (pos_ < n && data[pos_] == '"') {
      const std::size_t quote_line = line_;
      const std::size_t start = pos_;
      std::size_t read = pos_ + 1;
      std::size_t write = start;
      bool closed = false;
      while (read < n) {
        const char c = data[read];
        if (c == '"') {
          if (read + 1 < n && data[read + 1] == '"') {
            data[write++] = '"';
            read += 2;
            continue;
          }
          ++read;
          closed = true;
          break;
        }
        if (c == '\n') ++line_;
        data[write++] = c;
        ++read;
      }
      if (!closed && more) {
        pos_ = n;
        return false;
      }
      record.fields.emplace_back(data + start, write - start);
      if (!closed) {
        diags_->error({name_, quote_line, record.fields.size(), "", "unterminated quoted field: expected a closing \""});
        pos_ = n;
        return true;
      }
      pos_ = read;
      // After the closing quote only a separator or the end of line may follow.
      if (pos_ < n && data[pos_] != delim_ && data[pos_] != '\n' && data[pos_] != '\r') {
        diags_->error({name_, line_, record.fields.size(), "",
                       "unexpected text after a closing quote: expected a separator or end of line"});
        while (pos_ < n && data[pos_] != delim_ && data[pos_] != '\n') ++pos_;
      }
    } else {
      const std::size_t start = pos_;
      pos_ = static_cast<std::size_t>(field_end(data + pos_, data + n, delim_) - data);
      std::size_t end = pos_;
      if (end > start && data[end - 1] == '\r' && (pos_ >= n || data[pos_] == '\n')) --end;
      record.fields.emplace_back(data + start, end - start);
    }
    if (pos_ >= n) return !more;
    if (data[pos_] == delim_) {
      ++pos_;
      continue;
    }
    if (data[pos_] == '\r') {
      ++pos_;
      if (pos_ >= n && more) return false;
    }
    if (pos_ < n && data[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    return true;
  }
}

namespace {

const char* control_name(unsigned char c) {
  switch (c) {
    case 0: return " (NUL)";
    case '\r': return " (a carriage return not followed by a line feed)";
    case 0x7F: return " (DEL)";
    default: return "";
  }
}

}  // namespace

void CsvReader::check_text(const CsvRecord& record) {
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    const std::string_view f = record.fields[i];
    if (plain_ascii(f)) continue;
    // The cell's bytes live in the text; a cell found bad is overwritten with '?' where it is wrong,
    // so that no message a reader builds from it later carries bytes that are not text (the file
    // is refused anyway: an error is recorded first).
    char* bytes = text_data() + (f.data() - text_data());
    const std::size_t bad = utf8_error_offset(f);
    if (bad != std::string_view::npos) {
      diags_->error({name_, record.line, i + 1, "",
                     fmt::format("invalid UTF-8 (byte {} at byte {} of the cell): keel reads UTF-8 text",
                                 shown(f.substr(bad, 1)), bad + 1)});
      for (std::size_t k = 0; k < f.size(); ++k) {
        const auto c = static_cast<unsigned char>(bytes[k]);
        if (c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) bytes[k] = '?';
      }
      continue;
    }
    bool reported = false;
    for (std::size_t k = 0; k < f.size(); ++k) {
      const auto c = static_cast<unsigned char>(f[k]);
      const bool line_break = c == '\n' || (c == '\r' && k + 1 < f.size() && f[k + 1] == '\n');
      if ((c < 0x20 && c != '\t' && !line_break) || c == 0x7F) {
        if (!reported) {
          diags_->error({name_, record.line, i + 1, "",
                         fmt::format("control character {}{} at byte {} of the cell: not allowed in text",
                                     shown(f.substr(k, 1)), control_name(c), k + 1)});
          reported = true;
        }
        bytes[k] = '?';
      }
    }
  }
}

CsvColumns::CsvColumns(const CsvReader& reader, std::initializer_list<std::string_view> required,
                       std::initializer_list<std::string_view> optional, Diagnostics& diags,
                       bool warn_unknown) {
  for (const auto& h : reader.header()) lower_names_.push_back(lower_trimmed(h));
  if (reader.header().empty()) return;  // the reader already reported the empty file
  for (auto r : required) {
    if (index(r) < 0) {
      std::string have;
      for (const auto& h : reader.header()) have += (have.empty() ? "" : ",") + h;
      // A hostile header line must not make the message as long as the line: past 200 bytes the
      // list is cut (at a character boundary) and the column count given instead.
      if (have.size() > 200) {
        std::size_t cut = 200;
        while (cut > 0 && (static_cast<unsigned char>(have[cut]) & 0xC0) == 0x80) --cut;
        have = fmt::format("{}... ({} columns)", have.substr(0, cut), reader.header().size());
      }
      diags.error({reader.name(), reader.header_line(), 0, "",
                   "missing required column " + shown(r) + " (header has: " + have + ")"});
    }
  }
  if (!warn_unknown) return;
  for (std::size_t i = 0; i < lower_names_.size(); ++i) {
    const auto& name = lower_names_[i];
    const bool known =
        std::any_of(required.begin(), required.end(), [&](auto s) { return lower_trimmed(s) == name; }) ||
        std::any_of(optional.begin(), optional.end(), [&](auto s) { return lower_trimmed(s) == name; });
    if (!known) {
      diags.warning({reader.name(), reader.header_line(), i + 1, "",
                     "unknown column " + shown(reader.header()[i], kMaxFieldNameBytes) + " ignored"});
    }
  }
}

int CsvColumns::index(std::string_view name) const {
  const std::string key = lower_trimmed(name);
  for (std::size_t i = 0; i < lower_names_.size(); ++i) {
    if (lower_names_[i] == key) return static_cast<int>(i);
  }
  return -1;
}

std::string_view CsvCells::text(const CsvRecord& r, int col) const {
  if (col < 0) return {};
  return trim(r[static_cast<std::size_t>(col)]);
}

Diagnostic CsvCells::place(const CsvRecord& r, int col, std::string message) const {
  Diagnostic d;
  d.file = reader_->name();
  d.line = r.line;
  if (col >= 0) {
    d.column = static_cast<std::size_t>(col) + 1;
    if (static_cast<std::size_t>(col) < reader_->header().size()) {
      // A hostile header cell must not make every message of its column as long as the cell.
      const std::string& name = reader_->header()[col];
      d.field = name.size() <= kMaxFieldNameBytes ? name : shown_with(name, kMaxFieldNameBytes, '\0');
    }
  }
  // A reader quotes cell values through shown(); should one quote a cell whole, its message still
  // stays short, printable UTF-8 (what every caller and the JSON error body rely on).
  d.message = message.size() <= kMaxMessageBytes && utf8_error_offset(message) == std::string::npos
                  ? std::move(message)
                  : shown_with(message, kMaxMessageBytes / 4, '\0');
  return d;
}

void CsvCells::error(const CsvRecord& r, int col, std::string message) const {
  diags_->error(place(r, col, std::move(message)));
}

void CsvCells::warning(const CsvRecord& r, int col, std::string message) const {
  diags_->warning(place(r, col, std::move(message)));
}

std::optional<double> CsvCells::number(const CsvRecord& r, int col, bool required) const {
  const auto t = text(r, col);
  if (t.empty()) {
    if (required) error(r, col, "missing value: expected a number");
    return std::nullopt;
  }
  auto v = plain_decimal(t);
  if (!v) v = parse_double(t);
  if (!v) {
    error(r, col, number_problem(t) + ", got " + shown(t));
  } else if (std::abs(*v) > kMaxInputMagnitude) {
    error(r, col, "number too large: " + shown(t) + " (input numbers are bounded by 1e15 in magnitude)");
    return std::nullopt;
  }
  return v;
}

std::optional<Date> CsvCells::date(const CsvRecord& r, int col, bool required) const {
  const auto t = text(r, col);
  if (t.empty()) {
    if (required) error(r, col, "missing value: expected a date as YYYY-MM-DD");
    return std::nullopt;
  }
  auto d = parse_date_(t);
  if (!d) error(r, col, "expected a date as YYYY-MM-DD, got " + shown(t));
  return d;
}

}  // namespace keel::io
