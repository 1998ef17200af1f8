// Par-curve bootstrap and zero-curve interpolation.
#include "keel/portfolio/curve.h"

#include <gtest/gtest.h>

#include <cmath>

#include "keel/core/error.h"

namespace keel {
namespace {

CurveData par_curve(std::vector<std::pair<double, double>> pts) {
  CurveData c;
  c.name = "test";
  c.kind = CurveKind::kPar;
  for (auto [y, r] : pts) c.points.push_back(CurvePoint{std::to_string(y) + "Y", y, r});
  return c;
}

TEST(Curve, FlatParCurveGivesFlatZeroOfClosedForm) {
  // A flat 5% semi-annual par curve is a flat 5% semi-annual zero curve: the continuous zero
  // rate is 2 ln(1.025) = 0.0493852 at every maturity (Hull, ch. 4).
  const ZeroCurve z = bootstrap_par(par_curve({{0.25, 0.05}, {1, 0.05}, {2, 0.05}, {5, 0.05}, {10, 0.05}, {30, 0.05}}));
  const double expected = 2.0 * std::log(1.025);
  for (double t : {0.25, 0.5, 1.0, 3.0, 7.5, 10.0, 20.0, 30.0}) EXPECT_NEAR(z.zero(t), expected, 1e-12) << t;
}

TEST(Curve, BootstrappedCurveRepricesEveryParBondAtPar) {
  // US Treasury par yields of 2020-12-31 (../shared/data/rates), percent -> decimal.
  const ZeroCurve z = bootstrap_par(par_curve({{1.0 / 12, 0.0008}, {2.0 / 12, 0.0008}, {0.25, 0.0009},
                                               {0.5, 0.0009}, {1, 0.0010}, {2, 0.0013}, {3, 0.0017},
                                               {5, 0.0036}, {7, 0.0065}, {10, 0.0093}, {20, 0.0145},
                                               {30, 0.0165}}));
  for (auto [maturity, y] : std::vector<std::pair<double, double>>{
           {0.5, 0.0009}, {1, 0.0010}, {2, 0.0013}, {5, 0.0036}, {10, 0.0093}, {20, 0.0145}, {30, 0.0165}}) {
    double price = 0.0;
    for (double t = 0.5; t <= maturity + 1e-9; t += 0.5) price += y / 2.0 * z.discount(t);
    price += z.discount(maturity);
    EXPECT_NEAR(price, 1.0, 1e-12) << maturity;
  }
  // A bill: DF(1M) = (1 + 0.0008/2)^(-2/12) by hand -> zero = -ln(DF) * 12.
  EXPECT_NEAR(z.zero(1.0 / 12), 2.0 * std::log(1.0004), 1e-12);
}

TEST(Curve, LinearInZeroRateFlatOutside) {
  const ZeroCurve z({1.0, 2.0}, {0.01, 0.03});
  EXPECT_DOUBLE_EQ(z.zero(0.5), 0.01);
  EXPECT_DOUBLE_EQ(z.zero(1.5), 0.02);
  EXPECT_DOUBLE_EQ(z.zero(3.0), 0.03);
  EXPECT_NEAR(z.discount(1.5), std::exp(-0.03), 1e-15);
}

TEST(Curve, BadCurvesAreRejectedWithTheTenor) {
  CurveData c = par_curve({{1, 0.01}, {1, 0.02}});
  try {
    (void)to_zero_curve(c);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    ASSERT_FALSE(e.details().empty());
    EXPECT_NE(e.details()[0].find("strictly ascending"), std::string::npos);
  }
  EXPECT_THROW((void)to_zero_curve(CurveData{}), Error);
}

TEST(Curve, ThreePointParCurveBootstrappedByHand) {
  // Par yields (bond-equivalent, semi-annual coupons): 6M 2%, 1Y 3%, 2Y 4%. By hand:
  //   DF(0.5) = 1 / (1 + 0.02/2)                                  = 1 / 1.01        = 0.990099009901
  //   DF(1.0) = (1 - 0.03/2 x DF(0.5)) / (1 + 0.03/2)             = 0.985148514851 / 1.015
  //                                                               = 0.970589669804
  //   1.5Y is not quoted: its par yield is interpolated, (3% + 4%) / 2 = 3.5%:
  //   DF(1.5) = (1 - 0.035/2 x (DF(0.5) + DF(1.0))) / (1 + 0.035/2) = 0.949079064477
  //   DF(2.0) = (1 - 0.04/2 x (DF(0.5) + DF(1.0) + DF(1.5))) / (1 + 0.04/2) = 0.923337887369
  //   zero z(T) = -ln DF(T) / T: 0.0199006617063, 0.0298514851705, 0.0348421135861, 0.0398800181562.
  const ZeroCurve z = bootstrap_par(par_curve({{0.5, 0.02}, {1.0, 0.03}, {2.0, 0.04}}));
  ASSERT_EQ(z.years(), (std::vector<double>{0.5, 1.0, 1.5, 2.0}));
  EXPECT_NEAR(z.discount(0.5), 0.990099009901, 1e-12);
  EXPECT_NEAR(z.discount(1.0), 0.970589669804, 1e-12);
  EXPECT_NEAR(z.discount(1.5), 0.949079064477, 1e-12);
  EXPECT_NEAR(z.discount(2.0), 0.923337887369, 1e-12);
  EXPECT_NEAR(z.zero(0.5), 0.0199006617063, 1e-12);
  EXPECT_NEAR(z.zero(1.0), 0.0298514851705, 1e-12);
  EXPECT_NEAR(z.zero(1.5), 0.0348421135861, 1e-12);
  EXPECT_NEAR(z.zero(2.0), 0.0398800181562, 1e-12);
  // Between pillars the zero rate is linear: z(1.25) = (z(1.0) + z(1.5)) / 2 = 0.0323467993783.
  EXPECT_NEAR(z.zero(1.25), 0.0323467993783, 1e-12);
  // Before the first pillar and after the last, flat.
  EXPECT_NEAR(z.zero(0.1), 0.0199006617063, 1e-12);
  EXPECT_NEAR(z.zero(5.0), 0.0398800181562, 1e-12);
  // Read as zero rates instead, the same quotes are used as they are.
  CurveData zero = par_curve({{0.5, 0.02}, {1.0, 0.03}, {2.0, 0.04}});
  zero.kind = CurveKind::kZero;
  EXPECT_DOUBLE_EQ(to_zero_curve(zero).zero(1.5), 0.035);
}

}  // namespace
}  // namespace keel
