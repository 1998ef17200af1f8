// src/store/sqlite_repositories.h: the repositories still written for SQLite alone; the rest are
// written once for both backends (sql_repositories.h). Private to src/store; callers reach them
// through Store's accessors.
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
#include "keel/store/audit_repository.h"
#include "keel/store/database.h"
#include "keel/store/job_repository.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "keel/store/market_data_repository.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/user_repository.h"

namespace keel::store {

// The clock's time as ISO-8601 UTC with seconds ("2026-11-23T06:39:17Z"), the text SQLite's
// strftime('%Y-%m-%dT%H:%M:%SZ', 'now') wrote before.
inline std::string now_text(const Clock& clock) {
  return clock.iso8601();
}
// Binds a statement's parameters in order from `first`, with the add()/add_null() calls of the
// PostgreSQL backend's parameter list, so one encoder of a row's values serves both backends.
class Binder {
 public:
  explicit Binder(Statement& st, int first = 1) : st_(&st), next_(first) {}
  template <class T>
  Binder& add(const T& value) {
    st_->bind(next_++, value);
    return *this;
  }
  Binder& add_null() {
    st_->bind_null(next_++);
    return *this;
  }

 private:
  Statement* st_;
  int next_;
};

// The same with milliseconds ("2026-11-23T06:39:17.042Z"), the audit log's format.
std::string now_text_ms(const Clock& clock);

class SqliteUserRepository final : public UserRepository {
 public:
  SqliteUserRepository(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
  UserRecord add(const std::string& username, const std::string& tenant, Role role,
                 const std::string& password_hash) override;
  std::optional<UserRecord> find(const std::string& username) override;
  std::optional<UserRecord> find_id(std::int64_t id) override;
  std::vector<UserRecord> list(const std::optional<std::string>& tenant) override;
  void set_disabled(const std::string& username, bool disabled) override;
  void set_password(const std::string& username, const std::string& password_hash) override;
  void set_role(const std::string& username, Role role) override;
  std::size_t count() override;
  void revoke_token(const std::string& tenant, std::int64_t user_id, const std::string& jti,
                    std::int64_t expires_at) override;
  std::vector<TokenRevocation> revocations_since(std::int64_t after, std::size_t limit) override;
  std::size_t prune_revocations(std::int64_t now_epoch) override;

 private:
  void bump(const std::string& username, const char* set_clause, const std::string* text);
  void append_revocation(const std::string& tenant, std::int64_t user_id, const std::optional<std::string>& jti,
                         std::int64_t expires_at);
  Database* db_;
  const Clock* clock_;
};

class SqliteAuditRepository final : public AuditRepository {
 public:
  SqliteAuditRepository(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
  std::int64_t append(const AuditEntry& entry) override;
  std::vector<AuditEntry> list(const AuditQuery& query) override;

 private:
  Database* db_;
  const Clock* clock_;
};

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

class SqliteResultCache final : public ResultCache {
 public:
  SqliteResultCache(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
  void put(const std::string& tenant, std::int64_t portfolio_id, const std::string& kind,
           const std::string& json) override;
  std::optional<CachedResult> get(const std::string& tenant, std::int64_t portfolio_id,
                                  const std::string& kind) override;

 private:
  Database* db_;
  const Clock* clock_;
};

class SqliteLedgerRepository final : public LedgerRepository {
 public:
  SqliteLedgerRepository(Database& db, const Clock& clock) : db_(db), clock_(&clock) {}
  LedgerAccount create_account(const std::string& tenant, const std::string& name, ledger::LotMethod method,
                               bool allow_short, const std::string& currency) override;
  LedgerAccount ensure_account(const std::string& tenant, const std::string& name) override;
  std::vector<LedgerAccount> list_accounts(const std::string& tenant) override;
  std::optional<LedgerAccount> find_account(const std::string& tenant, const std::string& name) override;
  void update_account(const std::string& tenant, const std::string& name, ledger::LotMethod method,
                      bool allow_short) override;
  std::size_t save_transactions(const std::string& tenant, const std::string& account,
                                std::span<const ledger::Transaction> txs, bool replace) override;
  std::vector<ledger::Transaction> transactions(const std::string& tenant,
                                                const std::string& account) override;
  std::vector<ledger::Transaction> all_transactions(const std::string& tenant) override;
  bool delete_account(const std::string& tenant, const std::string& name) override;
  std::vector<LedgerMappingRecord> list_mappings(const std::string& tenant) override;
  std::optional<LedgerMappingRecord> find_mapping(const std::string& tenant,
                                                  const std::string& name) override;
  bool save_mapping(const std::string& tenant, const std::string& name, const std::string& document,
                    const std::string& updated_by) override;
  bool delete_mapping(const std::string& tenant, const std::string& name) override;

 private:
  Database& db_;
  const Clock* clock_;
};

class SqliteLedgerSnapshotRepository final : public LedgerSnapshotRepository {
 public:
  SqliteLedgerSnapshotRepository(Database& db, const Clock& clock) : db_(db), clock_(&clock) {}
  bool save(const LedgerSnapshot& snapshot) override;
  std::vector<LedgerSnapshot> list(const std::string& tenant, const std::string& account,
                                   std::optional<Date> from, std::optional<Date> to) override;
  bool remove(const std::string& tenant, const std::string& account, Date as_of) override;

 private:
  Database& db_;
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

class SqliteSnapshotRepository final : public SnapshotRepository {
 public:
  SqliteSnapshotRepository(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
  void save(const PortfolioSnapshot& snapshot) override;
  std::vector<PortfolioSnapshot> list(const std::string& tenant, const std::string& portfolio,
                                      std::optional<Date> from, std::optional<Date> to,
                                      bool with_report = false) override;
  std::optional<PortfolioSnapshot> find(const std::string& tenant, const std::string& portfolio,
                                        Date as_of) override;
  std::vector<PortfolioSnapshot> latest(const std::string& tenant) override;
  std::size_t remove(const std::string& tenant, const std::string& portfolio) override;

 private:
  Database* db_;
  const Clock* clock_;
};

}  // namespace keel::store
