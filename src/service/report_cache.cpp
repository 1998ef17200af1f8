// The portfolio report behind the store's result cache (keel/service/report_cache.h).
#include "keel/service/report_cache.h"

#include <fmt/format.h>

#include "keel/report/report_schema.h"
#include "keel/service/report_build.h"
#include "keel/store/fx_repository.h"
#include "keel/store/job_repository.h"
#include "keel/store/store.h"

namespace keel::service {

namespace {

// The cache entry's kind and key of the report of `portfolio` at `as_of` in `currency`.
std::pair<std::string, nlohmann::json> report_key(Store& store, const PortfolioSummary& portfolio,
                                                  const std::optional<Date>& as_of,
                                                  const std::optional<std::string>& currency) {
  const auto last = store.last_price_date();
  // The stored FX rates as far as a report can tell: an import of new rates changes a pair's last
  // date or count, and the report converts with them.
  std::string fx;
  for (const auto& p : store.fx().pairs())
    fx += fmt::format("{}/{}:{}:{};", p.base, p.quote, p.last.to_string(), p.rates);
  // The schema: a document cached by a keel that wrote another format is built again.
  const nlohmann::json key = {{"schema", report::kReportSchema},
                              {"as_of", as_of ? as_of->to_string() : "latest"},
                              {"updated_at", portfolio.updated_at},
                              {"last_price_date", last ? last->to_string() : ""},
                              {"currency", currency.value_or(portfolio.base_currency)},
                              {"fx", fx}};
  return {"report:" + key["as_of"].get<std::string>() + (currency ? ":" + *currency : ""), key};
}

// The cached document of `kind` when it was built with `key`.
std::optional<nlohmann::json> cache_hit(Store& store, const std::string& tenant, std::int64_t portfolio_id,
                                        const std::string& kind, const nlohmann::json& key) {
  if (const auto hit = store.results().get(tenant, portfolio_id, kind)) {
    auto entry = nlohmann::json::parse(hit->result, nullptr, false);
    if (!entry.is_discarded() && entry.value("key", nlohmann::json()) == key) return std::move(entry["report"]);
  }
  return std::nullopt;
}

}  // namespace

std::optional<nlohmann::json> cached_report_only(const Context& cx, const PortfolioSummary& portfolio) {
  Store& store = require_store(cx, "reports are cached in the store");
  const auto [kind, key] = report_key(store, portfolio, std::nullopt, std::nullopt);
  return cache_hit(store, cx.actor.tenant, portfolio.id, kind, key);
}

CachedReport cached_report(const Context& cx, const PortfolioSummary& portfolio,
                           const std::optional<Date>& as_of, bool refresh,
                           const std::optional<std::string>& currency) {
  Store& store = require_store(cx, "reports are cached in the store");
  const std::string& tenant = cx.actor.tenant;
  const auto [kind, key] = report_key(store, portfolio, as_of, currency);
  store::ResultCache& cache = store.results();
  if (!refresh) {
    if (auto hit = cache_hit(store, tenant, portfolio.id, kind, key)) return {std::move(*hit), true};
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
