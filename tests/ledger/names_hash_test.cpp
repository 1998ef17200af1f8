// The booking's and the income history's table of (account, symbol) numbers (src/ledger/names_hash.h),
// checked against std::map on the same names.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "../../src/ledger/names_hash.h"

namespace keel::ledger::detail {
namespace {

TEST(NameIds, NumbersPairsInOrderOfFirstAppearance) {
  NameIds ids;
  EXPECT_EQ(ids.find("taxable", "AAPL"), NameIds::kNone);  // empty table
  EXPECT_EQ(ids.intern("taxable", "AAPL"), std::make_pair(0u, true));
  EXPECT_EQ(ids.intern("ira", "AAPL"), std::make_pair(1u, true));
  EXPECT_EQ(ids.intern("taxable", "AAPL"), std::make_pair(0u, false));
  EXPECT_EQ(ids.find("ira", "AAPL"), 1u);
  EXPECT_EQ(ids.find("ira", "MSFT"), NameIds::kNone);
  EXPECT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids.key(1).first, "ira");
  EXPECT_EQ(ids.key(1).second, "AAPL");
}

TEST(NameIds, TheBoundaryBetweenTheNamesCounts) {
  // The same bytes split differently are different pairs; a single name is the pair (name, "").
  NameIds ids;
  const auto ab = ids.intern("AB", "").first;
  const auto a_b = ids.intern("A", "B").first;
  const auto _ab = ids.intern("", "AB").first;
  EXPECT_NE(ab, a_b);
  EXPECT_NE(a_b, _ab);
  EXPECT_NE(ab, _ab);
  EXPECT_EQ(ids.find("AB"), ab);
  // Names of 8 bytes and more (whole words) and with the same first word.
  const auto long1 = ids.intern("account-number-1", "BRK.B").first;
  const auto long2 = ids.intern("account-number-2", "BRK.B").first;
  EXPECT_NE(long1, long2);
  EXPECT_EQ(ids.find("account-number-1", "BRK.B"), long1);
}

TEST(NameIds, AgreesWithAMapThroughManyGrowths) {
  // 3 accounts x 5000 symbols, interned in an interleaved order and looked up again after every
  // growth of the table; std::map numbers the same pairs by first appearance.
  std::vector<std::string> accounts = {"taxable", "ira", "joint"};
  std::vector<std::string> symbols;
  for (int k = 0; k < 5000; ++k) symbols.push_back("S" + std::to_string(k * 7919 % 100003));
  NameIds ids;
  std::map<std::pair<std::string, std::string>, std::uint32_t> expected;
  for (std::size_t round = 0; round < 2; ++round) {
    for (std::size_t k = 0; k < symbols.size(); ++k) {
      const std::string& account = accounts[(k + round) % accounts.size()];
      const auto [it, added] = expected.try_emplace({account, symbols[k]}, static_cast<std::uint32_t>(expected.size()));
      const auto got = ids.intern(account, symbols[k]);
      ASSERT_EQ(got.first, it->second) << account << " " << symbols[k];
      ASSERT_EQ(got.second, added);
    }
  }
  ASSERT_EQ(ids.size(), expected.size());
  for (const auto& [key, id] : expected) ASSERT_EQ(ids.find(key.first, key.second), id);
  EXPECT_EQ(ids.find("taxable", "S-none"), NameIds::kNone);
}

}  // namespace
}  // namespace keel::ledger::detail
