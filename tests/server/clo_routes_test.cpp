// CLO over HTTP: run, tests, grid and Monte Carlo (inline, and a job above 1,000 scenarios) on the
// small worked deal with its collateral inline — the same JSON as the service the CLI calls.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "keel/service/clo.h"
#include "keel/store/job_repository.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

// examples/clo/small_deal.json with small_pool.csv's three loans inline (a request cannot name a file).
json small_deal() {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/examples/clo/small_deal.json");
  if (!in) return nullptr;
  json deal = json::parse(in);
  deal["collateral"] = json::array({
      {{"obligor", "L1"}, {"industry", "High Tech Industries"}, {"par", 40000000}, {"price", 99}, {"spread", 0.040},
       {"floor", 0}, {"coupon_type", "floating"}, {"maturity", "2030-01-15"}, {"rating", "B2"}, {"lien", "first"}},
      {{"obligor", "L2"}, {"industry", "Healthcare & Pharmaceuticals"}, {"par", 30000000}, {"price", 95},
       {"spread", 0.045}, {"floor", 0}, {"coupon_type", "floating"}, {"maturity", "2030-01-15"}, {"rating", "B3"},
       {"lien", "first"}},
      {{"obligor", "L3"}, {"industry", "Retail"}, {"par", 30000000}, {"price", 97}, {"spread", 0.050}, {"floor", 0},
       {"coupon_type", "floating"}, {"maturity", "2030-01-15"}, {"rating", "B1"}, {"lien", "first"}},
  });
  return deal;
}

io::CloDealFile parsed(const json& deal) { return io::parse_clo_deal(deal.dump(), "deal", "/nonexistent"); }
service::Context cx() { return {nullptr, server_env()}; }
// A result as a response carries it: undefined figures (NaN) are null, which compares equal.
template <class R>
json as_sent(const R& result) {
  return json::parse(spec::to_json(result).dump());
}

class CloRoutesTest : public ServerFixture {};

TEST_F(CloRoutesTest, RunTestsAndGridEqualTheService) {
  const json deal = small_deal();
  if (deal.is_null()) GTEST_SKIP() << "examples/clo/small_deal.json not found";
  const std::string ana = login("ana");
  const auto file = parsed(deal);
  service::CloScenarioRequest scenario;
  scenario.cdr = 0.03;
  scenario.cpr = 0.10;

  auto r = post(ana, "/api/v1/clo/run", json{{"deal", deal}, {"cdr", 0.03}, {"cpr", 0.10}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  service::CloRunRequest run;
  run.source.parsed = file;
  run.scenario = scenario;
  EXPECT_EQ(body(r), as_sent(service::clo_run(cx(), run)));

  r = post(ana, "/api/v1/clo/tests", json{{"deal", deal}, {"cdr", 0.03}, {"cpr", 0.10}, {"as_of", "2025-01-15"}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  service::CloTestsRequest tests;
  tests.source.parsed = file;
  tests.scenario = scenario;
  tests.as_of = Date::from_ymd(2025, 1, 15);
  EXPECT_EQ(body(r), as_sent(service::clo_tests(cx(), tests)));

  r = post(ana, "/api/v1/clo/grid", json{{"deal", deal}, {"cdr", {0.0, 0.05}}, {"cpr", 0.2}, {"recovery", {0.7}}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["points"], 2);  // 2 CDR x 1 CPR x 1 recovery
  service::CloGridRequest grid;
  grid.source.parsed = file;
  grid.cdr = {0.0, 0.05};
  grid.cpr = {0.2};
  grid.recovery = {0.7};
  EXPECT_EQ(body(r), as_sent(service::clo_grid(cx(), grid)));
}

TEST_F(CloRoutesTest, MonteCarloRunsInlineOrAsAJobWithTheSameResult) {
  const json deal = small_deal();
  if (deal.is_null()) GTEST_SKIP() << "examples/clo/small_deal.json not found";
  const std::string ana = login("ana");
  const auto file = parsed(deal);
  service::CloMonteCarloRequest req;
  req.source.parsed = file;
  req.scenarios = 200;
  req.seed = 7;
  auto r = post(ana, "/api/v1/clo/montecarlo", json{{"deal", deal}, {"scenarios", 200}, {"seed", 7}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r), as_sent(service::clo_montecarlo(cx(), req)));

  req.scenarios = 1500;
  r = post(ana, "/api/v1/clo/montecarlo", json{{"deal", deal}, {"scenarios", 1500}, {"seed", 7}}.dump());
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["kind"], "clo.montecarlo");
  const json done = wait_job(ana, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["result"], as_sent(service::clo_montecarlo(cx(), req)));
}

TEST_F(CloRoutesTest, AMonteCarloJobSplitIntoShardsGivesTheWholeRunsResultBitForBit) {
  const json deal = small_deal();
  if (deal.is_null()) GTEST_SKIP() << "examples/clo/small_deal.json not found";
  auto c = config_;
  c.shard_scenarios = 400;  // 1,500 scenarios: shards of 400, 400, 400 and 300
  c.job_workers = 2;
  restart(c);
  const std::string ana = login("ana");
  auto r = post(ana, "/api/v1/clo/montecarlo", json{{"deal", deal}, {"scenarios", 1500}, {"seed", 11}}.dump());
  ASSERT_EQ(r->status, 202) << r->body;
  const auto id = body(r)["id"].get<std::int64_t>();
  const json done = wait_job(ana, id);
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  service::CloMonteCarloRequest req;
  req.source.parsed = parsed(deal);
  req.scenarios = 1500;
  req.seed = 11;
  // Every percentile, VaR and ES comes from all 1,500 scenarios: equal to the one-process run.
  EXPECT_EQ(done["result"], as_sent(service::clo_montecarlo(cx(), req)));
  auto store = open_store(db_);
  const auto job = store->jobs().find(id);
  EXPECT_EQ(job->shards, 4);
  const auto shards = store->jobs().shard_outputs(id);
  ASSERT_EQ(shards.size(), 4u);
  EXPECT_EQ(json::parse(shards[3].request)["first"], 1200);
  EXPECT_EQ(json::parse(shards[3].request)["last"], 1500);
  EXPECT_EQ(shards[3].output.size(), 300 * sizeof(double) * (3 * deal["tranches"].size() + 2));
  // Shards are made by their job, never asked for.
  r = post(ana, "/api/v1/jobs",
           json{{"kind", "clo.montecarlo.shard"}, {"request", {{"options", {{"deal", deal}}}, {"first", 0}, {"last", 9}}}}
               .dump());
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("unknown job kind 'clo.montecarlo.shard'"), std::string::npos) << r->body;
  EXPECT_EQ(r->body.find(".shard\\\""), std::string::npos) << "shard kinds are not offered: " << r->body;
}

TEST_F(CloRoutesTest, BadBodiesNameTheFieldAndViewersCannotRun) {
  const std::string ana = login("ana");
  const std::string view = login("view");
  auto r = post(ana, "/api/v1/clo/tests", R"({"cdr":"high","as_of":"soon"})");
  ASSERT_EQ(r->status, 400);
  const std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("deal: required"), std::string::npos) << details;
  EXPECT_NE(details.find("cdr: expected a number"), std::string::npos) << details;
  EXPECT_NE(details.find("as_of: expected a date"), std::string::npos) << details;
  r = post(ana, "/api/v1/clo/grid", R"({"deal":{"collateral":"pool.csv"},"cdr":["x"]})");
  ASSERT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("deal.collateral: must be inline"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("cdr[0]: expected a number"), std::string::npos) << r->body;
  r = post(ana, "/api/v1/clo/montecarlo", R"({"deal":{},"scenarios":0})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("scenarios: expected an integer from 1"), std::string::npos) << r->body;
  for (const char* path : {"/api/v1/clo/run", "/api/v1/clo/tests", "/api/v1/clo/grid", "/api/v1/clo/montecarlo"}) {
    EXPECT_EQ(post(view, path, "{}")->status, 403) << path;
  }
}

// POST /api/v1/jobs {"kind":"clo.montecarlo","request":{"options":{..the clo/montecarlo body..}}}
// is checked before it is queued (400 naming the field, nothing queued), then runs like the route.
TEST_F(CloRoutesTest, MonteCarloJobsAreCheckedUpFrontThroughTheJobsApi) {
  const json deal = small_deal();
  if (deal.is_null()) GTEST_SKIP() << "examples/clo/small_deal.json not found";
  const std::string ana = login("ana");
  auto r = post(ana, "/api/v1/jobs", R"({"kind":"clo.montecarlo","request":{}})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("request.options: required"), std::string::npos) << r->body;
  r = post(ana, "/api/v1/jobs", R"({"kind":"clo.montecarlo","request":{"options":{"scenarios":0,"seed":"x"}}})");
  ASSERT_EQ(r->status, 400) << r->body;
  const std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("deal: required"), std::string::npos) << details;
  EXPECT_NE(details.find("scenarios: expected an integer from 1"), std::string::npos) << details;
  EXPECT_NE(details.find("seed: expected an integer"), std::string::npos) << details;
  json bad = deal;
  bad["collateral"] = "pool.csv";
  r = post(ana, "/api/v1/jobs", json{{"kind", "clo.montecarlo"}, {"request", {{"options", {{"deal", bad}}}}}}.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("deal.collateral: must be inline"), std::string::npos) << r->body;
  bad = deal;
  bad.erase("tranches");
  EXPECT_EQ(post(ana, "/api/v1/jobs", json{{"kind", "clo.montecarlo"}, {"request", {{"options", {{"deal", bad}}}}}}.dump())
                ->status,
            400);
  EXPECT_EQ(body(get(ana, "/api/v1/jobs"))["items"].size(), 0u);  // nothing queued
  EXPECT_EQ(post(login("view"), "/api/v1/jobs", R"({"kind":"clo.montecarlo","request":{}})")->status, 403);

  r = post(ana, "/api/v1/jobs",
           json{{"kind", "clo.montecarlo"}, {"request", {{"options", {{"deal", deal}, {"scenarios", 50}, {"seed", 3}}}}}}
               .dump());
  ASSERT_EQ(r->status, 202) << r->body;
  const json done = wait_job(ana, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  service::CloMonteCarloRequest req;
  req.source.parsed = parsed(deal);
  req.scenarios = 50;
  req.seed = 3;
  EXPECT_EQ(done["result"], as_sent(service::clo_montecarlo(cx(), req)));
}

}  // namespace
}  // namespace keel::server::testing
