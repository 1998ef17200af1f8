// Cursors of the API's paged lists (app.h, "Page"): an opaque URL-safe base64 of the list's own
// position text, read back strictly.
#include <charconv>
#include <cstring>

#include "app.h"

namespace keel::server {

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}

std::string encode_cursor(const std::string& text) {
  std::string out;
  unsigned val = 0;
  int bits = -6;
  for (unsigned char c : text) {
    val = (val << 8) + c;
    bits += 8;
    while (bits >= 0) {
      out += kB64[(val >> bits) & 0x3F];
      bits -= 6;
    }
  }
  if (bits > -6) out += kB64[((val << 8) >> (bits + 8)) & 0x3F];
  return out;
}

static std::optional<std::string> decode_cursor(const std::string& text) {
  std::string out;
  unsigned val = 0;
  int bits = -8;
  for (char c : text) {
    const char* p = std::strchr(kB64, c);
    if (!p || c == '\0') return std::nullopt;
    val = (val << 6) + static_cast<unsigned>(p - kB64);
    bits += 6;
    if (bits >= 0) {
      out += static_cast<char>((val >> bits) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

Page decode_page(std::size_t limit, const std::optional<std::string>& cursor) {
  Page page;
  page.limit = limit;
  if (cursor) {
    page.cursor = decode_cursor(*cursor);
    if (!page.cursor) throw Error::invalid_input("bad pagination parameters", {"cursor: not a cursor returned by this list"});
  }
  return page;
}

std::int64_t cursor_number(const Page& page, std::string_view prefix) {
  const std::string& c = page.cursor.value_or("");
  std::int64_t v = -1;
  if (c.size() > prefix.size() && c.compare(0, prefix.size(), prefix) == 0) {
    const char* begin = c.data() + prefix.size();
    const char* end = c.data() + c.size();
    const auto [ptr, ec] = std::from_chars(begin, end, v);
    if (ec != std::errc() || ptr != end) v = -1;
  }
  if (v < 0) throw Error::invalid_input("bad cursor", {"cursor: not a cursor returned by this list"});
  return v;
}

}  // namespace keel::server
