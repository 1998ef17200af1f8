// OCC option symbols (keel/portfolio/occ_symbol.h) as the options module uses them: both forms,
// round trips, and clear reasons for malformed symbols. Expected fields are read off the OCC
// symbology (OSI): root, YYMMDD, C/P, strike x 1000 in 8 digits.
#include "keel/portfolio/occ_symbol.h"

#include <gtest/gtest.h>

namespace keel {
namespace {

TEST(OccSymbolForOptions, ParsesBothFormsToTheSameContract) {
  const auto compact = OccSymbol::parse("AAPL250117C00150000");
  const auto padded = OccSymbol::parse("AAPL  250117C00150000");
  ASSERT_TRUE(compact);
  ASSERT_TRUE(padded);
  EXPECT_EQ(compact->root, "AAPL");
  EXPECT_EQ(compact->expiry, Date::from_ymd(2025, 1, 17));
  EXPECT_EQ(compact->right, OptionRight::kCall);
  EXPECT_DOUBLE_EQ(compact->strike, 150.0);
  EXPECT_EQ(padded->compact(), "AAPL250117C00150000");
  EXPECT_EQ(compact->padded(), "AAPL  250117C00150000");
  EXPECT_EQ(compact->padded().size(), 21u);
}

TEST(OccSymbolForOptions, FractionalStrikesAndPutsRoundTrip) {
  // GE 16 March 2018 12.50 put: strike 12.5 -> 00012500.
  const auto p = OccSymbol::parse("GE180316P00012500");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->right, OptionRight::kPut);
  EXPECT_DOUBLE_EQ(p->strike, 12.5);
  EXPECT_EQ(p->compact(), "GE180316P00012500");
  // Six-character root fills the padded form exactly.
  const auto six = OccSymbol::parse("GOOGLL180119C01000000");
  ASSERT_TRUE(six);
  EXPECT_EQ(six->root, "GOOGLL");
  EXPECT_DOUBLE_EQ(six->strike, 1000.0);
}

TEST(OccSymbolForOptions, MalformedSymbolsSayWhy) {
  EXPECT_FALSE(OccSymbol::parse("AAPL251317C00150000"));  // month 13
  EXPECT_NE(OccSymbol::explain_invalid("AAPL251317C00150000").find("not a calendar date"), std::string::npos);
  EXPECT_FALSE(OccSymbol::parse("AAPL250117X00150000"));
  EXPECT_NE(OccSymbol::explain_invalid("AAPL250117X00150000").find("C or P"), std::string::npos);
  EXPECT_FALSE(OccSymbol::parse("AAPL250117C00000000"));
  EXPECT_NE(OccSymbol::explain_invalid("AAPL250117C00000000").find("positive"), std::string::npos);
  EXPECT_FALSE(OccSymbol::parse("AAPL"));
  EXPECT_TRUE(looks_like_occ("AAPL251317C00150000"));
  EXPECT_FALSE(looks_like_occ("AAPL"));
}

}  // namespace
}  // namespace keel
