// The descriptions of the requests and results of keel/service/fx.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/fx.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void ImportFxRequest::fields(V& v, S& s) {
  v.field({.name = "columns",
           .help = "Column names of the file: keel-name=file-column,... (e.g. "
                   "date=TIME_PERIOD,base=CURRENCY_DENOM,quote=CURRENCY,rate=OBS_VALUE)"},
          s.columns);
}
KEEL_SPEC_REQUEST_FIELDS(ImportFxRequest)

template <class V, class S>
void FxImportResult::fields(V& v, S& s) {
  v.flatten(spec::as_base<ImportResult>(s));
  v.field({.name = "pairs", .help = "Distinct pairs (BASE/QUOTE) in the file"}, s.pairs);
  v.field({.name = "inserted", .help = "New (pair, date) rates"}, s.inserted);
  v.field({.name = "updated", .help = "Stored (pair, date) rates replaced"}, s.updated);
  v.field({.name = "first_date", .help = "First date in the file (YYYY-MM-DD)"}, s.first_date);
  v.field({.name = "last_date", .help = "Last date in the file (YYYY-MM-DD)"}, s.last_date);
}
KEEL_SPEC_FIELDS(FxImportResult)

template <class V, class S>
void FxPairView::fields(V& v, S& s) {
  v.field({.name = "pair", .help = "BASE/QUOTE: units of quote per unit of base"}, s.pair);
  v.field({.name = "base"}, s.base);
  v.field({.name = "quote"}, s.quote);
  v.field({.name = "first_date", .help = "YYYY-MM-DD"}, s.first_date);
  v.field({.name = "last_date", .help = "YYYY-MM-DD"}, s.last_date);
  v.field({.name = "rates", .help = "Stored rates (dates)"}, s.rates);
}
KEEL_SPEC_FIELDS(FxPairView)

template <class V, class S>
void FxPairsResult::fields(V& v, S& s) {
  v.field({.name = "items", .help = "Stored pairs, by base then quote"}, s.items);
}
KEEL_SPEC_FIELDS(FxPairsResult)

template <class V, class S>
void FxRateRequest::fields(V& v, S& s) {
  v.field({.name = "from", .help = "Currency converted (three letters)", .faces = spec::kHttp, .required = true},
          s.from);
  v.field({.name = "to", .help = "Currency converted into", .faces = spec::kHttp, .required = true}, s.to);
  v.field({.name = "date", .help = "YYYY-MM-DD (default: the latest stored date of the currencies' pairs)"},
          s.date);
}
KEEL_SPEC_REQUEST_FIELDS(FxRateRequest)

template <class V, class S>
void FxRateResult::fields(V& v, S& s) {
  v.field({.name = "from"}, s.from);
  v.field({.name = "to"}, s.to);
  v.field({.name = "date", .help = "The date asked for (YYYY-MM-DD)"}, s.date);
  v.field({.name = "rate", .help = "Units of `to` for one unit of `from`"}, s.rate);
  v.field({.name = "rate_date", .help = "Date of the (oldest) stored rate used: at most 7 days before `date`"},
          s.rate_date);
  v.field({.name = "route", .help = "The pair used, its inverse, or the cross through a pivot"}, s.route);
  v.field({.name = "via", .help = "The pivot currency of a cross rate, else empty"}, s.via);
}
KEEL_SPEC_FIELDS(FxRateResult)

}  // namespace keel::service
