// The descriptions of the requests and results of keel/service/ledger_mappings.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/ledger_mappings.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void LedgerMappingResult::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "builtin", .help = "Shipped with keel (fidelity, ibkr); cannot be changed"}, s.builtin);
  v.field({.name = "document", .help = "The mapping document (docs/ledger.md, \"Broker mappings\")"},
          s.document);
  v.field({.name = "updated_at", .help = "ISO-8601 UTC (null for a built-in)"}, s.updated_at);
  v.field({.name = "updated_by", .help = "User who saved it (null for a built-in)"}, s.updated_by);
}
KEEL_SPEC_FIELDS(LedgerMappingResult)

template <class V, class S>
void LedgerMappingListResult::fields(V& v, S& s) {
  v.field({.name = "items", .help = "Built-in mappings first, then the tenant's by name"}, s.items);
}
KEEL_SPEC_FIELDS(LedgerMappingListResult)

template <class V, class S>
void LedgerMappingSaveRequest::fields(V& v, S& s) {
  v.field({.name = "document",
           .help = "The mapping document (docs/ledger.md); checked before it is saved",
           .required = true},
          s.document);
}
KEEL_SPEC_REQUEST_FIELDS(LedgerMappingSaveRequest)

template <class V, class S>
void LedgerMappingDeleteResult::fields(V& v, S& s) {
  v.field({.name = "deleted"}, s.deleted);
  v.field({.name = "name"}, s.name);
}
KEEL_SPEC_FIELDS(LedgerMappingDeleteResult)

}  // namespace keel::service
