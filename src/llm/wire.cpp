// The OpenAI chat-completions and Anthropic Messages wire formats (keel/llm/wire.h).
#include "keel/llm/wire.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "json_text.h"
#include "keel/core/env.h"
#include "keel/core/error.h"

namespace keel::llm {
namespace {

[[noreturn]] void refuse(std::string_view format, const std::string& what) {
  throw Error::internal(std::string(format) + " stream: " + what);
}

const nlohmann::json* member(const nlohmann::json& j, const char* name) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(name);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string string_member(const nlohmann::json& j, const char* name) {
  const auto* m = member(j, name);
  return m && m->is_string() ? m->get<std::string>() : std::string();
}

std::int64_t count_member(const nlohmann::json& j, const char* name) {
  const auto* m = member(j, name);
  if (!m || !m->is_number()) return 0;
  const double d = m->get<double>();
  if (!(d >= 0) || d > 1e15) return 0;
  return static_cast<std::int64_t>(d);
}

// A tool call's arguments: a JSON object ("" is an empty object, as providers send for no arguments).
nlohmann::json arguments_object(std::string_view format, const std::string& name, const std::string& text) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
  auto j = parse_json_bounded(text);
  if (!j || !j->is_object()) {
    refuse(format, "the arguments of tool call " + clean_text(name, 80) +
                       " are not a JSON object: " + clean_text(text, 200));
  }
  return std::move(*j);
}

void check_tool_name(std::string_view format, const std::string& name) {
  if (name.empty()) refuse(format, "a tool call without a tool name");
  if (name.size() > 128) refuse(format, fmt::format("a tool name of {} bytes", name.size()));
}

void estimate_usage(ChatResponse& out, const ChatRequest* request) {
  if (out.usage.input_tokens > 0 || out.usage.output_tokens > 0) return;
  out.usage.estimated = true;
  std::size_t in_bytes = 0;
  if (request) {
    in_bytes += request->system.size();
    for (const auto& m : request->messages) in_bytes += m.text.size();
  }
  std::size_t out_bytes = out.text.size();
  for (const auto& c : out.tool_calls) out_bytes += c.arguments.dump().size();
  out.usage.input_tokens = static_cast<std::int64_t>((in_bytes + 3) / 4);
  out.usage.output_tokens = static_cast<std::int64_t>((out_bytes + 3) / 4);
}

}  // namespace

// ---------------------------------------------------------------- server-sent events

void SseParser::feed(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (last_was_cr_) {
      last_was_cr_ = false;
      if (bytes[i] == '\n') {  // the LF of a CRLF, possibly in the next piece
        ++i;
        continue;
      }
    }
    const std::size_t end = bytes.find_first_of("\r\n", i);
    const std::size_t stop = end == std::string_view::npos ? bytes.size() : end;
    if (pending_.size() + (stop - i) > kMaxEventBytes) {
      throw Error::internal(fmt::format("event stream: a line of more than {} bytes", kMaxEventBytes));
    }
    pending_.append(bytes.substr(i, stop - i));
    if (end == std::string_view::npos) break;
    line(pending_);
    pending_.clear();
    last_was_cr_ = bytes[end] == '\r';
    i = end + 1;
  }
}

void SseParser::finish() {
  if (!pending_.empty()) {
    line(pending_);
    pending_.clear();
  }
  if (has_data_) line("");
}

void SseParser::line(std::string_view l) {
  if (l.empty()) {
    if (has_data_) {
      if (!current_.data.empty() && current_.data.back() == '\n') current_.data.pop_back();
      on_event_(current_);
    }
    current_.event.clear();
    current_.data.clear();  // the id stays: the last event id of the stream
    has_data_ = false;
    return;
  }
  if (l.front() == ':') return;  // a comment (keep-alive)
  const auto colon = l.find(':');
  std::string_view field = l.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : l.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (current_.data.size() + value.size() + 1 > kMaxEventBytes) {
      throw Error::internal(fmt::format("event stream: an event of more than {} bytes", kMaxEventBytes));
    }
    current_.data.append(value);
    current_.data.push_back('\n');
    has_data_ = true;
  } else if (field == "event") {
    current_.event.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) current_.id.assign(value);
  }
  // "retry" and unknown fields are ignored, as the standard says.
}

// ---------------------------------------------------------------- OpenAI chat completions

void OpenAiStream::on_event(const SseEvent& e) {
  if (done_) return;
  std::string_view data = e.data;
  while (!data.empty() && (data.back() == ' ' || data.back() == '\n')) data.remove_suffix(1);
  if (data == "[DONE]") {
    done_ = true;
    return;
  }
  if (data.empty()) return;
  const auto j = parse_json_bounded(data);
  if (!j) refuse("OpenAI", "a chunk that is not JSON: " + clean_text(data, 200));
  chunk(*j);
}

void OpenAiStream::chunk(const nlohmann::json& j) {
  if (!j.is_object()) refuse("OpenAI", "a chunk that is not a JSON object: " + clean_text(j.dump(), 200));
  if (const auto* err = member(j, "error")) {
    const std::string msg = err->is_object()   ? string_member(*err, "message")
                            : err->is_string() ? err->get<std::string>()
                                               : "";
    refuse("OpenAI", "the provider reported an error: " + clean_text(msg.empty() ? err->dump() : msg, 300));
  }
  if (const auto model = string_member(j, "model"); !model.empty()) out_.model = model;
  if (const auto* usage = member(j, "usage"); usage && usage->is_object()) {
    out_.usage.input_tokens = count_member(*usage, "prompt_tokens");
    out_.usage.output_tokens = count_member(*usage, "completion_tokens");
    usage_seen_ = true;
  }
  const auto* choices = member(j, "choices");
  if (!choices) return;
  if (!choices->is_array()) refuse("OpenAI", "\"choices\" is not an array");
  for (const auto& choice : *choices) {
    if (!choice.is_object()) refuse("OpenAI", "a choice that is not an object");
    if (const auto* idx = member(choice, "index");
        idx && idx->is_number_integer() && idx->get<std::int64_t>() != 0) {
      continue;  // keel asks for one choice; others are not ours
    }
    if (const auto fr = string_member(choice, "finish_reason"); !fr.empty()) out_.stop_reason = fr;
    const auto* delta = member(choice, "delta");
    if (!delta) delta = member(choice, "message");  // some servers stream whole messages
    if (!delta) continue;
    if (!delta->is_object()) refuse("OpenAI", "a delta that is not an object");
    if (const auto* content = member(*delta, "content")) {
      if (!content->is_string()) refuse("OpenAI", "delta.content is not a string");
      const auto& t = content->get_ref<const std::string&>();
      if (!t.empty()) {
        if (out_.text.size() + t.size() > kMaxEventBytes) refuse("OpenAI", "an answer of more than 8 MiB");
        out_.text += t;
        if (on_text_) on_text_(t);
      }
    }
    const auto* calls = member(*delta, "tool_calls");
    if (!calls) continue;
    if (!calls->is_array()) refuse("OpenAI", "delta.tool_calls is not an array");
    for (std::size_t k = 0; k < calls->size(); ++k) {
      const auto& c = (*calls)[k];
      if (!c.is_object()) refuse("OpenAI", "a tool call that is not an object");
      std::size_t index = calls_.size();
      if (const auto* idx = member(c, "index")) {
        if (!idx->is_number_integer() || idx->get<std::int64_t>() < 0 ||
            idx->get<std::int64_t>() >= static_cast<std::int64_t>(kMaxToolCalls)) {
          refuse("OpenAI", "a tool call index out of range: " + clean_text(idx->dump(), 40));
        }
        index = static_cast<std::size_t>(idx->get<std::int64_t>());
      } else if (const auto id = string_member(c, "id"); !id.empty()) {
        // No index (whole calls): a new call per id.
        index = calls_.size();
        for (const auto& [i, p] : calls_) {
          if (p.id == id) index = i;
        }
      }
      if (calls_.size() >= kMaxToolCalls && !calls_.count(index))
        refuse("OpenAI", "more than 256 tool calls");
      auto& p = calls_[index];
      if (const auto id = string_member(c, "id"); !id.empty()) p.id = id;
      if (const auto* fn = member(c, "function")) {
        if (!fn->is_object()) refuse("OpenAI", "a tool call's function is not an object");
        if (const auto name = string_member(*fn, "name"); !name.empty()) p.name += name == p.name ? "" : name;
        if (const auto* args = member(*fn, "arguments")) {
          const std::string piece = args->is_string() ? args->get<std::string>() : args->dump();
          if (p.arguments.size() + piece.size() > kMaxArgumentBytes)
            refuse("OpenAI", "tool call arguments over 4 MiB");
          p.arguments += piece;
        }
      }
    }
  }
}

ChatResponse OpenAiStream::finish() const {
  ChatResponse out = out_;
  for (const auto& [index, p] : calls_) {
    check_tool_name("OpenAI", p.name);
    ToolCall call;
    call.id = p.id.empty() ? fmt::format("call_{}", index) : p.id;
    call.name = p.name;
    call.arguments = arguments_object("OpenAI", p.name, p.arguments);
    out.tool_calls.push_back(std::move(call));
  }
  if (!usage_seen_) estimate_usage(out, nullptr);
  return out;
}

ChatResponse parse_openai_response(std::string_view body) {
  const auto j = parse_json_bounded(body);
  if (!j || !j->is_object())
    refuse("OpenAI", "an answer that is not a JSON object: " + clean_text(body, 200));
  OpenAiStream s({});
  nlohmann::json chunk = *j;
  // A whole answer has choices[].message; the stream reader takes message like delta.
  SseEvent e;
  e.data = chunk.dump();
  s.on_event(e);
  return s.finish();
}

// ---------------------------------------------------------------- model listings

namespace {

// The "data" array of a listing, or a refusal naming the format.
const nlohmann::json& listing_data(const std::optional<nlohmann::json>& j, std::string_view format,
                                   std::string_view body) {
  if (!j || !j->is_object()) {
    throw Error::internal(std::string(format) + " model list: not a JSON object: " + clean_text(body, 200));
  }
  const auto* data = member(*j, "data");
  if (!data || !data->is_array()) {
    throw Error::internal(std::string(format) + " model list: expected a \"data\" array, got " +
                          clean_text(j->dump(), 200));
  }
  return *data;
}

std::string listing_id(const nlohmann::json& m, std::string_view format, std::size_t i) {
  std::string id = string_member(m, "id");
  if (id.empty()) {
    throw Error::internal(fmt::format("{} model list: data[{}]: expected a string \"id\", got {}", format, i,
                                      clean_text(m.dump(), 200)));
  }
  return clean_text(id, 200);
}

// Unix seconds as ISO-8601 UTC ("" outside years 1970 to 9999).
std::string iso_of_epoch(std::int64_t s) {
  if (s < 0 || s > 253402300799LL) return "";
  const FixedClock at{std::chrono::system_clock::time_point(std::chrono::seconds(s))};
  return at.iso8601();
}

}  // namespace

std::vector<ModelInfo> parse_openai_models(std::string_view body) {
  const auto j = parse_json_bounded(body);
  const auto& data = listing_data(j, "OpenAI", body);
  std::vector<ModelInfo> out;
  for (std::size_t i = 0; i < data.size(); ++i) {
    ModelInfo m;
    m.id = listing_id(data[i], "OpenAI", i);
    m.owned_by = clean_text(string_member(data[i], "owned_by"), 200);
    if (const auto* c = member(data[i], "created"); c && c->is_number_integer()) m.created_at = iso_of_epoch(c->get<std::int64_t>());
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<ModelInfo> parse_anthropic_models(std::string_view body, bool* has_more, std::string* last_id) {
  const auto j = parse_json_bounded(body);
  const auto& data = listing_data(j, "Anthropic", body);
  std::vector<ModelInfo> out;
  for (std::size_t i = 0; i < data.size(); ++i) {
    ModelInfo m;
    m.id = listing_id(data[i], "Anthropic", i);
    m.display_name = clean_text(string_member(data[i], "display_name"), 200);
    m.created_at = clean_text(string_member(data[i], "created_at"), 40);
    out.push_back(std::move(m));
  }
  if (has_more) {
    const auto* h = member(*j, "has_more");
    *has_more = h && h->is_boolean() && h->get<bool>();
  }
  if (last_id) *last_id = string_member(*j, "last_id");
  return out;
}

// ---------------------------------------------------------------- Anthropic Messages

void AnthropicStream::on_event(const SseEvent& e) {
  if (done_) return;
  if (e.data.empty()) return;
  const auto j = parse_json_bounded(e.data);
  if (!j || !j->is_object())
    refuse("Anthropic", "an event whose data is not a JSON object: " + clean_text(e.data, 200));
  std::string type = string_member(*j, "type");
  if (type.empty()) type = e.event;
  if (type == "ping") return;
  if (type == "error") {
    const auto* err = member(*j, "error");
    const std::string msg = err ? string_member(*err, "message") : "";
    const std::string kind = err ? string_member(*err, "type") : "";
    refuse("Anthropic", "the provider reported an error" +
                            (kind.empty() ? "" : " (" + clean_text(kind, 60) + ")") + ": " +
                            clean_text(msg.empty() ? j->dump() : msg, 300));
  }
  if (type == "message_start") {
    started_ = true;
    if (const auto* m = member(*j, "message")) {
      if (const auto model = string_member(*m, "model"); !model.empty()) out_.model = model;
      if (const auto* u = member(*m, "usage")) {
        out_.usage.input_tokens = count_member(*u, "input_tokens") +
                                  count_member(*u, "cache_read_input_tokens") +
                                  count_member(*u, "cache_creation_input_tokens");
        out_.usage.output_tokens = count_member(*u, "output_tokens");
        usage_seen_ = true;
      }
    }
    return;
  }
  if (type == "message_stop") {
    done_ = true;
    return;
  }
  if (type == "message_delta") {
    if (const auto* d = member(*j, "delta")) {
      if (const auto sr = string_member(*d, "stop_reason"); !sr.empty()) out_.stop_reason = sr;
    }
    if (const auto* u = member(*j, "usage")) {
      if (member(*u, "output_tokens")) out_.usage.output_tokens = count_member(*u, "output_tokens");
      if (member(*u, "input_tokens") && count_member(*u, "input_tokens") > 0) {
        out_.usage.input_tokens = count_member(*u, "input_tokens");
      }
      usage_seen_ = true;
    }
    return;
  }
  const auto* idx = member(*j, "index");
  if (type != "content_block_start" && type != "content_block_delta" && type != "content_block_stop") {
    return;  // event types added later are ignored, as the documentation asks
  }
  if (!idx || !idx->is_number_integer() || idx->get<std::int64_t>() < 0 ||
      idx->get<std::int64_t>() >= static_cast<std::int64_t>(kMaxToolCalls)) {
    refuse("Anthropic", type + " without a valid index");
  }
  const auto index = static_cast<std::size_t>(idx->get<std::int64_t>());
  if (type == "content_block_start") {
    const auto* cb = member(*j, "content_block");
    if (!cb || !cb->is_object()) refuse("Anthropic", "content_block_start without a content_block");
    Block b;
    b.type = string_member(*cb, "type");
    if (b.type == "text") {
      const auto t = string_member(*cb, "text");
      if (!t.empty()) {
        out_.text += t;
        if (on_text_) on_text_(t);
      }
    } else if (b.type == "tool_use") {
      b.id = string_member(*cb, "id");
      b.name = string_member(*cb, "name");
      if (const auto* in = member(*cb, "input")) b.input = *in;
    }
    blocks_[index] = std::move(b);
    return;
  }
  auto it = blocks_.find(index);
  if (it == blocks_.end())
    refuse("Anthropic", fmt::format("{} for block {}, which did not start", type, index));
  if (type == "content_block_stop") return;
  const auto* d = member(*j, "delta");
  if (!d || !d->is_object()) refuse("Anthropic", "content_block_delta without a delta");
  const auto dtype = string_member(*d, "type");
  if (dtype == "text_delta") {
    const auto t = string_member(*d, "text");
    if (out_.text.size() + t.size() > kMaxEventBytes) refuse("Anthropic", "an answer of more than 8 MiB");
    out_.text += t;
    if (on_text_ && !t.empty()) on_text_(t);
  } else if (dtype == "input_json_delta") {
    const auto piece = string_member(*d, "partial_json");
    if (it->second.json.size() + piece.size() > kMaxArgumentBytes)
      refuse("Anthropic", "tool input over 4 MiB");
    it->second.json += piece;
  }
}

ChatResponse AnthropicStream::finish() const {
  ChatResponse out = out_;
  for (const auto& [index, b] : blocks_) {
    if (b.type != "tool_use") continue;
    check_tool_name("Anthropic", b.name);
    ToolCall call;
    call.id = b.id.empty() ? fmt::format("toolu_{}", index) : b.id;
    call.name = b.name;
    if (!b.json.empty()) {
      call.arguments = arguments_object("Anthropic", b.name, b.json);
    } else if (b.input.is_object()) {
      call.arguments = b.input;
    }
    out.tool_calls.push_back(std::move(call));
  }
  if (!usage_seen_) estimate_usage(out, nullptr);
  return out;
}

ChatResponse parse_anthropic_response(std::string_view body) {
  const auto j = parse_json_bounded(body);
  if (!j || !j->is_object())
    refuse("Anthropic", "an answer that is not a JSON object: " + clean_text(body, 200));
  if (string_member(*j, "type") == "error") {
    AnthropicStream s({});
    SseEvent e;
    e.data = j->dump();
    s.on_event(e);
  }
  ChatResponse out;
  out.model = string_member(*j, "model");
  out.stop_reason = string_member(*j, "stop_reason");
  bool usage = false;
  if (const auto* u = member(*j, "usage")) {
    out.usage.input_tokens = count_member(*u, "input_tokens");
    out.usage.output_tokens = count_member(*u, "output_tokens");
    usage = true;
  }
  const auto* content = member(*j, "content");
  if (content && !content->is_array()) refuse("Anthropic", "\"content\" is not an array");
  if (content) {
    for (const auto& b : *content) {
      if (!b.is_object()) refuse("Anthropic", "a content block that is not an object");
      const auto type = string_member(b, "type");
      if (type == "text") {
        out.text += string_member(b, "text");
      } else if (type == "tool_use") {
        ToolCall c;
        c.id = string_member(b, "id");
        c.name = string_member(b, "name");
        check_tool_name("Anthropic", c.name);
        const auto* in = member(b, "input");
        if (in && !in->is_object()) refuse("Anthropic", "tool_use input is not an object");
        if (in) c.arguments = *in;
        out.tool_calls.push_back(std::move(c));
      }
    }
  }
  if (!usage) estimate_usage(out, nullptr);
  return out;
}

// ---------------------------------------------------------------- errors and request bodies

std::string error_message_of(std::string_view body) {
  if (const auto j = parse_json_bounded(body); j && j->is_object()) {
    if (const auto* err = member(*j, "error")) {
      if (err->is_string()) return clean_text(err->get<std::string>(), 300);
      if (err->is_object()) {
        const auto msg = string_member(*err, "message");
        if (!msg.empty()) return clean_text(msg, 300);
      }
    }
    if (const auto msg = string_member(*j, "message"); !msg.empty()) return clean_text(msg, 300);
  }
  return clean_text(body, 200);
}

nlohmann::json openai_request_body(const ChatRequest& request, const std::string& model) {
  nlohmann::json messages = nlohmann::json::array();
  if (!request.system.empty()) messages.push_back({{"role", "system"}, {"content", request.system}});
  for (const auto& m : request.messages) {
    switch (m.role) {
      case Role::kUser:
        messages.push_back({{"role", "user"}, {"content", m.text}});
        break;
      case Role::kAssistant: {
        nlohmann::json a = {{"role", "assistant"},
                            {"content", m.text.empty() && !m.tool_calls.empty() ? nlohmann::json(nullptr)
                                                                                : nlohmann::json(m.text)}};
        if (!m.tool_calls.empty()) {
          nlohmann::json calls = nlohmann::json::array();
          for (const auto& c : m.tool_calls) {
            calls.push_back({{"id", c.id},
                             {"type", "function"},
                             {"function", {{"name", c.name}, {"arguments", c.arguments.dump()}}}});
          }
          a["tool_calls"] = std::move(calls);
        }
        messages.push_back(std::move(a));
        break;
      }
      case Role::kTool:
        messages.push_back({{"role", "tool"}, {"tool_call_id", m.tool_call_id}, {"content", m.text}});
        break;
    }
  }
  nlohmann::json body = {{"model", model},
                         {"messages", std::move(messages)},
                         {"stream", true},
                         {"stream_options", {{"include_usage", true}}},
                         {"max_tokens", request.max_tokens}};
  if (request.temperature) body["temperature"] = *request.temperature;
  if (!request.tools.empty()) {
    nlohmann::json tools = nlohmann::json::array();
    for (const auto& t : request.tools) {
      tools.push_back(
          {{"type", "function"},
           {"function", {{"name", t.name}, {"description", t.description}, {"parameters", t.input_schema}}}});
    }
    body["tools"] = std::move(tools);
  }
  return body;
}

nlohmann::json anthropic_request_body(const ChatRequest& request, const std::string& model) {
  nlohmann::json messages = nlohmann::json::array();
  for (const auto& m : request.messages) {
    switch (m.role) {
      case Role::kUser:
        messages.push_back({{"role", "user"}, {"content", m.text}});
        break;
      case Role::kAssistant: {
        nlohmann::json content = nlohmann::json::array();
        if (!m.text.empty()) content.push_back({{"type", "text"}, {"text", m.text}});
        for (const auto& c : m.tool_calls) {
          content.push_back({{"type", "tool_use"}, {"id", c.id}, {"name", c.name}, {"input", c.arguments}});
        }
        if (content.empty()) content.push_back({{"type", "text"}, {"text", ""}});
        messages.push_back({{"role", "assistant"}, {"content", std::move(content)}});
        break;
      }
      case Role::kTool: {
        // Consecutive tool results go together in one user turn (the format alternates roles).
        nlohmann::json block = {
            {"type", "tool_result"}, {"tool_use_id", m.tool_call_id}, {"content", m.text}};
        if (m.tool_error) block["is_error"] = true;
        if (!messages.empty() && messages.back()["role"] == "user" && messages.back()["content"].is_array() &&
            !messages.back()["content"].empty() &&
            messages.back()["content"].back().value("type", "") == "tool_result") {
          messages.back()["content"].push_back(std::move(block));
        } else {
          messages.push_back({{"role", "user"}, {"content", nlohmann::json::array({std::move(block)})}});
        }
        break;
      }
    }
  }
  nlohmann::json body = {{"model", model},
                         {"max_tokens", request.max_tokens},
                         {"messages", std::move(messages)},
                         {"stream", true}};
  if (!request.system.empty()) body["system"] = request.system;
  if (request.temperature) body["temperature"] = *request.temperature;
  if (!request.tools.empty()) {
    nlohmann::json tools = nlohmann::json::array();
    for (const auto& t : request.tools) {
      tools.push_back({{"name", t.name}, {"description", t.description}, {"input_schema", t.input_schema}});
    }
    body["tools"] = std::move(tools);
  }
  return body;
}

ChatResponse parse_openai_stream(std::string_view bytes, const TextFn& on_text) {
  OpenAiStream s(on_text);
  SseParser p([&](const SseEvent& e) { s.on_event(e); });
  p.feed(bytes);
  p.finish();
  return s.finish();
}

ChatResponse parse_anthropic_stream(std::string_view bytes, const TextFn& on_text) {
  AnthropicStream s(on_text);
  SseParser p([&](const SseEvent& e) { s.on_event(e); });
  p.feed(bytes);
  p.finish();
  return s.finish();
}

}  // namespace keel::llm
