// Names are not blank, on every face that creates a named thing (issues 58 and 61): a portfolio,
// a stored CLO deal, a ledger account, an ALM session and a what-if session named "  " are refused
// with 400 naming the field, and nothing is stored; the OpenAPI document says so (minLength 1 and
// a non-space pattern) for each of those request fields, so a client can check before it sends.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

std::string blank_names_deal_text() {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/examples/clo/small_deal.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class BlankNames : public ServerFixture {};

TEST_F(BlankNames, ABlankNameIsRefusedWhereverAThingIsCreatedAndNothingIsStored) {
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  const auto refused_blank = [&](const HttpResult& r) {
    EXPECT_TRUE(r);
    if (!r) return;
    EXPECT_EQ(r->status, 400) << r->body;
    EXPECT_NE(body(r)["error"]["details"].dump().find("name: must not be blank"), std::string::npos) << r->body;
  };
  refused_blank(post(mgr, "/api/v1/portfolios", R"({"name":"  "})"));
  EXPECT_EQ(body(get(mgr, "/api/v1/portfolios"))["items"].size(), 0u);

  json deal = json::parse(blank_names_deal_text());
  refused_blank(post(mgr, "/api/v1/clo/deals", json{{"name", " \t "}, {"deal", deal}}.dump()));
  // A document whose own name is blank, with no name in the request, is refused the same way.
  deal["name"] = "   ";
  refused_blank(post(mgr, "/api/v1/clo/deals", json{{"deal", deal}}.dump()));
  EXPECT_EQ(body(get(mgr, "/api/v1/clo/deals"))["items"].size(), 0u);

  refused_blank(post(mgr, "/api/v1/accounts", R"({"name":"   "})"));
  EXPECT_EQ(body(get(mgr, "/api/v1/accounts"))["items"].size(), 0u);

  refused_blank(post(ana, "/api/v1/alm/sessions", R"({"name":" ","currency":"USD"})"));

  // A name with a space inside is a name.
  EXPECT_EQ(post(mgr, "/api/v1/portfolios", R"({"name":"core book"})")->status, 201);
}

TEST_F(BlankNames, TheOpenApiDocumentStatesEachNameNonBlank) {
  const json doc = json::parse(client()->Get("/api/v1/openapi.json")->body);
  const json& schemas = doc["components"]["schemas"];
  for (const char* request : {"PortfolioCreateRequest", "CloDealCreateRequest", "AccountCreateRequest",
                              "AlmSessionCreateRequest"}) {
    ASSERT_TRUE(schemas.contains(request)) << request;
    const json& name = schemas[request]["properties"]["name"];
    EXPECT_EQ(name.value("minLength", 0), 1) << request << ": " << name.dump();
    EXPECT_EQ(name.value("pattern", ""), "\\S") << request << ": " << name.dump();
    EXPECT_EQ(name.value("maxLength", 0), 200) << request << ": " << name.dump();
  }
}

}  // namespace
}  // namespace keel::server::testing
