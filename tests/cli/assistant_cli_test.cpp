// `keel ask` and `keel assistant ...` end to end: the real keel binary against a loopback provider
// in this process (tests/support/fake_llm.h) on a store with the demo's hnw book — the provider
// registered and tested, a question whose answer's figures are the VaR the command computes
// itself, a key sent from the vault and shown nowhere, the policy, the transcript.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "../support/cli_runner.h"
#include "../support/fake_llm.h"

namespace keel::testing {
namespace {

using nlohmann::json;

constexpr const char* kKey = "sk-cli-assistant-Key-777-keep-secret";

std::string store_with_hnw() {
  return cached_keel_store(
      "assistant_cli_hnw",
      {"import prices " + source_path("examples/market/prices.csv"),
       "import positions " + source_path("examples/portfolios/hnw.csv") + " --portfolio hnw"});
}

std::string two(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

TEST(AssistantCli, AskAnswersWithTheCommandsOwnFiguresAndKeepsTheTranscript) {
  StoreCopy db(store_with_hnw(), "assistant_cli");
  TempDb scratch("assistant_cli_key");
  const std::string key_file = scratch.path() + ".master.key";
  const std::string env = "KEEL_MASTER_KEY_SOURCE=file KEEL_MASTER_KEY_FILE=" + key_file + " ";
  const std::string keel = env + KEEL_BIN + std::string(" --db ") + db.path() + " ";
  FakeLlm fake;

  // The key may go to the fake provider only (its origin: scheme, address and port).
  auto r = run_command(keel + "keys set openai --stdin --origin " + fake.anthropic_url(), std::string(kKey) + "\n");
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_command(keel + "assistant provider add fake --base-url " + fake.openai_url() +
                  " --model fake-gpt --key openai --input-cost 2.5 --output-cost 10 --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json added = json::parse(r.out);
  EXPECT_EQ(added["key"], "openai");
  EXPECT_EQ(added["key_set"], true);
  EXPECT_EQ(added["local"], true);
  EXPECT_EQ(added["default"], true);

  fake.push(FakeLlm::openai({"OK"}, {}, 12, 1));
  r = run_command(keel + "assistant provider test fake --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["answer"], "OK");
  EXPECT_EQ(json::parse(r.out)["input_tokens"], 12);

  // The VaR the command computes, and the same figure in the answer.
  r = run_command(keel + "risk var --portfolio hnw --method historical --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const double var = json::parse(r.out)["results"][0]["var"];
  fake.push(FakeLlm::openai({}, {{"c1", "risk_var", {{"portfolio", "hnw"}, {"method", "historical"}}}}));
  fake.push([](const LlmRequest& q, httplib::Response& res) {
    const json out = json::parse(q.tool_results().at(0).second);
    FakeLlm::openai({"The VaR is " + two(out["result"]["results"][0]["var"]) + " [T1]."})(q, res);
  });
  r = run_command(keel + "ask 'why is my VaR higher than last week?' --portfolio hnw --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json a = json::parse(r.out);
  EXPECT_EQ(a["answer"], "The VaR is " + two(var) + " [T1].");
  ASSERT_EQ(a["citations"].size(), 1u);
  EXPECT_EQ(a["citations"][0]["path"], "/results/0/var");
  EXPECT_EQ(a["tool_calls"][0]["tool"], "risk_var");
  EXPECT_NEAR(a["usage"]["cost_usd"].get<double>(), (100 + 100) * 2.5e-6 + (20 + 20) * 10e-6, 1e-12);
  // The question and the portfolio went to the model; the key only in its header.
  EXPECT_NE(fake.requests()[1].body.find("why is my VaR higher than last week?"), std::string::npos);
  EXPECT_EQ(fake.requests()[1].header("Authorization"), std::string("Bearer ") + kKey);

  // The table form prints the answer and its sources.
  fake.push(FakeLlm::openai({"Nothing to compute."}));
  r = run_command(keel + "ask 'hello' --format table");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Nothing to compute."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Sources"), std::string::npos) << r.out;

  r = run_command(keel + "assistant conversations --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json convs = json::parse(r.out)["items"];
  ASSERT_EQ(convs.size(), 2u);
  r = run_command(keel + "assistant show " + std::to_string(a["conversation"].get<int>()) + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json t = json::parse(r.out);
  EXPECT_EQ(t["messages"].size(), 4u);
  EXPECT_EQ(t["exchanges"].size(), 2u);

  // A policy that allows only other hosts refuses the provider, before anything is sent.
  r = run_command(keel + "assistant policy set --allow-host api.openai.com --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto before = fake.requests().size();
  r = run_command(keel + "ask 'hello'");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("allowed hosts"), std::string::npos) << r.err;
  EXPECT_EQ(fake.requests().size(), before);

  // The policy's flags come from AssistantPolicyRequest: an optional boolean is --local-only or
  // --any-location, an optional list --allow-host or --any-host (the empty list), each pair
  // exclusive; a setting not given is left as it was.
  r = run_command(keel + "assistant policy set --any-host --local-only --redaction required --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  json pol = json::parse(r.out);
  EXPECT_EQ(pol["allowed_hosts"], json::array());
  EXPECT_EQ(pol["local_only"], true);
  EXPECT_EQ(pol["redaction"], "required");
  r = run_command(keel + "assistant policy set --any-location --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  pol = json::parse(r.out);
  EXPECT_EQ(pol["local_only"], false);
  EXPECT_EQ(pol["redaction"], "required");
  EXPECT_EQ(pol["allowed_hosts"], json::array());
  r = run_command(keel + "assistant policy set --allow-host a.example --any-host");
  EXPECT_EQ(r.code, 2) << r.err;
  r = run_command(keel + "ask 'hello' --redact --no-redact");
  EXPECT_EQ(r.code, 2) << r.err;
  r = run_command(keel + "assistant policy set --redaction on --format json");
  ASSERT_EQ(r.code, 0) << r.err;

  // Nothing the commands printed holds the key; nor does the database.
  for (const char* cmd : {"assistant provider list --format json", "assistant policy show --format json",
                          "keys list --format json"}) {
    r = run_command(keel + std::string(cmd));
    EXPECT_EQ(r.out.find(kKey), std::string::npos) << cmd;
    EXPECT_EQ(r.err.find(kKey), std::string::npos) << cmd;
  }
  EXPECT_EQ(
      command_output("grep -c '" + std::string(kKey) + "' " + db.path() + " 2>/dev/null || true").find("1"),
      std::string::npos);
  std::remove(key_file.c_str());
}

}  // namespace
}  // namespace keel::testing
