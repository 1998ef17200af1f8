// The market-risk routes on their typed requests and results: a bad body is refused naming each
// field path, and the figures agree with a hand calculation on the fixture's synthetic prices.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "keel/service/imports.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

// Pearson correlation and annualised sample vol of the fixture's returns i = first..last, computed
// from the return formulas themselves (not from the prices the server reads).
struct HandFigures {
  double correlation = 0.0;
  double vol_aaa = 0.0;
  double vol_bbb = 0.0;
};

HandFigures hand_figures(int first, int last) {
  std::vector<double> a, b;
  for (int i = first; i <= last; ++i) {
    a.push_back(aaa_return(i));
    b.push_back(bbb_return(i));
  }
  const double n = static_cast<double>(a.size());
  double ma = 0.0, mb = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    ma += a[k] / n;
    mb += b[k] / n;
  }
  double saa = 0.0, sbb = 0.0, sab = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    saa += (a[k] - ma) * (a[k] - ma);
    sbb += (b[k] - mb) * (b[k] - mb);
    sab += (a[k] - ma) * (b[k] - mb);
  }
  return {sab / std::sqrt(saa * sbb), std::sqrt(saa / (n - 1) * 252.0), std::sqrt(sbb / (n - 1) * 252.0)};
}

TEST_F(ServerFixture, CorrelationRouteMatchesTheHandCalculationAndNamesBadFields) {
  import_synthetic_prices();
  const std::string ana = login("ana");
  const auto pid = create_two_stock_book(login("mgr"), "corr-book", ana);
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);

  auto r = post(ana, p + "/risk/correlation", R"({"window":1,"cov":"pearson","lambda":1.5,"windw":250})");
  ASSERT_EQ(r->status, 400) << r->body;
  const auto details = body(r)["error"]["details"];
  ASSERT_EQ(details.size(), 4u) << details;
  EXPECT_EQ(details[0], "window: expected an integer from 2 to 100000, got 1") << details;
  EXPECT_EQ(details[1].get<std::string>().rfind("cov: expected sample, ewma or ledoit-wolf", 0), 0u) << details;
  EXPECT_EQ(details[2].get<std::string>().rfind("lambda: ", 0), 0u) << details;
  EXPECT_EQ(details[3].get<std::string>().rfind("\"windw\": not a field of this request", 0), 0u) << details;

  r = post(ana, p + "/risk/correlation", R"({"window":250})");
  ASSERT_EQ(r->status, 200) << r->body;
  const auto j = body(r);
  // 300 closes give returns 1..299; the last 250 are returns 50..299.
  const HandFigures h = hand_figures(50, 299);
  EXPECT_EQ(j["window"], 250);
  EXPECT_EQ(j["portfolio_id"], pid);
  ASSERT_EQ(j["symbols"], nlohmann::json({"AAA", "BBB"}));
  EXPECT_DOUBLE_EQ(j["matrix"][0][0].get<double>(), 1.0);
  EXPECT_NEAR(j["matrix"][0][1].get<double>(), h.correlation, 1e-8);
  EXPECT_NEAR(j["matrix"][1][0].get<double>(), h.correlation, 1e-8);
  EXPECT_NEAR(j["volatility"][0].get<double>(), h.vol_aaa, 1e-8);
  EXPECT_NEAR(j["volatility"][1].get<double>(), h.vol_bbb, 1e-8);
  // Two long positions: the position correlation is the asset correlation.
  EXPECT_NEAR(j["average_pairwise_correlation"].get<double>(), h.correlation, 1e-8);
  EXPECT_EQ(j["correlated_positions"], 2);
}

// The factor and stress routes read the book's valuation inputs by the same description as the
// typed risk routes: a rate of 5 (500%) is outside the documented continuous-decimal range [-1, 1],
// and "sometimes" is not a missing-price rule; both are named with the rule, as risk/var names them.
TEST_F(ServerFixture, FactorAndStressRoutesReadTheBookInputsLikeTheTypedRoutes) {
  const std::string ana = login("ana");
  const auto pid = create_portfolio(login("mgr"), "inputs-book");
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  const std::string bad = R"({"rate":5,"missing":"sometimes","vol_window":1})";
  for (const char* route : {"/risk/factors", "/risk/stress", "/risk/var"}) {
    auto r = post(ana, p + route, bad);
    ASSERT_EQ(r->status, 400) << route << ": " << r->body;
    const auto details = body(r)["error"]["details"];
    ASSERT_EQ(details.size(), 3u) << route << ": " << details;
    EXPECT_EQ(details[0], "missing: expected error, carry-forward or carry_forward, got \"sometimes\"") << route;
    EXPECT_EQ(details[1], "rate: expected a number from -1 to 1, got 5") << route;
    EXPECT_EQ(details[2], "vol_window: expected an integer from 2 to 100000, got 1") << route;
  }
}

// A factor set whose market factor is AAA's own daily return (and a smb factor that is BBB's):
// AAA's market beta is exactly 1 with R^2 = 1, so a direct user shock of mkt_rf -10% moves a
// 100-share AAA book by -10% of its value: hand arithmetic, not the engine's output.
TEST_F(ServerFixture, FactorAndStressRoutesOnTypedBodiesMatchTheHandBeta) {
  import_synthetic_prices();
  {
    std::ostringstream csv;
    csv.precision(17);
    csv << "date,mkt_rf,smb\n";
    const Date d0 = Date::from_ymd(2020, 1, 1);
    for (int i = 1; i < 300; ++i) csv << d0.add_days(i).to_string() << "," << aaa_return(i) << "," << bbb_return(i) << "\n";
    auto store = open_store(db_);
    service::import_factors({store.get()}, {service::InputFile{"factors.csv", csv.str()}, "synthetic", io::RateUnits::kDecimal});
  }
  const std::string ana = login("ana");
  const auto pid = create_portfolio(login("mgr"), "factor-book");
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  ASSERT_EQ(post(ana, p + "/positions", "symbol,quantity\nAAA,100\n", "text/csv")->status, 200);

  // Bad bodies: each field named; a file name is not an HTTP field (the server reads no files).
  auto r = post(ana, p + "/risk/factors", R"({"set":3,"rolling_step":0,"factors":"/etc/passwd"})");
  ASSERT_EQ(r->status, 400) << r->body;
  std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("set: expected a string"), std::string::npos) << details;
  EXPECT_NE(details.find("rolling_step: expected an integer from 1 to 100000, got 0"), std::string::npos) << details;
  EXPECT_NE(details.find("\\\"factors\\\": not a field of this request"), std::string::npos) << details;
  r = post(ana, p + "/risk/stress", R"({"method":"sideways","vol_shock":-2,"scenarios":"/etc/passwd"})");
  ASSERT_EQ(r->status, 400) << r->body;
  details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("method: expected direct, correlated or both"), std::string::npos) << details;
  EXPECT_NE(details.find("vol_shock: expected a number greater than -1"), std::string::npos) << details;
  EXPECT_NE(details.find("\\\"scenarios\\\": not a field of this request"), std::string::npos) << details;
  r = post(ana, p + "/risk/stress", R"({"set":"synthetic","shock":["mkt_rf"]})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("shock: expected FACTOR=DECIMAL_RETURN"), std::string::npos) << r->body;

  r = post(ana, p + "/risk/factors", R"({"set":"synthetic","window":250,"rf_column":"none"})");
  ASSERT_EQ(r->status, 200) << r->body;
  auto j = body(r);
  EXPECT_EQ(j["portfolio_id"], pid);
  EXPECT_EQ(j["window"], 250);
  EXPECT_EQ(j["factors"], nlohmann::json({"mkt_rf", "smb"}));
  ASSERT_EQ(j["positions"].size(), 1u);
  EXPECT_NEAR(j["positions"][0]["betas"]["mkt_rf"].get<double>(), 1.0, 1e-9);
  EXPECT_NEAR(j["positions"][0]["betas"]["smb"].get<double>(), 0.0, 1e-9);
  EXPECT_NEAR(j["positions"][0]["r2"].get<double>(), 1.0, 1e-9);

  r = post(ana, p + "/risk/stress",
           R"({"set":"synthetic","window":250,"rf_column":"none","shock":"mkt_rf=-0.1","method":"direct"})");
  ASSERT_EQ(r->status, 200) << r->body;
  j = body(r);
  ASSERT_EQ(j["scenarios"].size(), 1u);
  const auto& s = j["scenarios"][0];
  EXPECT_EQ(s["name"], "user");
  EXPECT_EQ(s["method"], "direct");
  EXPECT_TRUE(s["vol_shock"].is_null());
  EXPECT_NEAR(s["pnl"].get<double>(), -0.1 * j["book_value"].get<double>(), 1e-6);
  EXPECT_NEAR(s["positions"][0]["move"].get<double>(), -0.1, 1e-9);
}

// Factor attribution over HTTP is a read: a viewer asks for it with query parameters. The factor
// set's mkt_rf is AAA's own daily return and smb BBB's, so AAA's betas are exactly (1, 0) and BBB's
// (0, 1) with zero alpha: each position's P&L over the period is all its own factor's, by hand
// from the return formulas (the value at each previous close times that day's return).
TEST_F(ServerFixture, AttributionRouteIsAReadAndMatchesTheHandSplit) {
  import_synthetic_prices();
  {
    std::ostringstream csv;
    csv.precision(17);
    csv << "date,mkt_rf,smb\n";
    const Date d0 = Date::from_ymd(2020, 1, 1);
    for (int i = 1; i < 300; ++i) csv << d0.add_days(i).to_string() << "," << aaa_return(i) << "," << bbb_return(i) << "\n";
    auto store = open_store(db_);
    service::import_factors({store.get()}, {service::InputFile{"factors.csv", csv.str()}, "synthetic", io::RateUnits::kDecimal});
  }
  const auto pid = create_two_stock_book(login("mgr"), "attribution-book", login("ana"));
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  const std::string view = login("view");
  const Date d0 = Date::from_ymd(2020, 1, 1);
  const std::string from = d0.add_days(249).to_string();
  const std::string to = d0.add_days(259).to_string();

  // The same viewer may not compute the betas themselves (risk/factors needs compute).
  EXPECT_EQ(post(view, p + "/risk/factors", R"({"set":"synthetic"})")->status, 403);
  auto r = get(view, p + "/risk/attribution?set=synthetic&window=200&rf_column=none&from=" + from + "&to=" + to +
                         "&windw=3");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("windw"), std::string::npos) << r->body;

  r = get(view, p + "/risk/attribution?set=synthetic&window=200&rf_column=none&from=" + from + "&to=" + to);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto j = body(r);
  EXPECT_EQ(j["portfolio_id"], pid);
  EXPECT_EQ(j["start_date"], from);
  EXPECT_EQ(j["end_date"], to);
  EXPECT_EQ(j["days"], 10);
  EXPECT_EQ(j["excess_returns"], false);
  ASSERT_EQ(j["positions"].size(), 2u);
  // By hand: value at the close of day 249, then each day's return for days 250..259.
  double a = 100.0, b = 50.0;
  for (int i = 1; i <= 249; ++i) {
    a *= 1.0 + aaa_return(i);
    b *= 1.0 + bbb_return(i);
  }
  double va = 100 * a, vb = 200 * b, mkt = 0.0, smb = 0.0;
  const double va0 = va, vb0 = vb;
  for (int i = 250; i <= 259; ++i) {
    mkt += va * aaa_return(i);
    smb += vb * bbb_return(i);
    va *= 1.0 + aaa_return(i);
    vb *= 1.0 + bbb_return(i);
  }
  const auto& pa = j["positions"][0];
  const auto& pb = j["positions"][1];
  EXPECT_NEAR(pa["market_value"].get<double>(), va0, 1e-7);
  EXPECT_NEAR(pa["pnl_amount"].get<double>(), va - va0, 1e-7);
  EXPECT_NEAR(pa["factors"]["mkt_rf"].get<double>(), mkt, 1e-7);
  EXPECT_NEAR(pa["factors"]["smb"].get<double>(), 0.0, 1e-7);
  EXPECT_NEAR(pa["alpha_amount"].get<double>(), 0.0, 1e-7);
  EXPECT_NEAR(pa["residual_amount"].get<double>(), 0.0, 1e-7);
  EXPECT_NEAR(pb["pnl_amount"].get<double>(), vb - vb0, 1e-7);
  EXPECT_NEAR(pb["factors"]["smb"].get<double>(), smb, 1e-7);
  EXPECT_NEAR(pb["factors"]["mkt_rf"].get<double>(), 0.0, 1e-7);
  EXPECT_NEAR(j["book"]["pnl_amount"].get<double>(), (va - va0) + (vb - vb0), 1e-7);
  EXPECT_NEAR(j["book"]["factors"]["mkt_rf"].get<double>(), mkt, 1e-7);
  EXPECT_NEAR(j["factor_returns"]["mkt_rf"].get<double>(), va / va0 - 1.0, 1e-12);
}

TEST_F(ServerFixture, BacktestRouteNamesBadFieldsAndCountsTheTestedDays) {
  import_synthetic_prices();
  const std::string ana = login("ana");
  const auto pid = create_portfolio(login("mgr"), "bt-book");
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  ASSERT_EQ(post(ana, p + "/positions", "symbol,quantity\nAAA,100\n", "text/csv")->status, 200);

  // Monte Carlo is not backtested; ledoit-wolf is not a P&L variance estimator.
  auto r = post(ana, p + "/risk/backtest", R"({"method":"montecarlo","cov":"ledoit-wolf","series":"yes"})");
  ASSERT_EQ(r->status, 400) << r->body;
  const auto details = body(r)["error"]["details"];
  ASSERT_EQ(details.size(), 3u) << details;
  EXPECT_EQ(details[0].get<std::string>().rfind("method: expected historical or parametric", 0), 0u) << details;
  EXPECT_EQ(details[1].get<std::string>().rfind("cov: expected sample or ewma", 0), 0u) << details;
  EXPECT_EQ(details[2], "series: expected true or false") << details;

  r = post(ana, p + "/risk/backtest", R"({"window":100,"confidence":0.95,"series":true})");
  ASSERT_EQ(r->status, 200) << r->body;
  const auto j = body(r);
  // 299 returns, the first 100 estimate the first VaR: 199 tested days, 199 x 5% expected.
  EXPECT_EQ(j["observations"], 199);
  EXPECT_NEAR(j["expected_exceptions"].get<double>(), 199 * 0.05, 1e-9);
  EXPECT_EQ(j["series"].size(), 199u);
  EXPECT_EQ(j["first_date"], Date::from_ymd(2020, 1, 1).add_days(101).to_string());
  EXPECT_EQ(j["portfolio_id"], pid);
  std::size_t exceptions = 0;
  for (const auto& d : j["series"]) exceptions += d["exception"].get<bool>() ? 1 : 0;
  EXPECT_EQ(j["exceptions"], exceptions);
  EXPECT_EQ(j["exception_dates"].size(), exceptions);
}

TEST_F(ServerFixture, ExposuresAndGreeksRoutesNameBadFields) {
  import_synthetic_prices();
  const std::string ana = login("ana");
  const auto pid = create_portfolio(login("mgr"), "exp-book");
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  ASSERT_EQ(post(ana, p + "/positions", "symbol,quantity\nAAA,100\nBBB,-40\n", "text/csv")->status, 200);

  auto r = post(ana, p + "/exposures", R"({"by":"colour","vol_window":1,"sectors":"/etc/passwd"})");
  ASSERT_EQ(r->status, 400) << r->body;
  auto details = body(r)["error"]["details"];
  ASSERT_EQ(details.size(), 3u) << details;
  EXPECT_EQ(details[0], "vol_window: expected an integer from 2 to 100000, got 1") << details;
  EXPECT_EQ(details[1].get<std::string>().rfind("by: expected type, sector, tag, strategy, underlying, currency, country or region", 0), 0u)
      << details;
  // A file is never named over HTTP: sectors is a command-line field only.
  EXPECT_EQ(details[2].get<std::string>().rfind("\"sectors\": not a field of this request", 0), 0u) << details;

  r = post(ana, p + "/greeks", R"({"by":"type"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body(r)["error"]["details"][0].get<std::string>().rfind("\"by\": not a field of this request", 0), 0u)
      << r->body;

  // Stocks: market value = quantity x last close; long 100 AAA, short 40 BBB.
  r = post(ana, p + "/exposures", R"({"by":"type"})");
  ASSERT_EQ(r->status, 200) << r->body;
  const auto j = body(r);
  double aaa = 100.0, bbb = 50.0;
  for (int i = 1; i < 300; ++i) {
    aaa *= 1.0 + aaa_return(i);
    bbb *= 1.0 + bbb_return(i);
  }
  EXPECT_NEAR(j["long"].get<double>(), 100 * aaa, 1e-6);
  EXPECT_NEAR(j["short"].get<double>(), -40 * bbb, 1e-6);
  EXPECT_NEAR(j["gross"].get<double>(), 100 * aaa + 40 * bbb, 1e-6);
  EXPECT_EQ(j["portfolio_id"], pid);
  EXPECT_EQ(j["positions_valued"], 2);
}

// VaR with histogram_bins: each method carries its P&L histogram; the historical one's 10 bins are
// counted here from the fixture's return formula (P&L_i = value x return_i over the last 20
// returns), Monte Carlo counts its paths and repeats under the seed; a bin count outside 10..200
// is refused naming the field.
TEST_F(ServerFixture, VarRouteGivesEachMethodsHistogram) {
  import_synthetic_prices();
  const std::string ana = login("ana");
  const auto pid = create_portfolio(login("mgr"), "hist-book");
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  ASSERT_EQ(post(ana, p + "/positions", "symbol,quantity\nAAA,100\n", "text/csv")->status, 200);

  auto r = post(ana, p + "/risk/var", R"({"histogram_bins":201})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body(r)["error"]["details"][0], "histogram_bins: expected an integer from 0 to 200, got 201")
      << r->body;
  r = post(ana, p + "/risk/var", R"({"histogram_bins":5})");
  ASSERT_EQ(r->status, 400) << r->body;
  // The same shape as the spec's own refusal: the field's line in details.
  EXPECT_EQ(body(r)["error"]["details"][0], "histogram_bins: expected 0 (no histogram) or 10 to 200, got 5")
      << r->body;

  const std::string req =
      R"({"method":["historical","montecarlo","parametric"],"window":20,"paths":5000,"seed":3,"histogram_bins":10})";
  r = post(ana, p + "/risk/var", req);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto j = body(r);
  ASSERT_EQ(j["results"].size(), 3u);
  double value = 100.0 * 100.0;
  for (int i = 1; i < 300; ++i) value *= 1.0 + aaa_return(i);
  std::vector<double> pnl;
  for (int i = 280; i <= 299; ++i) pnl.push_back(value * aaa_return(i));
  const double lo = *std::min_element(pnl.begin(), pnl.end());
  const double hi = *std::max_element(pnl.begin(), pnl.end());
  std::vector<int> counts(10, 0);
  for (double x : pnl) ++counts[std::min(9, static_cast<int>((x - lo) / ((hi - lo) / 10)))];
  const auto& hist = j["results"][0]["pnl_histogram"];
  EXPECT_EQ(hist["kind"], "scenarios");
  EXPECT_EQ(hist["total"], 20);
  ASSERT_EQ(hist["edges"].size(), 11u);
  EXPECT_NEAR(hist["edges"][0].get<double>(), lo, 1e-6);
  EXPECT_NEAR(hist["edges"][10].get<double>(), hi, 1e-6);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(hist["counts"][i].get<double>(), counts[i]) << i;

  const auto& mc = j["results"][1]["pnl_histogram"];
  EXPECT_EQ(mc["total"], 5000);
  double paths = 0.0;
  for (const auto& c : mc["counts"]) paths += c.get<double>();
  EXPECT_EQ(paths, 5000.0);
  EXPECT_EQ(j["results"][2]["pnl_histogram"]["kind"], "density");
  r = post(ana, p + "/risk/var", req);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["results"][1]["pnl_histogram"], mc);

  r = post(ana, p + "/risk/var", R"({"window":20})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_FALSE(body(r)["results"][0].contains("pnl_histogram")) << r->body;
}

}  // namespace
}  // namespace keel::server::testing
