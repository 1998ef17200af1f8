// Checking a JSON document before it is used (see keel/io/json_input.h).
#include "keel/io/json_input.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "keel/core/csv_writer.h"
#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/io/input.h"
#include "keel/core/env.h"

namespace keel::io {
namespace {

// The longest string accepted, as for a CSV record.
constexpr std::size_t kMaxStringBytes = std::size_t{1} << 20;

// A SAX handler that builds nothing: it tracks where it is (for the path) and stops at the first
// problem.
class PathChecker {
 public:
  using json = nlohmann::json;
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(number_integer_t) { return value(); }
  bool number_unsigned(number_unsigned_t) { return value(); }
  bool number_float(number_float_t, const string_t&) { return value(); }
  bool string(string_t& s) {
    if (!check_text(s, "")) return false;
    return value();
  }
  bool binary(binary_t&) { return value(); }
  bool start_object(std::size_t) {
    frames_.push_back({false, 0, {}, false});
    return true;
  }
  bool key(string_t& k) {
    frames_.back().key = k;
    frames_.back().has_key = true;
    return check_text(k, "key ");
  }
  bool end_object() {
    frames_.pop_back();
    return value();
  }
  bool start_array(std::size_t) {
    frames_.push_back({true, 0, {}, false});
    return true;
  }
  bool end_array() {
    frames_.pop_back();
    return value();
  }
  bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." -> "parse error ..."
    if (const auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    if (e.id == 406) what = "number out of range (a double holds magnitudes up to 1.8e308): " + what;
    // The parser's message quotes the last token read, which may be invalid UTF-8: escape it.
    const std::string q = shown(what, 300);
    problem_ = q.substr(1, q.find_last_of('"') - 1) + (q.back() == '"' ? "" : q.substr(q.find_last_of('"') + 1));
    byte_ = byte;
    return false;
  }

  std::string path() const {
    std::string out;
    for (const auto& f : frames_) {
      if (f.array) {
        out += fmt::format("[{}]", f.index);
      } else if (f.has_key) {
        const std::string k = is_plain(f.key) ? f.key : shown(f.key, 40);
        out += (out.empty() ? "" : ".") + k;
      }
    }
    return out.empty() ? "(top level)" : out;
  }
  const std::string& problem() const { return problem_; }
  std::size_t byte() const { return byte_; }
  bool failed() const { return !problem_.empty(); }

 private:
  struct Frame {
    bool array;
    std::size_t index;
    std::string key;
    bool has_key;
  };
  static bool is_plain(const std::string& k) {
    if (k.empty() || k.size() > 40) return false;
    for (char c : k) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7F || c == '.' || c == '[' || c == ']') return false;
    }
    return true;
  }
  // A scalar or a closed container ends: the next array element follows.
  bool value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }
  bool check_text(const std::string& s, const char* what) {
    if (s.size() > kMaxStringBytes) {
      problem_ = std::string(what) + "string " + shown(s) + " is longer than the limit of 1 MiB";
      byte_ = 0;
      return false;
    }
    for (std::size_t k = 0; k < s.size(); ++k) {
      const auto c = static_cast<unsigned char>(s[k]);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
        problem_ = std::string(what) + "string " + shown(s) + " holds the control character " +
                   shown(s.substr(k, 1)) + ": not allowed in text";
        byte_ = 0;
        return false;
      }
    }
    return true;
  }

  std::vector<Frame> frames_;
  std::string problem_;
  std::size_t byte_ = 0;
};

}  // namespace

std::optional<Diagnostic> check_json_text(std::string_view text, const std::string& name) {
  PathChecker checker;
  const bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &checker);
  if (ok && !checker.failed()) return std::nullopt;
  Diagnostic d;
  d.file = name;
  d.field = checker.path();
  d.message = checker.failed() ? checker.problem() : "not valid JSON";
  if (checker.byte() > 0) {
    // nlohmann counts bytes from 1; the problem is at or just before that byte.
    const std::size_t end = std::min(text.size(), checker.byte() - 1);
    d.line = 1;
    d.column = 1;
    for (std::size_t k = 0; k < end; ++k) {
      if (text[k] == '\n') {
        ++d.line;
        d.column = 1;
      } else if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) {
        ++d.column;
      }
    }
  }
  return d;
}

std::string csv_of_json_rows(const nlohmann::json& rows, std::string_view what, std::string_view path,
                             std::initializer_list<std::string_view> list_columns) {
  const auto is_list = [&](std::string_view column) {
    return std::find(list_columns.begin(), list_columns.end(), column) != list_columns.end();
  };
  std::vector<std::string> columns;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (!row.is_object()) {
      problems.push_back(fmt::format("{}[{}]: expected an object", path, i));
      continue;
    }
    for (const auto& [k, v] : row.items()) {
      if (v.is_object() || (v.is_array() && !is_list(k))) {
        problems.push_back(fmt::format("{}[{}].{}: expected a string or a number", path, i, k));
      }
      if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
    }
  }
  if (!problems.empty()) throw Error::invalid_input(fmt::format("invalid {}", what), problems);
  const auto text = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  // The one CSV writer (its formula guard is undone by the reader): the rows read back as given.
  CsvWriter csv;
  for (const auto& c : columns) csv.cell(c);
  csv.end_row();
  for (const auto& row : rows) {
    for (const auto& column : columns) {
      const auto it = row.find(column);
      if (it == row.end() || it->is_null()) {
        csv.empty();
      } else if (!it->is_array()) {
        csv.cell(text(*it));
      } else {
        std::string joined;
        for (const auto& item : *it) joined += (joined.empty() ? "" : ";") + text(item);
        csv.cell(joined);
      }
    }
    csv.end_row();
  }
  return csv.take();
}

nlohmann::json read_json_file(const keel::Files& files, const std::string& path, const std::string& field,
                              std::string_view what) {
  const std::string text = read_text_file(files, path, field, what, kMaxJsonInputBytes);
  if (const auto problem = check_json_text(text, path)) {
    throw Error::invalid_input(fmt::format("{}: invalid {}", path, what), {problem->to_string()});
  }
  return nlohmann::json::parse(text);
}

}  // namespace keel::io
