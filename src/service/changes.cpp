// Portfolio change announcements (keel/service/changes.h).
#include "keel/service/changes.h"

#include <exception>

#include <nlohmann/json.hpp>

#include "keel/store/store.h"

namespace keel::service {

namespace {

// Keeps `change` in the store's journal (every process's streams push it from there) and hands it
// to this process's feed.
void announce(const Context& cx, PortfolioChange change) {
  if (cx.store != nullptr) {
    try {
      change.id = cx.store->record_change(
          {0, change.tenant, change.portfolio_id, change.portfolio, change.what, 0, change.kind, change.user});
    } catch (const std::exception&) {
      change.id = 0;  // the feed alone hears it
    }
  }
  if (cx.changes != nullptr) cx.changes->portfolio_changed(change);
}

}  // namespace

void portfolio_changed(const Context& cx, std::int64_t id, std::string_view name, std::string_view what) {
  announce(cx, {0, cx.actor.tenant, id, std::string(name), std::string(what), "portfolio", ""});
}

void clo_deal_changed(const Context& cx, std::int64_t deal_id, std::string_view deal, std::string_view what) {
  announce(cx, {0, cx.actor.tenant, deal_id, std::string(deal), std::string(what), "clo", ""});
}

void import_warned(const Context& cx, std::string_view import, std::int64_t id, std::string_view name,
                   const std::vector<std::string>& warnings) {
  if (warnings.empty()) return;
  nlohmann::json shown = nlohmann::json::array();
  for (std::size_t i = 0; i < warnings.size() && i < 20; ++i) shown.push_back(warnings[i].substr(0, 300));
  const nlohmann::json what = {{"import", import}, {"warnings", shown}, {"count", warnings.size()}};
  announce(cx, {0, cx.actor.tenant, id, std::string(name), what.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                "import", cx.actor.user});
}

nlohmann::json import_notice(const PortfolioChange& change) {
  auto data = nlohmann::json::parse(change.what, nullptr, false);
  if (!data.is_object()) data = nlohmann::json::object();
  data["id"] = change.portfolio_id;
  data["name"] = change.portfolio;
  return data;
}

std::vector<PortfolioChange> changes_after(const Context& cx, std::int64_t after, std::size_t limit) {
  std::vector<PortfolioChange> out;
  for (StoredPortfolioChange& c : cx.store->changes_after(after, limit)) {
    out.push_back({c.id, std::move(c.tenant), c.portfolio_id, std::move(c.portfolio), std::move(c.what),
                   std::move(c.kind), std::move(c.username)});
  }
  return out;
}

std::int64_t last_change_id(const Context& cx) { return cx.store->last_change_id(); }

}  // namespace keel::service
