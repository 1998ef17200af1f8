// Tags and strategies over HTTP: the tenant's registry, attaching and detaching tags on positions
// (positions.tags stays the source of truth: exposures --by tag sees the change), strategies,
// permissions, tenant isolation and audit.
#include <gtest/gtest.h>

#include "../support/tenant_context.h"
#include "keel/service/exposures.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

class TagRoutesTest : public ServerFixture {
 protected:
  // A portfolio of 10 AAA, 20 BBB and 5 AAA again (two positions of one symbol).
  std::int64_t seeded_portfolio(const std::string& token) {
    import_synthetic_prices();
    const auto pid = create_portfolio(token, "tagged");
    EXPECT_EQ(post(token, "/api/v1/portfolios/" + std::to_string(pid) + "/positions",
                   "symbol,quantity,tags\nAAA,10,core\nBBB,20,\nAAA,5,\n", "text/csv")->status,
              200);
    return pid;
  }
  json tags_of(const std::string& token, std::int64_t pid) {
    json out = json::object();
    const json positions = body(get(token, "/api/v1/portfolios/" + std::to_string(pid) + "/positions"));
    for (const auto& p : positions["items"]) {
      out[p["symbol"].get<std::string>()].push_back(p.value("tags", json::array()));
    }
    return out;
  }
};

TEST_F(TagRoutesTest, RegistryAttachDetachAndDeleteKeepPositionsTheSourceOfTruth) {
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  const auto pid = seeded_portfolio(mgr);
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  // A tag named in the positions file is a tag of the tenant: listed, with the positions carrying it.
  const auto count_of = [&](const std::string& tag) {
    const json page = body(get(mgr, "/api/v1/tags"));  // kept alive: the loop reads into it
    for (const auto& t : page["items"]) {
      if (t["name"] == tag) return t["positions"].get<int>();
    }
    return -1;
  };
  EXPECT_EQ(count_of("core"), 1);
  EXPECT_EQ(post(mgr, "/api/v1/tags", R"({"name":"core"})")->status, 409);

  auto r = post(mgr, "/api/v1/tags", R"({"name":"hedge","description":"protective legs"})");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["name"], "hedge");
  EXPECT_EQ(post(mgr, "/api/v1/tags", R"({"name":"hedge"})")->status, 409);
  r = post(mgr, "/api/v1/tags", R"({"name":"a;b"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("name: may not hold"), std::string::npos) << r->body;

  r = post(ana, p + "/positions/tags", R"({"symbols":["AAA"],"tag":"hedge"})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["positions_changed"], 2);  // both AAA positions
  auto tags = tags_of(mgr, pid);
  EXPECT_EQ(tags["AAA"][0], json({"core", "hedge"}));
  EXPECT_EQ(tags["AAA"][1], json({"hedge"}));
  EXPECT_EQ(count_of("hedge"), 2);
  // The file's tag attaches to other positions like a registered one.
  r = post(ana, p + "/positions/tags", R"({"symbols":["BBB"],"tag":"core"})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(count_of("core"), 2);
  ASSERT_EQ(del(ana, p + "/positions/tags", R"({"symbols":["BBB"],"tag":"core"})")->status, 200);

  // exposures --by tag reads the same column: the hedge group holds the AAA positions' value.
  r = post(mgr, p + "/exposures", R"({"by":"tag"})");
  ASSERT_EQ(r->status, 200) << r->body;
  double aaa_gross = 0.0, hedge_gross = -1.0;
  const json by_tag = body(r);
  for (const auto& pos : by_tag["positions"]) {
    if (pos["symbol"] == "AAA") aaa_gross += std::abs(pos["market_value"].get<double>());
  }
  for (const auto& g : by_tag["groups"]) {
    if (g["key"] == "hedge") hedge_gross = g["gross"].get<double>();
  }
  EXPECT_NEAR(hedge_gross, aaa_gross, 1e-6 * aaa_gross);

  // Unknown tag and unknown symbol: 404, nothing changed.
  EXPECT_EQ(post(ana, p + "/positions/tags", R"({"symbols":["AAA"],"tag":"nope"})")->status, 404);
  r = post(ana, p + "/positions/tags", R"({"symbols":["BBB","ZZZ"],"tag":"hedge"})");
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("ZZZ"), std::string::npos);
  EXPECT_EQ(tags_of(mgr, pid)["BBB"][0], json::array());
  // Fields are named.
  r = post(ana, p + "/positions/tags", R"({"tag":5})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("symbols: required"), std::string::npos);
  EXPECT_NE(r->body.find("tag: expected a string"), std::string::npos);
  // A blank symbol is bad input, named by its place, for a tag and a strategy alike.
  r = post(ana, p + "/positions/tags", R"({"symbols":["AAA"," "],"tag":"hedge"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("symbols[1]: expected a symbol, got a blank"), std::string::npos) << r->body;
  r = put(ana, p + "/positions/strategy", R"({"symbols":[""],"strategy":"core"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("symbols[0]: expected a symbol, got a blank"), std::string::npos) << r->body;

  r = del(ana, p + "/positions/tags", R"({"symbols":"AAA","tag":"hedge"})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(tags_of(mgr, pid)["AAA"][0], json({"core"}));

  // Deleting a tag removes it from positions.
  r = del(mgr, "/api/v1/tags/core");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["positions_changed"], 1);
  EXPECT_EQ(tags_of(mgr, pid)["AAA"][0], json::array());
  EXPECT_EQ(del(mgr, "/api/v1/tags/core")->status, 404);
}

TEST_F(TagRoutesTest, StrategiesGroupPositionsLikeExposuresByStrategy) {
  const std::string mgr = login("mgr");
  const auto pid = seeded_portfolio(mgr);
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  auto r = put(mgr, p + "/positions/strategy", R"({"symbols":["AAA"],"strategy":"momentum"})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["positions_changed"], 2);

  r = get(mgr, p + "/strategies");
  ASSERT_EQ(r->status, 200) << r->body;
  const json doc = body(r);
  // The service's exposures by strategy of the same book.
  auto store = open_store(db_);
  service::BookRiskRequest req;
  req.source.portfolio = "tagged";
  const json expected = spec::to_json(
      service::exposures_of(service::price_book(keel::testing::context_in(store.get(), "acme"), req), exposures::GroupBy::kStrategy));
  EXPECT_EQ(doc["groups"], expected["groups"]);
  EXPECT_EQ(doc["gross"], expected["gross"]);
  ASSERT_EQ(doc["strategies"].size(), 2u);
  EXPECT_EQ(doc["strategies"][0]["strategy"], "(none)");
  EXPECT_EQ(doc["strategies"][0]["symbols"], json({"BBB"}));
  EXPECT_EQ(doc["strategies"][1]["strategy"], "momentum");
  EXPECT_EQ(doc["strategies"][1]["symbols"], json({"AAA", "AAA"}));
  // The momentum group's net value is the two AAA positions: 15 x the last AAA close.
  double aaa_value = 0.0;
  for (const auto& pos : doc["positions"]) {
    if (pos["symbol"] == "AAA") aaa_value += pos["market_value"].get<double>();
  }
  for (const auto& g : doc["groups"]) {
    if (g["key"] == "momentum") {
      EXPECT_NEAR(g["net"].get<double>(), aaa_value, 1e-9 * aaa_value);
    }
  }
  EXPECT_EQ(get(mgr, p + "/strategies?as_of=yesterday")->status, 400);
}

TEST_F(TagRoutesTest, ViewersReadOnlyOtherTenantsSee404AndMutationsAreAudited) {
  const std::string root = login("root");
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  const std::string view = login("view");
  const std::string other = login("other");
  const auto pid = seeded_portfolio(mgr);
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  EXPECT_EQ(post(view, "/api/v1/tags", R"({"name":"x"})")->status, 403);
  EXPECT_EQ(post(ana, "/api/v1/tags", R"({"name":"x"})")->status, 403);  // the registry is the manager's
  ASSERT_EQ(post(mgr, "/api/v1/tags", R"({"name":"x"})")->status, 201);
  EXPECT_EQ(post(view, p + "/positions/tags", R"({"symbols":["AAA"],"tag":"x"})")->status, 403);
  EXPECT_EQ(put(view, p + "/positions/strategy", R"({"symbols":["AAA"],"strategy":"s"})")->status, 403);
  EXPECT_EQ(get(view, "/api/v1/tags")->status, 200);

  // globex sees none of acme's tags or positions.
  EXPECT_EQ(body(get(other, "/api/v1/tags"))["items"].size(), 0u);
  EXPECT_EQ(del(other, "/api/v1/tags/x")->status, 404);
  EXPECT_EQ(post(other, p + "/positions/tags", R"({"symbols":["AAA"],"tag":"x"})")->status, 404);
  EXPECT_EQ(put(other, p + "/positions/strategy", R"({"symbols":["AAA"],"strategy":"s"})")->status, 404);
  EXPECT_EQ(get(other, p + "/strategies")->status, 404);
  // globex may have its own tag of the same name.
  EXPECT_EQ(post(other, "/api/v1/tags", R"({"name":"x"})")->status, 201);

  ASSERT_EQ(post(ana, p + "/positions/tags", R"({"symbols":["AAA"],"tag":"x"})")->status, 200);
  ASSERT_EQ(del(ana, p + "/positions/tags", R"({"symbols":["AAA"],"tag":"x"})")->status, 200);
  ASSERT_EQ(put(ana, p + "/positions/strategy", R"({"symbols":["BBB"],"strategy":"carry"})")->status, 200);
  ASSERT_EQ(del(mgr, "/api/v1/tags/x")->status, 200);
  const std::string res = "portfolio/" + std::to_string(pid);
  EXPECT_EQ(audit_actions(root, "tag."), (std::vector<std::string>{"tag.create:tag/x", "tag.create:tag/x",
                                                                  "tag.attach:" + res, "tag.detach:" + res,
                                                                  "tag.delete:tag/x"}));
  EXPECT_EQ(audit_actions(root, "strategy."), (std::vector<std::string>{"strategy.set:" + res}));
}

}  // namespace
}  // namespace keel::server::testing
