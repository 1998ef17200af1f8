// HttpClient over libcurl: rate limit, timeouts, retries with backoff, Retry-After, redaction.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <mutex>
#include <thread>

#include "keel/core/error.h"
#include "keel/marketdata/http.h"
#include "keel/core/strings.h"

namespace keel::marketdata {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  std::string body;
  std::optional<std::string> retry_after;
  std::string content_type;
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

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    const std::string name = to_lower(line.substr(0, colon));
    if (name == "retry-after") t->retry_after = trim(line.substr(colon + 1));
    if (name == "content-type") t->content_type = trim(line.substr(colon + 1));
  } else if (line.rfind("HTTP/", 0) == 0) {
    // A new response (after a redirect or 100-continue): forget the previous one's headers.
    t->retry_after.reset();
    t->content_type.clear();
  }
  return size * n;
}

std::string host_of(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  const auto end = url.find_first_of("/?#", start);
  std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (const auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);  // no userinfo
  return host;
}

bool transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_BAD_CONTENT_ENCODING:
      return true;
    default:
      return false;
  }
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
    std::size_t amp = out.find('&', pos);
    if (amp == std::string::npos) amp = out.size();
    const std::size_t eq = out.find('=', pos);
    if (eq != std::string::npos && eq < amp) {
      const std::string name = to_lower(out.substr(pos, eq - pos));
      if (std::any_of(std::begin(kKeys), std::end(kKeys), [&](const char* k) { return name == k; })) {
        out.replace(eq + 1, amp - eq - 1, "***");
        amp = eq + 4;
      }
    }
    pos = amp + 1;
  }
  return out;
}

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value) {
  const std::string v = trim(value);
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (v.size() > 9) return std::chrono::milliseconds(std::chrono::hours(24 * 365));
    return std::chrono::milliseconds(std::stoll(v) * 1000);
  }
  const time_t when = curl_getdate(v.c_str(), nullptr);  // RFC 7231 IMF-fixdate and the obsolete forms
  if (when < 0) return std::nullopt;
  const time_t now = std::time(nullptr);
  return std::chrono::milliseconds(when > now ? (when - now) * 1000 : 0);
}

HttpClient::HttpClient(std::string provider, HttpOptions options, std::shared_ptr<TokenBucket> bucket,
                       std::vector<std::string> secrets)
    : provider_(std::move(provider)), options_(std::move(options)), bucket_(std::move(bucket)),
      secrets_(std::move(secrets)), sleep_([](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }) {
  global_init();
  std::erase_if(secrets_, [](const std::string& s) { return s.empty(); });
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw Error::internal(provider_ + ": cannot initialise libcurl");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

std::string HttpClient::redact(std::string text) const {
  for (const auto& s : secrets_) {
    for (std::size_t p = text.find(s); p != std::string::npos; p = text.find(s, p + 3)) text.replace(p, s.size(), "***");
  }
  return redact_url(text);
}

HttpResponse HttpClient::get(const std::string& url) {
  CURL* c = static_cast<CURL*>(curl_);
  const std::string shown = redact(url);
  long backoff_ms = options_.backoff_initial_ms;
  std::string last_problem;
  ErrorCode last_code = ErrorCode::kInternal;
  for (int attempt = 1; attempt <= std::max(1, options_.max_attempts); ++attempt) {
    if (bucket_) stats_.waited_ms += std::chrono::duration<double, std::milli>(bucket_->acquire()).count();
    Transfer t;
    t.max_bytes = options_.max_body_bytes;
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, options_.total_timeout_ms);
    curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, options_.accept_encoding.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    ++stats_.requests;
    if (attempt > 1) ++stats_.retries;
    const CURLcode rc = curl_easy_perform(c);
    stats_.bytes += t.body.size();
    std::optional<std::chrono::milliseconds> wait;
    if (rc != CURLE_OK) {
      const std::string why = errbuf[0] ? std::string(errbuf) : curl_easy_strerror(rc);
      if (t.too_large) {
        throw Error::internal(provider_ + ": response of " + shown + " exceeds " +
                              std::to_string(options_.max_body_bytes) + " bytes");
      }
      if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY ||
          (rc == CURLE_COULDNT_CONNECT && attempt == options_.max_attempts)) {
        throw Error::internal(redact(provider_ + ": cannot reach " + host_of(url) + " (" + why +
                                     "): no network? `--offline` reads the cache instead"));
      }
      if (!transient(rc)) throw Error::internal(redact(provider_ + ": request to " + shown + " failed: " + why));
      last_problem = provider_ + (rc == CURLE_PARTIAL_FILE ? ": truncated response from " : ": request to ") + shown +
                     " (" + why + ")";
      last_code = ErrorCode::kInternal;
    } else {
      HttpResponse r;
      curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
      r.retry_after = t.retry_after;
      r.content_type = t.content_type;
      if (r.status >= 200 && r.status < 300) {
        r.body = std::move(t.body);
        return r;
      }
      std::string snippet = t.body.substr(0, 200);
      for (char& ch : snippet) {
        if (ch == '\n' || ch == '\r' || static_cast<unsigned char>(ch) < 0x20) ch = ' ';
      }
      const std::string what = redact(provider_ + ": HTTP " + std::to_string(r.status) + " from " + shown +
                                      (snippet.empty() ? "" : ": " + snippet));
      if (r.status == 404) throw Error::not_found(what);
      if (r.status == 401 || r.status == 403) {
        throw Error(ErrorCode::kUnauthorized, what + " (is the API key right?)");
      }
      if (r.status != 429 && r.status < 500) throw Error::invalid_input(what);
      last_problem = what;
      last_code = r.status == 429 ? ErrorCode::kRateLimited : ErrorCode::kInternal;
      if (r.retry_after) {
        wait = parse_retry_after(*r.retry_after);
        if (wait && wait->count() > options_.retry_after_max_ms) {
          throw Error(ErrorCode::kRateLimited, what + " (Retry-After " + *r.retry_after + " s is over the " +
                                                   std::to_string(options_.retry_after_max_ms / 1000) + " s cap)");
        }
      }
    }
    if (attempt == options_.max_attempts) break;
    const auto delay = wait ? *wait : std::chrono::milliseconds(backoff_ms);
    stats_.waited_ms += static_cast<double>(delay.count());
    sleep_(delay);
    backoff_ms = std::min(options_.backoff_max_ms, backoff_ms * 2);
  }
  throw Error(last_code, redact(last_problem + " (gave up after " + std::to_string(options_.max_attempts) + " attempts)"));
}

}  // namespace keel::marketdata
