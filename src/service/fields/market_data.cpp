// The descriptions of the requests and results of keel/service/market_data.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/market_data.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void MarketDataSource::fields(V& v, S& s) {
  v.field({.name = "base_url", .help = "Provider base URL (default: the vendor's public host)"},
          s.options.base_url);
  v.field({.name = "cache",
           .help = "Response cache folder (default: $KEEL_CACHE_DIR or ~/.cache/keel/marketdata)",
           .faces = spec::kCli},
          s.options.cache_dir);
  v.field({.name = "no_cache", .help = "Do not keep responses on disk", .faces = spec::kCli}, s.no_cache);
  v.field({.name = "offline", .help = "Make no request: use the cached responses only"}, s.options.offline);
  v.field({.name = "requests_per_second",
           .help = "Request rate (0: the provider's limit)",
           .unit = "requests per second",
           .min = 0,
           .cli_name = "rate"},
          s.options.requests_per_second);
  v.field({.name = "timeout_s",
           .help = "One whole request",
           .unit = "seconds",
           .min = 0,
           .min_exclusive = true,
           .cli_name = "timeout"},
          s.timeout_s);
  v.field({.name = "connect_timeout_s",
           .help = "Connecting",
           .unit = "seconds",
           .min = 0,
           .min_exclusive = true,
           .cli_name = "connect-timeout"},
          s.connect_timeout_s);
  v.field(
      {.name = "attempts", .help = "Attempts per request (retries on 429 and 5xx)", .min = 1, .max = 20},
      s.options.http.max_attempts);
}
KEEL_SPEC_REQUEST_FIELDS(MarketDataSource)

template <class V, class S>
void ProviderStats::fields(V& v, S& s) {
  v.field({.name = "requests", .help = "HTTP attempts sent, retries included"}, s.requests);
  v.field({.name = "retries", .help = "Attempts after the first"}, s.retries);
  v.field({.name = "bytes", .help = "Response body bytes received", .unit = "bytes"}, s.bytes);
  v.field({.name = "cache_reads", .help = "Responses read from the cache"}, s.cache_reads);
  v.field({.name = "waited_ms",
           .help = "Time waited in the rate limiter and in backoff",
           .unit = "milliseconds"},
          s.waited_ms);
}
KEEL_SPEC_FIELDS(ProviderStats)

template <class V, class S>
void DateRange::fields(V& v, S& s) {
  v.field({.name = "from"}, s.from);
  v.field({.name = "to"}, s.to);
}
KEEL_SPEC_FIELDS(DateRange)

template <class V, class S>
void MarketDataFinding::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "date", .help = "YYYY-MM-DD; empty when about the whole series"}, s.date);
  v.field({.name = "kind", .help = "ohlc, volume, price, duplicate, gap, jump or adjustment"}, s.kind);
  v.field({.name = "message"}, s.message);
}
KEEL_SPEC_FIELDS(MarketDataFinding)

template <class V, class S>
void FetchPricesRequest::fields(V& v, S& s) {
  v.field({.name = "provider", .help = "Provider: yahoo, stooq or polygon", .required = true},
          s.source.provider);
  v.flatten(s.source);
  v.field({.name = "symbols", .help = "Symbols, comma-separated"}, s.symbols);
  v.field(
      {.name = "portfolio", .help = "Every priced symbol held by this stored portfolio", .cli_short = "-p"},
      s.portfolio);
  v.field({.name = "account", .help = "Every symbol held (in open lots) by this ledger account"}, s.account);
  v.field({.name = "all_holdings",
           .help = "Every priced symbol held by the tenant's portfolios and ledger accounts"},
          s.all_holdings);
  v.field({.name = "from", .help = "First date (default: continue the stored history, else 5 years back)"},
          s.from);
  v.field({.name = "to", .help = "Last date (default: today)"}, s.to);
  v.field({.name = "full", .help = "Request the whole range again, ignoring what was synced"}, s.full);
  v.field({.name = "actions", .help = "Request splits and dividends separately (polygon)"}, s.with_actions);
  v.field({.name = "calendar", .help = "Exchange calendar of the gap checks: NYSE, NASDAQ or none"},
          s.validation.calendar);
}
KEEL_SPEC_REQUEST_FIELDS(FetchPricesRequest)

template <class V, class S>
void FetchedSymbol::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "requested", .help = "Date ranges asked of the provider (empty: up to date)"},
          s.requested);
  v.field({.name = "status", .help = "fetched, up_to_date or failed"}, s.status);
  v.field({.name = "error", .help = "Why the request failed"}, s.error);
  v.field({.name = "errors", .help = "Bars refused by the validation"}, s.errors);
  v.field({.name = "bars", .help = "Bars received"}, s.bars);
  v.field({.name = "new_bars", .help = "Bars of dates not stored before"}, s.new_bars);
  v.field({.name = "actions", .help = "Splits and dividends received"}, s.actions);
  v.field({.name = "skipped", .help = "Rows the provider left incomplete, with the reason"}, s.skipped);
  v.field({.name = "flags", .help = "Findings stored but reported (gaps, jumps, adjustments)"}, s.flags);
  v.field({.name = "jumps_explained_by_splits", .help = "Price jumps a stored split explains"},
          s.jumps_explained_by_splits);
}
KEEL_SPEC_FIELDS(FetchedSymbol)

template <class V, class S>
void FetchPricesResult::fields(V& v, S& s) {
  v.field({.name = "provider"}, s.provider);
  v.field({.name = "offline", .help = "Only cached responses were read"}, s.offline);
  v.field({.name = "to", .help = "Last date asked for"}, s.to);
  v.field({.name = "stored", .help = "Whether the bars were stored (all or nothing)"}, s.stored);
  v.field({.name = "symbols", .help = "One entry per symbol, in request order"}, s.symbols);
  v.field({.name = "fetched_bars", .help = "Bars received"}, s.fetched_bars);
  v.field({.name = "skipped", .help = "Rows skipped"}, s.skipped);
  v.field({.name = "flagged", .help = "Findings stored but reported"}, s.flagged);
  v.field({.name = "flags", .help = "Those findings"}, s.flags);
  v.field({.name = "failed", .help = "Symbols that failed: nothing of theirs was stored, the others were"},
          s.failed);
  v.field({.name = "warnings", .help = "Each failed symbol and why"}, s.warnings);
  v.field({.name = "elapsed_ms", .unit = "milliseconds"}, s.elapsed_ms);
  v.flatten(s.stats);
}
KEEL_SPEC_FIELDS(FetchPricesResult)

template <class V, class S>
void PricesFetchRequest::fields(V& v, S& s) {
  v.field({.name = "symbols", .help = "Symbols to sync"}, s.symbols);
  v.field({.name = "portfolio", .help = "Every priced symbol held by this portfolio (id or name)"}, s.portfolio);
  v.field({.name = "account", .help = "Every symbol held in open lots by this ledger account (id or name)"},
          s.account);
  v.field({.name = "all_holdings", .help = "Every symbol held by the tenant's portfolios and ledger accounts"},
          s.all_holdings);
  v.field({.name = "from", .help = "First date (default: continue the stored history, else 5 years back)"},
          s.from);
  v.field({.name = "to", .help = "Last date (default: today)"}, s.to);
  v.field({.name = "full", .help = "Request the whole range again, ignoring what was synced"}, s.full);
}
KEEL_SPEC_REQUEST_FIELDS(PricesFetchRequest)

template <class V, class S>
void FetchActionsRequest::fields(V& v, S& s) {
  v.field({.name = "provider", .help = "Provider: yahoo or polygon", .required = true}, s.source.provider);
  v.flatten(s.source);
  v.field({.name = "symbols", .help = "Symbols, comma-separated"}, s.symbols);
  v.field(
      {.name = "portfolio", .help = "Every priced symbol held by this stored portfolio", .cli_short = "-p"},
      s.portfolio);
  v.field({.name = "from", .help = "First ex-date (default: 1970-01-01)"}, s.from);
  v.field({.name = "to", .help = "Last ex-date (default: today)"}, s.to);
}
KEEL_SPEC_REQUEST_FIELDS(FetchActionsRequest)

template <class V, class S>
void FetchedAction::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "ex_date"}, s.ex_date);
  v.field({.name = "kind", .help = "split or dividend"}, s.kind);
  v.field({.name = "split_ratio", .help = "Split: new shares per old share"}, s.split_ratio);
  v.field({.name = "cash_amount", .help = "Dividend per share", .unit = "currency"}, s.cash_amount);
  v.field({.name = "currency"}, s.currency);
}
KEEL_SPEC_FIELDS(FetchedAction)

template <class V, class S>
void FetchActionsResult::fields(V& v, S& s) {
  v.field({.name = "provider"}, s.provider);
  v.field({.name = "from", .help = "First ex-date asked for"}, s.from);
  v.field({.name = "to", .help = "Last ex-date asked for"}, s.to);
  v.field({.name = "actions"}, s.actions);
  v.field({.name = "stored", .help = "Actions stored"}, s.stored);
  v.field(
      {.name = "recomputed", .help = "Symbols whose adjusted closes were recomputed (raw closes stored)"},
      s.recomputed);
  v.flatten(s.stats);
}
KEEL_SPEC_FIELDS(FetchActionsResult)

template <class V, class S>
void FetchCurveRequest::fields(V& v, S& s) {
  v.field({.name = "provider", .help = "Provider: treasury or fred"}, s.source.provider);
  v.flatten(s.source);
  v.field({.name = "name", .help = "Curve name in the store"}, s.name);
  v.field({.name = "from", .help = "First date (default: after the last stored curve, else 30 days back)"},
          s.from);
  v.field({.name = "to", .help = "Last date (default: today)"}, s.to);
}
KEEL_SPEC_REQUEST_FIELDS(FetchCurveRequest)

template <class V, class S>
void FetchCurveResult::fields(V& v, S& s) {
  v.field({.name = "provider"}, s.provider);
  v.field({.name = "name", .help = "Curve name in the store"}, s.name);
  v.field({.name = "from"}, s.from);
  v.field({.name = "to"}, s.to);
  v.field({.name = "curves", .help = "Curves stored"}, s.curves);
  v.field({.name = "dates", .help = "Their dates"}, s.dates);
  v.field({.name = "status", .help = "fetched, no_new_data or up_to_date"}, s.status);
  v.flatten(s.stats);
}
KEEL_SPEC_FIELDS(FetchCurveResult)

template <class V, class S>
void FetchFactorsRequest::fields(V& v, S& s) {
  v.field({.name = "provider", .help = "Provider: french"}, s.source.provider);
  v.flatten(s.source);
  v.field({.name = "dataset",
           .help = "ff5 (5 factors 2x3, daily), ff3 (3 factors, daily) or mom (momentum, daily)"},
          s.dataset);
  v.field({.name = "set", .help = "Factor set name in the store (default: the dataset's)"}, s.set);
  v.field({.name = "from", .help = "First date (default: after the set's last stored date)"}, s.from);
  v.field({.name = "to", .help = "Last date (default: today)"}, s.to);
}
KEEL_SPEC_REQUEST_FIELDS(FetchFactorsRequest)

template <class V, class S>
void FetchFactorsResult::fields(V& v, S& s) {
  v.field({.name = "provider"}, s.provider);
  v.field({.name = "dataset"}, s.dataset);
  v.field({.name = "set", .help = "Factor set name in the store"}, s.set);
  v.field({.name = "rows", .help = "Dates stored"}, s.rows);
  v.field({.name = "first", .help = "First date stored (null: nothing new)"}, s.first);
  v.field({.name = "last", .help = "Last date stored (null: nothing new)"}, s.last);
  v.field({.name = "factors", .help = "Factor names"}, s.factors);
  v.field({.name = "status", .help = "fetched or up_to_date"}, s.status);
  v.flatten(s.stats);
}
KEEL_SPEC_FIELDS(FetchFactorsResult)

template <class V, class S>
void FactorsFetchRequest::fields(V& v, S& s) {
  v.field({.name = "dataset", .help = "ff5 (5 factors 2x3, daily), ff3 (3 factors, daily) or mom (momentum, daily)"},
          s.dataset);
  v.field({.name = "set", .help = "Factor set name in the store (default: the dataset's)"}, s.set);
}
KEEL_SPEC_REQUEST_FIELDS(FactorsFetchRequest)

template <class V, class S>
void MarketDataStepResult::fields(V& v, S& s) {
  v.field({.name = "status", .help = "ok, failed or n/a"}, s.status);
  v.field({.name = "message", .help = "What was synced (ok)"}, s.message);
  v.field({.name = "reason", .help = "Why not (failed, n/a)"}, s.reason);
  v.field({.name = "report", .help = "The sync's report (as `keel fetch prices` writes it), when it ran"},
          s.report);
}
KEEL_SPEC_FIELDS(MarketDataStepResult)

}  // namespace keel::service
