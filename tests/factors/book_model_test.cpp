#include "keel/factors/book_model.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "keel/core/error.h"
#include "keel/io/csv.h"
#include "keel/io/readers.h"

namespace keel::factors {
namespace {

const std::string kPrices = std::string(KEEL_SOURCE_DIR) + "/examples/market/prices.csv";
const std::string kFactors = std::string(KEEL_SOURCE_DIR) + "/examples/market/ff5_daily_2012_2017.csv";

struct RealData {
  risk::RiskBook book;
  risk::ReturnMatrix returns;
  AlignedFactors factors;
};

RealData load(const std::vector<Position>& positions, std::size_t window) {
  Diagnostics diags;
  auto pcsv = io::CsvReader::open(local_files().open(kPrices, "prices"), diags);
  const PriceRows rows = io::read_prices(pcsv, diags);
  auto fcsv = io::CsvReader::open(local_files().open(kFactors, "factors"), diags);
  const FactorTable ft = io::read_factors(fcsv, io::RateUnits::kPercent, diags);
  diags.throw_if_errors("test data");
  RealData d;
  std::vector<std::string> symbols;
  for (const auto& p : positions) symbols.push_back(p.symbol);
  const PriceHistory adj = pivot_prices(rows, symbols, true);
  const PriceHistory close = pivot_prices(rows, symbols, false);
  d.book = risk::build_risk_book(positions, close, adj.dates.back());
  d.returns = risk::simple_returns(adj, d.book.assets, {.window = window});
  d.factors = align_factors(d.returns.dates, ft);
  return d;
}

Position stock(const char* s, double q) {
  Position p;
  p.symbol = s;
  p.quantity = q;
  return p;
}

// Expected values: bench/peers/factors_betas.py --check AAPL XOM JPM (pandas + np.linalg.lstsq on
// examples/market, the last 252 returns 2016-12-07 .. 2017-12-06, excess over rf).
TEST(BookFactorModel, RealDataMatchesNumpyPeer) {
  const RealData d = load({stock("AAPL", 100), stock("XOM", 200), stock("JPM", 300)}, 252);
  const BookFactorModel m = fit_book_factor_model(d.book, d.returns, d.factors);
  ASSERT_EQ(m.factor_names, (std::vector<std::string>{"mkt_rf", "smb", "hml", "rmw", "cma"}));
  EXPECT_EQ(d.returns.dates.front().to_string(), "2016-12-07");
  struct Expect {
    std::size_t asset;
    double betas[5];
    double t[5];
    double alpha_annual, r2, resid_vol_annual;
  };
  const Expect expect[] = {
      {0, {1.3963803094946434, -0.47149574560362834, -0.3265370750379005, -0.4236123459092192, -0.7067686421925968},
       {10.43175774100958, -3.5355178404072576, -2.509546849829311, -2.182325021266274, -3.4147834476941794},
       0.07597507711424514, 0.39309856610300487, 0.13649748595148614},
      {1, {0.6183399931576595, -0.4450672618705165, 0.2526183574620634, -0.39389083331625574, 0.7660210163493506},
       {6.643319098537746, -4.799598449804914, 2.792104808140311, -2.9183051202392125, 5.322682731539083},
       -0.028163314805439467, 0.3535548982235074, 0.09491189674505482},
      {2, {1.1139154703170846, -0.030088157811726718, 1.3085392162532588, -0.3596728069799314, -0.6604591988326123},
       {13.102095814166338, -0.35522670858549804, 15.833769235449177, -2.91738124269395, -5.024196854780691},
       0.10642750723238567, 0.7165069622380694, 0.08669417011488334},
  };
  for (const auto& e : expect) {
    for (std::size_t k = 0; k < 5; ++k) {
      EXPECT_NEAR(m.asset_fits.beta(e.asset, k), e.betas[k], 1e-9) << m.assets[e.asset] << " " << k;
      EXPECT_NEAR(m.asset_fits.t_stat(e.asset, k), e.t[k], 1e-7) << m.assets[e.asset] << " " << k;
    }
    EXPECT_NEAR(m.asset_fits.alpha_annual[e.asset], e.alpha_annual, 1e-10);
    EXPECT_NEAR(m.asset_fits.r2[e.asset], e.r2, 1e-10);
    EXPECT_NEAR(m.asset_fits.residual_vol_annual[e.asset], e.resid_vol_annual, 1e-10);
  }
}

// OLS is linear in y: the regression of sum_a W_a y_a gives sum_a W_a beta_a, and the weights of a
// stock-only book sum to one.
TEST(BookFactorModel, PortfolioRegressionEqualsValueWeightedBetas) {
  const RealData d = load({stock("AAPL", 100), stock("XOM", 200), stock("JPM", 300), stock("KO", 150)}, 500);
  const BookFactorModel m = fit_book_factor_model(d.book, d.returns, d.factors);
  double wsum = 0.0;
  for (double w : m.position_weight) wsum += w;
  EXPECT_NEAR(wsum, 1.0, 1e-12);
  for (std::size_t k = 0; k < m.factor_names.size(); ++k) {
    EXPECT_NEAR(m.portfolio_fit.beta(0, k), m.weighted_betas[k], 1e-12);
    EXPECT_NEAR(m.exposure_amount[k], m.weighted_betas[k] * m.weight_base, 1e-6);
  }
  EXPECT_NEAR(m.portfolio_fit.alpha_annual[0], m.weighted_alpha_annual, 1e-12);
  // A diversified book is explained better by the factors than its average stock.
  double mean_r2 = 0.0;
  for (double r : m.asset_fits.r2) mean_r2 += r / 4.0;
  EXPECT_GT(m.portfolio_fit.r2[0], mean_r2);
  EXPECT_EQ(m.portfolio_fit.observations, 500u);
}

TEST(BookFactorModel, ReturnColumnsMustBeTheBooksAssets) {
  RealData d = load({stock("AAPL", 100), stock("XOM", 200)}, 100);
  std::swap(d.returns.symbols[0], d.returns.symbols[1]);
  EXPECT_THROW(fit_book_factor_model(d.book, d.returns, d.factors), Error);
}

}  // namespace
}  // namespace keel::factors
