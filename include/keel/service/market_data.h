// keel/service/market_data.h: fetching market data from providers into the store (issue #22;
// `keel fetch prices|actions|curve|factors` and the batch's market-data step).
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

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/ledger/transaction.h"
#include "keel/marketdata/provider.h"
#include "keel/marketdata/validate.h"
#include "keel/service/context.h"
#include "keel/service/spec.h"
#include "keel/store/store.h"

namespace keel::service {

struct MarketDataSource {
  std::string provider;                 // yahoo, stooq, polygon, fred, treasury, french
  marketdata::ProviderOptions options;  // base URL, key (default: the key vault's, else the
                                        // environment's), cache, offline
};

struct FetchPricesRequest {
  MarketDataSource source;
  std::vector<std::string> symbols;         // and/or
  std::optional<std::string> portfolio;     // every priced symbol held (options: the underlying)
  std::string tenant = kDefaultTenant;
  std::optional<Date> from;  // default: where the symbol's coverage starts, else the day after its
                             // last stored price, else five years before `to`
  std::optional<Date> to;    // default: today (UTC)
  bool full = false;         // ignore coverage: request the whole from..to again
  bool with_actions = true;  // also fetch splits and dividends (providers that serve them)
  marketdata::ValidationOptions validation;
  std::optional<Date> today;  // default: the system's UTC date (tests pin it)
  std::function<void(const std::string& symbol, std::size_t done, std::size_t total)> progress;
};

// Fetches, validates and stores; returns the report {"provider","from","to","stored":true,
// "symbols":[{"symbol","status":"fetched|up_to_date","requested":[{"from","to"}],"bars","new_bars",
// "actions","skipped":[..],"flags":n}], "fetched_bars","skipped","flagged","flags":[{"symbol","date",
// "kind","message"}],"requests","retries","cache_reads","bytes","elapsed_ms"}. Throws keel::Error
// (nothing stored): usage for no symbols or a provider without prices; not_found for an unknown
// portfolio; otherwise the first failure's category with every symbol's problem in details.
nlohmann::json fetch_prices(const Context& cx, const FetchPricesRequest& request);

struct MarketDataStepResult;
// The same run, never throwing for a provider or validation failure: status ok or failed (with
// the reason), and the report when the run got that far — for the batch step, which goes on
// with the data it has.
MarketDataStepResult sync_prices(const Context& cx, const FetchPricesRequest& request);

struct FetchActionsRequest {
  MarketDataSource source;
  std::vector<std::string> symbols;
  std::optional<std::string> portfolio;
  std::string tenant = kDefaultTenant;
  std::optional<Date> from;  // default: 1970-01-01 (every action the provider knows)
  std::optional<Date> to;    // default: today
};
// Stores splits and dividends; recomputes adjusted closes of symbols whose stored closes are
// raw (synced from polygon). {"provider","actions":[{"symbol","ex_date","kind","split_ratio"|
// "cash_amount","currency"}],"stored","recomputed":[symbols],"requests"}.
nlohmann::json fetch_actions(const Context& cx, const FetchActionsRequest& request);

struct FetchCurveRequest {
  MarketDataSource source;   // treasury or fred
  std::string tenant = kDefaultTenant;  // whose API key (the key vault's) a keyed provider uses
  std::string name = "UST";  // curve name in the store
  std::optional<Date> from;  // default: the day after the last stored curve of `name`, else 30 days back
  std::optional<Date> to;    // default: today
};
// Stores one par curve per published day: {"provider","name","from","to","curves":n,"dates":[..],
// "requests","cache_reads"}. Throws keel::Error(invalid_input) for a yield outside -5%..30%.
nlohmann::json fetch_curve(const Context& cx, const FetchCurveRequest& request);

struct FetchFactorsRequest {
  MarketDataSource source;   // french
  std::string tenant = kDefaultTenant;  // whose API key (the key vault's) a keyed provider uses
  std::string dataset = "ff5";
  std::string set;           // store set name; default: the dataset's
  std::optional<Date> from;  // default: the day after the set's last stored date (all history when none)
  std::optional<Date> to;    // default: today
};
// {"provider","dataset","set","rows","first","last","factors":[names],"requests","cache_reads"}.
nlohmann::json fetch_factors(const Context& cx, const FetchFactorsRequest& request);

// The batch's market-data step configuration: a provider name turns it on. The faces fill it
// (keel batch run --market-data, else the environment of keel/marketdata/environment.h).
struct MarketDataStep {
  std::string provider;                 // empty: the step is off
  marketdata::ProviderOptions options;  // base URL, offline, cache folder (empty: no cache)
};

// The market-data step of a batch.
struct MarketDataStepResult {
  std::string status;                     // ok, failed or n/a
  std::optional<std::string> message;     // ok: what was synced
  std::optional<std::string> reason;      // failed, n/a: why
  std::optional<nlohmann::json> report;   // the sync's report (fetch_prices), when it ran

  static constexpr const char* kSchemaName = "MarketDataStepResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "status", .help = "ok, failed or n/a"}, s.status);
    v.field({.name = "message", .help = "What was synced (ok)"}, s.message);
    v.field({.name = "reason", .help = "Why not (failed, n/a)"}, s.reason);
    v.field({.name = "report", .help = "The sync's report (as `keel fetch prices` writes it), when it ran"},
            s.report);
  }
};

// The step for the portfolios' held symbols (status n/a without a provider or held symbols).
MarketDataStepResult market_data_step(const Context& cx, const MarketDataStep& step,
                                      const std::string& tenant, const std::vector<std::string>& portfolios);

// Ledger: SPLIT transactions for the stored splits of every symbol an account has traded, dated
// on the ex-date, after the account's first transaction in that symbol and absent from the ledger
// (same account, symbol and date). Returns how many were added (the list stays date-sorted).
std::size_t add_store_splits(Store& store, std::vector<ledger::Transaction>& transactions);

}  // namespace keel::service
