// keel/marketdata/http.h: the HTTP client every market-data provider talks through.
//
// HttpClient wraps one libcurl easy handle with what a polite, robust API client needs:
//   - a token bucket per provider (TokenBucket) so a sync never exceeds the provider's rate limit;
//   - connect and total timeouts;
//   - retries with exponential backoff on 429 and 5xx and on transient transport failures
//     (reset connection, truncated body), honouring a Retry-After header (seconds or HTTP date);
//   - a clear keel::Error when the host cannot be reached ("offline?"), naming the host only;
//   - redirects followed one hop at a time (at most max_redirects), each hop checked against the
//     outbound policy and the key's origins (keel/net/outbound.h) before it is requested.
// Secrets (API keys) handed to the client are scrubbed from every message it produces, and URLs
// in messages and in the cache metadata have their key-like query parameters replaced by "***".
// The handle, the response headers, Retry-After and the retry schedule are keel/net/http_client.h's
// (shared with the LLM providers' client); the limits, the errors' words and redaction are here.
//
// Thread-safety: TokenBucket is thread-safe. An HttpClient is used by one thread at a time.
// Ownership: HttpClient owns its curl handle; it shares the TokenBucket it is given.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "keel/net/http_client.h"
#include "keel/net/outbound.h"

namespace keel::marketdata {

// Token bucket: `rate_per_second` tokens added continuously up to `burst`; acquire() takes one,
// sleeping until one is available. A rate of 0 means unlimited.
class TokenBucket {
 public:
  TokenBucket(double rate_per_second, double burst);
  // Blocks until a token is available; returns the time waited.
  std::chrono::nanoseconds acquire();
  double rate_per_second() const { return rate_; }

 private:
  std::mutex mutex_;
  double rate_;
  double burst_;
  double tokens_;                                    // guarded by mutex_
  std::chrono::steady_clock::time_point last_;       // guarded by mutex_
};

struct HttpOptions {
  long connect_timeout_ms = 10'000;   // TCP/TLS connect
  long total_timeout_ms = 60'000;     // whole transfer
  int max_attempts = 5;               // first try plus retries
  long backoff_initial_ms = 500;      // doubled after each failed attempt
  long backoff_max_ms = 30'000;       // cap of one wait
  long retry_after_max_ms = 120'000;  // a longer Retry-After gives up with rate_limited
  std::size_t max_body_bytes = 256u << 20;  // a larger body is refused
  std::string user_agent = "keel-marketdata/0.1 (+https://github.com/keel-risk/keel)";
  // Accept-Encoding: "" = every encoding libcurl decodes (gzip, deflate, br); "identity" = none.
  std::string accept_encoding;
  int max_redirects = 5;  // followed one hop at a time, each checked as below
  // Where requests may go (keel/net/outbound.h): `keel serve` enforces it; the keel command does not.
  net::OutboundPolicy outbound;
  // The origins the client's secrets (its API key) may be sent to; nullopt: anywhere (a key from
  // the environment). A request or a redirect hop whose URL carries a secret to another origin is
  // refused (net::kKeyNotBound), and so is a redirect to another origin that carries one.
  std::optional<std::vector<std::string>> secret_origins;
  std::string key_name;  // the vault key's name, for the refusal's words
  // Dates a Retry-After given as an HTTP date; null: the system clock. Must outlive the client.
  const Clock* clock = nullptr;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::optional<std::string> retry_after;  // the header, when present
  std::string content_type;
};

// What a client did, for the fetch report and the benchmark.
struct HttpStats {
  std::size_t requests = 0;      // HTTP attempts sent (retries included)
  std::size_t retries = 0;       // attempts after the first
  std::size_t bytes = 0;         // body bytes received
  double waited_ms = 0.0;        // in the token bucket and in backoff
};

class HttpClient {
 public:
  // `provider` names the client in messages; `secrets` are scrubbed from every message.
  HttpClient(std::string provider, HttpOptions options, std::shared_ptr<TokenBucket> bucket,
             std::vector<std::string> secrets = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // GETs `url`, retrying as described above, and returns the final 2xx response. Throws
  // keel::Error(forbidden) before any byte is sent to a destination the outbound policy refuses
  // or to an origin the key is not bound to (keel/net/outbound.h). Otherwise throws
  // keel::Error: not_found for 404; unauthorized for 401/403 (a refused key); rate_limited when
  // 429 persists or Retry-After exceeds the cap; invalid_input for other 4xx; internal for 5xx
  // after the last attempt, a transport failure (unreachable host: "offline?"), a truncated body
  // or a body over max_body_bytes. Messages name the provider and the redacted URL.
  HttpResponse get(const std::string& url);

  const HttpStats& stats() const { return stats_; }
  // Replaces every secret by "***" and key-like query values (api_key=, apikey=, token=) too.
  std::string redact(std::string text) const;
  // Test hook: how to sleep (default std::this_thread::sleep_for).
  void set_sleeper(std::function<void(std::chrono::milliseconds)> sleeper) { sleep_ = std::move(sleeper); }

 private:
  // True when `url` holds one of the secrets (as is, or url-encoded).
  bool carries_secret(const std::string& url) const;
  // The checks of one hop before it is requested: the outbound policy, and where the key may go.
  void check_hop(const std::string& url, const std::string& first_url, net::OutboundGuard& guard);

  std::string provider_;
  HttpOptions options_;
  std::shared_ptr<TokenBucket> bucket_;
  std::vector<std::string> secrets_;
  net::CurlHandle curl_;
  HttpStats stats_;
  std::function<void(std::chrono::milliseconds)> sleep_;
};

// Replaces the values of key-like query parameters (api_key, apikey, key, token, access_token)
// of a URL by "***".
std::string redact_url(const std::string& url);

}  // namespace keel::marketdata
