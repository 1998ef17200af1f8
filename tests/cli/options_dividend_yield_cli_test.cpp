// Per-position dividend yields (positions column `dividend_yield`): a two-option book whose
// options carry different yields gets, for each option, the Greeks of `keel options price --div`
// with that option's own yield; an option without the column falls back to --div.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/cli_runner.h"

namespace keel::testing {
namespace {

nlohmann::json json_of(const CliResult& r) {
  EXPECT_EQ(r.code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

// Black-Scholes-Merton (Haug 1.1.6) at AAPL's close of 2017-12-06 (169.011993), expiry 2018-06-15
// (191 days, act/365), rate 1.3%, computed independently with scipy.stats.norm:
//   call K=170 vol 25% q=1.5%: price 11.5539236612, delta 0.51682463118, gamma 0.0129323366919,
//                              vega 48.3273031355, theta -11.2192527792, rho 39.662922525
//   put  K=160 vol 27% q=3%:   price 9.26775003006, delta -0.363936021353, gamma 0.0112566767016,
//                              vega 45.4307081105, theta -12.6455907598, rho -37.036889709
//   put  K=160 vol 27% q=0:    price 8.33417823002 (the --div default of the third option)
struct Expected {
  const char* symbol;
  const char* price_args;  // the same option for `keel options price`
  double price, delta, gamma, vega, theta, rho;
};
constexpr Expected kCall{"AAPL180615C00170000", "--type call --strike 170 --vol 0.25 --div 0.015",
                         11.5539236612,         0.51682463118,
                         0.0129323366919,       48.3273031355,
                         -11.2192527792,        39.662922525};
constexpr Expected kPut{"AAPL180615P00160000", "--type put --strike 160 --vol 0.27 --div 0.03",
                        9.26775003006,         -0.363936021353,
                        0.0112566767016,       45.4307081105,
                        -12.6455907598,        -37.036889709};

TEST(OptionsDividendYieldCli, EachOptionUsesItsOwnYieldLikeOptionsPrice) {
  TempDb db("options_div_column");
  const auto file =
      std::filesystem::temp_directory_path() / ("keel_options_div_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(file) << "symbol,quantity,implied_vol,dividend_yield\n"
                         "AAPL180615C00170000,2,0.25,0.015\n"
                         "AAPL180615P00160000,-3,0.27,0.03\n"
                         "AAPL180615P00160000,1,0.27,\n";
  const auto j = json_of(run_keel("--db " + db.path() + " options greeks --positions " + file.string() +
                                  " --prices " + source_path("examples/market/prices.csv") +
                                  " --as-of 2017-12-06 --rate 0.013 --div 0 --format json"));
  std::filesystem::remove(file);
  ASSERT_EQ(j["positions"].size(), 3u);
  for (std::size_t i = 0; i < 2; ++i) {
    const Expected& e = i == 0 ? kCall : kPut;
    const auto& p = j["positions"][i];
    ASSERT_EQ(p["symbol"], e.symbol);
    const auto single =
        json_of(run_keel(std::string("options price ") + e.price_args +
                         " --spot 169.011993 --expiry 2018-06-15 --as-of 2017-12-06 --rate 0.013 "
                         "--format json"));
    for (const char* key : {"price", "delta", "gamma", "vega", "theta", "rho"}) {
      EXPECT_NEAR(p[key].get<double>(), single[key].get<double>(), 1e-12) << e.symbol << " " << key;
    }
    const double expected[6] = {e.price, e.delta, e.gamma, e.vega, e.theta, e.rho};
    const char* keys[6] = {"price", "delta", "gamma", "vega", "theta", "rho"};
    for (int k = 0; k < 6; ++k) {
      EXPECT_NEAR(p[keys[k]].get<double>(), expected[k], 1e-9 * (1.0 + std::abs(expected[k])))
          << e.symbol << " " << keys[k];
    }
  }
  EXPECT_DOUBLE_EQ(j["positions"][0]["div"].get<double>(), 0.015);
  EXPECT_DOUBLE_EQ(j["positions"][1]["div"].get<double>(), 0.03);
  // No yield of its own: the --div default (0).
  EXPECT_DOUBLE_EQ(j["positions"][2]["div"].get<double>(), 0.0);
  EXPECT_NEAR(j["positions"][2]["price"].get<double>(), 8.33417823002, 1e-9);
  // Book dollar delta: sum of units x delta x spot (units = quantity x 100).
  const double dollar_delta =
      (2 * 100 * kCall.delta - 3 * 100 * kPut.delta + 100 * -0.339788985138) * 169.011993;
  EXPECT_NEAR(j["totals"]["dollar_delta"].get<double>(), dollar_delta, 1e-6);
}

}  // namespace
}  // namespace keel::testing
