// The parts of keel/net/http_client.h: libcurl's handle and header callback, Retry-After, the
// retry schedule.
#include "keel/net/http_client.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "keel/core/strings.h"
#include "keel/net/outbound.h"
#include "keel/net/url.h"

namespace keel::net {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Header values come with spaces around them and the line's CRLF (core's trim strips only spaces
// and tabs).
constexpr bool http_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string trim_http(std::string_view s) {
  while (!s.empty() && http_space(s.back())) s.remove_suffix(1);
  while (!s.empty() && http_space(s.front())) s.remove_prefix(1);
  return std::string(s);
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, const Clock& clock) {
  const std::string v = trim_http(value);
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (v.size() > 9) return std::chrono::milliseconds(std::chrono::hours(24 * 365));
    return std::chrono::milliseconds(std::stoll(v) * 1000);
  }
  const time_t when = curl_getdate(v.c_str(), nullptr);  // RFC 7231 IMF-fixdate and the obsolete forms
  if (when < 0) return std::nullopt;
  const time_t now = static_cast<time_t>(clock.unix_seconds());
  return std::chrono::milliseconds(when > now ? (when - now) * 1000 : 0);
}

void ResponseHeaders::read_line(std::string_view line) {
  if (line.starts_with("HTTP/")) {
    // A new response (after 100-continue or a redirect): forget the previous one's headers.
    retry_after.reset();
    content_type.clear();
    const auto sp = line.find(' ');
    status = sp == std::string_view::npos ? 0 : std::atol(std::string(line.substr(sp + 1)).c_str());
    return;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return;
  const std::string_view name = line.substr(0, colon);
  if (iequals(name, "retry-after")) retry_after = trim_http(line.substr(colon + 1));
  if (iequals(name, "content-type")) content_type = trim_http(line.substr(colon + 1));
}

std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* headers) {
  static_cast<ResponseHeaders*>(headers)->read_line(std::string_view(data, size * count));
  return size * count;
}

bool transient_transport_failure(int curl_code) {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      return true;
    default:
      return false;
  }
}

bool retryable_status(long status) {
  return status == 429 || status >= 500;
}

CurlHandle::CurlHandle(const std::string& who) {
  global_init();
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw Error::internal(who + ": cannot initialise libcurl");
}

CurlHandle::~CurlHandle() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void* CurlHandle::prepare(const RequestBasics& basics, ResponseHeaders& headers) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  headers = ResponseHeaders{};
  // libcurl copies string options: the temporaries may go.
  curl_easy_setopt(c, CURLOPT_URL, std::string(basics.url).c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, basics.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, basics.total_timeout_ms);
  curl_easy_setopt(c, CURLOPT_USERAGENT, std::string(basics.user_agent).c_str());
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, std::string(basics.accept_encoding).c_str());
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &headers);
  return c;
}

Retries::Retries(const RetryPolicy& policy, Sleeper sleep, double& waited_ms, const Clock& clock)
    : policy_(policy),
      attempts_(std::max(1, policy.max_attempts)),
      sleep_(std::move(sleep)),
      waited_ms_(waited_ms),
      clock_(clock),
      backoff_ms_(policy.backoff_initial_ms) {}

void Retries::failed(ErrorCode code, std::string message) {
  last_code_ = code;
  last_message_ = std::move(message);
  next_wait_.reset();
}

bool Retries::answer_failed(long status, std::string message, const std::optional<std::string>& retry_after) {
  std::optional<std::chrono::milliseconds> wait;
  if (retry_after) {
    wait = parse_retry_after(*retry_after, clock_);
    if (wait && wait->count() > policy_.retry_after_max_ms) return false;
  }
  failed(status == 429 ? ErrorCode::kRateLimited : ErrorCode::kInternal, std::move(message));
  next_wait_ = wait;
  return true;
}

bool Retries::wait_before_next(int attempt) {
  if (attempt >= attempts_) return false;
  const auto delay = next_wait_ ? *next_wait_ : std::chrono::milliseconds(backoff_ms_);
  next_wait_.reset();
  waited_ms_ += static_cast<double>(delay.count());
  sleep_(delay);
  backoff_ms_ = std::min(policy_.backoff_max_ms, backoff_ms_ * 2);
  return true;
}

Error Retries::gave_up(const std::function<std::string(std::string)>& clean) const {
  std::string message = fmt::format("{} (gave up after {} attempts)", last_message_, attempts_);
  return Error(last_code_, clean ? clean(std::move(message)) : std::move(message));
}

std::string retry_after_over_cap(std::string_view retry_after, long cap_ms) {
  constexpr std::size_t kShown = 40;
  std::string shown(retry_after.substr(0, kShown));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  if (retry_after.size() > kShown) shown += "...";
  const bool seconds =
      !retry_after.empty() && std::all_of(retry_after.begin(), retry_after.end(), [](char c) { return c >= '0' && c <= '9'; });
  return fmt::format(" (Retry-After {}{} is over the {} s cap)", shown, seconds ? " s" : "", cap_ms / 1000);
}

std::string url_host(std::string_view url) {
  return url_host_for_display(url);
}

std::string replace_secret(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (std::size_t p = text.find(secret); p != std::string::npos; p = text.find(secret, p + 3))
    text.replace(p, secret.size(), "***");
  return text;
}

namespace {

struct BoundedBody {
  std::string* out;
  std::size_t max;
};

std::size_t collect_bounded(char* data, std::size_t size, std::size_t count, void* sink) {
  auto* b = static_cast<BoundedBody*>(sink);
  const std::size_t n = size * count;
  if (b->max == 0) return n;                     // not kept
  if (b->out->size() + n > b->max) return 0;      // over the bound: the transfer fails
  b->out->append(data, n);
  return n;
}

}  // namespace

PlainAnswer send_plain(const PlainRequest& request, OutboundGuard* guard) {
  PlainAnswer answer;
  if (guard) {
    try {
      guard->check(request.url);
    } catch (const Error& e) {
      answer.failure = e.what();
      return answer;
    }
  }
  CurlHandle handle(std::string(request.user_agent));
  ResponseHeaders headers;
  CURL* curl = static_cast<CURL*>(handle.prepare({.url = request.url,
                                                  .connect_timeout_ms = request.timeout_ms,
                                                  .total_timeout_ms = request.timeout_ms,
                                                  .user_agent = request.user_agent,
                                                  .accept_encoding = ""},
                                                 headers));
  if (guard) guard->arm(curl);
  BoundedBody sink{&answer.body, request.max_body_bytes};
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_bounded);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_slist* list = nullptr;
  for (const auto& [name, value] : request.headers) list = curl_slist_append(list, (name + ": " + value).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  if (request.body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body->size()));
  }
  const std::string credentials(request.basic_auth);
  if (!credentials.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERPWD, credentials.c_str());
  }
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(list);
  if (rc != CURLE_OK) {
    answer.failure = guard && guard->refusal() ? guard->refusal()->what() : curl_easy_strerror(rc);
    answer.body.clear();
    return answer;
  }
  answer.status = headers.status;
  return answer;
}

}  // namespace keel::net
