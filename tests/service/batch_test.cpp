// The report of the daily batch (keel/service/report_build.h, keel/service/batch.h): key figures
// checked by hand from the example files. The whole document, as the demo's batch writes it, is in
// the demo's golden case (tests/cases/cli/demo.test, `cat reports/<book>_<date>/report.json`).
#include "keel/service/report_build.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "keel/core/cancel.h"
#include "keel/core/error.h"
#include "keel/service/batch.h"
#include "keel/service/imports.h"
#include "keel/service/portfolio_history.h"
#include "keel/service/report.h"
#include "keel/store/store.h"
#include "../support/store_cache.h"

namespace keel::service {
namespace {

using nlohmann::json;

std::string source(const std::string& rel) { return std::string(KEEL_SOURCE_DIR) + "/" + rel; }

const Date kAsOf = Date::parse_or_throw("2017-12-06");

// The demo store: the examples' 36,540 prices, sectors, the FF5 factors (with_factors) and the
// hnw and balanced books. Imported once per test run into a cached SQLite file
// (tests/support/store_cache.h); each test opens its own copy, so a test that writes (a batch
// storing snapshots) leaves the others' store as imported.
struct DemoStore {
  keel::testing::StoreCopy file;
  std::unique_ptr<Store> store;
  Store* get() const { return store.get(); }
};

DemoStore demo_store(bool with_factors) {
  std::vector<std::string> inputs = {source("examples/market/prices.csv"), source("examples/market/sectors.csv"),
                                     source("examples/portfolios/hnw.csv"), source("examples/portfolios/balanced.csv")};
  if (with_factors) inputs.push_back(source("examples/market/ff5_daily_2012_2017.csv"));
  const std::string cached =
      keel::testing::cached_store(with_factors ? "batch_demo_ff5" : "batch_demo", inputs, [&](const std::string& path) {
        auto store = open_store(path);
        import_prices({store.get()}, {{source("examples/market/prices.csv"), std::nullopt}});
        import_symbol_info({store.get()}, {{source("examples/market/sectors.csv"), std::nullopt}});
        if (with_factors) {
          import_factors({store.get()}, {{source("examples/market/ff5_daily_2012_2017.csv"), std::nullopt}, "ff5",
                                         io::RateUnits::kPercent});
        }
        for (const char* p : {"hnw", "balanced"}) {
          import_positions({store.get()}, {{source(std::string("examples/portfolios/") + p + ".csv"), std::nullopt}, p, std::nullopt, std::nullopt});
        }
      });
  DemoStore d{keel::testing::StoreCopy(cached, "batch_demo"), nullptr};
  d.store = open_store(d.file.path());
  return d;
}

// The examples' price file read with plain string handling: symbol -> date -> (close, adj_close).
using PriceTable = std::map<std::string, std::map<Date, std::pair<double, double>>>;
PriceTable read_price_file() {
  PriceTable out;
  std::ifstream in(source("examples/market/prices.csv"));
  std::string line;
  std::getline(in, line);  // date,symbol,open,high,low,close,adj_close,volume
  while (std::getline(in, line)) {
    std::vector<std::string> c;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) c.push_back(cell);
    out[c[1]][Date::parse_or_throw(c[0])] = {std::stod(c[5]), std::stod(c[6])};
  }
  return out;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Black-Scholes (1973) with zero rate and dividends; T in years.
double black_scholes(bool call, double s, double k, double vol, double t) {
  const double d1 = (std::log(s / k) + 0.5 * vol * vol * t) / (vol * std::sqrt(t));
  const double d2 = d1 - vol * std::sqrt(t);
  return call ? s * normal_cdf(d1) - k * normal_cdf(d2) : k * normal_cdf(-d2) - s * normal_cdf(-d1);
}

// numpy.quantile's default (linear interpolation between order statistics).
double numpy_quantile(std::vector<double> x, double p) {
  std::sort(x.begin(), x.end());
  const double h = (static_cast<double>(x.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
}

class BatchReport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo_ = new DemoStore(demo_store(true));
    store_ = demo_->get();
    ReportRequest r;
    r.source.portfolio = "hnw";
    r.source.as_of = kAsOf;
    r.generated_at = "2026-11-21T02:00:00Z";
    hnw_ = new json(spec::to_json(build_report(Context{store_}, r)));
  }
  static void TearDownTestSuite() {
    delete hnw_;
    delete demo_;
  }
  static DemoStore* demo_;
  static Store* store_;
  static json* hnw_;
};
DemoStore* BatchReport::demo_ = nullptr;
Store* BatchReport::store_ = nullptr;
json* BatchReport::hnw_ = nullptr;

TEST_F(BatchReport, NetValueIsQuantityTimesPriceByHand) {
  // Stocks at their close on 2017-12-06; options at Black-Scholes with their implied vol and zero
  // rate (the NVDA call is American, but an American call on a stock paying no dividend is worth
  // the European one, Merton 1973), T = calendar days / 365.
  const PriceTable px = read_price_file();
  auto close = [&](const char* s) { return px.at(s).at(kAsOf).first; };
  const double stocks = 2000 * close("AAPL") + 3000 * close("MSFT") + 400 * close("AMZN") + 300 * close("GOOGL") +
                        2500 * close("JPM") + 800 * close("BA") + 1500 * close("WMT") + 600 * close("COST") +
                        500 * close("NVDA");
  auto years = [](const char* expiry) { return double(Date::parse_or_throw(expiry) - kAsOf) / 365.0; };
  const double options = 10 * 100 * black_scholes(true, close("AAPL"), 170, 0.22, years("2018-01-19")) +
                         20 * 100 * black_scholes(false, close("AAPL"), 150, 0.25, years("2018-06-15")) -
                         30 * 100 * black_scholes(true, close("MSFT"), 90, 0.20, years("2018-03-16")) +
                         5 * 100 * black_scholes(true, close("NVDA"), 200, 0.40, years("2018-09-21"));
  const json& s = hnw_->at("summary");
  EXPECT_EQ(s.at("positions_count"), 13);
  EXPECT_NEAR(s.at("net_value_amount").get<double>(), stocks + options, 1e-6 * (stocks + options));
  // The rows add up to the summary.
  double net = 0.0;
  for (const auto& r : hnw_->at("positions").at("rows")) net += r.at("market_value_amount").get<double>();
  EXPECT_NEAR(net, s.at("net_value_amount").get<double>(), 1e-6);
  EXPECT_EQ(hnw_->at("positions").at("rows").size(), 13u);
  EXPECT_EQ(hnw_->at("positions").at("rows")[0].size(), 37u);
}

// The VaR section is risk_var's result: the historical method's scenarios are binned in its
// pnl_histogram (252 of them, over [min, max] of the window's P&L), and at 99 % the VaR is the
// numpy (linear) quantile of 252 values, between the 3rd and 4th smallest: so at most 3 scenarios
// lie below -VaR, at least 2 strictly below (2.51 = 0.01 x 251 is the quantile's position).
TEST_F(BatchReport, HistoricalVarIsTheQuantileOfItsPnlDistribution) {
  const json& v = hnw_->at("var");
  ASSERT_EQ(v.at("status"), "ok");
  ASSERT_EQ(v.at("results").size(), 3u);
  const json& h = v.at("results")[1];
  ASSERT_EQ(h.at("method"), "historical");
  const json& hist = h.at("pnl_histogram");
  EXPECT_EQ(hist.at("total"), 252);
  const auto counts = hist.at("counts").get<std::vector<double>>();
  const auto edges = hist.at("edges").get<std::vector<double>>();
  ASSERT_EQ(edges.size(), counts.size() + 1);
  EXPECT_EQ(counts.size(), 16u);  // max(10, ceil(sqrt(252)))
  double total = 0.0;
  for (double c : counts) total += c;
  EXPECT_EQ(total, 252.0);
  const double var = h.at("var").get<double>();
  EXPECT_GT(-var, edges.front());
  EXPECT_LT(-var, edges.back());
  EXPECT_GE(counts.front(), 1.0);  // the worst scenario is in the first bin
  EXPECT_EQ(hnw_->at("summary").at("var_amount"), h.at("var"));
  EXPECT_EQ(hnw_->at("summary").at("es_amount"), h.at("es"));
  EXPECT_GE(h.at("es").get<double>(), var);
  // The 1-day P&L is not a VaR scenario (today's book under the last return of its adjusted
  // closes) but the change of the book's value since the previous price date: the sum of its rows.
  double rows_pnl = 0.0;
  for (const auto& r : hnw_->at("positions").at("rows")) {
    if (!r.at("pnl_1d_amount").is_null()) rows_pnl += r.at("pnl_1d_amount").get<double>();
  }
  EXPECT_NEAR(hnw_->at("summary").at("pnl_1d_amount").get<double>(), rows_pnl, 1e-9 * std::fabs(rows_pnl));
  EXPECT_EQ(hnw_->at("summary").at("pnl_1d_from"), "2017-12-05");
  EXPECT_EQ(v.at("backtest").at("status"), "ok");
  EXPECT_TRUE(v.at("backtest").at("zone").is_string());
  EXPECT_EQ(hnw_->at("summary").at("backtest_zone"), v.at("backtest").at("zone"));
  EXPECT_FALSE(v.at("backtest").contains("series"));  // the report does not keep the daily series
}

TEST_F(BatchReport, WorstStressIsTheMinimumOfTheScenarios) {
  const json& st = hnw_->at("stress");
  ASSERT_EQ(st.at("status"), "ok");
  double worst = 0.0;
  std::string name;
  for (const auto& s : st.at("scenarios")) {
    if (s.at("pnl").get<double>() < worst) {
      worst = s.at("pnl").get<double>();
      name = s.at("name").get<std::string>();
    }
  }
  EXPECT_EQ(hnw_->at("summary").at("worst_stress_pnl_amount").get<double>(), worst);
  EXPECT_EQ(hnw_->at("summary").at("worst_stress_scenario"), name);
}

TEST_F(BatchReport, EverySectionAndStepIsThere) {
  for (const char* k : {"schema", "portfolio", "as_of", "generated_at", "keel_version", "provenance", "steps", "summary",
                        "data_quality", "positions", "exposures", "greeks", "factors", "var", "stress", "correlation",
                        "concentration", "history"}) {
    EXPECT_TRUE(hnw_->contains(k)) << k;
  }
  EXPECT_EQ(hnw_->at("schema"), "keel.report/2");
  std::vector<std::string> names;
  for (const auto& s : hnw_->at("steps")) {
    names.push_back(s.at("name"));
    EXPECT_EQ(s.at("status"), "ok") << s.dump();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"data_check", "exposures", "greeks", "factors", "var", "backtest", "stress",
                                             "correlation"}));
  std::size_t options = 0;
  for (const auto& p : hnw_->at("greeks").at("positions")) options += p.at("type") == "option" ? 1 : 0;
  EXPECT_EQ(options, 4u);
  EXPECT_EQ(hnw_->at("history").at("status"), "n/a");  // no batch has stored a snapshot
}

// The assets' average pairwise correlation: numpy on the 9 x 9 matrix of `keel risk correlation
// --portfolio hnw` (2017-12-06, 252 days): (m.sum() - 9) / (9 * 8) = 0.2007060765933727. The
// positions' delta-view figure counts the short call and the put against their assets, so it is lower.
TEST_F(BatchReport, CorrelationAveragesTheAssetsAndThePositionsSeparately) {
  const json& c = hnw_->at("correlation");
  EXPECT_EQ(c.at("symbols").size(), 9u);
  EXPECT_EQ(c.at("correlated_positions"), 13);
  EXPECT_NEAR(c.at("average_pairwise").get<double>(), 0.2007060765933727, 1e-12);
  EXPECT_LT(c.at("average_pairwise_correlation").get<double>(), c.at("average_pairwise").get<double>());
}

TEST(BatchReportHand, StockBookHistoricalVarFromThePriceFile) {
  // balanced.csv: 15 stocks. P&L of today's book on day t = sum_i q_i close_i(as_of) (adj_i,t /
  // adj_i,t-1 - 1) over the last 252 returns on the dates where all 15 have a price.
  auto store = demo_store(true);
  ReportRequest r;
  r.source.portfolio = "balanced";
  r.source.as_of = kAsOf;
  const json rep = spec::to_json(build_report(Context{store.get()}, r));
  const PriceTable px = read_price_file();
  const std::vector<std::pair<std::string, double>> book = {
      {"AAPL", 120}, {"MSFT", 250}, {"GOOGL", 20}, {"AMZN", 15}, {"JNJ", 110}, {"UNH", 60}, {"JPM", 150}, {"XOM", 130},
      {"PG", 120},   {"KO", 260},   {"HD", 70},    {"VZ", 220},  {"NEE", 90},  {"CAT", 80}, {"DIS", 100}};
  std::vector<Date> common;
  for (const auto& [d, v] : px.at("AAPL")) {
    bool all = d <= kAsOf;
    for (const auto& [s, q] : book) all = all && px.at(s).count(d) > 0;
    if (all) common.push_back(d);
  }
  ASSERT_GE(common.size(), 253u);
  double net = 0.0;
  for (const auto& [s, q] : book) net += q * px.at(s).at(kAsOf).first;
  std::vector<double> pnl;
  for (std::size_t t = common.size() - 252; t < common.size(); ++t) {
    double p = 0.0;
    for (const auto& [s, q] : book) {
      p += q * px.at(s).at(kAsOf).first * (px.at(s).at(common[t]).second / px.at(s).at(common[t - 1]).second - 1.0);
    }
    pnl.push_back(p);
  }
  const double var = -numpy_quantile(pnl, 0.01);
  EXPECT_NEAR(rep.at("summary").at("net_value_amount").get<double>(), net, 1e-9 * net);
  EXPECT_NEAR(rep.at("var").at("results")[1].at("var").get<double>(), var, 1e-9 * var);
  EXPECT_EQ(rep.at("var").at("results")[1].at("method"), "historical");
  // The 1-day P&L: the change of the book's value since the previous price date, q (close(as_of) -
  // close(previous)) summed (the raw closes the value is taken at; the VaR's last scenario uses the
  // adjusted ones), and each row's part of it.
  const Date previous = common[common.size() - 2];
  double pnl_1d = 0.0;
  for (const auto& [s, q] : book) {
    const double own = q * (px.at(s).at(kAsOf).first - px.at(s).at(previous).first);
    pnl_1d += own;
    for (const auto& row : rep.at("positions").at("rows")) {
      if (row.at("symbol") == s) {
        EXPECT_NEAR(row.at("pnl_1d_amount").get<double>(), own, 1e-9) << s;
      }
    }
  }
  EXPECT_NEAR(rep.at("summary").at("pnl_1d_amount").get<double>(), pnl_1d, 1e-9 * std::fabs(pnl_1d));
  EXPECT_EQ(rep.at("summary").at("pnl_1d_from"), previous.to_string());
  EXPECT_EQ(rep.at("greeks").at("status"), "n/a");
  EXPECT_EQ(rep.at("greeks").at("reason"), "no option positions");
  // Concentration by hand: weights q close / net (all long), HHI = sum of squares.
  double hhi = 0.0;
  for (const auto& [s, q] : book) hhi += std::pow(q * px.at(s).at(kAsOf).first / net, 2);
  EXPECT_NEAR(rep.at("concentration").at("hhi").get<double>(), hhi, 1e-12);
}

// A report whose computation was stopped (its client left, its deadline passed) ends with the stop,
// instead of coming back with the steps from then on "failed" for a reason that is not the book's
// (the server cached such a report, and the web app showed a VaR of "-").
TEST(BatchReportHand, AStoppedRunEndsTheReportRatherThanFailingItsSteps) {
  auto store = demo_store(true);
  ReportRequest r;
  r.source.portfolio = "hnw";
  r.source.as_of = kAsOf;
  Cancellation stop;
  stop.cancel("the client closed the connection");
  CancelScope scope(&stop);
  try {
    build_report(Context{store.get()}, r);
    ADD_FAILURE() << "a stopped report was built";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kCancelled) << e.what();
    EXPECT_NE(std::string(e.what()).find("the client closed the connection"), std::string::npos) << e.what();
  }
}

TEST(BatchReportHand, WithoutFactorDataTheFactorSectionsAreNotAvailable) {
  auto store = demo_store(false);
  ReportRequest r;
  r.source.portfolio = "hnw";
  r.source.as_of = kAsOf;
  const json rep = spec::to_json(build_report(Context{store.get()}, r));
  EXPECT_EQ(rep.at("factors").at("status"), "n/a");
  EXPECT_NE(rep.at("factors").at("reason").get<std::string>().find("factor"), std::string::npos);
  EXPECT_EQ(rep.at("stress").at("status"), "n/a");
  EXPECT_TRUE(rep.at("summary").at("beta_mkt").is_null());
  // Everything else is there.
  for (const char* k : {"exposures", "greeks", "var", "correlation", "concentration", "positions", "data_quality"}) {
    EXPECT_EQ(rep.at(k).at("status"), "ok") << k;
  }
  EXPECT_TRUE(rep.at("positions").at("rows")[0].at("beta_mkt").is_null());
}

TEST(BatchReportHand, AnUnknownPortfolioIsNotFound) {
  auto store = open_store(":memory:");
  ReportRequest r;
  r.source.portfolio = "nope";
  try {
    build_report(Context{store.get()}, r);
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  BatchRequest b;
  b.portfolios = {"nope", "neither"};
  b.reports = false;
  try {
    run_batch(Context{store.get()}, b);
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find("nope, neither"), std::string::npos);
  }
}

TEST(BatchRun, StoresOneSnapshotPerDateAndARerunReplacesIt) {
  auto store = demo_store(true);
  BatchRequest b;
  b.portfolios = {"balanced"};
  b.reports = false;
  b.report.mc_paths = 1000;
  for (const char* d : {"2017-12-04", "2017-12-05", "2017-12-05"}) {
    b.as_of = Date::parse_or_throw(d);
    const json res = spec::to_json(run_batch(Context{store.get()}, b));
    ASSERT_EQ(res.at("portfolios").size(), 1u);
    EXPECT_EQ(res.at("portfolios")[0].at("status"), "ok") << res.dump();
    EXPECT_EQ(res.at("ok"), 1);
  }
  PortfolioHistoryRequest hreq;
  hreq.portfolio = "balanced";
  const json h = spec::to_json(portfolio_history(Context{store.get()}, hreq));
  ASSERT_EQ(h.at("points").size(), 2u);
  EXPECT_EQ(h.at("points")[0].at("as_of"), "2017-12-04");
  EXPECT_EQ(h.at("points")[1].at("as_of"), "2017-12-05");
  EXPECT_EQ(h.at("points")[1].at("var_method"), "historical");
  // A report after the batch draws its history from the snapshots.
  ReportRequest r;
  r.source.portfolio = "balanced";
  r.source.as_of = kAsOf;
  const json rep = spec::to_json(build_report(Context{store.get()}, r));
  EXPECT_EQ(rep.at("history").at("status"), "ok");
  EXPECT_EQ(rep.at("history").at("points").size(), 2u);
  PortfolioHistoryRequest nope;
  nope.portfolio = "nope";
  EXPECT_THROW(portfolio_history(Context{store.get()}, nope), Error);
  hreq.from = kAsOf;
  hreq.to = kAsOf.add_days(-1);
  EXPECT_THROW(portfolio_history(Context{store.get()}, hreq), Error);
}

}  // namespace
}  // namespace keel::service
