#include "keel/marketdata/environment.h"

#include <cstdlib>
#include <string>

#include "keel/marketdata/cache.h"

namespace keel::marketdata {

MarketDataEnvironment market_data_environment() {
  MarketDataEnvironment env;
  if (const char* p = std::getenv("KEEL_MARKET_DATA_PROVIDER"); p && *p) env.provider = p;
  if (const char* b = std::getenv("KEEL_MARKET_DATA_BASE_URL"); b && *b) env.options.base_url = b;
  if (const char* o = std::getenv("KEEL_MARKET_DATA_OFFLINE"); o && std::string(o) == "1") env.options.offline = true;
  env.options.cache_dir = default_cache_root();
  for (const char* provider : {"french", "ecb", "fred", "treasury", "yahoo", "stooq", "polygon"}) {
    std::string name = "KEEL_MARKET_DATA_BASE_URL_";
    for (const char* c = provider; *c; ++c) name += static_cast<char>(*c - 'a' + 'A');
    if (const char* b = std::getenv(name.c_str()); b && *b) env.base_urls[provider] = b;
  }
  return env;
}

}  // namespace keel::marketdata
