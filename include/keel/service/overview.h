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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct Overview {
  std::size_t total = 0;  // portfolios of the tenant
  std::vector<OverviewPortfolio> portfolios;

  static constexpr const char* kSchemaName = "Overview";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws keel::Error: usage without a store; payload_too_large when the positions to value are
// over the actor's foreground limit.
Overview portfolio_overview(const Context& cx, const OverviewRequest& request);

}  // namespace keel::service
