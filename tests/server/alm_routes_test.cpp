// ALM over HTTP: stored sessions (create, list, show, runs, delete) against the closed form of a
// fixed bullet bond and against the service the CLI calls; permissions, tenant isolation, audit.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <cmath>

#include "keel/service/alm_runs.h"
#include "keel/service/alm_sessions.h"
#include "keel/service/alm_shocks.h"
#include "keel/store/alm_repository.h"
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

class AlmRoutesTest : public ServerFixture {
 protected:
  // A clock for the server, owned here: the server's threads (periodic cleanup) read it until
  // TearDown stops the server, after the test body's locals are gone.
  SteppedClock& stepped_clock(std::chrono::system_clock::time_point at) {
    clock_ = std::make_unique<SteppedClock>(at);
    return *clock_;
  }

 private:
  std::unique_ptr<SteppedClock> clock_;
};

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
  req.balance_sheet = std::string(kSheet);
  service::AlmCurveInput curve;
  curve.currency = "USD";
  curve.text = std::string(kCurve);
  req.curves.push_back(curve);
  req.currency = "USD";
  req.as_of = Date::from_ymd(2021, 1, 4);
  req.tier1 = 100000.0;
  auto store = open_store(db_);
  service::Context cx{store.get(), server_env()};
  cx.actor.tenant = "acme";
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
  EXPECT_EQ(get(view, s)->status, 404);  // ana's own until she shares it
  ASSERT_EQ(put(ana, s + "/sharing", R"({"shared": true})")->status, 200);
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
            (std::vector<std::string>{"alm_session.create:" + res, "alm_session.share:" + res,
                                      "alm_session.delete:" + res}));
}

// A run on a session is a read: a user it is shared with runs NII with another Tier 1 and sees
// that Tier 1's outlier test, while the results the session keeps (those of its creation, which
// every other user reads) stay as they were, and no audit row is written.
TEST_F(AlmRoutesTest, ARunWithOverridesOnASharedSessionChangesNothingTheOthersRead) {
  const std::string root = login("root");
  const std::string ana = login("ana");
  const std::string mgr = login("mgr");
  auto r = post(ana, "/api/v1/alm/sessions", session_body("shared").dump());
  ASSERT_EQ(r->status, 201) << r->body;
  const json created = body(r);
  const std::string s = "/api/v1/alm/sessions/" + std::to_string(created["session"]["id"].get<std::int64_t>());
  ASSERT_EQ(put(ana, s + "/sharing", R"({"shared": true})")->status, 200);
  const json kept = body(get(ana, s))["results"];
  ASSERT_TRUE(kept.contains("nii")) << kept.dump();
  EXPECT_EQ(kept["nii"]["outlier_test"]["tier1"], 100000.0);
  EXPECT_EQ(kept["nii"], created["nii"]);
  const auto audit_before = audit_actions(root, "");

  r = get(mgr, s + "/nii?tier1=200000000&nii_horizon_months=24");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["outlier_test"]["tier1"], 200000000.0);
  EXPECT_EQ(body(r)["horizon_months"], 24);
  ASSERT_EQ(get(mgr, s + "/eve?tier1=200000000")->status, 200);
  ASSERT_EQ(get(mgr, s + "/gap")->status, 200);

  for (const std::string& who : {ana, mgr}) {
    const json after = body(get(who, s))["results"];
    EXPECT_EQ(after["nii"], kept["nii"]) << "a run overwrote the session's NII";
    EXPECT_EQ(after["eve"], kept["eve"]) << "a run overwrote the session's EVE";
    EXPECT_EQ(after["gap"], kept["gap"]);
  }
  EXPECT_EQ(audit_actions(root, ""), audit_before) << "a read wrote an audit row";
}

// A session is its maker's: other users of the tenant neither list, read, run nor delete it (404,
// as for a name never used) until the owner shares it; then they read and run it, but only the
// owner or an administrator deletes it or changes its sharing. An administrator sees every session.
// A manager sees what each user's sessions hold, with the budgets (GET /alm/usage); an analyst
// may not. Only an admin cleans up with another user budget than the server's.
TEST_F(AlmRoutesTest, UsageByOwnerIsVisibleToManagersWithTheBudgets) {
  ServerConfig config = test_config(db_);
  config.alm_user_budget_mb = 7;
  restart(config);
  const std::string ana = login("ana");
  const std::string mgr = login("mgr");
  ASSERT_EQ(post(ana, "/api/v1/alm/sessions", session_body("a1").dump())->status, 201);
  ASSERT_EQ(post(ana, "/api/v1/alm/sessions", session_body("a2").dump())->status, 201);
  ASSERT_EQ(post(mgr, "/api/v1/alm/sessions", session_body("m1").dump())->status, 201);
  EXPECT_EQ(get(ana, "/api/v1/alm/usage")->status, 403);
  auto r = get(mgr, "/api/v1/alm/usage");
  ASSERT_EQ(r->status, 200) << r->body;
  json usage = body(r);
  EXPECT_EQ(usage["tenant"], "acme");
  EXPECT_EQ(usage["user_budget_mb"], 7);
  ASSERT_EQ(usage["users"].size(), 2u);
  EXPECT_EQ(usage["users"][0]["owner"], "ana");  // the largest first: two sessions
  EXPECT_EQ(usage["users"][0]["sessions"], 2);
  EXPECT_EQ(usage["users"][1]["owner"], "mgr");
  EXPECT_EQ(get(mgr, "/api/v1/alm/limits")->status, 200);
  EXPECT_EQ(body(get(mgr, "/api/v1/alm/limits"))["user_budget_mb"], 7);
  // Only an admin may clean up with another user budget than the server's.
  r = post(mgr, "/api/v1/alm/sessions/cleanup", R"({"user_budget_mb": 1})");
  EXPECT_EQ(r->status, 403) << r->body;
  r = post(login("root"), "/api/v1/alm/sessions/cleanup", R"({"user_budget_mb": 0})");
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST_F(AlmRoutesTest, SessionsArePerUserUntilTheOwnerSharesThem) {
  const std::string root = login("root");
  const std::string ana = login("ana");
  const std::string mgr = login("mgr");
  auto r = post(ana, "/api/v1/alm/sessions", session_body("mine").dump());
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["session"]["owner"], "ana");
  EXPECT_EQ(body(r)["session"]["shared"], false);
  const auto id = body(r)["session"]["id"].get<std::int64_t>();
  const std::string s = "/api/v1/alm/sessions/" + std::to_string(id);
  ASSERT_EQ(post(mgr, "/api/v1/alm/sessions", session_body("theirs").dump())->status, 201);

  auto names = [&](const std::string& token) {
    std::vector<std::string> out;
    const json page = body(get(token, "/api/v1/alm/sessions"));
    for (const auto& item : page["items"]) out.push_back(item["name"]);
    return out;
  };
  EXPECT_EQ(names(ana), (std::vector<std::string>{"mine"}));
  EXPECT_EQ(names(mgr), (std::vector<std::string>{"theirs"}));
  EXPECT_EQ(names(root), (std::vector<std::string>{"mine", "theirs"}));
  for (const auto& res : {get(mgr, s), get(mgr, "/api/v1/alm/sessions/mine"), get(mgr, s + "/eve"),
                          get(mgr, s + "/shocks"), post(mgr, "/api/v1/alm/nii", R"({"session":"mine"})"),
                          put(mgr, s + "/sharing", R"({"shared": true})"), del(mgr, s)}) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << res->body;
  }
  // The name is the tenant's: another user cannot take it, nor learn more than that.
  EXPECT_EQ(post(mgr, "/api/v1/alm/sessions", session_body("mine").dump())->status, 409);

  r = put(ana, s + "/sharing", R"({"shared": "yes"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(body(r)["error"]["details"].dump().find("shared: expected"), std::string::npos) << r->body;
  r = put(ana, s + "/sharing", "");  // no body: share
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["shared"], true);
  EXPECT_EQ(body(r)["owner"], "ana");
  EXPECT_EQ(names(mgr), (std::vector<std::string>{"mine", "theirs"}));
  EXPECT_EQ(get(mgr, s)->status, 200);
  EXPECT_EQ(get(mgr, s + "/eve")->status, 200);
  EXPECT_EQ(post(mgr, "/api/v1/alm/nii", R"({"session":"mine"})")->status, 200);
  // Shared is not handed over: only ana or an administrator deletes it or makes it private.
  EXPECT_EQ(del(mgr, s)->status, 403);
  EXPECT_EQ(put(mgr, s + "/sharing", R"({"shared": false})")->status, 403);
  r = put(root, s + "/sharing", R"({"shared": false})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["owner"], "ana");  // still hers
  EXPECT_EQ(get(mgr, s)->status, 404);
  EXPECT_EQ(get(ana, s)->status, 200);
  ASSERT_EQ(del(ana, s)->status, 200);
  const std::string res = "alm_session/" + std::to_string(id);
  EXPECT_EQ(audit_actions(root, "alm_session.share", "acme"),
            (std::vector<std::string>{"alm_session.share:" + res, "alm_session.share:" + res}));
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
  // The server runs on the test's clock, three hours back: its own cleanup at start (a thread of
  // its own, which on a loaded machine may run after the sessions below exist) finds nothing
  // expired. The clock then moves to now, where only the stale session has expired.
  const auto now = std::chrono::system_clock::now();
  SteppedClock& clock = stepped_clock(now - std::chrono::hours(3));
  ServerConfig config = test_config(db_);
  config.clock = &clock;
  config.tokens.ttl_seconds = 86400;
  restart(config);
  const std::string root = login("root");
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  // A fresh session (a day to live), then one last used 2 hours ago with a 1-hour TTL (created
  // through the service with that clock; creating a session first deletes the expired ones, hence
  // this order).
  json fresh = session_body("fresh");
  fresh["ttl_seconds"] = 86400;
  ASSERT_EQ(post(ana, "/api/v1/alm/sessions", fresh.dump())->status, 201);
  {
    auto store = open_store(db_);
    service::AlmSessionCreateRequest req;
    req.name = "stale";
    req.ttl_seconds = 3600;
    req.inputs.balance_sheet = std::string(kSheet);
    service::AlmCurveInput curve;
    curve.currency = "USD";
    curve.text = std::string(kCurve);
    req.inputs.curves.push_back(curve);
    req.inputs.as_of = Date::from_ymd(2021, 1, 4);
    const FixedClock two_hours_ago(now - std::chrono::hours(2));
    service::Context cx{store.get(), Env{two_hours_ago, no_files()}};
    cx.actor.tenant = "acme";
    service::alm_session_create(cx, req);
  }
  clock.advance(std::chrono::hours(3));
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

std::optional<store::AlmSessionInfo> stored_session(const std::string& db, const std::string& name) {
  auto store = open_store(db);
  return store->alm_sessions().find("acme", name);
}

// An expired session is gone: reading, running or deleting it answers 404 naming the expiry, the
// list leaves it out, and none of these renews it (its last use stays where it was).
TEST_F(AlmRoutesTest, AnExpiredSessionIsGoneAndReadingItDoesNotRenewIt) {
  SteppedClock& clock = stepped_clock(std::chrono::system_clock::now());
  ServerConfig config = test_config(db_);
  config.clock = &clock;
  config.tokens.ttl_seconds = 86400;  // the clock moves hours
  restart(config);
  const std::string ana = login("ana");
  auto r = post(ana, "/api/v1/alm/sessions", session_body("short").dump());  // ttl 3600 s
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string s = "/api/v1/alm/sessions/" + std::to_string(body(r)["session"]["id"].get<std::int64_t>());
  const std::int64_t last_used = stored_session(db_, "short")->last_accessed;
  clock.advance(std::chrono::seconds(1800));
  ASSERT_EQ(get(ana, s)->status, 200);  // a live session is renewed by a read
  const std::int64_t renewed = stored_session(db_, "short")->last_accessed;
  EXPECT_EQ(renewed, last_used + 1800);
  clock.advance(std::chrono::seconds(3601));
  for (const auto& res : {get(ana, s), get(ana, s + "/eve"), get(ana, s + "/shocks"), get(ana, "/api/v1/alm/sessions/short"),
                          post(ana, "/api/v1/alm/eve", R"({"session":"short"})"), del(ana, s)}) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << res->body;
    EXPECT_NE(res->body.find("expired at"), std::string::npos) << res->body;
  }
  EXPECT_EQ(body(get(ana, "/api/v1/alm/sessions"))["items"].size(), 0u);
  ASSERT_TRUE(stored_session(db_, "short"));  // not deleted by a read, and not renewed
  EXPECT_EQ(stored_session(db_, "short")->last_accessed, renewed);
  // Its name is free again: creating deletes the expired session first.
  ASSERT_EQ(post(ana, "/api/v1/alm/sessions", session_body("short").dump())->status, 201);
}

// keel serve cleans sessions by itself: at start, then every --alm-cleanup-interval; and it caps
// and defaults the time to live with --alm-session-ttl.
TEST_F(AlmRoutesTest, TheServerCleansExpiredSessionsAtStartAndPeriodically) {
  const std::string ana = login("ana");
  ASSERT_EQ(post(ana, "/api/v1/alm/sessions", session_body("old").dump())->status, 201);  // ttl 3600 s
  SteppedClock& clock = stepped_clock(std::chrono::system_clock::now() + std::chrono::hours(2));
  ServerConfig config = test_config(db_);
  config.clock = &clock;
  config.alm_cleanup_interval_seconds = 0.05;
  config.alm_session_ttl_seconds = 7200;
  config.tokens.ttl_seconds = 86400;
  restart(config);
  auto gone = [&](const std::string& name) {
    for (int i = 0; i < 500 && stored_session(db_, name); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return !stored_session(db_, name);
  };
  EXPECT_TRUE(gone("old"));  // at start
  const std::string ana2 = login("ana");
  json b = session_body("fresh");
  b.erase("ttl_seconds");
  auto r = post(ana2, "/api/v1/alm/sessions", b.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["session"]["ttl_seconds"], 7200);  // the server's default
  b = session_body("long");
  b["ttl_seconds"] = 7201;
  r = post(ana2, "/api/v1/alm/sessions", b.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("ttl_seconds: at most 7200"), std::string::npos) << r->body;
  clock.advance(std::chrono::seconds(7201));
  EXPECT_TRUE(gone("fresh"));  // periodically
}

// A session's shocked curves: its own curve (flat 3 % zero) under the USD shocks, at the 19
// midpoints; the outlier tests carry their line, threshold x Tier 1; the stored curves are listed.
TEST_F(AlmRoutesTest, SessionShocksAreItsCurveShockedAndStoredCurvesAreListed) {
  const std::string ana = login("ana");
  auto r = post(ana, "/api/v1/alm/sessions", session_body("q4").dump());
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_DOUBLE_EQ(body(r)["eve"]["sot"]["limit"].get<double>(), 0.15 * 100000.0);
  EXPECT_DOUBLE_EQ(body(r)["nii"]["outlier_test"]["limit"].get<double>(), 0.05 * 100000.0);
  r = get(ana, "/api/v1/alm/sessions/q4/shocks");
  ASSERT_EQ(r->status, 200) << r->body;
  const json shocks = body(r);
  EXPECT_EQ(shocks["currency"], "USD");
  ASSERT_EQ(shocks["buckets"].size(), 19u);
  for (const auto& b : shocks["buckets"]) {
    const double t = b["midpoint_years"].get<double>();
    EXPECT_NEAR(b["rates"]["base"].get<double>(), 0.03, 1e-12);
    EXPECT_NEAR(b["rates"]["parallel_up"].get<double>(), 0.05, 1e-12);
    EXPECT_NEAR(b["rates"]["short_down"].get<double>(), std::max(0.03 - 0.03 * std::exp(-t / 4), b["floor"].get<double>()),
                1e-12);
  }
  r = get(ana, "/api/v1/alm/sessions/q4/shocks?currency=EUR");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body(r)["error"]["details"][0], "currency: session \"q4\" has no EUR curve (it has USD)") << r->body;

  EXPECT_EQ(body(get(ana, "/api/v1/alm/curves"))["items"].size(), 0u);
  {
    auto store = open_store(db_);
    CurveData c;
    c.name = "ust";
    c.as_of = Date::from_ymd(2020, 12, 31);
    c.kind = CurveKind::kPar;
    c.currency = "USD";
    c.points = {{"1Y", 1.0, 0.001}, {"10Y", 10.0, 0.0093}};
    store->save_curve(c);
  }
  r = get(login("view"), "/api/v1/alm/curves");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["items"], json::parse(R"([{"name":"ust","as_of":"2020-12-31","kind":"par","currency":"USD","points":2}])"));
}

}  // namespace
}  // namespace keel::server::testing
