// Text from outside made safe to quote (keel/llm/chat.h), JSON parsed under bounds (json_text.h),
// URLs' hosts and whether they are local.
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "json_text.h"
#include "keel/core/strings.h"
#include "keel/llm/chat.h"
#include "keel/net/url.h"

namespace keel::llm {

std::string_view wire_format_name(WireFormat f) {
  return f == WireFormat::kAnthropic ? "anthropic" : "openai";
}

std::optional<WireFormat> parse_wire_format(std::string_view name) {
  if (name == "openai") return WireFormat::kOpenAi;
  if (name == "anthropic") return WireFormat::kAnthropic;
  return std::nullopt;
}

std::string clean_text(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 8);
  auto hex = [&](unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02X", c);
    out += buf;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (out.size() >= max_bytes) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) {
        if (c == '\n' || c == '\t' || c == '\r')
          out += ' ';
        else
          hex(c);
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // A UTF-8 sequence: 2 to 4 bytes, shortest form, no surrogates, at most U+10FFFF.
    std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    bool ok = n > 0 && i + n <= text.size();
    for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (ok && n == 3) {
      const auto c1 = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
    }
    if (ok && n == 4) {
      const auto c1 = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (!ok) {
      hex(c);
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::optional<nlohmann::json> parse_json_bounded(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > 64) return std::nullopt;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

bool is_local_url(std::string_view url) {
  // The host libcurl would connect to (net::Url); a URL keel refuses to send anything to is not
  // local (a local-only policy must not pass "http://127.0.0.1:P\@evil.example/" as this machine).
  const auto u = net::Url::parse(url);
  if (!u) return false;
  const std::string host = u->host_name();
  if (host.empty()) return false;
  if (host == "localhost" || host.ends_with(".localhost") || host.ends_with(".local")) return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    const auto a = reinterpret_cast<const unsigned char*>(&v4.s_addr);
    return a[0] == 127 || a[0] == 10 || (a[0] == 172 && (a[1] & 0xF0) == 16) ||
           (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254);
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    static const unsigned char loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    if (std::memcmp(v6.s6_addr, loopback, 16) == 0) return true;
    if ((v6.s6_addr[0] & 0xFE) == 0xFC) return true;                           // fc00::/7
    if (v6.s6_addr[0] == 0xFE && (v6.s6_addr[1] & 0xC0) == 0x80) return true;  // fe80::/10
  }
  return false;
}

}  // namespace keel::llm
