// End-to-end tests of `keel alm eve|nii|gap|shocks` and `keel alm session ...`.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../support/cli_runner.h"

namespace {

using keel::testing::run_keel;
using nlohmann::json;

std::string example(const char* name) { return std::string(KEEL_SOURCE_DIR) + "/examples/alm/" + name; }

std::string example_args() {
  return "--balance-sheet " + example("balance_sheet.csv") + " --curve " + example("ust_par_2020-12-31.csv") +
         " --curve-type par --rate-units percent --as-of 2020-12-31 --tier1 180000000";
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() / ("keel_alm_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = path_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

const char* kHeader = "id,side,type,currency,notional,start_date,maturity_date,rate_type,rate,payment_frequency,amortization,day_count,calendar\n";

TEST(AlmCli, EveOfTheExampleHasTheInterfaceShape) {
  const auto r = run_keel("--format json alm eve " + example_args());
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["as_of"], "2020-12-31");
  EXPECT_EQ(j["currency"], "USD");
  EXPECT_EQ(j["positions"], 27);
  ASSERT_EQ(j["scenarios"].size(), 6u);
  const char* names[] = {"parallel_up", "parallel_down", "steepener", "flattener", "short_up", "short_down"};
  double worst = 1e300;
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(j["scenarios"][i]["name"], names[i]);
    EXPECT_NEAR(j["scenarios"][i]["delta"].get<double>(),
                j["scenarios"][i]["eve"].get<double>() - j["base"].get<double>(), 1e-3);
    worst = std::min(worst, j["scenarios"][i]["delta_regulatory"].get<double>());
  }
  EXPECT_DOUBLE_EQ(j["worst"]["delta"].get<double>(), worst);
  EXPECT_DOUBLE_EQ(j["sot"]["tier1"].get<double>(), 180000000.0);
  EXPECT_NEAR(j["sot"]["ratio"].get<double>(), -worst / 180000000.0, 1e-12);
  EXPECT_EQ(j["sot"]["outlier"].get<bool>(), -worst / 180000000.0 > 0.15);
}

TEST(AlmCli, EveOfABulletMatchesClosedForm) {
  TempDir dir;
  const auto bs = dir.write("bs.csv", std::string(kHeader) + "B1,asset,bond,USD,1000000,2020-06-15,2023-06-15,fixed,0.04,12M,bullet,30/360,none\n");
  const auto curve = dir.write("zero.csv", "tenor,rate\n1M,0.03\n30Y,0.03\n");
  const auto r = run_keel("--format json alm eve --balance-sheet " + bs + " --curve " + curve + " --as-of 2021-01-04");
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  // 40,000 on 2021-06-15 (162 days), 2022-06-15 (527), 2023-06-15 (892) plus 1,000,000 at the end,
  // discounted at exp(-0.03 d/365).
  const double pv = 40000.0 * (std::exp(-0.03 * 162 / 365.0) + std::exp(-0.03 * 527 / 365.0)) +
                    1040000.0 * std::exp(-0.03 * 892 / 365.0);
  EXPECT_NEAR(j["base"].get<double>(), pv, 1e-6);
}

TEST(AlmCli, NiiMonthlyAddsUpAndGapBalances) {
  auto r = run_keel("--format json alm nii " + example_args());
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j["monthly"].size(), 12u);
  double sum = 0.0;
  for (const auto& m : j["monthly"]) sum += m["base"].get<double>();
  EXPECT_NEAR(sum, j["base"].get<double>(), 1e-4);
  EXPECT_EQ(j["scenarios"][0]["name"], "parallel_up");
  EXPECT_EQ(j["scenarios"][1]["name"], "parallel_down");

  r = run_keel("--format json alm gap " + example_args());
  ASSERT_EQ(r.code, 0) << r.err;
  j = json::parse(r.out);
  ASSERT_EQ(j["buckets"].size(), 19u);
  EXPECT_EQ(j["buckets"][0]["name"], "O/N");
  EXPECT_EQ(j["buckets"][18]["name"], ">20Y");
  // Every position's principal is in exactly one bucket: assets 1,560m, liabilities 1,610m.
  double assets = 0.0, liabilities = 0.0;
  for (const auto& b : j["buckets"]) {
    assets += b["assets"].get<double>();
    liabilities += b["liabilities"].get<double>();
  }
  EXPECT_NEAR(assets, 1560e6, 1e-2);
  EXPECT_NEAR(liabilities, 1610e6, 1e-2);
  EXPECT_NEAR(j["buckets"][18]["cumulative_gap"].get<double>(), -50e6, 1e-2);
}

TEST(AlmCli, ShocksAtBucketMidpoints) {
  const auto r = run_keel("--format json alm shocks --currency GBP");
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_EQ(j["buckets"].size(), 19u);
  const auto& b = j["buckets"][2];  // 1M-3M
  EXPECT_EQ(b["name"], "1M-3M");
  EXPECT_DOUBLE_EQ(b["midpoint_years"].get<double>(), 0.1667);
  EXPECT_DOUBLE_EQ(b["shift_bp"]["parallel_up"].get<double>(), 250.0);  // GBP 250/300/150
  EXPECT_NEAR(b["shift_bp"]["short_up"].get<double>(), 300.0 * std::exp(-0.1667 / 4.0), 1e-9);
  const auto unknown = run_keel("--format json alm shocks --currency XYZ");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("XYZ"), std::string::npos);
}

TEST(AlmCli, BadRowsAreNamedAndNothingRuns) {
  TempDir dir;
  const auto bs = dir.write("bad.csv", std::string(kHeader) +
                                           "OK,asset,loan,USD,100,2020-01-01,2025-01-01,fixed,0.03,12M,bullet,act/365,none\n"
                                           "EARLY,asset,loan,USD,100,2022-01-01,2021-01-01,fixed,0.03,12M,bullet,act/365,none\n"
                                           "NEG,asset,loan,USD,-100,2020-01-01,2025-01-01,fixed,0.03,12M,bullet,act/365,none\n");
  const auto r = run_keel("--format json alm eve --balance-sheet " + bs + " --curve " + example("ust_par_2020-12-31.csv") +
                          " --curve-type par --rate-units percent --as-of 2020-12-31");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad.csv:3:7: maturity_date: maturity_date 2021-01-01 is not after start_date 2022-01-01"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.csv:4:5: notional: notional -100 must be positive"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(AlmCli, UnknownCurrencyNeedsAShockTable) {
  TempDir dir;
  const auto bs = dir.write("xyz.csv", std::string(kHeader) + "X1,asset,loan,XYZ,100,2020-01-01,2025-01-01,fixed,0.03,12M,bullet,act/365,none\n");
  const auto curve = dir.write("zero.csv", "tenor,rate\n1M,0.01\n10Y,0.02\n");
  auto r = run_keel("--format json alm eve --balance-sheet " + bs + " --curve XYZ=" + curve + " --currency XYZ --as-of 2021-01-04");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("currency XYZ: no shock sizes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("xyz.csv:2 (id X1)"), std::string::npos) << r.err;
  const auto table = dir.write("shocks.csv", "currency,parallel_bp,short_bp,long_bp\nXYZ,300,400,200\n");
  r = run_keel("--format json alm eve --balance-sheet " + bs + " --curve XYZ=" + curve +
               " --currency XYZ --as-of 2021-01-04 --shock-table " + table);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["currency"], "XYZ");
}

TEST(AlmCli, CurveTooShortForTheBookNamesTheRow) {
  TempDir dir;
  const auto bs = dir.write("long.csv", std::string(kHeader) + "L30,asset,mortgage,USD,100,2020-01-01,2050-01-01,fixed,0.03,1M,annuity,30/360,none\n");
  const auto curve = dir.write("short.csv", "tenor,rate\n1M,0.01\n5Y,0.02\n");
  const auto r = run_keel("--format json alm eve --balance-sheet " + bs + " --curve " + curve + " --as-of 2021-01-04");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("long.csv:2 (id L30): cash flows run to 29.01 years but the USD curve ends at 5.00 years"), std::string::npos) << r.err;
}

TEST(AlmCli, SessionsKeepInputsAndResults) {
  TempDir dir;
  const std::string db = "--db " + dir.path("keel.db") + " --format json ";
  auto r = run_keel(db + "alm session create q4 " + example_args() + " --ttl 2d");
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["session"]["name"], "q4");
  EXPECT_EQ(j["session"]["positions"], 27);
  EXPECT_EQ(j["session"]["ttl_seconds"], 2 * 86400);
  const double eve_base = j["eve"]["base"].get<double>();

  r = run_keel(db + "alm session create q4 " + example_args());
  EXPECT_EQ(r.code, 1) << r.err;  // conflict: the name exists

  r = run_keel(db + "alm session list");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["items"].size(), 1u);

  r = run_keel(db + "alm eve --session q4");  // no files: everything from the session
  ASSERT_EQ(r.code, 0) << r.err;
  j = json::parse(r.out);
  EXPECT_DOUBLE_EQ(j["base"].get<double>(), eve_base);
  EXPECT_DOUBLE_EQ(j["sot"]["tier1"].get<double>(), 180000000.0);

  r = run_keel(db + "alm session show q4");
  ASSERT_EQ(r.code, 0) << r.err;
  j = json::parse(r.out);
  EXPECT_DOUBLE_EQ(j["results"]["eve"]["base"].get<double>(), eve_base);
  EXPECT_TRUE(j["results"].contains("nii"));
  EXPECT_TRUE(j["results"].contains("gap"));

  r = run_keel(db + "alm session delete q4");
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_keel(db + "alm session show q4");
  EXPECT_EQ(r.code, 3);
}

}  // namespace
