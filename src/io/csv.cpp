#include "keel/io/csv.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "keel/core/error.h"
#include "keel/core/parse.h"

namespace keel::io {
namespace {

std::string lower_trimmed(std::string_view s) {
  s = trim(s);
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

CsvReader::CsvReader(std::string name, std::string text, Diagnostics& diags, char delimiter, void* gz,
                     std::size_t file_bytes)
    : name_(std::move(name)),
      buf_(std::move(text)),
      gz_(gz),
      file_bytes_(file_bytes),
      delim_(delimiter),
      diags_(&diags) {
  // gzip text is typically 3-4 times smaller than the CSV it holds.
  estimated_bytes_ = gz_ != nullptr ? file_bytes_ * 4 : buf_.size();
  fill();
  if (buf_.size() >= 3 && buf_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
  read_header();
}

CsvReader::CsvReader(CsvReader&& o) noexcept
    : name_(std::move(o.name_)),
      buf_(std::move(o.buf_)),
      pos_(o.pos_),
      gz_(std::exchange(o.gz_, nullptr)),
      file_bytes_(o.file_bytes_),
      estimated_bytes_(o.estimated_bytes_),
      line_(o.line_),
      delim_(o.delim_),
      diags_(o.diags_),
      header_(std::move(o.header_)),
      header_line_(o.header_line_) {}

CsvReader::~CsvReader() {
  if (gz_ != nullptr) gzclose(static_cast<gzFile>(gz_));
}

void CsvReader::fill() {
  if (gz_ == nullptr || buf_.size() - pos_ >= kMaxRecordBytes) return;
  buf_.erase(0, pos_);
  pos_ = 0;
  auto* f = static_cast<gzFile>(gz_);
  const std::size_t want = 2 * kMaxRecordBytes;
  while (buf_.size() < want) {
    const std::size_t old = buf_.size();
    buf_.resize(old + (std::size_t{1} << 18));
    const int n = gzread(f, buf_.data() + old, 1u << 18);
    if (n < 0) {
      int errnum = 0;
      std::string msg = gzerror(f, &errnum);
      buf_.resize(old);
      gzclose(f);
      gz_ = nullptr;
      throw Error::invalid_input(name_ + ": cannot read (corrupt or truncated gzip?): " + msg);
    }
    buf_.resize(old + static_cast<std::size_t>(n));
    if (n == 0) {
      gzclose(f);
      gz_ = nullptr;
      return;
    }
  }
}

double CsvReader::progress() const {
  if (gz_ == nullptr) return buf_.empty() ? 1.0 : static_cast<double>(pos_) / static_cast<double>(buf_.size());
  const auto done = static_cast<double>(gzoffset(static_cast<gzFile>(gz_)));
  return file_bytes_ ? std::min(1.0, done / static_cast<double>(file_bytes_)) : 0.0;
}

void CsvReader::read_header() {
  CsvRecord header;
  if (!parse_record(header)) {
    diags_->error({name_, 0, 0, "", "the file is empty: expected a header row"});
    return;
  }
  header_line_ = header.line;
  for (auto f : header.fields) header_.emplace_back(trim(f));
  // Trailing separators on the header line leave empty names at the end: drop them.
  while (!header_.empty() && header_.back().empty()) header_.pop_back();
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i].empty()) {
      diags_->error({name_, header_line_, i + 1, "", "empty column name in the header"});
    }
  }
}

CsvReader CsvReader::open(const std::string& path, Diagnostics& diags, char delimiter) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw Error::not_found(path + ": no such file");
  if (std::filesystem::is_directory(path, ec)) {
    throw Error::invalid_input(path + ": is a directory, expected a CSV file");
  }
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) throw Error::invalid_input(path + ": cannot open: " + std::strerror(errno));
  gzbuffer(f, 1 << 17);
  const auto size = std::filesystem::file_size(path, ec);
  return CsvReader(path, std::string(), diags, delimiter, f, ec ? 0 : static_cast<std::size_t>(size));
}

CsvReader CsvReader::from_text(std::string display_name, std::string text, Diagnostics& diags,
                               char delimiter) {
  return CsvReader(std::move(display_name), std::move(text), diags, delimiter, nullptr, 0);
}

bool CsvReader::next(CsvRecord& record) {
  if (!parse_record(record)) return false;
  // Empty fields past the header's width come from trailing separators: drop them.
  while (record.fields.size() > header_.size() && record.fields.back().empty()) {
    record.fields.pop_back();
  }
  if (record.fields.size() > header_.size()) {
    diags_->error({name_, record.line, header_.size() + 1, "",
                   "row has " + std::to_string(record.fields.size()) + " fields but the header has " +
                       std::to_string(header_.size())});
  }
  return true;
}

bool CsvReader::parse_record(CsvRecord& record) {
  fill();
  record.fields.clear();
  const std::size_t n = buf_.size();
  char* data = buf_.data();
  // Skip blank lines (LF or CRLF, or whitespace only).
  for (;;) {
    if (pos_ >= n) return false;
    std::size_t p = pos_;
    while (p < n && (data[p] == ' ' || data[p] == '\t')) ++p;
    if (p < n && data[p] == '\r' && p + 1 < n && data[p + 1] == '\n') ++p;
    if (p < n && data[p] == '\n') {
      pos_ = p + 1;
      ++line_;
      continue;
    }
    if (p >= n) {
      pos_ = n;
      return false;
    }
    break;
  }
  record.line = line_;
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
      record.fields.emplace_back(data + start, write - start);
      if (!closed) {
        diags_->error({name_, quote_line, record.fields.size(), "",
                       gz_ != nullptr ? "record longer than 1 MB (an unterminated quoted field?)"
                                      : "unterminated quoted field: expected a closing \""});
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
      while (pos_ < n && data[pos_] != delim_ && data[pos_] != '\n') ++pos_;
      std::size_t end = pos_;
      if (end > start && data[end - 1] == '\r' && (pos_ >= n || data[pos_] == '\n')) --end;
      record.fields.emplace_back(data + start, end - start);
    }
    if (pos_ >= n) return true;
    if (data[pos_] == delim_) {
      ++pos_;
      continue;
    }
    if (data[pos_] == '\r') ++pos_;
    if (pos_ < n && data[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    return true;
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
      diags.error({reader.name(), reader.header_line(), 0, "",
                   "missing required column \"" + std::string(r) + "\" (header has: " + have + ")"});
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
                     "unknown column \"" + reader.header()[i] + "\" ignored"});
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
    if (static_cast<std::size_t>(col) < reader_->header().size()) d.field = reader_->header()[col];
  }
  d.message = std::move(message);
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
  auto v = parse_double(t);
  if (!v) error(r, col, "expected a number, got \"" + std::string(t) + "\"");
  return v;
}

std::optional<Date> CsvCells::date(const CsvRecord& r, int col, bool required) const {
  const auto t = text(r, col);
  if (t.empty()) {
    if (required) error(r, col, "missing value: expected a date as YYYY-MM-DD");
    return std::nullopt;
  }
  auto d = Date::parse(t);
  if (!d) error(r, col, "expected a date as YYYY-MM-DD, got \"" + std::string(t) + "\"");
  return d;
}

}  // namespace keel::io
