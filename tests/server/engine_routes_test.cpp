// POST /api/v1/options/price (inline, typed body) and POST /api/v1/plan/sensitivity: a job (202)
// whose result is the service's plan sensitivity JSON.
#include <gtest/gtest.h>

#include "keel/service/plan.h"
#include "keel/store/job_repository.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

class EngineRoutesTest : public ServerFixture {};

TEST_F(EngineRoutesTest, PlanSensitivityIsAJobWithTheServiceResult) {
  const std::string ana = login("ana");
  // Zero returns and zero inflation make the plan deterministic: a constant withdrawal of 3% of
  // the starting balance lasts 33 years (> 30: every trial succeeds), 4% lasts 25 (every trial fails).
  const json plan = {{"balance", 1000000}, {"years", 30},      {"returns", "normal:0.0,0.0"},
                     {"inflation", 0.0},   {"trials", 200},    {"seed", 3}};
  json request = plan;
  request["vary"] = "withdrawal-rate";
  request["values"] = {0.03, 0.04};
  auto r = post(ana, "/api/v1/plan/sensitivity", request.dump());
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["kind"], "plan.sensitivity");
  const json done = wait_job(ana, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  const json& result = done["result"];
  ASSERT_EQ(result["rows"].size(), 2u);
  EXPECT_DOUBLE_EQ(result["rows"][0]["success_rate"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(result["rows"][1]["success_rate"].get<double>(), 0.0);
  service::PlanSensitivityRequest q;
  spec::read_json(plan, q.plan, "plan");
  q.vary = plan::SensitivityParameter::kWithdrawalRate;
  q.values = {0.03, 0.04};
  EXPECT_EQ(result, spec::to_json(service::plan_sensitivity(service::Context{}, q)));
}

TEST_F(EngineRoutesTest, PlanCompareRunsEachStrategyOnTheSameDraws) {
  const std::string ana = login("ana");
  // Zero returns and inflation: constant dollar at 3% spends 30,000 a year and ends 30 years with
  // 1,000,000 - 30 x 30,000 = 100,000; the largest rate that lasts 30 years is 1/30.
  const json plan = {{"balance", 1000000},
                     {"years", 30},
                     {"withdrawal_rate", 0.03},
                     {"returns", "normal:0.0,0.0"},
                     {"inflation", 0.0},
                     {"trials", 100},
                     {"seed", 3},
                     {"target_success", 0.9}};
  auto r = post(ana, "/api/v1/plan/compare", plan.dump());
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["kind"], "plan.compare");
  const json done = wait_job(ana, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  const json& result = done["result"];
  ASSERT_EQ(result["rows"].size(), 5u);
  const char* names[] = {"constant-dollar", "constant-percentage", "guyton-klinger", "vpw", "floor-ceiling"};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(result["rows"][i]["strategy"], names[i]);
  const json& cd = result["rows"][0];
  EXPECT_DOUBLE_EQ(cd["success_rate"].get<double>(), 1.0);
  EXPECT_NEAR(cd["terminal"]["p50"].get<double>(), 100000.0, 1e-6);
  EXPECT_NEAR(cd["first_year_spending_p50"].get<double>(), 30000.0, 1e-6);
  EXPECT_NEAR(cd["safe_withdrawal_rate"].get<double>(), 1.0 / 30.0, 2e-6);
  EXPECT_TRUE(result["rows"][1]["safe_withdrawal_rate"].is_null());  // not defined for a percentage
  EXPECT_TRUE(result["rows"][3]["safe_withdrawal_rate"].is_null());
  EXPECT_EQ(cd["paths"]["p50"].size(), 31u);
  service::PlanCompareRequest q;
  spec::read_json(plan, q.plan, "plan");
  EXPECT_EQ(result, spec::to_json(service::plan_compare(service::Context{}, q)));
  // Constant dollar here is retire's own result.
  service::PlanRequest one = q.plan;
  const json retire = spec::to_json(service::plan_retire(service::Context{}, one));
  EXPECT_EQ(cd["success_rate"], retire["success_rate"]);
  EXPECT_EQ(cd["paths"], retire["paths"]);

  // A withdrawal amount leaves the percentage strategy nothing to run with: it is skipped, named.
  json by_amount = plan;
  by_amount.erase("withdrawal_rate");
  by_amount.erase("target_success");
  by_amount["withdrawal"] = 30000;
  by_amount["strategies"] = {"constant-dollar", "constant-percentage"};
  const json two =
      wait_job(ana, body(post(ana, "/api/v1/plan/compare", by_amount.dump()))["id"].get<std::int64_t>());
  ASSERT_EQ(two["status"], "succeeded") << two.dump();
  ASSERT_EQ(two["result"]["rows"].size(), 1u);
  ASSERT_EQ(two["result"]["skipped"].size(), 1u);
  EXPECT_EQ(two["result"]["skipped"][0]["strategy"], "constant-percentage");
  r = post(ana, "/api/v1/plan/compare", json{{"balance", 1}, {"strategies", {"nope"}}}.dump());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(post(login("view"), "/api/v1/plan/compare", plan.dump())->status, 403);
}

TEST_F(EngineRoutesTest, APlanJobSplitIntoShardsOfTrialsGivesTheWholeRunsResult) {
  auto c = config_;
  c.shard_trials = 700;  // 2,000 trials: shards of 704 (a multiple of 8), 704 and 592
  c.job_workers = 2;
  restart(c);
  const std::string ana = login("ana");
  const std::string plan =
      R"({"balance":900000,"withdrawal":40000,"years":30,"trials":2000,"seed":5,"returns":"t:0.05,0.15,5"})";
  auto r = post(ana, "/api/v1/plan/retire", plan);
  ASSERT_EQ(r->status, 202) << r->body;
  const auto id = body(r)["id"].get<std::int64_t>();
  const auto done = wait_job(ana, id);
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  service::PlanRequest q;
  spec::read_json(nlohmann::json::parse(plan), q, "plan");
  EXPECT_EQ(done["result"], nlohmann::json::parse(spec::to_json(service::plan_retire({nullptr, server_env()}, q)).dump()));
  EXPECT_EQ(open_store(db_)->jobs().find(id)->shards, 3);
}

TEST_F(EngineRoutesTest, PlanSensitivityNamesBadFieldsAndViewersCannotRunIt) {
  const std::string ana = login("ana");
  auto r = post(ana, "/api/v1/plan/sensitivity", R"({"vary":"luck","values":"many","balance":1000})");
  ASSERT_EQ(r->status, 400) << r->body;
  const std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("vary: expected withdrawal-rate"), std::string::npos) << details;
  EXPECT_NE(details.find("values: expected an array"), std::string::npos) << details;
  r = post(ana, "/api/v1/plan/sensitivity", R"({"vary":"allocation","values":[0.5],"events_file":"/etc/passwd"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("events_file"), std::string::npos);
  // A nested problem is named by its path in the body.
  r = post(ana, "/api/v1/plan/retire",
           R"({"balance":1000,"withdrawal":10,"events":[{"year":1,"type":"windfall","amount":5},{"year":2,"type":"expense","amount":"x"}]})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("events[1].amount: expected a number"), std::string::npos) << r->body;
  r = post(ana, "/api/v1/plan/retire", R"({"balance":1000,"withdrawal":10,"returns":"bootstrap:/etc/passwd"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("returns: bootstrap:FILE reads a server file"), std::string::npos) << r->body;
  // An empty plan is refused before a job is queued, with the plan's own checks named.
  const auto jobs_before = body(get(ana, "/api/v1/jobs"))["items"].size();
  r = post(ana, "/api/v1/plan/retire", "{}");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body(r)["error"]["message"], "invalid retirement plan") << r->body;
  EXPECT_FALSE(body(r)["error"]["details"].empty()) << r->body;
  EXPECT_EQ(body(get(ana, "/api/v1/jobs"))["items"].size(), jobs_before);
  EXPECT_EQ(post(login("view"), "/api/v1/plan/sensitivity", R"({"vary":"allocation","values":[0.5]})")->status, 403);
}

TEST_F(EngineRoutesTest, OptionPriceMatchesHullAndNamesBadFields) {
  const std::string ana = login("ana");
  // Hull, Options, Futures, and Other Derivatives, example 15.6: S 42, K 40, r 10%, sigma 20%,
  // T 0.5: call 4.76, put 0.81.
  auto r = post(ana, "/api/v1/options/price",
                R"({"type":"put","spot":42,"strike":40,"rate":0.1,"vol":0.2,"years":0.5})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NEAR(body(r)["price"].get<double>(), 0.81, 0.005);
  EXPECT_TRUE(body(r)["implied_vol"].is_null());
  EXPECT_EQ(body(r)["model"], "bsm");
  // Implied vol from the call price inverts to the 20% it came from.
  r = post(ana, "/api/v1/options/price",
           R"({"type":"call","spot":42,"strike":40,"rate":0.1,"years":0.5,"implied_vol":true,"price":4.759422})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NEAR(body(r)["implied_vol"].get<double>(), 0.2, 1e-5);
  // Every problem at once, each named by its field.
  r = post(ana, "/api/v1/options/price", R"({"type":"straddle","spot":-1,"vol":"high","exercize":"american"})");
  ASSERT_EQ(r->status, 400) << r->body;
  const std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("type: expected call or put"), std::string::npos) << details;
  EXPECT_NE(details.find("spot: expected a number at least 0"), std::string::npos) << details;
  EXPECT_NE(details.find("strike: required"), std::string::npos) << details;
  EXPECT_NE(details.find("vol: expected a number"), std::string::npos) << details;
  EXPECT_NE(details.find("exercize"), std::string::npos) << details;
  // A contradictory request speaks field names, not CLI flags.
  r = post(ana, "/api/v1/options/price", R"({"type":"call","spot":42,"strike":40,"years":0.5})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("give vol"), std::string::npos) << r->body;
  EXPECT_EQ(r->body.find("--"), std::string::npos) << r->body;
}

}  // namespace
}  // namespace keel::server::testing
