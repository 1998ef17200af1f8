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
  static void fields(V& v, S& s) {
    v.field({.name = "from", .help = "First as-of date (inclusive)"}, s.from);
    v.field({.name = "to", .help = "Last as-of date (inclusive)"}, s.to);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "As-of date of the snapshot, YYYY-MM-DD"}, s.as_of);
    v.field({.name = "net_value_amount", .help = "Net market value", .unit = "portfolio currency"},
            s.net_value_amount);
    v.field({.name = "gross_value_amount", .help = "Gross market value", .unit = "portfolio currency"},
            s.gross_value_amount);
    v.field({.name = "pnl_1d_amount", .help = "One-day P&L of the book", .unit = "portfolio currency"},
            s.pnl_1d_amount);
    v.field({.name = "var_amount", .help = "One-day VaR, positive = loss", .unit = "portfolio currency"},
            s.var_amount);
    v.field({.name = "es_amount", .help = "One-day expected shortfall", .unit = "portfolio currency"}, s.es_amount);
    v.field({.name = "var_method", .help = "The method of var_amount (historical)"}, s.var_method);
    v.field({.name = "backtest_zone", .help = "Basel traffic light: green, yellow or red"}, s.backtest_zone);
    v.field({.name = "beta_mkt", .help = "Beta to the market factor"}, s.beta_mkt);
    v.field({.name = "created_at", .help = "When the snapshot was stored, ISO-8601 UTC"}, s.created_at);
    v.field({.name = "report_kept",
             .help = "The day's whole report is still kept (GET .../history/{as_of}/report); keel serve's "
                     "--snapshot-report-retention-days drops it, the figures above stay"},
            s.report_kept);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "portfolio"}, s.portfolio);
    v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
    v.field({.name = "tenant"}, s.tenant);
    v.field({.name = "from", .help = "First as-of date asked for (null: from the first snapshot)"}, s.from);
    v.field({.name = "to", .help = "Last as-of date asked for (null: up to the last snapshot)"}, s.to);
    v.field({.name = "points", .help = "The snapshots, oldest first"}, s.points);
  }
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
  static void fields(V& v, S& s) {
    v.flatten(s.record);
    v.field({.name = "last_snapshot",
             .help = "Value, P&L, VaR, ES, zone and beta of the newest batch snapshot; null before the first"},
            s.last_snapshot);
  }
};

// The Context actor's tenant's portfolios (store order) with their newest snapshots: one read of
// each table. Throws keel::Error(usage) without a store.
std::vector<PortfolioListItem> portfolio_list(const Context& cx);

}  // namespace keel::service
