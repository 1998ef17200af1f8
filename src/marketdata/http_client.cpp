// HttpClient over libcurl: rate limit, timeouts, retries with backoff, Retry-After, redaction (the
// schedule, Retry-After and the response headers are keel/net/http_client.h's, shared with the LLM
// providers' client).
#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/marketdata/http.h"

namespace keel::marketdata {
namespace {

struct Transfer {
  std::string body;
  net::ResponseHeaders headers;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t bytes = size * n;
  if (t->body.size() + bytes > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  t->body.append(data, bytes);
  return bytes;
}

// The transport failures a market-data request repeats: the shared ones, and a body that does
// not decode (a vendor's gzip cut short).
bool transient(CURLcode code) {
  return net::transient_transport_failure(code) || code == CURLE_BAD_CONTENT_ENCODING;
}

// A secret as a query string carries it (the providers url-encode their keys).
std::string url_encode_secret(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

}  // namespace

TokenBucket::TokenBucket(double rate_per_second, double burst)
    : rate_(rate_per_second), burst_(std::max(1.0, burst)), tokens_(std::max(1.0, burst)),
      last_(std::chrono::steady_clock::now()) {}

std::chrono::nanoseconds TokenBucket::acquire() {
  if (rate_ <= 0) return std::chrono::nanoseconds(0);
  std::unique_lock lock(mutex_);
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    tokens_ = std::min(burst_, tokens_ + std::chrono::duration<double>(now - last_).count() * rate_);
    last_ = now;
    if (tokens_ >= 1.0) {
      tokens_ -= 1.0;
      return std::chrono::steady_clock::now() - start;
    }
    const auto wait = std::chrono::duration<double>((1.0 - tokens_) / rate_);
    // Sleeping with the lock held keeps callers in order; the bucket is per provider.
    std::this_thread::sleep_for(std::chrono::duration_cast<std::chrono::nanoseconds>(wait));
  }
}

std::string redact_url(const std::string& url) {
  static const char* kKeys[] = {"api_key", "apikey", "key", "token", "access_token"};
  std::string out = url;
  std::size_t q = out.find('?');
  if (q == std::string::npos) return out;
  std::size_t pos = q + 1;
  while (pos < out.size()) {
    // A parameter ends at '&'; the URL ends at a character its query does not hold unescaped (the
    // text of an error message follows it: "URL: what went wrong").
    std::size_t end = out.find_first_of("& \t\r\n\"'<>:", pos);
    if (end == std::string::npos) end = out.size();
    const std::size_t eq = out.find('=', pos);
    if (eq != std::string::npos && eq < end) {
      const std::string name = to_lower(out.substr(pos, eq - pos));
      if (std::any_of(std::begin(kKeys), std::end(kKeys), [&](const char* k) { return name == k; })) {
        out.replace(eq + 1, end - eq - 1, "***");
        end = eq + 4;
      }
    }
    if (end >= out.size() || out[end] != '&') break;
    pos = end + 1;
  }
  return out;
}

HttpClient::HttpClient(std::string provider, HttpOptions options, std::shared_ptr<TokenBucket> bucket,
                       std::vector<std::string> secrets)
    : provider_(std::move(provider)), options_(std::move(options)), bucket_(std::move(bucket)),
      secrets_(std::move(secrets)), curl_(provider_),
      sleep_([](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }) {
  std::erase_if(secrets_, [](const std::string& s) { return s.empty(); });
}

HttpClient::~HttpClient() = default;

std::string HttpClient::redact(std::string text) const {
  for (const auto& s : secrets_) text = net::replace_secret(std::move(text), s);
  return redact_url(text);
}

bool HttpClient::carries_secret(const std::string& url) const {
  return std::any_of(secrets_.begin(), secrets_.end(), [&](const std::string& s) {
    return url.find(s) != std::string::npos || url.find(url_encode_secret(s)) != std::string::npos;
  });
}

// Every hop — the first URL and each redirect target libcurl read from a Location — is read once,
// by libcurl's URL API (net::Url, inside guard.check): the host and port that are checked and
// listed, and compared with the key's origins, are those the guard then hands to libcurl.
void HttpClient::check_hop(const std::string& url, const std::string& first_url, net::OutboundGuard& guard) {
  try {
    guard.check(url);
  } catch (const Error& e) {
    const std::string from = url == first_url ? "" : " (a redirect from " + net::url_host(first_url) + ")";
    throw Error(e.code(), redact(provider_ + ": " + e.what() + from));
  }
  const bool secret = carries_secret(url);
  if (secret && options_.secret_origins && !net::origin_allowed(*options_.secret_origins, url)) {
    const Error e = net::key_not_bound(options_.key_name.empty() ? provider_ : options_.key_name, url,
                                       *options_.secret_origins);
    guard.refuse(Error(e.code(), redact(provider_ + ": " + e.what())));
  }
  if (secret && url != first_url && net::normalize_origin(url) != net::normalize_origin(first_url) &&
      !options_.secret_origins) {
    guard.refuse(Error::forbidden(redact(provider_ + ": " + std::string(net::kKeyNotBound) + ": redirected from " +
                                         net::url_host(first_url) + " to " + net::url_host(url) +
                                         " with the API key in the new address")));
  }
}

HttpResponse HttpClient::get(const std::string& first_url) {
  net::OutboundGuard guard(options_.outbound);
  std::string url = first_url;
  check_hop(url, first_url, guard);
  int hops = 0;
  net::Retries retries({.max_attempts = options_.max_attempts,
                        .backoff_initial_ms = options_.backoff_initial_ms,
                        .backoff_max_ms = options_.backoff_max_ms,
                        .retry_after_max_ms = options_.retry_after_max_ms},
                       sleep_, stats_.waited_ms, options_.clock ? *options_.clock : system_clock_source());
  for (int attempt = 1;; ++attempt) {
    const std::string shown = redact(url);
    if (bucket_) stats_.waited_ms += std::chrono::duration<double, std::milli>(bucket_->acquire()).count();
    Transfer t;
    t.max_bytes = options_.max_body_bytes;
    char errbuf[CURL_ERROR_SIZE] = {0};
    CURL* c = static_cast<CURL*>(curl_.prepare({.url = url,
                                                .connect_timeout_ms = options_.connect_timeout_ms,
                                                .total_timeout_ms = options_.total_timeout_ms,
                                                .user_agent = options_.user_agent,
                                                .accept_encoding = options_.accept_encoding},
                                               t.headers));
    // Redirects are followed below, one checked hop at a time.
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    guard.arm(c);
    ++stats_.requests;
    if (attempt > 1) ++stats_.retries;
    const CURLcode rc = curl_easy_perform(c);
    stats_.bytes += t.body.size();
    if (rc != CURLE_OK) {
      if (guard.refusal()) guard.refuse(Error(guard.refusal()->code(), redact(provider_ + ": " + guard.refusal()->what())));
      const std::string why = errbuf[0] ? std::string(errbuf) : curl_easy_strerror(rc);
      if (t.too_large) {
        throw Error::internal(
            fmt::format("{}: response of {} exceeds {} bytes", provider_, shown, options_.max_body_bytes));
      }
      if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY ||
          (rc == CURLE_COULDNT_CONNECT && attempt == retries.attempts())) {
        throw Error::internal(redact(provider_ + ": cannot reach " + net::url_host(url) + " (" + why +
                                     "): no network? `--offline` reads the cache instead"));
      }
      if (!transient(rc)) throw Error::internal(redact(provider_ + ": request to " + shown + " failed: " + why));
      retries.failed(ErrorCode::kInternal,
                     provider_ + (rc == CURLE_PARTIAL_FILE ? ": truncated response from " : ": request to ") +
                         shown + " (" + why + ")");
    } else {
      HttpResponse r;
      curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
      r.retry_after = t.headers.retry_after;
      r.content_type = t.headers.content_type;
      if (r.status >= 200 && r.status < 300) {
        r.body = std::move(t.body);
        return r;
      }
      char* location = nullptr;
      if (r.status >= 300 && r.status < 400 && curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
          location != nullptr) {
        if (++hops > options_.max_redirects) {
          throw Error::internal(redact(fmt::format("{}: more than {} redirects from {}", provider_,
                                                   options_.max_redirects, redact(first_url))));
        }
        const std::string next = location;
        check_hop(next, first_url, guard);
        url = next;
        --attempt;  // a redirect is not a failed attempt
        continue;
      }
      std::string snippet = t.body.substr(0, 200);
      for (char& ch : snippet) {
        if (ch == '\n' || ch == '\r' || static_cast<unsigned char>(ch) < 0x20) ch = ' ';
      }
      const std::string what = redact(fmt::format("{}: HTTP {} from {}{}", provider_, r.status, shown,
                                                  snippet.empty() ? "" : ": " + snippet));
      if (r.status == 404) throw Error::not_found(what);
      if (r.status == 401 || r.status == 403) {
        throw Error(ErrorCode::kUnauthorized, what + " (is the API key right?)");
      }
      if (!net::retryable_status(r.status)) throw Error::invalid_input(what);
      if (!retries.answer_failed(r.status, what, r.retry_after)) {
        throw Error(ErrorCode::kRateLimited,
                    what + net::retry_after_over_cap(*r.retry_after, options_.retry_after_max_ms));
      }
    }
    if (!retries.wait_before_next(attempt)) {
      throw retries.gave_up([this](std::string text) { return redact(std::move(text)); });
    }
  }
}

}  // namespace keel::marketdata
