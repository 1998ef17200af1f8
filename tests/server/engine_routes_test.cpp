// POST /api/v1/plan/sensitivity: a job (202) whose result is the service's plan sensitivity JSON.
#include <gtest/gtest.h>

#include "keel/service/plan.h"
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
  EXPECT_EQ(post(login("view"), "/api/v1/plan/sensitivity", R"({"vary":"allocation","values":[0.5]})")->status, 403);
}

}  // namespace
}  // namespace keel::server::testing
