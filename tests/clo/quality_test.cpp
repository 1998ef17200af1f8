// Collateral quality tests on a small pool computed by hand, Moody's tables, and the CCC excess
// haircut both on its own and inside the OC numerator of a projection.
#include <gtest/gtest.h>

#include <vector>

#include "keel/clo/projection.h"
#include "keel/clo/quality.h"
#include "keel/clo/rating.h"

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

TEST(CloQuality, CccHaircutLowestPricesFirst) {
  // Performing 50m, Caa 20m; 7.5% allowance 3.75m; excess 16.25m taken from O5 (price 0.60,
  // 10m: 4m haircut) then O3 (price 0.80, 6.25m: 1.25m haircut) = 5.25m.
  const std::vector<double> par{10e6, 5e6, 10e6, 15e6, 10e6};
  const std::vector<double> price{0.99, 0.98, 0.80, 1.00, 0.60};
  const bool caa[] = {false, false, true, false, true};
  EXPECT_NEAR(ccc_haircut(par, price, caa, 0.075), 5.25e6, 1e-6);
  EXPECT_NEAR(ccc_haircut(par, price, caa, 0.50), 0.0, 1e-9);  // 20m under 25m allowed
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
