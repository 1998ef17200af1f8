#include "backends.h"

#ifdef KEEL_TEST_POSTGRESQL
#include "pg_cluster.h"
#endif

namespace keel::testing {

std::vector<std::string> store_backends() {
#ifdef KEEL_TEST_POSTGRESQL
  return {"postgresql"};
#else
  return {"sqlite"};
#endif
}

void StoreBackend::SetUp() {
#ifdef KEEL_TEST_POSTGRESQL
  if (GetParam() == "postgresql") KEEL_PG_REQUIRE_OR_SKIP(PgCluster::shared());
#endif
}

std::unique_ptr<Store> StoreBackend::open_store_under_test(const Clock& clock) {
#ifdef KEEL_TEST_POSTGRESQL
  if (GetParam() == "postgresql") {
    auto* cluster = PgCluster::shared();
    return open_store(cluster->url(cluster->fresh_database(), "keel_app"), clock);
  }
#endif
  return open_store(":memory:", clock);
}

}  // namespace keel::testing
