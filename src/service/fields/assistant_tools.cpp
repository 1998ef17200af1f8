// The descriptions of the requests and results of keel/service/assistant_tools.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/assistant_tools.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void ToolInfo::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "description"}, s.description);
  v.field({.name = "access", .help = "read, compute or write (a write waits for the user's confirmation)"},
          s.access);
  v.field({.name = "allowed", .help = "The caller's role may run it"}, s.allowed);
  v.field({.name = "request_schema",
           .help = "The OpenAPI component the parameters are made from (null: the tool's own)"},
          s.request_schema);
  v.field({.name = "parameters", .help = "JSON Schema of the arguments (free-form)"}, s.parameters);
}
KEEL_SPEC_FIELDS(ToolInfo)

template <class V, class S>
void ToolListResult::fields(V& v, S& s) {
  v.field({.name = "items"}, s.items);
}
KEEL_SPEC_FIELDS(ToolListResult)

}  // namespace keel::service
