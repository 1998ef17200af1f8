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

// Shown in a message, unquoted: core's form (at most 120 bytes, control characters and invalid
// UTF-8 as \xNN).
std::string shown(std::string_view text) { return shown_with(text, 120, '\0'); }

// The URL as libcurl reads it, or the refusal of a URL no request may use (whatever the policy).
Url read_or_refuse(std::string_view url) {
  std::string why;
  auto u = Url::parse(url, &why);
  if (!u) throw Error::forbidden(fmt::format("{}: {}", kOutboundRefused, why));
  return std::move(*u);
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + shown(i);
  return out;
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
  const auto u = Url::parse(url, why);
  if (!u) return std::nullopt;
  return u->origin();
}

std::string host_for_policy(std::string_view url) {
  const auto u = Url::parse(url);
  return u ? u->host_and_port() : std::string();
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

namespace {

// check_url's checks of a URL already read.
void check_read(const OutboundPolicy& policy, const Url& u) {
  if (!policy.enforce) return;
  const std::string host = u.host_and_port();
  const bool listed = host_listed(policy.allowed_hosts, host);
  if (policy.only_allowed_hosts && !listed) {
    throw Error::forbidden(fmt::format("{}: {} is not among the allowed hosts of the assistant policy ({})",
                                       kOutboundRefused, shown(host),
                                       policy.allowed_hosts.empty() ? std::string("none") : joined(policy.allowed_hosts)));
  }
  if (listed) return;
  const std::string name = u.host_name();
  if (name == "localhost" || name.ends_with(".localhost")) throw outbound_refused(host, "", "this machine (localhost)");
  // libcurl has already turned the numeric forms resolvers read ("2130706433", "0x7f.1", "127.1")
  // into dotted quads, so they are seen here; names are left to the socket check.
  if (auto r = non_public_reason(name)) throw outbound_refused(host, "", "a non-public address: " + *r);
}

}  // namespace

void check_url(const OutboundPolicy& policy, std::string_view url) {
  check_read(policy, read_or_refuse(url));
}

void check_destination(const OutboundPolicy& policy, std::string_view url) {
  const Url u = read_or_refuse(url);
  check_read(policy, u);
  if (!policy.enforce) return;
  const std::string host = u.host_and_port();
  if (host_listed(policy.allowed_hosts, host)) return;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(u.host().c_str(), nullptr, &hints, &res) != 0) return;
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
  url_.reset();
  host_.clear();
  listed_ = false;
  try {
    Url u = read_or_refuse(url);
    // Everything below is of the URL libcurl will connect to: the same handle goes to arm().
    host_ = u.host_and_port();
    listed_ = host_listed(policy_.allowed_hosts, host_);
    check_read(policy_, u);
    url_ = std::move(u);
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
  // The URL the guard read and checked is the one libcurl connects to: its own handle, not the
  // text again (CURLOPT_CURLU overrides CURLOPT_URL).
  if (url_) curl_easy_setopt(c, CURLOPT_CURLU, static_cast<CURLU*>(url_->handle()));
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
