// The descriptions of the requests and results of keel/service/report_build.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/report_build.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void ReportRequest::fields(V& v, S& s) {
  book_source_fields(v, s.source);
  settings(v, s);
  v.field({.name = "attribution_from",
           .help = "Add the factor attribution of the P&L from the close of this date to the as-of date"},
          s.attribution_from);
}
KEEL_SPEC_REQUEST_FIELDS(ReportRequest)

}  // namespace keel::service
