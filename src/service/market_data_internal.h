// Private: helpers shared by the market_data_*.cpp use cases (keel/service/market_data.h).
#pragma once

#include <vector>

#include "keel/core/date.h"
#include "keel/core/env.h"
#include "keel/marketdata/provider.h"
#include "keel/marketdata/validate.h"
#include "keel/service/context.h"
#include "keel/service/market_data.h"

namespace keel::service::detail {

// The provider of `source`, its API key (when it needs one and the options give none) read from
// the key vault (Context::secrets) as `tenant`'s key named after the provider ("polygon", "fred");
// without one there, make_provider falls back to the provider's environment variable.
std::unique_ptr<marketdata::Provider> open_provider(const Context& cx, const std::string& tenant,
                                                    const MarketDataSource& source);

// `given`, then every priced symbol `portfolio` holds (an option: its underlying), each once.
// Throws Error: not_found for an unknown portfolio, usage when no symbol is left.
std::vector<std::string> symbols_of(Store& store, const std::vector<std::string>& given,
                                    const std::optional<std::string>& portfolio, const std::string& tenant);

// Every symbol ledger account `account` of `tenant` holds in open lots (its rows booked; every
// symbol it names when they do not book), in symbol order; none for an unknown account.
std::vector<std::string> account_symbols(Store& store, const std::string& tenant, const std::string& account);

// The clock's date in UTC.
Date utc_today(const Clock& clock);
// The validation's findings as results.
std::vector<MarketDataFinding> findings_of(const std::vector<marketdata::Finding>& findings);
// What the provider's client did.
ProviderStats stats_of(const marketdata::Provider& provider);

}  // namespace keel::service::detail
