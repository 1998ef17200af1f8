// Portfolio change announcements (keel/service/changes.h).
#include "keel/service/changes.h"

namespace keel::service {

void portfolio_changed(const Context& cx, std::int64_t id, std::string_view name, std::string_view what) {
  if (cx.changes == nullptr) return;
  cx.changes->portfolio_changed(PortfolioChange{cx.actor.tenant, id, std::string(name), std::string(what)});
}

}  // namespace keel::service
