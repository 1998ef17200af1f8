// The descriptions of the requests and results of keel/service/macro.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/macro.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void FetchMacroRequest::fields(V& v, S& s) {
  v.field({.name = "series", .help = "Series ids, e.g. CPIAUCSL UNRATE DGS10", .required = true,
           .cli_positional = true},
          s.series);
  v.field({.name = "provider", .help = "Provider: fred (key: keel keys set fred, or KEEL_FRED_API_KEY)"},
          s.source.provider);
  v.flatten(s.source);
  v.field({.name = "from", .help = "First date (default: after each series' last stored date, else 10 years back)"},
          s.from);
  v.field({.name = "to", .help = "Last date (default: today)"}, s.to);
  v.field({.name = "full", .help = "Request the whole range again (revised values replace stored ones)"}, s.full);
}
KEEL_SPEC_REQUEST_FIELDS(FetchMacroRequest)

template <class V, class S>
void MacroSeriesView::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The provider's series id"}, s.id);
  v.field({.name = "title"}, s.title);
  v.field({.name = "units", .help = "As the provider states them (every value is in them)"}, s.units);
  v.field({.name = "frequency", .help = "Monthly, Daily, ..."}, s.frequency);
  v.field({.name = "source", .help = "The provider it came from"}, s.source);
  v.field({.name = "observations", .help = "Stored observations"}, s.observations);
  v.field({.name = "first", .help = "First stored date (null: none)"}, s.first);
  v.field({.name = "last", .help = "Last stored date (null: none)"}, s.last);
  v.field({.name = "updated_at", .help = "ISO-8601 UTC of the last fetch"}, s.updated_at);
}
KEEL_SPEC_FIELDS(MacroSeriesView)

template <class V, class S>
void FetchedMacroSeries::fields(V& v, S& s) {
  v.flatten(s.series);
  v.field({.name = "stored_until", .help = "Last stored date before the fetch (null: none)"}, s.stored_until);
  v.field({.name = "from", .help = "First date asked for"}, s.from);
  v.field({.name = "received", .help = "Observations received and stored"}, s.received);
  v.field({.name = "status", .help = "fetched, no_new_data or up_to_date"}, s.status);
}
KEEL_SPEC_FIELDS(FetchedMacroSeries)

template <class V, class S>
void FetchMacroResult::fields(V& v, S& s) {
  v.field({.name = "provider"}, s.provider);
  v.field({.name = "to", .help = "Last date asked for"}, s.to);
  v.field({.name = "series", .help = "One entry per series asked for"}, s.series);
  v.field({.name = "observations", .help = "Observations stored"}, s.observations);
  v.flatten(s.stats);
}
KEEL_SPEC_FIELDS(FetchMacroResult)

template <class V, class S>
void MacroListResult::fields(V& v, S& s) {
  v.field({.name = "items"}, s.items);
}
KEEL_SPEC_FIELDS(MacroListResult)

template <class V, class S>
void MacroShowRequest::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The series id", .faces = spec::kCli, .required = true, .cli_positional = true},
          s.id);
  v.field({.name = "from", .help = "First date shown"}, s.from);
  v.field({.name = "to", .help = "Last date shown"}, s.to);
}
KEEL_SPEC_REQUEST_FIELDS(MacroShowRequest)

template <class V, class S>
void MacroPoint::fields(V& v, S& s) {
  v.field({.name = "date"}, s.date);
  v.field({.name = "value", .help = "In the series' units"}, s.value);
  v.field({.name = "yoy",
           .help = "Year-over-year change: value / the value a year earlier - 1 (null: none stored; docs/macro.md)",
           .unit = "decimal"},
          s.yoy);
}
KEEL_SPEC_FIELDS(MacroPoint)

template <class V, class S>
void MacroShowResult::fields(V& v, S& s) {
  v.field({.name = "series"}, s.series);
  v.field({.name = "observations", .help = "By date"}, s.observations);
}
KEEL_SPEC_FIELDS(MacroShowResult)

}  // namespace keel::service
