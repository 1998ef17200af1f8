// End-to-end tests of `keel risk var|backtest|correlation`: the real binary on small files.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <string>

#include "../support/cli_runner.h"

namespace {

namespace fs = std::filesystem;

struct CmdResult {
  int rc = -1;
  std::string out;
  std::string err;
};

// The JSON document on stdout; warnings (stderr) are not looked at.
CmdResult run(const std::string& args) {
  const keel::testing::CliResult r = keel::testing::run_keel("--format json " + args);
  return {r.code, r.out, r.err};
}

class RiskCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("keel_risk_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    // XYZ's closes give the ten daily returns -5%, +2%, -3%, +1%, +4%, -1%, 0%, +3%, -2%, +5%.
    std::ofstream prices(dir_ / "prices.csv");
    prices << "date,symbol,close\n" << std::setprecision(15);
    const char* dates[] = {"2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09",
                           "2024-01-10", "2024-01-11", "2024-01-12", "2024-01-16", "2024-01-17"};
    const double closes[] = {100.0, 95.0, 96.9, 93.993, 94.93293, 98.7302472, 97.742944728, 97.742944728,
                             100.6752330698, 98.6617284084, 103.5948148289};
    for (int i = 0; i < 11; ++i) prices << dates[i] << ",XYZ," << closes[i] << "\n";
    std::ofstream pos(dir_ / "positions.csv");
    pos << "symbol,quantity\nXYZ,100\n";
    std::ofstream empty(dir_ / "empty.csv");
    empty << "symbol,quantity\nNOPE,10\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string files() const {
    return "--positions " + (dir_ / "positions.csv").string() + " --prices " + (dir_ / "prices.csv").string();
  }
  fs::path dir_;
};

TEST_F(RiskCli, HistoricalVarOfOneStockIsItsSortedQuantile) {
  const CmdResult r = run("risk var " + files() + " --method historical --confidence 0.9 --window 10");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const double value = 100 * 103.5948148289;
  EXPECT_NEAR(j["value"].get<double>(), value, 1e-6);
  EXPECT_EQ(j["positions"], 1);
  EXPECT_EQ(j["as_of"], "2024-01-17");
  ASSERT_EQ(j["results"].size(), 1u);
  const auto& res = j["results"][0];
  EXPECT_EQ(res["method"], "historical");
  EXPECT_EQ(res["horizon_days"], 1);
  // Sorted returns -5% -3% ...: 10% quantile = -5% + 0.9 x 2% = -3.2% of value; ES = 5% (one loss).
  EXPECT_NEAR(res["var"].get<double>(), 0.032 * value, 1e-6);
  EXPECT_NEAR(res["es"].get<double>(), 0.05 * value, 1e-6);
  ASSERT_EQ(j["contributions"].size(), 1u);
  EXPECT_EQ(j["contributions"][0]["symbol"], "XYZ");
  EXPECT_NEAR(j["contributions"][0]["component_var"].get<double>(), 0.032 * value, 1e-6);
}

TEST_F(RiskCli, AllMethodsAndReproducibleMonteCarlo) {
  const std::string args = "risk var " + files() + " --method all --window 10 --paths 20000 --seed 7";
  const CmdResult a = run(args);
  ASSERT_EQ(a.rc, 0) << a.out;
  const auto j = nlohmann::json::parse(a.out);
  ASSERT_EQ(j["results"].size(), 3u);
  EXPECT_EQ(j["results"][0]["method"], "parametric");
  EXPECT_EQ(j["results"][2]["method"], "montecarlo");
  const CmdResult b = run(args);
  EXPECT_EQ(nlohmann::json::parse(b.out)["results"][2]["var"], j["results"][2]["var"]);
  // One stock: parametric = z_0.99 x sample stdev of the returns x value; stdev of the ten returns
  // (mean 0.4%; sum of squares 0.0094 - 10 x 0.004^2 = 0.00924) = sqrt(0.00924 / 9) = 3.20416%.
  const double value = 100 * 103.5948148289;
  EXPECT_NEAR(j["results"][0]["var"].get<double>(), 2.3263478740408408 * std::sqrt(0.00924 / 9) * value, 1e-4);
}

TEST_F(RiskCli, BacktestAndCorrelationShapes) {
  const CmdResult b = run("risk backtest " + files() + " --window 5 --confidence 0.9");
  ASSERT_EQ(b.rc, 0) << b.out;
  const auto j = nlohmann::json::parse(b.out);
  EXPECT_EQ(j["observations"], 5);  // 10 returns - window 5
  for (const char* k : {"kupiec", "christoffersen", "conditional_coverage"}) {
    EXPECT_TRUE(j[k].contains("lr")) << k;
    EXPECT_TRUE(j[k].contains("p_value")) << k;
  }
  EXPECT_TRUE(j["zone"] == "green" || j["zone"] == "yellow" || j["zone"] == "red");
  const CmdResult c = run("risk correlation " + files() + " --window 10");
  ASSERT_EQ(c.rc, 0) << c.out;
  const auto k = nlohmann::json::parse(c.out);
  EXPECT_EQ(k["symbols"], nlohmann::json::array({"XYZ"}));
  EXPECT_DOUBLE_EQ(k["matrix"][0][0].get<double>(), 1.0);
  EXPECT_NEAR(k["volatility"][0].get<double>(), std::sqrt(0.00924 / 9 * 252), 1e-8);
}

// Delta-gamma VaR and ES at 99.9% of 100 XYZ short 10 calls, checked against an independent
// evaluation written out here: Black-Scholes delta and gamma, the sample variance of the ten
// returns from the closes, the moments of the quadratic P&L (docs/risk.md), the Cornish-Fisher
// quantile at a = 0.001 and its tail mean by composite Simpson quadrature in z (the engine uses a
// closed form), to 1e-9 relative.
TEST_F(RiskCli, DeltaGammaVarAndEsAreTheExactCornishFisherTail) {
  {
    std::ofstream pos(dir_ / "options.csv");
    pos << "symbol,quantity,implied_vol\nXYZ,100,\nXYZ240315C00100000,-10,0.25\n";
  }
  const CmdResult r = run("risk var --positions " + (dir_ / "options.csv").string() + " --prices " +
                          (dir_ / "prices.csv").string() +
                          " --method parametric --delta-gamma --confidence 0.999 --window 10 --rate 0.03");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["parametric_model"], "delta-gamma (Cornish-Fisher)");
  const auto& res = j["results"][0];

  // Black-Scholes on 2024-01-17: S = 103.5948148289, K = 100, T = 58 / 365 (to 2024-03-15),
  // r = 3%, no dividends, vol 25%; 10 contracts x 100 = 1,000 units short.
  const double s = 103.5948148289, k = 100, t = 58.0 / 365.0, vol = 0.25, rate = 0.03;
  const double d1 = (std::log(s / k) + (rate + vol * vol / 2) * t) / (vol * std::sqrt(t));
  const double pdf_d1 = std::exp(-d1 * d1 / 2) / std::sqrt(2 * M_PI);
  const double delta = 0.5 * std::erfc(-d1 / std::sqrt(2.0));
  const double gamma = pdf_d1 / (s * vol * std::sqrt(t));
  const double e = 100 * s - 1000 * delta * s;  // delta exposures, currency per unit return
  const double g = -1000 * gamma * s * s;       // gamma exposure: P&L = e r + g r^2 / 2
  // Sample variance (n - 1) of the ten simple returns of the closes.
  const double closes[] = {100.0,          95.0,          96.9,          93.993,
                           94.93293,       98.7302472,    97.742944728,  97.742944728,
                           100.6752330698, 98.6617284084, 103.5948148289};
  double mean = 0, sq = 0;
  for (int i = 1; i <= 10; ++i) mean += (closes[i] / closes[i - 1] - 1) / 10;
  for (int i = 1; i <= 10; ++i) sq += std::pow(closes[i] / closes[i - 1] - 1 - mean, 2);
  const double v1 = sq / 9;
  // One asset, r ~ N(0, v1): mean g v1 / 2, variance e^2 v1 + g^2 v1^2 / 2, third central moment
  // 3 e^2 g v1^2 + g^3 v1^3.
  const double m = g * v1 / 2;
  const double var = e * e * v1 + g * g * v1 * v1 / 2;
  const double skew = (3 * e * e * g * v1 * v1 + g * g * g * v1 * v1 * v1) / std::pow(var, 1.5);
  const double sd = std::sqrt(var), kk = skew / 6;
  auto f = [kk](double z) { return z + kk * (z * z - 1); };
  const double z_a = -3.090232306167813;  // scipy.stats.norm.ppf(0.001)
  // Short gamma, negative skew: the expansion turns at z* = -1 / (2 kk) > 0 and its upper tail,
  // bent back down beyond 2 z* - z_a, adds Phi(z_a - 2 z*) to the lower tail's mass; below 1e-20
  // that is nothing at 1e-9, and the plain expansion is the quantile.
  const double z_star = -0.5 / kk;
  ASSERT_GT(z_star, 0.0) << skew;
  ASSERT_LT(0.5 * std::erfc(-(z_a - 2 * z_star) / std::sqrt(2.0)), 1e-20) << skew;
  const double expected_var = -(m + sd * f(z_a));
  // Tail mean of f(Z) over (-inf, z_a] by Simpson's rule on [z_a - 14, z_a] (20,000 panels; the
  // mass below z_a - 14 is under 1e-60).
  const int n = 20000;
  const double lo = z_a - 14, h = 14.0 / n;
  double integral = 0;
  for (int i = 0; i <= n; ++i) {
    const double z = lo + i * h;
    const double w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
    integral += w * f(z) * std::exp(-z * z / 2) / std::sqrt(2 * M_PI);
  }
  integral *= h / 3;
  const double expected_es = -(m + sd * integral / 0.001);
  EXPECT_NEAR(res["var"].get<double>(), expected_var, 1e-9 * expected_var) << "skew " << skew;
  EXPECT_NEAR(res["es"].get<double>(), expected_es, 1e-9 * expected_es);
  EXPECT_NEAR(res["volatility"].get<double>(), sd, 1e-9 * sd);
}

TEST_F(RiskCli, BadInputExitsWithOne) {
  // Values outside a flag's declared range are usage errors (exit 2), named by the flag, before
  // anything runs; input that is wrong only for this book (too little history) is exit 1.
  const auto confidence = run("risk var " + files() + " --confidence 1.5 --window 10");
  EXPECT_EQ(confidence.rc, 2);
  EXPECT_NE(confidence.err.find("--confidence: expected a number greater than 0 and less than 1, got 1.5"),
            std::string::npos)
      << confidence.err;
  EXPECT_EQ(run("risk var " + files() + " --horizon 0 --window 10").rc, 2);
  EXPECT_EQ(run("risk var " + files() + " --window 50").rc, 1);  // longer than the history
  EXPECT_EQ(run("risk var --positions " + (dir_ / "empty.csv").string() + " --prices " +
                (dir_ / "prices.csv").string() + " --window 5")
                .rc,
            1);
  EXPECT_EQ(run("risk var " + files() + " --method nonsense").rc, 2);
}

}  // namespace
