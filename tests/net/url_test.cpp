// keel/net/url.h: the one reading of an outbound URL, libcurl's, with keel's refusals of what
// parsers read differently. Every expected value below is written out by hand from RFC 3986 and
// libcurl's documented normalisations, not computed. The last test shows that what the guard
// checked is what libcurl connects to, whatever URL the handle was given before (issue 57).
#include "keel/net/url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "keel/net/http_client.h"
#include "keel/net/outbound.h"

namespace keel::net {
namespace {

struct Read {
  std::string scheme, host, host_name;
  std::optional<int> port;
  int effective_port;
  std::string origin, host_and_port;
};

Read read(const std::string& text) {
  std::string why;
  const auto u = Url::parse(text, &why);
  EXPECT_TRUE(u.has_value()) << text << ": " << why;
  if (!u) return {};
  EXPECT_NE(u->handle(), nullptr);
  return {u->scheme(), u->host(), u->host_name(), u->port(), u->effective_port(), u->origin(), u->host_and_port()};
}

// Url::parse's refusal of `text`; "" (and a failure) when it reads it.
std::string refusal(const std::string& text) {
  std::string why;
  const auto u = Url::parse(text, &why);
  EXPECT_FALSE(u.has_value()) << text << " was read as " << u->text();
  return why;
}

TEST(Url, ReadsSchemeHostAndPortAsLibcurlDoes) {
  Read r = read("HTTPS://API.OpenAI.com/v1/chat");
  EXPECT_EQ(r.scheme, "https");
  EXPECT_EQ(r.host, "api.openai.com");
  EXPECT_EQ(r.port, std::nullopt);
  EXPECT_EQ(r.effective_port, 443);
  EXPECT_EQ(r.origin, "https://api.openai.com");
  EXPECT_EQ(r.host_and_port, "api.openai.com");

  r = read("http://127.0.0.1:1234/v1");
  EXPECT_EQ(r.host, "127.0.0.1");
  EXPECT_EQ(r.port, 1234);
  EXPECT_EQ(r.origin, "http://127.0.0.1:1234");
  EXPECT_EQ(r.host_and_port, "127.0.0.1:1234");
  EXPECT_EQ(Url::parse("http://127.0.0.1:1234/v1")->text(), "http://127.0.0.1:1234/v1");

  // The default port is dropped from the origin, kept in the allow-list form (an entry with a port
  // matches that port only).
  r = read("http://host.example:80/");
  EXPECT_EQ(r.origin, "http://host.example");
  EXPECT_EQ(r.host_and_port, "host.example:80");
  r = read("http://host.example:080/");  // libcurl reads leading zeros
  EXPECT_EQ(r.port, 80);
  r = read("https://host.example:65535/");
  EXPECT_EQ(r.port, 65535);
  EXPECT_EQ(r.origin, "https://host.example:65535");
}

TEST(Url, IPv6LiteralsTrailingDotsAndNumericIPv4Forms) {
  Read r = read("http://[::1]:8080/v1");
  EXPECT_EQ(r.host, "::1");
  EXPECT_EQ(r.port, 8080);
  EXPECT_EQ(r.origin, "http://[::1]:8080");
  EXPECT_EQ(r.host_and_port, "[::1]:8080");
  r = read("http://[::FFFF:127.0.0.1]/");
  EXPECT_EQ(r.host, "::ffff:127.0.0.1");
  EXPECT_EQ(r.origin, "http://[::ffff:127.0.0.1]");
  // A trailing dot names the same host: kept for the connection, dropped for comparisons.
  r = read("http://Example.COM./x");
  EXPECT_EQ(r.host, "example.com.");
  EXPECT_EQ(r.host_name, "example.com");
  EXPECT_EQ(r.origin, "http://example.com");
  EXPECT_EQ(r.host_and_port, "example.com");
  // libcurl turns the numeric IPv4 forms resolvers accept into the dotted quad it connects to,
  // so the outbound guard sees them as the loopback address they are.
  EXPECT_EQ(read("http://2130706433:8080/").host_and_port, "127.0.0.1:8080");
  EXPECT_EQ(read("http://0x7f.1/").host, "127.0.0.1");
  EXPECT_EQ(read("http://127.1/").host, "127.0.0.1");
  EXPECT_EQ(read("http://0/").host, "0.0.0.0");
}

TEST(Url, WhatFollowsTheAuthorityIsNotPartOfIt) {
  // '@' or '\' in the query, fragment or path: the host is the one before them, for every parser.
  EXPECT_EQ(read("http://host.example?x@evil.example/").host_and_port, "host.example");
  EXPECT_EQ(read("http://host.example#@evil.example/").host_and_port, "host.example");
  EXPECT_EQ(read("http://host.example/\\@evil.example/").host_and_port, "host.example");
  EXPECT_EQ(read("http://host.example/q?a=\\").host_and_port, "host.example");
}

TEST(Url, ABackslashBeforeThePathIsRefused) {
  // Issue 57's URLs: keel's old parser ended the host at '\' (port 1111), libcurl reads
  // "127.0.0.1:1111\" as user and password and connects to port 2222.
  for (const std::string& u : {std::string("http://127.0.0.1:1111\\@127.0.0.1:2222/v1"),
                               std::string("http://127.0.0.1:1111\\\\@127.0.0.1:2222/v1"),
                               std::string("http://127.0.0.1:1111\\@127.0.0.1:2222/latest/meta-data"),
                               std::string("http://good.example\\evil.example/"),
                               std::string("http://good.example\\/")}) {
    const std::string why = refusal(u);
    EXPECT_EQ(why.rfind("authority: a backslash is not allowed before the path", 0), 0u) << u << ": " << why;
  }
  for (const std::string& u : {std::string("http:\\\\evil.example/"), std::string("http:/\\evil.example/"),
                               std::string("http:///evil.example/"), std::string("http:evil.example/"),
                               std::string("http:/evil.example/")}) {
    const std::string why = refusal(u);
    EXPECT_EQ(why.rfind("authority: ", 0), 0u) << u << ": " << why;
    EXPECT_NE(why.find("must have exactly two slashes after \"http:\""), std::string::npos) << u << ": " << why;
  }
}

TEST(Url, UserInfoIsRefused) {
  for (const std::string& u : {std::string("http://user@host.example/"), std::string("https://user:pass@host.example/"),
                               std::string("https://user:pw@host.example:8443/x?y#z"), std::string("http://@host.example/"),
                               std::string("http://a@b@c/"), std::string("http://host;opt@h2.example/"),
                               std::string("http://localhost@evil.example/v1")}) {
    const std::string why = refusal(u);
    EXPECT_EQ(why.rfind("authority: user-info (user@ or user:password@) is not allowed", 0), 0u) << u << ": " << why;
  }
}

TEST(Url, PercentEncodingZoneIdsAndNonAsciiInTheHostAreRefused) {
  // libcurl would decode "%31" and connect to 127.0.0.1; an allow-list or a person would not.
  EXPECT_EQ(refusal("http://127.0.0.%31/").rfind("host: percent-encoding is not allowed in \"127.0.0.%31\"", 0), 0u);
  EXPECT_EQ(refusal("http://ex%41mple.com/").rfind("host: percent-encoding", 0), 0u);
  EXPECT_EQ(refusal("http://[fe80::1%25eth0]:80/").rfind("host: percent-encoding", 0), 0u);
  // IDNA maps the full-width digit to '1'; only the xn-- form is read.
  EXPECT_EQ(refusal("http://h\xef\xbc\x91.example/").rfind("host: only ASCII is allowed", 0), 0u);
  EXPECT_EQ(read("http://xn--h-fga.example/").host, "xn--h-fga.example");
}

TEST(Url, PortsOutsideOneTo65535AreRefused) {
  EXPECT_EQ(refusal("http://host.example:0/"), "port: \"0\" is not a number from 1 to 65535");
  EXPECT_EQ(refusal("http://host.example:65536/"), "port: \"65536\" is not a number from 1 to 65535");
  EXPECT_EQ(refusal("http://host.example:99999"), "port: \"99999\" is not a number from 1 to 65535");
  EXPECT_EQ(refusal("http://host.example:+80/"), "port: \"+80\" is not a number from 1 to 65535");
  EXPECT_EQ(refusal("http://host.example:8080:90/"), "port: \"8080:90\" is not a number from 1 to 65535");
  EXPECT_EQ(refusal("http://[::1]x/"), "port: \"x\" is not a number from 1 to 65535");
}

TEST(Url, WhitespaceAndControlCharactersAreRefusedAnywhere) {
  EXPECT_EQ(refusal("http://ho st/").rfind("whitespace is not allowed in a URL (byte 9 of", 0), 0u);
  EXPECT_EQ(refusal(" http://host.example/").rfind("whitespace is not allowed in a URL (byte 0 of", 0), 0u);
  EXPECT_EQ(refusal("http://host.example/a b").rfind("whitespace is not allowed", 0), 0u);
  EXPECT_EQ(refusal("http://host.example/\t").rfind("whitespace is not allowed", 0), 0u);
  EXPECT_EQ(refusal("http://host.example\r\n/").rfind("whitespace is not allowed", 0), 0u);
  EXPECT_EQ(refusal(std::string("http://host.example/\x01")).rfind("control characters are not allowed in a URL (0x01 at byte 20", 0), 0u);
  EXPECT_EQ(refusal("http://host\x7f.example/").rfind("control characters are not allowed in a URL (0x7f at byte 11", 0), 0u);
  EXPECT_EQ(refusal(std::string("http://host.example/\0x", 22)).rfind("control characters", 0), 0u);
}

TEST(Url, OnlyAbsoluteHttpAndHttpsUrlsWithAHost) {
  EXPECT_EQ(refusal("ftp://example.com/"), "scheme \"ftp\" is not http or https");
  EXPECT_EQ(refusal("file:///etc/passwd"), "scheme \"file\" is not http or https");
  EXPECT_EQ(refusal("api.openai.com"), "expected an absolute http:// or https:// URL, got \"api.openai.com\"");
  EXPECT_EQ(refusal("127.0.0.1:1234/v1"), "expected an absolute http:// or https:// URL, got \"127.0.0.1:1234/v1\"");
  EXPECT_EQ(refusal("").rfind("expected an absolute", 0), 0u);
  EXPECT_EQ(refusal("http://:80").rfind("host: no host in", 0), 0u);
  EXPECT_EQ(refusal("http:///").rfind("authority: ", 0), 0u);
  EXPECT_EQ(refusal("http://./").rfind("host: ", 0), 0u);
  EXPECT_EQ(refusal("http://[v1.x]/").rfind("host: \"[v1.x]\" is not a host name or address", 0), 0u);
  EXPECT_EQ(refusal("http://exa_mple!.com/").rfind("host: ", 0), 0u);
}

TEST(Url, TheOtherFunctionsReadTheSameWay) {
  // One parser: an origin, the allow-list form and a key's binding all refuse the ambiguous URL.
  const std::string issue = "http://127.0.0.1:1111\\@127.0.0.1:2222/v1";
  std::string why;
  EXPECT_EQ(normalize_origin(issue, &why), std::nullopt);
  EXPECT_NE(why.find("backslash"), std::string::npos) << why;
  EXPECT_EQ(host_for_policy(issue), "");
  EXPECT_FALSE(origin_allowed({"http://127.0.0.1:1111"}, issue));
  EXPECT_FALSE(origin_allowed({"http://127.0.0.1:2222"}, issue));
  EXPECT_EQ(normalize_origin("https://user:pw@host.example:8443/x", &why), std::nullopt);
  EXPECT_NE(why.find("user-info"), std::string::npos) << why;
  // Refused whatever the policy: the keel command's requests too.
  OutboundPolicy off;
  try {
    check_url(off, issue);
    ADD_FAILURE() << "accepted " << issue;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_EQ(std::string(e.what()).rfind("outbound request refused: authority: a backslash", 0), 0u) << e.what();
  }
  // Messages name the host libcurl would connect to.
  EXPECT_EQ(url_host(issue), "127.0.0.1:2222");
  EXPECT_EQ(url_host("https://user:pw@api.example.com:8443/v1?x=1"), "api.example.com:8443");
  EXPECT_EQ(url_host("not a url"), "");
}

// A socket listening on 127.0.0.1 on a free port; accepted() tells whether a connection came.
struct Listener {
  int fd = -1;
  int port = 0;
  Listener() {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    EXPECT_EQ(::listen(fd, 8), 0);
  }
  ~Listener() { ::close(fd); }
  bool accepted() const {
    const int c = ::accept(fd, nullptr, nullptr);
    if (c < 0) return false;
    ::close(c);
    return true;
  }
};

TEST(OutboundGuardUrl, LibcurlConnectsToTheUrlTheGuardCheckedNotToAnotherGivenBefore) {
  Listener checked, other;
  CurlHandle curl("test");
  ResponseHeaders headers;
  const std::string other_url = "http://127.0.0.1:" + std::to_string(other.port) + "/x";
  const std::string checked_url = "http://127.0.0.1:" + std::to_string(checked.port) + "/x";
  // The handle is prepared with one URL; the guard checks another and hands libcurl its handle.
  const RequestBasics basics{
      .url = other_url, .connect_timeout_ms = 1000, .total_timeout_ms = 300, .user_agent = "t", .accept_encoding = ""};
  CURL* c = static_cast<CURL*>(curl.prepare(basics, headers));
  OutboundPolicy policy;
  policy.enforce = true;
  policy.allowed_hosts = {"127.0.0.1:" + std::to_string(checked.port)};
  OutboundGuard guard(policy);
  guard.check(checked_url);
  ASSERT_TRUE(guard.url().has_value());
  EXPECT_EQ(guard.url()->host_and_port(), "127.0.0.1:" + std::to_string(checked.port));
  guard.arm(c);
  curl_easy_perform(c);  // times out: nobody answers
  EXPECT_TRUE(checked.accepted());
  EXPECT_FALSE(other.accepted());
}

TEST(OutboundGuardUrl, IssueFiftySevensProviderUrlIsRefusedBeforeAnyConnection) {
  Listener p, q;
  const std::string url =
      "http://127.0.0.1:" + std::to_string(p.port) + "\\@127.0.0.1:" + std::to_string(q.port) + "/v1";
  OutboundPolicy policy;
  policy.enforce = true;
  policy.allowed_hosts = {"127.0.0.1:" + std::to_string(p.port)};  // the admin listed P
  std::vector<std::string> told;
  policy.on_refused = [&](const Error& e) { told.push_back(e.what()); };
  OutboundGuard guard(policy);
  try {
    guard.check(url);
    ADD_FAILURE() << "accepted " << url;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_EQ(std::string(e.what()).rfind("outbound request refused: authority: a backslash", 0), 0u) << e.what();
  }
  EXPECT_FALSE(guard.url().has_value());
  EXPECT_EQ(told.size(), 1u);  // told to the face's audit
  EXPECT_FALSE(p.accepted());
  EXPECT_FALSE(q.accepted());
}

}  // namespace
}  // namespace keel::net
