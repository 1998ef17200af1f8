// keel/service/overview.h: the web app's overview in one read — GET /api/v1/overview.
//
// The overview shows every portfolio of the tenant at once: its positions valued (allocation, net
// worth), its stored snapshots (history, what changed) and its report's headline and 1-day P&L by
// position (risk at a glance, movers). One request gives what would otherwise be three per
// portfolio: each portfolio's PortfolioView (show_portfolio at the latest prices in its reporting
// currency), its PortfolioHistoryResult, and its report — only when the store's result cache
// holds a valid one (report_cache.h: nothing is computed here; the client asks for the missing
// ones one at a time). A portfolio whose view cannot be made (a missing FX rate) carries the error
// instead, and the others are still given. The cost is stated (a book row per position) and
// admitted before anything is read; reads only.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "keel/service/context.h"
#include "keel/service/portfolio_history.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/spec.h"

namespace keel::service {

struct OverviewRequest {
  std::size_t limit = 500;  // portfolios at most, in name order

  static constexpr const char* kSchemaName = "OverviewRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "limit", .help = "Portfolios at most, in name order", .min = 1, .max = 500}, s.limit);
  }
};

struct OverviewPortfolio {
  std::int64_t id = 0;
  std::string name;
  spec::Nullable<PortfolioView> view;  // null when it failed (view_error)
  spec::Nullable<std::string> view_error;
  PortfolioHistoryResult history;
  // The cached report's as_of, summary and positions.rows (symbol, currency, market_value_amount,
  // pnl_1d_amount); null when none is cached.
  nlohmann::json report;

  static constexpr const char* kSchemaName = "OverviewPortfolio";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "id"}, s.id);
    v.field({.name = "name"}, s.name);
    v.field({.name = "view", .help = "GET /api/v1/portfolios/{id}'s answer (null: view_error)"}, s.view);
    v.field({.name = "view_error", .help = "Why the view could not be made (a missing FX rate...)"}, s.view_error);
    v.field({.name = "history", .help = "GET /api/v1/portfolios/{id}/history's answer"}, s.history);
    v.field({.name = "report",
             .help = "The cached report's as_of, summary and positions.rows (symbol, currency, market_value_amount, "
                     "pnl_1d_amount); null when none is cached (GET .../report builds it)"},
            s.report);
  }
};

struct Overview {
  std::size_t total = 0;  // portfolios of the tenant
  std::vector<OverviewPortfolio> portfolios;

  static constexpr const char* kSchemaName = "Overview";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "total", .help = "Portfolios of the tenant (more than those given past the limit)"}, s.total);
    v.field({.name = "portfolios", .help = "In name order"}, s.portfolios);
  }
};

// Throws keel::Error: usage without a store; payload_too_large when the positions to value are
// over the actor's foreground limit.
Overview portfolio_overview(const Context& cx, const OverviewRequest& request);

}  // namespace keel::service
