#include "keel/risk/var.h"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <random>
#include <vector>

#include "keel/core/error.h"
#include "keel/risk/contributions.h"
#include "keel/risk/monte_carlo.h"

namespace keel::risk {
namespace {

Date d(const char* s) { return Date::parse_or_throw(s); }

// Spot prices on one date for the given symbols.
PriceHistory spots(std::vector<std::string> symbols, std::vector<double> prices) {
  PriceHistory p;
  p.dates = {d("2024-06-28")};
  p.symbols = std::move(symbols);
  p.values = std::move(prices);
  return p;
}

Position stock(const std::string& symbol, double quantity) {
  Position p;
  p.symbol = symbol;
  p.quantity = quantity;
  return p;
}

ReturnMatrix returns_of(std::vector<std::string> symbols, std::vector<double> values) {
  ReturnMatrix r;
  r.symbols = std::move(symbols);
  r.dates.resize(values.size() / r.symbols.size());
  r.values = std::move(values);
  return r;
}

// Ten daily returns of one stock; P&L of a 1,000,000 position sorted:
// -50k -30k -20k -10k 0 10k 20k 30k 40k 50k.
const std::vector<double> kTen{-0.05, 0.02, -0.03, 0.01, 0.04, -0.01, 0.00, 0.03, -0.02, 0.05};

TEST(HistoricalVar, MatchesSortedQuantileOnTenPoints) {
  const std::vector<Position> pos{stock("AAA", 10000)};
  const RiskBook book = build_risk_book(pos, spots({"AAA"}, {100.0}), d("2024-06-28"));
  EXPECT_DOUBLE_EQ(book.value[0], 1'000'000.0);
  const ReturnMatrix r = returns_of({"AAA"}, kTen);

  // c = 90%: h = (10 - 1) x 0.10 = 0.9 -> q = -50k + 0.9 x (-30k - -50k) = -32k (numpy.quantile agrees).
  VarResult v = historical_var(book, r, {.confidence = 0.90});
  EXPECT_NEAR(v.var, 32'000.0, 1e-6);
  EXPECT_NEAR(v.es, 50'000.0, 1e-6);  // only the -50k loss is at or beyond 32k
  EXPECT_EQ(v.scenarios, 10u);

  // c = 80%: h = 1.8 -> q = -30k + 0.8 x 10k = -22k; ES = mean(50k, 30k).
  v = historical_var(book, r, {.confidence = 0.80});
  EXPECT_NEAR(v.var, 22'000.0, 1e-6);
  EXPECT_NEAR(v.es, 40'000.0, 1e-6);

  // sqrt-time rule: 4 days doubles the one-day figures.
  v = historical_var(book, r, {.confidence = 0.90, .horizon_days = 4});
  EXPECT_NEAR(v.var, 64'000.0, 1e-6);

  // Short position: the gains become losses: sorted -50k .. ; c = 90% -> 32k again by symmetry of kTen.
  const std::vector<Position> short_pos{stock("AAA", -10000)};
  const RiskBook sb = build_risk_book(short_pos, spots({"AAA"}, {100.0}), d("2024-06-28"));
  v = historical_var(sb, r, {.confidence = 0.90});
  // -P&L sorted: -50k -40k -30k ...: q = -50k + 0.9 x 10k = -41k.
  EXPECT_NEAR(v.var, 41'000.0, 1e-6);
}

TEST(HistoricalVar, OverlappingHorizonUsesCompoundedReturns) {
  const std::vector<Position> pos{stock("AAA", 100)};
  const RiskBook book = build_risk_book(pos, spots({"AAA"}, {10.0}), d("2024-06-28"));
  const ReturnMatrix r = returns_of({"AAA"}, {0.10, -0.10, 0.20});
  // Two-day compounded returns: -1% and +8%; value 1,000: P&L -10 and +80.
  // c = 0.5: h = 0.5 -> q = -10 + 0.5 x 90 = 35 -> VaR = -35.
  const VarResult v = historical_var(
      book, r, {.confidence = 0.5, .horizon_days = 2, .historical_horizon = HistoricalHorizon::kOverlapping});
  EXPECT_NEAR(v.var, -35.0, 1e-9);
  EXPECT_EQ(v.scenarios, 2u);
}

// Two assets whose sample covariance is, by hand (covariance_test): var 5/3e-4 each, cov 1e-4.
ReturnMatrix four_days() {
  return returns_of({"AAA", "BBB"}, {0.01, 0.02, 0.02, 0.01, 0.03, 0.04, 0.04, 0.03});
}

RiskBook two_asset_book() {
  const std::vector<Position> pos{stock("AAA", 6000), stock("BBB", 4000)};
  return build_risk_book(pos, spots({"AAA", "BBB"}, {100.0, 100.0}), d("2024-06-28"));
}

TEST(ParametricVar, TwoAssetClosedForm) {
  const RiskBook book = two_asset_book();  // exposures 600,000 and 400,000
  // sigma_p^2 = e1^2 s11 + e2^2 s22 + 2 e1 e2 s12
  //           = (3.6e11 + 1.6e11) x 5/3e-4 + 4.8e11 x 1e-4 = 8.6667e7 + 4.8e7 = 1.346667e8.
  const double sigma = std::sqrt(5.2e11 * 5.0 / 3.0 * 1e-4 + 4.8e11 * 1e-4);  // 11,604.6
  const double z99 = 2.3263478740408408;    // normal quantile at 0.99 (standard tables)
  const double phi_z99 = 0.026652142203458;  // normal density there
  VarResult v = parametric_var(book, four_days(), {.confidence = 0.99});
  EXPECT_NEAR(v.var, z99 * sigma, 1e-6);            // 26,996.6
  EXPECT_NEAR(v.es, sigma * phi_z99 / 0.01, 1e-5);  // 30,928.6
  EXPECT_NEAR(v.volatility, sigma, 1e-8);

  v = parametric_var(book, four_days(), {.confidence = 0.99, .horizon_days = 10});
  EXPECT_NEAR(v.var, z99 * sigma * std::sqrt(10.0), 1e-5);

  // Sample mean: mu = (2.5%, 2.5%) per day -> mu_p = 25,000 per day.
  v = parametric_var(book, four_days(), {.confidence = 0.99, .mean = MeanModel::kSample});
  EXPECT_NEAR(v.var, z99 * sigma - 25'000.0, 1e-6);
}

TEST(ParametricVar, ComponentsSumToTotalAndMatchHandValues) {
  const RiskBook book = two_asset_book();
  const VarContributions c = parametric_contributions(book, four_days(), {.confidence = 0.99});
  const double sigma = std::sqrt(1.346666666666667e8);
  const double z99 = 2.3263478740408408;
  // Sigma e = (6e5 x 5/3e-4 + 4e5 x 1e-4, 6e5 x 1e-4 + 4e5 x 5/3e-4) = (140, 126.667).
  EXPECT_NEAR(c.positions[0].marginal_var, z99 * 140.0 / sigma, 1e-12);
  EXPECT_NEAR(c.positions[1].marginal_var, z99 * (60.0 + 400.0 / 6.0) / sigma, 1e-12);
  EXPECT_NEAR(c.positions[0].component_var + c.positions[1].component_var, c.total_var, 1e-8);
  EXPECT_NEAR(c.total_var, z99 * sigma, 1e-6);
  // Incremental VaR of AAA: VaR(book) - VaR(BBB alone) = z (sigma - 4e5 sqrt(5/3e-4)).
  EXPECT_NEAR(c.positions[0].incremental_var, z99 * (sigma - 4e5 * std::sqrt(5.0 / 3.0 * 1e-4)), 1e-6);
}

TEST(HistoricalVar, ComponentsSumToTotalAndIncrementalIsWithVersusWithout) {
  const std::vector<Position> pos{stock("AAA", 3000), stock("BBB", -1000), stock("CCC", 2000)};
  const RiskBook book =
      build_risk_book(pos, spots({"AAA", "BBB", "CCC"}, {10.0, 20.0, 5.0}), d("2024-06-28"));
  std::vector<double> v;
  for (int t = 0; t < 40; ++t) {
    v.push_back(0.01 * std::sin(t * 1.3));
    v.push_back(0.02 * std::cos(t * 0.7));
    v.push_back(0.015 * std::sin(t * 2.1 + 0.4));
  }
  const ReturnMatrix r = returns_of({"AAA", "BBB", "CCC"}, v);
  const VarOptions o{.confidence = 0.95};
  const VarContributions c = historical_contributions(book, r, o);
  const VarResult total = historical_var(book, r, o);
  EXPECT_NEAR(c.total_var, total.var, 1e-9);
  double sum = 0;
  for (const auto& p : c.positions) sum += p.component_var;
  EXPECT_NEAR(sum, total.var, 1e-9);
  // Incremental VaR by definition: VaR with the position minus VaR of the book without it.
  const std::vector<Position> without{stock("AAA", 3000), stock("CCC", 2000)};
  const RiskBook wb =
      build_risk_book(without, spots({"AAA", "CCC"}, {10.0, 5.0}), d("2024-06-28"));
  std::vector<double> wv;
  for (int t = 0; t < 40; ++t) {
    wv.push_back(v[3 * t]);
    wv.push_back(v[3 * t + 2]);
  }
  const VarResult w = historical_var(wb, returns_of({"AAA", "CCC"}, wv), o);
  EXPECT_NEAR(c.positions[1].incremental_var, total.var - w.var, 1e-9);
}

// Three correlated assets for the Monte Carlo tests.
ReturnMatrix three_assets() {
  std::vector<double> v;
  for (int t = 0; t < 60; ++t) {
    const double m = 0.01 * std::sin(t * 0.9);
    v.push_back(m + 0.004 * std::cos(t * 1.7));
    v.push_back(0.5 * m + 0.006 * std::sin(t * 2.3 + 1.0));
    v.push_back(-0.3 * m + 0.008 * std::cos(t * 0.4 + 0.3));
  }
  return returns_of({"AAA", "BBB", "CCC"}, v);
}

RiskBook three_asset_book() {
  const std::vector<Position> pos{stock("AAA", 1000), stock("BBB", 500), stock("CCC", -300)};
  return build_risk_book(pos, spots({"AAA", "BBB", "CCC"}, {100.0, 80.0, 50.0}), d("2024-06-28"));
}

TEST(MonteCarloVar, NormalConvergesToParametricWithinItsStandardError) {
  const RiskBook book = three_asset_book();
  const ReturnMatrix r = three_assets();
  // Asymptotic standard error of a sample quantile: sqrt(q (1 - q) / n) / f(x_q), with the normal
  // density of the P&L at its 1% quantile f = phi(z) / sigma (e.g. Glasserman 2004, 9.1.2). At
  // n = 200,000 paths se = 0.0083 sigma (0.36% of the VaR): a 4-se band tests convergence to the
  // closed form at the 1.4% level, and the engine's own se estimate to 25%.
  constexpr std::size_t kPaths = 200'000;
  VarOptions o{.confidence = 0.99};
  o.monte_carlo.paths = kPaths;
  const VarResult p = parametric_var(book, r, o);
  const VarResult mc = monte_carlo_var(book, r, o);
  const double sigma = p.volatility;
  const double se = std::sqrt(0.01 * 0.99 / double(kPaths)) / (0.026652142203458 / sigma);
  EXPECT_LT(std::abs(mc.var - p.var), 4.0 * se) << "mc " << mc.var << " parametric " << p.var;
  ASSERT_TRUE(mc.std_error.has_value());
  EXPECT_NEAR(*mc.std_error, se, 0.25 * se);
  EXPECT_LT(std::abs(mc.es - p.es), 6.0 * se);
  EXPECT_EQ(mc.scenarios, kPaths);
}

TEST(MonteCarloVar, SameResultForAnyThreadCountAndSeed) {
  const RiskBook book = three_asset_book();
  const ReturnMatrix r = three_assets();
  VarOptions o{.confidence = 0.99};
  o.monte_carlo.paths = 20'000;
  o.monte_carlo.chunk_paths = 1000;
  o.monte_carlo.distribution = McDistribution::kStudentT;
  const VarResult many = monte_carlo_var(book, r, o);
  VarResult one;
  tbb::task_arena arena(1);
  arena.execute([&] { one = monte_carlo_var(book, r, o); });
  EXPECT_EQ(one.var, many.var);
  EXPECT_EQ(one.es, many.es);
  o.monte_carlo.chunk_paths = 777;  // a different split of paths into tasks
  EXPECT_EQ(monte_carlo_var(book, r, o).var, many.var);
  o.monte_carlo.seed = 2;
  EXPECT_NE(monte_carlo_var(book, r, o).var, many.var);
}

TEST(MonteCarloVar, StudentTIsHeavierThanNormalAndMatchesItsClosedForm) {
  const RiskBook book = three_asset_book();
  const ReturnMatrix r = three_assets();
  constexpr std::size_t kPaths = 200'000;
  VarOptions o{.confidence = 0.99};
  o.monte_carlo.paths = kPaths;
  const VarResult normal = monte_carlo_var(book, r, o);
  o.monte_carlo.distribution = McDistribution::kStudentT;
  o.monte_carlo.df = 5.0;
  const VarResult t = monte_carlo_var(book, r, o);
  EXPECT_GT(t.var, normal.var);
  EXPECT_GT(t.es, normal.es);
  // A linear book under the multivariate t scaled to covariance Sigma has P&L
  // sigma_p sqrt((nu - 2) / nu) T_nu: VaR = sigma_p x sqrt(3/5) x t_{0.99, 5}, t_{0.99, 5} = 3.364930
  // (Student-t tables), i.e. 2.60647 sigma_p against 2.32635 sigma_p for the normal.
  // Standard error of that quantile at n paths: sqrt(0.01 x 0.99 / n) / f, f the density of
  // sqrt(3/5) T_5 at it: f_T5(3.364930) / sqrt(3/5) = 0.0109110 / 0.774597 = 0.0140860, with
  // f_T5(t) = Gamma(3) / (sqrt(5 pi) Gamma(5/2)) (1 + t^2 / 5)^-3. At 200,000 paths se = 0.0158
  // sigma_p; the band is 4 se = 0.063 sigma_p, under a quarter of the t - normal gap (0.28 sigma_p).
  const double sigma = parametric_var(book, r, {.confidence = 0.99}).volatility;
  const double se = std::sqrt(0.01 * 0.99 / double(kPaths)) / 0.0140860;
  EXPECT_NEAR(t.var / sigma, std::sqrt(0.6) * 3.364929998907, 4.0 * se);
  // Variance is the same by construction. The sample sd's standard error is sqrt((kurtosis - 1) /
  // (4 n)) = sqrt(8 / 800,000) = 0.0032 of sigma (kurtosis of T_5: 9); 0.02 is 6 se.
  EXPECT_NEAR(t.volatility / sigma, 1.0, 0.02);
}

// A run's result from summaries of any split of its path values (as shards keep them, through
// their byte form) is bit for bit the result from every value, and equals the textbook formulas
// computed here on the whole sorted sample: numpy's linear quantile for VaR, the mean of every
// P&L at or below -VaR for ES (ties included), and the sample standard deviation from the exact
// integer sums, sqrt((n S2 - S1^2) / (n (n - 1))).
TEST(MonteCarloVar, SummariesOfAnySplitGiveTheWholeRunsResult) {
  const RiskBook book = three_asset_book();
  const ReturnMatrix r = three_assets();
  constexpr std::size_t kPaths = 5000;
  std::mt19937_64 rng(3);
  for (const double confidence : {0.99, 0.975, 0.999}) {
    for (const bool keep : {false, true}) {
      VarOptions o{.confidence = confidence};
      o.monte_carlo.paths = kPaths;
      o.keep_pnl = keep;
      const MonteCarloSimulation sim(book, r, o);
      // Coarse P&L with many ties: integers from -60 to 60 (the tail crosses runs of equal values),
      // with -0.0 among the zeros.
      std::vector<double> pnl(kPaths);
      for (double& x : pnl) x = static_cast<double>(static_cast<int>(rng() % 121) - 60);
      for (std::size_t i = 0; i < kPaths; i += 97) pnl[i] = -0.0;
      const VarResult whole = sim.finish(pnl);

      std::vector<double> sorted = pnl;
      std::sort(sorted.begin(), sorted.end());
      const double h = (kPaths - 1.0) * (1.0 - confidence);
      const auto lo = static_cast<std::size_t>(std::floor(h));
      const double q = sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
      double tail = 0.0;
      std::size_t count = 0;
      std::int64_t s1 = 0, s2 = 0;
      for (double x : sorted) {
        if (x <= q) tail += x, ++count;
        s1 += static_cast<std::int64_t>(x);
        s2 += static_cast<std::int64_t>(x * x);
      }
      const double n = kPaths;
      const double sd = std::sqrt(static_cast<double>(kPaths * s2 - s1 * s1) / (n * (n - 1.0)));
      EXPECT_EQ(whole.var, -q);
      EXPECT_DOUBLE_EQ(whole.es, -tail / static_cast<double>(count));  // integers: exact sums
      EXPECT_NEAR(whole.volatility, sd, 4e-15 * sd);
      EXPECT_EQ(whole.pnl.size(), keep ? kPaths : 0u);

      for (int split = 0; split < 4; ++split) {
        std::vector<double> shuffled = pnl;
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        std::vector<PathSummary> parts;
        for (std::size_t a = 0; a < kPaths;) {
          const std::size_t e = std::min(kPaths, a + 1 + rng() % 1500);
          std::vector<double> piece(shuffled.begin() + static_cast<std::ptrdiff_t>(a),
                                    shuffled.begin() + static_cast<std::ptrdiff_t>(e));
          parts.push_back(path_summary_from_bytes(path_summary_to_bytes(sim.summarize(piece))));
          a = e;
        }
        std::shuffle(parts.begin(), parts.end(), rng);
        const VarResult reduced = sim.finish(parts);
        for (const auto& [x, y] : {std::pair{reduced.var, whole.var}, {reduced.es, whole.es},
                                   {reduced.volatility, whole.volatility}, {*reduced.std_error, *whole.std_error}}) {
          EXPECT_EQ(std::memcmp(&x, &y, sizeof x), 0) << x << " vs " << y << " at " << confidence;
        }
        ASSERT_EQ(reduced.pnl.size(), whole.pnl.size());
        EXPECT_TRUE(std::equal(reduced.pnl.begin(), reduced.pnl.end(), whole.pnl.begin(), [](double x, double y) {
          return std::memcmp(&x, &y, sizeof x) == 0;
        }));
      }
      // A summary that drops values it must keep, or counts that do not add up, are refused.
      PathSummary short_part = sim.summarize(pnl);
      short_part.lowest.pop_back();
      EXPECT_THROW(sim.finish(std::vector<PathSummary>{short_part}), Error);
      PathSummary half = sim.summarize(std::span<double>(pnl.data(), kPaths / 2));
      EXPECT_THROW(sim.finish(std::vector<PathSummary>{half}), Error);
    }
  }
  EXPECT_THROW(path_summary_from_bytes("KPS1"), Error);
  {  // more ties left out than values not kept (here 2^64 - 1: a loop that would never end)
    VarOptions o{.confidence = 0.99};
    o.monte_carlo.paths = 100;
    const MonteCarloSimulation sim(book, r, o);
    std::vector<double> pnl(100, 1.0);
    std::string bytes = path_summary_to_bytes(sim.summarize(pnl));
    std::memset(bytes.data() + 12, 0xff, 8);  // ties_left_out, after "KPS1" and the count
    EXPECT_THROW(path_summary_from_bytes(bytes), Error);
  }
  EXPECT_THROW(path_summary_from_bytes(std::string(64, 'x')), Error);
}

TEST(MonteCarloVar, ContributionsSumToTheMonteCarloVar) {
  const RiskBook book = three_asset_book();
  const ReturnMatrix r = three_assets();
  VarOptions o{.confidence = 0.99};
  o.monte_carlo.paths = 10'000;
  const VarResult mc = monte_carlo_var(book, r, o);
  const VarContributions c = monte_carlo_contributions(book, r, o, mc.var);
  double sum = 0;
  for (const auto& p : c.positions) sum += p.component_var;
  EXPECT_NEAR(sum, mc.var, 1e-8);
}

TEST(MonteCarloVar, SingularCovarianceIsAnErrorOrRepairedWithAWarning) {
  // BBB is an exact copy of AAA: the covariance is singular.
  const std::vector<Position> pos{stock("AAA", 10), stock("BBB", 10)};
  const RiskBook book = build_risk_book(pos, spots({"AAA", "BBB"}, {10.0, 10.0}), d("2024-06-28"));
  const ReturnMatrix r = returns_of({"AAA", "BBB"}, {0.01, 0.01, -0.02, -0.02, 0.03, 0.03});
  VarOptions o{.confidence = 0.99, .repair_psd = false};
  o.monte_carlo.paths = 1000;
  EXPECT_THROW(monte_carlo_var(book, r, o), Error);
  o.repair_psd = true;
  const VarResult v = monte_carlo_var(book, r, o);
  ASSERT_EQ(v.warnings.size(), 1u);
  EXPECT_NE(v.warnings[0].find("not positive definite"), std::string::npos);
  EXPECT_GT(v.var, 0.0);
}

TEST(VarInputs, BadRequestsAreClearErrors) {
  const RiskBook book = two_asset_book();
  const ReturnMatrix r = four_days();
  auto message = [&](VarOptions o) {
    try {
      parametric_var(book, r, o);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({.confidence = 1.0}).find("confidence"), std::string::npos);
  EXPECT_NE(message({.confidence = 0.0}).find("confidence"), std::string::npos);
  EXPECT_NE(message({.confidence = -0.5}).find("confidence"), std::string::npos);
  EXPECT_NE(message({.horizon_days = 0}).find("horizon"), std::string::npos);
  EXPECT_NE(message({.horizon_days = -3}).find("horizon"), std::string::npos);
  VarOptions too_many{};
  too_many.monte_carlo.paths = kMaxMonteCarloPaths + 1;
  EXPECT_NE(message(too_many).find("capped"), std::string::npos);
  VarOptions bad_df{};
  bad_df.monte_carlo.distribution = McDistribution::kStudentT;
  bad_df.monte_carlo.df = 2.0;
  EXPECT_NE(message(bad_df).find("degrees of freedom"), std::string::npos);
  // Empty portfolio.
  EXPECT_THROW(build_risk_book({}, spots({"AAA"}, {1.0}), d("2024-06-28")), Error);
  // A position whose symbol has no price.
  const std::vector<Position> pos{stock("AAA", 1), stock("NOPE", 1)};
  try {
    build_risk_book(pos, spots({"AAA"}, {1.0}), d("2024-06-28"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    ASSERT_EQ(e.details().size(), 1u);
    EXPECT_NE(e.details()[0].find("no price for NOPE"), std::string::npos);
  }
  // Zero variance: every return zero.
  const ReturnMatrix flat = returns_of({"AAA", "BBB"}, {0, 0, 0, 0, 0, 0});
  EXPECT_THROW(parametric_var(book, flat, {}), Error);
}

// Black-Scholes-Merton call written out for the test (Hull, "Options, Futures and Other
// Derivatives", eq. 15.20): c = S N(d1) - K e^{-rT} N(d2).
double bs_call(double s, double k, double t, double vol, double rate) {
  const auto n = [](double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); };
  const double d1 = (std::log(s / k) + (rate + 0.5 * vol * vol) * t) / (vol * std::sqrt(t));
  const double d2 = d1 - vol * std::sqrt(t);
  return s * n(d1) - k * std::exp(-rate * t) * n(d2);
}

TEST(HistoricalVar, OptionsAreFullyRevalued) {
  Position call;
  call.symbol = "AAA240927C00100000";
  call.type = InstrumentType::kOption;
  call.underlying = "AAA";
  call.quantity = 10;
  call.multiplier = 100;
  call.strike = 100.0;
  call.expiry = d("2024-06-28").add_days(73);  // 0.2 years act/365
  call.option_type = OptionRight::kCall;
  call.implied_vol = 0.25;
  const std::vector<Position> pos{call};
  const RiskBook book =
      build_risk_book(pos, spots({"AAA"}, {100.0}), d("2024-06-28"), {.rate = 0.05});
  const double v0 = bs_call(100.0, 100.0, 0.2, 0.25, 0.05);
  EXPECT_NEAR(book.value[0], 1000.0 * v0, 1e-6);
  const ReturnMatrix r = returns_of({"AAA"}, kTen);
  // A long call's P&L rises with the return, so the 90% quantile sits between the -5% and -3%
  // scenarios exactly like the returns: h = 0.9.
  const double t1 = 0.2 - 1.0 / 252.0;
  const double p5 = 1000.0 * (bs_call(95.0, 100.0, t1, 0.25, 0.05) - v0);
  const double p3 = 1000.0 * (bs_call(97.0, 100.0, t1, 0.25, 0.05) - v0);
  const VarResult v = historical_var(book, r, {.confidence = 0.90});
  EXPECT_NEAR(v.var, -(p5 + 0.9 * (p3 - p5)), 1e-6);
  EXPECT_NEAR(v.es, -p5, 1e-6);
  // Parametric uses the delta exposure: 1000 x N(d1) x 100.
  const double d1 = (0.05 + 0.5 * 0.0625) * 0.2 / (0.25 * std::sqrt(0.2));
  EXPECT_NEAR(book.exposure[0], 1000.0 * 0.5 * std::erfc(-d1 / std::numbers::sqrt2) * 100.0, 1e-6);
}

TEST(TailRisk, EsIsTheMeanOfLossesAtOrBeyondVar) {
  std::vector<double> pnl{-4.0, -4.0, -1.0, 2.0, 3.0};
  // c = 0.75: h = 4 x 0.25 = 1 -> q = -4 exactly; both -4 losses count.
  const TailRisk t = tail_risk(pnl, 0.75);
  EXPECT_DOUBLE_EQ(t.var, 4.0);
  EXPECT_DOUBLE_EQ(t.es, 4.0);
  std::vector<double> empty;
  EXPECT_THROW(tail_risk(empty, 0.99), Error);
}

}  // namespace
}  // namespace keel::risk

namespace keel::risk {
namespace {

TEST(MonteCarloVar, NormalDrawsHaveNormalQuantilesIntoTheTail) {
  // One asset, exposure 1: the P&L is sigma x Z, so VaR at c is sigma x z_c (normal tables:
  // z = 1.281552, 2.326348, 3.090232, 3.719016). Checks the sampler's body and its tail beyond the
  // Ziggurat base strip (3.4426).
  const std::vector<Position> pos{stock("AAA", 1.0)};
  const RiskBook book = build_risk_book(pos, spots({"AAA"}, {1.0}), d("2024-06-28"));
  const ReturnMatrix r = returns_of({"AAA"}, {0.01, -0.01, 0.02, -0.02});
  const double sigma = std::sqrt((2 * 1e-4 + 2 * 4e-4) / 3.0);  // sample stdev, mean 0
  const std::pair<double, double> cases[] = {
      {0.90, 1.2815515655446004}, {0.99, 2.3263478740408408}, {0.999, 3.090232306167813},
      {0.9999, 3.7190164854556804}};
  // 500,000 paths put 50 draws beyond the 99.99% quantile: its se, sqrt(1e-4 x 0.9999 / n) /
  // phi(3.719) = 0.035 sigma (0.94% of z), is what the tail check needs; at 90% the same n gives
  // 0.0024 sigma. The band is 4 x the engine's own se estimate.
  for (const auto& [c, z] : cases) {
    VarOptions o{.confidence = c};
    o.monte_carlo.paths = 500'000;
    const VarResult v = monte_carlo_var(book, r, o);
    ASSERT_TRUE(v.std_error.has_value());
    EXPECT_LT(std::abs(v.var - sigma * z), 4.0 * *v.std_error) << "c " << c << " z " << v.var / sigma;
  }
}

}  // namespace
}  // namespace keel::risk
