// The PostgreSQL entry points of a keel built without libpqxx (KEEL_POSTGRESQL=OFF): each says so.
#include "../../copy_endpoint.h"
#include "keel/core/error.h"
#include "keel/store/postgresql.h"

namespace keel::store {
namespace {
Error not_built() {
  return Error::usage(
      "this keel was built without PostgreSQL support: install libpqxx-dev (scripts/setup) and "
      "configure again with -DKEEL_POSTGRESQL=ON");
}
}  // namespace

namespace pg {
bool available() {
  return false;
}
MigrateReport migrate(const std::string&, const std::string&) {
  throw not_built();
}
std::unique_ptr<Store> open_store(const std::string&, const Clock&) {
  throw not_built();
}
Traffic traffic() {
  return {};
}
PoolStats pool_stats(const std::string&) {
  return {};
}
}  // namespace pg

namespace copy {
std::unique_ptr<Endpoint> open_postgresql_endpoint(const std::string&) {
  throw not_built();
}
}  // namespace copy

}  // namespace keel::store

// Without PostgreSQL there is nothing shared beyond the SQLite file (keel/store/shared_state.h).
#include "keel/store/shared_state.h"

namespace keel::store {
std::unique_ptr<JobNotifications> listen_job_changes(const std::string&,
                                                     std::function<void(std::int64_t, std::string_view)>) {
  return nullptr;
}
std::unique_ptr<SharedLimits> open_shared_limits(const std::string&) {
  return nullptr;
}
}  // namespace keel::store
