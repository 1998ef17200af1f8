// The portfolio report behind the store's result cache (keel/service/report_cache.h).
#include "keel/service/report_cache.h"

#include "keel/service/report_build.h"
#include "keel/store/job_repository.h"
#include "keel/store/store.h"

namespace keel::service {

CachedReport cached_report(const Context& cx, const PortfolioSummary& portfolio,
                           const std::optional<Date>& as_of, bool refresh) {
  Store& store = require_store(cx, "reports are cached in the store");
  const std::string& tenant = cx.actor.tenant;
  const auto last = store.last_price_date();
  const nlohmann::json key = {{"as_of", as_of ? as_of->to_string() : "latest"},
                              {"updated_at", portfolio.updated_at},
                              {"last_price_date", last ? last->to_string() : ""}};
  const std::string kind = "report:" + key["as_of"].get<std::string>();
  store::ResultCache& cache = store.results();
  if (!refresh) {
    if (const auto hit = cache.get(tenant, portfolio.id, kind)) {
      auto entry = nlohmann::json::parse(hit->result, nullptr, false);
      if (!entry.is_discarded() && entry.value("key", nlohmann::json()) == key)
        return {entry["report"], true};
    }
  }
  ReportRequest req;
  req.source.portfolio = portfolio.name;
  req.source.as_of = as_of;
  auto out = spec::to_json(build_report(cx, req));
  cache.put(tenant, portfolio.id, kind, nlohmann::json{{"key", key}, {"report", out}}.dump());
  return {out, false};
}

}  // namespace keel::service
