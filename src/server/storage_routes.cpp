// What the tenant keeps (keel/service/storage.h): GET /api/v1/storage. The use case checks the
// permission; the route calls it with the server's retention settings and answers.
#include "app.h"
#include "keel/service/storage.h"

namespace keel::server {
namespace {

void storage_usage(Call& c) {
  c.send(200, spec::to_json(service::storage_usage(c.service(), c.app.storage_settings())));
}

}  // namespace

void add_storage_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/api/v1/storage",
                          "What the tenant keeps, area by area and by owner (items, rows, estimated bytes), with "
                          "the retention and per-user quotas it is held to, and the market data every tenant shares",
                          "users", service::kStorageRead, storage_usage}
                    .returns<service::StorageUsage>());
}

}  // namespace keel::server
