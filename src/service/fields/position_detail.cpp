// The descriptions of the requests and results of keel/service/position_detail.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/position_detail.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void PositionDetailRequest::fields(V& v, S& s) {
  v.field({.name = "portfolio", .help = "Portfolio id or name", .faces = spec::kCli, .required = true,
           .cli_positional = true},
          s.portfolio);
  v.field({.name = "position", .help = "The position's id (the id GET .../positions lists)",
           .faces = spec::kCli, .required = true, .cli_positional = true},
          s.position);
  v.field({.name = "as_of", .help = "Value at this date (default: the latest prices)"}, s.as_of);
}
KEEL_SPEC_REQUEST_FIELDS(PositionDetailRequest)

template <class V, class S>
void PositionDetail::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The position's id within the portfolio, kept across re-imports"}, s.id);
  v.flatten(s.position);
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "as_of", .help = "Valuation date, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "reporting_currency",
           .help = "Currency of the valuation's amounts (the portfolio's reporting currency)"},
          s.reporting_currency);
  v.field({.name = "valuation",
           .help = "Price, market value, weight, cost basis, unrealized and 1-day P&L, Greeks: the report's row "
                   "(null: not held at as_of)"},
          s.valuation);
  v.field({.name = "rate_source", .help = "Where the options' rates came from (docs/exposures.md)"}, s.rate_source);
  v.field({.name = "warnings", .help = "Warnings of valuing the book"}, s.warnings);
}
KEEL_SPEC_FIELDS(PositionDetail)

}  // namespace keel::service
