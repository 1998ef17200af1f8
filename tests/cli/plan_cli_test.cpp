// End-to-end tests of `keel plan retire|sensitivity` on the examples in examples/plan.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../support/cli_runner.h"

namespace {

using keel::testing::run_keel;
using keel::testing::source_path;

std::string example(const std::string& name) { return source_path("examples/plan/" + name); }

std::string temp_file(const std::string& name, const std::string& text) {
  const auto p = std::filesystem::temp_directory_path() /
                 ("keel_plan_cli_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(p) << text;
  return p.string();
}

TEST(PlanCli, ZeroVolatilityRetireMatchesTheAnnuityDue) {
  const auto r = run_keel("--format json plan retire --balance 1000000 --years 30 --withdrawal 40000 "
                          "--returns normal:0.05,0 --inflation 0 --trials 100 --seed 3");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  // B30 = 1e6 x 1.05^30 - 40,000 x 1.05 x (1.05^30 - 1) / 0.05 = 1,531,510.78 (hand formula).
  const double expected = 1e6 * std::pow(1.05, 30) - 40'000 * 1.05 * (std::pow(1.05, 30) - 1) / 0.05;
  for (const char* p : {"p5", "p50", "p95"}) EXPECT_NEAR(j["terminal"][p].get<double>(), expected, 0.005);
  EXPECT_DOUBLE_EQ(j["success_rate"].get<double>(), 1.0);
  ASSERT_EQ(j["paths"]["p50"].size(), 31u);
  ASSERT_EQ(j["paths"]["p5"].size(), 31u);
  ASSERT_EQ(j["paths"]["p95"].size(), 31u);
  EXPECT_NEAR(j["paths"]["p50"][1].get<double>(), 1'008'000.0, 1e-6);
  EXPECT_TRUE(j["median_shortfall_year"].is_null());
  EXPECT_EQ(j["spending"]["p50"].size(), 30u);
}

TEST(PlanCli, SameSeedSameJson) {
  const std::string args = "--format json plan retire --balance 800000 --years 35 --withdrawal-rate 0.045 "
                           "--strategy guyton-klinger --returns t:0.06,0.15,5 --trials 2000 --seed 42";
  const auto a = run_keel(args), b = run_keel(args);
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  const auto j = nlohmann::json::parse(a.out);
  EXPECT_GT(j["success_rate"].get<double>(), 0.0);
  EXPECT_LT(j["success_rate"].get<double>(), 1.0);
}

TEST(PlanCli, EventsFromCsvAndJsonGiveTheSameResult) {
  const std::string base = "--format json plan retire --balance 1000000 --years 30 --withdrawal 45000 "
                           "--trials 1000 --seed 5 --events ";
  const auto c = run_keel(base + example("events.csv"));
  const auto j = run_keel(base + example("events.json"));
  const auto none = run_keel("--format json plan retire --balance 1000000 --years 30 --withdrawal 45000 "
                             "--trials 1000 --seed 5");
  ASSERT_EQ(c.code, 0) << c.err;
  ASSERT_EQ(j.code, 0) << j.err;
  ASSERT_EQ(none.code, 0) << none.err;
  const auto jc = nlohmann::json::parse(c.out), jj = nlohmann::json::parse(j.out), jn = nlohmann::json::parse(none.out);
  EXPECT_EQ(jc["success_rate"], jj["success_rate"]);
  EXPECT_EQ(jc["terminal"], jj["terminal"]);
  EXPECT_EQ(jc["inputs"]["events"], 4);
  // A pension and an inheritance outweigh two expenses: success rises.
  EXPECT_GT(jc["success_rate"].get<double>(), jn["success_rate"].get<double>());
}

TEST(PlanCli, BootstrapOfHistoricalMarketReturns) {
  const auto r = run_keel("--format json plan retire --balance 1000000 --years 30 --withdrawal-rate 0.04 "
                          "--returns bootstrap:" + example("us_market_annual_1964_2023.csv") +
                          " --trials 2000 --seed 9 --target-success 0.9");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["inputs"]["bootstrap_periods"], 60);
  EXPECT_EQ(j["inputs"]["block_length"], 5);
  EXPECT_GT(j["success_rate"].get<double>(), 0.5);
  ASSERT_TRUE(j["safe_withdrawal_rate"].is_number());
  EXPECT_GT(j["safe_withdrawal_rate"].get<double>(), 0.02);
  EXPECT_LT(j["safe_withdrawal_rate"].get<double>(), 0.08);
}

TEST(PlanCli, SensitivityToTheWithdrawalRateIsMonotone) {
  const auto r = run_keel("--format json plan sensitivity --balance 1000000 --years 30 --trials 2000 --seed 2 "
                          "--vary withdrawal-rate --values 0.03,0.04,0.05,0.06");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["rows"].size(), 4u);
  for (std::size_t i = 1; i < 4; ++i)
    EXPECT_LE(j["rows"][i]["success_rate"].get<double>(), j["rows"][i - 1]["success_rate"].get<double>());
  const auto t = run_keel("--format table plan sensitivity --balance 1000000 --years 30 --trials 500 "
                          "--vary allocation --values 0.2,0.8 --withdrawal-rate 0.04 "
                          "--returns mix:0.07,0.18,0.03,0.06,0.1");
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("Sensitivity of the plan to allocation"), std::string::npos);
}

TEST(PlanCli, CompareRunsEachStrategyLikeRetire) {
  const std::string plan =
      " --balance 1000000 --years 30 --trials 2000 --seed 2 --withdrawal-rate 0.04 "
      "--target-success 0.9 --events " +
      example("events.json");
  const auto r =
      run_keel("--format json plan compare" + plan + " --strategies constant-dollar,guyton-klinger,vpw");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["rows"].size(), 3u);
  EXPECT_TRUE(j["rows"][2]["safe_withdrawal_rate"].is_null());  // VPW: no first rate to solve for
  // Each row is `keel plan retire --strategy S` with the same inputs.
  const auto gk = run_keel("--format json plan retire --strategy guyton-klinger" + plan);
  ASSERT_EQ(gk.code, 0) << gk.err;
  const auto g = nlohmann::json::parse(gk.out);
  EXPECT_EQ(j["rows"][1]["strategy"], "guyton-klinger");
  for (const char* k : {"success_rate", "safe_withdrawal_rate", "terminal", "paths", "spending"})
    EXPECT_EQ(j["rows"][1][k], g[k]) << k;
  const auto t = run_keel("--format table plan compare" + plan);
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("floor-ceiling"), std::string::npos);
}

TEST(PlanCli, CsvAndTableFormats) {
  const std::string args = " plan retire --balance 500000 --years 10 --withdrawal 20000 --trials 200";
  const auto c = run_keel("--format csv" + args);
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_NE(c.out.find("measure,value"), std::string::npos);
  const auto t = run_keel("--format table" + args);
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("success rate"), std::string::npos);
}

TEST(PlanCli, BadInputsAreClearErrors) {
  struct Case {
    std::string args;
    std::string message;
  };
  const Case cases[] = {
      {"--balance 1000 --years 30 --withdrawal 10 --returns lognormal:0.1,0.2", "unknown model \"lognormal\""},
      {"--balance 1000 --years 30 --withdrawal 10 --returns normal:0.1", "expected 2 numbers, got 1"},
      {"--balance 1000 --years 30 --strategy constant-percentage", "withdrawal_rate: constant-percentage needs a withdrawal rate"},
  };
  for (const auto& c : cases) {
    const auto r = run_keel("plan retire " + c.args);
    EXPECT_EQ(r.code, 1) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\n" << r.err;
  }
  // Values outside the ranges of the request's description are usage errors naming the flag.
  const Case usage[] = {
      {"--balance -5 --years 30 --withdrawal 1000", "--balance: expected a number at least 0, got -5"},
      {"--balance 1000 --years 0 --withdrawal 10", "--years: expected an integer from 1 to 200, got 0"},
      {"--balance 1000 --years 30 --withdrawal-rate 1.2", "--withdrawal-rate: expected a number at least 0 and less than 1, got 1.2"},
      {"--balance 1000 --years 30 --withdrawal 10 --strategy four-percent", "got 'four-percent'"},
  };
  for (const auto& c : usage) {
    const auto r = run_keel("plan retire " + c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\n" << r.err;
  }
}

TEST(PlanCli, EventsAfterTheHorizonNameTheirPlace) {
  const auto csv = temp_file("late.csv", "year,type,amount\n2,expense,100\n30,windfall,5\n4,lottery,1\n");
  auto r = run_keel("plan retire --balance 1000 --years 30 --withdrawal 10 --events " + csv);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(csv + ":3:1: year: 30 is after the horizon of 30 years"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(csv + ":4:2: type: unknown event type \"lottery\""), std::string::npos) << r.err;
  const auto json = temp_file("late.json", R"([{"year": 31, "type": "expense", "amount": 1}])");
  r = run_keel("plan retire --balance 1000 --years 30 --withdrawal 10 --events " + json);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("[0].year: 31 is after the horizon"), std::string::npos) << r.err;
  std::filesystem::remove(csv);
  std::filesystem::remove(json);
  r = run_keel("plan retire --balance 1000 --years 30 --withdrawal 10 --events /nonexistent/e.csv");
  EXPECT_EQ(r.code, 3) << r.err;
}

TEST(PlanCli, StartsFromTheNetWorthOfALedger) {
  const std::string files = " --transactions " + source_path("examples/ledger/transactions.csv") +
                            " --prices " + source_path("examples/ledger/prices.csv");
  const auto h = run_keel("--format json ledger holdings" + files);
  ASSERT_EQ(h.code, 0) << h.err;
  const double net_worth = nlohmann::json::parse(h.out)["totals"]["net_worth"].get<double>();
  const auto r = run_keel("--format json plan retire --years 20 --withdrawal-rate 0.04 --trials 200" + files);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(r.out)["inputs"]["balance"].get<double>(), net_worth);
  const auto both = run_keel("plan retire --balance 5 --years 20 --withdrawal-rate 0.04" + files);
  EXPECT_EQ(both.code, 2) << both.err;
  EXPECT_NE(both.err.find("exactly one of --balance, --account or --transactions"), std::string::npos);
}

}  // namespace
