// keel/service/market_data.h: fetching market data from providers into the store
// (`keel fetch prices|actions|curve|factors` and the batch's market-data step).
//
// A fetch asks a provider (keel/marketdata/provider.h) only for the dates the store does not
// cover yet, validates every answer (keel/marketdata/validate.h) and writes bars, corporate
// actions and the new coverage in ONE transaction: when any symbol fails (unreachable host,
// malformed response, a bar failing the OHLC checks), nothing is stored and the error lists every
// problem. Flags (gaps, jumps, adjusted-close mismatches) are stored and reported. When the
// provider gives raw closes only (polygon), adjusted closes are recomputed over the symbol's
// whole stored history from its raw closes and stored actions. docs/marketdata.md has the rules.
// Each use case takes the Context of its face: the store it writes (required), and the key vault
// (Context::secrets) a keyed provider's API key is read from — the tenant's key named after the
// provider ("polygon", "fred") — before the provider's environment variable.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keel/core/date.h"
#include "keel/ledger/transaction.h"
#include "keel/marketdata/provider.h"
#include "keel/marketdata/validate.h"
#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"
#include "keel/store/store.h"

namespace keel::service {

// How to reach a provider, shared by every fetch: the provider, its options, and the face's
// settings (CLI flags `--base-url --cache --no-cache --offline --rate --timeout --connect-timeout
// --attempts`). The timeouts in seconds and no_cache are applied by provider_options().
struct MarketDataSource {
  std::string provider;                 // yahoo, stooq, polygon, fred, treasury, french
  marketdata::ProviderOptions options;  // base URL, key (default: the key vault's, else the
                                        // environment's), cache folder (empty: none), offline
  bool no_cache = false;                // keep no responses on disk (options.cache_dir is ignored)
  double timeout_s = 60.0;              // one whole request
  double connect_timeout_s = 10.0;

  // `options` with the timeouts applied and no cache when no_cache. Throws Error::usage for
  // offline with no_cache (offline reads the cache).
  marketdata::ProviderOptions provider_options() const;

  static constexpr const char* kSchemaName = "MarketDataSource";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A source with the provider's default options.
inline MarketDataSource provider_source(std::string provider) {
  MarketDataSource s;
  s.provider = std::move(provider);
  return s;
}

// What a provider's client did during a fetch (flattened into every fetch result).
struct ProviderStats {
  std::size_t requests = 0;  // HTTP attempts, retries included
  std::size_t retries = 0;
  std::size_t bytes = 0;  // response body bytes
  std::size_t cache_reads = 0;
  double waited_ms = 0.0;  // in the rate limiter and in backoff

  static constexpr const char* kSchemaName = "ProviderStats";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A range of dates, both ends included.
struct DateRange {
  Date from;
  Date to;

  static constexpr const char* kSchemaName = "DateRange";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A finding of the validation of fetched bars (marketdata::Finding).
struct MarketDataFinding {
  std::string symbol;
  std::string date;  // YYYY-MM-DD, empty when the finding is about the whole series
  std::string kind;  // ohlc, volume, price, duplicate, gap, jump, adjustment
  std::string message;

  static constexpr const char* kSchemaName = "MarketDataFinding";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FetchPricesRequest {
  MarketDataSource source;
  std::vector<std::string> symbols;         // and/or
  std::optional<std::string> portfolio;     // every priced symbol held (options: the underlying)
  std::optional<std::string> account;       // every symbol a ledger account holds in open lots
  bool all_holdings = false;                // every portfolio's and ledger account's held symbols
  std::optional<Date> from;  // default: where the symbol's coverage starts, else the day after its
                             // last stored price, else five years before `to`
  std::optional<Date> to;    // default: today (UTC)
  bool full = false;         // ignore coverage: request the whole from..to again
  bool with_actions = true;  // also fetch splits and dividends (providers that serve them)
  marketdata::ValidationOptions validation;  // calendar: NYSE, NASDAQ or none
  std::optional<Date> today;                 // default: the clock's UTC date (tests pin it)
  std::function<void(const std::string& symbol, std::size_t done, std::size_t total)> progress;

  static constexpr const char* kSchemaName = "FetchPricesRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One symbol of a price fetch.
struct FetchedSymbol {
  std::string symbol;
  std::vector<DateRange> requested;  // the ranges asked of the provider (none: up to date)
  std::string status;                // fetched, up_to_date or failed
  std::optional<std::string> error;  // failed: the provider's error
  std::optional<std::vector<MarketDataFinding>> errors;  // failed: the bars refused
  std::optional<std::size_t> bars;                       // bars received (absent when the request failed)
  std::optional<std::size_t> new_bars;                   // of those, dates not stored before
  std::optional<std::size_t> actions;                    // splits and dividends received
  std::optional<std::vector<std::string>> skipped;       // rows the provider left incomplete, with the reason
  std::optional<std::size_t> flags;                      // findings stored but reported
  std::optional<std::size_t> jumps_explained_by_splits;

  static constexpr const char* kSchemaName = "FetchedSymbol";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel fetch prices`: what was fetched, skipped and flagged.
struct FetchPricesResult {
  std::string provider;
  bool offline = false;
  Date to;
  bool stored = false;  // false only in a failed sync's report (the batch step's)
  std::vector<FetchedSymbol> symbols;
  std::size_t fetched_bars = 0;
  std::size_t skipped = 0;
  std::size_t flagged = 0;
  std::vector<MarketDataFinding> flags;
  std::size_t failed = 0;             // symbols whose bars were not stored (status failed)
  std::vector<std::string> warnings;  // one per failed symbol: what failed and why
  double elapsed_ms = 0.0;
  ProviderStats stats;

  static constexpr const char* kSchemaName = "FetchPricesResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Fetches, validates and stores, symbol by symbol: the bars of every symbol that came back valid
// are stored (in one write), each that failed is reported (status failed, a warning with the
// reason) and nothing of it is stored. Throws keel::Error (nothing stored): usage for no symbols, a
// provider without prices or an unknown calendar; not_found for an unknown portfolio or account;
// when every symbol failed, the first failure's category with every symbol's problem in details.
// Authorized as kPricesFetch and audited as `prices.fetch` (resource "prices": the provider, the
// symbols asked, stored and failed) when anything was stored.
FetchPricesResult fetch_prices(const Context& cx, const FetchPricesRequest& request);

// Fetching prices changes the market data every tenant shares, from the vendor the operator set up:
// the analyst's and the manager's to do as the batch's market-data step does.
inline constexpr UseCase kPricesFetch{"fetch prices", Permission::kCompute, "prices.fetch"};

// A price fetch started over HTTP (`POST /api/v1/prices/fetch`, job `prices.fetch`): what to sync.
// The provider, its host, its options and its key are the server's (KEEL_MARKET_DATA_PROVIDER,
// KEEL_MARKET_DATA_BASE_URL), never the request's: a request cannot point keel serve elsewhere.
struct PricesFetchRequest {
  std::vector<std::string> symbols;
  std::optional<std::string> portfolio;  // id or name
  std::optional<std::string> account;    // id or name
  bool all_holdings = false;
  std::optional<Date> from;
  std::optional<Date> to;
  bool full = false;

  static constexpr const char* kSchemaName = "PricesFetchRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The fetch `request` describes from `server`'s provider: the portfolio and account resolved by id
// or name (to their names), something to fetch required. Throws forbidden (kPricesFetch),
// conflict when the server has no provider, invalid_input when nothing is named, not_found for an
// unknown portfolio or account.
struct MarketDataStep;
FetchPricesRequest prices_fetch_request(const Context& cx, const PricesFetchRequest& request,
                                        const MarketDataStep& server);

struct MarketDataStepResult;
// The same run, never throwing for a provider or validation failure: status ok or failed (with
// the reason), and the report when the run got that far — for the batch step, which goes on
// with the data it has.
MarketDataStepResult sync_prices(const Context& cx, const FetchPricesRequest& request);

struct FetchActionsRequest {
  MarketDataSource source;
  std::vector<std::string> symbols;
  std::optional<std::string> portfolio;
  std::optional<Date> from;  // default: 1970-01-01 (every action the provider knows)
  std::optional<Date> to;    // default: today

  static constexpr const char* kSchemaName = "FetchActionsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A split or a cash dividend.
struct FetchedAction {
  std::string symbol;
  Date ex_date;
  std::string kind;                   // split or dividend
  std::optional<double> split_ratio;  // split: new shares per old share
  std::optional<double> cash_amount;  // dividend: per share, in `currency`
  std::string currency;

  static constexpr const char* kSchemaName = "FetchedAction";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FetchActionsResult {
  std::string provider;
  Date from;
  Date to;
  std::vector<FetchedAction> actions;
  std::size_t stored = 0;
  std::vector<std::string> recomputed;  // symbols whose adjusted closes were recomputed
  ProviderStats stats;

  static constexpr const char* kSchemaName = "FetchActionsResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Stores splits and dividends; recomputes adjusted closes of symbols whose stored closes are
// raw (synced from polygon).
FetchActionsResult fetch_actions(const Context& cx, const FetchActionsRequest& request);

inline constexpr UseCase kCurveFetch{"fetch yield curves (market data shared by every tenant)",
                                     Permission::kImportMarketData, "curve.fetch"};

struct FetchCurveRequest {
  MarketDataSource source = provider_source("treasury");  // treasury or fred
  std::string name = "UST";  // curve name in the store
  std::optional<Date> from;  // default: the day after the last stored curve of `name`, else 30 days back
  std::optional<Date> to;    // default: today

  static constexpr const char* kSchemaName = "FetchCurveRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FetchCurveResult {
  std::string provider;
  std::string name;
  Date from;
  Date to;
  std::size_t curves = 0;
  std::vector<Date> dates;  // one stored par curve per date
  std::string status;       // fetched, no_new_data or up_to_date
  ProviderStats stats;

  static constexpr const char* kSchemaName = "FetchCurveResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Stores one par curve per published day; audited as curve.fetch. Throws keel::Error: forbidden
// (kCurveFetch), invalid_input for a yield outside -5%..30%.
FetchCurveResult fetch_curve(const Context& cx, const FetchCurveRequest& request);

inline constexpr UseCase kFactorsFetch{"fetch factor returns (market data shared by every tenant)",
                                       Permission::kImportMarketData, "factors.fetch"};
// The same from the server's own source (POST /api/v1/factors/fetch): the returns come from the
// data library the operator's server reaches, validated, never from the request, so it is the
// permission of a prices fetch from the server (kPricesFetch: compute).
inline constexpr UseCase kFactorsFetchFromServer{"fetch factor returns from the server's source",
                                                 Permission::kCompute, "factors.fetch"};

struct FetchFactorsRequest {
  MarketDataSource source = provider_source("french");
  std::string dataset = "ff5";          // ff5, ff3 or mom
  std::string set;           // store set name; default: the dataset's
  std::optional<Date> from;  // default: the day after the set's last stored date (all history when none)
  std::optional<Date> to;    // default: today
  // Set by factors_fetch_request: the server's source, authorized as kFactorsFetchFromServer.
  bool from_server_provider = false;

  static constexpr const char* kSchemaName = "FetchFactorsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FetchFactorsResult {
  std::string provider;
  std::string dataset;
  std::string set;
  std::size_t rows = 0;
  spec::Nullable<Date> first;  // null: nothing new
  spec::Nullable<Date> last;
  std::vector<std::string> factors;
  std::string status;  // fetched or up_to_date
  ProviderStats stats;

  static constexpr const char* kSchemaName = "FetchFactorsResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Stores the dataset's daily factor returns (decimals) as factor set `set`; audited as
// factors.fetch. Throws forbidden (kFactorsFetch, or kFactorsFetchFromServer), usage for an
// unknown dataset or a provider without factors, invalid_input (nothing stored) for an implausible
// return, and the provider's errors.
FetchFactorsResult fetch_factors(const Context& cx, const FetchFactorsRequest& request);

// The batch's market-data step configuration: a provider name turns it on. The faces fill it
// (keel batch run --market-data, else the environment of keel/marketdata/environment.h).
struct MarketDataStep {
  std::string provider;                 // empty: the step is off
  marketdata::ProviderOptions options;  // base URL, offline, cache folder (empty: no cache)
  // The operator's host of another provider the server fetches from (french for factors, ecb for
  // FX rates): provider -> base URL; none: the vendor's public host.
  std::map<std::string, std::string> base_urls;
};

// The source of a fetch keel serve makes from its own market data for `provider`: the step's
// options (offline, cache) with the operator's base URL of that provider. Throws
// Error(conflict) when the server fetches no market data (no KEEL_MARKET_DATA_PROVIDER).
MarketDataSource server_source(const MarketDataStep& server, const std::string& provider);

// The body of POST /api/v1/factors/fetch (a factors.fetch job): a dataset of Kenneth French's
// data library, fetched by the server (never from a host the request names).
struct FactorsFetchRequest {
  std::string dataset = "ff5";
  std::string set;  // default: the dataset's name

  static constexpr const char* kSchemaName = "FactorsFetchRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The fetch `request` describes from the server's source. Throws forbidden
// (kFactorsFetchFromServer); conflict when the server fetches no market data; invalid_input naming
// `dataset` or `set`.
FetchFactorsRequest factors_fetch_request(const Context& cx, const FactorsFetchRequest& request,
                                          const MarketDataStep& server);

// The market-data step of a batch.
struct MarketDataStepResult {
  std::string status;                     // ok, failed or n/a
  std::optional<std::string> message;     // ok: what was synced
  std::optional<std::string> reason;      // failed, n/a: why
  std::optional<FetchPricesResult> report;  // the sync's report (fetch_prices), when it ran

  bool ok() const { return status == "ok"; }

  static constexpr const char* kSchemaName = "MarketDataStepResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The step for the portfolios' held symbols, and with `with_accounts` every ledger account's too
// (status n/a without a provider or held symbols), in the Context actor's tenant with its API keys.
MarketDataStepResult market_data_step(const Context& cx, const MarketDataStep& step,
                                      const std::vector<std::string>& portfolios, bool with_accounts = false);

// Ledger: SPLIT transactions for the stored splits of every symbol an account has traded, dated
// on the ex-date, after the account's first transaction in that symbol and absent from the ledger
// (same account, symbol and date). Returns how many were added (the list stays date-sorted).
std::size_t add_store_splits(Store& store, std::vector<ledger::Transaction>& transactions);

}  // namespace keel::service
