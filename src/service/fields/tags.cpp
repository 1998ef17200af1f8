// The descriptions of the requests and results of keel/service/tags.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/tags.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void TagResult::fields(V& v, S& s) {
  v.field({.name = "id"}, s.id);
  v.field({.name = "name"}, s.name);
  v.field({.name = "description"}, s.description);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "positions", .help = "Positions of the tenant carrying the tag"}, s.positions);
}
KEEL_SPEC_FIELDS(TagResult)

template <class V, class S>
void TagCreateRequest::fields(V& v, S& s) {
  v.field({.name = "name",
           .help = "Tag name (no ';' or ',', at most 64 characters)",
           .required = true,
           .cli_positional = true},
          s.name);
  v.field({.name = "description", .help = "What the tag means"}, s.description);
}
KEEL_SPEC_REQUEST_FIELDS(TagCreateRequest)

template <class V, class S>
void TagDeleteResult::fields(V& v, S& s) {
  v.field({.name = "deleted"}, s.deleted);
  v.field({.name = "name"}, s.name);
  v.field({.name = "positions_changed", .help = "Positions the tag was removed from"}, s.positions_changed);
}
KEEL_SPEC_FIELDS(TagDeleteResult)

template <class V, class S>
void TagPositionsRequest::fields(V& v, S& s) {
  v.field({.name = "symbols", .help = "Symbols of the positions to change (a string or an array)",
           .required = true},
          s.symbols);
  v.field({.name = "tag", .help = "A registered tag", .required = true, .cli_positional = true}, s.tag);
  v.field({.name = "portfolio", .help = "Stored portfolio", .faces = spec::kCli, .cli_short = "-p", .required = true},
          s.portfolio);
}
KEEL_SPEC_REQUEST_FIELDS(TagPositionsRequest)

template <class V, class S>
void TagPositionsResult::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The portfolio's id (HTTP)"}, s.id);
  v.field({.name = "portfolio", .help = "The portfolio's name (CLI)"}, s.portfolio);
  v.field({.name = "tag"}, s.tag);
  v.field({.name = "symbols"}, s.symbols);
  v.field({.name = "positions_changed"}, s.positions_changed);
}
KEEL_SPEC_FIELDS(TagPositionsResult)

template <class V, class S>
void StrategyRequest::fields(V& v, S& s) {
  v.field({.name = "symbols", .help = "Symbols of the positions to change (a string or an array)",
           .required = true},
          s.symbols);
  v.field({.name = "strategy", .help = "The strategy to set (\"\" clears it)", .required = true}, s.strategy);
  v.field({.name = "portfolio", .help = "Stored portfolio", .faces = spec::kCli, .cli_short = "-p", .required = true},
          s.portfolio);
}
KEEL_SPEC_REQUEST_FIELDS(StrategyRequest)

template <class V, class S>
void StrategyResult::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The portfolio's id (HTTP)"}, s.id);
  v.field({.name = "strategy"}, s.strategy);
  v.field({.name = "symbols"}, s.symbols);
  v.field({.name = "positions_changed"}, s.positions_changed);
}
KEEL_SPEC_FIELDS(StrategyResult)

}  // namespace keel::service
