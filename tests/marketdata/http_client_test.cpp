// HttpClient against a loopback server: retries, Retry-After, truncation, offline, redaction.
#include "keel/marketdata/http.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"
#include "loopback_server.h"

namespace keel::marketdata {
namespace {

using keel::testing::LoopbackServer;

HttpOptions fast() {
  HttpOptions o;
  o.backoff_initial_ms = 1;
  o.backoff_max_ms = 4;
  o.connect_timeout_ms = 2000;
  o.total_timeout_ms = 5000;
  o.max_attempts = 3;
  return o;
}

struct Client {
  explicit Client(HttpOptions o = fast(), std::vector<std::string> secrets = {})
      : http("test", o, nullptr, std::move(secrets)) {
    http.set_sleeper([this](std::chrono::milliseconds d) { waits.push_back(d.count()); });
  }
  HttpClient http;
  std::vector<long long> waits;
};

TEST(HttpClient, RetriesAfter500ThenSucceeds) {
  LoopbackServer s;
  int calls = 0;
  s.on("/x", [&](const httplib::Request&, httplib::Response& res) {
    if (++calls == 1) {
      res.status = 500;
      res.set_content("oops", "text/plain");
    } else {
      res.set_content("fine", "text/plain");
    }
  });
  Client c;
  const HttpResponse r = c.http.get(s.url() + "/x");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "fine");
  EXPECT_EQ(c.http.stats().requests, 2u);
  EXPECT_EQ(c.http.stats().retries, 1u);
  ASSERT_EQ(c.waits.size(), 1u);
  EXPECT_EQ(c.waits[0], 1);  // the first backoff
}

TEST(HttpClient, HonoursRetryAfterOn429) {
  LoopbackServer s;
  int calls = 0;
  s.on("/x", [&](const httplib::Request&, httplib::Response& res) {
    if (++calls == 1) {
      res.status = 429;
      res.set_header("Retry-After", "7");
      res.set_content("slow down", "text/plain");
    } else {
      res.set_content("ok", "text/plain");
    }
  });
  Client c;
  EXPECT_EQ(c.http.get(s.url() + "/x").body, "ok");
  ASSERT_EQ(c.waits.size(), 1u);
  EXPECT_EQ(c.waits[0], 7000);  // Retry-After: 7 seconds, not the 1 ms backoff
}

TEST(HttpClient, PersistentRateLimitIsRateLimited) {
  LoopbackServer s;
  s.on("/x", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "1");
  });
  Client c;
  try {
    c.http.get(s.url() + "/x");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kRateLimited);
    EXPECT_NE(std::string(e.what()).find("gave up after 3 attempts"), std::string::npos) << e.what();
  }
  EXPECT_EQ(c.http.stats().requests, 3u);
}

TEST(HttpClient, RetryAfterOverTheCapGivesUp) {
  LoopbackServer s;
  s.on("/x", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "3600");
  });
  Client c;
  EXPECT_THROW(c.http.get(s.url() + "/x"), Error);
  EXPECT_EQ(c.http.stats().requests, 1u);
  EXPECT_TRUE(c.waits.empty());
}

TEST(HttpClient, TruncatedBodyIsRetriedThenReported) {
  LoopbackServer s;
  s.on("/x", [&](const httplib::Request&, httplib::Response& res) {
    // Announces 1000 bytes, sends 10, then closes the connection.
    res.set_content_provider(1000, "application/json", [](size_t offset, size_t, httplib::DataSink& sink) {
      if (offset == 0) {
        sink.write("{\"chart\":{", 10);
        return true;
      }
      return false;
    });
  });
  Client c;
  try {
    c.http.get(s.url() + "/x");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  EXPECT_EQ(c.http.stats().requests, 3u);
}

TEST(HttpClient, UnreachableHostSaysOffline) {
  int port = 0;
  {
    LoopbackServer s;  // a port that was free a moment ago and is closed now
    port = s.port();
  }
  Client c;
  try {
    c.http.get("http://127.0.0.1:" + std::to_string(port) + "/x");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("cannot reach 127.0.0.1:" + std::to_string(port)), std::string::npos) << m;
    EXPECT_NE(m.find("--offline"), std::string::npos) << m;
  }
}

TEST(HttpClient, NotFoundAndForbiddenMapToCategories) {
  LoopbackServer s;
  s.on("/missing", [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
  s.on("/denied", [](const httplib::Request&, httplib::Response& res) { res.status = 403; });
  Client c;
  try {
    c.http.get(s.url() + "/missing");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  try {
    c.http.get(s.url() + "/denied");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnauthorized);
  }
  EXPECT_EQ(c.http.stats().requests, 2u);  // no retry on 4xx
}

TEST(HttpClient, KeysNeverAppearInErrors) {
  const std::string key = "k3y-Secret-0123456789";
  LoopbackServer s;
  // A hostile server echoing the request, key included, in its error body.
  s.on("/fred/series/observations", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 400;
    res.set_content("Bad Request. The value for variable api_key is not registered: " + req.get_param_value("api_key"),
                    "text/plain");
  });
  Client c(fast(), {key});
  try {
    c.http.get(s.url() + "/fred/series/observations?series_id=DGS10&api_key=" + key + "&file_type=json");
    FAIL();
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.find(key), std::string::npos) << m;
    EXPECT_NE(m.find("api_key=***"), std::string::npos) << m;
  }
}

TEST(HttpClient, RedactUrlHidesKeyLikeParameters) {
  EXPECT_EQ(redact_url("https://h/p?series_id=DGS10&api_key=abc&x=1"), "https://h/p?series_id=DGS10&api_key=***&x=1");
  EXPECT_EQ(redact_url("https://h/p?apiKey=abc"), "https://h/p?apiKey=***");
  // In an error message the URL's last parameter ends where the message's own text begins.
  EXPECT_EQ(redact_url("GET https://h/p?x=1&apiKey=abc: HTTP 500 oops (gave up after 5 attempts)"),
            "GET https://h/p?x=1&apiKey=***: HTTP 500 oops (gave up after 5 attempts)");
  EXPECT_EQ(redact_url("https://h/p?apiKey=abc def&token=t"), "https://h/p?apiKey=*** def&token=t");
  EXPECT_EQ(redact_url("https://h/p?ticker=KEY"), "https://h/p?ticker=KEY");
}

TEST(TokenBucket, SpacesRequestsAtTheRate) {
  TokenBucket b(50.0, 1.0);  // 50 per second, no burst beyond one
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 11; ++i) b.acquire();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(s, 10 / 50.0 * 0.95);  // the first token is free, ten more at 20 ms each
  EXPECT_LT(s, 2.0);
}

}  // namespace
}  // namespace keel::marketdata
