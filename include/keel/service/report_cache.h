// keel/service/report_cache.h: the portfolio report behind the store's result cache — what
// GET /api/v1/portfolios/{id}/report (and its .md, .csv and .xlsx forms) serves.
//
// A report is built once (build_report, keel/service/report_build.h) and kept in the store's
// result cache (keel/store/job_repository.h) per tenant, portfolio and as-of date, keyed by the
// positions it was built on (the portfolio's updated_at) and the prices (the store's last price
// date): any import of either makes the next request build it again.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/store/store.h"

namespace keel::service {

// GET /api/v1/portfolios/{id}/report: the report document (build_report's, as JSON) of the actor's
// tenant's stored portfolio at `as_of` (default: the latest prices), in `currency` (default: the
// portfolio's reporting currency), from the store's result cache (kind "report:<as_of or latest>",
// then ":<currency>" when one is asked for) when it was built on the same positions (the
// portfolio's updated_at), prices (the store's last price date), reporting currency and FX rates
// (the stored pairs' last dates and counts), unless `refresh`; otherwise built and cached. Throws
// as build_report does (invalid_input naming the pair when a rate is missing), and Error::usage
// without a store.
struct CachedReport {
  nlohmann::json document;
  bool hit = false;  // from the cache
};
CachedReport cached_report(const Context& cx, const PortfolioSummary& portfolio, const std::optional<Date>& as_of,
                           bool refresh, const std::optional<std::string>& currency = std::nullopt);

// The report cached_report would serve from the cache at the latest prices in the portfolio's
// reporting currency, if one is kept and still valid; nullopt otherwise (nothing is built).
std::optional<nlohmann::json> cached_report_only(const Context& cx, const PortfolioSummary& portfolio);

}  // namespace keel::service
