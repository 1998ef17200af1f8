// The job queue and the result cache on PostgreSQL. The queue crosses tenants (a worker serves all
// of them): claiming, re-queueing at start and counting go through the owner's SECURITY DEFINER
// functions of migration 5; every other call runs under the job's own tenant.
#include <array>

#include "keel/core/error.h"
#include "repositories.h"

namespace keel::store::pg {
namespace {

constexpr const char* kSelect =
    "SELECT id, tenant, username, kind, request, status, progress, message, result, error, attempts, "
    "max_attempts, run_after, cancel_requested, version, created_at, started_at, finished_at FROM jobs ";

JobRecord read_job(const pqxx::row& r) {
  JobRecord j;
  j.id = integer(r[0]);
  j.tenant = text(r[1]);
  j.username = text(r[2]);
  j.kind = text(r[3]);
  j.request = text(r[4]);
  j.status = parse_job_status(text(r[5])).value_or(JobStatus::kFailed);
  j.progress = real(r[6]);
  j.message = text(r[7]);
  j.result = opt_text(r[8]);
  j.error = opt_text(r[9]);
  j.attempts = static_cast<int>(integer(r[10]));
  j.max_attempts = static_cast<int>(integer(r[11]));
  j.run_after = integer(r[12]);
  j.cancel_requested = integer(r[13]) != 0;
  j.version = integer(r[14]);
  j.created_at = text(r[15]);
  j.started_at = opt_text(r[16]);
  j.finished_at = opt_text(r[17]);
  return j;
}

std::optional<std::string> job_tenant(Tx& tx, std::int64_t id) {
  return opt_text(tx.exec1("SELECT keel_job_tenant($1)", Params().add(id))[0]);
}

std::optional<JobRecord> read_by_id(Tx& tx, std::int64_t id) {
  auto r = tx.exec(std::string(kSelect) + "WHERE id = $1", Params().add(id));
  if (r.empty()) return std::nullopt;
  return read_job(r[0]);
}

}  // namespace

std::int64_t PgJobRepository::enqueue(const std::string& tenant, const std::string& username,
                                      const std::string& kind, const std::string& request_json,
                                      int max_attempts, std::int64_t now_epoch) {
  if (max_attempts < 1) throw Error::invalid_input("max_attempts must be at least 1");
  return s_->run(tenant, [&](Tx& tx) {
    return integer(
        tx.exec1("INSERT INTO jobs (tenant, username, kind, request, status, max_attempts, run_after, "
                 "created_at) VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7) RETURNING id",
                 Params()
                     .add(tenant)
                     .add(username)
                     .add(kind)
                     .add(request_json)
                     .add(max_attempts)
                     .add(now_epoch)
                     .add(clock_->iso8601()))[0]);
  });
}

std::optional<JobRecord> PgJobRepository::find(std::int64_t id) {
  return s_->run(std::nullopt, [&](Tx& tx) -> std::optional<JobRecord> {
    const auto tenant = job_tenant(tx, id);
    if (!tenant) return std::nullopt;
    tx.set_tenant(*tenant);
    return read_by_id(tx, id);
  });
}

std::optional<JobRecord> PgJobRepository::find(const std::string& tenant, std::int64_t id) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<JobRecord> {
    auto r = tx.exec(std::string(kSelect) + "WHERE id = $1 AND tenant = $2", Params().add(id).add(tenant));
    if (r.empty()) return std::nullopt;
    return read_job(r[0]);
  });
}

std::vector<JobRecord> PgJobRepository::list(const std::string& tenant, std::optional<std::int64_t> before_id,
                                             std::size_t limit, std::optional<JobStatus> status) {
  return s_->run(tenant, [&](Tx& tx) {
    std::string sql = std::string(kSelect) + "WHERE tenant = $1";
    Params p;
    p.add(tenant);
    int i = 2;
    if (before_id) {
      sql += " AND id < $" + std::to_string(i++);
      p.add(*before_id);
    }
    if (status) {
      sql += " AND status = $" + std::to_string(i++);
      p.add(job_status_name(*status));
    }
    sql += " ORDER BY id DESC LIMIT $" + std::to_string(i);
    p.add(limit);
    std::vector<JobRecord> out;
    for (const auto& r : tx.exec(sql, p)) out.push_back(read_job(r));
    return out;
  });
}

std::optional<JobRecord> PgJobRepository::claim_next(std::int64_t now_epoch) {
  return s_->run(std::nullopt, [&](Tx& tx) -> std::optional<JobRecord> {
    const auto id =
        tx.exec1("SELECT keel_claim_job($1, $2)", Params().add(now_epoch).add(clock_->iso8601()))[0];
    if (id.is_null()) return std::nullopt;
    const std::int64_t job = integer(id);
    const auto tenant = job_tenant(tx, job);
    if (!tenant) return std::nullopt;
    tx.set_tenant(*tenant);
    return read_by_id(tx, job);
  });
}

void PgJobRepository::update(std::int64_t id, const std::string& sql, Params params) {
  params.add(id);
  s_->run(std::nullopt, [&](Tx& tx) {
    const auto tenant = job_tenant(tx, id);
    if (!tenant) return;
    tx.set_tenant(*tenant);
    tx.exec(sql, params);
  });
}

void PgJobRepository::set_progress(std::int64_t id, double progress, const std::string& message) {
  update(id, "UPDATE jobs SET progress = $1, message = $2, version = version + 1 WHERE id = $3",
         Params().add(progress).add(message));
}

void PgJobRepository::succeed(std::int64_t id, const std::string& result_json) {
  update(id,
         "UPDATE jobs SET status = 'succeeded', progress = 1, message = 'done', result = $1, error = NULL, "
         "version = version + 1, finished_at = $2 WHERE id = $3",
         Params().add(result_json).add(clock_->iso8601()));
}

void PgJobRepository::fail(std::int64_t id, const std::string& error_json,
                           std::optional<std::int64_t> retry_at) {
  if (retry_at) {
    update(id,
           "UPDATE jobs SET status = 'queued', error = $1, run_after = $2, message = 'retry scheduled', "
           "version = version + 1 WHERE id = $3",
           Params().add(error_json).add(*retry_at));
    return;
  }
  update(id,
         "UPDATE jobs SET status = 'failed', error = $1, message = 'failed', version = version + 1, "
         "finished_at = $2 WHERE id = $3",
         Params().add(error_json).add(clock_->iso8601()));
}

void PgJobRepository::mark_cancelled(std::int64_t id, const std::string& message) {
  update(id,
         "UPDATE jobs SET status = 'cancelled', message = $1, version = version + 1, finished_at = $2 WHERE "
         "id = $3",
         Params().add(message).add(clock_->iso8601()));
}

void PgJobRepository::requeue(std::int64_t id, const std::string& message) {
  update(
      id,
      "UPDATE jobs SET status = 'queued', attempts = GREATEST(attempts - 1, 0), progress = 0, message = $1, "
      "version = version + 1 WHERE status = 'running' AND id = $2",
      Params().add(message));
}

CancelOutcome PgJobRepository::request_cancel(const std::string& tenant, std::int64_t id) {
  return s_->run(tenant, [&](Tx& tx) {
    // FOR UPDATE: a worker finishing the job at the same moment waits for this decision.
    auto r = tx.exec("SELECT status FROM jobs WHERE id = $1 AND tenant = $2 FOR UPDATE",
                     Params().add(id).add(tenant));
    if (r.empty()) return CancelOutcome::kNotFound;
    const auto status = parse_job_status(text(r[0][0])).value_or(JobStatus::kFailed);
    if (is_terminal(status)) return CancelOutcome::kAlreadyFinished;
    if (status == JobStatus::kQueued) {
      tx.exec(
          "UPDATE jobs SET status = 'cancelled', message = $1, version = version + 1, finished_at = $2 "
          "WHERE id = $3",
          Params().add("cancelled before it started").add(clock_->iso8601()).add(id));
      return CancelOutcome::kCancelled;
    }
    tx.exec(
        "UPDATE jobs SET cancel_requested = 1, message = 'cancelling', version = version + 1 WHERE id = $1",
        Params().add(id));
    return CancelOutcome::kRequested;
  });
}

bool PgJobRepository::cancel_requested(std::int64_t id) {
  const auto job = find(id);
  return job && job->cancel_requested;
}

std::size_t PgJobRepository::requeue_running(const std::string& message) {
  return s_->run(std::nullopt, [&](Tx& tx) {
    return static_cast<std::size_t>(integer(
        tx.exec1("SELECT keel_requeue_running($1, $2)", Params().add(message).add(clock_->iso8601()))[0]));
  });
}

std::map<std::string, std::size_t> PgJobRepository::count_by_status() {
  std::map<std::string, std::size_t> out;
  for (auto s : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kSucceeded, JobStatus::kFailed,
                 JobStatus::kCancelled}) {
    out[std::string(job_status_name(s))] = 0;
  }
  s_->run(std::nullopt, [&](Tx& tx) {
    for (const auto& r : tx.exec("SELECT job_status, job_count FROM keel_job_counts()")) {
      out[text(r[0])] = static_cast<std::size_t>(integer(r[1]));
    }
  });
  return out;
}

void PgResultCache::put(const std::string& tenant, std::int64_t portfolio_id, const std::string& kind,
                        const std::string& json) {
  s_->run(tenant, [&](Tx& tx) {
    tx.exec(
        "INSERT INTO cached_results (tenant, portfolio_id, kind, result, computed_at) VALUES ($1, $2, $3, "
        "$4, $5) "
        "ON CONFLICT (tenant, portfolio_id, kind) DO UPDATE SET result = excluded.result, "
        "computed_at = excluded.computed_at",
        Params().add(tenant).add(portfolio_id).add(kind).add(json).add(clock_->iso8601()));
  });
}

std::optional<CachedResult> PgResultCache::get(const std::string& tenant, std::int64_t portfolio_id,
                                               const std::string& kind) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<CachedResult> {
    auto r = tx.exec(
        "SELECT result, computed_at FROM cached_results WHERE tenant = $1 AND portfolio_id = $2 AND kind = "
        "$3",
        Params().add(tenant).add(portfolio_id).add(kind));
    if (r.empty()) return std::nullopt;
    return CachedResult{text(r[0][0]), text(r[0][1])};
  });
}

}  // namespace keel::store::pg
