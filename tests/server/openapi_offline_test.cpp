// `keel openapi` (openapi_document_offline): the document built without the caller's store or a
// listening server is the one a running server serves, byte for byte once parsed.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "server_fixture.h"

namespace keel::server::testing {

TEST_F(ServerFixture, OfflineOpenApiDocumentIsTheServedOne) {
  const auto served = nlohmann::json::parse(client()->Get("/api/v1/openapi.json")->body);
  const nlohmann::json offline = openapi_document_offline();
  EXPECT_EQ(offline, served);
  EXPECT_EQ(offline["openapi"], "3.1.0");
  EXPECT_TRUE(offline["paths"].contains("/api/v1/portfolios/{id}/risk/var"));
}

// Every operation's operationId is URL-safe (letters and digits: a client generator names its
// functions after it) and unique, and reads as the method and the path.
TEST_F(ServerFixture, OperationIdsAreUrlSafeAndUnique) {
  const nlohmann::json doc = openapi_document_offline();
  std::set<std::string> seen;
  std::size_t operations = 0;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      if (!op.is_object() || !op.contains("operationId")) continue;
      const std::string id = op["operationId"];
      ++operations;
      EXPECT_TRUE(!id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
          << method << " " << path << ": " << id;
      EXPECT_TRUE(seen.insert(id).second) << "operationId " << id << " twice (" << method << " " << path << ")";
    }
  }
  EXPECT_GT(operations, 100u);
  const auto& gains = doc["paths"]["/api/v1/accounts/{id}/export/gains"]["get"];
  EXPECT_EQ(gains["operationId"], "getAccountsByIdExportGains");
  EXPECT_EQ(doc["paths"]["/api/v1/openapi.json"]["get"]["operationId"], "getOpenapiJson");
  EXPECT_EQ(doc["paths"]["/healthz"]["get"]["operationId"], "getHealthz");
}

}  // namespace keel::server::testing
