// keel/store/snapshot_repository.h: portfolio snapshots of the daily batch.
//
// One row per (tenant, portfolio, as-of date): the book's value, one-day P&L and headline risk
// figures as the batch computed them, plus the report JSON text so a past report can be served
// again, until keel serve's retention for report bodies (--snapshot-report-retention-days) drops
// the text and keeps the figures. Saving a snapshot for a date that has one replaces it (a re-run of
// the batch for the same day). The figures are what the service wrote; the repository does not
// interpret them. Amounts are in the portfolio currency.
//
// SnapshotRepository is a concrete class, written once over the store's SQL connection (either
// backend); Store::snapshots() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

struct PortfolioSnapshot {
  std::string tenant = "default";
  std::string portfolio;
  Date as_of;
  std::optional<double> net_value_amount;
  std::optional<double> gross_value_amount;
  std::optional<double> pnl_1d_amount;
  std::optional<double> var_amount;  // headline VaR, a positive loss
  std::optional<double> es_amount;
  std::string var_method;     // e.g. "historical"; empty when no VaR
  std::string backtest_zone;  // green|yellow|red; empty when no backtest
  std::optional<double> beta_mkt;
  std::string report_json;  // JSON text; empty when not kept or not read
  bool report_kept = false;  // the row still holds its report's text (read without it)
  std::string created_at;   // ISO-8601 UTC, set by the store
};

class SnapshotRepository {
 public:
  SnapshotRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Inserts, or replaces the snapshot of the same (tenant, portfolio, as_of). One statement.
  void save(const PortfolioSnapshot& snapshot);
  // Oldest first, as_of in [from, to] (either open). `with_report` false leaves report_json empty.
  std::vector<PortfolioSnapshot> list(const std::string& tenant, const std::string& portfolio,
                                      std::optional<Date> from, std::optional<Date> to,
                                      bool with_report = false);
  std::optional<PortfolioSnapshot> find(const std::string& tenant, const std::string& portfolio, Date as_of);
  // The newest snapshot (largest as_of) of each of the tenant's portfolios that has one, without
  // report_json, ordered by portfolio name. One query, for lists.
  std::vector<PortfolioSnapshot> latest(const std::string& tenant);
  // Drops the report text of every snapshot, in every tenant, written before `before` (ISO-8601
  // UTC); the figures stay. Returns how many reports went.
  std::size_t prune_reports(const std::string& before);
  // Removes every snapshot of the portfolio; returns how many.
  std::size_t remove(const std::string& tenant, const std::string& portfolio);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
