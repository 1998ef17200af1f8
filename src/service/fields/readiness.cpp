// The descriptions of the requests and results of keel/service/readiness.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/readiness.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void ReadinessRequest::fields(V& v, S& s) {
  v.field({.name = "window", .help = "Daily returns the risk window needs", .unit = "trading days", .min = 2,
           .max = 5000},
          s.window);
  v.field({.name = "factor_set", .help = "Factor set the betas read (keel fetch factors --set)"}, s.factor_set);
  v.field({.name = "as_of", .help = "Last date of the window (default: the last stored price)"}, s.as_of);
}
KEEL_SPEC_REQUEST_FIELDS(ReadinessRequest)

template <class V, class S>
void ReadinessItem::fields(V& v, S& s) {
  v.field({.name = "what", .help = "positions, prices, option_inputs, sectors, factors or fx"}, s.what);
  v.field({.name = "symbol", .help = "Symbol (fx: currency) concerned; empty for the whole portfolio"}, s.symbol);
  v.field({.name = "missing", .help = "What is missing"}, s.missing);
  v.field({.name = "how_to_fix", .help = "A keel command that fixes it"}, s.how_to_fix);
}
KEEL_SPEC_FIELDS(ReadinessItem)

template <class V, class S>
void ReadinessReport::fields(V& v, S& s) {
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "id"}, s.id);
  v.field({.name = "ready", .help = "Nothing is missing"}, s.ready);
  v.field({.name = "positions", .help = "Positions held"}, s.positions);
  v.field({.name = "window", .help = "Daily returns of the risk window", .unit = "trading days"}, s.window);
  v.field({.name = "window_from", .help = "First date of the risk window (null: no price stored)"}, s.window_from);
  v.field({.name = "window_to", .help = "Last date of the risk window (null: no price stored)"}, s.window_to);
  v.field({.name = "items", .help = "What is missing and how to get it"}, s.items);
}
KEEL_SPEC_FIELDS(ReadinessReport)

template <class V, class S>
void CsvTemplate::fields(V& v, S& s) {
  v.field({.name = "kind"}, s.kind);
  v.field({.name = "file_name"}, s.file_name);
  v.field({.name = "command", .help = "The import that reads the file"}, s.command);
  v.field({.name = "csv", .help = "Header and one example row"}, s.csv);
}
KEEL_SPEC_FIELDS(CsvTemplate)

template <class V, class S>
void CsvTemplates::fields(V& v, S& s) {
  v.field({.name = "items", .help = "One template per import kind"}, s.items);
}
KEEL_SPEC_FIELDS(CsvTemplates)

}  // namespace keel::service
