// keel/llm/wire.h: the two wire formats of keel/llm/chat.h, as bytes in and out — everything the
// providers send is outside input, read here under bounds.
//
//   SseParser          server-sent events (the WHATWG "text/event-stream" rules: lines ended by
//                      LF, CRLF or CR; "event:", "data:" (joined by LF), "id:", comments ":...";
//                      an empty line dispatches), fed in pieces of any size;
//   OpenAiStream       the OpenAI chat-completions stream: "data: {chat.completion.chunk}" events,
//                      choices[0].delta.content text, delta.tool_calls[i] (id, function.name,
//                      function.arguments in fragments), finish_reason, a usage chunk
//                      (stream_options.include_usage), "data: [DONE]"; an {"error": ...} chunk;
//   AnthropicStream    the Anthropic Messages stream: message_start (input tokens),
//                      content_block_start (text, or tool_use id and name), content_block_delta
//                      (text_delta, input_json_delta fragments), content_block_stop,
//                      message_delta (stop_reason, output tokens), message_stop, ping, error;
//   parse_*_response   the same formats answered whole (a server that does not stream);
//   *_request_body     the request bodies.
//
// Every refusal is a keel::Error(internal) whose message names the provider's fault and quotes at
// most a few hundred bytes of what it sent, as clean UTF-8. Bounds: an event's data 8 MiB, a
// line 8 MiB, 256 tool calls, 4 MiB of arguments per call; past them the stream is refused.
//
// Thread-safety: each object is used by one thread.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "keel/llm/chat.h"

namespace keel::llm {

inline constexpr std::size_t kMaxEventBytes = 8u << 20;
inline constexpr std::size_t kMaxToolCalls = 256;
inline constexpr std::size_t kMaxArgumentBytes = 4u << 20;

struct SseEvent {
  std::string event;  // "" when the event named none ("message")
  std::string data;
  std::string id;
};

class SseParser {
 public:
  using EventFn = std::function<void(const SseEvent&)>;
  explicit SseParser(EventFn on_event) : on_event_(std::move(on_event)) {}
  // Feeds the next bytes of the stream (any split); calls on_event for each complete event.
  void feed(std::string_view bytes);
  // The stream ended: a last event without its blank line is dispatched (servers that close early).
  void finish();

 private:
  void line(std::string_view l);
  EventFn on_event_;
  std::string pending_;  // a line not yet ended
  bool last_was_cr_ = false;
  SseEvent current_;
  bool has_data_ = false;
};

class OpenAiStream {
 public:
  explicit OpenAiStream(TextFn on_text) : on_text_(std::move(on_text)) {}
  void on_event(const SseEvent& e);
  bool done() const { return done_; }
  // The answer so far; throws when the stream broke a rule (arguments that are not a JSON object).
  ChatResponse finish() const;

 private:
  void chunk(const nlohmann::json& j);
  struct Partial {
    std::string id, name, arguments;
  };
  TextFn on_text_;
  ChatResponse out_;
  std::map<std::size_t, Partial> calls_;
  bool usage_seen_ = false;
  bool done_ = false;
};

class AnthropicStream {
 public:
  explicit AnthropicStream(TextFn on_text) : on_text_(std::move(on_text)) {}
  void on_event(const SseEvent& e);
  bool done() const { return done_; }
  ChatResponse finish() const;

 private:
  struct Block {
    std::string type;  // text, tool_use, or another the client ignores (thinking)
    std::string id, name, json;
    nlohmann::json input;  // the start's input when no delta came
  };
  TextFn on_text_;
  ChatResponse out_;
  std::map<std::size_t, Block> blocks_;
  bool started_ = false;
  bool usage_seen_ = false;
  bool done_ = false;
};

// A whole (non-streamed) answer.
ChatResponse parse_openai_response(std::string_view body);
ChatResponse parse_anthropic_response(std::string_view body);

// A model listing: OpenAI's {"object":"list","data":[{"id","created" (Unix seconds),"owned_by"}]};
// Anthropic's {"data":[{"id","display_name","created_at"}],"has_more","last_id"} (`has_more` and
// `last_id` set from it). Throws keel::Error(internal) naming what is wrong for a body that is
// not such a listing (not JSON, no data array, an entry without a string id).
std::vector<ModelInfo> parse_openai_models(std::string_view body);
std::vector<ModelInfo> parse_anthropic_models(std::string_view body, bool* has_more = nullptr,
                                              std::string* last_id = nullptr);

// The provider's error message out of an error body ({"error":{"message"}} in both formats, or
// the text itself), cleaned and bounded.
std::string error_message_of(std::string_view body);

// The JSON request bodies (stream: true).
nlohmann::json openai_request_body(const ChatRequest& request, const std::string& model);
nlohmann::json anthropic_request_body(const ChatRequest& request, const std::string& model);

// Convenience for tests and the fuzz target: a whole stream through the parser and assembler.
ChatResponse parse_openai_stream(std::string_view bytes, const TextFn& on_text = {});
ChatResponse parse_anthropic_stream(std::string_view bytes, const TextFn& on_text = {});

}  // namespace keel::llm
