// keel/core/strings.h: ASCII case mapping and case-insensitive comparison for the tokens keel
// reads and writes: tickers, currency and rating codes, tenors, CSV column and factor names,
// HTTP methods, header names and file extensions; UTF-8 validation, and outside text quoted in a
// message (shown).
//
// The case mapping is ASCII only, on purpose: these are file-format and protocol tokens, never
// natural-language text, so the result must not depend on the process locale (std::tolower would
// consult it); bytes outside A-Z / a-z, including UTF-8 sequences, are left as they are.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace keel {

constexpr char to_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr char to_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// `s` with A-Z mapped to a-z.
inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

// `s` with a-z mapped to A-Z.
inline std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_upper(c);
  return out;
}

// True when `a` and `b` are equal ignoring ASCII case ("Content-Type" and "content-type").
constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

// True when `s` begins with `prefix`, ignoring ASCII case.
constexpr bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// Where `text` first fails to be UTF-8: the byte offset, or npos when it is valid. Overlong
// forms, surrogates and code points past U+10FFFF are invalid.
std::size_t utf8_error_offset(std::string_view text);

// `value` quoted for a message: at most `max_chars` bytes (cut on a character boundary, then
// "... (N bytes)"), with control characters and invalid UTF-8 shown as \xNN, so a message that
// quotes outside text is always short, printable UTF-8 whatever the text.
std::string shown(std::string_view value, std::size_t max_chars = 64);
// The same enclosed in `quote` instead of '"' ('\0': no quotes, for paths and text inside a
// sentence).
std::string shown_with(std::string_view value, std::size_t max_chars, char quote);

// CSV cells are written by keel/core/csv_writer.h (quoting and the formula guard).

}  // namespace keel
