// src/store/pg/repositories.h: the PostgreSQL implementations of the store's repository
// interfaces that exist so far (users, audit log, portfolio snapshots, jobs, cached results). Each holds the
// Session and the Clock of the PgStore that owns it; every tenant-scoped call sets the tenant of its
// transaction, so row-level security filters and checks what the SQL's own WHERE clauses do too.
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns them.
#pragma once

#include <map>

#include "keel/core/env.h"
#include "keel/store/audit_repository.h"
#include "keel/store/job_repository.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/user_repository.h"
#include "session.h"

namespace keel::store::pg {

class PgUserRepository final : public UserRepository {
 public:
  PgUserRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
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
  void bump(const std::string& username, const std::string& set_clause,
            const std::optional<std::string>& value);
  Session* s_;
  const Clock* clock_;
};

class PgAuditRepository final : public AuditRepository {
 public:
  PgAuditRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
  std::int64_t append(const AuditEntry& entry) override;
  std::vector<AuditEntry> list(const AuditQuery& query) override;

 private:
  Session* s_;
  const Clock* clock_;
};

class PgSnapshotRepository final : public SnapshotRepository {
 public:
  PgSnapshotRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
  void save(const PortfolioSnapshot& snapshot) override;
  std::vector<PortfolioSnapshot> list(const std::string& tenant, const std::string& portfolio,
                                      std::optional<Date> from, std::optional<Date> to,
                                      bool with_report) override;
  std::optional<PortfolioSnapshot> find(const std::string& tenant, const std::string& portfolio,
                                        Date as_of) override;
  std::vector<PortfolioSnapshot> latest(const std::string& tenant) override;
  std::size_t remove(const std::string& tenant, const std::string& portfolio) override;

 private:
  Session* s_;
  const Clock* clock_;
};

class PgJobRepository final : public JobRepository {
 public:
  PgJobRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
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
  // Runs the fenced `sql` (its last two parameters: the job id and the token) under the job's
  // tenant; true when it changed the row.
  bool fenced(const JobLease& lease, const std::string& sql, Params params);

  Session* s_;
  const Clock* clock_;
};

class PgResultCache final : public ResultCache {
 public:
  PgResultCache(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
  void put(const std::string& tenant, std::int64_t portfolio_id, const std::string& kind,
           const std::string& json) override;
  std::optional<CachedResult> get(const std::string& tenant, std::int64_t portfolio_id,
                                  const std::string& kind) override;

 private:
  Session* s_;
  const Clock* clock_;
};

// ISO-8601 UTC with milliseconds, the audit log's format (the SQLite backend's now_text_ms).
std::string now_text_ms(const Clock& clock);

}  // namespace keel::store::pg
