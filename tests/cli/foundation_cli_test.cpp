// End-to-end tests of the foundation commands on the committed examples.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "../support/cli_runner.h"

namespace keel::testing {
namespace {

class FoundationCli : public ::testing::Test {
 protected:
  // The examples imported once per test run (cached_keel_store); each test works on its own copy.
  static std::string imported() {
    return cached_keel_store(
        "foundation",
        {"import prices " + source_path("examples/market/prices.csv"),
         "import sectors " + source_path("examples/market/sectors.csv"),
         "import factors " + source_path("examples/market/ff5_daily_2012_2017.csv") + " --factor-units percent",
         "import curve " + source_path("examples/market/ust_par_yields_2012_2017.csv") + " --date 2017-12-06",
         "import positions " + source_path("examples/portfolios/hnw.csv") + " --portfolio hnw",
         "import positions " + source_path("examples/portfolios/balanced.csv") + " --portfolio balanced"});
  }
  void SetUp() override { db_ = std::make_unique<StoreCopy>(imported(), "foundation"); }
  CliResult keel(const std::string& args) { return run_keel("--db " + db_->path() + " --format json " + args); }
  std::unique_ptr<StoreCopy> db_;
};

TEST_F(FoundationCli, ImportReportsRowsAndDates) {
  auto r = keel("import prices " + source_path("examples/market/prices.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  // 29 symbols x 1,260 days; a second import of the same file updates every row.
  EXPECT_EQ(j["rows"], 36540);
  EXPECT_EQ(j["symbols"], 29);
  EXPECT_EQ(j["inserted"], 0);
  EXPECT_EQ(j["updated"], 36540);
  EXPECT_EQ(j["first_date"], "2012-12-06");
  EXPECT_EQ(j["last_date"], "2017-12-06");
}

TEST_F(FoundationCli, PortfolioListShowsTheImportedBooks) {
  auto r = keel("portfolio list");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["name"], "balanced");
  EXPECT_EQ(j["items"][0]["positions"], 15);
  EXPECT_EQ(j["items"][1]["name"], "hnw");
  EXPECT_EQ(j["items"][1]["positions"], 13);
}

TEST_F(FoundationCli, PortfolioShowValuesStocksAtTheLastClose) {
  auto r = keel("portfolio show hnw");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["as_of"], "2017-12-06");
  const auto& pos = j["positions"];
  ASSERT_EQ(pos.size(), 13u);
  // examples/market/prices.csv, 2017-12-06 closes: AAPL 169.011993, AMZN 1144.78064.
  EXPECT_EQ(pos[0]["symbol"], "AAPL");
  EXPECT_NEAR(pos[0]["last_price"].get<double>(), 169.011993, 1e-9);
  EXPECT_NEAR(pos[0]["market_value"].get<double>(), 2000 * 169.011993, 1e-6);
  EXPECT_NEAR(pos[2]["market_value"].get<double>(), 400 * 1144.78064, 1e-6);
  EXPECT_EQ(pos[0]["sector"], "Information Technology");  // from the sectors file
  // The padded OCC symbol is stored in its compact form with its terms.
  EXPECT_EQ(pos[11]["symbol"], "MSFT180316C00090000");
  EXPECT_EQ(pos[11]["strike"], 90.0);
  EXPECT_EQ(pos[11]["expiry"], "2018-03-16");
  EXPECT_EQ(pos[11]["multiplier"], 100.0);
  double net = 0, gross = 0;
  for (const auto& p : pos) {
    if (!p["market_value"].is_null()) {
      net += p["market_value"].get<double>();
      gross += std::fabs(p["market_value"].get<double>());
    }
  }
  EXPECT_NEAR(j["net_market_value"].get<double>(), net, 1e-6);
  EXPECT_NEAR(j["gross_market_value"].get<double>(), gross, 1e-6);
}

TEST_F(FoundationCli, BadPositionsFileExitsOneNamesThePlaceAndChangesNothing) {
  const auto bad = std::filesystem::temp_directory_path() / "keel_cli_bad_positions.csv";
  std::ofstream(bad) << "symbol,quantity\nAAPL,10\nMSFT,ten\nAAPL251317C00150000,1\n";
  auto r = keel("import positions " + bad.string() + " --portfolio hnw");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(bad.string() + ":3:2: quantity: expected a number, got \"ten\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(bad.string() + ":4:1: symbol: malformed OCC option symbol"), std::string::npos) << r.err;
  // hnw still has its 13 positions.
  auto show = nlohmann::json::parse(keel("portfolio show hnw").out);
  EXPECT_EQ(show["positions"].size(), 13u);
  std::filesystem::remove(bad);
}

TEST_F(FoundationCli, ExitCodesFollowTheContract) {
  EXPECT_EQ(keel("portfolio show nope").code, 3);                 // not found
  EXPECT_EQ(keel("import prices /no/such/file.csv").code, 3);     // not found
  EXPECT_EQ(keel("portfolio frobnicate").code, 2);                // usage
  EXPECT_EQ(keel("import positions x.csv").code, 2);              // --portfolio missing
  EXPECT_EQ(run_keel("--help").code, 0);
}

TEST_F(FoundationCli, TableAndCsvFormats) {
  auto t = run_keel("--db " + db_->path() + " --format table portfolio show balanced");
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("net market value"), std::string::npos);
  auto c = run_keel("--db " + db_->path() + " --format csv portfolio show balanced");
  ASSERT_EQ(c.code, 0);
  EXPECT_EQ(c.out.substr(0, c.out.find('\n')), "symbol,type,quantity,last_price,market_value,weight,sector");
  EXPECT_NE(c.out.find("\nAAPL,stock,120,169.01,20281.44,"), std::string::npos) << c.out;
}

}  // namespace
}  // namespace keel::testing
