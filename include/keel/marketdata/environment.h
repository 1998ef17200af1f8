// keel/marketdata/environment.h: the market-data settings the keel command and `keel serve` take
// from their environment, read once by those faces and handed to the service (which reads no
// environment itself).
//
//   KEEL_MARKET_DATA_PROVIDER   the batch's market-data step provider (empty: the step is off)
//   KEEL_MARKET_DATA_BASE_URL   the provider's host (empty: the vendor's public host)
//   KEEL_MARKET_DATA_OFFLINE=1  cached responses only
//   KEEL_MARKET_DATA_BASE_URL_<PROVIDER>  the host of another provider keel serve fetches from
//                               (FRENCH for factor returns, ECB for FX rates; empty: the public host)
// and the response cache root of cache.h's default_cache_root() ($KEEL_CACHE_DIR, ...).
//
// Thread-safety: reads the process environment (std::getenv); call it while no thread changes it.
#pragma once

#include <map>
#include <string>

#include "keel/marketdata/provider.h"

namespace keel::marketdata {

struct MarketDataEnvironment {
  std::string provider;     // KEEL_MARKET_DATA_PROVIDER
  ProviderOptions options;  // base_url, offline, cache_dir (API keys: the key vault's, read by the
                            // service, else the provider's own environment variable)
  std::map<std::string, std::string> base_urls;  // provider -> KEEL_MARKET_DATA_BASE_URL_<PROVIDER>
};

// The settings above as the environment gives them now.
MarketDataEnvironment market_data_environment();

}  // namespace keel::marketdata
