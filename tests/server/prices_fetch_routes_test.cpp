// POST /api/v1/prices/fetch: a price sync started over HTTP, run as a prices.fetch job from the
// server's own provider (a loopback server speaking Yahoo's chart format stands in for it). What
// is held by a ledger account is fetched, a symbol the vendor does not know fails alone, the
// closes are read back, the request cannot point the server elsewhere, and the fetch is audited.
#include <gtest/gtest.h>

#include "../marketdata/loopback_server.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

// GET /service/data/EXR/D.USD+GBP.EUR.SP00.A?format=csvdata&startPeriod=&endPeriod=, answered as
// the ECB does (series key columns, TIME_PERIOD, OBS_VALUE, more after): EUR/USD and EUR/GBP on
// 2024-03-04 and 2024-03-05.
void serve_ecb_rates(keel::testing::LoopbackServer& s) {
  s.on(R"(/service/data/EXR/D\.([A-Z+]+)\.EUR\.SP00\.A)", [](const httplib::Request& req, httplib::Response& res) {
    const std::string keys = req.matches[1];
    std::string body = "KEY,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n";
    const std::vector<std::tuple<std::string, std::string, std::string>> rows = {
        {"USD", "2024-03-04", "1.0858"}, {"USD", "2024-03-05", "1.0853"},
        {"GBP", "2024-03-04", "0.85525"}, {"GBP", "2024-03-05", "0.8551"}};
    for (const auto& [c, day, value] : rows) {
      if (keys.find(c) == std::string::npos || day < req.get_param_value("startPeriod") ||
          day > req.get_param_value("endPeriod")) {
        continue;
      }
      body += "EXR.D." + c + ".EUR.SP00.A,D," + c + ",EUR,SP00,A," + day + "," + value + ",A\n";
    }
    res.set_content(body, "text/csv");
  });
}

class PricesFetchRoutesTest : public ServerFixture {
 protected:
  void SetUp() override {
    db_ = temp_db_path();
    ServerConfig c = test_config(db_);
    c.batch_market_data.provider = "yahoo";
    c.batch_market_data.options.base_url = provider_.url();
    c.batch_market_data.options.requests_per_second = 1000;
    c.batch_market_data.options.http.max_attempts = 1;
    // Five November 2017 closes of AAPL; any other symbol is unknown to this vendor (404).
    provider_.serve("/v8/finance/chart/AAPL", "yahoo_chart_aapl_2017-11.json");
    // AAPL's quoteSummary (the security master); any other symbol is unknown.
    provider_.serve("/v10/finance/quoteSummary/AAPL", "yahoo_quotesummary_aapl.json");
    // The other sources the server fetches from, at the operator's hosts (here the same loopback
    // server): French's five factors 2024-03-25..28, and the ECB's USD and GBP rates.
    c.batch_market_data.base_urls = {{"french", provider_.url()}, {"ecb", provider_.url()}};
    provider_.serve("/pub/faculty/ken.french/ftp/F-F_Research_Data_5_Factors_2x3_daily_CSV.zip",
                    "french_ff5_daily.zip", "application/zip");
    serve_ecb_rates(provider_);
    start_server(c, true);
  }

  keel::testing::LoopbackServer provider_;
};

TEST_F(PricesFetchRoutesTest, AnAccountsHoldingsAreFetchedInAJobAndAnUnknownSymbolFailsAlone) {
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  auto r = post(mgr, "/api/v1/accounts", json{{"name", "ira"}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  r = post(mgr, "/api/v1/accounts/ira/transactions",
           "date,type,symbol,quantity,price,fees,amount\n"
           "2017-11-01,DEPOSIT,,,,,5000\n"
           "2017-11-01,BUY,AAPL,10,168,0,\n"
           "2017-11-02,BUY,ZZZQ,5,10,0,\n",
           "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;

  r = post(ana, "/api/v1/prices/fetch", json{{"account", "ira"}, {"from", "2017-11-01"}, {"to", "2017-11-30"}}.dump());
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["kind"], "prices.fetch");
  const json done = wait_job(ana, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  const json& result = done["result"];
  EXPECT_EQ(result["provider"], "yahoo");
  EXPECT_EQ(result["stored"], true);
  EXPECT_EQ(result["failed"], 1);
  ASSERT_EQ(result["symbols"].size(), 2u) << result.dump();
  EXPECT_EQ(result["symbols"][0]["symbol"], "AAPL");
  EXPECT_EQ(result["symbols"][0]["status"], "fetched");
  EXPECT_EQ(result["symbols"][0]["new_bars"], 5);
  EXPECT_EQ(result["symbols"][1]["symbol"], "ZZZQ");
  EXPECT_EQ(result["symbols"][1]["status"], "failed");
  ASSERT_EQ(result["warnings"].size(), 1u);
  EXPECT_EQ(result["warnings"][0].get<std::string>().rfind("ZZZQ: not stored: ", 0), 0u) << result["warnings"][0];

  // The vendor's closes, read back: 2017-11-14 closed at 171.339996.
  r = get(ana, "/api/v1/prices/AAPL?from=2017-11-01&to=2017-11-30");
  ASSERT_EQ(r->status, 200) << r->body;
  const json prices = body(r);
  ASSERT_EQ(prices["prices"].size(), 5u) << prices.dump();
  EXPECT_EQ(prices["last"], "2017-11-14");
  EXPECT_NEAR(prices["prices"][4]["close"].get<double>(), 171.339996, 1e-9);

  const std::string root = login("root");
  const auto actions = audit_actions(root, "prices.fetch");
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], "prices.fetch:prices");
}

TEST_F(PricesFetchRoutesTest, TheRequestIsCheckedBeforeAJobIsQueuedAndCannotNameAHost) {
  const std::string ana = login("ana");
  // The vendor's host is the operator's: a request naming one is refused, not followed.
  auto r = post(ana, "/api/v1/prices/fetch", R"({"symbols": ["AAPL"], "base_url": "http://127.0.0.1:9"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("base_url"), std::string::npos) << r->body;
  r = post(ana, "/api/v1/prices/fetch", R"({"provider": "polygon", "symbols": ["AAPL"]})");
  EXPECT_EQ(r->status, 400) << r->body;
  r = post(ana, "/api/v1/prices/fetch", "{}");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("symbols: expected symbols, a portfolio, an account or all_holdings: true"), std::string::npos)
      << r->body;
  r = post(ana, "/api/v1/prices/fetch", R"({"symbols": ["AAPL", "=1+1"]})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("symbols[1]"), std::string::npos) << r->body;
  r = post(ana, "/api/v1/prices/fetch", json{{"account", "nowhere"}}.dump());
  EXPECT_EQ(r->status, 404) << r->body;
  // A viewer reads prices but does not fetch them.
  r = post(login("view"), "/api/v1/prices/fetch", R"({"symbols": ["AAPL"]})");
  EXPECT_EQ(r->status, 403) << r->body;
  EXPECT_EQ(provider_.total(), 0) << "nothing was asked of the vendor";
}

TEST_F(PricesFetchRoutesTest, AServerWithoutAProviderSaysSo) {
  restart(test_config(db_));
  const std::string ana = login("ana");
  for (const auto& [route, request] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/prices/fetch", R"({"symbols": ["AAPL"]})"},
           {"/api/v1/factors/fetch", "{}"},
           {"/api/v1/fx/fetch", R"({"currencies": ["USD"]})"}}) {
    auto r = post(ana, route, request);
    ASSERT_EQ(r->status, 409) << route << ": " << r->body;
    EXPECT_NE(r->body.find("KEEL_MARKET_DATA_PROVIDER"), std::string::npos) << r->body;
  }
}

// POST /api/v1/symbols/fetch: a book without sectors gets them from the server's provider in a
// symbols.fetch job, and its readiness no longer lists them; checked before it is queued.
TEST_F(PricesFetchRoutesTest, ABooksSectorsAreFetchedInAJobFromTheServersProvider) {
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  const auto pid = create_portfolio(mgr, "tech");
  ASSERT_EQ(post(mgr, "/api/v1/portfolios/" + std::to_string(pid) + "/positions", "symbol,quantity\nAAPL,10\n",
                 "text/csv")->status,
            200);
  auto ready = body(get(ana, "/api/v1/portfolios/" + std::to_string(pid) + "/readiness"));
  auto lists_sectors = [](const json& report) {
    for (const auto& i : report["items"]) {
      if (i["what"] == "sectors") return true;
    }
    return false;
  };
  EXPECT_TRUE(lists_sectors(ready)) << ready.dump();
  // A viewer may not fetch; nothing named is a 400; the host is the operator's.
  EXPECT_EQ(post(login("view"), "/api/v1/symbols/fetch", json{{"portfolio", std::to_string(pid)}}.dump())->status,
            403);
  auto r = post(mgr, "/api/v1/symbols/fetch", "{}");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("symbols: expected symbols or a portfolio"), std::string::npos) << r->body;
  EXPECT_EQ(post(mgr, "/api/v1/symbols/fetch", R"({"symbols": ["AAPL"], "base_url": "http://127.0.0.1:9"})")->status,
            400);
  EXPECT_EQ(post(mgr, "/api/v1/symbols/fetch", json{{"portfolio", "nowhere"}}.dump())->status, 404);
  EXPECT_EQ(provider_.total(), 0) << "nothing was asked of the vendor";

  r = post(mgr, "/api/v1/symbols/fetch", json{{"portfolio", std::to_string(pid)}}.dump());
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["kind"], "symbols.fetch");
  const json done = wait_job(mgr, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["result"]["provider"], "yahoo");
  EXPECT_EQ(done["result"]["fetched"], 1);
  r = get(ana, "/api/v1/symbols?symbols=AAPL");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("\"sector\":\"Technology\""), std::string::npos) << r->body;
  ready = body(get(ana, "/api/v1/portfolios/" + std::to_string(pid) + "/readiness"));
  EXPECT_FALSE(lists_sectors(ready)) << ready.dump();
}

// POST /api/v1/factors/fetch and /api/v1/fx/fetch: the readiness panel's factors and FX fixes, as
// jobs from the operator's sources; checked before they are queued; the host is never the request's.
TEST_F(PricesFetchRoutesTest, FactorReturnsAndTheRatesABookNeedsAreFetchedInJobs) {
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  const auto pid = create_portfolio(mgr, "global");
  ASSERT_EQ(post(mgr, "/api/v1/portfolios/" + std::to_string(pid) + "/positions",
                 "symbol,quantity,currency\nAAPL,10,USD\nVOD,100,GBP\n", "text/csv")
                ->status,
            200);
  // A viewer may not fetch; a bad dataset, currency or set is a 400; nothing named is a 400; the
  // host is the operator's.
  EXPECT_EQ(post(login("view"), "/api/v1/factors/fetch", "{}")->status, 403);
  EXPECT_EQ(post(login("view"), "/api/v1/fx/fetch", json{{"portfolio", "global"}}.dump())->status, 403);
  auto r = post(ana, "/api/v1/factors/fetch", R"({"dataset": "ff7"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("dataset: expected ff5, ff3 or mom"), std::string::npos) << r->body;
  EXPECT_EQ(post(ana, "/api/v1/factors/fetch", R"({"base_url": "http://127.0.0.1:9"})")->status, 400);
  r = post(ana, "/api/v1/fx/fetch", "{}");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("currencies: expected currencies or a portfolio"), std::string::npos) << r->body;
  r = post(ana, "/api/v1/fx/fetch", R"({"currencies": ["USD", "dollars"]})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("currencies[1]"), std::string::npos) << r->body;
  EXPECT_EQ(post(ana, "/api/v1/fx/fetch", R"({"currencies": ["EUR"]})")->status, 400);
  EXPECT_EQ(post(ana, "/api/v1/fx/fetch", json{{"portfolio", "nowhere"}}.dump())->status, 404);
  EXPECT_EQ(provider_.total(), 0) << "nothing was asked of the sources";

  r = post(ana, "/api/v1/factors/fetch", R"({"dataset": "ff5"})");
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["kind"], "factors.fetch");
  json done = wait_job(ana, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["result"]["provider"], "french");
  EXPECT_EQ(done["result"]["set"], "ff5");
  EXPECT_EQ(done["result"]["rows"], 4);
  EXPECT_EQ(done["result"]["first"], "2024-03-25");
  EXPECT_EQ(done["result"]["factors"], json({"mkt_rf", "smb", "hml", "rmw", "cma", "rf"})) << done.dump();

  // The book holds USD and GBP against its USD: both against the euro, the ECB's base.
  r = post(ana, "/api/v1/fx/fetch", json{{"portfolio", std::to_string(pid)}, {"from", "2024-03-01"}}.dump());
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["kind"], "fx.fetch");
  done = wait_job(ana, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["result"]["provider"], "ecb");
  EXPECT_EQ(done["result"]["rates"], 4) << done.dump();
  // GBP in USD on 2024-03-05 through the euro: 1.0853 / 0.8551 = 1.269208280...
  r = get(ana, "/api/v1/fx/rate?from=GBP&to=USD&date=2024-03-05");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NEAR(body(r)["rate"].get<double>(), 1.0853 / 0.8551, 1e-12) << r->body;

  const std::string root = login("root");
  EXPECT_EQ(audit_actions(root, "factors.fetch"), std::vector<std::string>{"factors.fetch:factors/ff5"});
  EXPECT_EQ(audit_actions(root, "fx.fetch"), std::vector<std::string>{"fx.fetch:fx"});
}

TEST_F(PricesFetchRoutesTest, ASecurityMasterFetchNeedsAProviderWithReferenceData) {
  ServerConfig c = test_config(db_);
  c.batch_market_data.provider = "stooq";
  restart(c);
  auto r = post(login("mgr"), "/api/v1/symbols/fetch", R"({"symbols": ["AAPL"]})");
  ASSERT_EQ(r->status, 409) << r->body;
  EXPECT_NE(r->body.find("stooq has no reference data"), std::string::npos) << r->body;
}

}  // namespace
}  // namespace keel::server::testing
