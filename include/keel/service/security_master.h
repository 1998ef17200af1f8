// keel/service/security_master.h: the security master — `keel fetch symbols` (name, exchange,
// currency, sector, industry, market cap, country, asset type from a provider's reference data)
// and `keel symbols list` / GET /api/v1/symbols.
//
// The fetch is incremental like `keel fetch prices`: it asks the provider only for the symbols
// whose record is missing, was never fetched, or was fetched more than refresh_days days ago (by
// UTC date); `full` asks for every one. Each answer is validated (marketdata::validate_profile:
// every problem names its field) and the records are written in ONE transaction: when any symbol
// fails, nothing is stored and the error lists every symbol's problem. The security master is
// market data shared by every tenant: the permission of `keel import prices` (kImportMarketData),
// audited as symbols.fetch. docs/marketdata.md, "Security master".
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/portfolio/symbol_info.h"
#include "keel/service/context.h"
#include "keel/service/market_data.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

inline constexpr UseCase kSymbolsFetch{"fetch the security master (market data shared by every tenant)",
                                       Permission::kImportMarketData, "symbols.fetch"};
// The same from the server's own provider (POST /api/v1/symbols/fetch): the records come from the
// operator's vendor, validated, never from the request, so it is the permission of a prices fetch
// from it (kPricesFetch: compute).
inline constexpr UseCase kSymbolsFetchFromServer{"fetch the security master from the server's provider",
                                                 Permission::kCompute, "symbols.fetch"};

struct FetchSymbolsRequest {
  MarketDataSource source = provider_source("yahoo");  // yahoo or polygon
  std::vector<std::string> symbols;                     // and/or
  std::optional<std::string> portfolio;                 // every priced symbol held (options: the underlying)
  int refresh_days = 30;                                // records fetched longer ago are fetched again
  bool full = false;                                    // fetch every symbol, whatever is stored
  // Set by symbols_fetch_request: the server's provider, authorized as kSymbolsFetchFromServer.
  bool from_server_provider = false;

  static constexpr const char* kSchemaName = "FetchSymbolsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The body of POST /api/v1/symbols/fetch (a symbols.fetch job): what to fetch. The provider is the
// server's market-data provider (KEEL_MARKET_DATA_PROVIDER, when it is one with reference data:
// yahoo or polygon), never the request's: a request cannot point keel serve elsewhere.
struct SymbolsFetchRequest {
  std::vector<std::string> symbols;
  std::optional<std::string> portfolio;  // id or name
  int refresh_days = 30;
  bool full = false;

  static constexpr const char* kSchemaName = "SymbolsFetchRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The fetch `request` describes from `server`'s provider, the portfolio resolved by id or name.
// Throws forbidden (kSymbolsFetchFromServer); conflict when the server has no provider, or one without
// reference data; invalid_input when nothing is named; not_found for an unknown portfolio.
FetchSymbolsRequest symbols_fetch_request(const Context& cx, const SymbolsFetchRequest& request,
                                          const MarketDataStep& server);

// One security-master record as the faces show it.
struct SymbolRecord {
  std::string symbol;
  std::string name;
  std::string exchange;
  std::string currency;
  std::string sector;
  std::string industry;
  std::optional<double> market_cap;
  std::string country;
  std::string asset_type;
  std::string source;      // the provider, or "" for a record from `keel import sectors`
  std::string fetched_at;  // ISO 8601 UTC, or ""

  static constexpr const char* kSchemaName = "SymbolRecord";
  template <class V, class S>
  static void fields(V& v, S& s);
};

SymbolRecord symbol_record(const SymbolInfo& info);

// One symbol of a fetch.
struct FetchedSymbolInfo {
  std::string symbol;
  std::string status;  // fetched, up_to_date or failed
  std::optional<std::string> error;                // failed: why
  std::optional<std::vector<std::string>> errors;  // failed: the fields refused, each named
  std::optional<SymbolRecord> record;              // fetched: what was stored

  static constexpr const char* kSchemaName = "FetchedSymbolInfo";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FetchSymbolsResult {
  std::string provider;
  bool offline = false;
  std::vector<FetchedSymbolInfo> symbols;  // in request order
  std::size_t fetched = 0;
  std::size_t up_to_date = 0;
  ProviderStats stats;

  static constexpr const char* kSchemaName = "FetchSymbolsResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws keel::Error (nothing stored): forbidden (kSymbolsFetch); usage for no symbols or a
// provider without reference data; not_found for an unknown portfolio; otherwise the first
// failure's category (not_found for an unknown symbol, invalid_input for a refused record) with
// every symbol's problem in details.
FetchSymbolsResult fetch_symbols(const Context& cx, const FetchSymbolsRequest& request);

struct SymbolsListRequest {
  std::vector<std::string> symbols;  // empty: every record
  std::optional<std::string> sector;

  static constexpr const char* kSchemaName = "SymbolsListRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct SymbolsList {
  std::vector<SymbolRecord> symbols;
  std::size_t total = 0;

  static constexpr const char* kSchemaName = "SymbolsList";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The stored records (imported or fetched). Needs the read permission.
SymbolsList list_symbols(const Context& cx, const SymbolsListRequest& request);

}  // namespace keel::service
