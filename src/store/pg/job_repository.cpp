// The job queue on PostgreSQL. The queue crosses tenants (a worker serves all
// of them): claiming (migration 30: leases, expired leases claimed again) and counting go through
// the owner's SECURITY DEFINER functions; every other call runs under the job's own tenant.
#include <array>

#include "keel/core/error.h"
#include "job_repository.h"

namespace keel::store::pg {
namespace {

constexpr const char* kSelect =
    "SELECT id, tenant, username, kind, request, status, progress, message, result, error, attempts, "
    "max_attempts, run_after, cancel_requested, version, created_at, started_at, finished_at, lease_owner, "
    "lease_expires_ms, parent_id, shards, pending_shards FROM jobs ";

// The fence of every write by a claimer (see job_repository.h); $n-1 is the id, $n the token.
std::string fence(int n) {
  return " WHERE id = $" + std::to_string(n - 1) + " AND attempts = $" + std::to_string(n) +
         " AND status = 'running' AND pending_shards = 0";
}

constexpr char kHex[] = "0123456789abcdef";

// bytea's hex input form.
std::string hex_of(const std::string& bytes) {
  std::string out(2 + 2 * bytes.size(), '\0');
  out[0] = '\\';
  out[1] = 'x';
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    out[2 + 2 * i] = kHex[c >> 4];
    out[3 + 2 * i] = kHex[c & 15];
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string bytes_of_hex(const char* text, std::size_t size) {
  if (size < 2 || text[0] != '\\' || text[1] != 'x' || size % 2 != 0) {
    throw Error::internal("PostgreSQL returned a bytea not in hex form (set bytea_output = 'hex')");
  }
  std::string out((size - 2) / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit(text[2 + 2 * i]), lo = hex_digit(text[3 + 2 * i]);
    if (hi < 0 || lo < 0)
      throw Error::internal("PostgreSQL returned a bytea with a character that is not hex");
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

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
  j.lease_owner = opt_text(r[18]);
  j.lease_expires_ms = integer(r[19]);
  if (!r[20].is_null()) j.parent_id = integer(r[20]);
  j.shards = static_cast<int>(integer(r[21]));
  j.pending_shards = static_cast<int>(integer(r[22]));
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
    std::string sql = std::string(kSelect) + "WHERE tenant = $1 AND parent_id IS NULL";
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

std::optional<JobRecord> PgJobRepository::claim_next(const ClaimOptions& c) {
  return s_->run(std::nullopt, [&](Tx& tx) -> std::optional<JobRecord> {
    const auto id = tx.exec1(
        "SELECT keel_claim_job($1, $2, $3, $4, $5)",
        Params().add(c.now_epoch).add(c.now_ms).add(clock_->iso8601()).add(c.owner).add(c.lease_ms))[0];
    if (id.is_null()) return std::nullopt;
    const std::int64_t job = integer(id);
    const auto tenant = job_tenant(tx, job);
    if (!tenant) return std::nullopt;
    tx.set_tenant(*tenant);
    return read_by_id(tx, job);
  });
}

bool PgJobRepository::fenced(const JobLease& lease, const std::string& sql, Params params) {
  params.add(lease.id).add(lease.token);
  return s_->run(std::nullopt, [&](Tx& tx) {
    const auto tenant = job_tenant(tx, lease.id);
    if (!tenant) return false;
    tx.set_tenant(*tenant);
    return tx.exec(sql, params).affected_rows() == 1;
  });
}

bool PgJobRepository::heartbeat(const JobLease& lease, std::int64_t expires_ms) {
  return fenced(lease, "UPDATE jobs SET lease_expires_ms = $1" + fence(3), Params().add(expires_ms));
}

bool PgJobRepository::set_progress(const JobLease& lease, double progress, const std::string& message) {
  return fenced(lease, "UPDATE jobs SET progress = $1, message = $2, version = version + 1" + fence(4),
                Params().add(progress).add(message));
}

bool PgJobRepository::succeed(const JobLease& lease, const std::string& result_json,
                              const std::string& output) {
  Params p;
  p.add(result_json);
  if (output.empty()) {
    p.add_null();
  } else {
    p.add(hex_of(output));
  }
  p.add(clock_->iso8601());
  return fenced(
      lease,
      "UPDATE jobs SET status = 'succeeded', progress = 1, message = 'done', result = $1, error = NULL, "
      "output = $2::bytea, lease_owner = NULL, version = version + 1, finished_at = $3" +
          fence(5),
      std::move(p));
}

bool PgJobRepository::fail(const JobLease& lease, const std::string& error_json,
                           std::optional<std::int64_t> retry_at) {
  if (retry_at) {
    return fenced(
        lease,
        "UPDATE jobs SET status = 'queued', error = $1, run_after = $2, message = 'retry scheduled', "
        "lease_owner = NULL, version = version + 1" +
            fence(4),
        Params().add(error_json).add(*retry_at));
  }
  return fenced(lease,
                "UPDATE jobs SET status = 'failed', error = $1, message = 'failed', lease_owner = NULL, "
                "version = version + 1, finished_at = $2" +
                    fence(4),
                Params().add(error_json).add(clock_->iso8601()));
}

bool PgJobRepository::mark_cancelled(const JobLease& lease, const std::string& message) {
  return fenced(
      lease,
      "UPDATE jobs SET status = 'cancelled', message = $1, lease_owner = NULL, version = version + 1, "
      "finished_at = $2" +
          fence(4),
      Params().add(message).add(clock_->iso8601()));
}

bool PgJobRepository::requeue(const JobLease& lease, const std::string& message) {
  return fenced(
      lease,
      "UPDATE jobs SET status = 'queued', attempts = GREATEST(attempts - 1, 0), progress = 0, message = $1, "
      "lease_owner = NULL, version = version + 1" +
          fence(3),
      Params().add(message));
}

bool PgJobRepository::split(const JobLease& lease, const std::string& shard_kind,
                            const std::vector<std::string>& requests, std::int64_t now_epoch) {
  if (requests.empty()) throw Error::internal("a job cannot be split into no shards");
  return s_->run(std::nullopt, [&](Tx& tx) {
    const auto tenant = job_tenant(tx, lease.id);
    if (!tenant) return false;
    tx.set_tenant(*tenant);
    const auto n = static_cast<std::int64_t>(requests.size());
    auto r = tx.exec(
        "UPDATE jobs SET shards = $1, pending_shards = $1, max_attempts = max_attempts + 1, lease_owner = "
        "NULL, "
        "progress = 0.05, message = $2, version = version + 1" +
            fence(4) + " RETURNING tenant, username, max_attempts - 1",
        Params().add(n).add("split into " + std::to_string(n) + " shards").add(lease.id).add(lease.token));
    if (r.empty()) return false;
    const std::string username = text(r[0][1]);
    const std::int64_t attempts = integer(r[0][2]);
    for (const auto& request : requests) {
      tx.exec(
          "INSERT INTO jobs (tenant, username, kind, request, status, max_attempts, run_after, created_at, "
          "parent_id) VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8)",
          Params()
              .add(*tenant)
              .add(username)
              .add(shard_kind)
              .add(request)
              .add(attempts)
              .add(now_epoch)
              .add(clock_->iso8601())
              .add(lease.id));
    }
    return true;
  });
}

std::vector<ShardOutput> PgJobRepository::shard_outputs(std::int64_t parent) {
  return s_->run(std::nullopt, [&](Tx& tx) {
    std::vector<ShardOutput> out;
    const auto tenant = job_tenant(tx, parent);
    if (!tenant) return out;
    tx.set_tenant(*tenant);
    for (const auto& r : tx.exec(
             "SELECT id, status, request, result, error, output FROM jobs WHERE parent_id = $1 ORDER BY id",
             Params().add(parent))) {
      ShardOutput o;
      o.id = integer(r[0]);
      o.status = parse_job_status(text(r[1])).value_or(JobStatus::kFailed);
      o.request = text(r[2]);
      o.result = opt_text(r[3]);
      o.error = opt_text(r[4]);
      if (!r[5].is_null()) o.output = bytes_of_hex(r[5].c_str(), r[5].size());
      out.push_back(std::move(o));
    }
    return out;
  });
}

CancelOutcome PgJobRepository::request_cancel(const std::string& tenant, std::int64_t id) {
  const auto outcome = s_->run(tenant, [&](Tx& tx) {
    // FOR UPDATE: a worker finishing the job at the same moment waits for this decision.
    auto r = tx.exec("SELECT status, pending_shards FROM jobs WHERE id = $1 AND tenant = $2 FOR UPDATE",
                     Params().add(id).add(tenant));
    if (r.empty()) return CancelOutcome::kNotFound;
    const auto status = parse_job_status(text(r[0][0])).value_or(JobStatus::kFailed);
    if (is_terminal(status)) return CancelOutcome::kAlreadyFinished;
    const bool waiting = status == JobStatus::kRunning && integer(r[0][1]) > 0;
    if (status == JobStatus::kQueued || waiting) {
      tx.exec(
          "UPDATE jobs SET status = 'cancelled', message = $1, lease_owner = NULL, version = version + 1, "
          "finished_at = $2 WHERE id = $3",
          Params()
              .add(waiting ? "cancelled while its shards ran" : "cancelled before it started")
              .add(clock_->iso8601())
              .add(id));
      return CancelOutcome::kCancelled;
    }
    tx.exec(
        "UPDATE jobs SET cancel_requested = 1, message = 'cancelling', version = version + 1 WHERE id = $1",
        Params().add(id));
    return CancelOutcome::kRequested;
  });
  if (outcome == CancelOutcome::kCancelled || outcome == CancelOutcome::kRequested) {
    // Its shards, in a transaction of their own (a shard ending locks itself, then its parent:
    // taking the parent and then the shards in one transaction could deadlock with it).
    s_->run(tenant, [&](Tx& tx) {
      tx.exec(
          "UPDATE jobs SET status = 'cancelled', message = 'its job was cancelled', version = version + 1, "
          "finished_at = $1 WHERE parent_id = $2 AND status = 'queued'",
          Params().add(clock_->iso8601()).add(id));
      tx.exec(
          "UPDATE jobs SET cancel_requested = 1, version = version + 1 WHERE parent_id = $1 AND status = "
          "'running'",
          Params().add(id));
    });
  }
  return outcome;
}

bool PgJobRepository::cancel_requested(std::int64_t id) {
  const auto job = find(id);
  return job && job->cancel_requested;
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

}  // namespace keel::store::pg
