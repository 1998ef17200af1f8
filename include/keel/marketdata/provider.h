// keel/marketdata/provider.h: market-data providers behind one interface.
//
// A Provider speaks one vendor's documented HTTP API through HttpClient (rate limit, retries,
// timeouts) and caches every response body on disk (ResponseCache). What each serves:
//   yahoo     prices (split-adjusted close + adjusted close) and actions, v8 chart JSON; the
//             security master from the v10 quoteSummary JSON; no key
//   stooq     prices (daily CSV), no key
//   polygon   prices (raw aggregates, adjusted=false) and actions (splits, dividends); the
//             security master from the v3 ticker details; key
//   fred      the Treasury constant-maturity curve (DGS1MO..DGS30 series observations), key
//   treasury  the US Treasury daily par yield curve CSV, no key
//   french    Fama-French factors from Kenneth French's data library zip, no key
//   ecb       FX: the ECB's daily euro reference rates (SDMX REST, CSV), no key
// and fred also FX: its daily noon buying rates in New York (DEXUSEU, DEXUSUK, DEXJPUS, ...), and
// any series by id as a macro series (CPIAUCSL, UNRATE, DGS10: its description and observations).
// docs/marketdata.md lists the URLs, the fields read and each vendor's limits.
//
// With `offline`, no request is made: each method rebuilds its answer from every cached response
// of the series, and a series never fetched is an error (not_found) naming the cache folder.
//
// Thread-safety: a Provider is used by one thread at a time. Ownership: it owns its HttpClient.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/marketdata/cache.h"
#include "keel/marketdata/http.h"
#include "keel/portfolio/fx.h"
#include "keel/portfolio/market_data.h"
#include "keel/portfolio/symbol_info.h"

namespace keel::marketdata {

struct ProviderOptions {
  std::string base_url;            // empty: the vendor's public host (tests point it at loopback)
  std::string api_key;             // empty: read from the provider's environment variable (the
                                   // service sets it from the key vault first)
  HttpOptions http;
  double requests_per_second = 0;  // 0: the provider's documented or polite default
  std::string cache_dir;           // empty: no cache
  bool offline = false;            // cache only
  // The time of the cached responses' fetched_at and of Retry-After dates (unless http.clock is
  // set); null: the system clock. Must outlive the provider.
  const Clock* clock = nullptr;
};

// One symbol's daily bars as the provider gave them, dates ascending.
struct PriceSeries {
  std::string symbol;
  std::string currency = "USD";
  std::vector<Date> date;
  std::vector<double> open, high, low, close, adj_close, volume;  // kMissing where absent
  // How `close` is quoted: raw (as traded that day) or already adjusted for later splits
  // (Yahoo's chart close). Adjusted closes are recomputed from raw closes and stored actions.
  bool close_split_adjusted = false;
  bool has_adj_close = false;       // the provider gave an adjusted close
  std::vector<CorporateAction> actions;  // events the response carried (Yahoo's chart events)
  std::vector<std::string> skipped;      // rows the provider left incomplete, with the reason
  std::size_t size() const { return date.size(); }
};

// A macro-economic series by id (fred: any FRED series — CPIAUCSL, UNRATE, DGS10), as the provider
// describes it, with its observations in from..to (days without a value left out).
struct MacroSeries {
  std::string id;
  std::string title;
  std::string units;      // as the provider states them: "Index 1982-1984=100", "Percent"
  std::string frequency;  // "Monthly", "Daily, Close"
  std::vector<Date> date;
  std::vector<double> value;  // in `units`
};

struct Capabilities {
  bool prices = false;
  bool macro = false;
  bool actions = false;
  bool curve = false;
  bool factors = false;
  bool fx = false;
  bool profile = false;  // the security master (name, exchange, currency, sector, ...)
};

class Provider {
 public:
  virtual ~Provider() = default;
  virtual std::string name() const = 0;
  virtual Capabilities capabilities() const = 0;
  // Daily bars of `symbol` from..to inclusive. Throws keel::Error: not_found for an unknown
  // symbol, invalid_input for a malformed response, the HttpClient's errors otherwise.
  virtual PriceSeries prices(const std::string& symbol, Date from, Date to);
  // Splits and cash dividends of `symbol` with ex-dates in from..to.
  virtual std::vector<CorporateAction> actions(const std::string& symbol, Date from, Date to);
  // Par (or constant-maturity) yield curves, one per business day in from..to, rates decimal.
  virtual std::vector<CurveData> curves(Date from, Date to);
  // A factor dataset (e.g. "ff5", "ff3") as decimal daily returns in from..to.
  virtual FactorTable factors(const std::string& dataset, Date from, Date to);
  // Daily FX rates between `currencies` and the provider's own currency (ecb: EUR against each
  // of them; fred: USD against each, one series per currency) in from..to, as the provider
  // quotes them (docs/fx.md: units of quote per unit of base). A day the provider left without a
  // value is absent. Throws keel::Error: usage for a currency the provider has no series of.
  virtual FxRows fx_rates(const std::vector<std::string>& currencies, Date from, Date to);
  // The security master's record of `symbol` as the provider gives it: every field but
  // source and fetched_at (the service fills those), asset_type normalised (see
  // normalise_asset_type), currency as given (Polygon's lower-case code upper-cased; Yahoo's
  // "GBp" for pence kept, so validation refuses it). Not validated (validate_profile does that).
  // Throws keel::Error: not_found for an unknown symbol, invalid_input for a malformed response
  // (the detail names the JSON field), the HttpClient's errors otherwise.
  virtual SymbolInfo profile(const std::string& symbol);
  // The series `id` (its description and observations in from..to). Throws keel::Error: usage
  // when the provider serves no macro series, the HttpClient's errors (an unknown id: the
  // provider's 400 or 404), invalid_input for a malformed response.
  virtual MacroSeries macro_series(const std::string& id, Date from, Date to);
  // The currencies fx_rates serves when none are asked for.
  virtual std::vector<std::string> default_fx_currencies() const { return {}; }

  const HttpStats& http_stats() const { return http_->stats(); }
  std::size_t cache_reads() const { return cache_reads_; }
  bool offline() const { return options_.offline; }
  // Scrubs this provider's secrets (its API key) from `text`.
  std::string redact(const std::string& text) const { return http_->redact(text); }

 protected:
  Provider(std::string name, ProviderOptions options, double default_rate, double burst,
           std::vector<std::string> secrets = {});
  // Online: GETs `url`, caches the body under (scope, name) and returns it alone. Offline: every
  // cached body of `scope` (oldest first); not_found when there is none.
  std::vector<std::string> bodies(const std::string& scope, const std::string& name, const std::string& url);
  std::string base(const std::string& default_url) const;

  ProviderOptions options_;
  std::unique_ptr<HttpClient> http_;
  ResponseCache cache_;
  std::size_t cache_reads_ = 0;
  std::string name_;
};

// Provider names: yahoo, stooq, polygon, fred, treasury, french, ecb.
std::vector<std::string> provider_names();
// Builds a provider. Throws keel::Error: usage for an unknown name; unauthorized when the provider
// needs a key and neither options.api_key (the service fills it from the key vault) nor its
// environment variable (KEEL_FRED_API_KEY, KEEL_POLYGON_API_KEY) gives one, unless offline.
std::unique_ptr<Provider> make_provider(const std::string& name, ProviderOptions options);

// The vendor's public API a provider reaches when no base URL is given ("https://api.polygon.io"),
// or "" for an unknown name.
std::string default_base_url(const std::string& provider);

// The environment variable holding a provider's API key, or "" when it needs none.
std::string api_key_variable(const std::string& provider);
// The name of a provider's API key in the key vault (`keel keys set polygon`): the provider's
// name, or "" when it needs none.
std::string api_key_name(const std::string& provider);

// Sorts a series by date, later duplicates of a date replacing earlier ones (cache merges); the
// caller's validation sees duplicates from a single response before this runs.
void sort_and_merge(PriceSeries& series);
// Keeps the rows with from <= date <= to.
void clip(PriceSeries& series, Date from, Date to);

}  // namespace keel::marketdata
