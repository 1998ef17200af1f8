// Fuzz target: what an LLM provider sends back (keel/llm/wire.h) — the bytes of a server-sent
// event stream, cut into pieces wherever the input says, through the SSE parser and the OpenAI and
// Anthropic stream readers, and the same bytes as a whole answer, as a model listing (both
// formats) and as an error body. Outside
// bytes must be read or refused with a keel::Error whose message is bounded, printable UTF-8; no
// input may crash, hang or grow memory past the readers' bounds.
#include "fuzz_common.h"
#include "keel/llm/wire.h"

namespace {

// The first byte picks the split points: the stream is fed in pieces of (1 + first % 61) bytes.
template <class Stream>
void feed(std::string_view bytes, std::size_t piece) {
  Stream s({});
  keel::llm::SseParser p([&](const keel::llm::SseEvent& e) { s.on_event(e); });
  try {
    for (std::size_t i = 0; i < bytes.size(); i += piece) p.feed(bytes.substr(i, piece));
    p.finish();
    const auto r = s.finish();
    for (const auto& c : r.tool_calls) {
      if (!c.arguments.is_object()) {
        std::fprintf(stderr, "tool call arguments that are not an object\n");
        std::abort();
      }
      (void)c.arguments.dump();
    }
    (void)nlohmann::json(r.text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const keel::Error& e) {
    keel::fuzz::check(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 61;
  const std::string bytes = keel::fuzz::text(data + 1, size - 1);
  feed<keel::llm::OpenAiStream>(bytes, piece);
  feed<keel::llm::AnthropicStream>(bytes, piece);
  for (auto* parse : {&keel::llm::parse_openai_response, &keel::llm::parse_anthropic_response}) {
    try {
      (void)parse(bytes);
    } catch (const keel::Error& e) {
      keel::fuzz::check(e);
    }
  }
  try {
    for (const auto& m : keel::llm::parse_openai_models(bytes)) keel::fuzz::check_message(m.id + m.owned_by + m.created_at);
  } catch (const keel::Error& e) {
    keel::fuzz::check(e);
  }
  try {
    bool more = false;
    std::string last;
    for (const auto& m : keel::llm::parse_anthropic_models(bytes, &more, &last)) {
      keel::fuzz::check_message(m.id + m.display_name + m.created_at);
    }
  } catch (const keel::Error& e) {
    keel::fuzz::check(e);
  }
  keel::fuzz::check_message(keel::llm::error_message_of(bytes));
  return 0;
}
