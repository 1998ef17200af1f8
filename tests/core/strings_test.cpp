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

}  // namespace
}  // namespace keel
