// A user's preferences kept on the server (keel/service/preferences.h).
#include "keel/service/preferences.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/store/store.h"
#include "keel/store/user_repository.h"

namespace keel::service {
namespace {

constexpr std::array<std::string_view, 2> kLocales = {"en-US", "de-DE"};
constexpr std::array<std::string_view, 3> kThemes = {"light", "dark", "system"};
constexpr std::array<std::string_view, 5> kLotMethods = {"fifo", "lifo", "hifo", "average", "specific"};

// The store user the Context acts for: over HTTP the signed-in user; the keel command only under
// `--as USER` (its own actor, "cli:NAME", is no user of the store).
Store& user_store(const Context& cx) {
  Store& store = require_store(cx, "preferences are stored");
  if (cx.actor.user.rfind("cli:", 0) == 0 || !store.users().find(cx.actor.user, cx.actor.tenant)) {
    throw Error::usage(fmt::format("preferences belong to a user of the store; {} is none (keel --as USER)",
                                   cx.actor.user));
  }
  return store;
}

UserPreferences read_saved(Store& store, const Context& cx) {
  UserPreferences out;
  const auto text = store.users().preferences(cx.actor.tenant, cx.actor.user);
  if (!text) return out;
  const nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  if (!doc.is_object()) return out;
  const auto member = [&doc](const char* name) -> std::optional<std::string> {
    const auto it = doc.find(name);
    if (it == doc.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  out.locale = member("locale");
  out.theme = member("theme");
  out.reporting_currency = member("reporting_currency");
  out.lot_method = member("lot_method");
  return out;
}

template <std::size_t N>
void check_one_of(const std::optional<std::string>& v, const char* field, const std::array<std::string_view, N>& names,
                  std::vector<std::string>& problems) {
  if (!v || v->empty() || std::find(names.begin(), names.end(), *v) != names.end()) return;
  std::string list;
  for (std::size_t i = 0; i < N; ++i) list += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + std::string(names[i]);
  problems.push_back(fmt::format("{}: expected {}, got {}", field, list, shown_with(*v, 64, '"')));
}

}  // namespace

PreferencesResult get_preferences(const Context& cx) {
  authorize(cx, kPreferencesRead, "preferences");
  Store& store = user_store(cx);
  return {cx.actor.user, cx.actor.tenant, read_saved(store, cx)};
}

PreferencesResult update_preferences(const Context& cx, const UserPreferences& change) {
  authorize(cx, kPreferencesUpdate, "preferences");
  Store& store = user_store(cx);
  std::vector<std::string> problems;
  check_one_of(change.locale, "locale", kLocales, problems);
  check_one_of(change.theme, "theme", kThemes, problems);
  check_one_of(change.lot_method, "lot_method", kLotMethods, problems);
  if (const auto& c = change.reporting_currency; c && !c->empty()) {
    const bool iso = c->size() == 3 && std::all_of(c->begin(), c->end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
    if (!iso) problems.push_back(fmt::format("reporting_currency: expected an ISO 4217 code such as EUR, got {}", shown_with(*c, 64, '"')));
  }
  if (!problems.empty()) throw Error::invalid_input("invalid preferences", problems);
  UserPreferences saved = read_saved(store, cx);
  nlohmann::json changed = nlohmann::json::array();
  const auto apply = [&changed](std::optional<std::string>& into, const std::optional<std::string>& from, const char* name) {
    if (!from) return;
    into = from->empty() ? std::nullopt : from;
    changed.push_back(name);
  };
  apply(saved.locale, change.locale, "locale");
  apply(saved.theme, change.theme, "theme");
  apply(saved.reporting_currency, change.reporting_currency, "reporting_currency");
  apply(saved.lot_method, change.lot_method, "lot_method");
  nlohmann::json doc = nlohmann::json::object();
  if (saved.locale) doc["locale"] = *saved.locale;
  if (saved.theme) doc["theme"] = *saved.theme;
  if (saved.reporting_currency) doc["reporting_currency"] = *saved.reporting_currency;
  if (saved.lot_method) doc["lot_method"] = *saved.lot_method;
  store.users().set_preferences(cx.actor.tenant, cx.actor.user, doc.dump());
  audit(cx, kPreferencesUpdate, "user/" + cx.actor.user, {{"changed", changed}});
  return {cx.actor.user, cx.actor.tenant, std::move(saved)};
}

}  // namespace keel::service
