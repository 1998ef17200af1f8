// The market-data client under the outbound guard and the key binding (keel/net/outbound.h):
// redirects are followed one checked hop at a time, a key goes only to the origins it is bound
// to, and under `keel serve`'s policy a private or loopback destination is refused unless listed.
// Two loopback servers stand in for the vendor and for a host the request must never reach.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include "keel/core/error.h"
#include "keel/marketdata/http.h"
#include "keel/net/outbound.h"
#include "loopback_server.h"

namespace keel::marketdata {
namespace {

using keel::testing::LoopbackServer;

constexpr const char* kKey = "pk_Bound-Key_0077";

HttpOptions fast() {
  HttpOptions o;
  o.backoff_initial_ms = 1;
  o.backoff_max_ms = 4;
  o.connect_timeout_ms = 2000;
  o.total_timeout_ms = 5000;
  o.max_attempts = 1;
  return o;
}

std::string refusal_of(HttpClient& http, const std::string& url) {
  try {
    http.get(url);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "fetched " << url;
  return "";
}

TEST(OutboundGuard, ARedirectWithinTheOriginIsFollowed) {
  LoopbackServer vendor;
  vendor.on("/old", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 301;
    res.set_header("Location", "/new");
  });
  vendor.on("/new", [](const httplib::Request&, httplib::Response& res) { res.set_content("bars", "text/csv"); });
  HttpOptions o = fast();
  o.outbound.enforce = true;
  o.outbound.allowed_hosts = {net::host_for_policy(vendor.url())};
  HttpClient http("test", o, nullptr);
  EXPECT_EQ(http.get(vendor.url() + "/old").body, "bars");
  EXPECT_EQ(vendor.hits("/new"), 1);
}

TEST(OutboundGuard, AnAllowedHostRedirectingToAnUnlistedLoopbackOrMetadataAddressIsRefused) {
  LoopbackServer vendor, internal;
  internal.on(".*", [](const httplib::Request&, httplib::Response& res) { res.set_content("secret", "text/plain"); });
  std::string target;
  vendor.on("/x", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 302;
    res.set_header("Location", target);
  });
  HttpOptions o = fast();
  o.outbound.enforce = true;
  o.outbound.allowed_hosts = {net::host_for_policy(vendor.url())};
  std::vector<std::string> refused;
  o.outbound.on_refused = [&](const Error& e) { refused.push_back(e.what()); };
  HttpClient http("test", o, nullptr);
  // Loopback by address: refused on the URL, before any connection.
  target = internal.url() + "/admin";
  std::string m = refusal_of(http, vendor.url() + "/x");
  EXPECT_NE(m.find("outbound request refused: 127.0.0.1:" + std::to_string(internal.port())), std::string::npos) << m;
  EXPECT_NE(m.find("loopback (127.0.0.0/8)"), std::string::npos) << m;
  // By name: refused once the name resolved (the socket check sees 127.0.0.1 or ::1).
  target = "http://localhost:" + std::to_string(internal.port()) + "/admin";
  m = refusal_of(http, vendor.url() + "/x");
  EXPECT_NE(m.find("localhost"), std::string::npos) << m;
  // The cloud metadata address.
  target = "http://169.254.169.254/latest/meta-data/";
  m = refusal_of(http, vendor.url() + "/x");
  EXPECT_NE(m.find("link-local (169.254.0.0/16)"), std::string::npos) << m;
  // Another scheme.
  target = "file:///etc/passwd";
  m = refusal_of(http, vendor.url() + "/x");
  EXPECT_NE(m.find("scheme \"file\" is not http or https"), std::string::npos) << m;
  EXPECT_EQ(internal.total(), 0);
  EXPECT_EQ(refused.size(), 4u);  // each told to the face's audit
}

TEST(OutboundGuard, NumericFormsOfLoopbackAreSeenAsTheAddressLibcurlConnectsTo) {
  // "127.1", "2130706433" and "0x7f.1" are 127.0.0.1 to the resolver but not to inet_pton. The URL
  // is read by libcurl (net::Url), which writes them as the dotted quad it connects to, so the URL
  // check refuses them before any connection (names are left to the socket check, next test).
  LoopbackServer internal;
  internal.on(".*", [](const httplib::Request&, httplib::Response& res) { res.set_content("secret", "text/plain"); });
  HttpOptions o = fast();
  o.outbound.enforce = true;
  HttpClient http("test", o, nullptr);
  const std::string port = std::to_string(internal.port());
  for (const std::string host : {"127.1", "2130706433", "0x7f.1"}) {
    const std::string m = refusal_of(http, "http://" + host + ":" + port + "/x");
    EXPECT_NE(m.find("outbound request refused: 127.0.0.1:" + port + " is a non-public address: loopback (127.0.0.0/8)"),
              std::string::npos)
        << m;
  }
  EXPECT_EQ(internal.total(), 0);
}

TEST(OutboundGuard, AHostNameThatResolvesToLoopbackIsRefusedOnItsAddress) {
  // This machine's own name resolves to a loopback address in many setups (/etc/hosts): then it
  // is a name the URL check cannot judge, caught on the address the resolver gives.
  char name[256] = {0};
  ASSERT_EQ(::gethostname(name, sizeof name - 1), 0);
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  bool loopback = false;
  if (::getaddrinfo(name, nullptr, &hints, &res) == 0) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(res->ai_addr);
    loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    ::freeaddrinfo(res);
  }
  if (!loopback) GTEST_SKIP() << name << " does not resolve to a loopback address here";
  LoopbackServer internal;
  internal.on(".*", [](const httplib::Request&, httplib::Response& res) { res.set_content("secret", "text/plain"); });
  HttpOptions o = fast();
  o.outbound.enforce = true;
  HttpClient http("test", o, nullptr);
  const std::string url = std::string("http://") + name + ":" + std::to_string(internal.port()) + "/x";
  const std::string m = refusal_of(http, url);
  EXPECT_NE(m.find(std::string(name) + ":" + std::to_string(internal.port()) + " at 127."), std::string::npos) << m;
  EXPECT_NE(m.find("loopback (127.0.0.0/8)"), std::string::npos) << m;
  // The early check (a provider added, a question asked) resolves the name too.
  try {
    net::check_destination(o.outbound, url);
    ADD_FAILURE() << "check_destination let " << url << " through";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("loopback"), std::string::npos) << e.what();
  }
  EXPECT_EQ(internal.total(), 0);
}

TEST(OutboundGuard, AKeyIsNeverSentToAnOriginItIsNotBoundTo) {
  LoopbackServer vendor, elsewhere;
  elsewhere.on(".*", [](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
  vendor.on("/bars", [&](const httplib::Request& req, httplib::Response& res) {
    // Sends the client on to another origin, key and all.
    res.status = 307;
    res.set_header("Location", elsewhere.url() + "/bars?apiKey=" + req.get_param_value("apiKey"));
  });
  HttpOptions o = fast();
  o.secret_origins = std::vector<std::string>{*net::normalize_origin(vendor.url())};
  o.key_name = "polygon";
  HttpClient http("test", o, nullptr, {kKey});
  // Straight to the other origin: refused before any byte is sent.
  std::string m = refusal_of(http, elsewhere.url() + "/bars?apiKey=" + std::string(kKey));
  EXPECT_NE(m.find("key 'polygon' is bound to " + *net::normalize_origin(vendor.url())), std::string::npos) << m;
  EXPECT_EQ(m.find(kKey), std::string::npos) << m;
  // Through the vendor's redirect: the hop is refused.
  m = refusal_of(http, vendor.url() + "/bars?apiKey=" + std::string(kKey));
  EXPECT_NE(m.find("keel keys bind polygon --origin " + *net::normalize_origin(elsewhere.url())), std::string::npos)
      << m;
  EXPECT_EQ(vendor.hits("/bars"), 1);
  EXPECT_EQ(elsewhere.total(), 0);

  // A key from the environment (no binding) is still not carried across origins by a redirect.
  HttpOptions unbound = fast();
  HttpClient env_keyed("test", unbound, nullptr, {kKey});
  m = refusal_of(env_keyed, vendor.url() + "/bars?apiKey=" + std::string(kKey));
  EXPECT_NE(m.find("with the API key in the new address"), std::string::npos) << m;
  EXPECT_EQ(elsewhere.total(), 0);
}

TEST(OutboundGuard, TheKeelCommandsOwnRequestsAreNotGuarded) {
  // Without enforce (the keel command, run by the machine's operator), loopback emulators answer.
  LoopbackServer emulator;
  emulator.on("/x", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  HttpClient http("test", fast(), nullptr);
  EXPECT_EQ(http.get(emulator.url() + "/x").body, "ok");
}

// Issue 57: a vendor whose host and port (V) the policy allows answers with a redirect whose
// authority hides another port, "http://127.0.0.1:V\@127.0.0.1:X/latest/meta-data". keel's old
// parser ended the host at '\' (V: listed, so the socket check was skipped); libcurl read
// "127.0.0.1:V\" as user-info and fetched X — 15 times, with the retries — and X's body reached
// the tenant's job result. The hop is now read by libcurl's URL API, refused as ambiguous, and X
// sees no request, with the guard on (keel serve) or off (the keel command).
TEST(OutboundGuard, IssueFiftySevenARedirectWhoseAuthorityHidesAnotherPortIsRefusedAndNeverFetched) {
  LoopbackServer vendor, internal;  // V and X
  internal.on(".*", [](const httplib::Request&, httplib::Response& res) { res.set_content("ami-secret", "text/plain"); });
  std::string location;
  vendor.on("/latest", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 302;
    res.set_header("Location", location);
  });
  const std::string v = std::to_string(vendor.port()), x = std::to_string(internal.port());
  struct Form {
    std::string location;
    std::string why;
  };
  const std::vector<Form> forms = {
      {"http://127.0.0.1:" + v + "\\@127.0.0.1:" + x + "/latest/meta-data", "authority: a backslash is not allowed"},
      {"http://127.0.0.1:" + v + "\\\\@127.0.0.1:" + x + "/latest/meta-data", "authority: a backslash is not allowed"},
      {"http://127.0.0.1:" + v + "@127.0.0.1:" + x + "/latest/meta-data", "authority: user-info"},
      {"http://user:pw@127.0.0.1:" + x + "/latest/meta-data", "authority: user-info"},
  };
  for (const bool enforce : {true, false}) {
    HttpOptions o = fast();
    o.max_attempts = 15;  // the attempts of the batch's client: none may follow a refusal
    o.outbound.enforce = enforce;
    o.outbound.allowed_hosts = {net::host_for_policy(vendor.url())};
    ASSERT_EQ(o.outbound.allowed_hosts[0], "127.0.0.1:" + v);
    std::vector<std::string> told;
    o.outbound.on_refused = [&](const Error& e) { told.push_back(e.what()); };
    HttpClient http("vendor", o, nullptr);
    for (const Form& f : forms) {
      location = f.location;
      const int before = vendor.hits("/latest");
      const std::string m = refusal_of(http, vendor.url() + "/latest");
      EXPECT_EQ(m.rfind("vendor: outbound request refused: " + f.why, 0), 0u) << f.location << ": " << m;
      EXPECT_NE(m.find("(a redirect from 127.0.0.1:" + v + ")"), std::string::npos) << m;
      EXPECT_EQ(m.find("ami-secret"), std::string::npos) << m;
      EXPECT_EQ(vendor.hits("/latest"), before + 1) << "a refused hop is not retried: " << f.location;
    }
    EXPECT_EQ(told.size(), forms.size());  // each told to the face's audit
  }
  EXPECT_EQ(internal.total(), 0) << "port X was reached";
}

TEST(OutboundGuard, AHopToAListedHostIsListedByTheHostAndPortLibcurlConnectsTo) {
  // The vendor lists its own host and port; a redirect to another port of the same address is
  // not listed (libcurl's port is compared, not the text before some separator), so the socket
  // check applies and refuses loopback.
  LoopbackServer vendor, internal;
  internal.on(".*", [](const httplib::Request&, httplib::Response& res) { res.set_content("secret", "text/plain"); });
  vendor.on("/x", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 302;
    res.set_header("Location", "http://127.0.0.1:" + std::to_string(internal.port()) + "/admin");
  });
  HttpOptions o = fast();
  o.outbound.enforce = true;
  o.outbound.allowed_hosts = {"127.0.0.1:" + std::to_string(vendor.port())};
  HttpClient http("vendor", o, nullptr);
  const std::string m = refusal_of(http, vendor.url() + "/x");
  EXPECT_NE(m.find("outbound request refused: 127.0.0.1:" + std::to_string(internal.port()) +
                   " is a non-public address: loopback (127.0.0.0/8)"),
            std::string::npos)
      << m;
  EXPECT_EQ(internal.total(), 0);
}

}  // namespace
}  // namespace keel::marketdata
