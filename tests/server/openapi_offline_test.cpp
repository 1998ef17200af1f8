// `keel openapi` (openapi_document_offline): the document built without the caller's store or a
// listening server is the one a running server serves, byte for byte once parsed.
#include "server_fixture.h"

namespace keel::server::testing {

TEST_F(ServerFixture, OfflineOpenApiDocumentIsTheServedOne) {
  const auto served = nlohmann::json::parse(client()->Get("/api/v1/openapi.json")->body);
  const nlohmann::json offline = openapi_document_offline();
  EXPECT_EQ(offline, served);
  EXPECT_EQ(offline["openapi"], "3.1.0");
  EXPECT_TRUE(offline["paths"].contains("/api/v1/portfolios/{id}/risk/var"));
}

}  // namespace keel::server::testing
