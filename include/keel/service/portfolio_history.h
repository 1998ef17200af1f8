// keel/service/portfolio_history.h: the stored snapshots of portfolios — `keel portfolio history`,
// GET /api/v1/portfolios/{id}/history, the portfolio list with each portfolio's newest snapshot
// (`keel portfolio list`, GET /api/v1/portfolios) and the assistant's portfolio tools.
//
// A snapshot is the report summary's headline figures of one portfolio on one as-of date, stored
// by the batch (keel/service/batch.h; store migration 6, keel/store/snapshot_repository.h).
// Reads only.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/spec.h"

namespace keel::service {

struct PortfolioHistoryRequest {
  std::string portfolio;  // set by the face (the CLI's argument, the route's {id})
  std::optional<Date> from;  // first as-of date (inclusive); absent: the first snapshot
  std::optional<Date> to;    // last as-of date (inclusive); absent: the last snapshot

  static constexpr const char* kSchemaName = "PortfolioHistoryRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One stored snapshot (store migration 6): the report summary's figures of that day.
struct HistoryPoint {
  std::string as_of;  // YYYY-MM-DD
  spec::Nullable<double> net_value_amount;
  spec::Nullable<double> gross_value_amount;
  spec::Nullable<double> pnl_1d_amount;
  spec::Nullable<double> var_amount;
  spec::Nullable<double> es_amount;
  spec::Nullable<std::string> var_method;
  spec::Nullable<std::string> backtest_zone;
  spec::Nullable<double> beta_mkt;
  std::string created_at;  // ISO-8601 UTC
  bool report_kept = false;

  static constexpr const char* kSchemaName = "HistoryPoint";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PortfolioHistoryResult {
  std::string portfolio;
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::string tenant;
  spec::Nullable<std::string> from;  // as asked, YYYY-MM-DD
  spec::Nullable<std::string> to;
  std::vector<HistoryPoint> points;  // oldest first

  static constexpr const char* kSchemaName = "PortfolioHistoryResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel portfolio history NAME` and GET /api/v1/portfolios/{id}/history: the stored snapshots
// oldest first. Throws keel::Error: usage without a store; not_found for a portfolio that neither
// exists nor has snapshots; invalid_input when from > to.
PortfolioHistoryResult portfolio_history(const Context& cx, const PortfolioHistoryRequest& request);

// The report the batch kept with the snapshot of the actor's tenant's `portfolio` (its id or name)
// on `as_of`: the report.json text of that run, as it was written (docs/reports.md), for `keel
// portfolio history NAME --report DATE` and GET /api/v1/portfolios/{id}/history/{as_of}/report. A
// read. Throws not_found naming what is missing: the portfolio, a snapshot on that day, or its
// report, dropped by the server's retention (the day's figures are still in the history).
std::string snapshot_report(const Context& cx, std::string_view portfolio, Date as_of);

// A portfolio of the tenant with the figures of its newest snapshot (GET /api/v1/portfolios).
struct PortfolioListItem {
  PortfolioRecord record;
  spec::Nullable<HistoryPoint> last_snapshot;  // null until a batch run has recorded one

  static constexpr const char* kSchemaName = "PortfolioListItem";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The Context actor's tenant's portfolios (store order) with their newest snapshots: one read of
// each table. Throws keel::Error(usage) without a store.
std::vector<PortfolioListItem> portfolio_list(const Context& cx);

}  // namespace keel::service
