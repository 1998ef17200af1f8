// End-to-end tests of `keel exposures` on the demo books. Expected totals were computed
// independently with pandas from examples/market/prices.csv (raw closes of 2017-12-06) and
// examples/market/sectors.csv, and are written out here.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/cli_runner.h"

namespace keel::testing {
namespace {

nlohmann::json exposures(const std::string& db, const std::string& book, const std::string& extra) {
  const auto r = run_keel("--db " + db + " exposures --positions " + source_path("examples/portfolios/" + book) +
                          " --prices " + source_path("examples/market/prices.csv") + " " + extra + " --format json");
  EXPECT_EQ(r.code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

const nlohmann::json* group(const nlohmann::json& j, const std::string& key) {
  for (const auto& g : j["groups"]) {
    if (g["key"] == key) return &g;
  }
  return nullptr;
}

TEST(ExposuresCli, BalancedBookTotalsBySectorAndTag) {
  TempDb db("exposures_balanced");
  const auto j = exposures(db.path(), "balanced.csv",
                           "--by sector --sectors " + source_path("examples/market/sectors.csv"));
  // 15 stocks, all long: sum of quantity x close = 216,789.0934.
  EXPECT_NEAR(j["gross"].get<double>(), 216789.0934, 1e-3);
  EXPECT_NEAR(j["net"].get<double>(), 216789.0934, 1e-3);
  EXPECT_NEAR(j["long"].get<double>(), 216789.0934, 1e-3);
  EXPECT_EQ(j["short"].get<double>(), 0.0);
  EXPECT_NEAR(j["delta_adjusted"]["net"].get<double>(), 216789.0934, 1e-3);  // stocks: delta 1
  EXPECT_NEAR(j["greeks"]["dollar_delta"].get<double>(), 216789.0934, 1e-3);
  ASSERT_EQ(j["groups"].size(), 9u);
  EXPECT_EQ(j["groups"][0]["key"], "Communication Services");  // largest first
  EXPECT_NEAR(j["groups"][0]["net"].get<double>(), 42427.43674, 1e-3);
  ASSERT_NE(group(j, "Information Technology"), nullptr);
  EXPECT_NEAR((*group(j, "Information Technology"))["net"].get<double>(), 40975.23916, 1e-3);

  const auto t = exposures(db.path(), "balanced.csv", "--by tag");
  ASSERT_NE(group(t, "core"), nullptr);
  EXPECT_NEAR((*group(t, "core"))["net"].get<double>(), 140242.55304, 1e-3);
  EXPECT_NEAR((*group(t, "dividend"))["net"].get<double>(), 90342.03056, 1e-3);
  EXPECT_NEAR((*group(t, "growth"))["net"].get<double>(), 78776.64358, 1e-3);
}

TEST(ExposuresCli, LongShortBookCountsOptionsByDelta) {
  TempDb db("exposures_longshort");
  const auto j = exposures(db.path(), "longshort.csv", "--by type --rate 0.013");
  // Stock legs: long 3,146,443.2216, short -2,475,850.0220 (pandas).
  const auto* stocks = group(j, "stock");
  ASSERT_NE(stocks, nullptr);
  EXPECT_NEAR((*stocks)["long"].get<double>(), 3146443.2216, 1e-3);
  EXPECT_NEAR((*stocks)["short"].get<double>(), -2475850.0220, 1e-3);
  EXPECT_NEAR((*stocks)["gross"].get<double>(), 5622293.2436, 1e-3);
  EXPECT_NEAR((*stocks)["delta_adjusted"]["net"].get<double>(), 670593.1996, 1e-3);
  const auto* options = group(j, "option");
  ASSERT_NE(options, nullptr);
  EXPECT_EQ((*options)["positions"].get<int>(), 3);
  // Book totals are the sum of the groups (type groups partition the book).
  EXPECT_NEAR(j["net"].get<double>(), (*stocks)["net"].get<double>() + (*options)["net"].get<double>(), 1e-6);
  EXPECT_NEAR(j["delta_adjusted"]["net"].get<double>(),
              (*stocks)["delta_adjusted"]["net"].get<double>() + (*options)["delta_adjusted"]["net"].get<double>(),
              1e-6);
  // Each option: delta-adjusted = delta x quantity x multiplier x spot.
  for (const auto& p : j["positions"]) {
    if (p["type"] != "option") continue;
    EXPECT_NEAR(p["delta_adjusted"].get<double>(),
                p["delta"].get<double>() * p["quantity"].get<double>() * 100.0 * p["spot"].get<double>(), 1e-6);
  }
  // By underlying, GE stock and the short GE calls net together.
  const auto u = exposures(db.path(), "longshort.csv", "--by underlying");
  ASSERT_NE(group(u, "GE"), nullptr);
  EXPECT_EQ((*group(u, "GE"))["positions"].get<int>(), 2);
}

TEST(ExposuresCli, BadPositionsAreListedAndBadFlagsRejected) {
  TempDb db("exposures_bad");
  const auto file = std::filesystem::temp_directory_path() / "keel_exposures_cli_bad.csv";
  std::ofstream(file) << "symbol,quantity,implied_vol\nAAPL,10,\nAAPL170120C00150000,5,0.2\nZZZZ,3,\n";
  const auto r = run_keel("--db " + db.path() + " exposures --positions " + file.string() + " --prices " +
                          source_path("examples/market/prices.csv") + " --format json");
  EXPECT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["errors"].size(), 2u);
  EXPECT_NE(j["errors"][0]["message"].get<std::string>().find("expired on 2017-01-20"), std::string::npos);
  EXPECT_NE(j["errors"][1]["message"].get<std::string>().find("no price for ZZZZ"), std::string::npos);
  EXPECT_NEAR(j["net"].get<double>(), 1690.11993, 1e-5);  // 10 x 169.011993
  EXPECT_NE(r.err.find("not valued"), std::string::npos);
  auto bad = run_keel("--db " + db.path() + " exposures --positions " + file.string() + " --by colour");
  EXPECT_EQ(bad.code, 2);
  bad = run_keel("--db " + db.path() + " exposures --positions " + file.string() + " --prices " +
                 source_path("examples/market/prices.csv") + " --rate 5");
  EXPECT_EQ(bad.code, 2);  // refused while parsing, like every ranged flag
  EXPECT_NE(bad.err.find("--rate: expected a number from -1 to 1, got 5"), std::string::npos) << bad.err;
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace keel::testing
