// End-to-end tests of `keel risk factors|stress|scenario-shocks|diversification` on examples/.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/cli_runner.h"

namespace keel::testing {
namespace {

using nlohmann::json;

const std::string kPrices = source_path("examples/market/prices.csv");
const std::string kFf5 = source_path("examples/market/ff5_daily_2012_2017.csv");

std::string book_args(const std::string& portfolio) {
  return " --positions " + source_path("examples/portfolios/" + portfolio) + " --prices " + kPrices +
         " --factors " + kFf5 + " --factor-units percent";
}

class TempFile {
 public:
  TempFile(const std::string& name, const std::string& text)
      : path_((std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "_" + name)).string()) {
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

CliResult keel(const std::string& args) { return run_keel("--format json " + args); }

TEST(FactorsCli, BalancedBookBetas) {
  auto r = keel("risk factors" + book_args("balanced.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["window"], 252);
  EXPECT_EQ(j["first_date"], "2016-12-07");
  EXPECT_EQ(j["last_date"], "2017-12-06");
  EXPECT_EQ(j["factors"], json({"mkt_rf", "smb", "hml", "rmw", "cma"}));
  ASSERT_EQ(j["positions"].size(), 15u);
  for (const auto& p : j["positions"]) {
    ASSERT_TRUE(p["t_stats"].contains("mkt_rf")) << p.dump();
    ASSERT_TRUE(p.contains("alpha") && p.contains("r2") && p.contains("residual_vol"));
  }
  // The book's own regression gives the value-weighted betas (OLS is linear), plus its R^2.
  const json& port = j["portfolio"];
  for (const auto& f : j["factors"]) {
    EXPECT_NEAR(port["betas"][f.get<std::string>()].get<double>(),
                port["regression"]["betas"][f.get<std::string>()].get<double>(), 1e-10);
  }
  const double mkt = port["betas"]["mkt_rf"];
  EXPECT_GT(mkt, 0.5);
  EXPECT_LT(mkt, 1.5);
  EXPECT_GT(port["r2"].get<double>(), 0.5);
}

// The same numbers as the numpy peer (bench/peers/factors_betas.py --check AAPL XOM JPM).
TEST(FactorsCli, MatchesNumpyLstsqOnRealData) {
  TempFile pos("factors_pos.csv", "symbol,quantity\nAAPL,100\nXOM,200\nJPM,300\n");
  auto r = keel("risk factors --positions " + pos.path() + " --prices " + kPrices + " --factors " + kFf5 +
                " --factor-units percent");
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  const json& aapl = j["positions"][0];
  EXPECT_EQ(aapl["symbol"], "AAPL");
  EXPECT_NEAR(aapl["betas"]["mkt_rf"].get<double>(), 1.3963803094946434, 1e-9);
  EXPECT_NEAR(aapl["betas"]["cma"].get<double>(), -0.7067686421925968, 1e-9);
  EXPECT_NEAR(aapl["t_stats"]["smb"].get<double>(), -3.5355178404072576, 1e-7);
  EXPECT_NEAR(aapl["alpha"].get<double>(), 0.07597507711424514, 1e-10);
  EXPECT_NEAR(aapl["r2"].get<double>(), 0.39309856610300487, 1e-10);
  const json& jpm = j["positions"][2];
  EXPECT_NEAR(jpm["betas"]["hml"].get<double>(), 1.3085392162532588, 1e-9);
  EXPECT_NEAR(jpm["residual_vol"].get<double>(), 0.08669417011488334, 1e-10);
}

TEST(FactorsCli, OptionsEnterByDeltaAndRollingBetas) {
  auto r = keel("risk factors" + book_args("longshort.csv") + " --rolling 63 --rolling-step 21");
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  bool saw_option = false;
  for (const auto& p : j["positions"]) {
    if (p["symbol"] == "NFLX180420P00170000") {
      saw_option = true;
      EXPECT_EQ(p["driver"], "NFLX");
      EXPECT_LT(p["exposure"].get<double>(), 0.0);  // a long put is short delta
    }
  }
  EXPECT_TRUE(saw_option);
  EXPECT_EQ(j["weight_basis"], "net_value");
  // Windows end at 62, 83, ..., 251: (252 - 63) / 21 + 1 = 10.
  ASSERT_EQ(j["rolling"]["dates"].size(), 10u);
  EXPECT_EQ(j["rolling"]["dates"].back(), "2017-12-06");
  EXPECT_EQ(j["rolling"]["portfolio"]["betas"]["mkt_rf"].size(), 10u);
}

TEST(FactorsCli, StressAllScenariosBothMethods) {
  auto fr = keel("risk factors" + book_args("balanced.csv"));
  ASSERT_EQ(fr.code, 0) << fr.err;
  const json betas = json::parse(fr.out);
  auto r = keel("risk stress --scenario all" + book_args("balanced.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_EQ(j["scenarios"].size(), 2u * 13u);  // 6 historical + 3 market + 4 factor, two methods
  std::map<std::string, std::map<std::string, double>> pnl;
  for (const auto& s : j["scenarios"]) {
    double sum = 0.0;
    for (const auto& p : s["positions"]) sum += p["pnl"].get<double>();
    EXPECT_NEAR(sum, s["pnl"].get<double>(), 1e-6);
    EXPECT_NEAR(s["pnl_pct"].get<double>(), s["pnl"].get<double>() / j["book_value"].get<double>(), 1e-12);
    pnl[s["name"]][s["method"]] = s["pnl"];
  }
  // Historical scenarios set every factor, so both methods agree; the market-only ones differ.
  EXPECT_NEAR(pnl["covid_crash_2020"]["direct"], pnl["covid_crash_2020"]["correlated"], 1e-6);
  EXPECT_LT(pnl["gfc_2008"]["direct"], 0.0);
  EXPECT_GT(std::abs(pnl["market_down_20"]["direct"] - pnl["market_down_20"]["correlated"]), 1.0);
  // Direct market -20%: each stock loses value x beta_mkt x 20% (betas from `risk factors`).
  const json& md = j["scenarios"][2 * 7];  // market_down_20, direct
  ASSERT_EQ(md["name"], "market_down_20");
  ASSERT_EQ(md["method"], "direct");
  for (std::size_t i = 0; i < 15; ++i) {
    const double beta = betas["positions"][i]["betas"]["mkt_rf"];
    const double value = betas["positions"][i]["value"];
    EXPECT_NEAR(md["positions"][i]["pnl"].get<double>(), value * beta * -0.20, 1e-6);
  }
}

TEST(FactorsCli, UserShocksAndScenarioFile) {
  TempFile file("factors_scen.json",
                R"({"scenarios": [{"name": "market_down_10", "kind": "hypothetical", "shocks": {"mkt_rf": -0.12}},
                                  {"name": "value_rally", "shocks": {"hml": 0.08}}]})");
  auto r = keel("risk stress --scenarios " + file.path() + " --scenario market_down_10,value_rally --method direct" +
                book_args("balanced.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j["scenarios"].size(), 2u);
  EXPECT_DOUBLE_EQ(j["scenarios"][0]["factor_shocks"]["mkt_rf"].get<double>(), -0.12);
  EXPECT_NE(r.err.find("replaces the built-in one"), std::string::npos) << r.err;

  r = keel("risk stress --shock mkt_rf=-0.15,smb=0.02 --vol-shock 0.1" + book_args("longshort.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  j = json::parse(r.out);
  ASSERT_EQ(j["scenarios"].size(), 2u);
  EXPECT_EQ(j["scenarios"][0]["name"], "user");
  EXPECT_EQ(j["scenarios"][0]["given_factors"], json({"mkt_rf", "smb"}));
  EXPECT_DOUBLE_EQ(j["scenarios"][1]["vol_shock"].get<double>(), 0.1);
}

TEST(FactorsCli, BadInputsNameThePlace) {
  auto r = keel("risk stress --scenario nope" + book_args("balanced.csv"));
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("unknown scenario: nope"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("covid_crash_2020"), std::string::npos) << r.err;

  TempFile bad("factors_bad.json", R"({"scenarios": [{"name": "x", "shocks": {"mkt_rf": "down"}}]})");
  r = keel("risk stress --scenarios " + bad.path() + book_args("balanced.csv"));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("scenarios[0].shocks.mkt_rf: must be a number"), std::string::npos) << r.err;

  TempFile broken("factors_broken.json", "{\"scenarios\": [\n{\"name\": }]}");
  r = keel("risk stress --scenarios " + broken.path() + book_args("balanced.csv"));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find(broken.path() + ":2:"), std::string::npos) << r.err;

  // A factor file without 2017-11-30 and 2017-12-01.
  std::ifstream in(kFf5);
  std::string line, text;
  while (std::getline(in, line)) {
    if (line.rfind("2017-11-30", 0) == 0 || line.rfind("2017-12-01", 0) == 0) continue;
    text += line + "\n";
  }
  TempFile holes("factors_holes.csv", text);
  r = keel("risk factors --positions " + source_path("examples/portfolios/balanced.csv") + " --prices " + kPrices +
           " --factors " + holes.path() + " --factor-units percent");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("has no row for 2 of the 252 return dates"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2017-11-30, 2017-12-01"), std::string::npos) << r.err;

  TempFile old("factors_old.csv", "date,mkt_rf,rf\n1990-01-02,1.0,0.01\n1990-01-03,-0.5,0.01\n");
  r = keel("risk factors --positions " + source_path("examples/portfolios/balanced.csv") + " --prices " + kPrices +
           " --factors " + old.path() + " --factor-units percent");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("do not overlap"), std::string::npos) << r.err;

  r = keel("risk factors --positions " + source_path("examples/portfolios/balanced.csv") + " --prices " + kPrices +
           " --factors /nonexistent/ff.csv");
  EXPECT_EQ(r.code, 3) << r.err;
}

TEST(FactorsCli, ScenarioShocksReproduceTheShippedLibrary) {
  const std::string full = std::string(KEEL_SOURCE_DIR) + "/../shared/data/factors/ff5_daily_1963_2024.csv";
  if (!std::filesystem::exists(full)) GTEST_SKIP() << "needs " << full;
  auto r = keel("risk scenario-shocks --factors " + full + " --factor-units percent");
  ASSERT_EQ(r.code, 0) << r.err;
  const json derived = json::parse(r.out);
  std::ifstream f(source_path("data/stress/scenarios.json"));
  const json shipped = json::parse(f);
  ASSERT_EQ(derived["scenarios"].size(), shipped["scenarios"].size());
  for (std::size_t i = 0; i < shipped["scenarios"].size(); ++i) {
    const json& s = shipped["scenarios"][i];
    for (auto it = s["shocks"].begin(); it != s["shocks"].end(); ++it) {
      EXPECT_NEAR(derived["scenarios"][i]["shocks"][it.key()].get<double>(), it.value().get<double>(), 1e-14)
          << s["name"] << " " << it.key();
    }
  }
  EXPECT_NE(derived["derived_by"].get<std::string>().find("keel risk scenario-shocks --factors"), std::string::npos);
}

TEST(FactorsCli, DiversificationAnalytics) {
  auto r = keel("risk diversification" + book_args("balanced.csv") + " --sectors " +
                source_path("examples/market/sectors.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["position_correlation"]["symbols"].size(), 15u);
  const double enb = j["effective_number_of_bets"];
  EXPECT_GE(enb, 1.0);
  EXPECT_LE(enb, 15.0);
  EXPECT_GT(j["diversification_ratio"].get<double>(), 1.0);
  const double hhi = j["concentration"]["hhi"];
  EXPECT_NEAR(j["effective_number_of_positions"].get<double>(), 1.0 / hhi, 1e-12);
  EXPECT_NEAR(j["concentration"]["top10_weight"].get<double>() <= 1.0, 1.0, 0.0);
  EXPECT_NE(j["concentration"]["largest_sector"]["sector"], "Unknown");
  EXPECT_EQ(j["factor_correlation"]["factors"].size(), 5u);
  EXPECT_DOUBLE_EQ(j["factor_correlation"]["matrix"][0][0].get<double>(), 1.0);
}

TEST(FactorsCli, StoreBackedPortfolioAndTables) {
  TempDb db("factors");
  const std::string base = "--db " + db.path() + " ";
  for (const std::string& args : {"import prices " + kPrices, "import factors " + kFf5 + " --factor-units percent --set ff5",
                                 "import positions " + source_path("examples/portfolios/balanced.csv") +
                                     " --portfolio balanced"}) {
    auto r = run_keel(base + "--format json " + args);
    ASSERT_EQ(r.code, 0) << args << "\n" << r.err;
  }
  auto r = run_keel(base + "--format json risk factors --portfolio balanced");
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["factor_source"], "factor set 'ff5' in the store");
  EXPECT_EQ(j["positions"].size(), 15u);
  r = run_keel(base + "--format table risk stress --portfolio balanced --scenario covid_crash_2020,market_down_10");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("covid_crash_2020"), std::string::npos);
  r = run_keel(base + "--format csv risk factors --portfolio balanced --factor-set nope");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("keel import factors"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace keel::testing
