// The OpenAPI document declares a success response for every operation: JSON results by their
// described structs, and bodies that are not JSON by nature (metrics text, event streams, CSV and
// spreadsheet downloads) by their media type. The fixture checks every answer it receives against
// the declaration (schema_check.h); these tests pin the declarations themselves and the portfolio
// routes' typed bodies.
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

TEST_F(ServerFixture, EveryOperationDeclaresItsSuccessResponse) {
  const json doc = json::parse(client()->Get("/api/v1/openapi.json")->body);
  std::size_t operations = 0;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      ++operations;
      bool declared = false;
      for (const auto& [code, response] : op["responses"].items()) {
        declared = declared || (code[0] == '2' && response.contains("content") && !response["content"].empty());
      }
      EXPECT_TRUE(declared) << method << " " << path << " declares no success body";
    }
  }
  EXPECT_GE(operations, 30u);
}

TEST_F(ServerFixture, NonJsonBodiesAreDeclaredByMediaType) {
  const json doc = json::parse(client()->Get("/api/v1/openapi.json")->body);
  const json& metrics = doc["paths"]["/metrics"]["get"]["responses"]["200"]["content"];
  EXPECT_EQ(metrics["text/plain; version=0.0.4"]["schema"], json({{"type", "string"}}));
  const json& events = doc["paths"]["/api/v1/jobs/{id}/events"]["get"]["responses"]["200"]["content"];
  EXPECT_EQ(events["text/event-stream"]["schema"], json({{"type", "string"}}));
  const json& openapi = doc["paths"]["/api/v1/openapi.json"]["get"]["responses"]["200"]["content"];
  EXPECT_EQ(openapi["application/json"]["schema"], json({{"type", "object"}}));
  // The report download: report.json is the Report, positions.csv text, report.xlsx binary.
  const json& download = doc["paths"]["/api/v1/portfolios/{id}/report/download"]["get"]["responses"]["200"]["content"];
  EXPECT_EQ(download["application/json"]["schema"]["$ref"], "#/components/schemas/Report");
  EXPECT_EQ(download["text/csv"]["schema"], json({{"type", "string"}}));
  EXPECT_EQ(download["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]["schema"],
            json({{"type", "string"}, {"format", "binary"}}));
  // The batch answers with the job it queued.
  EXPECT_EQ(doc["paths"]["/api/v1/batch"]["post"]["responses"]["202"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Job");
}

TEST_F(ServerFixture, ContentTypesAreComparedWithoutParameters) {
  const std::vector<std::string> declared{"text/plain; version=0.0.4", "text/csv"};
  EXPECT_TRUE(SchemaCheck::media_type_declared("text/plain; version=0.0.4", declared));
  EXPECT_TRUE(SchemaCheck::media_type_declared("Text/Plain;charset=utf-8", declared));
  EXPECT_TRUE(SchemaCheck::media_type_declared("text/csv", declared));
  EXPECT_FALSE(SchemaCheck::media_type_declared("text/html", declared));
  EXPECT_FALSE(SchemaCheck::media_type_declared("", declared));
  // The served answers carry the declared types (the fixture fails a test on any other).
  auto r = get("", "/metrics");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type").rfind("text/plain", 0), 0u);
  EXPECT_TRUE(SchemaCheck::media_type_declared(r->get_header_value("Content-Type"),
                                               schemas().media_types("GET", "/metrics", 200)));
  r = get("", "/api/v1/openapi.json");
  ASSERT_EQ(r->status, 200);
  EXPECT_TRUE(SchemaCheck::media_type_declared(r->get_header_value("Content-Type"),
                                               schemas().media_types("GET", "/api/v1/openapi.json", 200)));
}

// patternProperties (the what-if metrics' beta_<factor>): a matching key is checked against its
// schema, one matching no pattern against additionalProperties.
TEST_F(ServerFixture, SchemaCheckReadsPatternProperties) {
  const SchemaCheck check(json::object());
  const json schema = {{"type", "object"},
                       {"properties", {{"positions", {{"type", "integer"}}}}},
                       {"patternProperties", {{"^beta_", {{"type", {"number", "null"}}}}}},
                       {"additionalProperties", false}};
  EXPECT_TRUE(check.check(json{{"positions", 2}, {"beta_mkt_rf", 1.1}, {"beta_smb", nullptr}}, schema).empty());
  EXPECT_EQ(check.check(json{{"beta_mkt_rf", "high"}}, schema).size(), 1u);
  EXPECT_EQ(check.check(json{{"alpha", 0.1}}, schema).size(), 1u);
}

TEST_F(ServerFixture, PortfolioBodiesAndResultsAreTyped) {
  const std::string mgr = login("mgr");
  auto r = post(mgr, "/api/v1/portfolios", R"({"name":["a"],"colour":"EUR"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body(r)["error"]["message"], "invalid portfolio");
  const std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("name: expected a string"), std::string::npos) << details;
  EXPECT_NE(details.find("\\\"colour\\\": not a field of this request"), std::string::npos) << details;
  r = post(mgr, "/api/v1/portfolios", R"({"name":""})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(body(r)["error"]["details"].dump().find("name: required"), std::string::npos) << r->body;
  r = post(mgr, "/api/v1/portfolios", "[]");
  ASSERT_EQ(r->status, 400) << r->body;

  const int checked = checked_responses_;
  r = post(mgr, "/api/v1/portfolios", R"({"name":"typed"})");
  ASSERT_EQ(r->status, 201) << r->body;
  const json created = body(r);
  EXPECT_EQ(created["name"], "typed");
  EXPECT_EQ(created["tenant"], "acme");
  EXPECT_EQ(created["positions"], 0);
  const std::string p = "/api/v1/portfolios/" + std::to_string(created["id"].get<std::int64_t>());
  ASSERT_EQ(post(mgr, p + "/positions", "symbol,quantity,sector\nAAA,10,Tech\n", "text/csv")->status, 200);
  r = get(mgr, p + "/positions");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r), json::parse(R"({"id":)" + std::to_string(created["id"].get<std::int64_t>()) +
                                 R"(,"name":"typed","total":1,"matched":1,"next_offset":null,"items":[{"id":1,"symbol":"AAA","type":"stock",)"
                                 R"("quantity":10.0,"multiplier":1.0,"currency":"USD","sector":"Tech"}]})"));
  r = del(mgr, p);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r), json({{"deleted", true}, {"id", created["id"]}, {"name", "typed"}}));
  EXPECT_EQ(checked_responses_, checked + 4);  // create, upload, positions, delete: each validated
}

}  // namespace
}  // namespace keel::server::testing
