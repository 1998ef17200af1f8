// src/store/sqlite_repositories.h: the repositories still written for SQLite alone (jobs, market
// data); the rest are written once for both backends (sql_repositories.h). Private to src/store;
// callers reach them through Store's accessors.
//
// Each repository holds the connection and the clock of the SqliteStore that owns it; every
// timestamp it writes (created_at, updated_at, computed_at, the audit log's `at`) is formatted
// from that clock, never from SQLite's 'now', so a store opened with a FixedClock writes
// deterministic rows.
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns the
// repositories, the Database and the Clock reference outlive them.
#pragma once

#include <cstdint>
#include <string>

#include "keel/core/env.h"
#include "keel/store/database.h"
#include "keel/store/job_repository.h"
#include "keel/store/market_data_repository.h"

namespace keel::store {

// The clock's time as ISO-8601 UTC with seconds ("2026-11-23T06:39:17Z"), the text SQLite's
// strftime('%Y-%m-%dT%H:%M:%SZ', 'now') wrote before.
inline std::string now_text(const Clock& clock) {
  return clock.iso8601();
}

class SqliteJobRepository final : public JobRepository {
 public:
  SqliteJobRepository(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
  std::int64_t enqueue(const std::string& tenant, const std::string& username, const std::string& kind,
                       const std::string& request_json, int max_attempts, std::int64_t now_epoch) override;
  std::optional<JobRecord> find(std::int64_t id) override;
  std::optional<JobRecord> find(const std::string& tenant, std::int64_t id) override;
  std::vector<JobRecord> list(const std::string& tenant, std::optional<std::int64_t> before_id,
                              std::size_t limit, std::optional<JobStatus> status) override;
  std::optional<JobRecord> claim_next(const ClaimOptions& claim) override;
  bool heartbeat(const JobLease& lease, std::int64_t expires_ms) override;
  bool set_progress(const JobLease& lease, double progress, const std::string& message) override;
  bool succeed(const JobLease& lease, const std::string& result_json, const std::string& output) override;
  bool fail(const JobLease& lease, const std::string& error_json, std::optional<std::int64_t> retry_at) override;
  bool mark_cancelled(const JobLease& lease, const std::string& message) override;
  bool requeue(const JobLease& lease, const std::string& message) override;
  bool split(const JobLease& lease, const std::string& shard_kind, const std::vector<std::string>& requests,
             std::int64_t now_epoch) override;
  std::vector<ShardOutput> shard_outputs(std::int64_t parent) override;
  CancelOutcome request_cancel(const std::string& tenant, std::int64_t id) override;
  bool cancel_requested(std::int64_t id) override;
  std::map<std::string, std::size_t> count_by_status() override;

 private:
  int changes();  // rows changed by the last statement
  Database* db_;
  const Clock* clock_;
};

class SqliteMarketDataRepository final : public MarketDataRepository {
 public:
  SqliteMarketDataRepository(Database& db, const Clock& clock) : db_(db), clock_(&clock) {}
  std::size_t save_fetch(const MarketDataWrite& write) override;
  void update_adjusted(const std::string& symbol, const std::vector<Date>& dates,
                       const std::vector<double>& adj_close) override;
  std::vector<CorporateAction> actions(const std::string& symbol, std::optional<Date> from,
                                       std::optional<Date> to) override;
  std::optional<Coverage> coverage(const std::string& dataset, const std::string& series) override;
  std::pair<std::vector<Date>, std::vector<double>> closes(const std::string& symbol) override;

 private:
  Database& db_;
  const Clock* clock_;
};

}  // namespace keel::store
