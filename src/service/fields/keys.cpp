// The descriptions of the requests and results of keel/service/keys.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/keys.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void KeyResult::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "fingerprint",
           .help = "16 hex digits: a hash of the value keyed by the master key (not a part of the value); "
                   "\"\" when the value cannot be opened"},
          s.fingerprint);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "updated_at", .help = "ISO-8601 UTC: when the value was last set"}, s.updated_at);
  v.field({.name = "updated_by", .help = "Who set it (a user name, or cli:USER)"}, s.updated_by);
  v.field({.name = "problem", .help = "Why the value cannot be opened (altered, moved), when it cannot"},
          s.problem);
  v.field({.name = "origins",
           .help = "The origins (scheme://host[:port]) keel may send the key to; empty: nowhere until an "
                   "administrator binds it"},
          s.origins);
  v.field({.name = "origins_default",
           .help = "No origin is bound: these are the default (a market-data vendor's key goes to its vendor)"},
          s.origins_default);
}
KEEL_SPEC_FIELDS(KeyResult)

template <class V, class S>
void KeyListResult::fields(V& v, S& s) {
  v.field({.name = "items", .help = "The tenant's keys by name"}, s.items);
}
KEEL_SPEC_FIELDS(KeyListResult)

template <class V, class S>
void KeySetRequest::fields(V& v, S& s) {
  v.field(
      {.name = "value",
       .help = "The API key (1 to 16384 bytes, no control characters); stored sealed, never shown again",
       .faces = spec::kHttp,
       .required = true},
      s.value);
  v.field({.name = "origins",
           .help = "Where keel may send the key: origins scheme://host[:port] (https://api.openai.com); "
                   "repeatable; none: nowhere (a market-data vendor's key: its vendor's API)",
           .cli_name = "origin"},
          s.origins);
}
KEEL_SPEC_REQUEST_FIELDS(KeySetRequest)

template <class V, class S>
void KeyBindRequest::fields(V& v, S& s) {
  v.field({.name = "origins",
           .help = "The origins scheme://host[:port] keel may send the key to (replaces the list; empty: nowhere)",
           .cli_name = "origin",
           .required = true},
          s.origins);
}
KEEL_SPEC_REQUEST_FIELDS(KeyBindRequest)

template <class V, class S>
void KeySetResult::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "fingerprint", .help = "16 hex digits: a hash of the value keyed by the master key"},
          s.fingerprint);
  v.field({.name = "updated_at", .help = "ISO-8601 UTC"}, s.updated_at);
  v.field({.name = "updated_by"}, s.updated_by);
  v.field({.name = "replaced", .help = "An earlier value of the key was replaced"}, s.replaced);
  v.field({.name = "origins", .help = "The origins keel may send the key to (empty: nowhere, or a vendor "
                                      "key's own vendor)"},
          s.origins);
}
KEEL_SPEC_FIELDS(KeySetResult)

template <class V, class S>
void KeyDeleteResult::fields(V& v, S& s) {
  v.field({.name = "deleted"}, s.deleted);
  v.field({.name = "name"}, s.name);
}
KEEL_SPEC_FIELDS(KeyDeleteResult)

}  // namespace keel::service
