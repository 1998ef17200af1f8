// The descriptions of the requests and results of keel/service/security_master.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/security_master.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void FetchSymbolsRequest::fields(V& v, S& s) {
  v.field({.name = "provider", .help = "Provider: yahoo (quoteSummary) or polygon (ticker details, key)"},
          s.source.provider);
  v.flatten(s.source);
  v.field({.name = "symbols", .help = "Symbols, comma-separated"}, s.symbols);
  v.field(
      {.name = "portfolio", .help = "Every priced symbol held by this stored portfolio", .cli_short = "-p"},
      s.portfolio);
  v.field({.name = "refresh_days",
           .help = "Fetch again the records fetched more than this many days ago",
           .unit = "days",
           .min = 0,
           .max = 3650},
          s.refresh_days);
  v.field({.name = "full", .help = "Fetch every symbol again, ignoring what is stored"}, s.full);
}
KEEL_SPEC_REQUEST_FIELDS(FetchSymbolsRequest)

template <class V, class S>
void SymbolsFetchRequest::fields(V& v, S& s) {
  v.field({.name = "symbols", .help = "Symbols to fetch"}, s.symbols);
  v.field({.name = "portfolio", .help = "Every priced symbol held by this portfolio (id or name)"}, s.portfolio);
  v.field({.name = "refresh_days", .help = "Fetch again the records fetched more than this many days ago",
           .unit = "days", .min = 0, .max = 3650},
          s.refresh_days);
  v.field({.name = "full", .help = "Fetch every symbol again, ignoring what is stored"}, s.full);
}
KEEL_SPEC_REQUEST_FIELDS(SymbolsFetchRequest)

template <class V, class S>
void SymbolRecord::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "name"}, s.name);
  v.field({.name = "exchange", .help = "The listing's exchange as the provider names it"}, s.exchange);
  v.field({.name = "currency", .help = "ISO 4217 code the symbol trades in"}, s.currency);
  v.field({.name = "sector"}, s.sector);
  v.field({.name = "industry"}, s.industry);
  v.field({.name = "market_cap", .help = "Market capitalisation", .unit = "units of currency"}, s.market_cap);
  v.field({.name = "country", .help = "The issuer's country (Polygon: its locale)"}, s.country);
  v.field({.name = "asset_type",
           .help = "equity, etf, fund, adr, index, crypto, currency, future, option or other"},
          s.asset_type);
  v.field({.name = "source", .help = "Provider of the record; empty for an imported file"}, s.source);
  v.field({.name = "fetched_at", .help = "When it was fetched (ISO 8601 UTC); empty: never"}, s.fetched_at);
}
KEEL_SPEC_FIELDS(SymbolRecord)

template <class V, class S>
void FetchedSymbolInfo::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "status", .help = "fetched, up_to_date or failed"}, s.status);
  v.field({.name = "error", .help = "Why the request failed"}, s.error);
  v.field({.name = "errors", .help = "Fields the validation refused, each named"}, s.errors);
  v.field({.name = "record", .help = "The record stored"}, s.record);
}
KEEL_SPEC_FIELDS(FetchedSymbolInfo)

template <class V, class S>
void FetchSymbolsResult::fields(V& v, S& s) {
  v.field({.name = "provider"}, s.provider);
  v.field({.name = "offline", .help = "Only cached responses were read"}, s.offline);
  v.field({.name = "symbols", .help = "One entry per symbol, in request order"}, s.symbols);
  v.field({.name = "fetched", .help = "Records fetched and stored"}, s.fetched);
  v.field({.name = "up_to_date", .help = "Records fetched recently enough, not asked for"}, s.up_to_date);
  v.flatten(s.stats);
}
KEEL_SPEC_FIELDS(FetchSymbolsResult)

template <class V, class S>
void SymbolsListRequest::fields(V& v, S& s) {
  v.field({.name = "symbols", .help = "Only these symbols, comma-separated"}, s.symbols);
  v.field({.name = "sector", .help = "Only this sector (case-insensitive)"}, s.sector);
}
KEEL_SPEC_REQUEST_FIELDS(SymbolsListRequest)

template <class V, class S>
void SymbolsList::fields(V& v, S& s) {
  v.field({.name = "symbols", .help = "Records by symbol"}, s.symbols);
  v.field({.name = "total", .help = "Records listed"}, s.total);
}
KEEL_SPEC_FIELDS(SymbolsList)

}  // namespace keel::service
