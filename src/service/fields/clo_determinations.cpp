// The descriptions of the requests and results of keel/service/clo_determinations.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/clo_determinations.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void CloDetermineRequest::fields(V& v, S& s) {
  v.field({.name = "deal", .help = "The stored deal (id or name)", .faces = spec::kCli, .required = true}, s.deal);
  v.field({.name = "as_of", .help = "The determination date", .required = true}, s.as_of);
  clo_determination_options(v, s);
}
KEEL_SPEC_REQUEST_FIELDS(CloDetermineRequest)

template <class V, class S>
void CloTestOnDate::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "value", .help = "The tested ratio or metric (null when undefined)"}, s.value);
  v.field({.name = "threshold"}, s.threshold);
  v.field({.name = "bound", .help = "min or max"}, s.bound);
  v.field({.name = "cushion", .help = "On the passing side of the threshold, in the value's unit; negative failing"},
          s.cushion);
  v.field({.name = "pass"}, s.pass);
  v.field({.name = "kind", .help = "quality (at the date) or coverage (OC/IC)"}, s.kind);
  v.field({.name = "subject", .help = "The obligor or industry a concentration rank test measures"}, s.subject);
}
KEEL_SPEC_REQUEST_FIELDS(CloTestOnDate)

template <class V, class S>
void CloDetermination::fields(V& v, S& s) {
  v.field({.name = "id"}, s.id);
  v.field({.name = "deal_id"}, s.deal_id);
  v.field({.name = "deal"}, s.deal);
  v.field({.name = "as_of", .help = "The determination date"}, s.as_of);
  v.field({.name = "version", .help = "The deal version tested"}, s.version);
  v.field({.name = "passed", .help = "Every test passed"}, s.passed);
  v.field({.name = "breaches", .help = "Tests that failed"}, s.breaches);
  v.field({.name = "alerts", .help = "Passing tests whose cushion is under the alert level"}, s.alerts);
  v.field({.name = "events", .help = "Each breach and alert in words"}, s.events);
  v.field({.name = "tests", .help = "Every quality and coverage test with its cushion"}, s.tests);
  v.field({.name = "determined_at", .help = "When it was kept, ISO-8601 UTC"}, s.determined_at);
  v.field({.name = "determined_by"}, s.determined_by);
}
KEEL_SPEC_FIELDS(CloDetermination)

template <class V, class S>
void CloDeterminationsRequest::fields(V& v, S& s) {
  v.field({.name = "deal", .help = "The stored deal (id or name)", .faces = spec::kCli, .required = true}, s.deal);
  v.field({.name = "from", .help = "First determination date"}, s.from);
  v.field({.name = "to", .help = "Last determination date"}, s.to);
}
KEEL_SPEC_REQUEST_FIELDS(CloDeterminationsRequest)

template <class V, class S>
void CloDeterminations::fields(V& v, S& s) {
  v.field({.name = "deal_id"}, s.deal_id);
  v.field({.name = "deal"}, s.deal);
  v.field({.name = "items", .help = "The kept determinations, oldest first"}, s.items);
}
KEEL_SPEC_FIELDS(CloDeterminations)

template <class V, class S>
void CloBackfillRequest::fields(V& v, S& s) {
  v.field({.name = "deal", .help = "The stored deal (id or name)", .faces = spec::kCli, .required = true}, s.deal);
  v.field({.name = "from", .help = "First day: the first month-end on or after it is determined", .required = true},
          s.from);
  v.field({.name = "to", .help = "Last day", .required = true}, s.to);
  clo_determination_options(v, s);
}
KEEL_SPEC_REQUEST_FIELDS(CloBackfillRequest)

}  // namespace keel::service
