// GET /api/v1/overview: every portfolio's view, snapshots and cached report headline in one read.
// Worked by hand on two books priced on two days: the views are those of GET /portfolios/{id}, a
// report appears once GET .../report has built (and cached) it, a book whose FX rate is missing is
// given with its warning, and the limit counts portfolios.
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

TEST_F(ServerFixture, TheOverviewGivesEveryBooksViewHistoryAndCachedReportInOneRead) {
  const std::string root = login("root");
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  ASSERT_EQ(post(root, "/api/v1/prices", "date,symbol,close\n2024-01-02,AAA,10\n2024-01-03,AAA,12\n2024-01-02,BBB,50\n2024-01-03,BBB,40\n",
                 "text/csv")->status,
            200);
  const auto alpha = create_portfolio(mgr, "alpha");
  ASSERT_EQ(post(mgr, "/api/v1/portfolios/" + std::to_string(alpha) + "/positions", "symbol,quantity\nAAA,10\nBBB,-2\n",
                 "text/csv")->status,
            200);
  // beta reports in EUR and the store has no EUR rate: its position is left unvalued, and said so.
  auto r = post(mgr, "/api/v1/portfolios", json{{"name", "beta"}, {"currency", "EUR"}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  const auto beta = body(r)["id"].get<std::int64_t>();
  ASSERT_EQ(post(mgr, "/api/v1/portfolios/" + std::to_string(beta) + "/positions", "symbol,quantity\nAAA,1\n", "text/csv")->status,
            200);

  r = get(ana, "/api/v1/overview");
  ASSERT_EQ(r->status, 200) << r->body;
  json o = body(r);
  EXPECT_EQ(o["total"], 2);
  ASSERT_EQ(o["portfolios"].size(), 2u);
  const json& a = o["portfolios"][0];
  EXPECT_EQ(a["name"], "alpha");
  EXPECT_EQ(a["id"], alpha);
  // 10 x 12 - 2 x 40 = 40 on 2024-01-03, as GET /portfolios/{id} says.
  EXPECT_DOUBLE_EQ(a["view"]["net_market_value"].get<double>(), 40.0);
  EXPECT_EQ(a["view"], body(get(ana, "/api/v1/portfolios/" + std::to_string(alpha))));
  EXPECT_EQ(a["history"]["points"].size(), 0u);
  EXPECT_TRUE(a["report"].is_null()) << "no report was built yet";
  const json& b = o["portfolios"][1];
  EXPECT_EQ(b["name"], "beta");
  EXPECT_TRUE(b["view_error"].is_null());
  EXPECT_EQ(b["view"], body(get(ana, "/api/v1/portfolios/" + std::to_string(beta))));
  ASSERT_FALSE(b["view"]["warnings"].empty()) << b.dump();
  EXPECT_NE(b["view"]["warnings"][0].get<std::string>().find("EUR"), std::string::npos) << b.dump();

  // Once alpha's report is built it is in the overview: its summary and each position's 1-day P&L
  // (AAA 10 x (12 - 10) = 20, BBB -2 x (40 - 50) = 20).
  ASSERT_EQ(get(ana, "/api/v1/portfolios/" + std::to_string(alpha) + "/report")->status, 200);
  o = body(get(ana, "/api/v1/overview"));
  const json& rep = o["portfolios"][0]["report"];
  ASSERT_TRUE(rep.is_object()) << o.dump();
  EXPECT_EQ(rep["as_of"], "2024-01-03");
  EXPECT_DOUBLE_EQ(rep["summary"]["net_value_amount"].get<double>(), 40.0);
  ASSERT_EQ(rep["positions"]["rows"].size(), 2u);
  EXPECT_EQ(rep["positions"]["rows"][0]["symbol"], "AAA");
  EXPECT_DOUBLE_EQ(rep["positions"]["rows"][0]["pnl_1d_amount"].get<double>(), 20.0);
  EXPECT_DOUBLE_EQ(rep["positions"]["rows"][1]["pnl_1d_amount"].get<double>(), 20.0);

  o = body(get(ana, "/api/v1/overview?limit=1"));
  EXPECT_EQ(o["total"], 2);
  EXPECT_EQ(o["portfolios"].size(), 1u);
  EXPECT_EQ(get(ana, "/api/v1/overview?limit=0")->status, 400);
  // Another tenant sees its own (none).
  EXPECT_EQ(body(get(login("other"), "/api/v1/overview"))["portfolios"].size(), 0u);
}

}  // namespace
}  // namespace keel::server::testing
