// Private: helpers shared by the market_data_*.cpp use cases (keel/service/market_data.h).
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "keel/core/date.h"
#include "keel/core/env.h"
#include "keel/marketdata/provider.h"
#include "keel/marketdata/validate.h"

namespace keel::service::detail {

// The clock's date in UTC.
Date utc_today(const Clock& clock);
// [{"symbol","date","kind","message"}]
nlohmann::json findings_json(const std::vector<marketdata::Finding>& findings);
// {"requests","retries","bytes","cache_reads","waited_ms"} of a provider's run.
nlohmann::json stats_json(const marketdata::Provider& provider);

}  // namespace keel::service::detail
