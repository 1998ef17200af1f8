// Shock curves of BCBS 368 Annex 2 at the 19 bucket midpoints, checked against the formulas
// evaluated by hand (the expected numbers below are written out, not taken from the engine).
#include "keel/alm/shocks.h"

#include <gtest/gtest.h>

#include <cmath>

namespace keel::alm {
namespace {

const ShockSizes kUsd{"USD", 200, 300, 150};

TEST(Shocks, MidpointsAreTheBcbsTable) {
  // BCBS 368 Annex 2 Table 2, "Tk" midpoints.
  const double expected[kBucketCount] = {0.0028, 0.0417, 0.1667, 0.375, 0.625, 0.875, 1.25,
                                         1.75,   2.5,    3.5,    4.5,   5.5,   6.5,   7.5,
                                         8.5,    9.5,    12.5,   17.5,  25.0};
  for (std::size_t i = 0; i < kBucketCount; ++i) EXPECT_DOUBLE_EQ(time_buckets()[i].midpoint_years, expected[i]);
  EXPECT_EQ(time_buckets()[0].name, "O/N");
  EXPECT_EQ(time_buckets()[18].name, ">20Y");
}

TEST(Shocks, UsdShortUpAtMidpointsByHand) {
  // short(t) = 300 * exp(-t/4). By hand: t=0.0028 -> 300*exp(-0.0007) = 299.790;
  // t=1.25 -> 300*exp(-0.3125) = 219.5; t=25 -> 300*exp(-6.25) = 300*0.00193045 = 0.579136.
  const Scenario s = supervisory_scenario(ShockKind::kShortUp, kUsd);
  EXPECT_NEAR(shock_bp(s, 0.0028), 299.790, 1e-3);
  EXPECT_NEAR(shock_bp(s, 1.25), 219.5, 0.1);
  EXPECT_NEAR(shock_bp(s, 25.0), 0.579136, 1e-5);
  const Scenario d = supervisory_scenario(ShockKind::kShortDown, kUsd);
  EXPECT_NEAR(shock_bp(d, 1.25), -219.5, 0.1);
}

TEST(Shocks, UsdSteepenerAndFlattenerAtAllMidpoints) {
  const Scenario steep = supervisory_scenario(ShockKind::kSteepener, kUsd);
  const Scenario flat = supervisory_scenario(ShockKind::kFlattener, kUsd);
  for (const TimeBucket& b : time_buckets()) {
    const double t = b.midpoint_years;
    const double e = std::exp(-t / 4.0);
    const double s_bp = 300.0 * e;
    const double l_bp = 150.0 * (1.0 - e);
    EXPECT_NEAR(shock_bp(steep, t), -0.65 * s_bp + 0.9 * l_bp, 1e-9) << b.name;
    EXPECT_NEAR(shock_bp(flat, t), 0.8 * s_bp - 0.6 * l_bp, 1e-9) << b.name;
  }
  // Hand values at t = 5.5: exp(-1.375) = 0.252840; short 75.852, long 112.074.
  // steepener = -49.304 + 100.867 = 51.563; flattener = 60.682 - 67.244 = -6.563.
  EXPECT_NEAR(shock_bp(steep, 5.5), 51.563, 2e-3);
  EXPECT_NEAR(shock_bp(flat, 5.5), -6.563, 2e-3);
  // At 25Y the long component dominates: exp(-6.25) = 0.0019305;
  // steepener = -0.65*0.5792 + 0.9*149.7104 = 134.363.
  EXPECT_NEAR(shock_bp(steep, 25.0), 134.363, 2e-3);
}

TEST(Shocks, ParallelIsFlat) {
  const Scenario up = supervisory_scenario(ShockKind::kParallelUp, ShockSizes{"EUR", 200, 250, 100});
  const Scenario down = supervisory_scenario(ShockKind::kParallelDown, ShockSizes{"EUR", 200, 250, 100});
  for (const TimeBucket& b : time_buckets()) {
    EXPECT_DOUBLE_EQ(shock_bp(up, b.midpoint_years), 200.0);
    EXPECT_DOUBLE_EQ(shock_bp(down, b.midpoint_years), -200.0);
  }
}

TEST(Shocks, PostShockFloorRisesThreeBpAYear) {
  EXPECT_DOUBLE_EQ(post_shock_floor(0.0), -0.015);
  EXPECT_NEAR(post_shock_floor(10.0), -0.012, 1e-15);
  EXPECT_NEAR(post_shock_floor(50.0), 0.0, 1e-15);
  EXPECT_DOUBLE_EQ(post_shock_floor(60.0), 0.0);
}

TEST(Shocks, FloorBindsInALowRateCurve) {
  // Base zero 0.5% at 2Y, parallel down 200bp -> -1.5%; floor at 2Y = -1.5% + 0.06% = -1.44%.
  const Scenario down = supervisory_scenario(ShockKind::kParallelDown, kUsd);
  EXPECT_NEAR(shocked_zero(down, 0.005, 2.0), -0.0144, 1e-12);
  // An observed rate already below the floor stays: -2% at 1Y, floor -1.47% -> -2% (not -4%).
  EXPECT_NEAR(shocked_zero(down, -0.02, 1.0), -0.02, 1e-12);
  // Not binding when rates are high: 4% - 2% = 2%.
  EXPECT_NEAR(shocked_zero(down, 0.04, 1.0), 0.02, 1e-12);
  // Without the floor the shock applies in full.
  Scenario nofloor = down;
  nofloor.apply_floor = false;
  EXPECT_NEAR(shocked_zero(nofloor, 0.005, 2.0), -0.015, 1e-12);
}

TEST(Shocks, CustomScenarioInterpolatesLinearly) {
  Scenario s;
  s.name = "twist";
  s.kind = ShockKind::kCustom;
  s.custom_years = {1.0, 10.0};
  s.custom_bp = {100.0, -50.0};
  EXPECT_DOUBLE_EQ(shock_bp(s, 0.5), 100.0);
  EXPECT_DOUBLE_EQ(shock_bp(s, 5.5), 25.0);
  EXPECT_DOUBLE_EQ(shock_bp(s, 30.0), -50.0);
}

TEST(Shocks, BucketOfDays) {
  EXPECT_EQ(bucket_of_days(1), 0u);    // overnight
  EXPECT_EQ(bucket_of_days(2), 1u);    // up to 1M
  EXPECT_EQ(bucket_of_days(30), 1u);
  EXPECT_EQ(bucket_of_days(32), 2u);   // 1M-3M
  EXPECT_EQ(bucket_of_days(365), 5u);  // 9M-1Y (t = 1.0 inclusive)
  EXPECT_EQ(bucket_of_days(366), 6u);
  EXPECT_EQ(bucket_of_days(365 * 30), 18u);
}

TEST(Shocks, EmbeddedTableHasTheAnnexSizes) {
  const std::string_view csv = embedded_shock_table_csv();
  EXPECT_NE(csv.find("USD,200,300,150"), std::string_view::npos);
  EXPECT_NE(csv.find("EUR,200,250,100"), std::string_view::npos);
  EXPECT_NE(csv.find("GBP,250,300,150"), std::string_view::npos);
  EXPECT_NE(csv.find("JPY,100,100,100"), std::string_view::npos);
  EXPECT_NE(csv.find("CHF,100,150,100"), std::string_view::npos);
}

}  // namespace
}  // namespace keel::alm
