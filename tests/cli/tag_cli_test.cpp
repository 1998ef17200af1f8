// `keel tag add|list|attach|delete` on the balanced example book, whose positions file gives
// AAPL and MSFT the tags core;growth and no position the tag "hedge" (counted by hand).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/cli_runner.h"

namespace keel::testing {
namespace {

TEST(TagCli, RegistryAndPositionsRoundTrip) {
  TempDb db("tags");
  const std::string k = "--db " + db.path() + " --format json ";
  ASSERT_EQ(run_keel(k + "import positions " + source_path("examples/portfolios/balanced.csv") + " --portfolio b").code, 0);

  const auto added = run_keel(k + "tag add hedge --description 'protective puts'");
  ASSERT_EQ(added.code, 0) << added.err;
  EXPECT_EQ(nlohmann::json::parse(added.out).at("positions"), 0);

  const auto attached = run_keel(k + "tag attach hedge -p b --symbols AAPL,MSFT");
  ASSERT_EQ(attached.code, 0) << attached.err;
  EXPECT_EQ(nlohmann::json::parse(attached.out).at("positions_changed"), 2);
  // Attaching again changes nothing; detaching one leaves one.
  EXPECT_EQ(nlohmann::json::parse(run_keel(k + "tag attach hedge -p b --symbols AAPL").out).at("positions_changed"), 0);
  EXPECT_EQ(nlohmann::json::parse(run_keel(k + "tag attach hedge -p b --symbols AAPL --detach").out)
                .at("positions_changed"),
            1);

  const auto listed = nlohmann::json::parse(run_keel(k + "tag list").out).at("items");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].at("name"), "hedge");
  EXPECT_EQ(listed[0].at("description"), "protective puts");
  EXPECT_EQ(listed[0].at("positions"), 1);

  const auto deleted = run_keel(k + "tag delete hedge");
  ASSERT_EQ(deleted.code, 0) << deleted.err;
  EXPECT_EQ(nlohmann::json::parse(deleted.out).at("positions_changed"), 1);

  const auto unknown = run_keel(k + "tag delete hedge");
  EXPECT_EQ(unknown.code, 3);
  EXPECT_NE(unknown.err.find("no tag named 'hedge'"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace keel::testing
