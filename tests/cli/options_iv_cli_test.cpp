// `keel options iv FILE`: implied vols of a CSV of quotes, European and American, against prices
// computed independently (scipy for Black-Scholes-Merton, QuantLib's QdFp engine at tight
// settings for the American ones), with every bad cell named at file:line:column.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../support/cli_runner.h"

namespace keel::testing {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const auto file = std::filesystem::temp_directory_path() / ("keel_iv_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(file) << text;
  return file.string();
}

// Prices at known vols, as of 2017-12-06 (AAPL's close 169.011993):
//   scipy.stats.norm Black-Scholes-Merton (Haug 1.1.6), expiry 2018-06-15 (191 days, act/365):
//     call K=170 vol 25% r=1.3% q=1.5%   11.55392366122085
//     put  K=160 vol 27% r=1.3% q=0      8.334178230017514
//     call S=100 K=120 T=2 vol 40% r=3% q=1%   16.721483062472423
//   QuantLib 1.29 QdFpAmericanEngine (QdFpTanhSinhIterationScheme(16, 64, 1e-12), FP-B):
//     American put  K=180, 191 days, vol 30%, r=5%, q=0       18.959559549308587
//     American call K=150, 10 years, vol 35%, r=4%, q=3%      67.06865167756226
// and two quotes without an implied vol: a put priced at 0 (its lower bound) and a call above
// its spot.
TEST(OptionsIvCli, RecoversTheVolsOfIndependentPricesAndSaysWhyOthersHaveNone) {
  const std::string file = write_temp(
      "quotes.csv",
      "symbol,option_type,strike,expiry,years,spot,price,exercise,rate,dividend_yield\n"
      "AAPL180615C00170000,,,,,169.011993,11.55392366122085,,0.013,0.015\n"
      "AAPL180615P00160000,,,,,169.011993,8.334178230017514,european,0.013,\n"
      "XYZ,call,120,,2,100,16.721483062472423,,0.03,0.01\n"
      "AAPL180615P00180000,,,,,169.011993,18.959559549308587,american,0.05,0\n"
      "LONG,call,150,,10,169.011993,67.06865167756226,american,0.04,0.03\n"
      "LOW,put,160,2018-06-15,,169.011993,0,,0.013,\n"
      "HIGH,call,100,,1,100,150,,,\n");
  const CliResult r = run_keel("options iv " + file + " --as-of 2017-12-06 --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  std::filesystem::remove(file);
  ASSERT_EQ(j["rows"].size(), 7u);
  EXPECT_EQ(j["solved"], 5);
  EXPECT_EQ(j["without_vol"], 2);
  EXPECT_EQ(j["as_of"], "2017-12-06");
  const double expected[] = {0.25, 0.27, 0.40, 0.30, 0.35};
  for (int i = 0; i < 5; ++i) {
    const auto& row = j["rows"][i];
    EXPECT_EQ(row["line"], i + 2);
    EXPECT_EQ(row["status"], "ok") << row.dump();
    // Exact BSM prices come back to rounding; the American ones to the engines' agreement (1e-6
    // in price, a few 1e-7 in vol here).
    EXPECT_NEAR(row["implied_vol"].get<double>(), expected[i], i < 3 ? 1e-10 : 2e-6) << row.dump();
  }
  EXPECT_EQ(j["rows"][0]["option_type"], "call");  // from the OCC symbol
  EXPECT_DOUBLE_EQ(j["rows"][0]["strike"].get<double>(), 170.0);
  EXPECT_DOUBLE_EQ(j["rows"][0]["years"].get<double>(), 191.0 / 365.0);
  EXPECT_EQ(j["rows"][3]["exercise"], "american");
  EXPECT_EQ(j["rows"][5]["status"], "below_lower_bound");
  EXPECT_TRUE(j["rows"][5]["implied_vol"].is_null());
  EXPECT_NE(j["rows"][5]["problem"].get<std::string>().find("lower bound"), std::string::npos);
  EXPECT_EQ(j["rows"][6]["status"], "above_upper_bound");
  EXPECT_NE(r.err.find("2 of 7 quote(s) have no implied volatility"), std::string::npos) << r.err;

  // --exercise american values rows without an exercise cell as American; CSV output.
  const std::string f2 = write_temp("am.csv", "option_type,strike,years,spot,price\nput,180,0.5232876712328767,169.011993,"
                                              "18.959559549308587\n");
  const CliResult c = run_keel("options iv " + f2 + " --exercise american --rate 0.05 --format csv");
  std::filesystem::remove(f2);
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_EQ(c.out.rfind("line,symbol,option_type,exercise,spot,strike,years,price,rate,div,implied_vol,status,problem\n",
                        0),
            0u)
      << c.out;
  // The data row: its implied_vol cell (the 11th) is the vol QuantLib priced at.
  const std::string row = c.out.substr(c.out.find('\n') + 1);
  std::vector<std::string> cells;
  std::size_t from = 0;
  for (std::size_t comma; (comma = row.find(',', from)) != std::string::npos; from = comma + 1) {
    cells.push_back(row.substr(from, comma - from));
  }
  ASSERT_GE(cells.size(), 12u) << row;
  EXPECT_EQ(cells[3], "american");
  EXPECT_NEAR(std::stod(cells[10]), 0.30, 2e-6) << row;
  EXPECT_EQ(cells[11], "ok");
}

TEST(OptionsIvCli, EveryBadCellIsNamedAndNothingIsComputed) {
  const std::string file = write_temp("bad.csv",
                                      "option_type,strike,expiry,spot,price\n"
                                      "call,abc,2018-06-15,100,5\n"
                                      "put,100,2018-13-01,100,5\n"
                                      "straddle,100,2018-06-15,100,5\n"
                                      "call,100,2017-01-20,100,5\n"
                                      "call,100,2018-06-15,-3,5\n"
                                      "call,100,2018-06-15,100,2\n");
  const CliResult r = run_keel("options iv " + file + " --as-of 2017-12-06 --format json");
  ASSERT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(r.out.empty()) << r.out;
  for (const std::string place : {":2:2", ":3:3", ":4:1", ":5:3", ":6:4"}) {
    EXPECT_NE(r.err.find(file + place), std::string::npos) << place << "\n" << r.err;
  }
  EXPECT_NE(r.err.find("expired on 2017-01-20"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("expected call or put"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(":7:"), std::string::npos) << r.err;  // the good row is not named
  std::filesystem::remove(file);

  // Without the contract's columns or an OCC symbol the header is refused.
  const std::string f2 = write_temp("nohead.csv", "spot,price\n100,5\n");
  const CliResult h = run_keel("options iv " + f2);
  std::filesystem::remove(f2);
  EXPECT_EQ(h.code, 1);
  EXPECT_NE(h.err.find("missing column \"option_type\""), std::string::npos) << h.err;
}

}  // namespace
}  // namespace keel::testing
