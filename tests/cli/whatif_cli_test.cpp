// End-to-end tests of `keel whatif` on the demo's hnw book and examples/portfolios/whatif_trades.csv.
// Hand figures use the raw closes of 2017-12-06 in examples/market/prices.csv: AAPL 169.011993,
// JNJ 140.589996, JPM 105.290001.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/cli_runner.h"

namespace keel::testing {
namespace {

std::string files_flags() {
  return " --positions " + source_path("examples/portfolios/hnw.csv") + " --prices " +
         source_path("examples/market/prices.csv");
}

std::string trades_flag() { return " --trades " + source_path("examples/portfolios/whatif_trades.csv"); }

const nlohmann::json* find_symbol(const nlohmann::json& list, const std::string& symbol) {
  for (const auto& e : list) {
    if (e["symbol"] == symbol) return &e;
  }
  return nullptr;
}

TEST(WhatIfCli, HedgeOfTheHnwBookFromFiles) {
  TempDb db("whatif_files");
  const auto r = run_keel("--db " + db.path() + " whatif" + files_flags() + trades_flag() + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["as_of"], "2017-12-06");
  // Sell 500 AAPL at the close: +500 x 169.011993 = 84,505.9965 received.
  const auto* aapl = find_symbol(j["trades"], "AAPL");
  ASSERT_NE(aapl, nullptr);
  EXPECT_EQ((*aapl)["price_source"], "close");
  EXPECT_NEAR((*aapl)["cash_amount"].get<double>(), 84505.9965, 1e-3);
  // Sell 1000 JPM at the given 105.00: +105,000; buy 800 JNJ at the close: -112,471.9968.
  EXPECT_NEAR((*find_symbol(j["trades"], "JPM"))["cash_amount"].get<double>(), 105000.0, 1e-9);
  EXPECT_NEAR((*find_symbol(j["trades"], "JNJ"))["cash_amount"].get<double>(), -112471.9968, 1e-3);
  EXPECT_EQ((*find_symbol(j["trades"], "AAPL180615P00160000"))["price_source"], "model");
  // Stocks' market value changes by the traded quantity x close: AAPL -84,505.9965, JPM
  // -105,290.001, JNJ +112,471.9968; the new puts add their model value (checked for sign only).
  const double stocks = -84505.9965 - 105290.001 + 112471.9968;
  const double puts = j["after"]["net"].get<double>() - j["before"]["net"].get<double>() - stocks;
  EXPECT_GT(puts, 0.0);
  EXPECT_NEAR(-(*find_symbol(j["trades"], "AAPL180615P00160000"))["cash_amount"].get<double>(), puts, 1e-3);
  // The puts and the AAPL sale lower the book's dollar delta.
  EXPECT_LT(j["change"]["dollar_delta"].get<double>(), 0.0);
  const auto* jnj = find_symbol(j["positions"], "JNJ");
  ASSERT_NE(jnj, nullptr);
  EXPECT_EQ((*jnj)["effect"], "new");
  EXPECT_EQ((*find_symbol(j["positions"], "AAPL"))["effect"], "reduce");
  // No factor data (files only, empty store): n/a with the reason, VaR still there.
  EXPECT_FALSE(j["factors"]["available"].get<bool>());
  EXPECT_TRUE(j["before"]["var_historical"].is_number());

  const auto t = run_keel("--db " + db.path() + " whatif" + files_flags() + trades_flag() + " --format table");
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("Before / after / change"), std::string::npos);
  EXPECT_NE(t.out.find("var_historical"), std::string::npos);
  EXPECT_NE(t.out.find("n/a"), std::string::npos);
}

TEST(WhatIfCli, UnknownPortfolioAndUnknownSymbolAreClearErrors) {
  TempDb db("whatif_errors");
  auto r = run_keel("--db " + db.path() + " whatif --portfolio nope" + trades_flag());
  EXPECT_EQ(r.code, 3) << r.err;  // not found
  EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;

  const std::string bad = (std::filesystem::temp_directory_path() / ("keel_whatif_bad_" + std::to_string(::getpid()) + ".csv")).string();
  std::ofstream(bad) << "symbol,quantity\nAAPL,-10\nZZZZ,100\n";
  r = run_keel("--db " + db.path() + " whatif" + files_flags() + " --trades " + bad);
  EXPECT_EQ(r.code, 1) << r.err;  // bad input
  EXPECT_NE(r.err.find("unknown symbol in the trades (no prices): ZZZZ"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(bad + ":3: ZZZZ: no prices"), std::string::npos) << r.err;

  std::ofstream(bad) << "symbol,quantity\nAAPL,ten\n";
  r = run_keel("--db " + db.path() + " whatif" + files_flags() + " --trades " + bad);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(bad + ":2:2"), std::string::npos) << r.err;
  std::filesystem::remove(bad);
}

TEST(WhatIfCli, SaveAsCreatesAPortfolioOnce) {
  TempDb db("whatif_save");
  const std::string k = "--db " + db.path() + " --quiet ";
  ASSERT_EQ(run_keel(k + "import prices " + source_path("examples/market/prices.csv")).code, 0);
  ASSERT_EQ(run_keel(k + "import positions " + source_path("examples/portfolios/hnw.csv") + " --portfolio hnw").code, 0);
  auto r = run_keel(k + "whatif --portfolio hnw" + trades_flag() + " --save-as hnw-hedged --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["saved_as"]["name"], "hnw-hedged");
  const auto show = run_keel(k + "portfolio show hnw-hedged --format json");
  ASSERT_EQ(show.code, 0) << show.err;
  const auto p = nlohmann::json::parse(show.out);
  // hnw has 13 positions; the trades add the AAPL puts and JNJ and keep the rest (AAPL 2000 -> 1500).
  EXPECT_EQ(p["positions"].size(), 15u);
  r = run_keel(k + "whatif --portfolio hnw" + trades_flag() + " --save-as hnw-hedged");
  EXPECT_EQ(r.code, 1);  // conflict
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  EXPECT_EQ(run_keel(k + "whatif --portfolio hnw" + trades_flag() + " --save-as hnw-hedged --replace --format json").code, 0);
}

}  // namespace
}  // namespace keel::testing
