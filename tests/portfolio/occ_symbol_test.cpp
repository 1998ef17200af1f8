#include "keel/portfolio/occ_symbol.h"

#include <gtest/gtest.h>

namespace keel {
namespace {

// Examples follow the OCC symbology (OSI) layout: root, YYMMDD, C/P, strike x 1000 in 8 digits.
TEST(OccSymbol, ParsesCompactForm) {
  auto s = OccSymbol::parse("AAPL250117C00150000");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->root, "AAPL");
  EXPECT_EQ(s->expiry.to_string(), "2025-01-17");
  EXPECT_EQ(s->right, OptionRight::kCall);
  EXPECT_DOUBLE_EQ(s->strike, 150.0);
}

TEST(OccSymbol, ParsesPaddedFormAndFractionalStrikes) {
  auto s = OccSymbol::parse("SPY   240621P00412500");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->root, "SPY");
  EXPECT_DOUBLE_EQ(s->strike, 412.5);
  EXPECT_EQ(s->right, OptionRight::kPut);
  EXPECT_EQ(s->padded(), "SPY   240621P00412500");
  EXPECT_EQ(s->padded().size(), 21u);
  EXPECT_EQ(s->compact(), "SPY240621P00412500");
}

TEST(OccSymbol, RoundTripsBothForms) {
  for (const char* text : {"F230317C00012500", "GOOGL231215P01000000", "BRKB  250620C00450000"}) {
    auto s = OccSymbol::parse(text);
    ASSERT_TRUE(s) << text;
    EXPECT_EQ(*OccSymbol::parse(s->compact()), *OccSymbol::parse(s->padded())) << text;
  }
}

TEST(OccSymbol, ExplainsMalformedSymbols) {
  EXPECT_NE(OccSymbol::explain_invalid("AAPL250117X00150000").find("C or P"), std::string::npos);
  EXPECT_NE(OccSymbol::explain_invalid("AAPL250230C00150000").find("not a calendar date"), std::string::npos);
  EXPECT_NE(OccSymbol::explain_invalid("AAPL250117C0015000A").find("8 digits"), std::string::npos);
  EXPECT_NE(OccSymbol::explain_invalid("TOOLONGX250117C00150000").find("1-6"), std::string::npos);
  EXPECT_NE(OccSymbol::explain_invalid("AAPL250117C00000000").find("positive"), std::string::npos);
  EXPECT_FALSE(OccSymbol::parse("AAPL"));
  EXPECT_TRUE(looks_like_occ("AAPL251317C00150000"));
  EXPECT_FALSE(looks_like_occ("AAPL"));
  EXPECT_FALSE(looks_like_occ("BRK.B"));
}

}  // namespace
}  // namespace keel
