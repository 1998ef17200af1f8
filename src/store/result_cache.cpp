// Cached results of a portfolio's analyses (keel/store/job_repository.h's ResultCache) on both
// backends.
#include "keel/store/job_repository.h"
#include "sql.h"

namespace keel::store {

void ResultCache::put(const std::string& tenant, std::int64_t portfolio_id, const std::string& kind,
                      const std::string& json) {
  c_->run(tenant, [&] {
    c_->prepare(upsert_sql("cached_results", "tenant, portfolio_id, kind, result, computed_at",
                           "tenant, portfolio_id, kind"))
        .bind_all(tenant, portfolio_id, kind, json, clock_->iso8601())
        .run();
  });
}

std::optional<CachedResult> ResultCache::get(const std::string& tenant, std::int64_t portfolio_id,
                                             const std::string& kind) {
  return c_->run(tenant, [&]() -> std::optional<CachedResult> {
    auto st = c_->prepare(
        "SELECT result, computed_at FROM cached_results WHERE tenant = ? AND portfolio_id = ? AND kind = ?");
    st.bind_all(tenant, portfolio_id, kind);
    if (!st.step()) return std::nullopt;
    return CachedResult{st.get_text(0), st.get_text(1)};
  });
}

}  // namespace keel::store
