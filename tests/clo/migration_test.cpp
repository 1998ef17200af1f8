// Rating and price marks, rating migration and obligor pair correlations, against hand
// calculations and the bivariate normal distribution (scipy).
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>

#include "keel/clo/migration.h"
#include "keel/clo/quality.h"
#include "keel/clo/simulation.h"
#include "keel/core/error.h"
#include "test_deal.h"

namespace keel::clo {
namespace {

Loan loan(const char* obligor, double par, MoodysRating r, double price) {
  Loan l;
  l.obligor = obligor;
  l.industry = std::string("Industry ") + obligor;
  l.par = par;
  l.price = price;
  l.spread = 0.035;
  l.rating = r;
  l.maturity = Date::from_ymd(2030, 1, 15);
  return l;
}

// Three loans (X, Y, Z), quarterly from 2025-01-15 to 2027-01-15; A 28m, equity 12m.
Deal three_loan_deal() {
  Deal d;
  d.name = "three loans";
  d.dates.closing = Date::from_ymd(2025, 1, 15);
  d.dates.first_payment = Date::from_ymd(2025, 4, 15);
  d.dates.reinvestment_end = d.dates.closing;
  d.dates.non_call_end = d.dates.closing;
  d.dates.legal_maturity = Date::from_ymd(2027, 1, 15);
  d.reference_dates = {d.dates.closing};
  d.reference_rates = {0.04};
  d.collateral = {loan("X", 10e6, MoodysRating::kB2, 0.98), loan("Y", 20e6, MoodysRating::kB1, 0.95),
                  loan("Z", 10e6, MoodysRating::kCaa1, 0.80)};
  Tranche a;
  a.name = "A";
  a.balance = 28e6;
  a.spread = 0.015;
  a.oc_trigger = 1.20;
  Tranche e;
  e.name = "Sub";
  e.is_equity = true;
  e.balance = 12e6;
  d.tranches = {a, e};
  return d;
}

const Date kJan = Date::from_ymd(2026, 1, 2);
const Date kApr = Date::from_ymd(2026, 4, 1);

std::vector<RatingMark> rating_marks() {
  return {{Date::from_ymd(2025, 12, 31), "X", MoodysRating::kB2}, {Date::from_ymd(2026, 3, 31), "X", MoodysRating::kCaa2},
          {Date::from_ymd(2026, 3, 31), "Nobody", MoodysRating::kB3}};
}
std::vector<PriceMark> price_marks() {
  return {{Date::from_ymd(2025, 12, 31), "X", 0.97}, {Date::from_ymd(2026, 3, 31), "X", 0.60}};
}

TEST(CloRatings, SAndPScaleMapsToTheMoodysNotch) {
  EXPECT_EQ(parse_rating_any_scale("BB-"), MoodysRating::kBa3);
  EXPECT_EQ(parse_rating_any_scale("CCC+"), MoodysRating::kCaa1);
  EXPECT_EQ(parse_rating_any_scale("B"), MoodysRating::kB2);
  EXPECT_EQ(parse_rating_any_scale("aaa"), MoodysRating::kAaa);
  EXPECT_EQ(parse_rating_any_scale("Caa3"), MoodysRating::kCaa3);
  EXPECT_EQ(parse_rating_any_scale("CC"), MoodysRating::kCa);
  EXPECT_FALSE(parse_rating_any_scale("D"));
  EXPECT_FALSE(parse_rating_any_scale("SD"));
}

TEST(CloMarks, TheLatestMarkOnOrBeforeTheDateApplies) {
  Deal d = three_loan_deal();
  auto pool = d.collateral;
  const auto early = apply_marks(pool, rating_marks(), price_marks(), Date::from_ymd(2025, 12, 30));
  EXPECT_EQ(early.loans_rated, 0);
  EXPECT_EQ(pool[0].rating, MoodysRating::kB2);
  EXPECT_DOUBLE_EQ(pool[0].price, 0.98);
  const auto jan = apply_marks(pool, rating_marks(), price_marks(), kJan);
  EXPECT_EQ(jan.loans_rated, 1);
  EXPECT_DOUBLE_EQ(pool[0].price, 0.97);
  const auto apr = apply_marks(pool, rating_marks(), price_marks(), kApr);
  EXPECT_EQ(pool[0].rating, MoodysRating::kCaa2);
  EXPECT_DOUBLE_EQ(pool[0].price, 0.60);
  ASSERT_EQ(apr.unknown_obligors.size(), 1u);
  EXPECT_EQ(apr.unknown_obligors[0], "Nobody");
}

TEST(CloMarks, ThreeLoanWarfCccExcessAndOcHaircutByHand) {
  // 2026-01-02: X B2 (2720) at 97, Y B1 (2220) at 95, Z Caa1 (4770) at 80.
  //   WARF = (10 x 2720 + 20 x 2220 + 10 x 4770) / 40 = 119,300 / 4 = 2,982.5
  //   CCC share = 10 / 40 = 25 %; excess over 7.5 % = 10 - 3 = 7m, from Z at 80: 7m x 0.20 = 1.4m.
  // 2026-04-01: X downgraded to Caa2 (6500) and marked at 60.
  //   WARF = (65,000 + 44,400 + 47,700) / 4 = 3,927.5; CCC share = 20 / 40 = 50 %;
  //   excess = 20 - 3 = 17m: all 10m of X at 60 (4m) then 7m of Z at 80 (1.4m): haircut 5.4m.
  Deal d = three_loan_deal();
  auto haircut = [](const std::vector<Loan>& pool) {
    std::vector<double> par, price;
    std::vector<char> caa;
    for (const Loan& l : pool) {
      par.push_back(l.par);
      price.push_back(l.price);
      caa.push_back(is_caa_or_below(l.rating));
    }
    const bool flags[3] = {caa[0] != 0, caa[1] != 0, caa[2] != 0};
    return ccc_haircut(par, price, flags, 0.075);
  };
  auto pool = d.collateral;
  apply_marks(pool, rating_marks(), price_marks(), kJan);
  QualityMetrics q = collateral_quality(pool, kJan);
  EXPECT_NEAR(q.warf, 2982.5, 1e-9);
  EXPECT_NEAR(q.ccc_share, 0.25, 1e-15);
  EXPECT_NEAR(haircut(pool), 1.4e6, 1e-6);
  pool = d.collateral;
  apply_marks(pool, rating_marks(), price_marks(), kApr);
  q = collateral_quality(pool, kApr);
  EXPECT_NEAR(q.warf, 3927.5, 1e-9);
  EXPECT_NEAR(q.ccc_share, 0.50, 1e-15);
  EXPECT_NEAR(haircut(pool), 5.4e6, 1e-6);

  // The projection of the marked pool: no defaults, no prepayments, no maturity before 2027, so
  // at the first determination date the OC numerator is 40m - 5.4m = 34.6m and the A OC ratio
  // 34.6 / 28 = 1.2357142857 (passes 1.20).
  d.collateral = pool;
  const CloModel model(d);
  const ProjectionResult r = model.project(Scenario{0.0, 0.0, 0.7, 6});
  EXPECT_NEAR(r.periods[0].ccc_haircut, 5.4e6, 1e-6);
  EXPECT_NEAR(r.periods[0].adjusted_collateral_par, 34.6e6, 1e-6);
  EXPECT_NEAR(r.periods[0].warf, 3927.5, 1e-9);
  EXPECT_NEAR(r.periods[0].ccc_share, 0.5, 1e-15);
  ASSERT_FALSE(r.periods[0].tests.empty());
  EXPECT_NEAR(r.periods[0].tests[0].value, 34.6 / 28.0, 1e-12);
}

MigrationMatrix two_state() {
  // B2 -> Caa1 10 % a year, Caa1 -> B2 20 % a year.
  return {{MoodysRating::kB2, MoodysRating::kCaa1}, {0.9, 0.1, 0.2, 0.8}};
}

TEST(CloMigration, TwoStateRootSquaresBackAndMatchesTheClosedForm) {
  // P = [[0.9, 0.1], [0.2, 0.8]] has eigenvalues 1 and 0.7 and stationary row (2/3, 1/3), so
  // P^t = Pi + 0.7^t (I - Pi): P^(1/2)[0][1] = (1 - sqrt(0.7)) / 3 = 0.0544466578...,
  // P^(1/2)[1][0] = 2 (1 - sqrt(0.7)) / 3; P^(1/4)[0][1] = (1 - 0.7^(1/4)) / 3 = 0.0284362602...
  // (scipy.linalg.fractional_matrix_power gives the same digits).
  const MigrationMatrix m = two_state();
  validate_migration(m);
  const auto h = migration_power(m, 0.5);
  EXPECT_NEAR(h[1], (1.0 - std::sqrt(0.7)) / 3.0, 1e-14);
  EXPECT_NEAR(h[1], 0.054446657821974775, 1e-14);
  EXPECT_NEAR(h[2], 2.0 * (1.0 - std::sqrt(0.7)) / 3.0, 1e-14);
  // Squared: P again.
  const double sq[4] = {h[0] * h[0] + h[1] * h[2], h[0] * h[1] + h[1] * h[3], h[2] * h[0] + h[3] * h[2],
                        h[2] * h[1] + h[3] * h[3]};
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(sq[k], m.probability[static_cast<std::size_t>(k)], 1e-13);
  const auto q = migration_power(m, 0.25);
  EXPECT_NEAR(q[1], (1.0 - std::pow(0.7, 0.25)) / 3.0, 1e-14);
  EXPECT_NEAR(q[0] + q[1], 1.0, 1e-15);
}

TEST(CloMigration, InvalidMatricesAreRefused) {
  MigrationMatrix m = two_state();
  m.probability = {0.9, 0.2, 0.2, 0.8};  // row B2 sums to 1.1
  EXPECT_THROW(validate_migration(m), Error);
  m.probability = {0.0, 1.0, 1.0, 0.0};  // eigenvalue -1: no real square root
  EXPECT_THROW(validate_migration(m), Error);
  m.probability = {1.1, -0.1, 0.2, 0.8};
  EXPECT_THROW(validate_migration(m), Error);
  m = two_state();
  m.states = {MoodysRating::kB2, MoodysRating::kB2};
  EXPECT_THROW(validate_migration(m), Error);
  // The pool's Caa1 and B1 loans are not states of a B2 / B3 matrix.
  MigrationMatrix other{{MoodysRating::kB2, MoodysRating::kB3}, {0.9, 0.1, 0.2, 0.8}};
  EXPECT_THROW(migration_states_of(other, three_loan_deal().collateral), Error);
}

Deal two_state_deal() {
  Deal d = three_loan_deal();
  d.collateral = {loan("X", 10e6, MoodysRating::kB2, 0.60), loan("Y", 20e6, MoodysRating::kB2, 0.95),
                  loan("Z", 10e6, MoodysRating::kCaa1, 0.80)};
  // Without migration the A OC ratio stays (40 - 1.4) / 28 = 1.3786; downgrades push it below.
  d.tranches[0].oc_trigger = 1.37;
  return d;
}

TEST(CloMigration, ExpectedPathFollowsThePeriodPowers) {
  // Quarterly periods: after t quarters a B2 loan is Caa1 with P^(t/4)[0][1] = (1 - 0.7^(t/4)) / 3
  // and a Caa1 loan with 1/3 + 2/3 0.7^(t/4); after a year exactly P's 0.1 and 0.8.
  const CloModel model(two_state_deal());
  const RatingPath p = expected_rating_path(two_state(), model.deal().collateral, model.period_months());
  ASSERT_EQ(p.caa.size(), 8u * 3u);
  for (int t = 0; t < 8; ++t) {
    const double k = std::pow(0.7, (t + 1) / 4.0);
    const auto row = static_cast<std::size_t>(t) * 3;
    EXPECT_NEAR(p.caa[row + 0], (1.0 - k) / 3.0, 1e-13) << t;
    EXPECT_NEAR(p.caa[row + 2], 1.0 / 3.0 + 2.0 / 3.0 * k, 1e-13) << t;
    EXPECT_NEAR(p.factor[row + 0], 2720 + (4770 - 2720) * (1.0 - k) / 3.0, 1e-9) << t;
  }
  EXPECT_NEAR(p.caa[3 * 3 + 0], 0.1, 1e-13);
  EXPECT_NEAR(p.caa[3 * 3 + 2], 0.8, 1e-13);

  // In the projection (no defaults, no prepayments) the CCC haircut follows the expected Caa par:
  // at the fourth payment date Caa par = 0.1 x 30m + 0.8 x 10m = 11m, excess 11 - 3 = 8m, taken
  // from X's Caa part at 60 (1m: 0.4m), then Z's at 80 (7m of 8m: 1.4m), Y's at 95 never reached:
  // 1.8m. Without migration: excess 10 - 3 = 7m of Z at 80 = 1.4m.
  const Scenario flat{0.0, 0.0, 0.7, 6};
  const ProjectionResult base = model.project(flat);
  const ProjectionResult migrated = model.project(flat, {}, {}, &p);
  EXPECT_NEAR(base.periods[3].ccc_haircut, 1.4e6, 1e-6);
  EXPECT_NEAR(migrated.periods[3].ccc_haircut, 1.8e6, 1e-6);
  EXPECT_NEAR(migrated.periods[3].ccc_share, 11.0 / 40.0, 1e-13);
  EXPECT_NEAR(migrated.periods[3].adjusted_collateral_par, 40e6 - 1.8e6, 1e-6);

  // The grid takes the same path.
  GridSpec g;
  g.cdr = {0.0};
  g.cpr = {0.0};
  g.recovery = {0.7};
  const auto plain = run_grid(model, g);
  g.migration = two_state();
  const auto with = run_grid(model, g);
  ProjectionOptions o;
  o.record_periods = false;
  EXPECT_EQ(with[0].tranches[1].irr, model.project(flat, o, {}, &p).tranches[1].irr);
  EXPECT_NE(with[0].tranches[1].irr, plain[0].tranches[1].irr);  // the OC cures move the equity's cash
  // Before the liquidation at legal maturity (sales at 60, 95 and 80 fail any OC test), only the
  // migrated run fails its A OC test and diverts interest.
  bool cured = false, base_cured = false;
  for (std::size_t t = 0; t + 1 < migrated.periods.size(); ++t) cured = cured || migrated.periods[t].interest_diverted > 0.0;
  for (std::size_t t = 0; t + 1 < base.periods.size(); ++t) base_cured = base_cured || base.periods[t].interest_diverted > 0.0;
  EXPECT_TRUE(cured);
  EXPECT_FALSE(base_cured);
}

TEST(CloMigration, MonteCarloSamplesEachObligorFromThePeriodMatrices) {
  // A year (four quarters) on: a B2 loan is Caa1 with probability 0.1, a Caa1 loan with 0.8.
  const CloModel model(two_state_deal());
  MonteCarloOptions o;
  o.base = Scenario{0.0, 0.0, 0.7, 6};
  o.migration = two_state();
  const int n = 20000;
  int b2_caa = 0, caa_caa = 0, first_quarter = 0;
  for (int s = 0; s < n; ++s) {
    const RatingPath p = draw_rating_path(model, o, s);
    b2_caa += p.caa[3 * 3 + 0] > 0.5;
    caa_caa += p.caa[3 * 3 + 2] > 0.5;
    first_quarter += p.caa[0] > 0.5;
  }
  // Binomial standard errors at n = 20,000: 0.0021 (p = 0.1), 0.0028 (p = 0.8), 0.0012 (p = 0.028).
  EXPECT_NEAR(b2_caa / double(n), 0.1, 4 * 0.0021);
  EXPECT_NEAR(caa_caa / double(n), 0.8, 4 * 0.0028);
  EXPECT_NEAR(first_quarter / double(n), (1.0 - std::pow(0.7, 0.25)) / 3.0, 4 * 0.0012);
}

// Share of scenarios in which obligors 0 and 1 both default, and obligor 0 defaults, within the
// first year (four quarterly periods).
std::pair<double, double> joint_first_year(const CloModel& model, const MonteCarloOptions& o, int n) {
  const std::size_t loans = model.deal().collateral.size();
  const auto all = draw_default_periods(model, o, 0, n);
  int both = 0, one = 0;
  for (int s = 0; s < n; ++s) {
    const int* p = all.data() + static_cast<std::size_t>(s) * loans;
    one += p[0] < 4;
    both += p[0] < 4 && p[1] < 4;
  }
  return {both / double(n), one / double(n)};
}

TEST(CloMonteCarlo, PairOverrideGivesTheBivariateNormalDefaultCorrelation) {
  // CDR 10 %: PD(1 year) = 0.1, threshold k = Phi^-1(0.1). With asset correlation 0.6 between
  // obligors 0 and 1 (override; base one factor 0), P(both) = Phi2(k, k; 0.6) = 0.0390174650
  // (scipy.stats.multivariate_normal([0, 0], [[1, .6], [.6, 1]]).cdf([k, k])), so the default
  // correlation is (0.0390174650 - 0.01) / 0.09 = 0.3224162783.
  const CloModel model(testing::realistic_deal(20));
  MonteCarloOptions o;
  o.base.cdr = 0.10;
  o.asset_correlation = 0.0;
  o.pair_correlation = {{"Obligor 0", "Obligor 1", 0.6}};
  const int n = 200000;
  const auto [both, one] = joint_first_year(model, o, n);
  // Binomial se: sqrt(0.039 x 0.961 / 2e5) = 0.00043, sqrt(0.09 / 2e5) = 0.00067.
  EXPECT_NEAR(one, 0.1, 4 * 0.00067);
  EXPECT_NEAR(both, 0.03901746504512904, 4 * 0.00043);
  EXPECT_NEAR((both - 0.01) / 0.09, 0.3224162782792115, 4 * 0.00043 / 0.09);
  // Obligors 0 and 2 keep the base model: independent, P(both) = 0.01.
  const std::size_t loans = model.deal().collateral.size();
  const auto all = draw_default_periods(model, o, 0, n);
  int both02 = 0;
  for (int s = 0; s < n; ++s) both02 += all[static_cast<std::size_t>(s) * loans] < 4 && all[static_cast<std::size_t>(s) * loans + 2] < 4;
  EXPECT_NEAR(both02 / double(n), 0.01, 4 * std::sqrt(0.01 * 0.99 / n));
}

TEST(CloMonteCarlo, PairOverridesOverIndustriesAndInvalidPairs) {
  // Over an industry matrix (0.3 within, 0 across): obligors 0 and 1 (industries 0 and 1) set to
  // 0.3: Phi2(k, k; 0.3) = 0.0216164804 (scipy, as above).
  const CloModel model(testing::realistic_deal(20));
  MonteCarloOptions o;
  o.base.cdr = 0.10;
  for (int k = 0; k < 20; ++k) o.industries.push_back("Industry " + std::to_string(k));
  o.industry_correlation.assign(20, std::vector<double>(20, 0.0));
  for (std::size_t k = 0; k < 20; ++k) o.industry_correlation[k][k] = 0.3;
  o.pair_correlation = {{"Obligor 0", "Obligor 1", 0.3}};
  const int n = 200000;
  const auto [both, one] = joint_first_year(model, o, n);
  EXPECT_NEAR(one, 0.1, 4 * 0.00067);
  EXPECT_NEAR(both, 0.021616480355787532, 4 * 0.00033);
  o.pair_correlation = {{"Obligor 0", "Nobody", 0.3}};
  EXPECT_THROW(draw_default_periods(model, o, 0, 1), Error);
  // Three obligors pairwise at -0.9 are not a correlation matrix.
  o.industry_correlation.clear();
  o.industries.clear();
  o.pair_correlation = {{"Obligor 0", "Obligor 1", -0.9}, {"Obligor 1", "Obligor 2", -0.9},
                        {"Obligor 0", "Obligor 2", -0.9}};
  EXPECT_THROW(draw_default_periods(model, o, 0, 1), Error);
}

TEST(CloMonteCarlo, MigrationAndPairsDoNotDependOnTheThreadCount) {
  Deal d = testing::realistic_deal(40);
  const CloModel model(d);
  MonteCarloOptions o;
  o.base.cdr = 0.04;
  o.scenarios = 300;
  o.pair_correlation = {{"Obligor 0", "Obligor 1", 0.8}, {"Obligor 2", "Obligor 3", 0.5}};
  // B1, B2, B3, Ba3, Caa1 (the pool's ratings) and Caa2, rows summing to 1.
  o.migration = MigrationMatrix{
      {MoodysRating::kBa3, MoodysRating::kB1, MoodysRating::kB2, MoodysRating::kB3, MoodysRating::kCaa1,
       MoodysRating::kCaa2},
      {0.80, 0.12, 0.05, 0.02, 0.01, 0.00,  //
       0.05, 0.78, 0.10, 0.04, 0.02, 0.01,  //
       0.02, 0.06, 0.76, 0.10, 0.04, 0.02,  //
       0.01, 0.03, 0.08, 0.74, 0.10, 0.04,  //
       0.00, 0.01, 0.04, 0.10, 0.70, 0.15,  //
       0.00, 0.00, 0.02, 0.05, 0.18, 0.75}};
  MonteCarloResult one, two;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = run_monte_carlo(model, o);
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    two = run_monte_carlo(model, o);
  }
  ASSERT_EQ(one.tranches.size(), two.tranches.size());
  for (std::size_t j = 0; j < one.tranches.size(); ++j) {
    EXPECT_EQ(one.tranches[j].loss_fractions, two.tranches[j].loss_fractions);
  }
  EXPECT_EQ(one.equity_irr_mean, two.equity_irr_mean);
  // Migration moves the CCC haircuts, hence the cash the equity gets.
  MonteCarloOptions still = o;
  still.migration.reset();
  EXPECT_NE(one.equity_irr_mean, run_monte_carlo(model, still).equity_irr_mean);
}

}  // namespace
}  // namespace keel::clo
