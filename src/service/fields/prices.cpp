// The descriptions of the requests and results of keel/service/prices.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/prices.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void PricesShowRequest::fields(V& v, S& s) {
  v.field({.name = "symbol",
           .help = "The symbol (a ticker, or an OCC option symbol)",
           .faces = spec::kCli,
           .required = true,
           .cli_positional = true},
          s.symbol);
  v.field({.name = "from", .help = "First date shown (default: the first stored)"}, s.from);
  v.field({.name = "to", .help = "Last date shown (default: the last stored)"}, s.to);
}
KEEL_SPEC_REQUEST_FIELDS(PricesShowRequest)

template <class V, class S>
void StoredPrice::fields(V& v, S& s) {
  v.field({.name = "date"}, s.date);
  v.field({.name = "close", .help = "The close as traded", .unit = "the symbol's currency"}, s.close);
  v.field({.name = "adj_close",
           .help = "The close adjusted for splits and dividends (returns use it; the close when none is stored)",
           .unit = "the symbol's currency"},
          s.adj_close);
}
KEEL_SPEC_FIELDS(StoredPrice)

template <class V, class S>
void PricesShowResult::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "first", .help = "The first stored date"}, s.first);
  v.field({.name = "last", .help = "The last stored date: how fresh the symbol's prices are"}, s.last);
  v.field({.name = "stored", .help = "Dates stored in all"}, s.stored);
  v.field({.name = "prices", .help = "The dates from..to, in order"}, s.prices);
}
KEEL_SPEC_FIELDS(PricesShowResult)

}  // namespace keel::service
