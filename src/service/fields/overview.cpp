// The descriptions of the requests and results of keel/service/overview.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/overview.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void OverviewRequest::fields(V& v, S& s) {
  v.field({.name = "limit", .help = "Portfolios at most, in name order", .min = 1, .max = 500}, s.limit);
}
KEEL_SPEC_REQUEST_FIELDS(OverviewRequest)

template <class V, class S>
void OverviewPortfolio::fields(V& v, S& s) {
  v.field({.name = "id"}, s.id);
  v.field({.name = "name"}, s.name);
  v.field({.name = "view", .help = "GET /api/v1/portfolios/{id}'s answer (null: view_error)"}, s.view);
  v.field({.name = "view_error", .help = "Why the view could not be made (a missing FX rate...)"}, s.view_error);
  v.field({.name = "history", .help = "GET /api/v1/portfolios/{id}/history's answer"}, s.history);
  v.field({.name = "report",
           .help = "The cached report's as_of, summary and positions.rows (symbol, currency, market_value_amount, "
                   "pnl_1d_amount); null when none is cached (GET .../report builds it)"},
          s.report);
}
KEEL_SPEC_FIELDS(OverviewPortfolio)

template <class V, class S>
void Overview::fields(V& v, S& s) {
  v.field({.name = "total", .help = "Portfolios of the tenant (more than those given past the limit)"}, s.total);
  v.field({.name = "portfolios", .help = "In name order"}, s.portfolios);
}
KEEL_SPEC_FIELDS(Overview)

}  // namespace keel::service
