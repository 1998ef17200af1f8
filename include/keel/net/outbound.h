// keel/net/outbound.h: where keel's outbound HTTP requests may go, and where an API key may be sent.
//
// Two questions, asked by both clients of outside services (keel/marketdata/http.h, keel/llm/chat.h):
//
// 1. May a request go to this URL at all? `keel serve` runs requests whose destination a user
//    chose (an assistant provider's base URL) or that an outside server redirected; without a
//    guard such a request could reach the server's own network — a cloud metadata address
//    (169.254.169.254), a database on 10.x, an admin port on loopback. An OutboundPolicy with
//    `enforce` refuses, for every hop of a request (redirects included): a scheme other than http
//    and https; a host outside `allowed_hosts` when `only_allowed_hosts`; and, checked on the
//    address the name resolved to, just before the socket is opened (so a name that resolves to a
//    private address, or re-resolves to one later, is caught), loopback, link-local, private,
//    unspecified, multicast and the IPv4-mapped / NAT64 forms of those — unless the host is
//    listed in `allowed_hosts`, which is how an administrator allows a local model server
//    ("127.0.0.1:1234", "localhost"). A guarded request uses no proxy (the proxy would resolve
//    the name, out of the guard's sight). Without `enforce` (the keel command, run by the
//    machine's own operator) the destination is not checked.
//
// 2. May an API key go there? A key is bound to origins (scheme://host[:port], lower case, the
//    scheme's default port dropped: normalize_origin); a client given a key refuses to send it in
//    a request (or on a redirect hop) to any other origin.
//
// Every URL is read once, by libcurl's URL API (keel/net/url.h's Url): the scheme, host and port
// that are checked, listed and compared with a key's origins are libcurl's, and OutboundGuard
// hands libcurl the very handle it checked (CURLOPT_CURLU). A URL Url::parse refuses — a
// backslash or user-info in the authority, whitespace or control characters, percent-encoding or
// non-ASCII in the host, a port outside 1-65535, a scheme other than http(s) — is refused by every
// function here whatever the policy (the keel command's requests too): no function below reads a
// URL any other way, and an ambiguous URL is never sent anywhere (issue 57: keel's own parser and
// libcurl read "http://127.0.0.1:P\@127.0.0.1:Q/v1" as two different ports).
//
// Refusals are keel::Error(forbidden) whose message starts with kOutboundRefused (the SSRF
// guard, and a URL refused as ambiguous) or kKeyNotBound (the key binding), and names the host,
// the address or the part of the URL, and why.
//
// Thread-safety: the functions are pure (check_destination resolves names). An OutboundGuard is
// used by one request at a time, on one thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/error.h"
#include "keel/net/url.h"

namespace keel::net {

// The message prefixes of the two refusals.
inline constexpr std::string_view kOutboundRefused = "outbound request refused";
inline constexpr std::string_view kKeyNotBound = "API key not sent";

struct OutboundPolicy {
  bool enforce = false;  // false: no check at all (the keel command's operator decides)
  // Hosts an administrator allowed explicitly: "api.openai.com", "127.0.0.1:1234", "[::1]:8080",
  // "localhost". A listed host may be on a private or loopback address. An entry without a port
  // allows every port of the host.
  std::vector<std::string> allowed_hosts = {};
  bool only_allowed_hosts = false;  // true: every other host is refused too
  // Told of every refusal (of a destination, or of a key's origin) just before it is thrown: the
  // face's audit. Called on the requesting thread, never from inside libcurl.
  std::function<void(const Error&)> on_refused = {};
};

// The origin of an absolute http(s) URL: "https://api.openai.com", "http://127.0.0.1:1234",
// "http://[::1]:8080" — scheme and host lower case (as libcurl reads them), a trailing dot and the
// scheme's default port (80, 443) dropped. nullopt (and `why` set, naming the part) for anything
// else: another scheme, no host, a bad port, and every URL Url::parse refuses (user-info, a
// backslash before the path, ...).
std::optional<std::string> normalize_origin(std::string_view url, std::string* why = nullptr);

// The URL's host as an allow-list compares it: lower case, with ":port" when the URL names one
// ("127.0.0.1:1234", "[::1]:8080", "api.openai.com"); "" for a URL Url::parse refuses.
std::string host_for_policy(std::string_view url);

// True when `host` (host_for_policy's form) is in `allowed` (an entry with a port matches that
// port only; one without, every port; names and addresses compared case-insensitively).
bool host_listed(const std::vector<std::string>& allowed, std::string_view host);

// Why an address may not be reached without an administrator's say, or nullopt when it is a
// public address: "loopback", "link-local", "private", "unspecified", "multicast", "shared
// address space (100.64.0.0/10)", "IPv4-mapped loopback", ... `address` is a numeric IPv4 or IPv6
// address (IPv6 without brackets); nullopt for text that is not one.
std::optional<std::string> non_public_reason(std::string_view address);

// The URL checks of one hop (scheme, allow-list, a literal address). Throws Error(forbidden)
// with kOutboundRefused when the policy refuses it, and, whatever the policy, when Url::parse
// refuses the URL; nothing else when the policy does not enforce.
void check_url(const OutboundPolicy& policy, std::string_view url);

// check_url, then the addresses the host resolves to now (each must be public unless the host is
// listed). For refusing early and clearly (a provider added, a question asked); the socket check
// below is what holds, since a name can resolve differently a moment later. A name that does not
// resolve passes (the request then fails to connect).
void check_destination(const OutboundPolicy& policy, std::string_view url);

// The refusal of `host` at `address` for `why`, as every check words it.
Error outbound_refused(std::string_view host, std::string_view address, std::string_view why);

// The guard of one libcurl request. Before each hop: check(url) (throws as check_url; reads the
// URL once, with Url::parse, and keeps what it read), then arm(curl) on the prepared handle: the
// checked URL's own libcurl handle as the request's URL (CURLOPT_CURLU, which overrides the
// CURLOPT_URL set before), http and https only, no proxy, and an open-socket callback that
// refuses a non-public address unless the hop's host (libcurl's host and port) is listed. After a
// failed curl_easy_perform, refusal() is the error to throw instead of libcurl's "could not connect".
class OutboundGuard {
 public:
  explicit OutboundGuard(OutboundPolicy policy) : policy_(std::move(policy)) {}
  OutboundGuard(const OutboundGuard&) = delete;
  OutboundGuard& operator=(const OutboundGuard&) = delete;

  void check(std::string_view url);
  void arm(void* curl);
  const std::optional<Error>& refusal() const { return refused_; }
  // The URL of the last hop check() accepted, as libcurl reads it.
  const std::optional<Url>& url() const { return url_; }
  // Tells the policy's on_refused of `e` and throws it.
  [[noreturn]] void refuse(const Error& e) const;
  bool enforced() const { return policy_.enforce; }

  // libcurl's open-socket callback (public for the C callback's sake).
  int open_socket(int family, int socktype, int protocol, const void* sockaddr);

 private:
  OutboundPolicy policy_;
  std::optional<Url> url_;  // the hop being made, as checked; handed to libcurl by arm()
  std::string host_;    // of the hop being made: url_->host_and_port()
  bool listed_ = false;  // the hop's host is explicitly allowed
  std::optional<Error> refused_;
};

// True when `url`'s origin is one of `origins` (normalized both sides).
bool origin_allowed(const std::vector<std::string>& origins, std::string_view url);

// The refusal of sending key `name` to `url`'s origin; `origins` are the key's.
Error key_not_bound(std::string_view name, std::string_view url, const std::vector<std::string>& origins);

}  // namespace keel::net
