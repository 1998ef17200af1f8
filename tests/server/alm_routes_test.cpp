// ALM over HTTP: stored sessions (create, list, show, runs, delete) against the closed form of a
// fixed bullet bond and against the service the CLI calls; permissions, tenant isolation, audit.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "keel/service/alm.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

// One fixed bullet bond: 4% annual coupon on 1,000,000 from 2020-06-15, paid each 15 June
// 2021..2025 moved to the next business day (2024-06-15 is a Saturday -> Monday 17th, 2025-06-15 a
// Sunday -> Monday 16th), accruing 30/360 between the adjusted dates, discounted on a flat 3% zero
// curve (continuous, act/365) from 2021-01-04 (docs/alm.md).
constexpr const char* kSheet =
    "id,side,type,notional,start_date,maturity_date,rate_type,rate,payment_frequency,amortization,day_count,currency\n"
    "bond,asset,bond,1000000,2020-06-15,2025-06-15,fixed,0.04,12M,bullet,30/360,USD\n";
constexpr const char* kCurve = "tenor,rate\n3M,0.03\n30Y,0.03\n";

json session_body(const std::string& name) {
  return {{"name", name},
          {"balance_sheet", kSheet},
          {"curves", json::array({{{"currency", "USD"}, {"text", kCurve}}})},
          {"currency", "USD"},
          {"as_of", "2021-01-04"},
          {"tier1", 100000.0},
          {"ttl_seconds", 3600}};
}

double bond_pv(double z) {
  const Date as_of = Date::from_ymd(2021, 1, 4);
  struct Flow {
    Date date;
    double amount;
  };
  const Flow flows[] = {
      {Date::from_ymd(2021, 6, 15), 40'000.0},
      {Date::from_ymd(2022, 6, 15), 40'000.0},
      {Date::from_ymd(2023, 6, 15), 40'000.0},
      {Date::from_ymd(2024, 6, 17), 40'000.0 * 362.0 / 360.0},  // 30/360 from 2023-06-15: 362 days
      {Date::from_ymd(2025, 6, 16), 40'000.0 * 359.0 / 360.0 + 1'000'000.0},  // from 2024-06-17: 359 days
  };
  double pv = 0.0;
  for (const auto& f : flows) pv += f.amount * std::exp(-z * (f.date - as_of) / 365.0);
  return pv;
}

class AlmRoutesTest : public ServerFixture {};

TEST_F(AlmRoutesTest, SessionRunsMatchTheClosedFormAndTheService) {
  const std::string ana = login("ana");
  auto r = post(ana, "/api/v1/alm/sessions", session_body("q4").dump());
  ASSERT_EQ(r->status, 201) << r->body;
  const json created = body(r);
  const auto id = created["session"]["id"].get<std::int64_t>();
  EXPECT_EQ(created["session"]["positions"], 1);
  EXPECT_NEAR(created["eve"]["base"].get<double>(), bond_pv(0.03), 1e-6);
  // Parallel up: +200bp on USD (BCBS 368 Annex 2), the same flows at 5%.
  for (const auto& s : created["eve"]["scenarios"]) {
    if (s["name"] == "parallel_up") {
      EXPECT_NEAR(s["eve"].get<double>(), bond_pv(0.05), 1e-6);
    }
  }

  // The same inputs straight through the service (what `keel alm eve` runs).
  service::AlmRequest req;
  req.tenant = "acme";
  req.balance_sheet = std::string(kSheet);
  service::AlmCurveInput curve;
  curve.currency = "USD";
  curve.text = std::string(kCurve);
  req.curves.push_back(curve);
  req.currency = "USD";
  req.as_of = Date::from_ymd(2021, 1, 4);
  req.tier1 = 100000.0;
  auto store = open_store(db_);
  const service::Context cx{store.get(), server_env()};
  const json direct = spec::to_json(service::alm_eve(cx, req));
  EXPECT_EQ(created["eve"]["scenarios"], direct["scenarios"]);
  EXPECT_EQ(created["eve"]["base"], direct["base"]);

  // Runs on the stored session: by id and by name.
  const std::string s = "/api/v1/alm/sessions/" + std::to_string(id);
  r = get(ana, s + "/eve");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["scenarios"], direct["scenarios"]);
  EXPECT_EQ(get(ana, "/api/v1/alm/sessions/q4/nii")->status, 200);
  r = get(ana, s + "/gap");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["buckets"], spec::to_json(service::alm_gap(cx, req))["buckets"]);
  // POST /alm/eve with "session" is the same run.
  r = post(ana, "/api/v1/alm/eve", json{{"session", "q4"}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["scenarios"], direct["scenarios"]);

  r = get(ana, s);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(body(r)["results"].contains("eve"));
  r = get(ana, "/api/v1/alm/sessions");
  ASSERT_EQ(body(r)["items"].size(), 1u);
  EXPECT_EQ(body(r)["items"][0]["id"], id);

  ASSERT_EQ(del(ana, s)->status, 200);
  EXPECT_EQ(get(ana, s)->status, 404);
}

TEST_F(AlmRoutesTest, BadBodiesNameTheFieldAndDuplicatesConflict) {
  const std::string ana = login("ana");
  auto r = post(ana, "/api/v1/alm/sessions", R"({"ttl_seconds": "long", "curves": 3})");
  ASSERT_EQ(r->status, 400) << r->body;
  const std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("name: required"), std::string::npos) << details;
  EXPECT_NE(details.find("ttl_seconds: expected an integer"), std::string::npos) << details;
  EXPECT_NE(details.find("balance_sheet: required"), std::string::npos) << details;
  EXPECT_NE(details.find("curves: expected an array"), std::string::npos) << details;
  // A bad row of the balance sheet: 400, nothing stored.
  json bad = session_body("bad");
  bad["balance_sheet"] = std::string(kSheet) + "b2,asset,bond,-5,2020-06-15,2025-06-15,fixed,0.04,12M,bullet,30/360,USD\n";
  EXPECT_EQ(post(ana, "/api/v1/alm/sessions", bad.dump())->status, 400);
  EXPECT_EQ(body(get(ana, "/api/v1/alm/sessions"))["items"].size(), 0u);
  ASSERT_EQ(post(ana, "/api/v1/alm/sessions", session_body("dup").dump())->status, 201);
  EXPECT_EQ(post(ana, "/api/v1/alm/sessions", session_body("dup").dump())->status, 409);
  EXPECT_EQ(get(ana, "/api/v1/alm/sessions/dup/nii?nii_horizon_months=0")->status, 400);
}

TEST_F(AlmRoutesTest, ViewersReadOnlyOtherTenantsSee404AndMutationsAreAudited) {
  const std::string root = login("root");
  const std::string ana = login("ana");
  const std::string view = login("view");
  const std::string other = login("other");
  EXPECT_EQ(post(view, "/api/v1/alm/sessions", session_body("v").dump())->status, 403);
  auto r = post(ana, "/api/v1/alm/sessions", session_body("mine").dump());
  ASSERT_EQ(r->status, 201);
  const auto id = body(r)["session"]["id"].get<std::int64_t>();
  const std::string s = "/api/v1/alm/sessions/" + std::to_string(id);
  EXPECT_EQ(get(view, s)->status, 200);
  EXPECT_EQ(get(view, s + "/eve")->status, 403);  // a run is a computation
  EXPECT_EQ(del(view, s)->status, 403);
  for (const auto& res : {get(other, s), get(other, "/api/v1/alm/sessions/mine"), get(other, s + "/eve"),
                          get(other, s + "/gap"), del(other, s),
                          post(other, "/api/v1/alm/eve", R"({"session":"mine"})")}) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << res->body;
  }
  EXPECT_EQ(body(get(other, "/api/v1/alm/sessions"))["items"].size(), 0u);
  ASSERT_EQ(del(ana, s)->status, 200);
  const std::string res = "alm_session/" + std::to_string(id);
  EXPECT_EQ(audit_actions(root, "alm_session."),
            (std::vector<std::string>{"alm_session.create:" + res, "alm_session.delete:" + res}));
}

// The six shocks of BCBS d368 (April 2016) Annex 2 for USD: parallel 200bp, short 300bp, long
// 150bp, at a bucket midpoint t (years) with the short-rate scalar S(t) = exp(-t/4) (§ 2 of Annex 2):
//   short_up = +300 S, steepener = -0.65 x 300 S + 0.9 x 150 (1 - S), flattener = +0.8 x 300 S - 0.6 x 150 (1 - S).
TEST_F(AlmRoutesTest, ShocksAreTheBaselTableAtTheBucketMidpoints) {
  const std::string view = login("view");  // the supervisory table is read-only data
  auto r = get(view, "/api/v1/alm/shocks?currency=USD&floor=false");
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = body(r);
  ASSERT_EQ(j["buckets"].size(), 19u);
  for (const auto& b : j["buckets"]) {
    const double t = b["midpoint_years"].get<double>();
    const double s = std::exp(-t / 4.0);
    const auto& bp = b["shift_bp"];
    EXPECT_NEAR(bp["parallel_up"].get<double>(), 200.0, 1e-9) << b["name"];
    EXPECT_NEAR(bp["parallel_down"].get<double>(), -200.0, 1e-9) << b["name"];
    EXPECT_NEAR(bp["short_up"].get<double>(), 300.0 * s, 1e-9) << b["name"];
    EXPECT_NEAR(bp["short_down"].get<double>(), -300.0 * s, 1e-9) << b["name"];
    EXPECT_NEAR(bp["steepener"].get<double>(), -0.65 * 300.0 * s + 0.9 * 150.0 * (1.0 - s), 1e-9) << b["name"];
    EXPECT_NEAR(bp["flattener"].get<double>(), 0.8 * 300.0 * s - 0.6 * 150.0 * (1.0 - s), 1e-9) << b["name"];
  }
  // The same document as `keel alm shocks --currency USD` (the service), floor on by default.
  r = get(view, "/api/v1/alm/shocks?currency=USD");
  ASSERT_EQ(r->status, 200) << r->body;
  service::AlmShocksRequest req;
  req.currency = "USD";
  EXPECT_EQ(body(r), spec::to_json(service::alm_shocks({nullptr, server_env()}, req)));
  EXPECT_EQ(body(get(view, "/api/v1/alm/shocks")), body(r));  // USD is the default

  r = get(view, "/api/v1/alm/shocks?currency=XYZ&floor=maybe");
  ASSERT_EQ(r->status, 400) << r->body;
  const std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("floor: "), std::string::npos) << details;
  r = get(view, "/api/v1/alm/shocks?currency=XYZ");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("currency: currency XYZ is not in"), std::string::npos) << r->body;
}

// A bad body is refused with every problem named by its field path, nested curves included.
TEST_F(AlmRoutesTest, BadBodiesNameTheFieldPath) {
  const std::string ana = login("ana");
  json b = session_body("bad");
  b.erase("name");
  b.erase("ttl_seconds");
  b["curves"][0]["kind"] = "forward";
  b["curves"][0]["date"] = "2021-13-01";
  b["fx"] = {{"EUR", -1.0}};
  b["tier1"] = "lots";
  b["nii_horizon_months"] = 0;
  b["colour"] = "blue";
  auto r = post(ana, "/api/v1/alm/eve", b.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  const json problems = body(r)["error"]["details"];
  std::string details;
  for (const auto& d : problems) details += d.get<std::string>() + "\n";
  for (const char* path : {"curves[0].kind: expected zero or par", "curves[0].date: ", "fx.EUR: ", "tier1: ",
                           "nii_horizon_months: ", "\"colour\": not a field"}) {
    EXPECT_NE(details.find(path), std::string::npos) << path << " in " << details;
  }
  r = post(ana, "/api/v1/alm/sessions", json{{"name", "x"}, {"curves", json::array({{{"text", 3}}})}}.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("curves[0].text: "), std::string::npos) << r->body;
}

TEST_F(AlmRoutesTest, CleanupDeletesExpiredSessionsForManagersOnly) {
  const std::string root = login("root");
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  // A fresh session, then one last used 2 hours ago with a 1-hour TTL (created through the service
  // with that clock; creating a session first deletes the expired ones, hence this order).
  ASSERT_EQ(post(ana, "/api/v1/alm/sessions", session_body("fresh").dump())->status, 201);
  {
    auto store = open_store(db_);
    service::AlmSessionCreateRequest req;
    req.name = "stale";
    req.ttl_seconds = 3600;
    req.inputs.tenant = "acme";
    req.inputs.balance_sheet = std::string(kSheet);
    service::AlmCurveInput curve;
    curve.currency = "USD";
    curve.text = std::string(kCurve);
    req.inputs.curves.push_back(curve);
    req.inputs.as_of = Date::from_ymd(2021, 1, 4);
    const FixedClock two_hours_ago(std::chrono::system_clock::now() - std::chrono::hours(2));
    service::alm_session_create({store.get(), Env{two_hours_ago, no_files()}}, req);
  }
  EXPECT_EQ(post(ana, "/api/v1/alm/sessions/cleanup", "{}")->status, 403);
  EXPECT_EQ(post(login("view"), "/api/v1/alm/sessions/cleanup", "{}")->status, 403);
  // The disk budget spans every tenant: a manager may not set it, and it must be an integer.
  auto r = post(mgr, "/api/v1/alm/sessions/cleanup", R"({"disk_budget_mb": 1})");
  ASSERT_EQ(r->status, 403) << r->body;
  EXPECT_NE(r->body.find("disk_budget_mb"), std::string::npos) << r->body;
  r = post(root, "/api/v1/alm/sessions/cleanup", R"({"disk_budget_mb": "lots"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("disk_budget_mb: expected an integer"), std::string::npos) << r->body;

  r = post(mgr, "/api/v1/alm/sessions/cleanup", "");
  ASSERT_EQ(r->status, 200) << r->body;
  const json out = body(r);
  EXPECT_EQ(out["expired"], 1);
  EXPECT_EQ(out["evicted"], 0);
  // What remains is the fresh session: bytes_after is its estimated size.
  const json list = body(get(ana, "/api/v1/alm/sessions"));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["name"], "fresh");
  EXPECT_EQ(out["bytes_after"], list["items"][0]["size_bytes"]);
  r = post(root, "/api/v1/alm/sessions/cleanup", R"({"disk_budget_mb": 1024})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["expired"], 0);
  EXPECT_EQ(audit_actions(root, "alm_session.cleanup"),
            (std::vector<std::string>{"alm_session.cleanup:alm_sessions", "alm_session.cleanup:alm_sessions"}));
}

}  // namespace
}  // namespace keel::server::testing
