// The import routes' summaries over HTTP: a CSV body whose last line has no line ending is
// imported, and its `warnings` array names that line (what the web app's import view shows).
#include <gtest/gtest.h>

#include <string>

#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

constexpr const char* kCutWarning = "the last line has no line ending: the file may be truncated";

TEST_F(ServerFixture, PricesUploadCutInsideItsLastNumberIsImportedWithAWarningNamingTheLine) {
  const std::string root = login("root");
  auto r = post(root, "/api/v1/prices", "date,symbol,close\n2017-01-03,AAA,10\n2017-01-04,AAA,11\n2017-01-05,AAA,8",
                "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  const json out = body(r);
  EXPECT_EQ(out["rows"], 3);
  EXPECT_EQ(out["warnings"], json::array({std::string("body.csv:4: ") + kCutWarning}));
  // The same rows with their line ending: no warning.
  r = post(root, "/api/v1/prices", "date,symbol,close\n2017-01-05,AAA,8.25\n", "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["warnings"], json::array());
}

TEST_F(ServerFixture, PositionsUploadWithoutAFinalLineEndIsImportedWithAWarningNamingTheLine) {
  const std::string mgr = login("mgr");
  const auto pid = create_portfolio(mgr, "cut");
  const std::string path = "/api/v1/portfolios/" + std::to_string(pid) + "/positions";
  auto r = post(mgr, path, "symbol,quantity\nAAA,10\nBBB,5", "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["positions"], 2);
  EXPECT_EQ(body(r)["warnings"], json::array({std::string("body.csv:3: ") + kCutWarning}));
  // A JSON array is converted to CSV whole: no warning.
  r = post(mgr, path, json::array({{{"symbol", "AAA"}, {"quantity", 10}}}).dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["warnings"], json::array());
}

}  // namespace
}  // namespace keel::server::testing
