// The descriptions of the requests and results of keel/service/alm_shocks.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/alm_shocks.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void AlmShocksRequest::fields(V& v, S& s) {
  v.field({.name = "currency", .help = "ISO currency"}, s.currency);
  v.field({.name = "shock_table", .help = "Shock sizes CSV, inline (default: built-in EU table)",
           .faces = spec::kHttp},
          s.shock_table);
  v.field({.name = "shock_table_file", .help = "Shock sizes CSV (default: built-in EU table)", .faces = spec::kCli,
           .cli_name = "shock-table"},
          s.shock_table_file);
  v.field({.name = "curve_file", .help = "Curve file: adds base and shocked zero rates per bucket",
           .faces = spec::kCli, .cli_name = "curve"},
          s.curve_file);
  v.choice({.name = "curve_type", .help = "How a tenor,rate curve is quoted", .faces = spec::kCli},
           s.curve_type, kCurveKindNames);
  v.choice({.name = "rate_units", .help = "Curve rate units", .faces = spec::kCli}, s.rate_units,
           kRateUnitsNames);
  v.field({.name = "curve_date", .help = "Row of a dated curve file", .faces = spec::kCli, .cli_name = "date"},
          s.curve_date);
  v.field({.name = "floor", .help = "Apply the post-shock floor"}, s.floor);
}
KEEL_SPEC_REQUEST_FIELDS(AlmShocksRequest)

template <class V, class S>
void AlmShockSizes::fields(V& v, S& s) {
  v.field({.name = "parallel_bp", .unit = "bp"}, s.parallel_bp);
  v.field({.name = "short_bp", .unit = "bp"}, s.short_bp);
  v.field({.name = "long_bp", .unit = "bp"}, s.long_bp);
}
KEEL_SPEC_FIELDS(AlmShockSizes)

template <class V, class S>
void AlmShockBucket::fields(V& v, S& s) {
  v.field({.name = "name", .help = "BCBS time bucket"}, s.name);
  v.field({.name = "midpoint_years", .unit = "years"}, s.midpoint_years);
  v.field({.name = "shift_bp", .help = "Rate shift by shock", .unit = "bp"}, s.shift_bp);
  v.field({.name = "rates", .help = "With a curve: base and shocked zero rates", .unit = "decimal"}, s.rates);
  v.field({.name = "floor", .help = "With a curve: the post-shock floor", .unit = "decimal"}, s.floor);
}
KEEL_SPEC_FIELDS(AlmShockBucket)

template <class V, class S>
void AlmShocksResult::fields(V& v, S& s) {
  v.field({.name = "currency"}, s.currency);
  v.field({.name = "sizes"}, s.sizes);
  v.field({.name = "source", .help = "The shock table: a file name or the built-in regulation"}, s.source);
  v.field({.name = "floor", .help = "Whether the post-shock floor applies"}, s.floor);
  v.field({.name = "buckets"}, s.buckets);
}
KEEL_SPEC_FIELDS(AlmShocksResult)

}  // namespace keel::service
