// The portfolio report behind the store's result cache (keel/service/report_cache.h).
#include "keel/service/report_cache.h"

#include <fmt/format.h>

#include "keel/service/report_build.h"
#include "keel/store/fx_repository.h"
#include "keel/store/job_repository.h"
#include "keel/store/store.h"

namespace keel::service {

CachedReport cached_report(const Context& cx, const PortfolioSummary& portfolio,
                           const std::optional<Date>& as_of, bool refresh,
                           const std::optional<std::string>& currency) {
  Store& store = require_store(cx, "reports are cached in the store");
  const std::string& tenant = cx.actor.tenant;
  const auto last = store.last_price_date();
  // The stored FX rates as far as a report can tell: an import of new rates changes a pair's last
  // date or count, and the report converts with them.
  std::string fx;
  for (const auto& p : store.fx().pairs())
    fx += fmt::format("{}/{}:{}:{};", p.base, p.quote, p.last.to_string(), p.rates);
  const nlohmann::json key = {{"as_of", as_of ? as_of->to_string() : "latest"},
                              {"updated_at", portfolio.updated_at},
                              {"last_price_date", last ? last->to_string() : ""},
                              {"currency", currency.value_or(portfolio.base_currency)},
                              {"fx", fx}};
  const std::string kind = "report:" + key["as_of"].get<std::string>() + (currency ? ":" + *currency : "");
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
  req.source.currency = currency;
  auto out = spec::to_json(build_report(cx, req));
  cache.put(tenant, portfolio.id, kind, nlohmann::json{{"key", key}, {"report", out}}.dump());
  return {out, false};
}

}  // namespace keel::service
