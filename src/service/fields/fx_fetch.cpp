// The descriptions of the requests and results of keel/service/fx_fetch.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/fx_fetch.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void FetchFxRequest::fields(V& v, S& s) {
  v.field({.name = "provider", .help = "Provider: ecb (euro reference rates) or fred (noon buying rates, key)"},
          s.source.provider);
  v.flatten(s.source);
  v.field({.name = "currencies",
           .help = "Currencies against the provider's own (ecb: against EUR; fred: against USD), comma-separated"},
          s.currencies);
  v.field({.name = "from", .help = "First date (default: after each pair's last stored rate, else a year back)"},
          s.from);
  v.field({.name = "to", .help = "Last date (default: today)"}, s.to);
  v.field({.name = "full", .help = "Request the whole range again, ignoring what is stored"}, s.full);
}
KEEL_SPEC_REQUEST_FIELDS(FetchFxRequest)

template <class V, class S>
void FetchedFxPair::fields(V& v, S& s) {
  v.field({.name = "pair", .help = "BASE/QUOTE: units of quote per unit of base"}, s.pair);
  v.field({.name = "stored_until", .help = "Last stored rate before the fetch (null: none)"}, s.stored_until);
  v.field({.name = "rates", .help = "Rates received and stored"}, s.rates);
  v.field({.name = "first", .help = "First date received (null: none)"}, s.first);
  v.field({.name = "last", .help = "Last date received (null: none)"}, s.last);
}
KEEL_SPEC_FIELDS(FetchedFxPair)

template <class V, class S>
void FetchFxResult::fields(V& v, S& s) {
  v.field({.name = "provider"}, s.provider);
  v.field({.name = "from", .help = "First date asked for"}, s.from);
  v.field({.name = "to", .help = "Last date asked for"}, s.to);
  v.field({.name = "status", .help = "fetched, no_new_data or up_to_date"}, s.status);
  v.field({.name = "pairs", .help = "One entry per pair served"}, s.pairs);
  v.field({.name = "rates", .help = "Rates stored"}, s.rates);
  v.flatten(s.stats);
}
KEEL_SPEC_FIELDS(FetchFxResult)

template <class V, class S>
void FxFetchRequest::fields(V& v, S& s) {
  v.field({.name = "currencies", .help = "Currencies whose euro reference rates to fetch (three-letter codes)"},
          s.currencies);
  v.field({.name = "portfolio",
           .help = "Every currency this portfolio needs: its positions' and its reporting currency (id or name)"},
          s.portfolio);
  v.field({.name = "from", .help = "First date (default: after each pair's last stored rate, else a year back)"},
          s.from);
  v.field({.name = "full", .help = "Request the whole range again, ignoring what is stored"}, s.full);
}
KEEL_SPEC_REQUEST_FIELDS(FxFetchRequest)

}  // namespace keel::service
