// What-if modelling sessions over HTTP against a real server: the lifecycle (create, add trades,
// delete one, calculate, save, delete), role checks, tenant isolation and the audit trail.
#include <gtest/gtest.h>

#include <tuple>

#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

// Last closes of the fixture's synthetic AAA and BBB (same recursion as synthetic_prices_csv).
std::pair<double, double> last_closes() {
  double a = 100.0, b = 50.0;
  for (int i = 1; i < 300; ++i) {
    a *= 1.0 + aaa_return(i);
    b *= 1.0 + bbb_return(i);
  }
  return {a, b};
}

class WhatIfRoutes : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    import_synthetic_prices();
    mgr_ = login("mgr");
    ana_ = login("ana");
    view_ = login("view");
    pid_ = create_two_stock_book(mgr_, "book");
  }

  std::int64_t create_session(const std::string& token, const std::string& name) {
    auto r = post(token, "/api/v1/portfolios/" + std::to_string(pid_) + "/sessions", json{{"name", name}}.dump());
    EXPECT_EQ(r->status, 201) << r->body;
    return body(r)["id"].get<std::int64_t>();
  }

  std::string mgr_, ana_, view_;
  std::int64_t pid_ = 0;
};

TEST_F(WhatIfRoutes, SessionLifecycleFromTradesToASavedPortfolio) {
  const auto sid = create_session(ana_, "hedge");
  const std::string s = "/api/v1/sessions/" + std::to_string(sid);

  // Trades as a JSON array and as CSV; numbers run on and are not reused.
  auto r = post(ana_, s + "/trades", R"([{"symbol":"AAA","quantity":-40,"price":101.5},{"symbol":"BBB","quantity":50}])");
  ASSERT_EQ(r->status, 201) << r->body;
  ASSERT_EQ(body(r)["added"].size(), 2u);
  EXPECT_EQ(body(r)["added"][0]["number"], 1);
  EXPECT_EQ(body(r)["added"][1]["number"], 2);
  r = post(ana_, s + "/trades", "symbol,quantity\nBBB,-10\n", "text/csv");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["added"][0]["number"], 3);
  EXPECT_EQ(del(ana_, s + "/trades/3")->status, 200);
  EXPECT_EQ(del(ana_, s + "/trades/3")->status, 404);

  // Bad rows are named and nothing is stored; a symbol without prices is refused by name.
  r = post(ana_, s + "/trades", "symbol,quantity\nAAA,ten\nBBB,1\n", "text/csv");
  ASSERT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["details"][0].get<std::string>().rfind("body.csv:2:2", 0), 0u) << r->body;
  r = post(ana_, s + "/trades", R"([{"symbol":"ZZZ","quantity":5}])");
  ASSERT_EQ(r->status, 400);
  EXPECT_NE(body(r)["error"]["message"].get<std::string>().find("ZZZ"), std::string::npos) << r->body;

  r = get(view_, s);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["trade_count"], 2);
  EXPECT_EQ(body(r)["owner"], "ana");
  EXPECT_EQ(body(r)["portfolio"], "book");
  ASSERT_EQ(body(r)["trades"].size(), 2u);
  EXPECT_EQ(body(r)["trades"][0]["symbol"], "AAA");
  EXPECT_EQ(body(r)["trades"][0]["price"], 101.5);

  // A bad calculate body names every field; the factor fields are read (not refused as unknown),
  // and file fields (trades, factors, save_as) are not HTTP fields.
  r = post(ana_, s + "/calculate",
           R"({"confidence":1.5,"stress_method":"sideways","factor_window":1,"set":"ff5","trades":"/etc/passwd"})");
  ASSERT_EQ(r->status, 400) << r->body;
  const std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("confidence: expected a number greater than 0 and less than 1"), std::string::npos) << details;
  EXPECT_NE(details.find("stress_method: expected direct, correlated or both"), std::string::npos) << details;
  EXPECT_NE(details.find("factor_window: expected an integer from 2 to 100000, got 1"), std::string::npos) << details;
  EXPECT_NE(details.find("\\\"trades\\\": not a field of this request"), std::string::npos) << details;
  EXPECT_EQ(details.find("set:"), std::string::npos) << details;

  // Calculate: before 100 AAA + 200 BBB, after 60 AAA + 250 BBB, at the last closes.
  r = post(ana_, s + "/calculate", R"({"confidence":0.95,"window":100})");
  ASSERT_EQ(r->status, 200) << r->body;
  const json out = body(r);
  const auto [a, b] = last_closes();
  EXPECT_NEAR(out["before"]["net"].get<double>(), 100 * a + 200 * b, 1e-6);
  EXPECT_NEAR(out["after"]["net"].get<double>(), 60 * a + 250 * b, 1e-6);
  EXPECT_NEAR(out["change"]["net"].get<double>(), -40 * a + 50 * b, 1e-6);
  // Cash: -(-40 x 101.5 + 50 x close of BBB).
  EXPECT_NEAR(out["cash_amount"].get<double>(), 40 * 101.5 - 50 * b, 1e-6);
  EXPECT_EQ(out["session_id"], sid);
  EXPECT_TRUE(out["change"]["var_historical"].is_number());
  EXPECT_FALSE(out["factors"]["available"].get<bool>());  // no factor set in this store

  // Saving creates a portfolio: a manager's permission.
  EXPECT_EQ(post(ana_, s + "/save", R"({"name":"book-hedged"})")->status, 403);
  r = post(mgr_, s + "/save", R"({"name":"book-hedged"})");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["name"], "book-hedged");
  r = get(view_, "/api/v1/portfolios/book-hedged/positions");
  ASSERT_EQ(r->status, 200) << r->body;
  ASSERT_EQ(body(r)["items"].size(), 2u);
  EXPECT_EQ(body(r)["items"][0]["quantity"], 60.0);
  EXPECT_EQ(body(r)["items"][1]["quantity"], 250.0);
  EXPECT_EQ(post(mgr_, s + "/save", R"({"name":"book-hedged"})")->status, 409);

  EXPECT_EQ(del(ana_, s)->status, 200);
  EXPECT_EQ(get(ana_, s)->status, 404);
}

TEST_F(WhatIfRoutes, ViewersReadButCannotChangeSessions) {
  const auto sid = create_session(ana_, "look");
  const std::string s = "/api/v1/sessions/" + std::to_string(sid);
  ASSERT_EQ(post(ana_, s + "/trades", "symbol,quantity\nAAA,10\n", "text/csv")->status, 201);
  EXPECT_EQ(get(view_, s)->status, 200);
  EXPECT_EQ(get(view_, "/api/v1/sessions")->status, 200);
  for (const auto& r : {post(view_, "/api/v1/portfolios/" + std::to_string(pid_) + "/sessions", R"({"name":"v"})"),
                        post(view_, s + "/trades", "symbol,quantity\nAAA,1\n", "text/csv"),
                        post(view_, s + "/calculate", "{}"), post(view_, s + "/save", R"({"name":"v"})"),
                        del(view_, s + "/trades/1"), del(view_, s)}) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403) << r->body;
    EXPECT_EQ(body(r)["error"]["code"], "forbidden");
  }
  EXPECT_EQ(body(get(ana_, s))["trade_count"], 1);  // nothing changed
}

TEST_F(WhatIfRoutes, AnotherTenantsSessionsAre404AndListsArePaginated) {
  const auto first = create_session(ana_, "one");
  create_session(ana_, "two");
  create_session(mgr_, "three");
  const std::string s = "/api/v1/sessions/" + std::to_string(first);
  const std::string other = login("other");  // manager of globex
  for (const auto& r : {get(other, s), post(other, s + "/trades", "symbol,quantity\nAAA,1\n", "text/csv"),
                        post(other, s + "/calculate", "{}"), post(other, s + "/save", R"({"name":"x"})"),
                        del(other, s + "/trades/1"), del(other, s),
                        post(other, "/api/v1/portfolios/" + std::to_string(pid_) + "/sessions", R"({"name":"x"})")}) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << r->body;
    EXPECT_EQ(body(r)["error"]["code"], "not_found");
  }
  EXPECT_EQ(body(get(other, "/api/v1/sessions"))["items"].size(), 0u);

  auto r = get(view_, "/api/v1/sessions?limit=2");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["items"].size(), 2u);
  EXPECT_EQ(body(r)["total"], 3);
  ASSERT_FALSE(body(r)["next_cursor"].is_null());
  r = get(view_, "/api/v1/sessions?limit=2&cursor=" + body(r)["next_cursor"].get<std::string>());
  ASSERT_EQ(body(r)["items"].size(), 1u);
  EXPECT_EQ(body(r)["items"][0]["name"], "three");
  EXPECT_TRUE(body(r)["next_cursor"].is_null());
}

TEST_F(WhatIfRoutes, DeletingThePortfolioDeletesItsSessions) {
  const auto sid = create_session(ana_, "doomed");
  const std::string s = "/api/v1/sessions/" + std::to_string(sid);
  ASSERT_EQ(post(ana_, s + "/trades", "symbol,quantity\nAAA,5\n", "text/csv")->status, 201);
  ASSERT_EQ(del(mgr_, "/api/v1/portfolios/" + std::to_string(pid_))->status, 200);
  EXPECT_EQ(get(ana_, s)->status, 404);
  EXPECT_EQ(body(get(ana_, "/api/v1/sessions"))["items"].size(), 0u);
}

TEST_F(WhatIfRoutes, EveryMutationIsAudited) {
  const auto sid = create_session(ana_, "audited");
  const std::string s = "/api/v1/sessions/" + std::to_string(sid);
  ASSERT_EQ(post(ana_, s + "/trades", "symbol,quantity\nAAA,-10\n", "text/csv")->status, 201);
  ASSERT_EQ(del(ana_, s + "/trades/1")->status, 200);
  ASSERT_EQ(post(ana_, s + "/trades", "symbol,quantity\nBBB,10\n", "text/csv")->status, 201);
  ASSERT_EQ(post(mgr_, s + "/save", R"({"name":"audited-book"})")->status, 201);
  ASSERT_EQ(del(ana_, s)->status, 200);

  auto r = get(login("root"), "/api/v1/audit?limit=100");
  ASSERT_EQ(r->status, 200) << r->body;
  std::vector<std::string> actions;
  const json items = body(r)["items"];
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    const std::string action = (*it)["action"].get<std::string>();
    if (action.rfind("session.", 0) != 0) continue;
    actions.push_back(action + " " + (*it)["user"].get<std::string>());
    EXPECT_EQ((*it)["resource"], "session/" + std::to_string(sid));
    EXPECT_EQ((*it)["tenant"], "acme");
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"session.create ana", "session.trades.add ana", "session.trade.delete ana",
                                               "session.trades.add ana", "session.save mgr", "session.delete ana"}));
}

// The bodies of the session routes are described structs: a wrong type, a missing or overlong
// name and an unknown field are each named by field path, all at once, and nothing is created.
TEST_F(WhatIfRoutes, BadSessionBodiesNameTheFieldPath) {
  const std::string open = "/api/v1/portfolios/" + std::to_string(pid_) + "/sessions";
  auto r = post(ana_, open, R"({"name":7,"owner":"x"})");
  ASSERT_EQ(r->status, 400) << r->body;
  std::string details = body(r)["error"]["details"].dump();
  EXPECT_EQ(body(r)["error"]["message"], "invalid session");
  EXPECT_NE(details.find("name: expected a string"), std::string::npos) << details;
  EXPECT_NE(details.find("\\\"owner\\\": not a field of this request"), std::string::npos) << details;
  r = post(ana_, open, "{}");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(body(r)["error"]["details"].dump().find("name: required"), std::string::npos) << r->body;
  r = post(ana_, open, json{{"name", std::string(201, 'x')}}.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(body(r)["error"]["details"].dump().find("name: expected at most 200 characters, got 201"), std::string::npos) << r->body;
  EXPECT_EQ(body(get(ana_, "/api/v1/sessions"))["total"], 0);

  const auto sid = create_session(ana_, "typed");
  const std::string s = "/api/v1/sessions/" + std::to_string(sid);
  ASSERT_EQ(post(ana_, s + "/trades", "symbol,quantity\nAAA,-10\n", "text/csv")->status, 201);
  r = post(mgr_, s + "/save", R"({"name":"","replace":"yes"})");
  ASSERT_EQ(r->status, 400) << r->body;
  details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("replace: expected true or false"), std::string::npos) << details;
  EXPECT_NE(details.find("name: required"), std::string::npos) << details;
  r = post(ana_, s + "/trades", R"({"trades":{"symbol":"AAA"}})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(body(r)["error"]["details"].dump().find("trades: expected an array"), std::string::npos) << r->body;
}

// Every session response is declared (the fixture checks each against its schema); the what-if
// result's metrics keep their flat keys, integer positions on a side and a number in the change.
TEST_F(WhatIfRoutes, SessionResponsesAreTheDeclaredTypes) {
  const auto& doc = schemas();
  for (const auto& [method, path, status] :
       {std::tuple{"POST", "/api/v1/portfolios/1/sessions", 201}, {"GET", "/api/v1/sessions", 200},
        {"GET", "/api/v1/sessions/1", 200}, {"POST", "/api/v1/sessions/1/trades", 201},
        {"DELETE", "/api/v1/sessions/1/trades/1", 200}, {"POST", "/api/v1/sessions/1/calculate", 200},
        {"POST", "/api/v1/sessions/1/save", 201}, {"DELETE", "/api/v1/sessions/1", 200}}) {
    EXPECT_FALSE(doc.response_schema(method, path, status).is_null()) << method << " " << path;
  }
  const auto sid = create_session(ana_, "shape");
  const std::string s = "/api/v1/sessions/" + std::to_string(sid);
  ASSERT_EQ(post(ana_, s + "/trades", "symbol,quantity\nBBB,-200\n", "text/csv")->status, 201);
  const int checked = checked_responses_;
  auto r = post(ana_, s + "/calculate", R"({"method":["historical","parametric"],"window":100})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(checked_responses_, checked + 1);  // validated against WhatIfResult
  const json out = body(r);
  EXPECT_TRUE(out["before"]["positions"].is_number_integer());
  EXPECT_EQ(out["before"]["positions"], 2);
  EXPECT_EQ(out["after"]["positions"], 1);  // BBB closed
  EXPECT_TRUE(out["change"]["positions"].is_number_float());
  EXPECT_EQ(out["change"]["positions"].get<double>(), -1.0);
  EXPECT_EQ(out["positions"][0]["effect"], "close");
  for (const char* k : {"var_historical", "es_historical", "var_parametric", "es_parametric"}) {
    EXPECT_TRUE(out["before"][k].is_number()) << k;
    EXPECT_NEAR(out["change"][k].get<double>(), out["after"][k].get<double>() - out["before"][k].get<double>(), 1e-9);
  }
  EXPECT_FALSE(out["before"].contains("var_montecarlo"));
  EXPECT_EQ(out["var"]["methods"], json({"historical", "parametric"}));
  EXPECT_TRUE(out["saved_as"].is_null());
}

}  // namespace
}  // namespace keel::server::testing
