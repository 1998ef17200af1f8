// keel/net/url.h: the one reading of an outbound URL — libcurl's own.
//
// Every URL keel sends a request to, and every URL a decision is taken on (where a key may go,
// whether a host is listed, whether an address is private), is read here, by libcurl's URL API
// (CURLU), the parser that then connects: the Url keeps the CURLU it read, and a request hands that
// very handle to libcurl (CURLOPT_CURLU, OutboundGuard::arm), so what was checked is what is
// connected to. A hand-written parser beside libcurl's is how issue 57's SSRF happened: keel ended
// the host of "http://127.0.0.1:P\@127.0.0.1:Q/v1" at the backslash (port P, listed, key bound),
// libcurl read "127.0.0.1:P\" as user-info and connected to port Q.
//
// On top of libcurl's reading, Url::parse refuses what two parsers read differently or what an API
// URL never needs, naming the part of the URL at fault:
//   - whitespace and control characters anywhere;
//   - anything but http:// or https:// followed by exactly two slashes ("http:/x", "http:///x",
//     "http:\\x" are read differently by browsers, proxies and libcurl);
//   - in the authority (the text between "//" and the first '/', '?' or '#'): a backslash (WHATWG
//     parsers end the host there, libcurl does not), user-info ("user@", "user:pass@": an API
//     origin carries none, and it is how the two readings above disagree), percent-encoding,
//     bytes outside ASCII (give an internationalised name in its xn-- form), an IPv6 zone id;
//   - a port outside 1-65535;
//   - a URL whose serialization by libcurl reads back differently (never seen; checked so that a
//     future libcurl cannot reopen the gap).
// libcurl's own normalisations are kept: "http://2130706433/" and "http://127.1/" are the host
// 127.0.0.1, which is what the outbound guard then checks.
//
// Thread-safety: a Url is a value; distinct Urls may be used on distinct threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace keel::net {

class Url {
 public:
  // `text` as libcurl reads it, with the rules above; nullopt, and `why` set to a sentence that
  // starts with the part at fault ("authority: ...", "port: ...", "scheme ..."), when refused.
  static std::optional<Url> parse(std::string_view text, std::string* why = nullptr);

  Url(const Url& other);
  Url& operator=(const Url& other);
  Url(Url&& other) noexcept;
  Url& operator=(Url&& other) noexcept;
  ~Url();

  const std::string& scheme() const { return scheme_; }  // "http" or "https"
  // The host libcurl connects to: lower case, an IPv6 address without brackets, a numeric IPv4
  // form as libcurl normalised it ("127.0.0.1" for "2130706433"), a trailing dot kept.
  const std::string& host() const { return host_; }
  // host() without a trailing dot ("example.com." and "example.com" are one name): what origins
  // and allow-lists compare.
  std::string host_name() const;
  std::optional<int> port() const { return port_; }  // as the URL names it
  int effective_port() const;                          // port(), else 80 or 443
  // "scheme://host[:port]": lower case, IPv6 in brackets, trailing dot and default port dropped.
  std::string origin() const;
  // "host" or "host:port" (port only when the URL names one), IPv6 in brackets, trailing dot
  // dropped: the form an allow-list entry takes.
  std::string host_and_port() const;
  // The URL as libcurl serializes what it read.
  const std::string& text() const { return text_; }
  // The libcurl URL handle (a CURLU*) that was read, for CURLOPT_CURLU. Owned by the Url.
  void* handle() const { return handle_; }

 private:
  Url() = default;
  void* handle_ = nullptr;
  std::string scheme_;
  std::string host_;
  std::optional<int> port_;
  std::string text_;
};

// The host and port of `text` as libcurl would connect, for messages only: "api.example.com:8443"
// for "https://user:pw@api.example.com:8443/v1?x=1" (user-info skipped, not refused), a missing
// scheme taken as http; "" when libcurl cannot read it at all. Never a basis for a decision: use
// Url::parse.
std::string url_host_for_display(std::string_view text);

}  // namespace keel::net
