// The plan use cases shared by `keel plan` and POST /api/v1/plan/retire.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "keel/core/error.h"
#include "keel/service/plan.h"

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
  const auto j = plan_retire(q);
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
  q.strategy = "yolo";
  q.returns = "normal:0.05";
  try {
    build_plan_inputs(q);
    FAIL();
  } catch (const Error& e) {
    const auto s = all_problems(e);
    EXPECT_NE(s.find("unknown strategy \"yolo\""), std::string::npos) << s;
    EXPECT_NE(s.find("expected 2 numbers"), std::string::npos) << s;
    EXPECT_NE(s.find("balance: must be a number >= 0"), std::string::npos) << s;
    EXPECT_NE(s.find("years: the horizon must be 1..200 years"), std::string::npos) << s;
  }
}

TEST(PlanService, JsonRequestsMayNotNameServerFiles) {
  const auto body = nlohmann::json::parse(
      R"({"balance": 1000, "withdrawal": 10, "events_file": "/etc/passwd", "returns": "bootstrap:/etc/passwd"})");
  try {
    plan_request_from_json(body);
    FAIL();
  } catch (const Error& e) {
    const auto s = all_problems(e);
    EXPECT_NE(s.find("events_file: a request may not name server files"), std::string::npos) << s;
    EXPECT_NE(s.find("returns: a request may not name server files"), std::string::npos) << s;
  }
}

TEST(PlanService, JsonRequestWithInlineEventsAndHistory) {
  const auto body = nlohmann::json::parse(R"({
    "balance": 100000, "years": 3, "withdrawal_rate": 0.0, "inflation": 0, "trials": 20,
    "returns": "bootstrap", "history": [0.0, 0.0], "block_length": 1,
    "events": [{"year": 1, "type": "windfall", "amount": 5000}]})");
  const auto q = plan_request_from_json(body);
  const auto j = plan_retire(q);
  // Returns are all zero: 100,000 + 5,000.
  EXPECT_NEAR(j["terminal"]["p50"].get<double>(), 105'000.0, 1e-9);
  EXPECT_EQ(j["inputs"]["events"], 1);
  EXPECT_THROW(plan_request_from_json(nlohmann::json::parse(R"({"balance": "lots"})")), Error);
}

TEST(PlanService, SensitivityRowsInOrder) {
  PlanRequest q;
  q.balance = 1'000'000;
  q.years = 25;
  q.trials = 500;
  const auto j = plan_sensitivity(q, "withdrawal-rate", {0.03, 0.05, 0.07});
  ASSERT_EQ(j["rows"].size(), 3u);
  EXPECT_EQ(j["rows"][1]["value"], 0.05);
  EXPECT_GE(j["rows"][0]["success_rate"].get<double>(), j["rows"][2]["success_rate"].get<double>());
  EXPECT_THROW(plan_sensitivity(q, "colour", {1.0}), Error);
}

}  // namespace
}  // namespace keel::service
