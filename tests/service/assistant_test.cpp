// The assistant (keel/service/assistant_ask.h, with its providers, policy and transcripts) end to
// end on the examples' store, against a loopback provider playing the model
// (tests/support/fake_llm.h) through the production clients: figures of the answer equal the tool
// outputs and are cited to the calls that produced them; the tools run with the asking user's
// permissions; a write waits for the user's confirmation; redaction leaves no symbol and no amount
// in any byte sent and restores both in the answer and in tool arguments; the tenant's policy
// limits providers; the transcript keeps every message, tool call and exchange; and no key reaches
// a transcript, an error or the database file.
#include "keel/service/assistant_ask.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "../../src/service/assistant_text.h"
#include "../support/fake_llm.h"
#include "../support/store_cache.h"
#include "keel/core/error.h"
#include "keel/llm/chat.h"
#include "keel/net/outbound.h"
#include "keel/store/audit_repository.h"
#include "keel/service/assistant_conversations.h"
#include "keel/service/assistant_providers.h"
#include "keel/service/assistant_tools.h"
#include "keel/service/assistant_user.h"
#include "keel/service/book_health.h"
#include "keel/service/imports.h"
#include "keel/service/risk.h"
#include "keel/service/risk_runs.h"
#include "keel/service/rules.h"
#include "keel/service/secrets.h"
#include "keel/store/assistant_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using keel::testing::FakeLlm;
using keel::testing::FakeToolCall;
using keel::testing::LlmRequest;
using nlohmann::json;

constexpr const char* kKey = "sk-assistant-test-Key-31337-do-not-leak";

std::string source(const std::string& rel) {
  return std::string(KEEL_SOURCE_DIR) + "/" + rel;
}

// A vault that holds one key per tenant in memory, bound to `origins`.
class MapSecrets final : public Secrets {
 public:
  std::optional<BoundSecret> open(std::string_view, std::string_view name) const override {
    if (name == "openai") return BoundSecret{std::string(kKey), origins};
    return std::nullopt;
  }
  std::vector<SecretInfo> list(std::string_view) const override {
    SecretInfo i;
    i.name = "openai";
    i.fingerprint = "0123456789abcdef";
    i.origins = origins;
    return {i};
  }
  std::vector<std::string> origins;
};

struct DemoStore {
  keel::testing::StoreCopy file;
  std::unique_ptr<Store> store;
};

// The examples' prices and sectors with the hnw and balanced books (the batch tests' cached store).
DemoStore demo_store() {
  std::vector<std::string> inputs = {
      source("examples/market/prices.csv"), source("examples/market/sectors.csv"),
      source("examples/portfolios/hnw.csv"), source("examples/portfolios/balanced.csv")};
  const std::string cached = keel::testing::cached_store("batch_demo", inputs, [&](const std::string& path) {
    auto store = open_store(path);
    import_prices({store.get()}, {{source("examples/market/prices.csv"), std::nullopt}});
    import_symbol_info({store.get()}, {{source("examples/market/sectors.csv"), std::nullopt}});
    for (const char* p : {"hnw", "balanced"}) {
      import_positions({store.get()},
                       {{source(std::string("examples/portfolios/") + p + ".csv"), std::nullopt}, p, std::nullopt, std::nullopt});
    }
  });
  DemoStore d{keel::testing::StoreCopy(cached, "assistant"), nullptr};
  d.store = open_store(d.file.path());
  return d;
}

// The model's figure as a person writes it: thousands separators, two decimals (independent of
// keel's own formatting).
std::string written(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", std::fabs(v));
  std::string s(buf);
  const auto dot = s.find('.');
  std::string head = s.substr(0, dot), out;
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (i > 0 && (head.size() - i) % 3 == 0) out += ',';
    out += head[i];
  }
  return out + s.substr(dot);
}

json tool_result(const LlmRequest& r, std::size_t i) {
  const auto results = r.tool_results();
  return json::parse(results.at(i).second);
}

class AssistantTest : public ::testing::Test {
 protected:
  void SetUp() override {
    demo_.emplace(demo_store());
    cx_.emplace(Context{demo_->store.get(), Env{clock_, system_env().files}, &secrets_});
    // The key goes to the fake provider (both formats share its loopback origin).
    secrets_.origins = {*net::normalize_origin(fake_.openai_url())};
    ProviderAddRequest p;
    p.name = "fake";
    p.base_url = fake_.openai_url();
    p.model = "fake-gpt";
    p.key = "openai";
    p.input_cost = 2.5;
    p.output_cost = 10.0;
    assistant_provider_add(as("root", Role::kAdmin), p);  // providers are the tenant's, set up by an administrator
    p.name = "claude";
    p.format = ProviderFormat::kAnthropic;
    p.base_url = fake_.anthropic_url();
    p.model = "claude-fake";
    assistant_provider_add(as("root", Role::kAdmin), p);
    user_.tenant = "default";
    user_.username = "ann";
    user_.role = "analyst";
  }

  // What the requests carried besides the tool schemas (the same for every question).
  std::string all_sent_bodies() {
    std::string out;
    for (const auto& r : fake_.requests()) {
      json b = r.json;
      b.erase("tools");
      out += b.dump() + "\n";
    }
    return out;
  }

  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2017} / 12 / 8} + std::chrono::hours{9}};
  MapSecrets secrets_;
  std::optional<DemoStore> demo_;
  std::optional<Context> cx_;
  const Context& cx() const { return *cx_; }
  // `base` (default: the fixture's Context) acting as `user` with `role`, in the default tenant.
  Context as(const std::string& user, Role role, const Context* base = nullptr) const {
    Context out = base ? *base : cx();
    out.actor.user = user;
    out.actor.role = role;
    return out;
  }
  FakeLlm fake_;
  AssistantUser user_;
};

TEST_F(AssistantTest, FiguresInTheAnswerAreTheToolOutputsCitedToTheirCalls) {
  // The model asks for the VaR, then answers with the figures of the tool's result.
  fake_.push(FakeLlm::openai(
      {}, {{"call_1", "risk_var", {{"portfolio", "hnw"}, {"method", "historical"}, {"confidence", 0.99}}}},
      900, 30));
  fake_.push([](const LlmRequest& r, httplib::Response& res) {
    const json out = tool_result(r, 0);
    EXPECT_EQ(out["call"], "T1");
    const json& m = out["result"]["results"][0];
    FakeLlm::openai({"The 1-day 99% historical VaR of hnw is ", written(m["var"].get<double>()) + " [T1]",
                     " and its expected shortfall " + written(m["es"].get<double>()) + " [T1]."},
                    {}, 2400, 60)(r, res);
  });
  std::string streamed;
  std::vector<std::string> events;
  AskRequest q;
  q.question = "What is my VaR?";
  q.portfolio = "hnw";
  q.provider = "fake";
  const AskResult a = assistant_ask(cx(), user_, q, [&](std::string_view e, const json& d) {
    events.emplace_back(e);
    if (e == "text") streamed += d.value("delta", "");
  });

  // The same use case run directly gives the figures the answer states.
  RiskVarRequest direct;
  direct.inputs.source.portfolio = "hnw";
  direct.methods = {risk::VarMethod::kHistorical};
  direct.var.confidence = 0.99;
  const auto expected = *run_var(cx(), direct).result;
  const double var = expected.results.at(0).var, es = expected.results.at(0).es;
  EXPECT_EQ(a.answer, "The 1-day 99% historical VaR of hnw is " + written(var) +
                          " [T1] and its expected shortfall " + written(es) + " [T1].");
  EXPECT_EQ(streamed, a.answer);
  ASSERT_EQ(a.citations.size(), 4u);  // 1, 99%, the VaR and the ES
  std::map<std::string, Citation> by_figure;
  for (const auto& c : a.citations) by_figure[c.figure] = c;
  EXPECT_EQ(by_figure.at(written(var)).path, "/results/0/var");
  EXPECT_EQ(by_figure.at(written(var)).call, "T1");
  EXPECT_TRUE(by_figure.at(written(var)).cited);
  EXPECT_EQ(by_figure.at(written(es)).path, "/results/0/es");
  EXPECT_EQ(by_figure.at("99%").path, "/results/0/confidence");
  EXPECT_TRUE(a.unverified.empty());
  ASSERT_EQ(a.tool_calls.size(), 1u);
  EXPECT_EQ(a.tool_calls[0].status, "ok");
  EXPECT_DOUBLE_EQ(a.tool_calls[0].output["results"][0]["var"].get<double>(), var);
  EXPECT_EQ(events.front(), "start");
  EXPECT_NE(std::find(events.begin(), events.end(), "tool_call"), events.end());

  // Tokens and cost of both exchanges: (900 + 2400) x $2.50 / 1e6 + (30 + 60) x $10 / 1e6.
  EXPECT_EQ(a.usage.input_tokens, 3300);
  EXPECT_EQ(a.usage.output_tokens, 90);
  EXPECT_NEAR(a.usage.cost_usd, 3300 * 2.5e-6 + 90 * 10e-6, 1e-12);
  EXPECT_EQ(a.usage.exchanges, 2);

  // The transcript: question, the model's call, the tool's output, the answer; two exchanges.
  const auto t = assistant_conversation(cx(), "default", "ann", a.conversation);
  ASSERT_EQ(t.messages.size(), 4u);
  EXPECT_EQ(t.messages[0].content, "What is my VaR?");
  EXPECT_EQ(t.messages[1].tool_calls[0]["name"], "risk_var");
  EXPECT_EQ(t.messages[2].role, "tool");
  EXPECT_EQ(*t.messages[2].call, "T1");
  EXPECT_EQ(t.messages[2].extra["arguments"]["portfolio"], "hnw");
  EXPECT_DOUBLE_EQ(json::parse(t.messages[2].content)["results"][0]["var"].get<double>(), var);
  EXPECT_EQ(t.messages[3].extra["citations"].size(), 4u);
  ASSERT_EQ(t.exchanges.size(), 2u);
  EXPECT_EQ(t.exchanges[0].messages_sent, 1);
  EXPECT_EQ(t.exchanges[1].messages_sent, 3);
  EXPECT_EQ(t.exchanges[1].host, "127.0.0.1:" + std::to_string(fake_.port()));
  EXPECT_EQ(t.exchanges[1].input_tokens, 2400);
  EXPECT_EQ(t.exchanges[0].bytes_sent, static_cast<std::int64_t>(fake_.requests()[0].body.size()));
  EXPECT_EQ(t.conversation.input_tokens, 3300);
  // The system prompt asks for citations; the tools offered are every tool (the command line's user).
  const json first = fake_.requests()[0].json;
  EXPECT_NE(first["messages"][0]["content"].get<std::string>().find("[T1]"), std::string::npos);
  EXPECT_EQ(first["tools"].size(), assistant_tools().size());

  // A figure no tool gave is reported.
  fake_.push(FakeLlm::openai({"It was 123,456.78 [T1] last week."}));
  q.conversation = a.conversation;
  q.question = "And last week?";
  const AskResult b = assistant_ask(cx(), user_, q);
  ASSERT_EQ(b.unverified.size(), 1u);
  EXPECT_EQ(b.unverified[0].figure, "123,456.78");
  // The second question carried the first one's transcript as sent.
  EXPECT_EQ(fake_.requests().back().json["messages"].size(), 1u + 4u + 1u);  // system + 4 + the new question
}

TEST_F(AssistantTest, RedactionRemovesSymbolsAndAmountsFromEveryByteSentAndRestoresThem) {
  const auto positions = demo_->store->positions("default", "hnw");
  // Round 1: the model shows the portfolio. Round 2: it proposes a trade on the largest position
  // with the placeholders it saw. Round 3: it answers with them.
  fake_.push(FakeLlm::anthropic({}, {{"toolu_1", "show_portfolio", {{"portfolio", "hnw"}}}}));
  std::string symbol_ph, value_ph, quantity_ph;
  fake_.push([&](const LlmRequest& r, httplib::Response& res) {
    const json out = tool_result(r, 0);
    const json& p0 = out["result"]["positions"][0];
    symbol_ph = p0["symbol"];
    value_ph = p0["market_value"];
    quantity_ph = p0["quantity"];
    FakeLlm::anthropic(
        {"Let me check a hedge."},
        {{"toolu_2",
          "what_if",
          {{"portfolio", "hnw"}, {"trades", {{{"symbol", symbol_ph}, {"quantity", quantity_ph}}}}}}})(r, res);
  });
  fake_.push([&](const LlmRequest& r, httplib::Response& res) {
    FakeLlm::anthropic({"You hold ", symbol_ph + " worth " + value_ph + " [T1]; selling it is in T2."})(r,
                                                                                                        res);
  });
  AskRequest q;
  q.question = "How much AAPL do I hold in hnw, and what would selling 2000 shares of AAPL do?";
  q.portfolio = "hnw";
  q.provider = "claude";
  q.redact = true;
  const AskResult a = assistant_ask(cx(), user_, q);
  ASSERT_EQ(a.tool_calls.size(), 2u);
  EXPECT_EQ(a.tool_calls[0].status, "ok");
  // The trade came back with the symbol and quantity restored, and ran.
  EXPECT_EQ(a.tool_calls[1].status, "ok") << a.tool_calls[1].error.value_or("");
  EXPECT_EQ(a.tool_calls[1].arguments["trades"][0]["symbol"], positions[0].symbol);
  EXPECT_EQ(a.tool_calls[1].arguments["trades"][0]["quantity"], positions[0].quantity);
  // The answer shows the real symbol and amount, cited to the call.
  const double mv = a.tool_calls[0].output["positions"][0]["market_value"].get<double>();
  EXPECT_NE(a.answer.find("You hold " + positions[0].symbol + " worth " + written(mv) + " [T1]"),
            std::string::npos)
      << a.answer;
  ASSERT_FALSE(a.citations.empty());
  EXPECT_EQ(a.citations[0].path, "/positions/0/market_value");
  EXPECT_TRUE(a.redacted);

  // Not one symbol of the book, nor one amount or quantity the tools computed, left the machine:
  // the tools' schemas are keel's own, the same for every question, and the rest holds placeholders.
  std::set<std::string> schemas;
  for (const auto& t : assistant_tools())
    schemas.insert(json({{"name", t.name}, {"input_schema", t.schema()}}).dump());
  for (const auto& r : fake_.requests()) {
    std::set<std::string> got;
    for (const auto& t : r.json["tools"])
      got.insert(json({{"name", t["name"]}, {"input_schema", t["input_schema"]}}).dump());
    EXPECT_EQ(got, schemas);
    for (const auto& p : positions) {
      EXPECT_FALSE(
          std::regex_search(r.body, std::regex("(^|[^A-Za-z0-9_])" + p.symbol + "($|[^A-Za-z0-9_])")))
          << p.symbol << " was sent";
    }
  }
  const std::string sent = all_sent_bodies();
  std::vector<double> amounts;
  for (const auto& pos : a.tool_calls[0].output["positions"]) {
    for (const char* k : {"market_value", "last_price", "quantity"}) {
      if (pos[k].is_number()) amounts.push_back(pos[k].get<double>());
    }
  }
  for (const char* k : {"net_market_value", "gross_market_value", "long_market_value"}) {
    amounts.push_back(a.tool_calls[0].output[k].get<double>());
  }
  for (const auto& metric : a.tool_calls[1].output["before"].items()) {
    if (metric.value().is_number() && std::fabs(metric.value().get<double>()) >= 100)
      amounts.push_back(metric.value());
  }
  for (double v : amounts) {
    if (std::fabs(v) < 100) continue;  // small numbers recur by chance in any text
    const std::string text = json(v).dump();
    const auto at = sent.find(text);
    EXPECT_EQ(at, std::string::npos) << text << " was sent: ..."
                                     << (at == std::string::npos ? ""
                                                                 : sent.substr(at > 200 ? at - 200 : 0, 260));
  }
  EXPECT_EQ(sent.find("2000"), std::string::npos);  // the question's quantity
  EXPECT_FALSE(std::regex_search(sent, std::regex("\"(market_value|quantity|last_price)\":-?[0-9]")));
  // The question went as placeholders.
  const std::string question_sent = fake_.requests()[0].json["messages"][0]["content"];
  EXPECT_TRUE(std::regex_match(question_sent,
                               std::regex("How much SYM_[0-9]+ do I hold in hnw, and what would selling "
                                          "AMT_[0-9]+ shares of SYM_[0-9]+ do\\?")))
      << question_sent;
  // The transcript keeps both: content in clear, sent redacted.
  const auto t = assistant_conversation(cx(), "default", "ann", a.conversation);
  EXPECT_EQ(t.messages[0].content, q.question);
  EXPECT_EQ(*t.messages[0].sent, question_sent);
  EXPECT_TRUE(t.exchanges[0].redacted);
}

TEST_F(AssistantTest, ToolsRunWithTheUsersPermissionsAViewerCannotCompute) {
  AssistantUser viewer = user_;
  viewer.role = "viewer";
  viewer.may = [](ToolAccess a) { return a == ToolAccess::kRead; };
  // The model asks for a VaR anyway, and for the portfolio list.
  fake_.push(FakeLlm::openai(
      {}, {{"call_1", "risk_var", {{"portfolio", "hnw"}}}, {"call_2", "list_portfolios", json::object()}}));
  fake_.push(FakeLlm::openai({"I may not compute the VaR."}));
  AskRequest q;
  q.question = "What is my VaR?";
  q.provider = "fake";
  const AskResult a = assistant_ask(cx(), viewer, q);
  ASSERT_EQ(a.tool_calls.size(), 2u);
  EXPECT_EQ(a.tool_calls[0].status, "denied");
  EXPECT_TRUE(a.tool_calls[0].output.is_null());
  EXPECT_NE(a.tool_calls[0].error->find("viewer"), std::string::npos);
  EXPECT_EQ(a.tool_calls[1].status, "ok");
  EXPECT_EQ(a.tool_calls[1].output["portfolios"].size(), 2u);
  // Only reading tools were offered to the model.
  std::set<std::string> offered;
  const auto sent = fake_.requests();
  for (const auto& t : sent[0].json["tools"]) offered.insert(t["function"]["name"]);
  EXPECT_EQ(offered, (std::set<std::string>{"list_portfolios", "show_portfolio", "portfolio_history",
                                            "portfolio_performance", "position_detail", "ledger_gains", "ledger_holdings", "ledger_transactions",
                                            "prices_show"}));
  // The model was told, in the denied call's result.
  bool told = false;
  for (const auto& [id, text] : fake_.requests()[1].tool_results())
    told = told || (id == "call_1" && text.find("denied") != std::string::npos);
  EXPECT_TRUE(told);
}

TEST_F(AssistantTest, AWriteWaitsForTheUsersConfirmationAndRunsWithTheirPermissions) {
  const json args = {{"portfolio", "hnw"},
                     {"trades", {{{"symbol", "AAPL"}, {"quantity", -500}}}},
                     {"save_as", "hnw-hedged"}};
  fake_.push(FakeLlm::openai({}, {{"call_1", "save_what_if", args}}));
  fake_.push(FakeLlm::openai({"Saving needs your confirmation."}));
  AskRequest q;
  q.question = "Save hnw with 500 AAPL sold as hnw-hedged";
  q.provider = "fake";
  const AskResult a = assistant_ask(cx(), user_, q);
  ASSERT_EQ(a.tool_calls.size(), 1u);
  EXPECT_EQ(a.tool_calls[0].status, "pending");
  EXPECT_FALSE(demo_->store->find_portfolio("default", "hnw-hedged"));  // nothing written on the model's word

  // A user without the permission cannot confirm it.
  AssistantUser analyst = user_;
  analyst.may = [](ToolAccess x) { return x != ToolAccess::kWrite; };
  EXPECT_THROW(assistant_confirm(cx(), analyst, {a.conversation, "T1", true}), Error);
  EXPECT_FALSE(demo_->store->find_portfolio("default", "hnw-hedged"));

  const auto done = assistant_confirm(cx(), user_, {a.conversation, "T1", true});
  EXPECT_EQ(done.call.status, "confirmed");
  EXPECT_EQ(done.call.output["saved_as"]["name"], "hnw-hedged");
  double aapl = 0;
  for (const auto& p : demo_->store->positions("default", "hnw-hedged")) {
    if (p.symbol == "AAPL") aapl += p.quantity;
  }
  EXPECT_DOUBLE_EQ(aapl, 2000 - 500);  // hnw holds 2000 AAPL (examples/portfolios/hnw.csv)
  try {
    assistant_confirm(cx(), user_, {a.conversation, "T1", true});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
  }
}

TEST_F(AssistantTest, TheTenantsPolicyLimitsProvidersAndCanRequireRedaction) {
  AssistantPolicyRequest p;
  p.local_only = true;
  set_assistant_policy(as("test", Role::kAdmin), p);
  // The loopback provider is local: still allowed; a provider on the internet is refused.
  ProviderAddRequest remote;
  remote.name = "openai";
  remote.base_url = "https://api.openai.com/v1";
  remote.model = "gpt-4o";
  try {
    assistant_provider_add(as("root", Role::kAdmin), remote);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_NE(std::string(e.what()).find("only local providers"), std::string::npos) << e.what();
  }
  p.local_only = false;
  p.allowed_hosts = std::vector<std::string>{"api.openai.com"};
  p.redaction = Redaction::kRequired;
  set_assistant_policy(as("test", Role::kAdmin), p);
  const auto listed = assistant_provider_list(cx(), user_);
  ASSERT_EQ(listed.items.size(), 3u);  // claude, fake and the lmstudio a new store offers, by name
  EXPECT_EQ(listed.items[0].name, "claude");
  EXPECT_FALSE(listed.items[0].allowed);
  EXPECT_TRUE(listed.items[0].key_set);
  AskRequest q;
  q.question = "Hello";
  q.provider = "fake";
  EXPECT_THROW(assistant_ask(cx(), user_, q), Error);
  EXPECT_TRUE(fake_.requests().empty());
  p.allowed_hosts = std::vector<std::string>{};
  set_assistant_policy(as("test", Role::kAdmin), p);
  q.redact = false;
  try {
    assistant_ask(cx(), user_, q);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_NE(std::string(e.what()).find("requires redaction"), std::string::npos);
  }
  q.redact.reset();
  fake_.push(FakeLlm::openai({"Hi."}));
  EXPECT_TRUE(assistant_ask(cx(), user_, q).redacted);
}

TEST_F(AssistantTest, NoKeyReachesATranscriptAnErrorOrTheDatabaseFile) {
  fake_.push(FakeLlm::error(401, std::string("Incorrect API key provided: ") + kKey));
  AskRequest q;
  q.question = "Hello";
  q.provider = "fake";
  std::string message;
  try {
    assistant_ask(cx(), user_, q);
  } catch (const Error& e) {
    message = e.what();
    EXPECT_EQ(e.code(), ErrorCode::kUnauthorized);
  }
  EXPECT_NE(message.find("HTTP 401"), std::string::npos) << message;
  EXPECT_EQ(message.find(kKey), std::string::npos) << message;
  // The key went where the format puts it, and nowhere else in the request.
  const auto reqs = fake_.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].header("Authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(reqs[0].body.find(kKey), std::string::npos);
  // The failed exchange is in the transcript, its error without the key.
  const auto convs = assistant_conversations(cx(), "default", "ann", std::nullopt, 10);
  ASSERT_EQ(convs.size(), 1u);
  const auto t = assistant_conversation(cx(), "default", "ann", convs[0].id);
  ASSERT_EQ(t.exchanges.size(), 1u);
  EXPECT_EQ(t.exchanges[0].status, "error");
  EXPECT_EQ(spec::to_json(t).dump().find(kKey), std::string::npos);
  EXPECT_EQ(spec::to_json(assistant_provider_list(cx(), user_)).dump().find(kKey),
            std::string::npos);
  // Nor is it in the store's files.
  demo_->store.reset();
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(demo_->file.path() + suffix, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(ss.str().find(kKey), std::string::npos) << suffix;
  }
}

TEST_F(AssistantTest, EveryToolsSchemaIsItsRequestsDescriptionAndEveryToolRuns) {
  for (const auto& t : assistant_tools()) {
    const json s = t.schema();
    EXPECT_EQ(s["type"], "object") << t.name;
    for (const auto& extra : t.extra_arguments)
      EXPECT_TRUE(s["properties"].contains(extra)) << t.name << " " << extra;
  }
  // risk_var's parameters are RiskVarRequest's HTTP fields plus "portfolio".
  json var = find_assistant_tool("risk_var")->schema();
  var["properties"].erase("portfolio");
  json required = json::array();
  for (const auto& r : var["required"]) {
    if (r != "portfolio") required.push_back(r);
  }
  if (required.empty())
    var.erase("required");
  else
    var["required"] = required;
  EXPECT_EQ(var, spec::schema_of<RiskVarRequest>(spec::Role::kRequest, nullptr, spec::kHttp));
  // Bad arguments are refused with their field paths, never run.
  try {
    find_assistant_tool("risk_var")->run(cx(), "default", {{"portfolio", "hnw"}, {"confidnce", 0.99}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.details().at(0).find("confidnce"), std::string::npos);
  }
  // A tool reads no file, whatever its arguments name.
  try {
    find_assistant_tool("plan_retire")
        ->run(cx(), "default", {{"balance", 1000000}, {"returns", "bootstrap:/etc/passwd"}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("root:"), std::string::npos);
  }
  // Each reading tool on the examples.
  EXPECT_EQ(
      find_assistant_tool("list_portfolios")->run(cx(), "default", json::object()).json["portfolios"].size(),
      2u);
  const auto shown = find_assistant_tool("show_portfolio")->run(cx(), "default", {{"portfolio", "hnw"}});
  EXPECT_EQ(shown.units["net_market_value"], "portfolio currency");
  EXPECT_EQ(shown.units["positions"][0]["weight"], "fraction");
  EXPECT_THROW(find_assistant_tool("show_portfolio")->run(cx(), "other-tenant", {{"portfolio", "hnw"}}),
               Error);
  // A position by the id show_portfolio gives it: the same price as the portfolio's row, and its
  // market value with units; an id that is not there, or not an integer, is refused.
  const json& first = shown.json["positions"][0];
  const auto detail = find_assistant_tool("position_detail")
                          ->run(cx(), "default", {{"portfolio", "hnw"}, {"position", first["id"]}});
  EXPECT_EQ(detail.json["symbol"], first["symbol"]);
  EXPECT_DOUBLE_EQ(detail.json["valuation"]["price"].get<double>(), first["last_price"].get<double>());
  EXPECT_DOUBLE_EQ(detail.json["valuation"]["market_value_amount"].get<double>(), first["market_value"].get<double>());
  EXPECT_THROW(find_assistant_tool("position_detail")->run(cx(), "default", {{"portfolio", "hnw"}, {"position", 999}}),
               Error);
  EXPECT_THROW(find_assistant_tool("position_detail")->run(cx(), "default", {{"portfolio", "hnw"}, {"position", "1"}}),
               Error);
  EXPECT_FALSE(find_assistant_tool("exposures")
                   ->run(cx(), "default", {{"portfolio", "hnw"}, {"by", "sector"}})
                   .json.is_null());
  // The health checks through the tool are the use case's: the same checks, statuses and figures.
  const auto health = find_assistant_tool("book_health")->run(cx(), "default", {{"portfolio", "hnw"}});
  BookHealthRequest health_request;
  health_request.book.source.portfolio = "hnw";
  const json direct = spec::to_json(book_health(cx(), health_request));
  ASSERT_TRUE(direct.contains("checks"));
  EXPECT_EQ(health.json["checks"], direct["checks"]);
  EXPECT_FALSE(health.json["checks"].empty());
  EXPECT_FALSE(find_assistant_tool("plan_retire")
                   ->run(cx(), "default", {{"balance", 1000000}, {"withdrawal_rate", 0.04}, {"trials", 2000}})
                   .json.is_null());
  // The stored closes of a symbol (the examples' AAPL ends 2017-12-06), and a limit out of range.
  const auto prices =
      find_assistant_tool("prices_show")->run(cx(), "default", {{"symbol", "AAPL"}, {"from", "2017-12-01"}});
  EXPECT_EQ(prices.json["last"], "2017-12-06");
  EXPECT_EQ(prices.json["prices"].size(), 4u);
  EXPECT_THROW(find_assistant_tool("ledger_transactions")->run(cx(), "default", {{"account", "x"}, {"limit", 0}}),
               Error);
}

// ---- redaction and the figures check, piece by piece ----------------------------------------

TEST(AssistantText, PlaceholdersSplitAcrossStreamedPiecesAreRestoredWhole) {
  detail::Redactor r(true);
  r.load({{"SYM_1", "AAPL"}, {"AMT_1", 1234567.891}, {"AMT_12", 20}});
  detail::StreamRestorer s(r);
  std::string out;
  for (const char* piece : {"Hold S", "YM", "_1 worth AM", "T_1", "; AMT_1", "2 shares", " of XSYM_1 SYM_9"})
    out += s.push(piece);
  out += s.flush();
  EXPECT_EQ(out, "Hold AAPL worth 1,234,567.89; 20 shares of XSYM_1 SYM_9");
  EXPECT_EQ(r.restore_arguments({{"symbol", "SYM_1"}, {"quantity", "AMT_12"}, {"note", "sell SYM_1"}}),
            json({{"symbol", "AAPL"}, {"quantity", 20}, {"note", "sell AAPL"}}));
  EXPECT_EQ(detail::amount_text(-1234.5), "-1,234.50");
  EXPECT_EQ(detail::amount_text(1000000), "1,000,000");
}

TEST(AssistantText, TextRedactionKeepsPercentagesYearsAndSmallCounts) {
  detail::Redactor r(true);
  r.learn_symbol("BRK.B");
  r.set_symbol_test([](const std::string& w) { return w == "MSFT"; });
  EXPECT_EQ(r.redact_text("Sell 1,500 BRK.B and 250 MSFT at 99% in 2017, 3 times, worth 12.5 each; USD VaR"),
            "Sell AMT_1 SYM_1 and AMT_2 SYM_2 at 99% in 2017, 3 times, worth AMT_3 each; USD VaR");
  const json units = {
      {"positions", {{{"symbol", nullptr}, {"market_value", "portfolio currency"}, {"weight", "fraction"}}}}};
  const json out = r.redact_output(
      {{"positions", {{{"symbol", "MSFT"}, {"market_value", 250.0}, {"weight", 0.25}}}}}, units);
  EXPECT_EQ(out, json({{"positions", {{{"symbol", "SYM_2"}, {"market_value", "AMT_2"}, {"weight", 0.25}}}}}));
  // Disabled: nothing changes.
  detail::Redactor off(false);
  EXPECT_EQ(off.redact_text("Sell 1,500 BRK.B"), "Sell 1,500 BRK.B");
}

// The audit entries of `action` the use cases wrote themselves, newest first.
std::vector<store::AuditEntry> audited(Store& store, const std::string& action) {
  store::AuditQuery q;
  q.action = action;
  return store.audit().list(q);
}

TEST_F(AssistantTest, OnlyAnAdminChangesTheTenantsProvidersEveryUserUsesThem) {
  // SetUp's providers were registered by an admin; the analyst and a viewer see and use them (with
  // the lmstudio provider a new store offers: three).
  AssistantUser viewer = user_;
  viewer.username = "vic";
  viewer.role = "viewer";
  viewer.may = [](ToolAccess a) { return a == ToolAccess::kRead; };
  EXPECT_EQ(assistant_provider_list(cx(), viewer).items.size(), 3u);
  EXPECT_EQ(assistant_provider_list(cx(), user_).items.size(), 3u);
  fake_.push(FakeLlm::openai({"Hello."}));
  AskRequest q;
  q.question = "Hello";
  q.provider = "fake";
  EXPECT_EQ(assistant_ask(cx(), viewer, q).answer, "Hello.");
  const std::size_t sent_before = fake_.requests().size();

  // Neither may add, change or remove one: the attack is a viewer's provider naming the tenant's
  // key at a host of the viewer's choosing.
  for (const char* role : {"viewer", "analyst", "manager"}) {
    ProviderAddRequest p;
    p.name = "mine";
    p.base_url = fake_.openai_url();
    p.model = "x";
    p.key = "openai";
    try {
      assistant_provider_add(as("vic", *parse_role(role)), p);
      FAIL() << role;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kForbidden) << role;
      EXPECT_NE(std::string(e.what()).find("administrator"), std::string::npos) << e.what();
    }
    p.name = "fake";  // replacing the admin's
    EXPECT_THROW(assistant_provider_add(as("vic", *parse_role(role)), p), Error) << role;
    AssistantUser u = viewer;
    u.role = role;
    EXPECT_THROW(assistant_provider_remove(cx(), u, "fake"), Error) << role;
  }
  const auto listed = assistant_provider_list(cx(), viewer);
  ASSERT_EQ(listed.items.size(), 3u);
  for (const auto& item : listed.items) EXPECT_NE(item.name, "mine");
  EXPECT_EQ(fake_.requests().size(), sent_before);  // nothing was sent by any refused call
  // Each refusal is in the audit log: 3 roles x (add, replace, remove).
  const auto refusals = audited(*demo_->store, "auth.forbidden");
  ASSERT_EQ(refusals.size(), 9u);
  EXPECT_EQ(refusals[0].username, "vic");
  EXPECT_EQ(refusals[0].outcome, "denied");
  EXPECT_NE(refusals[0].details.find("manage_keys"), std::string::npos);
  // An admin removes one.
  AssistantUser admin = user_;
  admin.username = "root";
  admin.role = "admin";
  EXPECT_TRUE(assistant_provider_remove(cx(), admin, "claude").deleted);
  EXPECT_EQ(assistant_provider_list(cx(), viewer).items.size(), 2u);
}

TEST_F(AssistantTest, AKeyIsNeverSentToAnOriginItIsNotBoundTo) {
  // The key is bound to OpenAI; the admin's provider points at another origin (the fake).
  secrets_.origins = {"https://api.openai.com"};
  AskRequest q;
  q.question = "Hello";
  q.provider = "fake";
  try {
    assistant_ask(cx(), user_, q);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    const std::string m = e.what();
    EXPECT_NE(m.find("key 'openai' is bound to https://api.openai.com, not to " +
                     *net::normalize_origin(fake_.openai_url())),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("keel keys bind openai --origin"), std::string::npos) << m;
    EXPECT_EQ(m.find(kKey), std::string::npos);
  }
  try {
    assistant_provider_test(cx(), user_, "fake");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
  }
  EXPECT_TRUE(fake_.requests().empty());
  const auto refusals = audited(*demo_->store, "outbound.refused");
  ASSERT_EQ(refusals.size(), 2u);
  EXPECT_EQ(refusals[0].username, "ann");
  EXPECT_NE(refusals[0].details.find("key_origin"), std::string::npos) << refusals[0].details;
  EXPECT_EQ(refusals[0].details.find(kKey), std::string::npos);

  // A key with no origins goes nowhere; an openai key has no vendor default.
  secrets_.origins = {};
  EXPECT_THROW(assistant_ask(cx(), user_, q), Error);
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_F(AssistantTest, UnderTheOutboundGuardPrivateDestinationsAreRefusedUnlessThePolicyListsThem) {
  Context guarded = cx();
  guarded.outbound.enforce = true;  // as keel serve sets it
  ProviderAddRequest p;
  p.model = "m";
  p.key = "openai";
  // Each one is refused with the host, the address and why; nothing reaches the fake.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {fake_.openai_url(), "loopback (127.0.0.0/8)"},
      {"http://169.254.169.254/latest", "link-local (169.254.0.0/16)"},
      {"http://10.0.0.1:8080/v1", "private (10.0.0.0/8)"},
      {"http://[::ffff:127.0.0.1]:9/v1", "IPv4-mapped loopback (127.0.0.0/8)"},
      {"http://localhost:" + fake_.openai_url().substr(fake_.openai_url().rfind(':') + 1), "this machine (localhost)"},
  };
  int n = 0;
  for (const auto& [url, why] : cases) {
    p.name = "p" + std::to_string(n++);
    p.base_url = url;
    try {
      assistant_provider_add(as("root", Role::kAdmin, &guarded), p);
      FAIL() << url;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kForbidden) << url;
      const std::string m = e.what();
      EXPECT_NE(m.find("outbound request refused"), std::string::npos) << m;
      EXPECT_NE(m.find(why), std::string::npos) << m;
      EXPECT_NE(m.find("--allow-host"), std::string::npos) << m;
    }
  }
  EXPECT_EQ(audited(*demo_->store, "outbound.refused").size(), cases.size());
  // A provider already registered (SetUp's, on loopback) is refused when asked and tested, before
  // any byte is sent.
  AskRequest q;
  q.question = "Hello";
  q.provider = "fake";
  EXPECT_THROW(assistant_ask(guarded, user_, q), Error);
  EXPECT_THROW(assistant_provider_test(guarded, user_, "fake"), Error);
  EXPECT_TRUE(fake_.requests().empty());
  EXPECT_EQ(audited(*demo_->store, "outbound.refused").size(), cases.size() + 2);

  // The administrator allows the local server by listing it: then it answers.
  AssistantPolicyRequest policy;
  policy.allowed_hosts = std::vector<std::string>{net::host_for_policy(fake_.openai_url())};
  set_assistant_policy(as("root", Role::kAdmin, &guarded), policy);
  fake_.push(FakeLlm::openai({"Hi."}));
  EXPECT_EQ(assistant_ask(guarded, user_, q).answer, "Hi.");
  EXPECT_EQ(fake_.requests().size(), 1u);
}

// Issue 57: a tenant admin's provider at "http://127.0.0.1:P\@127.0.0.1:Q/v1" (one backslash in
// the URL), with the key bound to http://127.0.0.1:P. keel's old parser ended the host at '\' (port
// P: listed, key bound), libcurl read "127.0.0.1:P\" as user-info and sent the key to port Q. Now
// the URL is read once, by libcurl's URL API, and such an authority is refused outright: the
// listener on Q sees no request, whatever the face and whether or not the guard is on.
TEST_F(AssistantTest, IssueFiftySevenABaseUrlWhoseAuthorityHidesAnotherPortIsRefusedAndNeverReached) {
  FakeLlm q;  // port Q
  const std::string p_port = std::to_string(fake_.port()), q_port = std::to_string(q.port());
  const std::string p_origin = "http://127.0.0.1:" + p_port;
  ASSERT_EQ(*net::normalize_origin(fake_.openai_url()), p_origin);
  secrets_.origins = {p_origin};
  Context guarded = cx();
  guarded.outbound.enforce = true;  // as keel serve sets it
  AssistantPolicyRequest policy;
  policy.allowed_hosts = std::vector<std::string>{"127.0.0.1:" + p_port};  // the admin allowed P
  set_assistant_policy(as("root", Role::kAdmin, &guarded), policy);

  struct Form {
    std::string url;
    std::string why;  // the start of the detail after "base_url: "
  };
  const std::vector<Form> forms = {
      {"http://127.0.0.1:" + p_port + "\\@127.0.0.1:" + q_port + "/v1", "authority: a backslash is not allowed"},
      {"http://127.0.0.1:" + p_port + "\\\\@127.0.0.1:" + q_port + "/v1", "authority: a backslash is not allowed"},
      {"http://127.0.0.1:" + p_port + "@127.0.0.1:" + q_port + "/v1", "authority: user-info (user@ or user:password@) is not allowed"},
      {"http://user:pass@127.0.0.1:" + p_port + "/v1", "authority: user-info (user@ or user:password@) is not allowed"},
  };
  const Context* const faces[] = {&guarded, &cx()};  // keel serve, and the keel command
  int n = 0;
  for (const Form& f : forms) {
    for (const Context* face : faces) {
      ProviderAddRequest add;
      add.name = "p57_" + std::to_string(n++);
      add.base_url = f.url;
      add.model = "m";
      add.key = "openai";
      try {
        assistant_provider_add(as("root", Role::kAdmin, face), add);
        ADD_FAILURE() << "added " << f.url;
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << e.what();
        EXPECT_STREQ(e.what(), "invalid assistant provider");
        ASSERT_EQ(e.details().size(), 1u) << f.url;
        EXPECT_EQ(e.details()[0].rfind("base_url: " + f.why, 0), 0u) << e.details()[0];
        EXPECT_EQ(std::string(e.what()).find(kKey), std::string::npos);
      }
    }
    // Nor can the key be bound to such an origin.
    try {
      check_key_origins({f.url});
      ADD_FAILURE() << "bound to " << f.url;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
      ASSERT_EQ(e.details().size(), 1u);
      EXPECT_EQ(e.details()[0].rfind("origins[0]: " + f.why, 0), 0u) << e.details()[0];
    }
  }

  // A provider stored before this check (written straight to the store) is refused when asked,
  // tested or listed for its models, before anything is sent.
  store::AssistantProviderRow row;
  row.tenant = "default";
  row.username = "";  // the tenant's providers
  row.name = "old57";
  row.format = "openai";
  row.base_url = forms[0].url;
  row.model = "m";
  row.key_name = "openai";
  demo_->store->assistant().put_provider(row);
  AskRequest ask;
  ask.question = "Hello";
  ask.provider = "old57";
  for (const Context* face : faces) {
    try {
      assistant_ask(*face, user_, ask);
      ADD_FAILURE() << "asked through " << row.base_url;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kForbidden) << e.what();
      EXPECT_NE(std::string(e.what()).find("assistant provider old57: its base URL is refused: authority: a backslash"),
                std::string::npos)
          << e.what();
    }
    EXPECT_THROW(assistant_provider_test(*face, user_, "old57"), Error);
    EXPECT_THROW(assistant_provider_models(*face, user_, "old57"), Error);
  }
  // The list says why it is refused and names the host libcurl would have connected to.
  bool seen = false;
  for (const auto& listed : assistant_provider_list(cx(), user_).items) {
    if (listed.name != "old57") continue;
    seen = true;
    EXPECT_FALSE(listed.allowed);
    EXPECT_EQ(listed.host, "127.0.0.1:" + q_port);
    ASSERT_TRUE(listed.refused_because.has_value());
    EXPECT_NE(listed.refused_because->find("authority: a backslash"), std::string::npos) << *listed.refused_because;
  }
  EXPECT_TRUE(seen);
  // The provider client itself refuses such a base URL, key or not.
  llm::ProviderConfig direct;
  direct.name = "direct";
  direct.base_url = forms[0].url;
  direct.api_key = kKey;
  direct.key_origins = std::vector<std::string>{p_origin};
  try {
    const auto made = llm::make_provider(direct);
    ADD_FAILURE() << "made a provider at " << direct.base_url;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    ASSERT_EQ(e.details().size(), 1u);
    EXPECT_EQ(e.details()[0].rfind("base_url: authority: a backslash is not allowed", 0), 0u) << e.details()[0];
  }

  EXPECT_TRUE(q.requests().empty()) << q.requests().size() << " request(s) reached port Q";
  EXPECT_TRUE(fake_.requests().empty());
}

TEST(AssistantText, FiguresAreMatchedToTheValueTheyRoundFromInTheCallTheyCite) {
  const std::vector<detail::CallRecord> calls = {
      {"T1", "risk_var", {{"confidence", 0.99}}, {{"results", {{{"var", 15234.567}, {"var_pct", 0.01234}}}}}},
      {"T2", "portfolio_history", json::object(), {{"points", {{{"var_amount", -9876.5}}}}}}};
  const auto c = detail::check_figures(
      "VaR is 15,234.57 [T1] (1.23%), up from 9,876.5 [T1]; 15.2k is rough. Top 3 positions. On 2017-12-06 "
      "it "
      "was 42,000.00.",
      calls);
  std::map<std::string, Citation> f;
  for (const auto& x : c.citations) f[x.figure] = x;
  EXPECT_EQ(f.at("15,234.57").path, "/results/0/var");
  EXPECT_TRUE(f.at("15,234.57").cited);
  EXPECT_EQ(f.at("1.23%").path, "/results/0/var_pct");
  EXPECT_EQ(f.at("9,876.5").call, "T2");  // found, though the answer cited T1
  EXPECT_FALSE(f.at("9,876.5").cited);
  ASSERT_EQ(c.unverified.size(), 1u);
  EXPECT_EQ(c.unverified[0].figure, "42,000.00");
  EXPECT_EQ(f.count("3"), 0u);
  EXPECT_EQ(f.count("2017"), 0u);
}

}  // namespace
}  // namespace keel::service
