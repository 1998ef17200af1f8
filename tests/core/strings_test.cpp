// keel/core/strings.h: ASCII case mapping, whatever the locale; bytes outside A-Z/a-z unchanged.
#include "keel/core/strings.h"

#include <gtest/gtest.h>

namespace keel {
namespace {

TEST(Strings, CaseMappingIsAsciiOnly) {
  EXPECT_EQ(to_lower("Content-Type: Application/JSON"), "content-type: application/json");
  EXPECT_EQ(to_upper("brk.b usd 10y"), "BRK.B USD 10Y");
  // UTF-8 bytes ("é" = C3 A9, "É" = C3 89) and digits/punctuation pass through untouched.
  EXPECT_EQ(to_lower("CAF\xC3\x89 @[`{"), "caf\xC3\x89 @[`{");
  EXPECT_EQ(to_upper("caf\xC3\xA9"), "CAF\xC3\xA9");
  EXPECT_EQ(to_lower(std::string_view{}), "");
}

TEST(Strings, IEqualsIgnoresAsciiCaseOnly) {
  static_assert(iequals("Retry-After", "retry-after"));
  EXPECT_TRUE(iequals("Baa1", "BAA1"));
  EXPECT_FALSE(iequals("Baa1", "Baa"));
  EXPECT_FALSE(iequals("@", "`"));  // 0x40 and 0x60 differ by the case bit but are not letters
  EXPECT_FALSE(iequals("\xC3\xA9", "\xC3\x89"));
}

TEST(CsvCells, QuotedOnlyWhenACellNeedsItAndTextIsNeverAFormula) {
  // RFC 4180: a cell with a comma, a quote or a line break is quoted, its quotes doubled.
  EXPECT_EQ(csv_quoted("AAPL"), "AAPL");
  EXPECT_EQ(csv_quoted("Smith, \"Jr\""), "\"Smith, \"\"Jr\"\"\"");
  EXPECT_EQ(csv_quoted("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_quoted("-5"), "-5");  // the round-trip writer keeps text exact
  // OWASP "CSV Injection": = + - @ tab CR at the start of text get an apostrophe, then quoting.
  EXPECT_EQ(csv_text_cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(csv_text_cell("+1"), "'+1");
  EXPECT_EQ(csv_text_cell("-cmd|' /C calc'!A0"), "'-cmd|' /C calc'!A0");
  EXPECT_EQ(csv_text_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_text_cell("\tx"), "'\tx");
  EXPECT_EQ(csv_text_cell("\rx"), "\"'\rx\"");
  EXPECT_EQ(csv_text_cell("a=b"), "a=b");  // only the first character counts
  EXPECT_EQ(csv_text_cell(""), "");
}

}  // namespace
}  // namespace keel
