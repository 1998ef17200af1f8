// keel/llm/chat.h: a chat with a large language model, whatever the provider, with tool calling.
//
// The assistant (keel/service/assistant_ask.h) talks to every provider through Provider::chat: a
// conversation (system text, user / assistant / tool messages), the tools the model may call
// (name, description, JSON Schema of the arguments) and the model's answer — text, tool calls,
// why it stopped, and the tokens it counted with their cost. Two wire formats implement it
// (keel/llm/wire.h): the OpenAI chat-completions format (OpenAI, OpenRouter, LM Studio, Ollama
// and any server that speaks it, through a base URL) and the Anthropic Messages format. Both
// stream: text arrives through the on_text callback as the provider sends it.
//
// The HTTP side (src/llm/provider.cpp, libcurl through keel/net/http_client.h): connect, idle and
// total timeouts; retries with exponential backoff on 429 and 5xx answers and on transport failures
// before the first byte of an answer, honouring Retry-After; a clear keel::Error otherwise. The API key is sent in the header
// the format names and is scrubbed from every message the client produces; it is never written to
// any log (the client writes none).
//
// Thread-safety: a Provider is used by one thread at a time (it owns a curl handle); make one per
// conversation. ChatRequest / ChatResponse are plain values.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/net/http_client.h"
#include "keel/net/outbound.h"

namespace keel::llm {

// A tool call the model asked for: `arguments` is a JSON object.
struct ToolCall {
  std::string id;  // the provider's id, echoed in the tool's result message
  std::string name;
  nlohmann::json arguments = nlohmann::json::object();
};

enum class Role { kUser, kAssistant, kTool };

struct Message {
  Role role = Role::kUser;
  std::string text;                  // user / assistant text, or the tool's result (JSON text)
  std::vector<ToolCall> tool_calls;  // assistant: the calls it made
  std::string tool_call_id;          // tool: the call this answers
  std::string tool_name;             // tool: its name (Anthropic does not need it; kept for transcripts)
  bool tool_error = false;           // tool: the call failed (text says why)
};

struct ToolSpec {
  std::string name;  // ^[a-zA-Z0-9_-]{1,64}$ (both formats' rule)
  std::string description;
  nlohmann::json input_schema = nlohmann::json::object();  // a JSON Schema of type object
};

struct ChatRequest {
  std::string system;
  std::vector<Message> messages;
  std::vector<ToolSpec> tools;
  int max_tokens = 2048;  // of the answer (Anthropic requires it; OpenAI's max_tokens)
  std::optional<double> temperature;
};

struct Usage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  // The provider did not say (some local servers): the counts are estimates, 4 bytes a token.
  bool estimated = false;
};

struct ChatResponse {
  std::string text;
  std::vector<ToolCall> tool_calls;
  std::string stop_reason;  // the provider's: stop / end_turn / tool_calls / tool_use / length / max_tokens
  std::string model;        // as the provider names it
  Usage usage;
  double cost_usd = 0.0;       // usage at the configured prices
  std::size_t bytes_sent = 0;  // the request body (the last attempt's)
  std::size_t bytes_received = 0;
  int attempts = 1;        // HTTP attempts (retries + 1)
  double waited_ms = 0.0;  // in backoff and Retry-After
};

enum class WireFormat { kOpenAi, kAnthropic };
// "openai" / "anthropic".
std::string_view wire_format_name(WireFormat f);
std::optional<WireFormat> parse_wire_format(std::string_view name);

struct ProviderConfig {
  WireFormat format = WireFormat::kOpenAi;
  std::string name;      // names the provider in messages ("openai", "lmstudio")
  std::string base_url;  // https://api.openai.com/v1, http://127.0.0.1:1234/v1, https://api.anthropic.com
  std::string model;
  std::string api_key;               // "" = none (local servers)
  double input_usd_per_mtok = 0.0;   // price of a million input tokens
  double output_usd_per_mtok = 0.0;  // price of a million output tokens
  long connect_timeout_ms = 10'000;
  long idle_timeout_ms = 120'000;   // no byte for this long: the attempt fails (a model thinking counts)
  long total_timeout_ms = 600'000;  // one attempt, whole
  int max_attempts = 4;
  long backoff_initial_ms = 1'000;  // doubled after each failed attempt
  long backoff_max_ms = 30'000;
  long retry_after_max_ms = 120'000;  // a longer Retry-After gives up (rate_limited)
  std::size_t max_response_bytes = 32u << 20;
  std::string user_agent = "keel-assistant/0.1";
  // Where requests may go (keel/net/outbound.h): `keel serve` enforces it; the keel command does not.
  net::OutboundPolicy outbound;
  // The origins api_key may be sent to (the vault key's binding); nullopt: anywhere. A request to
  // another origin is refused before it is made (net::kKeyNotBound), whatever base_url says.
  std::optional<std::vector<std::string>> key_origins;
  std::string key_name;  // the vault key's name, for the refusal's words
};

// A model a provider offers (GET /v1/models in the OpenAI format, LM Studio's included; GET
// /v1/models of the Anthropic API).
struct ModelInfo {
  std::string id;            // what a request's "model" names
  std::string display_name;  // Anthropic's display_name ("" when the provider gives none)
  std::string owned_by;      // OpenAI's owned_by ("" when none)
  std::string created_at;    // ISO-8601 UTC ("" when the provider does not say)
};

// Called with each piece of answer text as it arrives.
using TextFn = std::function<void(std::string_view text)>;
// Polled while waiting: true cancels the request (keel::Error internal "cancelled").
using CancelFn = std::function<bool()>;

class Provider {
 public:
  virtual ~Provider() = default;
  // Sends the conversation and returns the model's answer. Throws keel::Error: unauthorized (401,
  // 403: the key), rate_limited (429 after the last attempt, or a Retry-After over the cap),
  // invalid_input (another 4xx: the provider's message), internal (5xx after the last attempt, a
  // transport failure, a stream the format does not allow), forbidden before anything is sent when
  // the outbound policy refuses the destination or the key is not bound to its origin. Messages
  // name the provider and its host, never the key. Redirects are not followed.
  virtual ChatResponse chat(const ChatRequest& request, const TextFn& on_text,
                            const CancelFn& cancelled = {}) = 0;
  // The models the provider offers, in the order it lists them: one GET of {base_url}/models
  // (OpenAI format) or of /v1/models with x-api-key and anthropic-version (Anthropic; its pages
  // followed with after_id while has_more, at most 50 pages). The same outbound checks, key
  // binding, errors and retries as chat; the key never appears in a message.
  virtual std::vector<ModelInfo> list_models(const CancelFn& cancelled = {}) = 0;
  virtual const ProviderConfig& config() const = 0;
  // Test hook: how to wait between attempts (default std::this_thread::sleep_for).
  virtual void set_sleeper(std::function<void(std::chrono::milliseconds)> sleeper) = 0;
};

// The provider of `config.format`. Throws keel::Error(invalid_input) for a base URL that is not
// http:// or https://.
std::unique_ptr<Provider> make_provider(ProviderConfig config);

// The host (and port) of a URL, without user information ("api.openai.com", "127.0.0.1:1234").
using net::url_host;
// True when the URL's host is this machine or a private network: localhost, 127.0.0.0/8, ::1,
// 10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7, fe80::/10, or a name ending in ".local" —
// written literally in the URL as libcurl reads it (names are not resolved); false for a URL
// net::Url::parse refuses.
bool is_local_url(std::string_view url);

// `text` as valid UTF-8 without control characters (each shown as \xNN), at most `max_bytes`
// bytes followed by "..." when cut: outside bytes quoted in a message.
std::string clean_text(std::string_view text, std::size_t max_bytes = 300);

}  // namespace keel::llm
