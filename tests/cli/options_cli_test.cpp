// End-to-end tests of `keel options price` and `keel options greeks` on the example files.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/cli_runner.h"

namespace keel::testing {
namespace {

nlohmann::json json_of(const CliResult& r) {
  EXPECT_EQ(r.code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

// Haug (1998) p. 2: call S=60, K=65, T=0.25, r=8%, q=0, vol=30% is worth 2.1334.
TEST(OptionsCli, PriceMatchesHaugAndPrintsTheInterfaceFields) {
  const auto j = json_of(run_keel(
      "options price --type call --spot 60 --strike 65 --years 0.25 --vol 0.3 --rate 0.08 --format json"));
  EXPECT_NEAR(j["price"].get<double>(), 2.1334, 1e-4);
  for (const char* key : {"price", "delta", "gamma", "vega", "theta", "rho", "implied_vol"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_TRUE(j["implied_vol"].is_null());
  EXPECT_NEAR(j["theta_per_day"].get<double>(), j["theta"].get<double>() / 365.0, 1e-15);
  EXPECT_EQ(j["model"], "bsm");
}

// Haug (1998) p. 2: put S=100, K=95, T=0.5, r=10%, q=5% at vol 20% is worth 2.4648.
TEST(OptionsCli, ImpliedVolRecoversHaugsVol) {
  const auto j = json_of(run_keel(
      "options price --type put --spot 100 --strike 95 --years 0.5 --rate 0.1 --div 0.05 "
      "--implied-vol --price 2.4648 --format json"));
  EXPECT_NEAR(j["implied_vol"].get<double>(), 0.20, 1e-4);
  EXPECT_NEAR(j["price"].get<double>(), 2.4648, 1e-10);
}

// With --expiry a year after --as-of (365 days), put-call parity C - P = S - K e^{-rT}.
TEST(OptionsCli, ExpiryDateAndParity) {
  const std::string common =
      " --spot 100 --strike 105 --expiry 2018-12-06 --as-of 2017-12-06 --vol 0.25 --rate 0.03 --format json";
  const auto c = json_of(run_keel("options price --type call" + common));
  const auto p = json_of(run_keel("options price --type put" + common));
  EXPECT_DOUBLE_EQ(c["years"].get<double>(), 1.0);
  EXPECT_NEAR(c["price"].get<double>() - p["price"].get<double>(), 100 - 105 * std::exp(-0.03), 1e-12);
  const auto a = json_of(run_keel("options price --type put --exercise american" + common));
  EXPECT_EQ(a["model"], "alo-fixed-point");
  EXPECT_GE(a["price"].get<double>(), p["price"].get<double>());
  const auto b = json_of(run_keel("options price --type put --exercise american --american-engine baw" + common));
  EXPECT_EQ(b["model"], "baw-approximation");
  EXPECT_GE(b["price"].get<double>(), p["price"].get<double>());
}

TEST(OptionsCli, BadInputGivesClearErrorsAndExitCodes) {
  auto r = run_keel("options price --type call --spot 100 --strike 90 --years 1 --rate 0.05 "
                    "--implied-vol --price 14 --format json");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no-arbitrage lower bound 14.3893"), std::string::npos) << r.err;
  r = run_keel("options price --type call --spot -100 --strike 90 --years 1 --vol 0.2");
  EXPECT_EQ(r.code, 2);  // outside the flag's declared range
  EXPECT_NE(r.err.find("--spot"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("at least 0"), std::string::npos) << r.err;
  r = run_keel("options price --type call --spot 100 --strike 90 --expiry 2017-01-20 --as-of 2017-12-06 --vol 0.2");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("expired on 2017-01-20"), std::string::npos) << r.err;
  r = run_keel("options price --type call --spot 100 --strike 90 --years 1");
  EXPECT_EQ(r.code, 2) << r.err;  // no vol
  r = run_keel("options price --type straddle --spot 100 --strike 90 --years 1 --vol 0.2");
  EXPECT_EQ(r.code, 2);
}

TEST(OptionsCli, GreeksOfTheDemoBookWithImpliedAndHistoricalVols) {
  TempDb db("options_greeks");
  const auto j = json_of(run_keel("--db " + db.path() + " options greeks --positions " +
                                  source_path("examples/portfolios/hnw.csv") + " --prices " +
                                  source_path("examples/market/prices.csv") + " --rate 0.013 --format json"));
  EXPECT_EQ(j["as_of"], "2017-12-06");
  ASSERT_EQ(j["positions"].size(), 13u);
  EXPECT_TRUE(j["errors"].empty());
  for (const auto& p : j["positions"]) {
    if (p["type"] != "option") {
      EXPECT_EQ(p["delta"].get<double>(), 1.0);
      continue;
    }
    EXPECT_EQ(p["vol_source"], "implied") << p["symbol"];
    EXPECT_EQ(p["multiplier"].get<double>(), 100.0);
    if (p["symbol"] == "NVDA180921C00200000") {
      EXPECT_EQ(p["model"], "alo-fixed-point");
    }
    if (p["symbol"] == "MSFT180316C00090000") {
      EXPECT_LT(p["dollar_delta"].get<double>(), 0.0);  // short call
    }
  }

  // Without implied_vol the option uses the 63-day historical vol of AAPL's adjusted closes:
  // 0.182507 (computed independently with pandas: std(ddof=1) of the last 63 log returns x sqrt 252).
  const auto file = std::filesystem::temp_directory_path() / "keel_options_cli_hist.csv";
  std::ofstream(file) << "symbol,quantity\nAAPL180119C00170000,10\n";
  const auto h = json_of(run_keel("--db " + db.path() + " options greeks --positions " + file.string() +
                                  " --prices " + source_path("examples/market/prices.csv") + " --format json"));
  std::filesystem::remove(file);
  ASSERT_EQ(h["positions"].size(), 1u);
  EXPECT_EQ(h["positions"][0]["vol_source"], "historical");
  EXPECT_NEAR(h["positions"][0]["vol"].get<double>(), 0.1825069070, 1e-9);
}

// Rates from the Treasury par curve of 2017-12-06 (1M 1.18%, 3M 1.30%, 6M 1.48%, 1Y 1.68%, ...),
// bootstrapped to continuous zero rates (keel/portfolio/curve.h) and read at each expiry, linear in
// the zero rate between pillars. By hand:
//   bills (no coupon before maturity): z = 2 ln(1 + y/2): z(1M) = 0.0117653263163, z(3M) = 0.0129579321954;
//   6M on the coupon grid: DF = 1 / (1 + 0.0074), z = -ln(DF) / 0.5 = 0.0147455086588;
//   1Y: DF = (1 - 0.0084 x DF(6M)) / 1.0084 = 0.983401133870, z = -ln(DF) = 0.0167381709946;
//   44 days (t = 44/365): z(1M) + (t - 1/12) / (3/12 - 1/12) x (z(3M) - z(1M)) = 0.0120316205058;
//   191 days (t = 191/365): z(6M) + (t - 0.5) / 0.5 x (z(1Y) - z(6M))            = 0.0148383175895.
TEST(OptionsCli, RatesFromTheTreasuryCurve) {
  TempDb db("options_curve");
  const auto j = json_of(run_keel("--db " + db.path() + " options greeks --positions " +
                                  source_path("examples/portfolios/hnw.csv") + " --prices " +
                                  source_path("examples/market/prices.csv") + " --curve " +
                                  source_path("examples/market/ust_par_yields_2012_2017.csv") + " --format json"));
  EXPECT_NE(j["rate_source"].get<std::string>().find("par, 2017-12-06"), std::string::npos);
  int seen = 0;
  for (const auto& p : j["positions"]) {
    if (p["symbol"] == "AAPL180119C00170000") {  // 44 days
      EXPECT_NEAR(p["rate"].get<double>(), 0.0120316205058, 1e-12);
      ++seen;
    }
    if (p["symbol"] == "AAPL180615P00150000") {  // 191 days
      EXPECT_NEAR(p["rate"].get<double>(), 0.0148383175895, 1e-12);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2);
}

}  // namespace
}  // namespace keel::testing
