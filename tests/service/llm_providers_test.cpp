// The LLM provider clients (keel/llm/chat.h, keel/llm/wire.h) as they are shipped, pointed at a
// loopback server speaking the OpenAI chat-completions and Anthropic Messages wire formats
// (tests/support/fake_llm.h): streamed text and tool calls, the request bodies and headers each
// format documents, retries on 429 and 5xx with Retry-After, timeouts, refusals, token and cost
// accounting, and keys that never reach a message.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "../support/fake_llm.h"
#include "keel/core/error.h"
#include "keel/llm/chat.h"
#include "keel/llm/wire.h"

namespace keel::llm {
namespace {

using keel::testing::FakeLlm;
using keel::testing::FakeToolCall;
using nlohmann::json;

constexpr const char* kKey = "sk-test-LoopbackProviderKey-8675309";

ProviderConfig config(const FakeLlm& fake, WireFormat f) {
  ProviderConfig c;
  c.format = f;
  c.name = f == WireFormat::kAnthropic ? "claude" : "gpt";
  c.base_url = f == WireFormat::kAnthropic ? fake.anthropic_url() : fake.openai_url();
  c.model = f == WireFormat::kAnthropic ? "claude-fake" : "fake-gpt";
  c.api_key = kKey;
  c.input_usd_per_mtok = 2.5;
  c.output_usd_per_mtok = 10.0;
  c.backoff_initial_ms = 100;
  return c;
}

ChatRequest question_with_tool() {
  ChatRequest r;
  r.system = "You are a test.";
  r.messages.push_back({Role::kUser, "What is the VaR of hnw?", {}, "", "", false});
  r.tools.push_back({"risk_var",
                     "VaR of a portfolio",
                     {{"type", "object"},
                      {"properties", {{"portfolio", {{"type", "string"}}}}},
                      {"required", {"portfolio"}}}});
  return r;
}

TEST(LlmProviders, OpenAiStreamsTextAndToolCallsAndCountsTokensAndCost) {
  FakeLlm fake;
  fake.push(FakeLlm::openai({"The VaR ", "needs a tool."},
                            {{"call_abc", "risk_var", {{"portfolio", "hnw"}, {"confidence", 0.99}}},
                             {"call_def", "risk_var", {{"portfolio", "balanced"}}}},
                            1200, 80));
  auto p = make_provider(config(fake, WireFormat::kOpenAi));
  std::vector<std::string> pieces;
  const auto r = p->chat(question_with_tool(), [&](std::string_view t) { pieces.emplace_back(t); });
  EXPECT_EQ(pieces, (std::vector<std::string>{"The VaR ", "needs a tool."}));
  EXPECT_EQ(r.text, "The VaR needs a tool.");
  ASSERT_EQ(r.tool_calls.size(), 2u);
  EXPECT_EQ(r.tool_calls[0].id, "call_abc");
  EXPECT_EQ(r.tool_calls[0].name, "risk_var");
  EXPECT_EQ(r.tool_calls[0].arguments, json({{"portfolio", "hnw"}, {"confidence", 0.99}}));
  EXPECT_EQ(r.tool_calls[1].arguments, json({{"portfolio", "balanced"}}));
  EXPECT_EQ(r.stop_reason, "tool_calls");
  EXPECT_EQ(r.model, "fake-gpt");
  EXPECT_EQ(r.usage.input_tokens, 1200);
  EXPECT_EQ(r.usage.output_tokens, 80);
  EXPECT_FALSE(r.usage.estimated);
  // 1200 x $2.50 / 1e6 + 80 x $10 / 1e6 = 0.003 + 0.0008
  EXPECT_NEAR(r.cost_usd, 0.0038, 1e-12);
  EXPECT_EQ(r.attempts, 1);

  const auto reqs = fake.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path, "/v1/chat/completions");
  EXPECT_EQ(reqs[0].header("Authorization"), std::string("Bearer ") + kKey);
  const json& b = reqs[0].json;
  EXPECT_EQ(b["model"], "fake-gpt");
  EXPECT_EQ(b["stream"], true);
  EXPECT_EQ(b["stream_options"]["include_usage"], true);
  EXPECT_EQ(b["messages"][0], json({{"role", "system"}, {"content", "You are a test."}}));
  EXPECT_EQ(b["messages"][1]["role"], "user");
  EXPECT_EQ(b["tools"][0]["type"], "function");
  EXPECT_EQ(b["tools"][0]["function"]["name"], "risk_var");
  EXPECT_EQ(b["tools"][0]["function"]["parameters"]["required"], json({"portfolio"}));
  EXPECT_EQ(r.bytes_sent, reqs[0].body.size());
}

TEST(LlmProviders, OpenAiToolResultsGoBackAsToolMessagesAfterTheAssistantsCalls) {
  FakeLlm fake;
  fake.push(FakeLlm::openai({"Done."}));
  auto p = make_provider(config(fake, WireFormat::kOpenAi));
  ChatRequest r = question_with_tool();
  r.messages.push_back(
      {Role::kAssistant, "", {{"call_abc", "risk_var", {{"portfolio", "hnw"}}}}, "", "", false});
  r.messages.push_back({Role::kTool, R"({"var":12.5})", {}, "call_abc", "risk_var", false});
  p->chat(r, {});
  const auto reqs = fake.requests();
  const json& m = reqs[0].json["messages"];
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[2]["role"], "assistant");
  EXPECT_TRUE(m[2]["content"].is_null());
  EXPECT_EQ(m[2]["tool_calls"][0]["id"], "call_abc");
  EXPECT_EQ(m[2]["tool_calls"][0]["function"]["arguments"], R"({"portfolio":"hnw"})");  // a JSON string
  EXPECT_EQ(m[3], json({{"role", "tool"}, {"tool_call_id", "call_abc"}, {"content", R"({"var":12.5})"}}));
}

TEST(LlmProviders, AnthropicStreamsTextAndToolUseWithItsHeadersAndGroupedToolResults) {
  FakeLlm fake;
  fake.push(FakeLlm::anthropic({"Let me ", "check."},
                               {{"toolu_01", "risk_var", {{"portfolio", "hnw"}, {"window", 250}}}}, 472, 89,
                               5));
  auto p = make_provider(config(fake, WireFormat::kAnthropic));
  ChatRequest req = question_with_tool();
  // An earlier round with two calls: their results go back together in one user turn.
  req.messages.push_back(
      {Role::kAssistant,
       "",
       {{"toolu_a", "risk_var", {{"portfolio", "a"}}}, {"toolu_b", "risk_var", {{"portfolio", "b"}}}},
       "",
       "",
       false});
  req.messages.push_back({Role::kTool, "1", {}, "toolu_a", "risk_var", false});
  req.messages.push_back({Role::kTool, "no such portfolio", {}, "toolu_b", "risk_var", true});
  std::string streamed;
  const auto r = p->chat(req, [&](std::string_view t) { streamed += t; });
  EXPECT_EQ(streamed, "Let me check.");
  ASSERT_EQ(r.tool_calls.size(), 1u);
  EXPECT_EQ(r.tool_calls[0].id, "toolu_01");
  EXPECT_EQ(r.tool_calls[0].arguments, json({{"portfolio", "hnw"}, {"window", 250}}));
  EXPECT_EQ(r.stop_reason, "tool_use");
  EXPECT_EQ(r.model, "claude-fake");
  EXPECT_EQ(r.usage.input_tokens, 472);
  EXPECT_EQ(r.usage.output_tokens, 89);
  EXPECT_NEAR(r.cost_usd, (472 * 2.5 + 89 * 10.0) / 1e6, 1e-12);

  const auto reqs = fake.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path, "/v1/messages");
  EXPECT_EQ(reqs[0].header("x-api-key"), kKey);
  EXPECT_EQ(reqs[0].header("anthropic-version"), "2023-06-01");
  EXPECT_EQ(reqs[0].header("Authorization"), "");
  const json& b = reqs[0].json;
  EXPECT_EQ(b["system"], "You are a test.");
  EXPECT_EQ(b["max_tokens"], 2048);
  EXPECT_EQ(b["tools"][0]["name"], "risk_var");
  EXPECT_TRUE(b["tools"][0].contains("input_schema"));
  ASSERT_EQ(b["messages"].size(), 3u);
  EXPECT_EQ(
      b["messages"][1]["content"][1],
      json({{"type", "tool_use"}, {"id", "toolu_b"}, {"name", "risk_var"}, {"input", {{"portfolio", "b"}}}}));
  const json& results = b["messages"][2]["content"];
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0], json({{"type", "tool_result"}, {"tool_use_id", "toolu_a"}, {"content", "1"}}));
  EXPECT_EQ(results[1]["is_error"], true);
}

TEST(LlmProviders, RetriesOn429And5xxHonouringRetryAfterThenAnswers) {
  FakeLlm fake;
  fake.push(FakeLlm::error(429, "Rate limit reached", "2"));
  fake.push(FakeLlm::error(503, "The server is overloaded"));
  fake.push(FakeLlm::error(529, "Overloaded"));
  fake.push(FakeLlm::openai({"ok"}));
  auto p = make_provider(config(fake, WireFormat::kOpenAi));
  std::vector<long> waits;
  p->set_sleeper([&](std::chrono::milliseconds d) { waits.push_back(static_cast<long>(d.count())); });
  const auto r = p->chat(question_with_tool(), {});
  EXPECT_EQ(r.text, "ok");
  EXPECT_EQ(r.attempts, 4);
  // Retry-After: 2 s; then the backoff, from 100 ms doubled after every attempt.
  EXPECT_EQ(waits, (std::vector<long>{2000, 200, 400}));
  EXPECT_DOUBLE_EQ(r.waited_ms, 2600.0);
  EXPECT_EQ(fake.requests().size(), 4u);
}

// GET {base}/models in the OpenAI format (OpenAI, LM Studio): the Bearer key, the listing's order,
// created (Unix seconds) as ISO-8601 UTC (1715367049 s = 2024-05-10T18:50:49Z, 1686935002 s =
// 2023-06-16T17:03:22Z by Python's datetime.fromtimestamp(t, timezone.utc)).
TEST(LlmProviders, OpenAiModelsAreListedWithTheKeyAndTheirCreatedTimes) {
  FakeLlm fake;
  fake.push(FakeLlm::openai_models({{"gpt-4o", 1715367049, "system"}, {"gpt-3.5-turbo-16k", 1686935002, "openai"}}));
  auto p = make_provider(config(fake, WireFormat::kOpenAi));
  const auto models = p->list_models();
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0].id, "gpt-4o");
  EXPECT_EQ(models[0].owned_by, "system");
  EXPECT_EQ(models[0].created_at, "2024-05-10T18:50:49Z");
  EXPECT_EQ(models[1].id, "gpt-3.5-turbo-16k");
  EXPECT_EQ(models[1].created_at, "2023-06-16T17:03:22Z");
  EXPECT_EQ(models[1].display_name, "");
  const auto reqs = fake.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "GET");
  EXPECT_EQ(reqs[0].path, "/v1/models");
  EXPECT_EQ(reqs[0].header("Authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(reqs[0].header("x-api-key"), "");
  EXPECT_TRUE(reqs[0].body.empty());
}

// Anthropic's GET /v1/models: x-api-key and anthropic-version, no Bearer; pages followed with
// after_id = the previous page's last_id while has_more.
TEST(LlmProviders, AnthropicModelsAreListedPageByPageWithItsHeaders) {
  FakeLlm fake;
  fake.push(FakeLlm::anthropic_models({{"claude-sonnet-4-20250514", "Claude Sonnet 4", "2025-05-22T00:00:00Z"},
                                       {"claude-3-7-sonnet-20250219", "Claude Sonnet 3.7", "2025-02-24T00:00:00Z"}},
                                      true));
  fake.push(FakeLlm::anthropic_models({{"claude-3-5-haiku-20241022", "Claude Haiku 3.5", "2024-10-22T00:00:00Z"}},
                                      false));
  auto p = make_provider(config(fake, WireFormat::kAnthropic));
  const auto models = p->list_models();
  ASSERT_EQ(models.size(), 3u);
  EXPECT_EQ(models[0].id, "claude-sonnet-4-20250514");
  EXPECT_EQ(models[0].display_name, "Claude Sonnet 4");
  EXPECT_EQ(models[0].created_at, "2025-05-22T00:00:00Z");
  EXPECT_EQ(models[2].id, "claude-3-5-haiku-20241022");
  const auto reqs = fake.requests();
  ASSERT_EQ(reqs.size(), 2u);
  for (const auto& r : reqs) {
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.path, "/v1/models");
    EXPECT_EQ(r.header("x-api-key"), kKey);
    EXPECT_EQ(r.header("anthropic-version"), "2023-06-01");
    EXPECT_EQ(r.header("Authorization"), "");
  }
  EXPECT_EQ(reqs[0].params.count("after_id"), 0u);
  EXPECT_EQ(reqs[1].params.at("after_id"), "claude-3-7-sonnet-20250219");
}

// A refused key is unauthorized and never quoted; a body that is not a listing says what it lacks.
TEST(LlmProviders, ModelListingFailuresNameTheProviderNeverTheKey) {
  FakeLlm fake;
  fake.push(FakeLlm::error(401, std::string("Incorrect API key provided: ") + kKey));
  fake.push([](const keel::testing::LlmRequest&, httplib::Response& res) {
    res.set_content(R"({"object":"list","models":[]})", "application/json");
  });
  fake.push([](const keel::testing::LlmRequest&, httplib::Response& res) {
    res.set_content(R"({"data":[{"object":"model"}]})", "application/json");
  });
  auto p = make_provider(config(fake, WireFormat::kOpenAi));
  try {
    p->list_models();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnauthorized);
    EXPECT_NE(std::string(e.what()).find("provider gpt (127.0.0.1:"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find(kKey), std::string::npos) << e.what();
  }
  try {
    p->list_models();
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected a \"data\" array"), std::string::npos) << e.what();
  }
  try {
    p->list_models();
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("data[0]: expected a string \"id\""), std::string::npos) << e.what();
  }
}

TEST(LlmProviders, GivesUpAfterTheLastAttemptNamingTheProviderNeverTheKey) {
  FakeLlm fake;
  // A provider that quotes the key in its error (OpenAI's "Incorrect API key provided: sk-...").
  fake.otherwise(FakeLlm::error(500, std::string("internal failure for key ") + kKey));
  auto cfg = config(fake, WireFormat::kOpenAi);
  cfg.max_attempts = 3;
  auto p = make_provider(cfg);
  p->set_sleeper([](std::chrono::milliseconds) {});
  try {
    p->chat(question_with_tool(), {});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    EXPECT_NE(m.find("provider gpt (127.0.0.1:"), std::string::npos) << m;
    EXPECT_NE(m.find("HTTP 500"), std::string::npos) << m;
    EXPECT_NE(m.find("gave up after 3 attempts"), std::string::npos) << m;
    EXPECT_EQ(m.find(kKey), std::string::npos) << m;
    EXPECT_NE(m.find("***"), std::string::npos) << m;
  }
  EXPECT_EQ(fake.requests().size(), 3u);
}

TEST(LlmProviders, AnErrorInsideTheStreamIsReportedWithoutTheKey) {
  FakeLlm fake;
  fake.push([](const keel::testing::LlmRequest&, httplib::Response& res) {
    FakeLlm::stream(res,
                    {"data: {\"error\":{\"message\":\"key " + std::string(kKey) + " is revoked\"}}\n\n"});
  });
  auto p = make_provider(config(fake, WireFormat::kOpenAi));
  try {
    p->chat(question_with_tool(), {});
    FAIL();
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("is revoked"), std::string::npos) << m;
    EXPECT_EQ(m.find(kKey), std::string::npos) << m;
  }
}

TEST(LlmProviders, RefusalsAreNotRetried) {
  FakeLlm fake;
  fake.push(FakeLlm::error(401, std::string("Incorrect API key provided: ") + kKey));
  fake.push(FakeLlm::error(400, "max_tokens: must be at most 4096"));
  fake.push(FakeLlm::error(429, "quota", "3600"));
  auto p = make_provider(config(fake, WireFormat::kAnthropic));
  p->set_sleeper([](std::chrono::milliseconds) { FAIL() << "no wait expected"; });
  try {
    p->chat(question_with_tool(), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnauthorized);
    EXPECT_EQ(std::string(e.what()).find(kKey), std::string::npos) << e.what();
  }
  try {
    p->chat(question_with_tool(), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("max_tokens: must be at most 4096"), std::string::npos) << e.what();
  }
  try {
    p->chat(question_with_tool(), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kRateLimited);
    EXPECT_NE(std::string(e.what()).find("over the 120 s cap"), std::string::npos) << e.what();
  }
  EXPECT_EQ(fake.requests().size(), 3u);
}

TEST(LlmProviders, ASilentServerTimesOut) {
  FakeLlm fake;
  fake.otherwise([](const keel::testing::LlmRequest&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    res.set_content("{}", "application/json");
  });
  auto cfg = config(fake, WireFormat::kOpenAi);
  cfg.idle_timeout_ms = 1000;
  cfg.total_timeout_ms = 1500;
  cfg.max_attempts = 1;
  auto p = make_provider(cfg);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    p->chat(question_with_tool(), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("timed out"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(2400));
}

TEST(LlmProviders, CancellingStopsTheRequest) {
  FakeLlm fake;
  fake.otherwise([](const keel::testing::LlmRequest&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    res.set_content("{}", "application/json");
  });
  auto p = make_provider(config(fake, WireFormat::kOpenAi));
  try {
    p->chat(question_with_tool(), {}, [] { return true; });
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cancelled"), std::string::npos) << e.what();
  }
}

TEST(LlmProviders, AServerThatDoesNotStreamAnswersWholeAndUsageIsEstimatedWhenAbsent) {
  FakeLlm fake;
  fake.push([](const keel::testing::LlmRequest&, httplib::Response& res) {
    res.set_content(R"({"id":"x","object":"chat.completion","model":"local-model","choices":[{"index":0,
      "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function",
      "function":{"name":"list_portfolios","arguments":"{}"}}]},"finish_reason":"tool_calls"}]})",
                    "application/json");
  });
  auto p = make_provider(config(fake, WireFormat::kOpenAi));
  const auto r = p->chat(question_with_tool(), {});
  ASSERT_EQ(r.tool_calls.size(), 1u);
  EXPECT_EQ(r.tool_calls[0].name, "list_portfolios");
  EXPECT_EQ(r.tool_calls[0].arguments, json::object());
  EXPECT_EQ(r.model, "local-model");
  EXPECT_TRUE(r.usage.estimated);
  // Estimated at 4 bytes a token from what was sent.
  EXPECT_EQ(r.usage.input_tokens, static_cast<std::int64_t>((fake.requests()[0].body.size() + 3) / 4));
}

TEST(LlmProviders, StreamsThatBreakTheFormatAreRefusedWithTheirBytesCleaned) {
  // Arguments that are not a JSON object.
  const std::string bad_args =
      FakeLlm::openai_chunk(
          {{"tool_calls",
            {{{"index", 0}, {"id", "c"}, {"function", {{"name", "x"}, {"arguments", "[1,"}}}}}}}) +
      "data: [DONE]\n\n";
  EXPECT_THROW(parse_openai_stream(bad_args), Error);
  // A chunk that is not JSON, with invalid UTF-8 and a control character: quoted cleanly.
  try {
    parse_openai_stream("data: {\"choices\": \xff\x01\n\n");
    FAIL();
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("\\xFF"), std::string::npos) << m;
    EXPECT_EQ(m.find('\x01'), std::string::npos);
  }
  // An error event mid-stream.
  try {
    parse_anthropic_stream(
        "event: error\ndata: "
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("overloaded_error"), std::string::npos) << e.what();
  }
  // A delta for a block that never started.
  EXPECT_THROW(parse_anthropic_stream("data: "
                                      "{\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":"
                                      "\"text_delta\",\"text\":\"x\"}}\n\n"),
               Error);
  // Nesting deeper than the bound is refused, not recursed into.
  EXPECT_THROW(parse_openai_stream("data: " + std::string(100000, '[') + "\n\n"), Error);
}

TEST(LlmProviders, EventsParseTheSameWhateverTheLineEndingsAndWhereverTheBytesAreSplit) {
  std::string stream;
  stream += FakeLlm::openai_chunk({{"content", "Hé"}});
  stream += ": keep-alive comment\n\n";
  stream +=
      FakeLlm::openai_chunk({{"tool_calls",
                              {{{"index", 0},
                                {"id", "c1"},
                                {"function", {{"name", "greeks"}, {"arguments", "{\"portfolio\""}}}}}}});
  stream += FakeLlm::openai_chunk(
      {{"tool_calls", {{{"index", 0}, {"function", {{"arguments", ":\"hnw\"}"}}}}}}}, "tool_calls");
  stream +=
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}\n\ndata: [DONE]\n\n";
  const auto whole = parse_openai_stream(stream);
  ASSERT_EQ(whole.tool_calls.size(), 1u);
  EXPECT_EQ(whole.text, "Hé");
  EXPECT_EQ(whole.tool_calls[0].arguments, json({{"portfolio", "hnw"}}));
  EXPECT_EQ(whole.usage.input_tokens, 7);
  for (const std::string eol : {"\r\n", "\r"}) {
    std::string other;
    for (char c : stream) {
      if (c == '\n')
        other += eol;
      else
        other += c;
    }
    const auto r = parse_openai_stream(other);
    EXPECT_EQ(r.text, whole.text);
    EXPECT_EQ(r.tool_calls[0].arguments, whole.tool_calls[0].arguments);
  }
  // Every split point of the CRLF stream, fed in two pieces.
  std::string crlf;
  for (char c : stream) {
    if (c == '\n')
      crlf += "\r\n";
    else
      crlf += c;
  }
  for (std::size_t cut = 0; cut <= crlf.size(); ++cut) {
    OpenAiStream s({});
    SseParser p([&](const SseEvent& e) { s.on_event(e); });
    p.feed(std::string_view(crlf).substr(0, cut));
    p.feed(std::string_view(crlf).substr(cut));
    p.finish();
    const auto r = s.finish();
    ASSERT_EQ(r.text, whole.text) << "cut at " << cut;
    ASSERT_EQ(r.tool_calls.size(), 1u) << "cut at " << cut;
    ASSERT_EQ(r.tool_calls[0].arguments, whole.tool_calls[0].arguments) << "cut at " << cut;
  }
}

TEST(LlmProviders, LocalUrlsAreThisMachineOrAPrivateNetworkWrittenLiterally) {
  for (const char* u : {"http://127.0.0.1:1234/v1", "http://localhost:11434/v1", "http://[::1]:8080/v1",
                        "http://192.168.1.20:1234/v1", "http://10.0.0.5/v1", "http://172.20.1.1/v1",
                        "http://studio.local:1234/v1", "http://2130706433:1234/v1"}) {
    EXPECT_TRUE(is_local_url(u)) << u;
  }
  // A URL keel refuses to send anything to (user-info, a backslash before the path: read as
  // libcurl reads it, issue 57) is not local, whichever host it seems to name.
  for (const char* u : {"https://api.openai.com/v1", "https://openrouter.ai/api/v1",
                        "https://api.anthropic.com", "http://172.32.0.1/v1", "http://8.8.8.8/v1",
                        "http://127.0.0.1.nip.io/v1", "http://localhost@evil.example/v1", "http://user@127.0.0.1/v1",
                        "http://127.0.0.1:1234\\@evil.example/v1", "http://127.0.0.1\\.evil.example/v1"}) {
    EXPECT_FALSE(is_local_url(u)) << u;
  }
  EXPECT_EQ(url_host("https://user:pw@api.example.com:8443/v1?x=1"), "api.example.com:8443");
  ProviderConfig file_url;
  file_url.base_url = "file:///etc/passwd";
  EXPECT_THROW(make_provider(file_url), Error);
}

}  // namespace
}  // namespace keel::llm
