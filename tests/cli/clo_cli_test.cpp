// End-to-end tests of `keel clo run|tests|grid|montecarlo` on the example deals.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "../support/cli_runner.h"

namespace {

using Output = keel::testing::CliResult;

Output run_clo(const std::string& args) { return keel::testing::run_keel(args); }

std::string example(const char* name) { return std::string(KEEL_SOURCE_DIR) + "/examples/clo/" + name; }

TEST(CloCli, RunSmallDealMatchesHandNumbers) {
  const Output o = run_clo("--format json clo run --deal " + example("small_deal.json") + " --cdr 0 --cpr 0");
  ASSERT_EQ(o.code, 0) << o.err;
  const auto j = nlohmann::json::parse(o.out);
  ASSERT_EQ(j["periods"].size(), 4u);
  const auto& p1 = j["periods"][0];
  // Period 1 (90 days): (40m x 9% + 30m x 9.5% + 30m x 10%) x 90/360 = 2,362,500 of interest;
  // after admin 25,000 (cap), senior fee 37,500, A 1,137,500, B 400,000, sub fee 87,500 the
  // equity receives 675,000.
  EXPECT_EQ(p1["date"], "2025-04-15");
  EXPECT_NEAR(p1["interest_collections"].get<double>(), 2362500.0, 0.005);
  EXPECT_NEAR(p1["principal_collections"].get<double>(), 0.0, 0.005);
  EXPECT_NEAR(p1["defaults"].get<double>(), 0.0, 0.005);
  EXPECT_EQ(p1["tranches"][0]["name"], "A");
  EXPECT_NEAR(p1["tranches"][0]["interest_paid"].get<double>(), 1137500.0, 0.005);
  EXPECT_NEAR(p1["tranches"][1]["interest_paid"].get<double>(), 400000.0, 0.005);
  EXPECT_NEAR(p1["tranches"][2]["interest_paid"].get<double>(), 675000.0, 0.005);
  EXPECT_NEAR(p1["tranches"][0]["principal_paid"].get<double>(), 0.0, 0.005);
  EXPECT_NEAR(p1["tranches"][0]["balance"].get<double>(), 70e6, 0.005);
  ASSERT_FALSE(p1["tests"].empty());
  EXPECT_EQ(p1["tests"][0]["name"], "A OC");
  EXPECT_NEAR(p1["tests"][0]["value"].get<double>(), 100.0 / 70.0, 1e-12);
  EXPECT_EQ(p1["tests"][0]["threshold"], 1.175);
  EXPECT_EQ(p1["tests"][0]["pass"], true);
  // Legal maturity: the pool is sold at 0.99 x 40m + 0.95 x 30m + 0.97 x 30m = 97.2m; A and B
  // are repaid in full, the equity gets the remaining 7.2m.
  const auto& p4 = j["periods"][3];
  EXPECT_NEAR(p4["principal_collections"].get<double>(), 97.2e6, 0.005);
  EXPECT_NEAR(p4["tranches"][0]["principal_paid"].get<double>(), 70e6, 0.005);
  EXPECT_NEAR(p4["tranches"][1]["principal_paid"].get<double>(), 20e6, 0.005);
  EXPECT_NEAR(p4["tranches"][2]["principal_paid"].get<double>(), 7.2e6, 0.005);
  for (const auto& p : j["periods"]) EXPECT_NEAR(p["unallocated"].get<double>(), 0.0, 0.005);
  ASSERT_EQ(j["tranches"].size(), 3u);
  EXPECT_EQ(j["tranches"][0]["loss"], 0.0);
  EXPECT_TRUE(j["tranches"][0]["irr"].is_number());
  EXPECT_NEAR(j["tranches"][0]["wal"].get<double>(), 365.0 / 365.0, 1e-9);  // all principal on 2026-01-15
}

TEST(CloCli, TestsOnExampleDealMatchIndependentWarf) {
  const Output o = run_clo("--format json clo tests --deal " + example("example_bsl_clo.json"));
  ASSERT_EQ(o.code, 0) << o.err;
  const auto j = nlohmann::json::parse(o.out);
  // WARF recomputed here from the file with Moody's factor table.
  const std::map<std::string, double> rf{{"Ba2", 1350}, {"Ba3", 1766}, {"B1", 2220}, {"B2", 2720},
                                         {"B3", 3490},  {"Caa1", 4770}, {"Caa2", 6500}};
  std::ifstream in(example("example_bsl_clo.json"));
  const auto deal = nlohmann::json::parse(in);
  double par = 0, w = 0, s = 0;
  for (const auto& l : deal["collateral"]) {
    par += l["par"].get<double>();
    w += l["par"].get<double>() * rf.at(l["rating"].get<std::string>());
    s += l["par"].get<double>() * l["spread"].get<double>();
  }
  EXPECT_NEAR(par, 400e6, 0.5);
  EXPECT_NEAR(j["metrics"]["warf"].get<double>(), w / par, 1e-6);
  EXPECT_NEAR(j["metrics"]["was"].get<double>(), s / par, 1e-12);
  EXPECT_EQ(j["quality"][0]["name"], "WARF");
  EXPECT_EQ(j["quality"].size(), 7u);
  EXPECT_FALSE(j["coverage"]["tests"].empty());
}

TEST(CloCli, GridAndMonteCarlo) {
  Output o = run_clo("--format json clo grid --deal " + example("example_bsl_clo.json") +
                  " --cdr 0,0.05 --cpr 0.2 --recovery 0.5,0.7");
  ASSERT_EQ(o.code, 0) << o.err;
  auto j = nlohmann::json::parse(o.out);
  ASSERT_EQ(j["points"], 4);
  EXPECT_EQ(j["scenarios"][3]["cdr"], 0.05);
  EXPECT_EQ(j["scenarios"][3]["tranches"].size(), 6u);

  const std::string mc = "--format json clo montecarlo --deal " + example("example_bsl_clo.json") +
                         " --scenarios 200 --seed 7 --correlation 0.3 --cdr 0.03";
  o = run_clo(mc);
  ASSERT_EQ(o.code, 0) << o.err;
  j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["scenarios"], 200);
  ASSERT_EQ(j["tranches"].size(), 5u);
  EXPECT_EQ(j["tranches"][0]["name"], "A");
  EXPECT_TRUE(j["equity_irr"]["p50"].is_number());
  const Output again = run_clo(mc);
  EXPECT_EQ(again.out, o.out);  // seeded: identical
}

// Principal losses are shares of the original balance, at most 100%, however much interest a
// deferrable class capitalises; the unpaid interest is its own figure.
TEST(CloCli, LossesAreAtMostTheOriginalPrincipal) {
  Output o = run_clo("--format json clo grid --deal " + example("example_bsl_clo.json") +
                  " --cdr 0.10,0.25 --cpr 0.05 --recovery 0.3");
  ASSERT_EQ(o.code, 0) << o.err;
  auto j = nlohmann::json::parse(o.out);
  bool unpaid = false;
  for (const auto& p : j["scenarios"]) {
    for (const auto& t : p["tranches"]) {
      EXPECT_GE(t["loss"].get<double>(), 0.0);
      EXPECT_LE(t["loss"].get<double>(), 1.0) << t["name"] << " at CDR " << p["cdr"];
      EXPECT_EQ(t["loss"], t["loss_pct"]);
      unpaid = unpaid || t["unpaid_interest_pct"].get<double>() > 0.0;
      if (t["name"] == "Sub") {
        EXPECT_TRUE(t["pv_loss_pct"].is_null());
      }
    }
  }
  EXPECT_TRUE(unpaid);
  o = run_clo("--format json clo montecarlo --deal " + example("example_bsl_clo.json") +
           " --scenarios 200 --seed 3 --correlation 0.3 --cdr 0.12 --recovery 0.3");
  ASSERT_EQ(o.code, 0) << o.err;
  j = nlohmann::json::parse(o.out);
  for (const auto& t : j["tranches"]) {
    for (const char* key :
         {"expected_loss_pct", "var_pct", "es_pct", "p50_pct", "p90_pct", "expected_pv_loss_pct"}) {
      EXPECT_GE(t[key].get<double>(), 0.0) << t["name"] << " " << key;
      EXPECT_LE(t[key].get<double>(), 1.0) << t["name"] << " " << key;
    }
    EXPECT_GE(t["expected_unpaid_interest_pct"].get<double>(), 0.0);
  }
  EXPECT_GT(j["tranches"].back()["expected_unpaid_interest_pct"].get<double>(), 0.0);
}

// The three-loan deal with L2 (30m, price 95) in default at closing: it is not performing from
// the start. Period 1 (90 days): interest (40m x 9% + 30m x 10%) x 90/360 = 1,650,000; senior fee
// 70m x 15 bp x 90/360 = 26,250; no default in the period; OC numerator 70m + 30m x min(40%, 0.95)
// = 82m, A OC 82 / 70; L2 recovers 40% x 30m = 12m two quarters after closing (period 3).
TEST(CloCli, LoanDefaultedAtClosingIsOutsideThePerformingPar) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("keel_clo_closing_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(example("small_deal.json"), dir / "small_deal.json",
                             std::filesystem::copy_options::overwrite_existing);
  {
    std::ofstream pool(dir / "small_pool.csv");
    pool << "obligor,industry,par,price,spread,floor,coupon_type,maturity,rating,lien,defaulted\n"
            "L1,High Tech Industries,40000000,99,0.040,0,floating,2030-01-15,B2,first,false\n"
            "L2,Healthcare & Pharmaceuticals,30000000,95,0.045,0,floating,2030-01-15,B3,first,true\n"
            "L3,Retail,30000000,97,0.050,0,floating,2030-01-15,B1,first,false\n";
  }
  const Output o = run_clo("--format json clo run --deal " + (dir / "small_deal.json").string());
  std::filesystem::remove_all(dir);
  ASSERT_EQ(o.code, 0) << o.err;
  const auto j = nlohmann::json::parse(o.out);
  EXPECT_NEAR(j["defaulted_at_closing"].get<double>(), 30e6, 0.005);
  EXPECT_NEAR(j["total_defaults"].get<double>(), 0.0, 0.005);
  const auto& p1 = j["periods"][0];
  EXPECT_NEAR(p1["defaults"].get<double>(), 0.0, 0.005);
  EXPECT_NEAR(p1["beginning_par"].get<double>(), 70e6, 0.005);
  EXPECT_NEAR(p1["interest_collections"].get<double>(), 1650000.0, 0.005);
  EXPECT_NEAR(p1["senior_fee_paid"].get<double>(), 26250.0, 0.005);
  EXPECT_NEAR(p1["defaulted_par"].get<double>(), 30e6, 0.005);
  EXPECT_NEAR(p1["defaulted_oc_value"].get<double>(), 12e6, 0.005);
  EXPECT_NEAR(p1["adjusted_collateral_par"].get<double>(), 82e6, 0.005);
  EXPECT_EQ(p1["tests"][0]["name"], "A OC");
  EXPECT_NEAR(p1["tests"][0]["value"].get<double>(), 82.0 / 70.0, 1e-12);
  EXPECT_NEAR(j["periods"][2]["recoveries"].get<double>(), 12e6, 0.005);
  const Output table = run_clo("--format table clo run --deal " + example("small_deal.json"));
  EXPECT_NE(table.out.find("principal loss"), std::string::npos) << table.out;
}

TEST(CloCli, TableOutput) {
  const Output o = run_clo("--format table clo run --deal " + example("small_deal.json"));
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("Tranches"), std::string::npos);
  EXPECT_NE(o.out.find("2025-04-15"), std::string::npos);
}

TEST(CloCli, BadDealNamesEveryField) {
  std::ifstream in(example("example_bsl_clo.json"));
  auto deal = nlohmann::json::parse(in);
  deal["tranches"][2]["balance"] = 20000000;           // no longer sums to target_par
  deal["collateral"][3]["rating"] = "BB-";              // unknown Moody's rating
  deal["collateral"][5]["par"] = -1000000;              // negative par
  deal["dates"]["payment_dates"] = {"2025-10-20", "2025-09-20"};  // out of order
  const auto path = std::filesystem::temp_directory_path() / ("keel_clo_bad_" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << deal.dump();
  Output o = run_clo("--format json clo run --deal " + path.string());
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("collateral[3].rating"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("BB-"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("collateral[5].par"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("dates.payment_dates[1]"), std::string::npos) << o.err;
  // The capital-structure check runs once the file parses: fix the rating and look again.
  deal["collateral"][3]["rating"] = "B2";
  std::ofstream(path) << deal.dump();
  o = run_clo("--format json clo run --deal " + path.string());
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("tranches"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("target_par"), std::string::npos) << o.err;
  EXPECT_TRUE(o.out.empty());
  std::filesystem::remove(path);
  // A missing deal file is "not found": exit code 3.
  o = run_clo("clo run --deal /nonexistent/deal.json");
  EXPECT_EQ(o.code, 3) << o.err;
  EXPECT_NE(o.err.find("/nonexistent/deal.json"), std::string::npos) << o.err;
  // A missing required flag is a usage error: exit code 2.
  o = run_clo("clo run");
  EXPECT_EQ(o.code, 2);
}


TEST(CloCli, CollateralMatchesIndependentNumpyPeer) {
  // bench/peers/clo_collateral_peer.py re-implements the collateral projection of docs/clo.md
  // in numpy (defaults, prepayments, recoveries after the lag, reinvestment, liquidation).
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "/usr/bin/python3 not installed";
  const std::string deal = example("example_bsl_clo.json");
  const auto run = keel::testing::run_command("/usr/bin/python3 " + std::string(KEEL_SOURCE_DIR) +
                                              "/bench/peers/clo_collateral_peer.py " + deal + " 0.03 0.20 0.6 9");
  if (run.code != 0 || run.out.empty()) GTEST_SKIP() << "numpy peer unavailable: " << run.err;
  const auto peer = nlohmann::json::parse(run.out);
  const Output o = run_clo("--format json clo run --deal " + deal + " --cdr 0.03 --cpr 0.20 --recovery 0.6 --recovery-lag 9");
  ASSERT_EQ(o.code, 0) << o.err;
  const auto j = nlohmann::json::parse(o.out);
  ASSERT_EQ(j["periods"].size(), peer["periods"].size());
  for (std::size_t t = 0; t < j["periods"].size(); ++t) {
    const auto& a = j["periods"][t];
    const auto& b = peer["periods"][t];
    EXPECT_EQ(a["date"], b["date"]);
    for (const char* key : {"interest_collections", "principal_collections", "defaults", "reinvested"}) {
      EXPECT_NEAR(a[key].get<double>(), b[key].get<double>(), 0.005) << key << " " << a["date"];
    }
  }
}

}  // namespace
