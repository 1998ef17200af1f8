// Admission over HTTP (docs/server.md "Limits"): the requests of issue 57's table, each refused
// at once with 413 naming the limit, the cost and the parameter, before anything of its size is
// allocated or queued — while another tenant's small VaR is answered as usual.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

class AdmissionRoutes : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    import_synthetic_prices();
    mgr_ = login("mgr");
    ana_ = login("ana");
    pid_ = create_two_stock_book(mgr_, "book");
  }

  // A 413 whose message names the limit and whose details carry the cost and the parameter.
  void expect_refused(const HttpResult& r, const std::string& operation, const std::string& parameter) {
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 413) << r->body;
    const json e = body(r)["error"];
    EXPECT_EQ(e["code"], "payload_too_large");
    const std::string m = e["message"];
    EXPECT_EQ(m.rfind(operation + " refused: it would take about", 0), 0u) << m;
    EXPECT_NE(m.find(" over "), std::string::npos) << m;
    ASSERT_EQ(e["details"].size(), 3u) << r->body;
    EXPECT_EQ(e["details"][0].get<std::string>().rfind("cost: ", 0), 0u) << r->body;
    EXPECT_EQ(e["details"][1].get<std::string>().rfind("limit: ", 0), 0u) << r->body;
    EXPECT_NE(e["details"][2].get<std::string>().find(parameter), std::string::npos) << r->body;
  }

  std::string pid() const { return std::to_string(pid_); }
  std::string mgr_, ana_;
  std::int64_t pid_ = 0;
};

TEST_F(AdmissionRoutes, WhatIfWithAHundredMillionPathsIsRefusedAtOnce) {
  auto r = post(ana_, "/api/v1/portfolios/" + pid() + "/sessions", json{{"name", "big"}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string s = "/api/v1/sessions/" + std::to_string(body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(post(ana_, s + "/trades", R"([{"symbol":"AAA","quantity":-40}])")->status, 201);

  const auto t0 = Clock::now();
  r = post(ana_, s + "/calculate", R"({"method":"montecarlo","paths":100000000})");
  expect_refused(r, "what-if calculation", "paths");
  EXPECT_LT(seconds_since(t0), 2.0);  // it ran 40 s before
  // The same session with the default methods is answered.
  r = post(ana_, s + "/calculate", R"({"method":"parametric","window":100})");
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST_F(AdmissionRoutes, CloGridOfAMillionPointsIsRefusedBeforeAnyPointIsBuilt) {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/examples/clo/small_deal.json");
  if (!in) GTEST_SKIP() << "examples/clo/small_deal.json not found";
  json deal = json::parse(in);
  deal["collateral"] = json::array({
      {{"obligor", "L1"}, {"industry", "Retail"}, {"par", 40000000}, {"price", 99}, {"spread", 0.04}, {"floor", 0},
       {"coupon_type", "floating"}, {"maturity", "2030-01-15"}, {"rating", "B2"}, {"lien", "first"}},
      {{"obligor", "L2"}, {"industry", "Retail"}, {"par", 30000000}, {"price", 95}, {"spread", 0.045}, {"floor", 0},
       {"coupon_type", "floating"}, {"maturity", "2030-01-15"}, {"rating", "B3"}, {"lien", "first"}},
      {{"obligor", "L3"}, {"industry", "Retail"}, {"par", 30000000}, {"price", 97}, {"spread", 0.05}, {"floor", 0},
       {"coupon_type", "floating"}, {"maturity", "2030-01-15"}, {"rating", "B1"}, {"lien", "first"}},
  });
  for (int n : {100, 1000}) {
    json axis = json::array();
    for (int i = 0; i < n; ++i) axis.push_back(0.9 * i / n);
    const auto t0 = Clock::now();
    const auto r = post(ana_, "/api/v1/clo/grid",
                        json{{"deal", deal}, {"cdr", axis}, {"cpr", axis}, {"recovery", axis}}.dump());
    expect_refused(r, "CLO grid", "cdr, cpr, recovery");
    EXPECT_LT(seconds_since(t0), 2.0) << n;  // 35 s and 5.6 GB at 100 before; memory exhausted at 1000
  }
  // A grid of 2 x 2 x 2 points is answered with its 8 points.
  const auto r = post(ana_, "/api/v1/clo/grid",
                      json{{"deal", deal}, {"cdr", {0.0, 0.02}}, {"cpr", {0.1, 0.2}}, {"recovery", {0.5, 0.7}}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["points"], 8);
  ASSERT_EQ(body(r)["scenarios"].size(), 8u);
  // CDR slowest, recovery fastest.
  EXPECT_EQ(body(r)["scenarios"][1]["recovery"], 0.7);
  EXPECT_EQ(body(r)["scenarios"][2]["cpr"], 0.2);
  EXPECT_EQ(body(r)["scenarios"][4]["cdr"], 0.02);

  // A Monte Carlo of 10,000,000 scenarios would keep 11 values of 16 bytes each per scenario
  // (losses, unpaid interest and PV loss of 3 tranches, the equity IRR, the default share): 1.76 GB,
  // over the memory limit even as a job, so nothing is queued.
  const auto mc = post(ana_, "/api/v1/clo/montecarlo", json{{"deal", deal}, {"scenarios", 10000000}}.dump());
  expect_refused(mc, "CLO Monte Carlo", "scenarios");
  EXPECT_EQ(body(get(ana_, "/api/v1/jobs"))["items"].size(), 0u);
  // 5,000 scenarios run as a job as before.
  EXPECT_EQ(post(ana_, "/api/v1/clo/montecarlo", json{{"deal", deal}, {"scenarios", 5000}}.dump())->status, 202);
}

TEST_F(AdmissionRoutes, OptimizeWithTenThousandViewsOrAMillionPathsIsRefused) {
  json views = json::array();
  for (int i = 0; i < 10000; ++i) views.push_back({{"view", i % 2 ? "AAA" : "BBB"}, {"return", 0.05}, {"confidence", 0.5}});
  auto t0 = Clock::now();
  auto r = post(ana_, "/api/v1/portfolios/" + pid() + "/optimize",
                json{{"objective", "min-variance"}, {"expected_returns", "views"}, {"views", views}}.dump());
  expect_refused(r, "optimisation", "views");
  EXPECT_LT(seconds_since(t0), 5.0);

  t0 = Clock::now();
  r = post(ana_, "/api/v1/portfolios/" + pid() + "/optimize",
           json{{"objective", "min-cvar"}, {"scenarios", "monte-carlo"}, {"paths", 1000000}}.dump());
  expect_refused(r, "optimisation", "paths");
  EXPECT_LT(seconds_since(t0), 5.0);

  // The same objective on the window's returns is answered.
  r = post(ana_, "/api/v1/portfolios/" + pid() + "/optimize", json{{"objective", "min-cvar"}, {"long_only", true}}.dump());
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST_F(AdmissionRoutes, PlanSensitivityOverTheJobLimitIsRefusedAndNothingIsQueued) {
  json values = json::array();
  for (int i = 0; i < 10000; ++i) values.push_back(0.02 + 0.00001 * i);
  const json request = {{"vary", "withdrawal-rate"}, {"values", values}, {"trials", 10000000}, {"years", 60},
                        {"balance", 1000000}};
  const auto r = post(ana_, "/api/v1/plan/sensitivity", request.dump());
  expect_refused(r, "plan sensitivity", "values, trials, years");
  const auto jobs = get(ana_, "/api/v1/jobs");
  ASSERT_EQ(jobs->status, 200) << jobs->body;
  EXPECT_EQ(body(jobs)["items"].size(), 0u) << jobs->body;
}

TEST_F(AdmissionRoutes, ALargeMonteCarloVarRunsAsAJobAndATenantLimitApplies) {
  // 60,000 paths on 2 assets cost 2.4e5 steps: well under the foreground limit, yet the VaR rule
  // of more than 50,000 paths sends it to the background as before.
  auto r = post(ana_, "/api/v1/portfolios/" + pid() + "/risk/var", R"({"method":"montecarlo","paths":60000})");
  EXPECT_EQ(r->status, 202) << r->body;

  // A tenant whose foreground limit is a microsecond gets its small Monte Carlo VaR as a job, and
  // the other tenant does not.
  ServerConfig c = config_;
  c.limits.tenants.insert(service::parse_tenant_limit("acme:foreground_seconds=0.000001", c.limits.defaults));
  restart(c);
  ana_ = login("ana");
  r = post(ana_, "/api/v1/portfolios/" + pid() + "/risk/var", R"({"method":"montecarlo","paths":1000})");
  EXPECT_EQ(r->status, 202) << r->body;
  // A what-if over the tenant's foreground limit runs as a whatif.calculate job, whose result is
  // the calculation the route gives at once under the default limits.
  r = post(ana_, "/api/v1/portfolios/" + pid() + "/sessions", json{{"name", "s"}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string s = "/api/v1/sessions/" + std::to_string(body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(post(ana_, s + "/trades", R"([{"symbol":"AAA","quantity":-40}])")->status, 201);
  const std::string calc = R"({"method":"montecarlo","paths":1000,"seed":7})";
  r = post(ana_, s + "/calculate", calc);
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["kind"], "whatif.calculate");
  const json job = wait_job(ana_, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(job["status"], "succeeded") << job.dump();
  // The job's request, queued through POST /jobs, is read by the same reader: a bad session or
  // field is a 400 naming it, and another tenant's session is not found; nothing is queued.
  const std::string other = login("other");
  auto bad = post(ana_, "/api/v1/jobs", R"({"kind":"whatif.calculate","request":{"session":"one"}})");
  ASSERT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(body(bad)["error"]["details"][0], "request.session: expected a session id");
  bad = post(ana_, "/api/v1/jobs",
             json{{"kind", "whatif.calculate"}, {"request", {{"session", job["result"]["session_id"]}, {"options", {{"window", 1}}}}}}
                 .dump());
  ASSERT_EQ(bad->status, 400) << bad->body;
  EXPECT_NE(body(bad)["error"]["details"].dump().find("window"), std::string::npos) << bad->body;
  bad = post(other, "/api/v1/jobs",
             json{{"kind", "whatif.calculate"}, {"request", {{"session", job["result"]["session_id"]}}}}.dump());
  EXPECT_EQ(bad->status, 404) << bad->body;
  c.limits.tenants.clear();  // the default limits: the same calculation is answered at once
  restart(c);
  ana_ = login("ana");
  r = post(ana_, s + "/calculate", calc);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(job["result"], body(r));
}

}  // namespace
}  // namespace keel::server::testing
