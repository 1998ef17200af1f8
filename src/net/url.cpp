// The one reading of an outbound URL: libcurl's URL API with keel's refusals (keel/net/url.h).
#include "keel/net/url.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <utility>

#include "keel/core/strings.h"

namespace keel::net {
namespace {

// Text quoted in a message: core's form (at most 120 bytes, control characters and invalid UTF-8
// as \xNN).
std::string in_quotes(std::string_view text) { return shown_with(text, 120, '"'); }

struct CurluDeleter {
  void operator()(CURLU* h) const { curl_url_cleanup(h); }
};
using CurluPtr = std::unique_ptr<CURLU, CurluDeleter>;

// One part of a read URL; nullopt when libcurl holds none.
std::optional<std::string> part(CURLU* h, CURLUPart which) {
  char* value = nullptr;
  if (curl_url_get(h, which, &value, 0) != CURLUE_OK || value == nullptr) return std::nullopt;
  std::string out(value);
  curl_free(value);
  return out;
}

// What libcurl read: the parts every decision uses.
struct Parts {
  std::string scheme;
  std::optional<std::string> user, password, options, zone;
  std::string host;  // as libcurl holds it (IPv6 in brackets)
  std::optional<std::string> port;
  bool operator==(const Parts&) const = default;
};

Parts parts_of(CURLU* h) {
  Parts p;
  p.scheme = part(h, CURLUPART_SCHEME).value_or("");
  p.user = part(h, CURLUPART_USER);
  p.password = part(h, CURLUPART_PASSWORD);
  p.options = part(h, CURLUPART_OPTIONS);
  p.zone = part(h, CURLUPART_ZONEID);
  p.host = part(h, CURLUPART_HOST).value_or("");
  p.port = part(h, CURLUPART_PORT);
  return p;
}

std::string lower_host(std::string host) {
  host = to_lower(std::move(host));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return host;
}

std::string without_trailing_dots(std::string host) {
  while (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// libcurl's reason for refusing a URL, with the part named where its code says which.
std::string curl_refusal(CURLUcode rc, std::string_view text, std::string_view authority) {
  switch (rc) {
    case CURLUE_BAD_PORT_NUMBER: {
      // The port as written, for the message only: what follows the host (after "]:" for an IPv6
      // address, else after the first ':').
      std::string_view port = authority;
      if (const auto close = authority.find(']'); close != std::string_view::npos) {
        port = authority.substr(close + 1);
        if (port.starts_with(':')) port.remove_prefix(1);
      } else if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
        port = authority.substr(colon + 1);
      }
      return fmt::format("port: {} is not a number from 1 to 65535", in_quotes(port));
    }
    case CURLUE_NO_HOST:
      return fmt::format("host: no host in {}", in_quotes(text));
    case CURLUE_BAD_HOSTNAME:
    case CURLUE_BAD_IPV6:
      return fmt::format("host: {} is not a host name or address ({})", in_quotes(authority), curl_url_strerror(rc));
    case CURLUE_BAD_SLASHES:
      return fmt::format("authority: {} must have exactly two slashes after the scheme", in_quotes(text));
    default:
      return fmt::format("{} is not a URL libcurl reads ({})", in_quotes(text), curl_url_strerror(rc));
  }
}

// The refusals that need the URL's text: what libcurl accepts but another reader reads otherwise.
std::optional<std::string> text_refusal(std::string_view text, std::string_view& authority) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
      return fmt::format("whitespace is not allowed in a URL (byte {} of {})", i, in_quotes(text));
    if (c < 0x20 || c == 0x7f)
      return fmt::format("control characters are not allowed in a URL (0x{:02x} at byte {} of {})", c, i, in_quotes(text));
  }
  const auto colon = text.find(':');
  const auto valid_scheme = [&] {
    if (colon == std::string_view::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(text[0]))) return false;
    return std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(colon), [](char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '+' ||
             ch == '-' || ch == '.';
    });
  }();
  if (!valid_scheme) return fmt::format("expected an absolute http:// or https:// URL, got {}", in_quotes(text));
  const std::string scheme = to_lower(std::string(text.substr(0, colon)));
  if (scheme != "http" && scheme != "https") return fmt::format("scheme \"{}\" is not http or https", scheme.substr(0, 40));
  const std::string_view rest = text.substr(colon + 1);
  if (!rest.starts_with("//") || (rest.size() > 2 && (rest[2] == '/' || rest[2] == '\\'))) {
    return fmt::format("authority: {} must have exactly two slashes after \"{}:\"", in_quotes(text), scheme);
  }
  const std::string_view after = rest.substr(2);
  authority = after.substr(0, after.find_first_of("/?#"));
  if (authority.find('\\') != std::string_view::npos) {
    return fmt::format(
        "authority: a backslash is not allowed before the path ({}): parsers disagree on where such a host "
        "ends (libcurl reads what precedes a later '@' as user-info)",
        in_quotes(authority));
  }
  if (authority.find('@') != std::string_view::npos) {
    return fmt::format("authority: user-info (user@ or user:password@) is not allowed in {}: an API URL carries "
                       "its credentials in headers, never in its address",
                       in_quotes(authority));
  }
  if (authority.find('%') != std::string_view::npos) {
    return fmt::format("host: percent-encoding is not allowed in {} (nor an IPv6 zone id): write the host as it is",
                       in_quotes(authority));
  }
  if (std::any_of(authority.begin(), authority.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; })) {
    return fmt::format("host: only ASCII is allowed in {}: write an internationalised name in its xn-- form",
                       in_quotes(authority));
  }
  return std::nullopt;
}

}  // namespace

std::optional<Url> Url::parse(std::string_view text, std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<Url> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  std::string_view authority;
  if (auto r = text_refusal(text, authority)) return fail(*r);
  CurluPtr h(curl_url());
  if (!h) return fail("cannot read a URL: out of memory");
  const std::string owned(text);
  if (const CURLUcode rc = curl_url_set(h.get(), CURLUPART_URL, owned.c_str(), 0); rc != CURLUE_OK)
    return fail(curl_refusal(rc, text, authority));
  const Parts p = parts_of(h.get());
  // The text checks above cover these; libcurl's reading is checked as well, since it is the one
  // that connects.
  if (p.user || p.password || p.options)
    return fail(fmt::format("authority: user-info is not allowed in {}", in_quotes(authority)));
  if (p.zone) return fail(fmt::format("host: an IPv6 zone id is not allowed in {}", in_quotes(authority)));
  if (p.scheme != "http" && p.scheme != "https")
    return fail(fmt::format("scheme \"{}\" is not http or https", p.scheme.substr(0, 40)));
  if (without_trailing_dots(lower_host(p.host)).empty()) return fail(fmt::format("host: no host in {}", in_quotes(text)));
  std::optional<int> port;
  if (p.port) {
    const int n = std::atoi(p.port->c_str());
    if (n < 1 || n > 65535) return fail(fmt::format("port: {} is not a number from 1 to 65535", in_quotes(*p.port)));
    port = n;
  }
  auto serialized = part(h.get(), CURLUPART_URL);
  if (!serialized) return fail(fmt::format("{} cannot be written back by libcurl", in_quotes(text)));
  // libcurl connects with what it reads from this handle (or its serialization): the two must
  // agree.
  CurluPtr again(curl_url());
  if (!again || curl_url_set(again.get(), CURLUPART_URL, serialized->c_str(), 0) != CURLUE_OK ||
      !(parts_of(again.get()) == p)) {
    return fail(fmt::format("{} reads differently once libcurl writes it back ({})", in_quotes(text), in_quotes(*serialized)));
  }
  Url u;
  u.handle_ = h.release();
  u.scheme_ = p.scheme;
  u.host_ = lower_host(p.host);
  u.port_ = port;
  u.text_ = std::move(*serialized);
  return u;
}

Url::Url(const Url& other)
    : handle_(other.handle_ ? curl_url_dup(static_cast<CURLU*>(other.handle_)) : nullptr),
      scheme_(other.scheme_),
      host_(other.host_),
      port_(other.port_),
      text_(other.text_) {}

Url& Url::operator=(const Url& other) {
  if (this != &other) *this = Url(other);
  return *this;
}

Url::Url(Url&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      scheme_(std::move(other.scheme_)),
      host_(std::move(other.host_)),
      port_(other.port_),
      text_(std::move(other.text_)) {}

Url& Url::operator=(Url&& other) noexcept {
  if (this != &other) {
    if (handle_) curl_url_cleanup(static_cast<CURLU*>(handle_));
    handle_ = std::exchange(other.handle_, nullptr);
    scheme_ = std::move(other.scheme_);
    host_ = std::move(other.host_);
    port_ = other.port_;
    text_ = std::move(other.text_);
  }
  return *this;
}

Url::~Url() {
  if (handle_) curl_url_cleanup(static_cast<CURLU*>(handle_));
}

std::string Url::host_name() const { return without_trailing_dots(host_); }

int Url::effective_port() const { return port_.value_or(scheme_ == "https" ? 443 : 80); }

std::string Url::origin() const {
  std::string out = scheme_ + "://" + bracketed(host_name());
  if (port_ && *port_ != (scheme_ == "https" ? 443 : 80)) out += fmt::format(":{}", *port_);
  return out;
}

std::string Url::host_and_port() const {
  const std::string h = bracketed(host_name());
  return port_ ? fmt::format("{}:{}", h, *port_) : h;
}

std::string url_host_for_display(std::string_view text) {
  CurluPtr h(curl_url());
  if (!h) return "";
  const std::string owned(text);
  if (curl_url_set(h.get(), CURLUPART_URL, owned.c_str(), CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
    return "";
  const auto host = part(h.get(), CURLUPART_HOST);
  if (!host) return "";
  std::string out = to_lower(*host);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  if (out.size() > 200) out = out.substr(0, 200) + "...";
  if (const auto port = part(h.get(), CURLUPART_PORT)) out += ":" + *port;
  return out;
}

}  // namespace keel::net
