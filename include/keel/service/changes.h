// keel/service/changes.h: what a use case announces when it changed a portfolio's data, for the
// pages that show it.
//
// A use case that changes what a portfolio's views show — its positions imported or edited, a
// batch's snapshot of it stored, a VaR run (in the foreground or as a job) kept as its last VaR —
// calls portfolio_changed once its change is written. The Context's feed (Context::changes) takes
// it: keel serve's event hub pushes it to the open event streams of the portfolio's tenant
// (GET /api/v1/events), so a second browser sees the new figures without a reload. Without a feed
// (the keel command, the Python bindings, a test) the call does nothing.
//
// Thread-safety: a ChangeFeed is called from any request or job thread at once and must not block.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "keel/service/context.h"

namespace keel::service {

struct PortfolioChange {
  std::string tenant;            // whose portfolio: the acting user's tenant
  std::int64_t portfolio_id = 0;
  std::string portfolio;         // its name (the web app keys its queries by name)
  std::string what;              // positions, portfolio, deleted, snapshot, var
};

class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;
  // Hands the change on; never throws.
  virtual void portfolio_changed(const PortfolioChange& change) noexcept = 0;
};

// Announces that the actor's tenant's portfolio `id` (`name`) changed (`what`), when the Context
// has a feed; does nothing otherwise.
void portfolio_changed(const Context& cx, std::int64_t id, std::string_view name, std::string_view what);

}  // namespace keel::service
