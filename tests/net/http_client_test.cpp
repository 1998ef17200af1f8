// What the clients of outside HTTP services share (keel/net/http_client.h): Retry-After, the
// response headers read from libcurl's header lines, the retry schedule. The clients themselves
// run against loopback servers in tests/marketdata/http_client_test.cpp and
// tests/service/llm_providers_test.cpp.
#include "keel/net/http_client.h"

#include <gtest/gtest.h>

#include <ctime>
#include <vector>

namespace keel::net {
namespace {

TEST(RetryAfter, ParsesDeltaSecondsAndHttpDates) {
  EXPECT_EQ(parse_retry_after("120")->count(), 120000);
  EXPECT_EQ(parse_retry_after(" 0 ")->count(), 0);
  EXPECT_EQ(parse_retry_after("7\r\n")->count(), 7000);                       // as a header line ends
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT")->count(), 0);  // in the past
  EXPECT_FALSE(parse_retry_after("soon").has_value());
  EXPECT_FALSE(parse_retry_after("  ").has_value());
  // Ten digits of seconds (over 31 years): a year, which is over any cap.
  EXPECT_EQ(parse_retry_after("9999999999")->count(), 365LL * 24 * 3600 * 1000);
  // An IMF-fixdate (RFC 9110 5.6.7) 90 s from now: the wait is 90 s, less the second that may
  // pass between writing the date and reading it.
  const std::time_t then = std::time(nullptr) + 90;
  std::tm utc{};
  gmtime_r(&then, &utc);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  const auto wait = parse_retry_after(date);
  ASSERT_TRUE(wait.has_value()) << date;
  EXPECT_GE(wait->count(), 89000) << date;
  EXPECT_LE(wait->count(), 90000) << date;
}

// The wait to an HTTP date is measured from the injected clock, not the machine's: RFC 9110's
// example date, with the clock pinned 90 s and then 2 s past it.
TEST(RetryAfter, AnHttpDateIsAWaitFromTheInjectedClock) {
  using std::chrono::seconds;
  const std::chrono::system_clock::time_point date{seconds(1445412480)};  // Wed, 21 Oct 2015 07:28:00 GMT
  const FixedClock before(date - seconds(90));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", before)->count(), 90000);
  const FixedClock after(date + seconds(2));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", after)->count(), 0);
  EXPECT_EQ(parse_retry_after("120", after)->count(), 120000);  // delta seconds do not read the clock
  // The retry schedule dates an answer's Retry-After with its clock: 90 s is under a 100 s cap
  // and is the next wait.
  double waited = 0;
  std::vector<long> sleeps;
  Retries r({.max_attempts = 2, .backoff_initial_ms = 5, .backoff_max_ms = 5, .retry_after_max_ms = 100'000},
            [&](std::chrono::milliseconds ms) { sleeps.push_back(static_cast<long>(ms.count())); }, waited, before);
  EXPECT_TRUE(r.answer_failed(503, "busy", std::string("Wed, 21 Oct 2015 07:28:00 GMT")));
  EXPECT_TRUE(r.wait_before_next(1));
  EXPECT_EQ(sleeps, (std::vector<long>{90000}));
}

TEST(ResponseHeaders, KeepTheLastResponsesStatusRetryAfterAndContentType) {
  ResponseHeaders h;
  for (const char* line :
       {"HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/1.1 429 Too Many Requests\r\n", "retry-AFTER:  7 \r\n",
        "Content-Type: Text/Event-Stream; charset=utf-8\r\n", "X-Note: Retry-After: 99\r\n", "\r\n"}) {
    h.read_line(line);
  }
  EXPECT_EQ(h.status, 429);
  EXPECT_EQ(h.retry_after, "7");
  EXPECT_EQ(h.content_type, "Text/Event-Stream; charset=utf-8");
  // A redirect's target answers: what the previous response said is forgotten.
  h.read_line("HTTP/2 200\r\n");
  EXPECT_EQ(h.status, 200);
  EXPECT_FALSE(h.retry_after.has_value());
  EXPECT_EQ(h.content_type, "");
}

TEST(Retries, BackoffDoublesToItsCapAndRetryAfterReplacesOneWait) {
  std::vector<long long> waits;
  double waited_ms = 0.0;
  Retries r(
      {.max_attempts = 4, .backoff_initial_ms = 100, .backoff_max_ms = 300, .retry_after_max_ms = 5000},
      [&](std::chrono::milliseconds d) { waits.push_back(d.count()); }, waited_ms);
  EXPECT_EQ(r.attempts(), 4);
  EXPECT_TRUE(r.answer_failed(503, "HTTP 503", std::nullopt));
  EXPECT_TRUE(r.wait_before_next(1));  // the backoff: 100 ms, then 200
  EXPECT_TRUE(r.answer_failed(429, "HTTP 429", "2"));
  EXPECT_TRUE(r.wait_before_next(2));  // Retry-After: 2 s; the backoff doubles anyway, to its 300 ms cap
  r.failed(ErrorCode::kInternal, "timed out");
  EXPECT_TRUE(r.wait_before_next(3));                                    // 300 ms
  EXPECT_TRUE(r.answer_failed(429, "HTTP 429 from h?key=k3y", "soon"));  // unparseable: the backoff
  EXPECT_FALSE(r.wait_before_next(4));                                   // no fifth attempt, no wait
  EXPECT_EQ(waits, (std::vector<long long>{100, 2000, 300}));
  EXPECT_EQ(waited_ms, 2400.0);
  const Error e = r.gave_up([](std::string s) { return replace_secret(std::move(s), "k3y"); });
  EXPECT_EQ(e.code(), ErrorCode::kRateLimited);  // the last failure's: 429
  EXPECT_STREQ(e.what(), "HTTP 429 from h?key=*** (gave up after 4 attempts)");
}

TEST(Retries, ARetryAfterOverTheCapIsNotWaitedFor) {
  std::vector<long long> waits;
  double waited_ms = 0.0;
  Retries r(
      {.max_attempts = 0, .backoff_initial_ms = 10, .backoff_max_ms = 10, .retry_after_max_ms = 120'000},
      [&](std::chrono::milliseconds d) { waits.push_back(d.count()); }, waited_ms);
  EXPECT_EQ(r.attempts(), 1);  // below 1 counts as 1
  EXPECT_FALSE(r.answer_failed(429, "HTTP 429", "121"));
  EXPECT_TRUE(r.answer_failed(429, "HTTP 429", "120"));
  r.failed(ErrorCode::kInternal, "reset");
  EXPECT_FALSE(r.wait_before_next(1));
  EXPECT_TRUE(waits.empty());
  const Error e = r.gave_up();
  EXPECT_EQ(e.code(), ErrorCode::kInternal);
  EXPECT_STREQ(e.what(), "reset (gave up after 1 attempts)");
}

TEST(Retries, TheWordsOfAGiveUpOnACappedRetryAfter) {
  EXPECT_EQ(retry_after_over_cap("300", 120000), " (Retry-After 300 s is over the 120 s cap)");
  EXPECT_EQ(retry_after_over_cap("Wed, 21 Oct 2099 07:28:00 GMT", 60000),
            " (Retry-After Wed, 21 Oct 2099 07:28:00 GMT is over the 60 s cap)");
  // A hostile value is cut and cannot break the message's line.
  EXPECT_EQ(retry_after_over_cap(std::string(50, '9') + "\x1b", 1000),
            " (Retry-After " + std::string(40, '9') + "... is over the 1 s cap)");
  EXPECT_EQ(retry_after_over_cap("1\n2", 1000), " (Retry-After 1 2 is over the 1 s cap)");
}

TEST(Secrets, EveryOccurrenceIsReplacedAndAnEmptySecretChangesNothing) {
  EXPECT_EQ(replace_secret("key=abcd, again abcdabcd", "abcd"), "key=***, again ******");
  EXPECT_EQ(replace_secret("text", ""), "text");
  EXPECT_EQ(url_host("https://user:pw@api.example.com:8443/v1?x=1"), "api.example.com:8443");
  EXPECT_EQ(url_host("127.0.0.1:1234/v1"), "127.0.0.1:1234");
}

}  // namespace
}  // namespace keel::net
