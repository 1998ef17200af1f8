// tests/support/fake_llm.h: a loopback LLM provider for the tests — a cpp-httplib server speaking
// the OpenAI chat-completions format (POST /v1/chat/completions) and the Anthropic Messages format
// (POST /v1/messages) as their public documentation describes them: server-sent events with
// chat.completion.chunk deltas (content, tool_calls with their arguments in fragments,
// finish_reason, a usage chunk, "data: [DONE]"), or message_start / content_block_start /
// content_block_delta (text_delta, input_json_delta) / content_block_stop / message_delta /
// message_stop events with pings between; error bodies {"error": {...}}; 429 with Retry-After.
// The client under test is keel's production client with only its base URL pointed here.
//
// Each request is answered by the next scripted answer (push), else by the fallback script
// (otherwise): a function of the request, so a test can play an agent that asks for tools and then
// answers from their results. Every request's headers and body are kept, to check what left the
// machine (no key where it must not be, no symbol or amount when redacting).
//
// Thread-safety: the server answers on its own threads; push/requests lock.
#pragma once

#include <httplib.h>
#ifdef _res
#undef _res
#endif

#include <chrono>
#include <deque>
#include <map>
#include <tuple>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace keel::testing {

struct LlmRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;  // the query's parameters
  std::string body;
  nlohmann::json json;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          })) {
        return v;
      }
    }
    return "";
  }
  // The tool results the request carries (both formats): {tool_call_id: content text}.
  std::vector<std::pair<std::string, std::string>> tool_results() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& m : json.value("messages", nlohmann::json::array())) {
      if (m.value("role", "") == "tool")
        out.emplace_back(m.value("tool_call_id", ""), m.value("content", ""));
      if (m.value("role", "") == "user" && m["content"].is_array()) {
        for (const auto& b : m["content"]) {
          if (b.value("type", "") == "tool_result") {
            out.emplace_back(b.value("tool_use_id", ""), b["content"].is_string()
                                                             ? b["content"].get<std::string>()
                                                             : b["content"].dump());
          }
        }
      }
    }
    return out;
  }
};

struct FakeToolCall {
  std::string id;
  std::string name;
  nlohmann::json arguments;
};

class FakeLlm {
 public:
  using Script = std::function<void(const LlmRequest&, httplib::Response&)>;

  FakeLlm() {
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      LlmRequest r;
      r.method = req.method;
      r.path = req.path;
      for (const auto& [k, v] : req.params) r.params[k] = v;
      r.body = req.body;
      r.json = nlohmann::json::parse(req.body, nullptr, false);
      for (const auto& [k, v] : req.headers) r.headers.emplace_back(k, v);
      Script s;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(r);
        if (!queue_.empty()) {
          s = std::move(queue_.front());
          queue_.pop_front();
        } else {
          s = fallback_;
        }
      }
      if (s)
        s(r, res);
      else {
        res.status = 500;
        res.set_content(R"({"error":{"message":"no scripted answer","type":"server_error"}})",
                        "application/json");
      }
    };
    server_.Post("/v1/chat/completions", handler);
    server_.Post("/v1/messages", handler);
    server_.Get("/v1/models", handler);  // both formats' model listings
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeLlm() {
    server_.stop();
    thread_.join();
  }
  FakeLlm(const FakeLlm&) = delete;
  FakeLlm& operator=(const FakeLlm&) = delete;

  std::string openai_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  std::string anthropic_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

  void push(Script s) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(s));
  }
  void otherwise(Script s) {
    std::lock_guard lock(mutex_);
    fallback_ = std::move(s);
  }
  std::vector<LlmRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // Every byte that reached the provider: headers and bodies of every request.
  std::string all_bytes() {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& r : requests_) {
      out += r.path + "\n";
      for (const auto& [k, v] : r.headers) out += k + ": " + v + "\n";
      out += r.body + "\n";
    }
    return out;
  }

  // ---- answers ------------------------------------------------------------------------------

  // Streams `events` (each already a complete SSE event) as separate chunks.
  static void stream(httplib::Response& res, std::vector<std::string> events) {
    res.set_chunked_content_provider("text/event-stream", [events](std::size_t, httplib::DataSink& sink) {
      for (const auto& e : events) sink.write(e.data(), e.size());
      sink.done();
      return true;
    });
  }

  static std::string openai_chunk(const nlohmann::json& delta, const nlohmann::json& finish = nullptr,
                                  const std::string& model = "fake-gpt") {
    nlohmann::json c = {{"id", "chatcmpl-1"},
                        {"object", "chat.completion.chunk"},
                        {"created", 1700000000},
                        {"model", model},
                        {"choices", {{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}}}};
    return "data: " + c.dump() + "\n\n";
  }

  // An OpenAI answer: text in pieces, then tool calls with their arguments cut in fragments of
  // `fragment` bytes, a finish reason, a usage chunk and [DONE].
  static Script openai(std::vector<std::string> text, std::vector<FakeToolCall> calls = {},
                       int prompt_tokens = 100, int completion_tokens = 20, std::size_t fragment = 7) {
    return [=](const LlmRequest&, httplib::Response& res) {
      std::vector<std::string> ev;
      ev.push_back(openai_chunk({{"role", "assistant"}, {"content", ""}}));
      for (const auto& t : text) ev.push_back(openai_chunk({{"content", t}}));
      for (std::size_t i = 0; i < calls.size(); ++i) {
        const std::string args = calls[i].arguments.dump();
        ev.push_back(openai_chunk({{"tool_calls",
                                    {{{"index", i},
                                      {"id", calls[i].id},
                                      {"type", "function"},
                                      {"function", {{"name", calls[i].name}, {"arguments", ""}}}}}}}));
        for (std::size_t p = 0; p < args.size(); p += fragment) {
          ev.push_back(openai_chunk(
              {{"tool_calls", {{{"index", i}, {"function", {{"arguments", args.substr(p, fragment)}}}}}}}));
        }
      }
      ev.push_back(openai_chunk(nlohmann::json::object(), calls.empty() ? "stop" : "tool_calls"));
      nlohmann::json usage = {{"id", "chatcmpl-1"},
                              {"object", "chat.completion.chunk"},
                              {"created", 1700000000},
                              {"model", "fake-gpt"},
                              {"choices", nlohmann::json::array()},
                              {"usage",
                               {{"prompt_tokens", prompt_tokens},
                                {"completion_tokens", completion_tokens},
                                {"total_tokens", prompt_tokens + completion_tokens}}}};
      ev.push_back("data: " + usage.dump() + "\n\n");
      ev.push_back("data: [DONE]\n\n");
      stream(res, ev);
    };
  }

  static std::string anthropic_event(const std::string& type, const nlohmann::json& data) {
    return "event: " + type + "\ndata: " + data.dump() + "\n\n";
  }

  static Script anthropic(std::vector<std::string> text, std::vector<FakeToolCall> calls = {},
                          int input_tokens = 100, int output_tokens = 20, std::size_t fragment = 7) {
    return [=](const LlmRequest&, httplib::Response& res) {
      std::vector<std::string> ev;
      ev.push_back(anthropic_event("message_start",
                                   {{"type", "message_start"},
                                    {"message",
                                     {{"id", "msg_1"},
                                      {"type", "message"},
                                      {"role", "assistant"},
                                      {"content", nlohmann::json::array()},
                                      {"model", "claude-fake"},
                                      {"stop_reason", nullptr},
                                      {"stop_sequence", nullptr},
                                      {"usage", {{"input_tokens", input_tokens}, {"output_tokens", 1}}}}}}));
      int index = 0;
      if (!text.empty()) {
        ev.push_back(
            anthropic_event("content_block_start", {{"type", "content_block_start"},
                                                    {"index", index},
                                                    {"content_block", {{"type", "text"}, {"text", ""}}}}));
        ev.push_back(anthropic_event("ping", {{"type", "ping"}}));
        for (const auto& t : text) {
          ev.push_back(
              anthropic_event("content_block_delta", {{"type", "content_block_delta"},
                                                      {"index", index},
                                                      {"delta", {{"type", "text_delta"}, {"text", t}}}}));
        }
        ev.push_back(
            anthropic_event("content_block_stop", {{"type", "content_block_stop"}, {"index", index}}));
        ++index;
      }
      for (const auto& c : calls) {
        ev.push_back(anthropic_event(
            "content_block_start",
            {{"type", "content_block_start"},
             {"index", index},
             {"content_block",
              {{"type", "tool_use"}, {"id", c.id}, {"name", c.name}, {"input", nlohmann::json::object()}}}}));
        const std::string args = c.arguments.dump();
        for (std::size_t p = 0; p < args.size(); p += fragment) {
          ev.push_back(anthropic_event(
              "content_block_delta",
              {{"type", "content_block_delta"},
               {"index", index},
               {"delta", {{"type", "input_json_delta"}, {"partial_json", args.substr(p, fragment)}}}}));
        }
        ev.push_back(
            anthropic_event("content_block_stop", {{"type", "content_block_stop"}, {"index", index}}));
        ++index;
      }
      ev.push_back(anthropic_event(
          "message_delta",
          {{"type", "message_delta"},
           {"delta", {{"stop_reason", calls.empty() ? "end_turn" : "tool_use"}, {"stop_sequence", nullptr}}},
           {"usage", {{"output_tokens", output_tokens}}}}));
      ev.push_back(anthropic_event("message_stop", {{"type", "message_stop"}}));
      stream(res, ev);
    };
  }

  // An error answer with the format's error body; Retry-After when given.
  // A model listing in the OpenAI format (GET /v1/models; LM Studio answers the same): `ids` with
  // their created times (Unix seconds) and owners.
  static Script openai_models(std::vector<std::tuple<std::string, std::int64_t, std::string>> models) {
    return [models](const LlmRequest&, httplib::Response& res) {
      nlohmann::json data = nlohmann::json::array();
      for (const auto& [id, created, owner] : models) {
        data.push_back({{"id", id}, {"object", "model"}, {"created", created}, {"owned_by", owner}});
      }
      res.set_content(nlohmann::json{{"object", "list"}, {"data", data}}.dump(), "application/json");
    };
  }
  // One page of the Anthropic model listing (GET /v1/models?limit=&after_id=): `models` as (id,
  // display_name, created_at), has_more and first_id / last_id as the API documents them.
  static Script anthropic_models(std::vector<std::tuple<std::string, std::string, std::string>> models,
                                 bool has_more) {
    return [models, has_more](const LlmRequest&, httplib::Response& res) {
      nlohmann::json data = nlohmann::json::array();
      for (const auto& [id, name, created] : models) {
        data.push_back({{"type", "model"}, {"id", id}, {"display_name", name}, {"created_at", created}});
      }
      nlohmann::json page = {{"data", data}, {"has_more", has_more}};
      page["first_id"] = models.empty() ? nlohmann::json(nullptr) : nlohmann::json(std::get<0>(models.front()));
      page["last_id"] = models.empty() ? nlohmann::json(nullptr) : nlohmann::json(std::get<0>(models.back()));
      res.set_content(page.dump(), "application/json");
    };
  }

  static Script error(int status, const std::string& message, const std::string& retry_after = "") {
    return [=](const LlmRequest& r, httplib::Response& res) {
      res.status = status;
      if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
      nlohmann::json body;
      if (r.path == "/v1/messages") {
        body = {
            {"type", "error"},
            {"error", {{"type", status == 429 ? "rate_limit_error" : "api_error"}, {"message", message}}}};
      } else {
        body = {{"error",
                 {{"message", message},
                  {"type", status == 429 ? "rate_limit_exceeded" : "server_error"},
                  {"code", nullptr}}}};
      }
      res.set_content(body.dump(), "application/json");
    };
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::deque<Script> queue_;
  Script fallback_;
  std::vector<LlmRequest> requests_;
};

}  // namespace keel::testing
