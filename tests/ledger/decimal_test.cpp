#include "keel/ledger/decimal.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"

namespace keel::ledger {
namespace {

Decimal D(const char* s) { return Decimal::parse(s).value(); }

TEST(Decimal, ParsesExactlyAndPrintsShortest) {
  EXPECT_EQ(D("12.5").raw(), 1'250'000'000);
  EXPECT_EQ(D("-0.00000001").raw(), -1);
  EXPECT_EQ(D(".5").raw(), 50'000'000);
  EXPECT_EQ(D("+3").to_string(), "3");
  EXPECT_EQ(D("1234.50").to_string(), "1234.5");
  EXPECT_EQ(D("-0.000").to_string(), "0");
  EXPECT_EQ(D("0.1000000000").to_string(), "0.1");  // extra zero digits are still exact
  EXPECT_EQ(D("1234.5").to_string(2), "1234.50");
}

TEST(Decimal, RejectsInexactOrMalformedText) {
  EXPECT_FALSE(Decimal::parse("0.123456789"));  // 9 significant decimals: not representable
  EXPECT_FALSE(Decimal::parse("1e3"));
  EXPECT_FALSE(Decimal::parse("1,234.00"));
  EXPECT_FALSE(Decimal::parse(""));
  EXPECT_FALSE(Decimal::parse("-"));
  EXPECT_FALSE(Decimal::parse("1.2.3"));
  EXPECT_FALSE(Decimal::parse("99999999999999"));  // beyond 92 billion
  EXPECT_THROW(Decimal::parse_or_throw("abc", "price"), Error);
}

TEST(Decimal, ParsesUpToTheLargestUnitCountExactly) {
  // The raw value is the number in units of 1e-8: 92233720368.54775807 is 2^63 - 1 units, the
  // largest; one unit more is out of range. Both keep 19 digits (past the 18 that fit 64 bits
  // unchecked), as do the leading zeros below.
  EXPECT_EQ(D("92233720368.54775807").raw(), INT64_MAX);
  EXPECT_EQ(D("-92233720368.54775807").raw(), -INT64_MAX);
  EXPECT_FALSE(Decimal::parse("92233720368.54775808"));
  EXPECT_FALSE(Decimal::parse("92233720369"));
  EXPECT_EQ(D("000000000000000000000000012.5").raw(), 1'250'000'000);
  EXPECT_EQ(D("9999999999.99999999").raw(), 999'999'999'999'999'999);  // 18 digits: the 64-bit path
  EXPECT_EQ(D("10000000000.00000000").raw(), 1'000'000'000'000'000'000);  // 19 digits
}

TEST(Decimal, AdditionIsExactWhereBinaryFloatingPointIsNot) {
  // 0.1 + 0.2 == 0.3 exactly (in double it is 0.30000000000000004).
  EXPECT_EQ(D("0.1") + D("0.2"), D("0.3"));
  Decimal sum;
  for (int i = 0; i < 1000; ++i) sum += D("0.01");
  EXPECT_EQ(sum, D("10"));
  EXPECT_THROW(Decimal::from_raw(INT64_MAX) + D("0.00000001"), Error);
}

TEST(Decimal, RoundingModesAtTheCent) {
  // Hand-worked: 2.345 -> 2.35 half up, 2.34 half even (4 is even), 2.34 down.
  EXPECT_EQ(D("2.345").round(2, Rounding::kHalfUp), D("2.35"));
  EXPECT_EQ(D("2.345").round(2, Rounding::kHalfEven), D("2.34"));
  EXPECT_EQ(D("2.355").round(2, Rounding::kHalfEven), D("2.36"));
  EXPECT_EQ(D("2.349").round(2, Rounding::kDown), D("2.34"));
  // Negative ties go away from zero under half-up.
  EXPECT_EQ(D("-2.345").round(2, Rounding::kHalfUp), D("-2.35"));
}

TEST(Decimal, TradeAmountRoundsOnceToTheCent) {
  // 33 shares x 10.005 = 330.165 -> 330.17 (half up, as on a broker confirmation).
  EXPECT_EQ(trade_amount(D("33"), D("10.005")), D("330.17"));
  // 0.12345678 share x 1234.5678 = 152.41578... -> 152.42 (product computed exactly first).
  EXPECT_EQ(trade_amount(D("0.12345678"), D("1234.5678")), D("152.42"));
  EXPECT_EQ(multiply(D("1.5"), D("1.5"), 8, Rounding::kHalfEven), D("2.25"));
}

TEST(Decimal, MulDivIsExactWhenRepresentable) {
  // 1005 x 70 / 100 = 703.5 exactly; 1000 / 3 = 333.33 at the cent.
  EXPECT_EQ(mul_div(D("1005"), D("70"), D("100"), 2, Rounding::kHalfUp), D("703.5"));
  EXPECT_EQ(mul_div(D("1000"), D("1"), D("3"), 2, Rounding::kHalfUp), D("333.33"));
  EXPECT_EQ(mul_div(D("100"), D("1"), D("3"), 8, Rounding::kHalfEven), D("33.33333333"));
  EXPECT_EQ(mul_div(D("-10"), D("1"), D("4"), 1, Rounding::kHalfUp), D("-2.5"));
  EXPECT_THROW(mul_div(D("1"), D("1"), D("0"), 2, Rounding::kHalfUp), Error);
}

TEST(Decimal, ShareCentsRoundsHalfAwayFromZeroAtTheCent) {
  // 100 x 1/3 = 33.333.. -> 33.33; 100 x 2/3 = 66.666.. -> 66.67; the signs mirror.
  EXPECT_EQ(share_cents(D("100"), D("1"), D("3")), D("33.33"));
  EXPECT_EQ(share_cents(D("100"), D("2"), D("3")), D("66.67"));
  EXPECT_EQ(share_cents(D("-100"), D("2"), D("3")), D("-66.67"));
  // Exact halves of a cent go away from zero: 0.05 / 2 = 0.025 -> 0.03, -0.025 -> -0.03.
  EXPECT_EQ(share_cents(D("0.05"), D("1"), D("2")), D("0.03"));
  EXPECT_EQ(share_cents(D("-0.05"), D("1"), D("2")), D("-0.03"));
  // Just below half a cent stays down: 0.0249999 x 1 / 1 = 0.0249999 -> 0.02.
  EXPECT_EQ(share_cents(D("0.0249999"), D("1"), D("1")), D("0.02"));
  // Fractional shares: a 1234.57 basis over 12.5 shares, 3.75 of them: 370.371 -> 370.37.
  EXPECT_EQ(share_cents(D("1234.57"), D("3.75"), D("12.5")), D("370.37"));
  // A negative denominator (a short lot's quantity) and large amounts take the general path.
  EXPECT_EQ(share_cents(D("100"), D("1"), D("-3")), D("-33.33"));
  EXPECT_EQ(share_cents(D("90000000000"), D("90000000000"), D("90000000000")), D("90000000000"));
  EXPECT_EQ(share_cents(D("0"), D("5"), D("7")), D("0"));
  EXPECT_THROW(share_cents(D("1"), D("1"), D("0")), Error);
  EXPECT_THROW(share_cents(D("90000000000"), D("2"), D("1")), Error);
}

}  // namespace
}  // namespace keel::ledger
