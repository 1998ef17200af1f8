// Portfolio change announcements (keel/service/changes.h).
#include "keel/service/changes.h"

#include <exception>

#include "keel/store/store.h"

namespace keel::service {

void portfolio_changed(const Context& cx, std::int64_t id, std::string_view name, std::string_view what) {
  PortfolioChange change{0, cx.actor.tenant, id, std::string(name), std::string(what)};
  if (cx.store != nullptr) {
    try {
      change.id = cx.store->record_change({0, change.tenant, id, change.portfolio, change.what, 0});
    } catch (const std::exception&) {
      change.id = 0;  // the feed alone hears it
    }
  }
  if (cx.changes != nullptr) cx.changes->portfolio_changed(change);
}

void clo_deal_changed(const Context& cx, std::int64_t deal_id, std::string_view deal, std::string_view what) {
  portfolio_changed(cx, deal_id, deal, "clo." + std::string(what));
}

std::vector<PortfolioChange> changes_after(const Context& cx, std::int64_t after, std::size_t limit) {
  std::vector<PortfolioChange> out;
  for (StoredPortfolioChange& c : cx.store->changes_after(after, limit))
    out.push_back({c.id, std::move(c.tenant), c.portfolio_id, std::move(c.portfolio), std::move(c.what)});
  return out;
}

std::int64_t last_change_id(const Context& cx) { return cx.store->last_change_id(); }

}  // namespace keel::service
