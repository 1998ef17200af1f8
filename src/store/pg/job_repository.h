// src/store/pg/job_repository.h: the job queue on PostgreSQL (keel/store/job_repository.h), still
// written for PostgreSQL alone: claiming and counting cross tenants through the owner's SECURITY
// DEFINER functions, and every other call runs under the job's own tenant, so row-level security
// filters and checks what the SQL's own WHERE clauses do too. It holds the Session and the Clock of
// the PgStore that owns it.
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns it.
#pragma once

#include <map>

#include "keel/core/env.h"
#include "keel/store/job_repository.h"
#include "session.h"

namespace keel::store::pg {

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

}  // namespace keel::store::pg
