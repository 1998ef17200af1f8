// Fuzz target: what the market-data providers read from the network (keel/marketdata/provider.h):
// Yahoo's chart and quote summary, Polygon's aggregates and ticker reference, FRED's series
// description and observations (macro series and FX), Stooq's CSV and the Treasury's XML. The
// first byte picks the reader; the rest is the response body, served from the provider's response
// cache offline, the way `--offline` reads what a fetch kept. A FRED series takes two bodies (its
// description, then its observations), split at the first NUL byte.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "fuzz_common.h"
#include "keel/marketdata/cache.h"
#include "keel/marketdata/provider.h"

namespace {

using namespace keel;

// A directory of this process's own, removed at exit.
struct TempDir {
  std::string path = (std::filesystem::temp_directory_path() / "keel_provider_fuzz_XXXXXX").string();
  TempDir() {
    if (mkdtemp(path.data()) == nullptr) std::abort();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

const std::string& cache_root() {
  static const TempDir dir;
  return dir.path;
}

// Replaces what is cached for (provider, scope) by `body`.
void serve(const std::string& provider, const std::string& scope, const std::string& body) {
  std::filesystem::remove_all(std::filesystem::path(cache_root()) / provider / marketdata::cache_safe(scope));
  marketdata::ResponseCache(cache_root()).put(provider, scope, "fuzz", "", body);
}

std::unique_ptr<marketdata::Provider> offline(const std::string& name) {
  marketdata::ProviderOptions o;
  o.cache_dir = cache_root();
  o.offline = true;
  o.api_key = "fuzz";
  return marketdata::make_provider(name, std::move(o));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string body = fuzz::text(data + 1, size - 1);
  const Date from = Date::parse_or_throw("2020-01-01");
  const Date to = Date::parse_or_throw("2020-12-31");
  switch (data[0] % 8) {
    case 0:
      serve("yahoo", "AAA", body);
      fuzz::run([&] { (void)offline("yahoo")->prices("AAA", from, to); });
      break;
    case 1:
      serve("yahoo", "AAA.profile", body);
      fuzz::run([&] { (void)offline("yahoo")->profile("AAA"); });
      break;
    case 2:
      serve("polygon", "AAA", body);
      fuzz::run([&] { (void)offline("polygon")->prices("AAA", from, to); });
      break;
    case 3:
      serve("polygon", "AAA.profile", body);
      fuzz::run([&] { (void)offline("polygon")->profile("AAA"); });
      break;
    case 4: {
      const std::size_t nul = body.find('\0');
      serve("fred", "CPIAUCSL_info", body.substr(0, nul));
      serve("fred", "CPIAUCSL", nul == std::string::npos ? std::string() : body.substr(nul + 1));
      fuzz::run([&] { (void)offline("fred")->macro_series("CPIAUCSL", from, to); });
      break;
    }
    case 5:
      serve("fred", "DEXUSEU", body);
      fuzz::run([&] { (void)offline("fred")->fx_rates({"EUR"}, from, to); });
      break;
    case 6:
      serve("stooq", "AAA", body);
      fuzz::run([&] { (void)offline("stooq")->prices("AAA", from, to); });
      break;
    default:
      serve("treasury", "daily_treasury_yield_curve_2020", body);
      fuzz::run([&] { (void)offline("treasury")->curves(from, to); });
      break;
  }
  return 0;
}
