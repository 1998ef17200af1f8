// keel/service/fx_fetch.h: `keel fetch fx` — daily FX rates from a provider (the ECB's euro
// reference rates, FRED's noon buying rates) into the store, like `keel fetch prices`.
//
// Incremental: each pair the provider serves is asked for from the day after its last stored rate
// (a pair never stored: from `from`, default one year back); one request covers every currency
// from the earliest of those days. Every rate fetched is checked as a rates file is (FxRates:
// positive, finite, currency codes) and against the stored rates of the inverse pairs, then
// written in ONE transaction: all of it or, when anything fails, nothing. Rates are market data
// shared by every tenant: the permission of `keel import fx` (kFxImport), audited as fx.fetch.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/service/market_data.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

inline constexpr UseCase kFxFetch{"fetch FX rates (market data shared by every tenant)",
                                  Permission::kImportMarketData, "fx.fetch"};

// The same from the server's own source (POST /api/v1/fx/fetch): the ECB's reference rates as
// the operator's server reaches them, validated, never from the request, so it is the permission
// of a prices fetch from the server (kPricesFetch: compute).
inline constexpr UseCase kFxFetchFromServer{"fetch FX rates from the server's source", Permission::kCompute,
                                            "fx.fetch"};

struct FetchFxRequest {
  MarketDataSource source = provider_source("ecb");  // ecb or fred
  std::vector<std::string> currencies;  // default: the provider's (ecb: USD,GBP,JPY,CHF; fred: EUR,GBP,JPY)
  std::optional<Date> from;             // default: after each pair's last stored rate, else a year back
  std::optional<Date> to;               // default: today (UTC)
  bool full = false;                    // ignore what is stored: request from..to again
  // Set by fx_fetch_request: the server's source, authorized as kFxFetchFromServer.
  bool from_server_provider = false;

  static constexpr const char* kSchemaName = "FetchFxRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One pair of a fetch.
struct FetchedFxPair {
  std::string pair;  // BASE/QUOTE as the provider quotes it
  spec::Nullable<Date> stored_until;  // its last stored rate before the fetch
  std::size_t rates = 0;              // rates received
  spec::Nullable<Date> first;
  spec::Nullable<Date> last;

  static constexpr const char* kSchemaName = "FetchedFxPair";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FetchFxResult {
  std::string provider;
  Date from;  // the range asked for
  Date to;
  std::string status;  // fetched, no_new_data or up_to_date
  std::vector<FetchedFxPair> pairs;
  std::size_t rates = 0;
  ProviderStats stats;

  static constexpr const char* kSchemaName = "FetchFxResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws keel::Error (nothing stored): forbidden (kFxFetch, or kFxFetchFromServer); usage for a
// provider without FX rates or a currency it has no series of; the provider's errors;
// invalid_input for a rate refused.
FetchFxResult fetch_fx(const Context& cx, const FetchFxRequest& request);

// The body of POST /api/v1/fx/fetch (an fx.fetch job): the ECB's euro reference rates of the
// currencies named, or of those a portfolio needs (its positions' currencies and its reporting
// one, each against the euro, so that any two of them convert through it), fetched by the server.
struct FxFetchRequest {
  std::vector<std::string> currencies;
  std::optional<std::string> portfolio;  // id or name
  std::optional<Date> from;              // default: after each pair's last stored rate, else a year back
  bool full = false;

  static constexpr const char* kSchemaName = "FxFetchRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The fetch `request` describes from the server's source (the ECB), the portfolio resolved by id
// or name and its currencies listed. Throws forbidden (kFxFetchFromServer); conflict when the
// server fetches no market data; invalid_input for a bad code or nothing to fetch (a portfolio
// wholly in euros needs no rate); not_found for an unknown portfolio.
FetchFxRequest fx_fetch_request(const Context& cx, const FxFetchRequest& request, const MarketDataStep& server);

}  // namespace keel::service
