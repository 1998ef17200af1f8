// The descriptions of the requests and results of keel/service/preferences.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/preferences.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void UserPreferences::fields(V& v, S& s) {
  v.field({.name = "locale", .help = "en-US or de-DE: the language and the number and date format"}, s.locale);
  v.field({.name = "theme", .help = "light, dark or system"}, s.theme);
  v.field({.name = "reporting_currency", .help = "ISO 4217 code the views open in, e.g. EUR"},
          s.reporting_currency);
  v.field({.name = "lot_method", .help = "fifo, lifo, hifo, average or specific: the ledger views' default"},
          s.lot_method);
}
KEEL_SPEC_REQUEST_FIELDS(UserPreferences)

template <class V, class S>
void PreferencesResult::fields(V& v, S& s) {
  v.field({.name = "user"}, s.user);
  v.field({.name = "tenant"}, s.tenant);
  v.field({.name = "preferences", .help = "What the user chose; members left out are not chosen"},
          s.preferences);
}
KEEL_SPEC_FIELDS(PreferencesResult)

}  // namespace keel::service
