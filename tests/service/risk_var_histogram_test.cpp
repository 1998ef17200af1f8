// The P&L histogram of each VaR method (RiskVarRequest::histogram_bins) on a one-stock book whose
// 21 daily P&Ls are written out below, so the historical bins can be counted by hand; the
// parametric density is checked against the normal density written out here, Monte Carlo for its
// total, its agreement with its own VaR and its reproducibility under the seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <sstream>

#include "keel/core/error.h"
#include "keel/service/imports.h"
#include "keel/service/risk.h"
#include "keel/service/sharding.h"
#include "risk_compute.h"  // the VaR use case's steps: computed, shards, reduce
#include "keel/store/store.h"

namespace keel::service {
namespace {

// AAA closes at 110 on day 21; daily returns are +0.5% except day 3 (-5%), day 7 (-2%) and day 12
// (+1%). 100 shares are worth 11000, so the P&L of the 21 scenarios is 18 x +55, -550, -220, +110.
double aaa_return(int t) {
  return t == 3 ? -0.05 : t == 7 ? -0.02 : t == 12 ? 0.01 : 0.005;
}

std::string one_stock_prices() {
  double a[22];
  a[21] = 110.0;
  for (int t = 21; t > 0; --t) a[t - 1] = a[t] / (1.0 + aaa_return(t));
  std::ostringstream out;
  out.precision(17);
  out << "date,AAA\n";
  for (int t = 0; t < 22; ++t)
    out << Date::from_ymd(2020, 3, 2).add_days(t).to_string() << "," << a[t] << "\n";
  return out.str();
}

struct OneStockStore {
  OneStockStore() : store(open_store(":memory:")) {
    import_prices({store.get()}, {{"prices.csv", one_stock_prices()}});
    Position p;
    p.symbol = "AAA";
    p.quantity = 100;
    store->save_portfolio(kDefaultTenant, "one", {p}, "test");
  }
  std::unique_ptr<Store> store;
};

RiskVarRequest request(std::vector<risk::VarMethod> methods, std::size_t bins) {
  RiskVarRequest req;
  req.inputs.source.portfolio = "one";
  req.methods = std::move(methods);
  req.window = 21;
  req.var.confidence = 0.95;
  req.histogram_bins = bins;
  return req;
}

double sum(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x;
  return s;
}

TEST(RiskVarHistogram, HistoricalBinsCountedByHand) {
  OneStockStore s;
  const RiskVarResult out = risk_var({s.store.get()}, request({risk::VarMethod::kHistorical}, 11));
  ASSERT_EQ(out.results.size(), 1u);
  const VarMethodResult& r = out.results[0];
  // 95% over 21 scenarios: order statistic (21 - 1) x 0.05 = 1, the second worst: VaR 220, ES
  // (550 + 220) / 2 = 385.
  EXPECT_NEAR(r.var, 220.0, 1e-6);
  EXPECT_NEAR(r.es, 385.0, 1e-6);
  ASSERT_TRUE(r.pnl_histogram);
  const PnlHistogram& h = *r.pnl_histogram;
  EXPECT_EQ(h.kind, "scenarios");
  EXPECT_EQ(h.total, 21u);
  // 11 bins from -550 to +110: width 60. -550 falls in bin 0, -220 in bin 5 ([-250, -190)), +55 in
  // bin 10 ([50, 110]) and so does +110, the closed upper edge.
  ASSERT_EQ(h.edges.size(), 12u);
  for (std::size_t i = 0; i < 12; ++i)
    EXPECT_NEAR(h.edges[i], -550.0 + 60.0 * static_cast<double>(i), 1e-6) << i;
  const std::vector<double> expected{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 19};
  EXPECT_EQ(h.counts, expected);
}

TEST(RiskVarHistogram, NoBinsNoHistogramAndOutOfRangeBinsRefused) {
  OneStockStore s;
  const RiskVarResult out = risk_var({s.store.get()}, request({risk::VarMethod::kHistorical}, 0));
  EXPECT_FALSE(out.results[0].pnl_histogram);
  for (std::size_t bins : {std::size_t{1}, std::size_t{9}, std::size_t{201}}) {
    try {
      risk_var({s.store.get()}, request({risk::VarMethod::kHistorical}, bins));
      ADD_FAILURE() << bins << " bins accepted";
    } catch (const Error& e) {
      ASSERT_EQ(e.details().size(), 1u) << e.what();
      EXPECT_EQ(e.details()[0], "histogram_bins: expected 0 (no histogram) or 10 to 200, got " + std::to_string(bins));
    }
  }
}

TEST(RiskVarHistogram, ParametricDensityIsTheNormalScaledToTheWindow) {
  OneStockStore s;
  const RiskVarResult out = risk_var({s.store.get()}, request({risk::VarMethod::kParametric}, 40));
  const VarMethodResult& r = out.results[0];
  // Sample standard deviation of the 21 returns (n - 1), times the 11000 exposure; zero mean.
  double mean = 0.0;
  for (int t = 1; t <= 21; ++t) mean += aaa_return(t) / 21.0;
  double ss = 0.0;
  for (int t = 1; t <= 21; ++t) ss += (aaa_return(t) - mean) * (aaa_return(t) - mean);
  const double sd = 11000.0 * std::sqrt(ss / 20.0);
  EXPECT_NEAR(r.volatility, sd, 1e-6);
  const double z95 = 1.6448536269514722;  // the normal 95% quantile
  const double phi_z = std::exp(-0.5 * z95 * z95) / std::sqrt(2.0 * std::numbers::pi);
  const double es = sd * phi_z / 0.05;
  EXPECT_NEAR(r.es, es, 1e-6);
  ASSERT_TRUE(r.pnl_histogram);
  const PnlHistogram& h = *r.pnl_histogram;
  EXPECT_EQ(h.kind, "density");
  EXPECT_EQ(h.total, 21u);
  // Range: from min(-4 sd, -ES - sd / 2) = -4 sd (ES is 2.06 sd) to +4 sd, 40 bins of sd / 5.
  ASSERT_EQ(h.edges.size(), 41u);
  EXPECT_NEAR(h.edges.front(), -4.0 * sd, 1e-6);
  EXPECT_NEAR(h.edges.back(), 4.0 * sd, 1e-6);
  const double width = 8.0 * sd / 40.0;
  double area = 0.0;
  for (std::size_t i = 0; i < 40; ++i) {
    const double x = (-4.0 * sd + (static_cast<double>(i) + 0.5) * width) / sd;
    const double expected = 21.0 * width * std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi) / sd;
    EXPECT_NEAR(h.counts[i], expected, 1e-9 * 21.0) << i;
    area += h.counts[i];
  }
  // Midpoint rule over +-4 sd of 21 draws: 21 x 0.99994 to within the rule's error.
  EXPECT_NEAR(area, 21.0, 0.01);
}

TEST(RiskVarHistogram, MonteCarloCountsItsPathsAndAgreesWithItsVaR) {
  OneStockStore s;
  RiskVarRequest req = request({risk::VarMethod::kMonteCarlo, risk::VarMethod::kHistorical}, 50);
  req.var.monte_carlo.paths = 20000;
  req.var.monte_carlo.seed = 7;
  const RiskVarResult a = risk_var({s.store.get()}, req);
  const VarMethodResult& mc = a.results[0];
  ASSERT_TRUE(mc.pnl_histogram);
  const PnlHistogram& h = *mc.pnl_histogram;
  EXPECT_EQ(h.kind, "scenarios");
  EXPECT_EQ(h.total, 20000u);
  EXPECT_EQ(h.counts.size(), 50u);
  EXPECT_DOUBLE_EQ(sum(h.counts), 20000.0);
  // Paths wholly below -VaR are at most 5% of them; paths up to the bin holding -VaR at least 5%.
  double below = 0.0;
  std::size_t i = 0;
  for (; h.edges[i + 1] <= -mc.var; ++i) below += h.counts[i];
  EXPECT_LE(below, 0.05 * 20000.0);
  EXPECT_GE(below + h.counts[i], 0.05 * 20000.0);
  // The historical result in the same response keeps its own scenarios.
  EXPECT_EQ(a.results[1].pnl_histogram->total, 21u);
  // Same seed, same histogram.
  const RiskVarResult b = risk_var({s.store.get()}, req);
  EXPECT_EQ(b.results[0].pnl_histogram->counts, h.counts);
  EXPECT_EQ(b.results[0].pnl_histogram->edges, h.edges);
}

// A short at-the-money call on top of the stock: the delta-gamma P&L is skewed, and its density
// (the rearranged Cornish-Fisher variable's) must put exactly 1 - c of its mass below -VaR and
// have the area of the window, integrated here over the bins by the midpoint rule.
TEST(RiskVarHistogram, DeltaGammaDensityHasTheTailItsVaRSays) {
  OneStockStore s;
  Position call;
  call.symbol = "AAA200417C00110000";
  call.quantity = -20;
  call.type = InstrumentType::kOption;
  call.underlying = "AAA";
  call.strike = 110.0;
  call.expiry = Date::from_ymd(2020, 4, 17);
  call.option_type = OptionRight::kCall;
  call.multiplier = 100.0;
  call.implied_vol = 0.6;
  Position stock;
  stock.symbol = "AAA";
  stock.quantity = 100;
  s.store->save_portfolio(kDefaultTenant, "hedged", {stock, call}, "test");
  RiskVarRequest req = request({risk::VarMethod::kParametric}, 200);
  req.inputs.source.portfolio = "hedged";
  req.var.delta_gamma = true;
  const RiskVarResult out = risk_var({s.store.get()}, req);
  const VarMethodResult& r = out.results[0];
  ASSERT_TRUE(r.pnl_histogram);
  const PnlHistogram& h = *r.pnl_histogram;
  EXPECT_EQ(h.kind, "density");
  const double width = h.edges[1] - h.edges[0];
  double area = 0.0, below = 0.0;
  for (std::size_t i = 0; i < h.counts.size(); ++i) {
    area += h.counts[i];
    // The share of bin i below -VaR, the density taken as flat over the bin.
    const double f = std::clamp((-r.var - h.edges[i]) / width, 0.0, 1.0);
    below += f * h.counts[i];
  }
  EXPECT_NEAR(area / 21.0, 1.0, 0.01);
  EXPECT_NEAR(below / 21.0, 0.05, 0.002);
  // A short call makes the book's gamma negative, so the mean tr(GS)/2 is below zero: the range,
  // centred on the mean, reaches further left than right.
  EXPECT_GT(-h.edges.front(), h.edges.back());
}

// A run cut into shards of paths (computed in any order) and reduced gives the whole run's numbers,
// bit for bit: VaR, ES, volatility, error band, histogram; the shards of other inputs are refused.
TEST(RiskVarShards, ShardsReducedEqualTheWholeRunBitForBit) {
  OneStockStore s;
  RiskVarRequest req = request({risk::VarMethod::kMonteCarlo, risk::VarMethod::kParametric}, 0);
  req.var.monte_carlo.paths = 10007;
  req.var.monte_carlo.seed = 42;
  req.var.monte_carlo.distribution = risk::McDistribution::kStudentT;
  const Context cx{s.store.get()};
  const RiskVarResult whole = risk_var(cx, req);
  const auto ranges = shard_ranges(10007, 1000);
  ASSERT_EQ(ranges.size(), 11u);
  EXPECT_EQ(ranges.back().first, 10000);
  EXPECT_EQ(ranges.back().last, 10007);
  std::vector<risk::PathSummary> parts(ranges.size());
  std::uint64_t fingerprint = 0;
  for (std::size_t k = ranges.size(); k-- > 0;) {  // backwards: the order of computing does not matter
    auto v = risk_var_paths(cx, req, ranges[k]);
    if (fingerprint) {
      EXPECT_EQ(v.fingerprint, fingerprint);
    }
    fingerprint = v.fingerprint;
    EXPECT_EQ(v.as_of, whole.as_of);
    // As stored with the shard's row: the summary, not every path. At 95% over 10,007 paths the
    // band's upper end is (n - 1)(0.05 + sqrt(0.05 x 0.95 / n)) = 522.1: values 0..523 are kept.
    parts[k] = risk::path_summary_from_bytes(risk::path_summary_to_bytes(v.summary));
    EXPECT_EQ(parts[k].lowest.size(), std::min<std::size_t>(524, ranges[k].last - ranges[k].first));
  }
  const RiskVarResult reduced = risk_var_reduce(cx, req, fingerprint, parts);
  EXPECT_EQ(spec::to_json(reduced).dump(), spec::to_json(whole).dump());
  const double a = reduced.results[0].var, b = whole.results[0].var;
  EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0);
  EXPECT_THROW(risk_var_reduce(cx, req, fingerprint ^ 1, parts), Error);  // other inputs: conflict
  // With a histogram the shards keep every path, and the reduced histogram is the whole run's.
  req.histogram_bins = 20;
  const RiskVarResult whole_h = risk_var(cx, req);
  for (std::size_t k = 0; k < ranges.size(); ++k) parts[k] = risk_var_paths(cx, req, ranges[k]).summary;
  EXPECT_EQ(parts[0].lowest.size(), 1000u);
  EXPECT_EQ(spec::to_json(risk_var_reduce(cx, req, fingerprint, parts)).dump(), spec::to_json(whole_h).dump());
  req.var.monte_carlo.seed = 43;  // another seed is another run
  EXPECT_NE(risk_var_paths(cx, req, {0, 1}).fingerprint, fingerprint);
}

}  // namespace
}  // namespace keel::service
