// The providers of keel/llm/chat.h over libcurl: one POST per attempt, the answer read as it
// arrives (server-sent events through keel/llm/wire.h), retries with backoff on 429 / 5xx and on
// transport failures before the first byte of an answer (the schedule, Retry-After and the
// response headers are keel/net/http_client.h's, shared with the market-data client).
#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include "json_text.h"
#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/llm/chat.h"
#include "keel/llm/wire.h"
#include "keel/net/http_client.h"
#include "keel/net/outbound.h"

namespace keel::llm {
namespace {

// One attempt's state, shared with libcurl's callbacks.
struct Attempt {
  net::ResponseHeaders headers;
  std::string error_body;  // a non-2xx answer, bounded
  std::string whole_body;  // a 2xx answer that is not an event stream
  std::size_t received = 0;
  std::size_t max_bytes = 0;
  bool too_large = false;
  bool streaming = false;  // a 2xx text/event-stream answer: bytes go to the parser
  bool cancelled = false;
  std::exception_ptr failure;  // thrown by the parser inside a callback
  SseParser* parser = nullptr;
  const CancelFn* cancel = nullptr;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* a = static_cast<Attempt*>(user);
  const std::size_t bytes = size * n;
  a->received += bytes;
  if (a->received > a->max_bytes) {
    a->too_large = true;
    return 0;
  }
  if (a->headers.status < 200 || a->headers.status >= 300) {
    if (a->error_body.size() < 65536)
      a->error_body.append(data, std::min(bytes, 65536 - a->error_body.size()));
    return bytes;
  }
  if (!a->streaming && to_lower(a->headers.content_type).find("text/event-stream") != std::string::npos) {
    a->streaming = true;
  }
  if (!a->streaming) {
    a->whole_body.append(data, bytes);
    return bytes;
  }
  try {
    a->parser->feed(std::string_view(data, bytes));
  } catch (...) {
    a->failure = std::current_exception();
    return 0;
  }
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* a = static_cast<Attempt*>(user);
  if (a->cancel && *a->cancel && (*a->cancel)()) {
    a->cancelled = true;
    return 1;
  }
  return 0;
}

// `text` with every byte but letters, digits and - . _ ~ as %XX (a query parameter's value).
std::string percent_encoded(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

class CurlProvider final : public Provider {
 public:
  explicit CurlProvider(ProviderConfig config)
      : config_(std::move(config)),
        curl_("provider " + config_.name),
        sleep_([](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }) {
    // Read as libcurl reads it (net::Url): an ambiguous base URL (a backslash or user-info in its
    // authority, ...) is refused before anything is sent.
    std::string why;
    if (!net::Url::parse(config_.base_url, &why)) {
      throw Error::invalid_input("provider " + config_.name + ": invalid base URL",
                                 {"base_url: " + why + " (expected http://HOST[:PORT]/PATH or https://...)"});
    }
    while (!config_.base_url.empty() && config_.base_url.back() == '/') config_.base_url.pop_back();
  }

  const ProviderConfig& config() const override { return config_; }
  void set_sleeper(std::function<void(std::chrono::milliseconds)> s) override { sleep_ = std::move(s); }

  std::vector<ModelInfo> list_models(const CancelFn& cancelled) override {
    try {
      const bool anthropic = config_.format == WireFormat::kAnthropic;
      const std::string& b = config_.base_url;
      const std::string base = anthropic ? (b.ends_with("/v1") ? b + "/models" : b + "/v1/models") : b + "/models";
      if (!anthropic) return parse_openai_models(get(base, cancelled));
      std::vector<ModelInfo> out;
      std::string after;
      for (int page = 0; page < 50; ++page) {
        bool more = false;
        std::string last;
        const std::string url = base + "?limit=1000" + (after.empty() ? "" : "&after_id=" + percent_encoded(after));
        auto models = parse_anthropic_models(get(url, cancelled), &more, &last);
        out.insert(out.end(), std::make_move_iterator(models.begin()), std::make_move_iterator(models.end()));
        if (!more || last.empty() || last == after) break;
        after = last;
      }
      return out;
    } catch (const Error& e) {
      std::vector<std::string> details;
      for (const auto& d : e.details()) details.push_back(scrub(d));
      throw Error(e.code(), scrub(e.what()), std::move(details));
    }
  }

  // Every error of an attempt (the provider's words in a stream included) with the key scrubbed.
  ChatResponse chat(const ChatRequest& request, const TextFn& on_text, const CancelFn& cancelled) override {
    try {
      return chat_unscrubbed(request, on_text, cancelled);
    } catch (const Error& e) {
      std::vector<std::string> details;
      for (const auto& d : e.details()) details.push_back(scrub(d));
      throw Error(e.code(), scrub(e.what()), std::move(details));
    }
  }

 private:
  ChatResponse chat_unscrubbed(const ChatRequest& request, const TextFn& on_text, const CancelFn& cancelled) {
    const bool anthropic = config_.format == WireFormat::kAnthropic;
    const std::string body = (anthropic ? anthropic_request_body(request, config_.model)
                                        : openai_request_body(request, config_.model))
                                 .dump();
    const std::string url = endpoint();
    const std::string where = this->where();
    net::OutboundGuard guard(config_.outbound);
    check_destination(guard, url);
    double waited = 0.0;
    net::Retries retries(retry_policy(), sleep_, waited);
    for (int attempt = 1;; ++attempt) {
      Attempt a;
      bool delivered = false;
      a.max_bytes = config_.max_response_bytes;
      a.cancel = &cancelled;
      // Text that reached the caller makes the attempt unrepeatable.
      OpenAiStream openai_w([&](std::string_view t) {
        delivered = true;
        if (on_text) on_text(t);
      });
      AnthropicStream anth_w([&](std::string_view t) {
        delivered = true;
        if (on_text) on_text(t);
      });
      SseParser parser_w([&](const SseEvent& e) {
        if (anthropic)
          anth_w.on_event(e);
        else
          openai_w.on_event(e);
      });
      a.parser = &parser_w;
      const CURLcode rc = perform(url, &body, a, guard);
      if (rc != CURLE_OK && guard.refusal()) guard.refuse(Error(guard.refusal()->code(), where + ": " + guard.refusal()->what()));
      if (a.failure) std::rethrow_exception(a.failure);
      if (a.cancelled) throw Error::internal(where + ": cancelled");
      if (rc != CURLE_OK) {
        const std::string why = curl_easy_strerror(rc);
        if (a.too_large) {
          throw Error::internal(
              fmt::format("{}: an answer of more than {} bytes", where, config_.max_response_bytes));
        }
        if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY) {
          throw Error::internal(scrub(where + ": cannot resolve the host (" + why + ")"));
        }
        if (delivered) {
          throw Error::internal(scrub(where + ": the answer broke off (" + why + ")"));
        }
        if (!net::transient_transport_failure(rc)) {
          throw Error::internal(scrub(where + ": request failed: " + why));
        }
        retries.failed(ErrorCode::kInternal,
                       where + ": " + (rc == CURLE_OPERATION_TIMEDOUT ? "timed out" : why));
      } else if (a.headers.status >= 200 && a.headers.status < 300) {
        ChatResponse out;
        if (a.streaming) {
          parser_w.finish();
          out = anthropic ? anth_w.finish() : openai_w.finish();
        } else {
          out = anthropic ? parse_anthropic_response(a.whole_body) : parse_openai_response(a.whole_body);
          if (on_text && !out.text.empty()) on_text(out.text);
        }
        if (out.model.empty()) out.model = config_.model;
        if (out.usage.estimated) {
          // The stream said nothing of tokens: estimate the prompt from what was sent.
          out.usage.input_tokens = static_cast<std::int64_t>((body.size() + 3) / 4);
        }
        out.cost_usd = (static_cast<double>(out.usage.input_tokens) * config_.input_usd_per_mtok +
                        static_cast<double>(out.usage.output_tokens) * config_.output_usd_per_mtok) /
                       1e6;
        out.bytes_sent = body.size();
        out.bytes_received = a.received;
        out.attempts = attempt;
        out.waited_ms = waited;
        return out;
      } else {
        const long status = a.headers.status;
        const std::string what =
            scrub(fmt::format("{}: HTTP {}: {}", where, status, error_message_of(a.error_body)));
        if (status == 401 || status == 403) {
          throw Error(ErrorCode::kUnauthorized, what + " (is the API key right? keel keys set NAME)");
        }
        if (status >= 300 && status < 400) {
          throw Error::invalid_input(what + " (a redirect: keel does not follow it, so that the request and its key "
                                            "go nowhere but the provider's base URL)");
        }
        if (!net::retryable_status(status)) throw Error::invalid_input(what);
        if (!retries.answer_failed(status, what, a.headers.retry_after)) {
          throw Error(ErrorCode::kRateLimited,
                      what + net::retry_after_over_cap(*a.headers.retry_after, config_.retry_after_max_ms));
        }
      }
      if (!retries.wait_before_next(attempt)) {
        throw retries.gave_up([this](std::string text) { return scrub(std::move(text)); });
      }
    }
  }

  // chat's and get's retries on 429, 5xx and transport failures.
  net::RetryPolicy retry_policy() const {
    return {.max_attempts = config_.max_attempts,
            .backoff_initial_ms = std::max(1L, config_.backoff_initial_ms),
            .backoff_max_ms = config_.backoff_max_ms,
            .retry_after_max_ms = config_.retry_after_max_ms};
  }

  std::string where() const { return "provider " + config_.name + " (" + url_host(config_.base_url) + ")"; }

  // The outbound policy's and the key binding's refusals, before anything is sent.
  void check_destination(net::OutboundGuard& guard, const std::string& url) const {
    try {
      guard.check(url);
    } catch (const Error& e) {
      throw Error(e.code(), where() + ": " + e.what());
    }
    if (!config_.api_key.empty() && config_.key_origins && !net::origin_allowed(*config_.key_origins, url)) {
      const Error e = net::key_not_bound(config_.key_name.empty() ? config_.name : config_.key_name, url,
                                         *config_.key_origins);
      guard.refuse(Error(e.code(), where() + ": " + e.what()));
    }
  }

  // The body of a GET of `url` (a 2xx answer), with chat's retries on 429, 5xx and transport
  // failures; errors as chat's.
  std::string get(const std::string& url, const CancelFn& cancelled) {
    const std::string where = this->where();
    net::OutboundGuard guard(config_.outbound);
    check_destination(guard, url);
    double waited = 0.0;
    net::Retries retries(retry_policy(), sleep_, waited);
    for (int attempt = 1;; ++attempt) {
      Attempt a;
      a.max_bytes = config_.max_response_bytes;
      a.cancel = &cancelled;
      const CURLcode rc = perform(url, nullptr, a, guard);
      if (rc != CURLE_OK && guard.refusal()) guard.refuse(Error(guard.refusal()->code(), where + ": " + guard.refusal()->what()));
      if (a.cancelled) throw Error::internal(where + ": cancelled");
      if (rc != CURLE_OK) {
        const std::string why = curl_easy_strerror(rc);
        if (a.too_large) {
          throw Error::internal(fmt::format("{}: an answer of more than {} bytes", where, config_.max_response_bytes));
        }
        if (!net::transient_transport_failure(rc)) throw Error::internal(scrub(where + ": request failed: " + why));
        retries.failed(ErrorCode::kInternal, where + ": " + (rc == CURLE_OPERATION_TIMEDOUT ? "timed out" : why));
      } else if (a.headers.status >= 200 && a.headers.status < 300) {
        return a.whole_body;
      } else {
        const long status = a.headers.status;
        const std::string what = scrub(fmt::format("{}: HTTP {}: {}", where, status, error_message_of(a.error_body)));
        if (status == 401 || status == 403) {
          throw Error(ErrorCode::kUnauthorized, what + " (is the API key right? keel keys set NAME)");
        }
        if (status >= 300 && status < 400) {
          throw Error::invalid_input(what + " (a redirect: keel does not follow it)");
        }
        if (!net::retryable_status(status)) throw Error::invalid_input(what);
        if (!retries.answer_failed(status, what, a.headers.retry_after)) {
          throw Error(ErrorCode::kRateLimited,
                      what + net::retry_after_over_cap(*a.headers.retry_after, config_.retry_after_max_ms));
        }
      }
      if (!retries.wait_before_next(attempt)) {
        throw retries.gave_up([this](std::string text) { return scrub(std::move(text)); });
      }
    }
  }

  std::string endpoint() const {
    const std::string& b = config_.base_url;
    if (config_.format == WireFormat::kAnthropic)
      return b.ends_with("/v1") ? b + "/messages" : b + "/v1/messages";
    return b + "/chat/completions";
  }

  std::string scrub(std::string text) const {
    // A key of fewer than 4 bytes would turn common text into "***".
    return config_.api_key.size() >= 4 ? net::replace_secret(std::move(text), config_.api_key) : text;
  }

  // A POST of `body`, or a GET when it is null.
  CURLcode perform(const std::string& url, const std::string* body, Attempt& a, net::OutboundGuard& guard) {
    CURL* c = static_cast<CURL*>(curl_.prepare({.url = url,
                                                .connect_timeout_ms = config_.connect_timeout_ms,
                                                .total_timeout_ms = config_.total_timeout_ms,
                                                .user_agent = config_.user_agent,
                                                .accept_encoding = ""},
                                               a.headers));
    curl_slist* headers = nullptr;
    if (body) {
      headers = curl_slist_append(headers, "Content-Type: application/json");
      headers = curl_slist_append(headers, "Accept: text/event-stream, application/json");
    } else {
      headers = curl_slist_append(headers, "Accept: application/json");
    }
    std::string auth;
    if (config_.format == WireFormat::kAnthropic) {
      headers = curl_slist_append(headers, "anthropic-version: 2023-06-01");
      if (!config_.api_key.empty()) auth = "x-api-key: " + config_.api_key;
    } else if (!config_.api_key.empty()) {
      auth = "Authorization: Bearer " + config_.api_key;
    }
    if (!auth.empty()) headers = curl_slist_append(headers, auth.c_str());
    if (body) {
      curl_easy_setopt(c, CURLOPT_POST, 1L);
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    } else {
      curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect would resend the key elsewhere
    guard.arm(c);
    // No byte for idle_timeout: the transfer is below 1 byte/s for that long.
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, std::max(1L, config_.idle_timeout_ms / 1000));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &a);
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    // The header list held the key: wipe our copy.
    std::fill(auth.begin(), auth.end(), '\0');
    return rc;
  }

  ProviderConfig config_;
  net::CurlHandle curl_;
  std::function<void(std::chrono::milliseconds)> sleep_;
};

}  // namespace

std::unique_ptr<Provider> make_provider(ProviderConfig config) {
  return std::make_unique<CurlProvider>(std::move(config));
}

}  // namespace keel::llm
