// Collateral quality tests on a small pool computed by hand, Moody's tables, and the CCC excess
// haircut both on its own and inside the OC numerator of a projection.
#include <gtest/gtest.h>

#include <vector>

#include "keel/clo/projection.h"
#include "keel/clo/quality.h"
#include "keel/clo/rating.h"
#include "keel/clo/trade.h"
#include "keel/core/error.h"

namespace keel::clo {
namespace {

Loan make(const char* obligor, const char* industry, double par_m, MoodysRating r, double spread, double price,
          int maturity_year) {
  Loan l;
  l.obligor = obligor;
  l.industry = industry;
  l.par = par_m * 1e6;
  l.rating = r;
  l.spread = spread;
  l.price = price;
  l.maturity = Date::from_ymd(maturity_year, 1, 1);
  return l;
}

std::vector<Loan> pool() {
  std::vector<Loan> p{make("O1", "Tech", 10, MoodysRating::kB2, 0.035, 0.99, 2026),
                      make("O2", "Tech", 5, MoodysRating::kB3, 0.040, 0.98, 2027),
                      make("O3", "Health", 10, MoodysRating::kCaa1, 0.050, 0.80, 2028),
                      make("O4", "Retail", 15, MoodysRating::kB1, 0.0, 1.00, 2026),
                      make("O5", "Health", 10, MoodysRating::kCaa2, 0.060, 0.60, 2027),
                      make("O6", "Retail", 5, MoodysRating::kCa, 0.050, 0.30, 2027)};
  p[3].coupon_type = CouponType::kFixed;
  p[3].coupon = 0.08;
  p[5].defaulted = true;  // excluded from every measure
  return p;
}

TEST(CloRating, MoodysFactorTable) {
  // Moody's CLO rating factor table (docs/clo.md).
  const std::vector<std::pair<const char*, double>> table{
      {"Aaa", 1},     {"Aa1", 10},    {"Aa2", 20},    {"Aa3", 40},    {"A1", 70},    {"A2", 120},   {"A3", 180},
      {"Baa1", 260},  {"Baa2", 360},  {"Baa3", 610},  {"Ba1", 940},   {"Ba2", 1350}, {"Ba3", 1766}, {"B1", 2220},
      {"B2", 2720},   {"B3", 3490},   {"Caa1", 4770}, {"Caa2", 6500}, {"Caa3", 8070}, {"Ca", 10000}, {"C", 10000}};
  for (const auto& [name, factor] : table) {
    const auto r = parse_moodys_rating(name);
    ASSERT_TRUE(r.has_value()) << name;
    EXPECT_EQ(rating_factor(*r), factor) << name;
    EXPECT_EQ(rating_name(*r), name);
  }
  EXPECT_TRUE(parse_moodys_rating("caa1").has_value());
  EXPECT_FALSE(parse_moodys_rating("BB-").has_value());
  EXPECT_FALSE(parse_moodys_rating("B4").has_value());
  EXPECT_TRUE(is_caa_or_below(MoodysRating::kCaa1));
  EXPECT_FALSE(is_caa_or_below(MoodysRating::kB3));
}

TEST(CloQuality, DiversityTable) {
  // Moody's industry diversity score table: 1 -> 1, 1.5 -> 1.25, 2 -> 1.5, 3 -> 2, 4 -> 2.3333,
  // 5 -> 2.6667, 6 -> 3, 7 -> 3.25, 10 -> 4, beyond 10 -> 4; unit scores round to 0.1.
  EXPECT_DOUBLE_EQ(industry_diversity_score(0.0), 0.0);
  EXPECT_DOUBLE_EQ(industry_diversity_score(0.26), 0.3);
  EXPECT_DOUBLE_EQ(industry_diversity_score(1.0), 1.0);
  EXPECT_DOUBLE_EQ(industry_diversity_score(1.5), 1.25);
  EXPECT_DOUBLE_EQ(industry_diversity_score(2.0), 1.5);
  EXPECT_DOUBLE_EQ(industry_diversity_score(3.0), 2.0);
  EXPECT_NEAR(industry_diversity_score(4.0), 2.3333, 1e-4);
  EXPECT_NEAR(industry_diversity_score(5.0), 2.6667, 1e-4);
  EXPECT_DOUBLE_EQ(industry_diversity_score(6.0), 3.0);
  EXPECT_DOUBLE_EQ(industry_diversity_score(7.0), 3.25);
  EXPECT_DOUBLE_EQ(industry_diversity_score(10.0), 4.0);
  EXPECT_DOUBLE_EQ(industry_diversity_score(12.0), 4.0);
  EXPECT_DOUBLE_EQ(industry_diversity_score(1.54), industry_diversity_score(1.5));
}

TEST(CloQuality, PoolByHand) {
  const auto p = pool();
  const QualityMetrics m = collateral_quality(p, Date::from_ymd(2025, 1, 1));
  EXPECT_DOUBLE_EQ(m.performing_par, 50e6);
  // WARF = (10*2720 + 5*3490 + 10*4770 + 15*2220 + 10*6500) / 50 = 190,650 / 50.
  EXPECT_NEAR(m.warf, 3813.0, 1e-9);
  // WAS over the 35m of floating loans: (10*3.5 + 5*4 + 10*5 + 10*6)% / 35.
  EXPECT_NEAR(m.was, 0.047142857142857, 1e-12);
  // WAL: 1, 2, 3, 1, 2 years (2025-01-01 to 2026/2027/2028-01-01 are 365, 730, 1095 days).
  EXPECT_NEAR(m.wal_years, 85.0 / 50.0, 1e-12);
  // Diversity: 5 obligors, average par 10m; units O1 1, O2 0.5, O3 1, O4 1 (capped), O5 1.
  // Tech 1.5 -> 1.25, Health 2 -> 1.5, Retail 1 -> 1: total 3.75.
  EXPECT_NEAR(m.diversity_score, 3.75, 1e-12);
  EXPECT_NEAR(m.ccc_share, 20.0 / 50.0, 1e-12);
  EXPECT_EQ(m.max_obligor, "O4");
  EXPECT_NEAR(m.max_obligor_share, 0.3, 1e-12);
  EXPECT_EQ(m.max_industry, "Health");
  EXPECT_NEAR(m.max_industry_share, 0.4, 1e-12);

  QualityLimits lim;
  lim.max_warf = 3000;
  lim.min_diversity = 3.0;
  lim.max_ccc_share = 0.075;
  const auto tests = quality_tests(m, lim);
  ASSERT_EQ(tests.size(), 3u);
  EXPECT_EQ(tests[0].name, "WARF");
  EXPECT_FALSE(tests[0].pass);
  EXPECT_EQ(tests[1].name, "Diversity");
  EXPECT_TRUE(tests[1].pass);
  EXPECT_FALSE(tests[2].pass);
}

TEST(CloQuality, RankSchedulesBucketsAndCaaExcessByHand) {
  auto p = pool();
  p[0].cov_lite = true;       // O1 10m
  p[1].lien = "second";       // O2 5m
  p[2].country = "GB";        // O3 10m, non-domestic
  p[4].country = "US";        // O5 domestic
  p[4].unfunded = 2.5e6;      // O5 a revolver: 10m + 2.5m in the bucket
  p[5].dip = true;            // O6 defaulted: outside every bucket
  QualityLimits lim;
  lim.obligor_limits = {0.25, 0.20};  // one obligor up to 25 %, every other up to 20 %
  lim.industry_limits = {0.35};
  lim.max_top_obligors_share = 0.70;
  lim.top_obligors_count = 3;
  lim.max_second_lien_share = 0.05;
  lim.max_revolver_share = 0.30;
  const QualityMetrics m = collateral_quality(p, Date::from_ymd(2025, 1, 1), lim);
  // Obligors by par: O4 15m (30 %), then O1, O3, O5 10m each (20 %, ties by name), O2 5m.
  ASSERT_EQ(m.obligors.size(), 5u);
  EXPECT_EQ(m.obligors[0].name, "O4");
  EXPECT_EQ(m.obligors[1].name, "O1");
  EXPECT_EQ(m.obligors[3].name, "O5");
  // Industries: Health 20m (40 %), Tech 15m, Retail 15m (ties by name: Retail, then Tech).
  EXPECT_EQ(m.industries[0].name, "Health");
  EXPECT_EQ(m.industries[1].name, "Retail");
  // Buckets over 50m: second lien 5m = 10 %, cov-lite 10m = 20 %, fixed rate (O4) 15m = 30 %,
  // non-domestic (O3, GB) 10m = 20 %, revolver 12.5m = 25 %, DIP none (O6 is defaulted).
  ASSERT_EQ(m.buckets.size(), 6u);
  EXPECT_NEAR(m.buckets[0].share, 0.10, 1e-12);
  EXPECT_NEAR(m.buckets[1].share, 0.20, 1e-12);
  EXPECT_NEAR(m.buckets[2].share, 0.30, 1e-12);
  EXPECT_NEAR(m.buckets[3].share, 0.20, 1e-12);
  EXPECT_NEAR(m.buckets[4].par, 12.5e6, 1e-6);
  EXPECT_EQ(m.buckets[5].loans, 0u);
  // Caa: O3 10m at 0.80 and O5 10m at 0.60 = 20m; excess 20m - 7.5 % x 50m = 16.25m; haircut
  // O5 10m x 0.40 + 6.25m of O3 x 0.20 = 5.25m (as CccHaircutLowestPricesFirst).
  EXPECT_NEAR(m.caa_excess_par, 16.25e6, 1e-6);
  EXPECT_NEAR(m.caa_haircut, 5.25e6, 1e-6);
  EXPECT_NEAR(m.unfunded, 2.5e6, 1e-9);

  const auto tests = quality_tests(m, lim);
  // Obligor rank 1 (O4) 30 % > 25 %, rank 2 (O1) 20 % <= 20 %; industry rank 1 40 % > 35 %;
  // top 3 = 70 % <= 70 %; second lien 10 % > 5 %; revolver 25 % <= 30 %.
  ASSERT_EQ(tests.size(), 6u);
  EXPECT_EQ(tests[0].name, "Obligor rank 1");
  EXPECT_EQ(tests[0].subject, "O4");
  EXPECT_FALSE(tests[0].pass);
  EXPECT_EQ(tests[1].subject, "O1");
  EXPECT_TRUE(tests[1].pass);
  EXPECT_EQ(tests[2].name, "Industry rank 1");
  EXPECT_FALSE(tests[2].pass);
  EXPECT_EQ(tests[3].name, "Top 3 obligors share");
  EXPECT_NEAR(tests[3].value, 0.70, 1e-12);
  EXPECT_TRUE(tests[3].pass);
  EXPECT_EQ(tests[4].name, "Second lien share");
  EXPECT_FALSE(tests[4].pass);
  EXPECT_EQ(tests[5].name, "Revolver share");
  EXPECT_TRUE(tests[5].pass);
}

TEST(CloQuality, RankScheduleGrowingWithRankTestsLaterRanks) {
  // A schedule whose last limit is below an earlier one: [0.10, 0.05] over shares 30 %, 20 %,
  // 20 %, 15 %, 15 %: ranks 3, 4 and 5 exceed the last limit and are tested too.
  std::vector<Loan> p{make("A", "x", 30, MoodysRating::kB2, 0.03, 1, 2027), make("B", "x", 20, MoodysRating::kB2, 0.03, 1, 2027),
                      make("C", "y", 20, MoodysRating::kB2, 0.03, 1, 2027), make("D", "y", 15, MoodysRating::kB2, 0.03, 1, 2027),
                      make("E", "z", 15, MoodysRating::kB2, 0.03, 1, 2027)};
  QualityLimits lim;
  lim.obligor_limits = {0.10, 0.05};
  const auto tests = quality_tests(collateral_quality(p, Date::from_ymd(2025, 1, 1), lim), lim);
  ASSERT_EQ(tests.size(), 5u);
  EXPECT_EQ(tests[4].name, "Obligor rank 5");
  EXPECT_EQ(tests[4].subject, "E");
  EXPECT_DOUBLE_EQ(tests[4].threshold, 0.05);
}

TEST(CloRating, DerivedRatingRules) {
  const auto B2 = MoodysRating::kB2, B3 = MoodysRating::kB3, Caa1 = MoodysRating::kCaa1, C = MoodysRating::kC;
  // S&P "B-" is the B3 notch; "CCC+" the Caa1 notch.
  ASSERT_EQ(parse_sp_rating("B-"), B3);
  ASSERT_EQ(parse_sp_rating("ccc+"), Caa1);
  EXPECT_FALSE(parse_sp_rating("B3").has_value());
  EXPECT_EQ(sp_rating_name(MoodysRating::kBa1), "BB+");
  // Moody's rule: Moody's when rated, else S&P one notch lower (C stays C).
  EXPECT_EQ(derived_rating(B2, Caa1, RatingRule::kMoodys), B2);
  EXPECT_EQ(derived_rating(std::nullopt, B2, RatingRule::kMoodys), B3);
  EXPECT_EQ(derived_rating(std::nullopt, C, RatingRule::kMoodys), C);
  // Lower of the two; one agency alone is used as it is.
  EXPECT_EQ(derived_rating(B2, Caa1, RatingRule::kLower), Caa1);
  EXPECT_EQ(derived_rating(std::nullopt, B2, RatingRule::kLower), B2);
  // Average: B2 and Caa1 are two notches apart -> B3; B2 and B3 one apart -> the lower, B3.
  EXPECT_EQ(derived_rating(B2, Caa1, RatingRule::kAverage), B3);
  EXPECT_EQ(derived_rating(B2, B3, RatingRule::kAverage), B3);
  EXPECT_FALSE(derived_rating(std::nullopt, std::nullopt, RatingRule::kLower).has_value());
}

TEST(CloQuality, CccHaircutLowestPricesFirst) {
  // Performing 50m, Caa 20m; 7.5% allowance 3.75m; excess 16.25m taken from O5 (price 0.60,
  // 10m: 4m haircut) then O3 (price 0.80, 6.25m: 1.25m haircut) = 5.25m.
  const std::vector<double> par{10e6, 5e6, 10e6, 15e6, 10e6};
  const std::vector<double> price{0.99, 0.98, 0.80, 1.00, 0.60};
  const bool caa[] = {false, false, true, false, true};
  EXPECT_NEAR(ccc_haircut(par, price, caa, 0.075), 5.25e6, 1e-6);
  EXPECT_NEAR(ccc_haircut(par, price, caa, 0.50), 0.0, 1e-9);  // 20m under 25m allowed
}

TEST(CloTrade, TicketCashAndParByHand) {
  const auto p = pool();  // O1 10m, O2 5m, O3 10m, O4 15m, O5 10m, O6 5m (defaulted)
  std::vector<Trade> ticket(4);
  ticket[0].action = TradeAction::kSell;  // O3 whole at 0.80: +8m
  ticket[0].asset = "O3";
  ticket[0].price = 0.80;
  ticket[1].action = TradeAction::kDownsize;  // 5m of O4 at 1.01: +5.05m
  ticket[1].asset = "O4";
  ticket[1].par = 5e6;
  ticket[1].price = 1.01;
  ticket[2].action = TradeAction::kBuy;  // 12m of N1 at 0.995: -11.94m
  ticket[2].loan = make("N1", "Media", 0, MoodysRating::kB1, 0.0375, 1.0, 2030);
  ticket[2].loan.asset_id = "LXN1";
  ticket[2].par = 12e6;
  ticket[2].price = 0.995;
  ticket[3].action = TradeAction::kUpsize;  // 1m more of the loan just bought at par: -1m
  ticket[3].asset = "LXN1";
  ticket[3].par = 1e6;
  ticket[3].price = 1.0;
  const TradeOutcome out = apply_trades(p, ticket);
  EXPECT_NEAR(out.proceeds, 8e6 + 5.05e6, 1e-6);
  EXPECT_NEAR(out.cost, 11.94e6 + 1e6, 1e-6);
  EXPECT_NEAR(out.net_cash(), 0.11e6, 1e-6);
  EXPECT_NEAR(out.par_sold, 15e6, 1e-6);
  EXPECT_NEAR(out.par_bought, 13e6, 1e-6);
  ASSERT_EQ(out.pool.size(), 6u);  // O3 gone, N1 joined
  EXPECT_EQ(out.pool[2].obligor, "O4");
  EXPECT_NEAR(out.pool[2].par, 10e6, 1e-6);
  EXPECT_EQ(out.pool[5].obligor, "N1");
  EXPECT_NEAR(out.pool[5].par, 13e6, 1e-6);
  EXPECT_DOUBLE_EQ(out.pool[5].price, 0.995);  // marked at its purchase price

  std::vector<Trade> bad(2);
  bad[0].action = TradeAction::kSell;
  bad[0].asset = "O9";
  bad[0].where = "t.csv:2";
  bad[1].action = TradeAction::kDownsize;
  bad[1].asset = "O2";
  bad[1].par = 5e6;  // the whole loan: a downsize must leave par
  bad[1].where = "t.csv:3";
  try {
    apply_trades(p, bad);
    FAIL() << "expected the ticket to be refused";
  } catch (const Error& e) {
    ASSERT_EQ(e.details().size(), 2u);
    EXPECT_EQ(e.details()[0], "t.csv:2: no loan with asset id or obligor 'O9' in the pool");
    EXPECT_EQ(e.details()[1], "t.csv:3: a downsize must leave par in the loan: sell it instead");
  }
}

TEST(CloQuality, CccHaircutInOcNumerator) {
  // The worked deal of waterfall_hand_test.cpp with L2 (30m, price 0.95) rated Caa2: excess
  // 30m - 7.5% x 100m = 22.5m carried at 0.95 -> haircut 1.125m; A OC = 98.875m / 70m.
  Deal d;
  d.dates.closing = Date::from_ymd(2025, 1, 15);
  d.dates.first_payment = Date::from_ymd(2025, 4, 15);
  d.dates.reinvestment_end = d.dates.closing;
  d.dates.legal_maturity = Date::from_ymd(2026, 1, 15);
  d.reference_dates = {d.dates.closing};
  d.reference_rates = {0.05};
  d.collateral = {make("L1", "a", 40, MoodysRating::kB2, 0.04, 0.99, 2030),
                  make("L2", "b", 30, MoodysRating::kCaa2, 0.045, 0.95, 2030),
                  make("L3", "c", 30, MoodysRating::kB1, 0.05, 0.97, 2030)};
  Tranche a;
  a.name = "A";
  a.balance = 70e6;
  a.spread = 0.015;
  a.oc_trigger = 1.175;
  Tranche e;
  e.name = "Sub";
  e.balance = 30e6;
  e.is_equity = true;
  d.tranches = {a, e};
  const CloModel model(std::move(d));
  const auto r = model.project(Scenario{0, 0, 0.4, 6});
  EXPECT_NEAR(r.periods[0].ccc_haircut, 1.125e6, 1e-6);
  EXPECT_NEAR(r.periods[0].adjusted_collateral_par, 98.875e6, 1e-6);
  EXPECT_NEAR(r.periods[0].tests[0].value, 98.875 / 70.0, 1e-12);
}

}  // namespace
}  // namespace keel::clo
