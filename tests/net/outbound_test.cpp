// The pure parts of keel/net/outbound.h: origins, the allow-list's host form, which addresses are
// not public (ranges from RFC 1918, RFC 3927, RFC 4193, RFC 4291 and RFC 6598, the IANA special-
// purpose registries), and the URL check of a guarded request.
#include "keel/net/outbound.h"

#include <gtest/gtest.h>

namespace keel::net {
namespace {

TEST(Origin, SchemeAndHostLowerCaseDefaultPortAndPathDropped) {
  EXPECT_EQ(normalize_origin("HTTPS://API.OpenAI.com/v1/chat"), "https://api.openai.com");
  EXPECT_EQ(normalize_origin("https://api.openai.com:443"), "https://api.openai.com");
  EXPECT_EQ(normalize_origin("http://127.0.0.1:80/"), "http://127.0.0.1");
  EXPECT_EQ(normalize_origin("http://127.0.0.1:1234/v1"), "http://127.0.0.1:1234");
  EXPECT_EQ(normalize_origin("https://host.example:8443/x?y#z"), "https://host.example:8443");
  EXPECT_EQ(normalize_origin("http://[::1]:8080/v1"), "http://[::1]:8080");
  EXPECT_EQ(normalize_origin("http://example.com./"), "http://example.com");
  std::string why;
  EXPECT_EQ(normalize_origin("ftp://example.com", &why), std::nullopt);
  EXPECT_NE(why.find("scheme \"ftp\" is not http or https"), std::string::npos) << why;
  EXPECT_EQ(normalize_origin("api.openai.com", &why), std::nullopt);
  EXPECT_EQ(normalize_origin("http://host:99999", &why), std::nullopt);
  EXPECT_NE(why.find("99999"), std::string::npos) << why;
  EXPECT_EQ(normalize_origin("http://:80"), std::nullopt);
  // An origin carries no user-info: refused, not dropped (url_test.cpp has the other refusals).
  EXPECT_EQ(normalize_origin("https://user:pw@host.example:8443/x?y#z", &why), std::nullopt);
  EXPECT_EQ(why.rfind("authority: user-info (user@ or user:password@) is not allowed", 0), 0u) << why;
}

TEST(Origin, AKeyGoesOnlyToItsOrigins) {
  const std::vector<std::string> bound = {"https://api.openai.com"};
  EXPECT_TRUE(origin_allowed(bound, "https://api.openai.com/v1/chat/completions"));
  EXPECT_TRUE(origin_allowed(bound, "https://API.openai.com:443/v1"));
  EXPECT_FALSE(origin_allowed(bound, "http://api.openai.com/v1"));       // another scheme
  EXPECT_FALSE(origin_allowed(bound, "https://api.openai.com:8443/v1"));  // another port
  EXPECT_FALSE(origin_allowed(bound, "https://api.openai.com.evil.example/v1"));
  EXPECT_FALSE(origin_allowed(bound, "https://evil.example/api.openai.com"));
  EXPECT_FALSE(origin_allowed({}, "https://api.openai.com"));
}

TEST(Addresses, PrivateLoopbackLinkLocalAndTheirMappedFormsAreNotPublic) {
  struct Case {
    const char* address;
    const char* reason;  // nullptr: public
  };
  const Case cases[] = {
      {"127.0.0.1", "loopback (127.0.0.0/8)"},
      {"127.255.0.9", "loopback (127.0.0.0/8)"},
      {"10.0.0.1", "private (10.0.0.0/8)"},
      {"172.16.0.1", "private (172.16.0.0/12)"},
      {"172.31.255.255", "private (172.16.0.0/12)"},
      {"172.32.0.1", nullptr},
      {"192.168.1.1", "private (192.168.0.0/16)"},
      {"169.254.169.254", "link-local (169.254.0.0/16)"},
      {"0.0.0.0", "unspecified (0.0.0.0/8)"},
      {"100.64.0.1", "shared address space (100.64.0.0/10)"},
      {"224.0.0.1", "multicast (224.0.0.0/4)"},
      {"8.8.8.8", nullptr},
      {"104.18.7.192", nullptr},
      {"::1", "loopback (::1)"},
      {"::", "unspecified (::)"},
      {"fe80::1", "link-local (fe80::/10)"},
      {"fd12:3456::1", "private (fc00::/7)"},
      {"::ffff:127.0.0.1", "IPv4-mapped loopback (127.0.0.0/8)"},
      {"::ffff:169.254.169.254", "IPv4-mapped link-local (169.254.0.0/16)"},
      {"::ffff:8.8.8.8", nullptr},
      {"64:ff9b::a00:1", "NAT64 private (10.0.0.0/8)"},
      {"2606:4700::6812:7c0", nullptr},
  };
  for (const Case& c : cases) {
    const auto r = non_public_reason(c.address);
    if (c.reason == nullptr) {
      EXPECT_EQ(r, std::nullopt) << c.address;
    } else {
      EXPECT_EQ(r, std::optional<std::string>(c.reason)) << c.address;
    }
  }
  EXPECT_EQ(non_public_reason("localhost"), std::nullopt);  // a name, not an address
}

TEST(AllowList, AnEntryWithAPortMatchesThatPortOnly) {
  const std::vector<std::string> allowed = {"127.0.0.1:1234", "LocalHost", "[::1]:8080", "api.openai.com"};
  EXPECT_TRUE(host_listed(allowed, "127.0.0.1:1234"));
  EXPECT_FALSE(host_listed(allowed, "127.0.0.1:5555"));
  EXPECT_FALSE(host_listed(allowed, "127.0.0.1"));
  EXPECT_TRUE(host_listed(allowed, "localhost:11434"));
  EXPECT_TRUE(host_listed(allowed, "[::1]:8080"));
  EXPECT_FALSE(host_listed(allowed, "[::1]:9090"));
  EXPECT_TRUE(host_listed(allowed, "api.openai.com"));
  EXPECT_EQ(host_for_policy("http://127.0.0.1:1234/v1"), "127.0.0.1:1234");
  EXPECT_EQ(host_for_policy("https://API.openai.com/v1"), "api.openai.com");
  EXPECT_EQ(host_for_policy("http://[::1]:8080/"), "[::1]:8080");
}

TEST(CheckUrl, AGuardedRequestIsRefusedWithTheHostAndWhy) {
  OutboundPolicy p;
  p.enforce = true;
  auto refusal = [&](const std::string& url) -> std::string {
    try {
      check_url(p, url);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kForbidden);
      return e.what();
    }
    return "";
  };
  EXPECT_NE(refusal("http://169.254.169.254/latest").find(
                "outbound request refused: 169.254.169.254 is a non-public address: link-local (169.254.0.0/16)"),
            std::string::npos);
  EXPECT_NE(refusal("http://localhost:1234/v1").find("localhost:1234 is this machine (localhost)"), std::string::npos);
  EXPECT_NE(refusal("gopher://example.com/").find("scheme \"gopher\""), std::string::npos);
  EXPECT_EQ(refusal("https://api.openai.com/v1"), "");
  // Listed: allowed, private or not.
  p.allowed_hosts = {"localhost:1234", "10.0.0.1"};
  EXPECT_EQ(refusal("http://localhost:1234/v1"), "");
  EXPECT_EQ(refusal("http://10.0.0.1:8080/v1"), "");
  EXPECT_NE(refusal("http://localhost:1235/v1").find("localhost"), std::string::npos);
  // Only the listed hosts.
  p.only_allowed_hosts = true;
  EXPECT_NE(refusal("https://api.openai.com/v1").find("is not among the allowed hosts"), std::string::npos);
  // Not enforced (the keel command): nothing is refused.
  OutboundPolicy off;
  EXPECT_NO_THROW(check_url(off, "http://169.254.169.254/"));
}

}  // namespace
}  // namespace keel::net
