// Where outbound requests may go and where a key may be sent (keel/net/outbound.h).
#include "keel/net/outbound.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "keel/core/strings.h"
#include "keel/net/http_client.h"

namespace keel::net {
namespace {

struct UrlParts {
  std::string scheme;  // lower case
  std::string host;    // lower case; IPv6 without brackets
  std::optional<int> port;
};

// Shown in a message: at most 120 bytes, control characters as '?'.
std::string shown(std::string_view text) {
  std::string s(text.substr(0, 120));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text.size() > 120 ? s + "..." : s;
}

std::optional<UrlParts> parse(std::string_view url, std::string* why) {
  auto fail = [&](std::string text) -> std::optional<UrlParts> {
    if (why) *why = std::move(text);
    return std::nullopt;
  };
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) return fail(fmt::format("expected an absolute http:// or https:// URL, got \"{}\"", shown(url)));
  UrlParts p;
  p.scheme = to_lower(std::string(url.substr(0, sep)));
  if (p.scheme != "http" && p.scheme != "https")
    return fail(fmt::format("scheme \"{}\" is not http or https", shown(p.scheme)));
  const std::size_t start = sep + 3;
  const std::size_t end = url.find_first_of("/?#\\", start);
  std::string authority(url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
  if (const auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  std::string port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) return fail(fmt::format("unclosed '[' in host of \"{}\"", shown(url)));
    p.host = authority.substr(1, close - 1);
    const std::string rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return fail(fmt::format("unexpected text after the address in \"{}\"", shown(url)));
      port_text = rest.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    p.host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
  }
  p.host = to_lower(p.host);
  while (!p.host.empty() && p.host.back() == '.') p.host.pop_back();  // "example.com." is example.com
  if (p.host.empty()) return fail(fmt::format("no host in \"{}\"", shown(url)));
  if (!port_text.empty()) {
    if (port_text.size() > 5 || !std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return fail(fmt::format("port \"{}\" is not a number from 1 to 65535", shown(port_text)));
    const int port = std::stoi(port_text);
    if (port < 1 || port > 65535) return fail(fmt::format("port {} is not from 1 to 65535", port));
    p.port = port;
  }
  return p;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + shown(i);
  return out;
}

int default_port(const std::string& scheme) { return scheme == "https" ? 443 : 80; }

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// "host" or "host:port" as the allow-list names it: the port only when the URL gives one.
std::string host_and_port(const UrlParts& p) {
  return p.port ? fmt::format("{}:{}", bracketed(p.host), *p.port) : bracketed(p.host);
}

std::optional<std::string> v4_reason(const std::uint8_t a[4]) {
  const std::uint32_t v = (std::uint32_t{a[0]} << 24) | (std::uint32_t{a[1]} << 16) | (std::uint32_t{a[2]} << 8) | a[3];
  auto in = [&](std::uint32_t net, int bits) { return bits == 0 || (v >> (32 - bits)) == (net >> (32 - bits)); };
  if (in(0x00000000, 8)) return "unspecified (0.0.0.0/8)";
  if (in(0x7f000000, 8)) return "loopback (127.0.0.0/8)";
  if (in(0x0a000000, 8)) return "private (10.0.0.0/8)";
  if (in(0xac100000, 12)) return "private (172.16.0.0/12)";
  if (in(0xc0a80000, 16)) return "private (192.168.0.0/16)";
  if (in(0xa9fe0000, 16)) return "link-local (169.254.0.0/16)";
  if (in(0x64400000, 10)) return "shared address space (100.64.0.0/10)";
  if (in(0xc0000000, 24)) return "IETF protocol assignments (192.0.0.0/24)";
  if (in(0xc6120000, 15)) return "benchmarking (198.18.0.0/15)";
  if (in(0xe0000000, 4)) return "multicast (224.0.0.0/4)";
  if (in(0xf0000000, 4)) return "reserved (240.0.0.0/4)";
  return std::nullopt;
}

std::optional<std::string> v6_reason(const std::uint8_t a[16]) {
  static constexpr std::array<std::uint8_t, 16> kZero{};
  const bool first10_zero = std::all_of(a, a + 10, [](std::uint8_t b) { return b == 0; });
  if (std::memcmp(a, kZero.data(), 16) == 0) return "unspecified (::)";
  if (std::all_of(a, a + 15, [](std::uint8_t b) { return b == 0; }) && a[15] == 1) return "loopback (::1)";
  if (first10_zero && a[10] == 0xff && a[11] == 0xff) {  // ::ffff:a.b.c.d
    if (auto r = v4_reason(a + 12)) return "IPv4-mapped " + *r;
    return std::nullopt;
  }
  if (std::all_of(a, a + 12, [](std::uint8_t b) { return b == 0; })) {  // ::a.b.c.d (IPv4-compatible)
    if (auto r = v4_reason(a + 12)) return "IPv4-compatible " + *r;
    return "IPv4-compatible (::/96)";
  }
  if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b &&
      std::all_of(a + 4, a + 12, [](std::uint8_t b) { return b == 0; })) {  // 64:ff9b::/96 NAT64
    if (auto r = v4_reason(a + 12)) return "NAT64 " + *r;
    return std::nullopt;
  }
  if ((a[0] & 0xfe) == 0xfc) return "private (fc00::/7)";
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return "link-local (fe80::/10)";
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) return "site-local (fec0::/10)";
  if (a[0] == 0xff) return "multicast (ff00::/8)";
  if (a[0] == 0x20 && a[1] == 0x02) {  // 6to4 2002:V4ADDR::/48
    if (auto r = v4_reason(a + 2)) return "6to4 " + *r;
  }
  return std::nullopt;
}

std::optional<std::string> sockaddr_reason(const sockaddr* sa, std::string& text) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
    text = buf;
    return v4_reason(reinterpret_cast<const std::uint8_t*>(&in->sin_addr));
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
    text = buf;
    return v6_reason(reinterpret_cast<const std::uint8_t*>(&in6->sin6_addr));
  }
  text = fmt::format("(address family {})", sa->sa_family);
  return "not an IPv4 or IPv6 address";
}

curl_socket_t open_socket_cb(void* clientp, curlsocktype purpose, curl_sockaddr* address) {
  auto* guard = static_cast<OutboundGuard*>(clientp);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  const int fd = guard->open_socket(address->family, address->socktype, address->protocol, &address->addr);
  return fd < 0 ? CURL_SOCKET_BAD : fd;
}

}  // namespace

std::optional<std::string> normalize_origin(std::string_view url, std::string* why) {
  const auto p = parse(url, why);
  if (!p) return std::nullopt;
  std::string out = p->scheme + "://" + bracketed(p->host);
  if (p->port && *p->port != default_port(p->scheme)) out += fmt::format(":{}", *p->port);
  return out;
}

std::string host_for_policy(std::string_view url) {
  std::string why;
  const auto p = parse(url, &why);
  if (!p) return to_lower(url_host(url));
  return host_and_port(*p);
}

bool host_listed(const std::vector<std::string>& allowed, std::string_view host) {
  const std::string h = to_lower(std::string(host));
  std::string bare = h;
  if (const auto colon = bare.rfind(':'); colon != std::string::npos && bare.find(']', colon) == std::string::npos &&
                                          (bare.front() == '[' || bare.find(':') == colon)) {
    bare = bare.substr(0, colon);
  }
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& entry) {
    std::string e = to_lower(entry);
    while (!e.empty() && e.back() == '.') e.pop_back();
    return e == h || e == bare;
  });
}

std::optional<std::string> non_public_reason(std::string_view address) {
  std::string a(address);
  std::uint8_t buf[16];
  if (inet_pton(AF_INET, a.c_str(), buf) == 1) return v4_reason(buf);
  if (inet_pton(AF_INET6, a.c_str(), buf) == 1) return v6_reason(buf);
  return std::nullopt;
}

Error outbound_refused(std::string_view host, std::string_view address, std::string_view why) {
  const std::string at = address.empty() || address == host ? "" : fmt::format(" at {}", address);
  return Error::forbidden(fmt::format(
      "{}: {}{} is {}, which keel serve reaches only when an administrator lists the host (keel assistant "
      "policy set --allow-host {})",
      kOutboundRefused, shown(host), at, why, shown(host)));
}

void check_url(const OutboundPolicy& policy, std::string_view url) {
  if (!policy.enforce) return;
  std::string why;
  const auto p = parse(url, &why);
  if (!p) throw Error::forbidden(fmt::format("{}: {}", kOutboundRefused, why));
  const std::string host = host_and_port(*p);
  const bool listed = host_listed(policy.allowed_hosts, host);
  if (policy.only_allowed_hosts && !listed) {
    throw Error::forbidden(fmt::format("{}: {} is not among the allowed hosts of the assistant policy ({})",
                                       kOutboundRefused, shown(host),
                                       policy.allowed_hosts.empty() ? std::string("none") : joined(policy.allowed_hosts)));
  }
  if (listed) return;
  if (p->host == "localhost" || p->host.ends_with(".localhost"))
    throw outbound_refused(host, "", "this machine (localhost)");
  if (auto r = non_public_reason(p->host)) throw outbound_refused(host, "", "a non-public address: " + *r);
  // Numeric forms inet_pton does not read but resolvers do ("2130706433", "0x7f.1", "127.1"):
  // left to the socket check, which sees the address they resolve to.
}

void check_destination(const OutboundPolicy& policy, std::string_view url) {
  check_url(policy, url);
  if (!policy.enforce) return;
  const auto p = parse(url, nullptr);
  const std::string host = host_and_port(*p);
  if (host_listed(policy.allowed_hosts, host)) return;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(p->host.c_str(), nullptr, &hints, &res) != 0) return;
  std::optional<Error> refused;
  for (addrinfo* ai = res; ai != nullptr && !refused; ai = ai->ai_next) {
    std::string text;
    if (auto r = sockaddr_reason(ai->ai_addr, text)) refused = outbound_refused(host, text, "a non-public address: " + *r);
  }
  freeaddrinfo(res);
  if (refused) throw *refused;
}

void OutboundGuard::check(std::string_view url) {
  refused_.reset();
  host_ = host_for_policy(url);
  listed_ = host_listed(policy_.allowed_hosts, host_);
  try {
    check_url(policy_, url);
  } catch (const Error& e) {
    refused_ = e;
    refuse(e);
  }
}

void OutboundGuard::refuse(const Error& e) const {
  if (policy_.on_refused) policy_.on_refused(e);
  throw e;
}

void OutboundGuard::arm(void* curl) {
  CURL* c = static_cast<CURL*>(curl);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  if (!policy_.enforce) return;
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // no proxy: the guard must see the address connected to
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket_cb);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, this);
}

int OutboundGuard::open_socket(int family, int socktype, int protocol, const void* sa) {
  std::string text;
  if (!listed_) {
    if (auto r = sockaddr_reason(static_cast<const sockaddr*>(sa), text)) {
      refused_ = outbound_refused(host_, text, "a non-public address: " + *r);
      return -1;
    }
  }
  return ::socket(family, socktype, protocol);
}

bool origin_allowed(const std::vector<std::string>& origins, std::string_view url) {
  const auto o = normalize_origin(url);
  if (!o) return false;
  return std::any_of(origins.begin(), origins.end(), [&](const std::string& e) {
    const auto n = normalize_origin(e);
    return n && *n == *o;
  });
}

Error key_not_bound(std::string_view name, std::string_view url, const std::vector<std::string>& origins) {
  const std::string origin = normalize_origin(url).value_or(shown(url_host(url)));
  const std::string k = shown(name);
  if (origins.empty()) {
    return Error::forbidden(fmt::format(
        "{}: key '{}' is bound to no origin, so keel sends it nowhere: an administrator binds it with "
        "keel keys bind {} --origin {} (or PUT /api/v1/keys/{}/origins)",
        kKeyNotBound, k, k, origin, k));
  }
  return Error::forbidden(fmt::format(
      "{}: key '{}' is bound to {}, not to {}: an administrator who means to send it there binds it with "
      "keel keys bind {} --origin {} (repeat --origin to keep the others)",
      kKeyNotBound, k, joined(origins), origin, k, origin));
}

}  // namespace keel::net
