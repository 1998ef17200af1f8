// keel/service/preferences.h: a user's preferences, kept on the server so that every browser and
// device the user signs in from shows the same language, theme, reporting currency and lot method
// (`keel preferences show|set` under `keel --as USER`, GET/PUT /api/v1/me/preferences).
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <optional>
#include <string>

#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

// Any signed-in user reads and changes its own preferences, and no one else's.
inline constexpr UseCase kPreferencesRead{"read preferences", Permission::kRead, ""};
inline constexpr UseCase kPreferencesUpdate{"change preferences", Permission::kRead, "preferences.update"};

// What a user chose; a member left out is not chosen (the app's default applies).
struct UserPreferences {
  std::optional<std::string> locale;              // en-US or de-DE: words, numbers and dates
  std::optional<std::string> theme;               // light, dark or system
  std::optional<std::string> reporting_currency;  // ISO 4217, e.g. EUR: the currency views open in
  std::optional<std::string> lot_method;          // fifo, lifo, hifo, average or specific: the ledger's default view

  static constexpr const char* kSchemaName = "UserPreferences";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PreferencesResult {
  std::string user;
  std::string tenant;
  UserPreferences preferences;

  static constexpr const char* kSchemaName = "PreferencesResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The caller's saved preferences (none saved: every member left out). A read: nothing written.
// Throws usage when the Context's actor is not a user of the store (the keel command without --as).
PreferencesResult get_preferences(const Context& cx);

// The members given replace the saved ones; an empty string clears one. invalid_input naming each
// bad member (nothing saved). Audited as `preferences.update`.
PreferencesResult update_preferences(const Context& cx, const UserPreferences& change);

}  // namespace keel::service
