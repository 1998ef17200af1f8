// /api/v1/assistant on a real server with a loopback LLM provider (tests/support/fake_llm.h): the
// answer streams as server-sent events and its figures are the tool outputs, cited; each role's
// assistant runs only what the role may (a viewer's never computes); a write waits for a manager's
// confirmation; transcripts are the user's own; the policy is the admins'; the tools' schemas are
// the OpenAPI document's request schemas; and no byte of the provider's key appears in a response,
// an event, an audit entry or a log line.
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <functional>
#include <set>
#include <sstream>

#include "../support/fake_llm.h"
#include "keel/net/outbound.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using keel::testing::FakeLlm;
using keel::testing::LlmRequest;
using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kKey = "sk-route-test-Key-4242-never-shown";

struct Event {
  std::string name;
  json data;
};

std::vector<Event> events_of(const std::string& body) {
  std::vector<Event> out;
  std::istringstream in(body);
  std::string line;
  Event e;
  while (std::getline(in, line)) {
    if (line.rfind("event: ", 0) == 0)
      e.name = line.substr(7);
    else if (line.rfind("data: ", 0) == 0)
      e.data = json::parse(line.substr(6));
    else if (line.empty() && !e.name.empty()) {
      out.push_back(e);
      e = Event{};
    }
  }
  return out;
}

// A schema with every $ref of the document replaced by the schema it names.
json resolve(const json& s, const json& components) {
  if (s.is_object()) {
    if (s.contains("$ref")) {
      const std::string ref = s["$ref"];
      return resolve(components.at(ref.substr(ref.rfind('/') + 1)), components);
    }
    json out = json::object();
    for (const auto& [k, v] : s.items()) out[k] = resolve(v, components);
    return out;
  }
  if (s.is_array()) {
    json out = json::array();
    for (const auto& v : s) out.push_back(resolve(v, components));
    return out;
  }
  return s;
}

class AssistantRoutes : public ServerFixture {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("keel_assistant_routes_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = temp_db_path();
    ServerConfig c = test_config(db_);
    c.master_key.source = vault::SourceKind::kFile;
    c.master_key.key_file = (dir_ / "master.key").string();
    c.log = &log_;
    start_server(c, true);
    import_synthetic_prices();
    root_ = login("root");
    ana_ = login("ana");
    // The key may go to the fake provider only; the fake is on loopback, which keel serve reaches
    // only because the tenant's policy lists it.
    ASSERT_EQ(kept(put(root_, "/api/v1/keys/openai",
                       json{{"value", kKey}, {"origins", {*net::normalize_origin(fake_.openai_url())}}}.dump()))
                  ->status,
              200);
    ASSERT_EQ(kept(put(root_, "/api/v1/assistant/policy",
                       json{{"allowed_hosts", {net::host_for_policy(fake_.openai_url())}}}.dump()))
                  ->status,
              200);
    const auto id = create_portfolio(login("mgr"), "book");
    ASSERT_EQ(kept(post(ana_, "/api/v1/portfolios/" + std::to_string(id) + "/positions",
                        "symbol,quantity\nAAA,100\nBBB,200\n", "text/csv"))
                  ->status,
              200);
  }
  void TearDown() override {
    ServerFixture::TearDown();
    fs::remove_all(dir_);
  }

  HttpResult kept(HttpResult r) {
    if (r) responses_ += r->body;
    return r;
  }
  // The tenant's provider, registered by its admin (every user of the tenant uses it).
  void add_provider() {
    auto r = kept(post(root_, "/api/v1/assistant/providers",
                       json{{"name", "fake"},
                            {"base_url", fake_.openai_url()},
                            {"model", "fake-gpt"},
                            {"key", "openai"},
                            {"input_cost", 3},
                            {"output_cost", 15}}
                           .dump()));
    ASSERT_EQ(r->status, 201) << r->body;
    EXPECT_EQ(body(r)["key_set"], true);
    EXPECT_EQ(body(r)["default"], true);
  }
  // The audit entries of `action` in tenant acme, newest first (read by its admin).
  json audited(const std::string& action) {
    auto r = get(root_, "/api/v1/audit?tenant=acme&limit=100&action=" + action);
    EXPECT_EQ(r->status, 200) << r->body;
    return json::parse(r->body)["items"];
  }
  // Asks and returns the stream's events.
  std::vector<Event> ask(const std::string& token, const json& question) {
    auto r = kept(post(token, "/api/v1/assistant/messages", question.dump()));
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/event-stream");
    return events_of(r->body);
  }

  fs::path dir_;
  std::ostringstream log_;
  FakeLlm fake_;
  std::string root_, ana_;
  std::string responses_;
};

TEST_F(AssistantRoutes, AnAnswerStreamsAsEventsWithItsFiguresCitedAndIsKeptForItsUserOnly) {
  add_provider();
  fake_.push(
      FakeLlm::openai({}, {{"call_1", "risk_var", {{"portfolio", "book"}, {"method", "parametric"}}}}));
  double var = 0;
  fake_.push([&](const LlmRequest& r, httplib::Response& res) {
    const json out = json::parse(r.tool_results().at(0).second);
    var = out["result"]["results"][0]["var"];
    char figure[32];
    std::snprintf(figure, sizeof figure, "%.2f", var);
    FakeLlm::openai({"The parametric VaR of book is ", std::string(figure) + " [T1]."})(r, res);
  });
  const auto events = ask(ana_, {{"question", "What is the VaR of book?"}, {"portfolio", "book"}});
  ASSERT_GE(events.size(), 5u);
  EXPECT_EQ(events.front().name, "start");
  std::vector<std::string> names;
  std::string text;
  for (const auto& e : events) {
    names.push_back(e.name);
    if (e.name == "text") text += e.data["delta"].get<std::string>();
  }
  EXPECT_NE(std::find(names.begin(), names.end(), "tool_call"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "tool_result"), names.end());
  ASSERT_EQ(events.back().name, "answer");
  const json& answer = events.back().data;
  for (const auto& p : schemas().check(answer, json{{"$ref", "#/components/schemas/AssistantAnswer"}}))
    ADD_FAILURE() << p;
  EXPECT_EQ(answer["answer"], text);
  // The figure is the risk/var route's, for the same request.
  auto direct = kept(post(ana_, "/api/v1/portfolios/book/risk/var", json{{"method", "parametric"}}.dump()));
  ASSERT_EQ(direct->status, 200);
  EXPECT_DOUBLE_EQ(body(direct)["results"][0]["var"].get<double>(), var);
  ASSERT_EQ(answer["citations"].size(), 1u);
  EXPECT_EQ(answer["citations"][0]["call"], "T1");
  EXPECT_EQ(answer["citations"][0]["path"], "/results/0/var");
  EXPECT_EQ(answer["tool_calls"][0]["status"], "ok");

  const std::int64_t id = answer["conversation"];
  auto list = kept(get(ana_, "/api/v1/assistant/conversations"));
  ASSERT_EQ(list->status, 200);
  EXPECT_EQ(body(list)["items"].size(), 1u);
  auto convo = kept(get(ana_, "/api/v1/assistant/conversations/" + std::to_string(id)));
  ASSERT_EQ(convo->status, 200);
  EXPECT_EQ(body(convo)["messages"].size(), 4u);
  EXPECT_EQ(body(convo)["exchanges"].size(), 2u);
  EXPECT_EQ(body(convo)["exchanges"][1]["messages_sent"], 3);
  // Another user of the tenant, and another tenant, see nothing of it.
  EXPECT_EQ(get(login("mgr"), "/api/v1/assistant/conversations/" + std::to_string(id))->status, 404);
  EXPECT_EQ(get(login("other"), "/api/v1/assistant/conversations/" + std::to_string(id))->status, 404);
  EXPECT_EQ(body(get(login("mgr"), "/api/v1/assistant/conversations"))["items"].size(), 0u);

  // Refused before any stream: unknown provider, empty question, unknown portfolio.
  EXPECT_EQ(
      post(ana_, "/api/v1/assistant/messages", json{{"question", "x"}, {"provider", "nope"}}.dump())->status,
      404);
  EXPECT_EQ(post(ana_, "/api/v1/assistant/messages", json{{"question", " "}}.dump())->status, 400);
  EXPECT_EQ(
      post(ana_, "/api/v1/assistant/messages", json{{"question", "x"}, {"portfolio", "nope"}}.dump())->status,
      404);
  EXPECT_EQ(fake_.requests().size(), 2u);

  // The question is audited (the tenant's log: what an admin reads).
  auto audited = get(root_, "/api/v1/audit?tenant=acme&action=assistant.ask");
  ASSERT_EQ(audited->status, 200);
  const json entries = body(audited)["items"];
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["resource"], "assistant_conversation/" + std::to_string(id));
  EXPECT_EQ(entries[0]["details"]["host"], "127.0.0.1:" + std::to_string(fake_.port()));
  responses_ += audited->body;

  // No byte of the key in any response, event or log line; the provider received it as its header.
  server_.reset();
  EXPECT_EQ(responses_.find(kKey), std::string::npos);
  EXPECT_NE(log_.str().find("/api/v1/assistant/messages"), std::string::npos);
  EXPECT_EQ(log_.str().find(kKey), std::string::npos);
  EXPECT_EQ(fake_.requests()[0].header("Authorization"), std::string("Bearer ") + kKey);
}

// An answer being streamed belongs to the token that asked (as every stream does): signing that
// token out ends the stream with "event: revoked" within a second, and the provider's answer is no
// longer read (its slow stream is left after the chunk in flight).
TEST_F(AssistantRoutes, SigningOutEndsAnAnswerBeingStreamedWithinASecond) {
  add_provider();
  std::atomic<int> chunks_sent{0};
  fake_.push([&](const LlmRequest&, httplib::Response& res) {
    // A slow provider: a word every 100 ms for 20 s.
    res.set_chunked_content_provider("text/event-stream", [&](std::size_t, httplib::DataSink& sink) {
      for (int i = 0; i < 200; ++i) {
        const std::string e = FakeLlm::openai_chunk({{"content", "word "}});
        if (!sink.write(e.data(), e.size())) return false;
        ++chunks_sent;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      sink.done();
      return true;
    });
  });
  const std::string token = login("ana");
  std::mutex mu;
  std::string text;
  std::atomic<bool> ended{false};
  std::chrono::steady_clock::time_point ended_at;
  std::thread reader([&] {
    auto c = client();
    (void)c->Post("/api/v1/assistant/messages", bearer(token), json{{"question", "Say many words"}}.dump(),
                  "application/json", [&](const char* data, std::size_t n) {
                    std::lock_guard lock(mu);
                    text.append(data, n);
                    return true;
                  });
    ended_at = std::chrono::steady_clock::now();
    ended = true;
  });
  const auto shows = [&](const std::string& needle) {
    std::lock_guard lock(mu);
    return text.find(needle) != std::string::npos;
  };
  const auto wait_until = [](const std::function<bool()>& done, std::chrono::milliseconds within) {
    const auto until = std::chrono::steady_clock::now() + within;
    while (!done() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return done();
  };
  EXPECT_TRUE(wait_until([&] { return shows("event: text"); }, std::chrono::milliseconds(10000))) << text;
  const auto signed_out = std::chrono::steady_clock::now();
  ASSERT_EQ(post(token, "/api/v1/auth/logout", "")->status, 200);
  EXPECT_TRUE(wait_until([&] { return ended.load(); }, std::chrono::milliseconds(5000)));
  reader.join();
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(ended_at - signed_out).count(), 1000);
  EXPECT_TRUE(shows("event: revoked")) << text;
  EXPECT_FALSE(shows("event: answer")) << text;
  // The provider's stream is let go: far fewer than its 200 words were sent.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_LT(chunks_sent.load(), 100);
  // The server goes on answering the others.
  EXPECT_EQ(get(ana_, "/api/v1/assistant/conversations")->status, 200);
}

TEST_F(AssistantRoutes, AViewersAssistantReadsButNeverComputes) {
  const std::string view = login("view");
  add_provider();
  fake_.push(FakeLlm::openai(
      {}, {{"c1", "risk_var", {{"portfolio", "book"}}}, {"c2", "list_portfolios", json::object()}}));
  fake_.push(FakeLlm::openai({"You have one portfolio; VaR needs an analyst."}));
  auto r =
      kept(post(view, "/api/v1/assistant/messages", json{{"question", "VaR?"}, {"stream", false}}.dump()));
  ASSERT_EQ(r->status, 200) << r->body;  // schema-checked as AssistantAnswer by post()
  const json a = body(r);
  EXPECT_EQ(a["tool_calls"][0]["status"], "denied");
  EXPECT_EQ(a["tool_calls"][1]["status"], "ok");
  std::set<std::string> offered;
  const auto sent = fake_.requests();
  for (const auto& t : sent[0].json["tools"]) offered.insert(t["function"]["name"]);
  EXPECT_EQ(offered.count("risk_var"), 0u);
  EXPECT_EQ(offered.count("save_what_if"), 0u);
  EXPECT_EQ(offered.count("list_portfolios"), 1u);
  // The tool list says the same.
  auto tools = kept(get(view, "/api/v1/assistant/tools"));
  const json listed = body(tools);
  for (const auto& t : listed["items"]) EXPECT_EQ(t["allowed"], t["access"] == "read") << t["name"];
}

TEST_F(AssistantRoutes, AProposedWriteWaitsForAManagersConfirmation) {
  const std::string mgr = login("mgr");
  add_provider();
  fake_.push(FakeLlm::openai({}, {{"c1",
                                   "save_what_if",
                                   {{"portfolio", "book"},
                                    {"trades", {{{"symbol", "AAA"}, {"quantity", -40}}}},
                                    {"save_as", "book2"}}}}));
  fake_.push(FakeLlm::openai({"It needs your confirmation."}));
  const auto events = ask(mgr, {{"question", "Save book with 40 AAA sold as book2"}});
  bool asked = false;
  for (const auto& e : events) asked = asked || (e.name == "confirm" && e.data["call"] == "T1");
  EXPECT_TRUE(asked);
  const std::int64_t id = events.back().data["conversation"];
  EXPECT_EQ(get(mgr, "/api/v1/portfolios/book2")->status, 404);
  const std::string path = "/api/v1/assistant/conversations/" + std::to_string(id) + "/calls/T1/confirm";
  EXPECT_EQ(post(ana_, path, "{}")->status, 404);  // not the analyst's conversation
  auto r = kept(post(mgr, path, json{{"approve", true}}.dump()));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["call"]["status"], "confirmed");
  auto book2 = get(mgr, "/api/v1/portfolios/book2");
  ASSERT_EQ(book2->status, 200);
  EXPECT_EQ(post(mgr, path, "{}")->status, 409);
}

TEST_F(AssistantRoutes, ThePolicyIsTheAdminsAndProvidersFollowIt) {
  EXPECT_EQ(put(ana_, "/api/v1/assistant/policy", json{{"local_only", true}}.dump())->status, 403);
  auto r =
      kept(put(root_, "/api/v1/assistant/policy", json{{"local_only", true}, {"redaction", "on"}}.dump()));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["local_only"], true);
  EXPECT_EQ(body(get(login("view"), "/api/v1/assistant/policy"))["redaction"], "on");
  auto refused =
      post(root_, "/api/v1/assistant/providers",
           json{{"name", "cloud"}, {"base_url", "https://api.openai.com/v1"}, {"model", "gpt-4o"}}.dump());
  EXPECT_EQ(refused->status, 403);
  EXPECT_NE(refused->body.find("only local providers"), std::string::npos) << refused->body;
  add_provider();  // loopback is local
  // Redaction is on by default now: the question's symbol goes as a placeholder.
  fake_.push(FakeLlm::openai({"Fine."}));
  const auto events = ask(ana_, {{"question", "Is AAA in book risky?"}, {"portfolio", "book"}});
  EXPECT_EQ(events.back().data["redacted"], true);
  const std::string sent = fake_.requests()[0].json["messages"].back()["content"];
  EXPECT_EQ(sent.find("AAA"), std::string::npos) << sent;
  // The other tenant's policy is untouched.
  EXPECT_EQ(body(get(login("other"), "/api/v1/assistant/policy"))["local_only"], false);
}

TEST_F(AssistantRoutes, AViewersProviderNeverReachesItsHostNorCarriesTheTenantsKey) {
  // The attack: a viewer registers a provider at a host of their own naming the tenant's key, then
  // tests it. The loopback listener stands in for the attacker's host.
  FakeLlm attacker;
  attacker.otherwise(FakeLlm::openai({"stolen"}));
  const std::string view = login("view");
  for (const std::string& token : {view, ana_, login("mgr")}) {
    auto r = kept(post(token, "/api/v1/assistant/providers",
                       json{{"name", "evil"}, {"base_url", attacker.openai_url()}, {"model", "x"}, {"key", "openai"}}
                           .dump()));
    EXPECT_EQ(r->status, 403) << r->body;
    EXPECT_EQ(kept(post(token, "/api/v1/assistant/providers/evil/test", ""))->status, 404);
  }
  EXPECT_TRUE(attacker.requests().empty());
  // Each refusal is audited (auth.forbidden: the routes need manage_keys).
  const json forbidden = audited("auth.forbidden");
  ASSERT_GE(forbidden.size(), 3u);
  EXPECT_EQ(forbidden[0]["details"]["permission"], "manage_keys");
  // Nor may they remove or replace the admin's provider; they use it.
  add_provider();
  EXPECT_EQ(kept(del(view, "/api/v1/assistant/providers/fake"))->status, 403);
  auto replaced = kept(post(view, "/api/v1/assistant/providers",
                            json{{"name", "fake"}, {"base_url", attacker.openai_url()}, {"model", "x"}, {"key", "openai"}}
                                .dump()));
  EXPECT_EQ(replaced->status, 403);
  auto listed = kept(get(view, "/api/v1/assistant/providers"));
  ASSERT_EQ(body(listed)["items"].size(), 1u);
  EXPECT_EQ(body(listed)["items"][0]["base_url"], fake_.openai_url());
  fake_.push(FakeLlm::openai({"OK"}));
  auto tested = kept(post(view, "/api/v1/assistant/providers/fake/test", ""));
  ASSERT_EQ(tested->status, 200) << tested->body;
  EXPECT_EQ(body(tested)["ok"], true);
  EXPECT_TRUE(attacker.requests().empty());
  // The key went to the fake (its bound origin), and to no one else.
  ASSERT_EQ(fake_.requests().size(), 1u);
  EXPECT_EQ(fake_.requests()[0].header("Authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(responses_.find(kKey), std::string::npos);
}

TEST_F(AssistantRoutes, OutboundRequestsToPrivateAddressesAreRefusedWithTheReasonAndAudited) {
  FakeLlm unlisted;  // loopback, not in the tenant's allowed hosts
  unlisted.otherwise(FakeLlm::openai({"reached"}));
  // The policy's allow-list is cleared: every public host, no private one.
  ASSERT_EQ(kept(put(root_, "/api/v1/assistant/policy", json{{"allowed_hosts", json::array()}}.dump()))->status, 200);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {unlisted.openai_url(), "loopback (127.0.0.0/8)"},
      {"http://169.254.169.254/latest/meta-data", "link-local (169.254.0.0/16)"},
      {"http://10.0.0.1/v1", "private (10.0.0.0/8)"},
      {"http://localhost:" + std::to_string(unlisted.port()) + "/v1", "this machine (localhost)"},
  };
  for (const auto& [url, why] : cases) {
    auto r = kept(post(root_, "/api/v1/assistant/providers",
                       json{{"name", "p"}, {"base_url", url}, {"model", "x"}}.dump()));
    EXPECT_EQ(r->status, 403) << url << " " << r->body;
    const std::string message = body(r)["error"]["message"];
    EXPECT_NE(message.find("outbound request refused"), std::string::npos) << message;
    EXPECT_NE(message.find(why), std::string::npos) << message;
  }
  const json refusals = audited("outbound.refused");
  ASSERT_EQ(refusals.size(), cases.size());
  EXPECT_EQ(refusals[0]["user"], "root");
  EXPECT_EQ(refusals[0]["outcome"], "denied");
  EXPECT_EQ(refusals[0]["details"]["reason"], "destination");
  EXPECT_TRUE(unlisted.requests().empty());

  // An allowed host that redirects to a forbidden one: the redirect is not followed, and the
  // second host sees nothing.
  ASSERT_EQ(kept(put(root_, "/api/v1/assistant/policy",
                     json{{"allowed_hosts", {net::host_for_policy(fake_.openai_url())}}}.dump()))
                ->status,
            200);
  add_provider();
  fake_.push([&](const LlmRequest&, httplib::Response& res) {
    res.status = 307;
    res.set_header("Location", unlisted.openai_url() + "/chat/completions");
  });
  auto tested = kept(post(ana_, "/api/v1/assistant/providers/fake/test", ""));
  ASSERT_EQ(tested->status, 200) << tested->body;
  EXPECT_EQ(body(tested)["ok"], false);
  EXPECT_NE(body(tested)["error"].get<std::string>().find("redirect"), std::string::npos) << tested->body;
  EXPECT_TRUE(unlisted.requests().empty());
  EXPECT_EQ(responses_.find(kKey), std::string::npos);
}

TEST_F(AssistantRoutes, AKeyBoundToOneOriginIsNotSentToAnotherWhateverTheProviderSays) {
  // An admin's provider at another origin (listed in the policy) names the key bound to fake_.
  FakeLlm other;
  other.otherwise(FakeLlm::openai({"reached"}));
  ASSERT_EQ(kept(put(root_, "/api/v1/assistant/policy",
                     json{{"allowed_hosts", {net::host_for_policy(fake_.openai_url()),
                                             net::host_for_policy(other.openai_url())}}}
                         .dump()))
                ->status,
            200);
  auto r = kept(post(root_, "/api/v1/assistant/providers",
                     json{{"name", "elsewhere"}, {"base_url", other.openai_url()}, {"model", "x"}, {"key", "openai"}}
                         .dump()));
  ASSERT_EQ(r->status, 201) << r->body;
  auto tested = kept(post(ana_, "/api/v1/assistant/providers/elsewhere/test", ""));
  EXPECT_EQ(tested->status, 403) << tested->body;
  EXPECT_NE(tested->body.find("keel keys bind openai --origin " + *net::normalize_origin(other.openai_url())),
            std::string::npos)
      << tested->body;
  auto asked = kept(post(ana_, "/api/v1/assistant/messages",
                         json{{"question", "Hello"}, {"provider", "elsewhere"}, {"stream", false}}.dump()));
  EXPECT_EQ(asked->status, 403) << asked->body;
  EXPECT_TRUE(other.requests().empty());
  const json refusals = audited("outbound.refused");
  ASSERT_EQ(refusals.size(), 2u);
  EXPECT_EQ(refusals[0]["details"]["reason"], "key_origin");
  EXPECT_EQ(refusals[0]["user"], "ana");
  // GET /api/v1/keys shows where the key may go; binding it to the other origin lets it go there.
  EXPECT_EQ(body(kept(get(root_, "/api/v1/keys")))["items"][0]["origins"],
            json::array({*net::normalize_origin(fake_.openai_url())}));
  ASSERT_EQ(kept(put(root_, "/api/v1/keys/openai/origins",
                     json{{"origins", {other.openai_url()}}}.dump()))
                ->status,
            200);
  tested = kept(post(ana_, "/api/v1/assistant/providers/elsewhere/test", ""));
  ASSERT_EQ(tested->status, 200) << tested->body;
  EXPECT_EQ(body(tested)["ok"], true);
  ASSERT_EQ(other.requests().size(), 1u);
  EXPECT_EQ(other.requests()[0].header("Authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(responses_.find(kKey), std::string::npos);
}

TEST_F(AssistantRoutes, EveryToolsParametersAreItsRequestSchemaInTheOpenApiDocument) {
  auto doc = client()->Get("/api/v1/openapi.json");
  const json components = json::parse(doc->body)["components"]["schemas"];
  auto r = kept(get(ana_, "/api/v1/assistant/tools"));
  ASSERT_EQ(r->status, 200);
  int compared = 0;
  const json listed = body(r);
  for (const auto& t : listed["items"]) {
    if (t["request_schema"].is_null() || !components.contains(t["request_schema"].get<std::string>()))
      continue;
    json params = t["parameters"];
    json required = json::array();
    for (const auto& name : params.value("required", json::array())) {
      const bool extra = name == "portfolio" || name == "trades" || name == "save_as";
      if (!extra) required.push_back(name);
    }
    for (const char* extra : {"portfolio", "trades", "save_as", "account"}) params["properties"].erase(extra);
    if (required.empty())
      params.erase("required");
    else
      params["required"] = required;
    EXPECT_EQ(params, resolve(components[t["request_schema"].get<std::string>()], components)) << t["name"];
    ++compared;
  }
  EXPECT_GE(
      compared,
      8);  // risk_var, exposures, greeks, factor_betas, stress, plan_retire, alm_eve, alm_nii, clo_tests
}

}  // namespace
}  // namespace keel::server::testing
