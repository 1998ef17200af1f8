// The plan use cases shared by `keel plan` and POST /api/v1/plan/retire.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "keel/core/error.h"
#include "keel/service/plan.h"
#include "keel/service/spec.h"

namespace keel::service {
namespace {

std::string all_problems(const Error& e) {
  std::string s = e.what();
  for (const auto& d : e.details()) s += "\n" + d;
  return s;
}

TEST(PlanService, RetireJsonHasTheInterfaceFields) {
  PlanRequest q;
  q.balance = 1'000'000;
  q.years = 20;
  q.withdrawal = 50'000;
  q.returns = "normal:0.04,0";
  q.inflation = 0.0;
  q.trials = 50;
  const auto j = spec::to_json(plan_retire(Context{}, q));
  // Zero volatility: B20 = 1e6 x 1.04^20 - 50,000 x 1.04 x (1.04^20 - 1) / 0.04 (annuity-due).
  const double b20 = 1e6 * std::pow(1.04, 20) - 50'000 * 1.04 * (std::pow(1.04, 20) - 1) / 0.04;
  EXPECT_NEAR(j["terminal"]["p50"].get<double>(), b20, 0.005);
  for (const char* k : {"success_rate", "terminal", "paths", "spending", "median_shortfall_year",
                        "safe_withdrawal_rate", "shortfalls_by_year", "inputs"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["paths"]["p5"].size(), 21u);
  EXPECT_EQ(j["inputs"]["strategy"], "constant-dollar");
}

TEST(PlanService, AllProblemsOfARequestTogether) {
  PlanRequest q;
  q.balance = -1;
  q.years = 0;
  q.returns = "normal:0.05";
  try {
    build_plan_inputs(Context{}, q);
    FAIL();
  } catch (const Error& e) {
    const auto s = all_problems(e);
    EXPECT_NE(s.find("expected 2 numbers"), std::string::npos) << s;
    EXPECT_NE(s.find("balance: must be a number >= 0"), std::string::npos) << s;
    EXPECT_NE(s.find("years: the horizon must be 1..200 years"), std::string::npos) << s;
  }
}

TEST(PlanService, HttpBodyProblemsNameTheirFieldPaths) {
  const auto body = nlohmann::json::parse(R"({"balance": "lots", "strategy": "yolo", "trials": 0,
    "events": [{"year": 1, "type": "windfall", "amount": 5}, {"year": 2, "type": "gift"},
               {"year": 3, "type": "expense", "amount": "a lot", "colour": "red"}],
    "events_file": "/etc/passwd"})");
  PlanRequest q;
  try {
    spec::read_json(body, q, "plan request");
    FAIL();
  } catch (const Error& e) {
    const auto s = all_problems(e);
    EXPECT_NE(s.find("balance: expected a number"), std::string::npos) << s;
    EXPECT_NE(s.find("strategy: expected constant-dollar"), std::string::npos) << s;
    EXPECT_NE(s.find("trials: expected an integer from 1 to 10000000"), std::string::npos) << s;
    EXPECT_NE(s.find("events[1].type: expected expense, income_change, windfall or savings_rate_change"),
              std::string::npos) << s;
    EXPECT_NE(s.find("events[1].amount: required"), std::string::npos) << s;
    EXPECT_NE(s.find("events[2].amount: expected a number"), std::string::npos) << s;
    EXPECT_NE(s.find("events[2].colour"), std::string::npos) << s;
    EXPECT_NE(s.find("events_file"), std::string::npos) << s;  // not an HTTP field
  }
}

TEST(PlanService, FilesAreReadThroughTheEnv) {
  PlanRequest q;
  q.balance = 1000;
  q.withdrawal = 10;
  q.returns = "bootstrap:/etc/passwd";
  const Context server{nullptr, server_env()};
  try {
    build_plan_inputs(server, q);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden) << all_problems(e);
  }
  q.returns = "normal:0.05,0.1";
  q.events_file = "/etc/passwd";
  EXPECT_THROW(build_plan_inputs(server, q), Error);
}

TEST(PlanService, JsonRequestWithInlineEventsAndHistory) {
  const auto body = nlohmann::json::parse(R"({
    "balance": 100000, "years": 3, "withdrawal_rate": 0.0, "inflation": 0, "trials": 20,
    "returns": "bootstrap", "history": [0.0, 0.0], "block_length": 1,
    "events": [{"year": 1, "type": "windfall", "amount": 5000}]})");
  PlanRequest q;
  spec::read_json(body, q, "plan request");
  const auto r = plan_retire(Context{}, q);
  // Returns are all zero: 100,000 + 5,000.
  EXPECT_NEAR(r.figures.terminal.p50, 105'000.0, 1e-9);
  EXPECT_EQ(r.inputs.events, 1u);
  EXPECT_EQ(spec::to_json(r)["inputs"]["events"], 1);
}

TEST(PlanService, SensitivityRowsInOrder) {
  PlanRequest q;
  q.balance = 1'000'000;
  q.years = 25;
  q.trials = 500;
  PlanSensitivityRequest sq;
  sq.plan = q;
  sq.vary = plan::SensitivityParameter::kWithdrawalRate;
  sq.values = {0.03, 0.05, 0.07};
  const auto j = spec::to_json(plan_sensitivity(Context{}, sq));
  EXPECT_EQ(j["parameter"], "withdrawal-rate");
  ASSERT_EQ(j["rows"].size(), 3u);
  EXPECT_EQ(j["rows"][1]["value"], 0.05);
  EXPECT_GE(j["rows"][0]["success_rate"].get<double>(), j["rows"][2]["success_rate"].get<double>());
  PlanSensitivityRequest bad;
  EXPECT_THROW(spec::read_json(nlohmann::json::parse(R"({"vary": "colour", "values": [1]})"), bad, "r"), Error);
  bad.values.clear();
  EXPECT_THROW(plan_sensitivity(Context{}, bad), Error);
}

}  // namespace
}  // namespace keel::service
