#include "keel/core/strings.h"

#include <fmt/format.h>

#include <cstdint>

namespace keel {

std::size_t utf8_error_offset(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

std::string shown_with(std::string_view value, std::size_t max_chars, char quote) {
  std::string out = quote ? std::string(1, quote) : std::string();
  std::size_t i = 0;
  const std::size_t n = value.size();
  auto hex = [&](unsigned char c) {
    static const char* digits = "0123456789ABCDEF";
    out += "\\x";
    out += digits[c >> 4];
    out += digits[c & 15];
  };
  while (i < n) {
    if (i >= max_chars) break;
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c == 0x7F) {
      hex(c);
      ++i;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    // A multi-byte character: copy it when valid, else show the byte.
    const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (i + len <= n && utf8_error_offset(value.substr(i, len)) == std::string_view::npos) {
      out.append(value.data() + i, len);
      i += len;
    } else {
      hex(c);
      ++i;
    }
  }
  if (quote) out += quote;
  if (i < n) out += fmt::format("... ({} bytes)", n);
  return out;
}

std::string shown(std::string_view value, std::size_t max_chars) { return shown_with(value, max_chars, '"'); }


}  // namespace keel
