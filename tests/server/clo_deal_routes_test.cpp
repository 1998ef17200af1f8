// CLO deals stored in the tenant over HTTP: a deal uploaded with its pool as CSV runs to the same
// JSON as the inline deal of POST /api/v1/clo/*; every assumptions edit is a version and older
// versions run as they were; bad uploads name every row and store nothing; roles, tenants, audit.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <sstream>

#include "../support/cli_runner.h"
#include "keel/service/clo.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

std::string read_example(const std::string& name) {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/examples/clo/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// examples/clo/small_deal.json as uploaded (its collateral names small_pool.csv, sent beside it).
json small_deal_document() {
  return json::parse(read_example("small_deal.json"));
}
std::string small_pool_csv() {
  return read_example("small_pool.csv");
}

// The same deal with the pool's three loans inline, as POST /api/v1/clo/* takes it.
json small_deal_inline() {
  json deal = small_deal_document();
  deal["collateral"] = json::array();
  std::istringstream lines(small_pool_csv());
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    std::vector<std::string> c;
    std::stringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) c.push_back(cell);
    deal["collateral"].push_back({{"obligor", c[0]},
                                  {"industry", c[1]},
                                  {"par", std::stod(c[2])},
                                  {"price", std::stod(c[3])},
                                  {"spread", std::stod(c[4])},
                                  {"floor", std::stod(c[5])},
                                  {"coupon_type", c[6]},
                                  {"maturity", c[7]},
                                  {"rating", c[8]},
                                  {"lien", c[9]}});
  }
  return deal;
}

class CloDealRoutesTest : public ServerFixture {
 protected:
  std::int64_t create(const std::string& token, const std::string& name) {
    auto r = post(token, "/api/v1/clo/deals",
                  json{{"name", name},
                       {"deal", small_deal_document()},
                       {"collateral_csv", small_pool_csv()},
                       {"comment", "closing pool"}}
                      .dump());
    EXPECT_EQ(r->status, 201) << r->body;
    return r->status == 201 ? body(r)["deal"]["id"].get<std::int64_t>() : 0;
  }
};

TEST_F(CloDealRoutesTest, AStoredDealRunsLikeTheInlineDealAndEveryEditIsAVersion) {
  const std::string ana = login("ana");
  const std::int64_t id = create(ana, "small");
  const std::string d = "/api/v1/clo/deals/" + std::to_string(id);
  auto r = get(ana, d);
  ASSERT_EQ(r->status, 200) << r->body;
  json shown = body(r);
  EXPECT_EQ(shown["deal"]["name"], "small");
  EXPECT_EQ(shown["deal"]["deal"], "Small worked deal");
  EXPECT_EQ(shown["deal"]["tranches"], json::array({"A", "B", "Sub"}));
  EXPECT_EQ(shown["version"]["version"], 1);
  EXPECT_EQ(shown["version"]["change"], "created");
  EXPECT_EQ(shown["version"]["comment"], "closing pool");
  EXPECT_EQ(shown["version"]["loans"], 3);
  EXPECT_EQ(shown["version"]["collateral_par"], 100000000.0);
  // The first assumptions are the document's scenario block.
  EXPECT_EQ(shown["version"]["assumptions"],
            json({{"cdr", 0.0}, {"cpr", 0.0}, {"recovery", 0.4}, {"recovery_lag_months", 6}}));
  EXPECT_FALSE(shown["document"].contains("collateral"));
  EXPECT_EQ(shown["document"]["scenario"]["recovery"], 0.4);
  EXPECT_EQ(get(ana, "/api/v1/clo/deals/small")->status, 200);  // by name too

  // Run, tests, grid and Monte Carlo equal the inline routes on the same deal, to the bit.
  const json inline_deal = small_deal_inline();
  auto stored = post(ana, d + "/run", json{{"cdr", 0.03}}.dump());
  auto direct = post(ana, "/api/v1/clo/run", json{{"deal", inline_deal}, {"cdr", 0.03}}.dump());
  ASSERT_EQ(stored->status, 200) << stored->body;
  ASSERT_EQ(direct->status, 200) << direct->body;
  EXPECT_EQ(body(stored), body(direct));
  stored = post(ana, d + "/tests", json{{"as_of", "2025-01-15"}}.dump());
  direct = post(ana, "/api/v1/clo/tests", json{{"deal", inline_deal}, {"as_of", "2025-01-15"}}.dump());
  ASSERT_EQ(stored->status, 200) << stored->body;
  EXPECT_EQ(body(stored), body(direct));
  // WARF = (40 x 2720 + 30 x 3490 + 30 x 2220) / 100 = 2801 against a maximum of 3000: cushion 199.
  const json warf = body(stored)["quality"][0];
  EXPECT_EQ(warf["name"], "WARF");
  EXPECT_DOUBLE_EQ(warf["value"].get<double>(), 2801.0);
  EXPECT_EQ(warf["bound"], "max");
  EXPECT_DOUBLE_EQ(warf["cushion"].get<double>(), 199.0);
  const json grid_axes = {{"cdr", {0.0, 0.05}}, {"cpr", {0.1}}, {"recovery", {0.4, 0.7}}};
  json grid_body = grid_axes;
  stored = post(ana, d + "/grid", grid_body.dump());
  grid_body["deal"] = inline_deal;
  direct = post(ana, "/api/v1/clo/grid", grid_body.dump());
  ASSERT_EQ(stored->status, 200) << stored->body;
  EXPECT_EQ(body(stored), body(direct));
  EXPECT_EQ(body(stored)["points"], 4);
  stored = post(ana, d + "/montecarlo", json{{"scenarios", 300}, {"seed", 5}, {"histogram_bins", 10}}.dump());
  direct = post(ana, "/api/v1/clo/montecarlo",
                json{{"deal", inline_deal}, {"scenarios", 300}, {"seed", 5}, {"histogram_bins", 10}}.dump());
  ASSERT_EQ(stored->status, 200) << stored->body;
  EXPECT_EQ(body(stored), body(direct));
  // Each tranche's histogram counts every scenario once on 10 bins of 0..1.
  for (const auto& t : body(stored)["tranches"]) {
    const auto& h = t["histogram"];
    ASSERT_EQ(h["edges"].size(), 11u);
    EXPECT_EQ(h["edges"][10], 1.0);
    std::int64_t n = 0;
    for (const auto& c : h["counts"]) n += c.get<std::int64_t>();
    EXPECT_EQ(n, 300);
    EXPECT_EQ(h["total"], 300);
  }

  // v2: other assumptions; a run without overrides takes them, version 1 still runs as it was.
  r = post(ana, d + "/assumptions", json{{"cdr", 0.05}, {"recovery_lag", 9}, {"comment", "stress"}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["version"], 2);
  EXPECT_EQ(body(r)["change"], "assumptions");
  EXPECT_EQ(body(r)["assumptions"],
            json({{"cdr", 0.05}, {"cpr", 0.0}, {"recovery", 0.4}, {"recovery_lag_months", 9}}));
  EXPECT_EQ(body(r)["collateral_set"], 1);  // the pool is shared, not copied
  stored = post(ana, d + "/run", "{}");
  direct =
      post(ana, "/api/v1/clo/run", json{{"deal", inline_deal}, {"cdr", 0.05}, {"recovery_lag", 9}}.dump());
  EXPECT_EQ(body(stored), body(direct));
  stored = post(ana, d + "/run", json{{"version", 1}}.dump());
  direct = post(ana, "/api/v1/clo/run", json{{"deal", inline_deal}}.dump());
  EXPECT_EQ(body(stored), body(direct));
  EXPECT_EQ(post(ana, d + "/run", json{{"version", 3}}.dump())->status, 404);

  // v3: a new pool of two loans; v1's pool is unchanged.
  const std::string two =
      "obligor,par,maturity,rating,spread\nL1,60000000,2030-01-15,B2,0.04\nL2,40000000,2030-01-15,B1,0.05\n";
  r = put(ana, d, json{{"collateral_csv", two}, {"comment", "new pool"}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["version"]["version"], 3);
  EXPECT_EQ(body(r)["version"]["change"], "collateral");
  EXPECT_EQ(body(r)["version"]["loans"], 2);
  EXPECT_EQ(body(r)["version"]["assumptions"]["cdr"], 0.05);  // kept from v2
  const json versions = body(get(ana, d + "/versions"));
  ASSERT_EQ(versions["items"].size(), 3u);
  EXPECT_EQ(versions["items"][0]["assumptions"]["cdr"], 0.0);
  EXPECT_EQ(versions["items"][2]["comment"], "new pool");
  const json pool1 = body(get(ana, d + "/collateral?version=1"));
  ASSERT_EQ(pool1["items"].size(), 3u);
  EXPECT_EQ(pool1["items"][1]["obligor"], "L2");
  EXPECT_DOUBLE_EQ(pool1["items"][1]["price"].get<double>(), 95.0);
  EXPECT_EQ(pool1["items"][1]["rating"], "B3");
  EXPECT_EQ(body(get(ana, d + "/collateral"))["loans"], 2);

  // The pool as CSV: an attachment named after the deal and version, which uploads back as is.
  r = get(ana, d + "/collateral?version=1&format=csv");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Content-Disposition"), "attachment; filename=\"small_v1_collateral.csv\"");
  EXPECT_EQ(r->body.substr(0, r->body.find('\n')),
            "obligor,industry,par,price,spread,floor,coupon_type,coupon,maturity,rating,lien,defaulted,asset_id,"
            "facility_id,unfunded,country,cov_lite,dip,moodys_rating,sp_rating");
  EXPECT_NE(r->body.find(
                "L2,Healthcare & Pharmaceuticals,30000000,95,0.045,0,floating,0,2030-01-15,B3,first,false"),
            std::string::npos)
      << r->body;
  auto again =
      post(ana, "/api/v1/clo/deals",
           json{{"name", "copy"}, {"deal", small_deal_document()}, {"collateral_csv", r->body}}.dump());
  ASSERT_EQ(again->status, 201) << again->body;
  const std::string copy =
      "/api/v1/clo/deals/" + std::to_string(body(again)["deal"]["id"].get<std::int64_t>());
  EXPECT_EQ(body(post(ana, copy + "/run", "{}"))["periods"],
            body(post(ana, d + "/run", R"({"version":1})"))["periods"]);
}

TEST_F(CloDealRoutesTest, BadUploadsNameEveryProblemAndStoreNothing) {
  const std::string ana = login("ana");
  // Two bad cells on two rows of the pool, by line and column.
  const std::string pool =
      "obligor,industry,par,price,spread,floor,coupon_type,maturity,rating,lien,defaulted\n"
      "L1,High Tech Industries,40000000,99,0.040,0,floating,2030-01-15,B2,first,false\n"
      "L2,Retail,lots,95,0.045,0,floating,2030-01-15,BB-,first,false\n"
      "L3,Retail,30000000,97,0.050,0,floating,2030-02-30,B1,first,maybe\n";
  auto r = post(ana, "/api/v1/clo/deals",
                json{{"name", "bad"}, {"deal", small_deal_document()}, {"collateral_csv", pool}}.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  const std::string details = body(r)["error"]["details"].dump();
  for (const char* p :
       {"collateral.csv:3:3", "collateral.csv:3:9", "collateral.csv:4:8", "collateral.csv:4:11"}) {
    EXPECT_NE(details.find(p), std::string::npos) << p << " in " << details;
  }
  // The document's own problems by JSON path; a file named anywhere in it is refused.
  json deal = small_deal_inline();
  deal["tranches"][1]["balance"] = -5;
  deal["reference_rate"] = {{"curve", "/etc/passwd"}};
  r = post(ana, "/api/v1/clo/deals", json{{"deal", deal}}.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("deal.reference_rate.curve: must be inline"), std::string::npos) << r->body;
  deal["reference_rate"] = {{"flat", 0.05}};
  r = post(ana, "/api/v1/clo/deals", json{{"deal", deal}}.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("tranches[1].balance"), std::string::npos) << r->body;
  r = post(ana, "/api/v1/clo/deals", json{{"deal", small_deal_document()}}.dump());  // the pool names a file
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("deal.collateral: names a file"), std::string::npos) << r->body;
  r = post(ana, "/api/v1/clo/deals", R"({"deal":{"name":"x"},"cdr":2,"colour":"red"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("cdr: expected a number"), std::string::npos) << r->body;
  const json bad_fields = body(r)["error"]["details"];
  EXPECT_TRUE(std::any_of(bad_fields.begin(), bad_fields.end(), [](const json& d) {
    return d.get<std::string>().find("\"colour\": not a field") != std::string::npos;
  })) << r->body;
  EXPECT_EQ(body(get(ana, "/api/v1/clo/deals"))["items"].size(), 0u);
  // The inline routes refuse a curve file too.
  deal["reference_rate"] = {{"curve", "/etc/passwd"}};
  r = post(ana, "/api/v1/clo/run", json{{"deal", deal}}.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("deal.reference_rate.curve: must be inline"), std::string::npos) << r->body;

  const std::int64_t id = create(ana, "small");
  ASSERT_NE(id, 0);
  EXPECT_EQ(
      post(ana, "/api/v1/clo/deals", json{{"name", "small"}, {"deal", small_deal_inline()}}.dump())->status,
      409);
  // A bad new pool leaves the deal at its version.
  r = put(ana, "/api/v1/clo/deals/small", json{{"collateral_csv", "obligor,par\nL1,1\n"}}.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("collateral.csv:1"), std::string::npos) << r->body;
  EXPECT_EQ(body(get(ana, "/api/v1/clo/deals/small/versions"))["items"].size(), 1u);
}

TEST_F(CloDealRoutesTest, ViewersReadAnalystsEditManagersDeleteOthersSee404AndEditsAreAudited) {
  const std::string ana = login("ana");
  const std::string view = login("view");
  const std::string mgr = login("mgr");
  const std::string other = login("other");
  const std::int64_t id = create(ana, "small");
  const std::string d = "/api/v1/clo/deals/" + std::to_string(id);
  EXPECT_EQ(get(view, d)->status, 200);
  EXPECT_EQ(get(view, "/api/v1/clo/deals")->status, 200);
  EXPECT_EQ(get(view, d + "/collateral")->status, 200);
  EXPECT_EQ(post(view, "/api/v1/clo/deals", json{{"deal", small_deal_inline()}}.dump())->status, 403);
  EXPECT_EQ(post(view, d + "/assumptions", R"({"cdr":0.1})")->status, 403);
  for (const char* run : {"/run", "/tests", "/grid", "/montecarlo"}) {
    EXPECT_EQ(post(view, d + run, "{}")->status, 403) << run;
  }
  EXPECT_EQ(del(ana, d)->status, 403);  // deleting takes manage_portfolios
  EXPECT_EQ(get(other, d)->status, 404);
  EXPECT_EQ(post(other, d + "/run", "{}")->status, 404);
  EXPECT_EQ(del(other, d)->status, 404);
  EXPECT_EQ(body(get(other, "/api/v1/clo/deals"))["items"].size(), 0u);
  ASSERT_EQ(post(ana, d + "/assumptions", R"({"cpr":0.2})")->status, 201);
  auto r = del(mgr, d);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r), json({{"deleted", "small"}, {"id", id}, {"versions", 2}}));
  EXPECT_EQ(get(ana, d)->status, 404);
  const std::string res = "clo_deal/" + std::to_string(id);
  EXPECT_EQ(audit_actions(login("root"), "clo_deal."),
            (std::vector<std::string>{"clo_deal.create:" + res, "clo_deal.assumptions:" + res,
                                      "clo_deal.delete:" + res}));
}

// More than 1,000 scenarios on a stored deal: a job pinned to the version asked for, whose result
// equals the inline Monte Carlo; the jobs API checks such a request before queueing it.
TEST_F(CloDealRoutesTest, LargeMonteCarloRunsAsAJobOnThePinnedVersion) {
  const std::string ana = login("ana");
  const std::int64_t id = create(ana, "small");
  const std::string d = "/api/v1/clo/deals/" + std::to_string(id);
  auto r = post(ana, d + "/montecarlo", json{{"scenarios", 1200}, {"seed", 3}}.dump());
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["kind"], "clo.deal.montecarlo");
  const auto job = body(r)["id"].get<std::int64_t>();
  ASSERT_EQ(post(ana, d + "/assumptions", R"({"cdr":0.2})")->status, 201);  // after queueing: not seen
  const json done = wait_job(ana, job);
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  auto direct = post(ana, "/api/v1/clo/montecarlo",
                     json{{"deal", small_deal_inline()}, {"scenarios", 1200}, {"seed", 3}}.dump());
  ASSERT_EQ(direct->status, 202);
  const json inline_done = wait_job(ana, body(direct)["id"].get<std::int64_t>());
  EXPECT_EQ(done["result"], inline_done["result"]);
  r = post(ana, "/api/v1/jobs",
           json{{"kind", "clo.deal.montecarlo"}, {"request", {{"deal", id}, {"options", {{"version", 9}}}}}}
               .dump());
  EXPECT_EQ(r->status, 404) << r->body;
  r = post(ana, "/api/v1/jobs", R"({"kind":"clo.deal.montecarlo","request":{"options":{"seed":"x"}}})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("request.deal: required"), std::string::npos) << r->body;
}

// Dated ratings (CSV body) and prices (JSON rows) stored with the deal: viewers read but do not
// import, imports are audited, a bad file names its cells and stores nothing, and a run of the
// stored deal applies them exactly as `keel clo run|tests --ratings --marks` does with the files.
TEST_F(CloDealRoutesTest, StoredRatingsAndMarksApplyToRunsAsTheFileOptionsDo) {
  const std::string ana = login("ana");
  const std::string view = login("view");
  const std::int64_t id = create(ana, "small");
  const std::string d = "/api/v1/clo/deals/" + std::to_string(id);
  const std::string ratings = "as_of,obligor,rating\n2025-03-31,L1,Caa2\n2025-06-30,L3,CCC\n2025-03-31,L9,B1\n";
  const json prices = json::array({{{"as_of", "2025-03-31"}, {"obligor", "L1"}, {"price", 60}},
                                   {{"as_of", "2025-06-30"}, {"obligor", "L1"}, {"price", 55.5}}});
  const std::string prices_csv = "as_of,obligor,price\n2025-03-31,L1,60\n2025-06-30,L1,55.5\n";

  EXPECT_EQ(post(view, d + "/ratings", ratings, "text/csv")->status, 403);
  EXPECT_EQ(post(view, d + "/marks", prices.dump())->status, 403);
  auto r = post(ana, d + "/ratings", ratings, "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["rows"], 3);
  EXPECT_EQ(body(r)["added"], 3);
  EXPECT_EQ(body(r)["first_date"], "2025-03-31");
  EXPECT_EQ(body(r)["last_date"], "2025-06-30");
  EXPECT_EQ(body(r)["unknown_obligors"], json::array({"L9"}));
  r = post(ana, d + "/ratings", ratings, "text/csv");  // again: every row replaces its own
  EXPECT_EQ(body(r)["added"], 0);
  EXPECT_EQ(body(r)["replaced"], 3);
  r = post(ana, d + "/marks", json{{"marks", prices}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["file"], "body.json");
  EXPECT_EQ(body(r)["rows"], 2);

  // A bad file: every bad cell by line and column, nothing stored.
  r = post(ana, d + "/ratings", "as_of,obligor,rating\n2025-09-30,L2,D\n2025-02-30,L2,B2\n", "text/csv");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("body.csv:2:3: rating: unknown rating 'D'"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("body.csv:3:1: as_of"), std::string::npos) << r->body;
  r = post(ana, d + "/marks", json::array({{{"as_of", "2025-09-30"}, {"obligor", "L2"}, {"price", "ten"}}}).dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("body.json:2:3: price"), std::string::npos) << r->body;
  // Viewers read them: by date, then obligor; an S&P rating as its Moody's notch (CCC = Caa2), prices in percent.
  r = get(view, d + "/ratings");
  ASSERT_EQ(r->status, 200) << r->body;
  const json stored_ratings = body(r)["items"];
  ASSERT_EQ(stored_ratings.size(), 3u);
  EXPECT_EQ(stored_ratings[0]["obligor"], "L1");
  EXPECT_EQ(stored_ratings[1]["obligor"], "L9");
  EXPECT_EQ(stored_ratings[2]["rating"], "Caa2");
  EXPECT_EQ(stored_ratings[2]["imported_by"], "ana");
  const json stored_prices = body(get(view, d + "/marks"))["items"];
  ASSERT_EQ(stored_prices.size(), 2u);
  EXPECT_DOUBLE_EQ(stored_prices[1]["price"].get<double>(), 55.5);
  EXPECT_FALSE(stored_prices[1].contains("rating"));

  // Tests at 2025-03-31: L1 Caa2 (6500), L2 B3 (3490), L3 B1 (2220): WARF (40 x 6500 + 30 x 3490 +
  // 30 x 2220) / 100 = 4313, CCC share 40 %; at 2025-06-30 L3 is Caa2 too: (260000 + 104700 +
  // 195000) / 100 = 5597, CCC share 70 %, L1 priced at 55.5.
  r = post(ana, d + "/tests", json{{"marks_as_of", "2025-03-31"}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  json t = body(r);
  EXPECT_EQ(t["as_of"], "2025-03-31");
  EXPECT_DOUBLE_EQ(t["metrics"]["warf"].get<double>(), 4313.0);
  EXPECT_DOUBLE_EQ(t["metrics"]["ccc_share"].get<double>(), 0.4);
  EXPECT_EQ(t["marks"], json({{"as_of", "2025-03-31"}, {"loans_rated", 1}, {"loans_priced", 1},
                              {"unknown_obligors", {"L9"}}, {"migration", false}}));
  t = body(post(ana, d + "/tests", json{{"as_of", "2025-06-30"}}.dump()));
  EXPECT_DOUBLE_EQ(t["metrics"]["warf"].get<double>(), 5597.0);
  EXPECT_DOUBLE_EQ(t["metrics"]["ccc_share"].get<double>(), 0.7);
  EXPECT_EQ(t["marks"]["loans_rated"], 2);
  // The run at 2025-03-31: Caa par 40m above 7.5 % of 100m performing par = 32.5m, carried at 60:
  // a CCC haircut of 32.5m x (1 - 0.60) = 13m on the first payment date.
  r = post(ana, d + "/run", json{{"marks_as_of", "2025-03-31"}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  const json run = body(r);
  EXPECT_NEAR(run["periods"][0]["ccc_haircut"].get<double>(), 13'000'000.0, 1e-6);

  // The same runs with the files on the command line.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("keel_clo_marks_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "ratings.csv") << ratings;
  std::ofstream(dir / "marks.csv") << prices_csv;
  const std::string files = " --deal " + std::string(KEEL_SOURCE_DIR) + "/examples/clo/small_deal.json --ratings " +
                            (dir / "ratings.csv").string() + " --marks " + (dir / "marks.csv").string();
  auto cli = keel::testing::run_keel("--quiet --format json clo run" + files + " --marks-as-of 2025-03-31");
  ASSERT_EQ(cli.code, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out), run);
  cli = keel::testing::run_keel("--quiet --format json clo tests" + files + " --as-of 2025-06-30");
  ASSERT_EQ(cli.code, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out), t);
  cli = keel::testing::run_keel("--quiet --format json clo montecarlo" + files + " --scenarios 200 --seed 4");
  ASSERT_EQ(cli.code, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out), body(post(ana, d + "/montecarlo", json{{"scenarios", 200}, {"seed", 4}}.dump())));

  // A migration matrix and obligor pair correlations as JSON over HTTP: the runs equal the command's
  // with the same rows as files.
  std::ofstream(dir / "migration.csv") << "from,B1,B3,Caa2\nB1,0.9,0.08,0.02\nB3,0.05,0.85,0.1\nCaa2,0,0.1,0.9\n";
  std::ofstream(dir / "pairs.csv") << "obligor_a,obligor_b,correlation\nL1,L2,0.5\n";
  const json moves = {{"migration_ratings", {"B1", "B3", "Caa2"}},
                      {"migration_annual", {{0.9, 0.08, 0.02}, {0.05, 0.85, 0.1}, {0, 0.1, 0.9}}}};
  json mc = moves;
  mc.update({{"scenarios", 200}, {"seed", 4}, {"pair_correlations", {{{"obligor_a", "L1"}, {"obligor_b", "L2"}, {"correlation", 0.5}}}}});
  r = post(ana, d + "/montecarlo", mc.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["pair_overrides"], 1);
  EXPECT_EQ(body(r)["marks"]["migration"], true);
  cli = keel::testing::run_keel("--quiet --format json clo montecarlo" + files + " --scenarios 200 --seed 4 --migration " +
                                (dir / "migration.csv").string() + " --pair-correlation " + (dir / "pairs.csv").string());
  ASSERT_EQ(cli.code, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out), body(r));
  json run_moves = moves;
  run_moves["marks_as_of"] = "2025-03-31";
  r = post(ana, d + "/run", run_moves.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  cli = keel::testing::run_keel("--quiet --format json clo run" + files + " --marks-as-of 2025-03-31 --migration " +
                                (dir / "migration.csv").string());
  ASSERT_EQ(cli.code, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out), body(r));
  // A row that does not sum to 1 is refused by the file's own check, named by the field.
  json bad = moves;
  bad["migration_annual"][1] = {0.05, 0.85, 0.2};
  r = post(ana, d + "/run", bad.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("migration_annual"), std::string::npos) << r->body;
  fs::remove_all(dir);

  const std::string res = "clo_deal/" + std::to_string(id);
  EXPECT_EQ(audit_actions(login("root"), "clo_deal.", "acme"),
            (std::vector<std::string>{"clo_deal.create:" + res, "clo_deal.ratings.import:" + res,
                                      "clo_deal.ratings.import:" + res, "clo_deal.marks.import:" + res}));
}

// A stored deal's projection as a job: asked for ({"async": true}) or a pool of more than 1,000
// loans. The job's result is the synchronous response byte for byte (its JSON text as sent), pinned
// to the version asked for; the jobs API lists it and checks such a request before queueing it.
TEST_F(CloDealRoutesTest, ALargeOrAsyncProjectionIsAJobWithTheSynchronousResult) {
  const std::string ana = login("ana");
  const std::int64_t id = create(ana, "small");
  const std::string d = "/api/v1/clo/deals/" + std::to_string(id);
  const auto sync = post(ana, d + "/run", json{{"cdr", 0.03}}.dump());
  ASSERT_EQ(sync->status, 200) << sync->body;
  auto r = post(ana, d + "/run", json{{"cdr", 0.03}, {"async", true}}.dump());
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["kind"], "clo.deal.run");
  const auto job = body(r)["id"].get<std::int64_t>();
  ASSERT_EQ(post(ana, d + "/assumptions", R"({"cpr":0.2})")->status, 201);  // after queueing: not seen
  json done = wait_job(ana, job);
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["result"].dump(), sync->body);
  bool listed = false;
  const json jobs = body(get(ana, "/api/v1/jobs"));  // kept alive: the loop reads into it
  for (const auto& j : jobs["items"]) listed = listed || (j["id"] == job && j["kind"] == "clo.deal.run");
  EXPECT_TRUE(listed);

  // 1,001 loans of 100,000 each (par 100.1m for the 100m of notes): above the threshold without
  // asking, and the job's result equals the inline projection of the same deal.
  std::string pool = "obligor,industry,par,price,spread,floor,coupon_type,maturity,rating,lien,defaulted\n";
  json deal = small_deal_document();
  deal["collateral"] = json::array();
  for (int i = 1; i <= 1001; ++i) {
    const std::string rating = i % 3 == 0 ? "B1" : i % 3 == 1 ? "B2" : "B3";
    const double spread = 0.03 + 0.0001 * (i % 25);
    pool += "L" + std::to_string(i) + ",Retail,100000,98," + json(spread).dump() + ",0,floating,2030-01-15," + rating +
            ",first,false\n";
    deal["collateral"].push_back({{"obligor", "L" + std::to_string(i)}, {"industry", "Retail"}, {"par", 100000},
                                  {"price", 98}, {"spread", spread}, {"floor", 0}, {"coupon_type", "floating"},
                                  {"maturity", "2030-01-15"}, {"rating", rating}, {"lien", "first"}});
  }
  r = post(ana, "/api/v1/clo/deals",
           json{{"name", "large"}, {"deal", small_deal_document()}, {"collateral_csv", pool}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["deal"]["latest"]["loans"], 1001);
  r = post(ana, "/api/v1/clo/deals/large/run", "{}");
  ASSERT_EQ(r->status, 202) << r->body;
  done = wait_job(ana, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  const auto direct = post(ana, "/api/v1/clo/run", json{{"deal", deal}}.dump());
  ASSERT_EQ(direct->status, 200) << direct->body;
  EXPECT_EQ(done["result"].dump(), direct->body);

  r = post(ana, "/api/v1/jobs",
           json{{"kind", "clo.deal.run"}, {"request", {{"deal", id}, {"options", {{"version", 9}}}}}}.dump());
  EXPECT_EQ(r->status, 404) << r->body;
  r = post(ana, "/api/v1/jobs", R"({"kind":"clo.deal.run","request":{"options":{}}})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("request.deal: required"), std::string::npos) << r->body;
  EXPECT_EQ(post(login("view"), d + "/run", R"({"async":true})")->status, 403);
}

// Issue 57: a ratings or marks upload cut inside its last row is stored, and the answer's
// "warnings" names the upload and that line (the CSV layer's rule, as for prices and positions).
TEST_F(CloDealRoutesTest, AnUploadCutInsideItsLastRowIsStoredWithAWarningNamingTheLine) {
  const std::string ana = login("ana");
  const std::int64_t id = create(ana, "small");
  const std::string d = "/api/v1/clo/deals/" + std::to_string(id);
  const std::string cut = "body.csv:3: the last line has no line ending: the file may be truncated";
  // "Caa2" cut to "Ca" (still a rating), "55.5" cut to "55".
  auto r = post(ana, d + "/ratings", "as_of,obligor,rating\n2025-03-31,L1,Caa2\n2025-06-30,L3,Ca", "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["rows"], 2);
  EXPECT_EQ(body(r)["warnings"], json::array({cut}));
  r = post(ana, d + "/marks", "as_of,obligor,price\n2025-03-31,L1,60\n2025-06-30,L1,55", "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["rows"], 2);
  EXPECT_EQ(body(r)["warnings"], json::array({cut}));
  // A whole file: no warning.
  r = post(ana, d + "/marks", "as_of,obligor,price\n2025-03-31,L1,60\n2025-06-30,L1,55.5\n", "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["warnings"], json::array());
}

}  // namespace
}  // namespace keel::server::testing
