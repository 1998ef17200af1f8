// keel/core/strings.h: ASCII case mapping and case-insensitive comparison for the tokens keel
// reads and writes: tickers, currency and rating codes, tenors, CSV column and factor names,
// HTTP methods, header names and file extensions.
//
// ASCII only, on purpose: these are file-format and protocol tokens, never natural-language
// text, so the result must not depend on the process locale (std::tolower would consult it);
// bytes outside A-Z / a-z, including UTF-8 sequences, are left as they are.
//
// Thread-safety: pure functions.
#pragma once

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

}  // namespace keel
