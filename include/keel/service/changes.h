// keel/service/changes.h: what a use case announces when it changed a portfolio's data, for the
// pages that show it.
//
// A use case that changes what a portfolio's views show — its positions imported or edited, a
// batch's snapshot of it stored, a VaR run (in the foreground or as a job) kept as its last VaR —
// calls portfolio_changed once its change is written. The change is kept in the store
// (Store::record_change), where every keel serve sharing the store reads it and pushes it to the
// open event streams of the portfolio's tenant (GET /api/v1/events), so a second browser sees the
// new figures without a reload, whichever process made the change (a request, a job, keel import,
// keel worker, another server). The Context's feed (Context::changes: keel serve's event hub) is
// then told, which wakes the hub at once; a change the store could not keep goes to the feed alone.
//
// Thread-safety: a ChangeFeed is called from any request or job thread at once and must not block.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "keel/service/context.h"

namespace keel::service {

struct PortfolioChange {
  std::int64_t id = 0;           // the store's id of the kept change (0: not kept)
  std::string tenant;            // whose portfolio: the acting user's tenant
  std::int64_t portfolio_id = 0;
  std::string portfolio;         // its name (the web app keys its queries by name)
  std::string what;              // positions, portfolio, deleted, snapshot, var; breach, alert (a deal's); a job's status;
                                 // an import's notice (kind import): {"import","warnings","count"} as JSON text
  // portfolio; clo (portfolio_id/portfolio: the deal's); job (the job's id and kind, journaled by the
  // store when a job ends: migration 96); import (an import stored rows with warnings: portfolio_id
  // and portfolio name what was imported into — a portfolio, an account; 0 and "" for market data).
  std::string kind = "portfolio";
  std::string user;  // the one user it is for (a job's owner); "" for every user of the tenant
};

class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;
  // Hands the change on; never throws.
  virtual void portfolio_changed(const PortfolioChange& change) noexcept = 0;
};

// Announces that the actor's tenant's portfolio `id` (`name`) changed (`what`): keeps it in the
// Context's store and tells its feed, each when there is one. Never throws (the change itself is
// written; a lost announcement costs a reload).
void portfolio_changed(const Context& cx, std::int64_t id, std::string_view name, std::string_view what);

// Announces a CLO deal's change the pages should hear of at once: `what` is "breach" or "alert"
// (a determination found some). Kept and fed as a portfolio change whose `what` is "clo.<what>"
// and whose portfolio id and name are the deal's; the event stream sends it as `clo.changed`.
void clo_deal_changed(const Context& cx, std::int64_t deal_id, std::string_view deal, std::string_view what);

// Announces to the actor (its streams only) that an import of `import` ("positions", "transactions",
// "prices") into `id`/`name` stored its rows with `warnings`: the first 20, each at most 300
// characters, and how many there were. Nothing when there are none. Never throws.
void import_warned(const Context& cx, std::string_view import, std::int64_t id, std::string_view name,
                   const std::vector<std::string>& warnings);
// The notice import_warned journaled, read back: {import, warnings, count, id, name} (the event
// stream's and the webhooks' data; an unreadable `what` gives only id and name).
nlohmann::json import_notice(const PortfolioChange& change);

// The changes kept in the Context's store after the one with id `after`, oldest first, at most
// `limit`, of every tenant (for the server's event hub, which pushes each to its own tenant's
// streams); and the id of the last one kept (0: none).
std::vector<PortfolioChange> changes_after(const Context& cx, std::int64_t after, std::size_t limit);
std::int64_t last_change_id(const Context& cx);

}  // namespace keel::service
