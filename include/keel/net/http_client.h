// keel/net/http_client.h: what keel's clients of outside HTTP services share (libcurl).
//
// Two modules talk to services outside: marketdata (keel/marketdata/http.h: GETs from the
// market-data vendors) and llm (keel/llm/chat.h: streamed POSTs to the LLM providers). Each keeps
// its own policy — its limits, which failures it repeats, the words of its errors, which name the
// vendor or provider — and runs its requests through the parts here, which are the same for both:
//   - CurlHandle: one libcurl easy handle (libcurl's global initialisation runs once per process),
//     reset for each request with the options every request sets;
//   - ResponseHeaders: the headers of an answer a client acts on (status, Retry-After,
//     Content-Type), collected by libcurl's header callback;
//   - parse_retry_after: a Retry-After value (delta seconds or an HTTP date) as a wait from the
//     injected Clock's now (keel/core/env.h);
//   - Retries: the schedule of one request's attempts — exponential backoff, replaced by what an
//     answer's Retry-After asks for up to a cap — and the error it ends with when none is left;
//   - url_host and replace_secret, for messages that name a host and never a key (url_host reads
//     the URL with libcurl, keel/net/url.h, as every decision on a URL does).
// The module sits just above core: marketdata and llm include it and do not include each other.
//
// Thread-safety: the functions are pure (parse_retry_after reads the Clock it is given). A CurlHandle, a
// ResponseHeaders and a Retries are used by one thread at a time.
// Ownership: a CurlHandle owns its libcurl handle; a Retries keeps a copy of its sleeper and
// references to the wait counter and the clock it is given, which must outlive it.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keel/core/env.h"
#include "keel/core/error.h"

namespace keel::net {

class OutboundGuard;  // keel/net/outbound.h

// A Retry-After value (delta seconds or an HTTP date, RFC 9110 10.2.3; spaces and line ends
// around it are ignored) as a wait from `clock`'s now; nullopt when it is neither. A date in the
// past gives zero; more than nine digits of seconds give a year (over any cap).
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           const Clock& clock = system_clock_source());

// The headers of one answer that the clients act on. libcurl hands the header callback every
// line of every response of a transfer: a status line starts a new response (after
// 100-continue or a redirect), which forgets what the previous one said.
struct ResponseHeaders {
  long status = 0;                         // of the last status line read
  std::optional<std::string> retry_after;  // the value, without the spaces around it
  std::string content_type;                // the value as sent (case kept), without spaces around it
  // One header line as libcurl hands it over (with its CRLF).
  void read_line(std::string_view line);
};

// libcurl's CURLOPT_HEADERFUNCTION for a ResponseHeaders given as CURLOPT_HEADERDATA.
std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* headers);

// True for the transport failures (a CURLcode) that a new attempt may cure: the connection
// refused, reset or cut short, nothing received, a timeout. A client may repeat more.
bool transient_transport_failure(int curl_code);

// True for the HTTP statuses worth another attempt: 429 and 5xx.
bool retryable_status(long status);

// What every request of a client sets on its handle.
struct RequestBasics {
  std::string_view url;
  long connect_timeout_ms = 10'000;  // TCP and TLS connect
  long total_timeout_ms = 60'000;    // the whole transfer
  std::string_view user_agent;
  std::string_view accept_encoding;  // "" = every encoding libcurl decodes (gzip, deflate, br)
};

// One libcurl easy handle.
class CurlHandle {
 public:
  // Throws keel::Error (internal) "<who>: cannot initialise libcurl".
  explicit CurlHandle(const std::string& who);
  ~CurlHandle();
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;

  // Resets the handle for a new request: `basics`, no signals (the clients run on worker threads),
  // and `headers` (emptied) collecting the answer's headers. Returns the handle (a CURL*) for the
  // caller's own options — method, request headers, body callback, redirects — and
  // curl_easy_perform.
  void* prepare(const RequestBasics& basics, ResponseHeaders& headers);

 private:
  void* curl_ = nullptr;
};

// One request sent as it is and answered whole, for the clients that make single calls (single
// sign-on's provider, webhooks): no redirect followed, no proxy, http and https only, one attempt.
struct PlainRequest {
  std::string_view url;
  std::string_view user_agent;
  long timeout_ms = 10'000;  // connect and the whole transfer
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::optional<std::string_view> body;  // POSTed when given (its Content-Type among `headers`)
  std::string_view basic_auth;           // "user:password" for HTTP Basic; "" none
  std::size_t max_body_bytes = 1 << 20;  // a longer answer fails the transfer; 0 reads none of it
};

struct PlainAnswer {
  long status = 0;       // 0 when the transfer failed
  std::string body;      // up to max_body_bytes
  std::string failure;   // why no answer came: libcurl's words, or the guard's refusal; "" if one came
};

// Sends `request` (an OutboundGuard, when given, checks the URL first and every address the
// connection opens: its refusal is the failure). Never throws for the network's sake; throws
// keel::Error (internal) when libcurl cannot be initialised.
PlainAnswer send_plain(const PlainRequest& request, OutboundGuard* guard = nullptr);

// How a client repeats a request.
struct RetryPolicy {
  int max_attempts = 1;         // the first attempt and the retries; below 1 counts as 1
  long backoff_initial_ms = 0;  // the wait after the first failed attempt, doubled after each
  long backoff_max_ms = 0;      // the longest backoff wait
  long retry_after_max_ms = 0;  // an answer asking for a longer wait is not repeated
};

using Sleeper = std::function<void(std::chrono::milliseconds)>;

// The attempts of one request. The caller runs attempt 1, 2, ...; after each failure worth
// repeating it records what went wrong (failed / answer_failed) and asks wait_before_next whether
// another attempt follows; when none does, it throws gave_up(). Failures not worth repeating are
// the caller's to throw at once.
class Retries {
 public:
  // `sleep` waits between attempts; every wait is added to `waited_ms`; `clock` dates a
  // Retry-After given as an HTTP date.
  Retries(const RetryPolicy& policy, Sleeper sleep, double& waited_ms, const Clock& clock = system_clock_source());

  int attempts() const { return attempts_; }

  // The attempt failed in a way worth repeating: `code` and `message` are the request's error if
  // no attempt follows. The next wait is the backoff.
  void failed(ErrorCode code, std::string message);
  // The attempt was answered with a retryable status (429 or 5xx; `message` says so): the request
  // ends rate_limited (429) or internal (5xx) if no attempt follows. A Retry-After value that
  // parses replaces the next backoff wait. Returns false, recording nothing, when that wait is over
  // the policy's cap: the caller gives up at once, in its own words.
  [[nodiscard]] bool answer_failed(long status, std::string message,
                                   const std::optional<std::string>& retry_after);
  // After failed attempt `attempt` (1-based): false when it was the last; otherwise waits (the
  // answer's Retry-After, or the backoff, which doubles up to its maximum) and returns true.
  bool wait_before_next(int attempt);
  // The error of a request whose attempts all failed: the last failure's category, and its message
  // followed by " (gave up after N attempts)", passed through `clean` when given (the caller's
  // scrubbing of keys).
  Error gave_up(const std::function<std::string(std::string)>& clean = {}) const;

 private:
  RetryPolicy policy_;
  int attempts_;
  Sleeper sleep_;
  double& waited_ms_;
  const Clock& clock_;
  long backoff_ms_;
  std::optional<std::chrono::milliseconds> next_wait_;  // the last answer's Retry-After
  ErrorCode last_code_ = ErrorCode::kInternal;
  std::string last_message_;
};

// The words a request that gives up on a Retry-After over its cap adds to its error:
// " (Retry-After 300 s is over the 120 s cap)"; the value as the server sent it, at most 40
// characters with control characters as spaces, "s" after a number of seconds (not a date).
std::string retry_after_over_cap(std::string_view retry_after, long cap_ms);

// The host (and port) of a URL for a message, as libcurl reads it (keel/net/url.h's
// url_host_for_display): lower case, without user information ("api.example.com:8443" for
// "https://user:pw@api.example.com:8443/v1?x=1"); "" when libcurl cannot read it. Never a basis
// for a decision (where a request goes, whether a host is listed or local): Url::parse is.
std::string url_host(std::string_view url);

// `text` with every occurrence of `secret` replaced by "***" (unchanged for an empty secret).
std::string replace_secret(std::string text, std::string_view secret);

}  // namespace keel::net
