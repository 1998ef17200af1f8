#include "sqlite_repositories.h"

#include <array>

#include "keel/core/error.h"
#include "keel/store/database.h"

namespace keel::store {
namespace {

constexpr std::array<std::string_view, 5> kStatusNames = {"queued", "running", "succeeded", "failed",
                                                          "cancelled"};

constexpr const char* kSelect =
    "SELECT id, tenant, username, kind, request, status, progress, message, result, error, attempts, "
    "max_attempts, run_after, cancel_requested, version, created_at, started_at, finished_at, lease_owner, "
    "lease_expires_ms, parent_id, shards, pending_shards FROM jobs ";

// The fence of every write by a claimer: the job is still running under the same attempt and is
// not waiting for shards (a split released the lease).
constexpr const char* kFence = " WHERE id = ? AND attempts = ? AND status = 'running' AND pending_shards = 0";

JobRecord read_job(const Statement& st) {
  JobRecord j;
  j.id = st.get_int(0);
  j.tenant = st.get_text(1);
  j.username = st.get_text(2);
  j.kind = st.get_text(3);
  j.request = st.get_text(4);
  j.status = parse_job_status(st.get_text(5)).value_or(JobStatus::kFailed);
  j.progress = st.get_double(6);
  j.message = st.get_text(7);
  j.result = st.get_optional_text(8);
  j.error = st.get_optional_text(9);
  j.attempts = static_cast<int>(st.get_int(10));
  j.max_attempts = static_cast<int>(st.get_int(11));
  j.run_after = st.get_int(12);
  j.cancel_requested = st.get_int(13) != 0;
  j.version = st.get_int(14);
  j.created_at = st.get_text(15);
  j.started_at = st.get_optional_text(16);
  j.finished_at = st.get_optional_text(17);
  j.lease_owner = st.get_optional_text(18);
  j.lease_expires_ms = st.get_int(19);
  if (!st.is_null(20)) j.parent_id = st.get_int(20);
  j.shards = static_cast<int>(st.get_int(21));
  j.pending_shards = static_cast<int>(st.get_int(22));
  return j;
}

}  // namespace

std::string_view job_status_name(JobStatus status) { return kStatusNames[static_cast<std::size_t>(status)]; }

std::optional<JobStatus> parse_job_status(std::string_view text) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == text) return static_cast<JobStatus>(i);
  }
  return std::nullopt;
}

std::int64_t SqliteJobRepository::enqueue(const std::string& tenant, const std::string& username,
                                          const std::string& kind, const std::string& request_json,
                                          int max_attempts, std::int64_t now_epoch) {
  if (max_attempts < 1) throw Error::invalid_input("max_attempts must be at least 1");
  db_->prepare(
         "INSERT INTO jobs (tenant, username, kind, request, status, max_attempts, run_after, created_at) "
         "VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)")
      .bind(1, tenant)
      .bind(2, username)
      .bind(3, kind)
      .bind(4, request_json)
      .bind(5, max_attempts)
      .bind(6, now_epoch)
      .bind(7, now_text(*clock_))
      .run();
  return db_->last_insert_id();
}

std::optional<JobRecord> SqliteJobRepository::find(std::int64_t id) {
  auto st = db_->prepare(std::string(kSelect) + "WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_job(st);
}

std::optional<JobRecord> SqliteJobRepository::find(const std::string& tenant, std::int64_t id) {
  auto st = db_->prepare(std::string(kSelect) + "WHERE id = ? AND tenant = ?");
  st.bind(1, id).bind(2, tenant);
  if (!st.step()) return std::nullopt;
  return read_job(st);
}

std::vector<JobRecord> SqliteJobRepository::list(const std::string& tenant, std::optional<std::int64_t> before_id,
                                                 std::size_t limit, std::optional<JobStatus> status) {
  std::string sql = std::string(kSelect) + "WHERE tenant = ? AND parent_id IS NULL";
  if (before_id) sql += " AND id < ?";
  if (status) sql += " AND status = ?";
  sql += " ORDER BY id DESC LIMIT ?";
  auto st = db_->prepare(sql);
  int i = 1;
  st.bind(i++, tenant);
  if (before_id) st.bind(i++, *before_id);
  if (status) st.bind(i++, job_status_name(*status));
  st.bind(i, static_cast<std::int64_t>(limit));
  std::vector<JobRecord> out;
  while (st.step()) out.push_back(read_job(st));
  return out;
}

int SqliteJobRepository::changes() {
  auto st = db_->prepare("SELECT changes()");
  st.step();
  return static_cast<int>(st.get_int(0));
}

std::optional<JobRecord> SqliteJobRepository::claim_next(const ClaimOptions& c) {
  return db_->transaction([&]() -> std::optional<JobRecord> {
    // Expired leases with no attempt left: failed, the last error kept.
    db_->prepare("UPDATE jobs SET status = 'failed', message = 'failed: the lease was lost in every attempt', "
                 "error = COALESCE(error, '{\"code\":\"internal\",\"message\":\"the worker running it stopped "
                 "(its lease expired) in every attempt\",\"details\":[]}'), lease_owner = NULL, "
                 "version = version + 1, finished_at = ? "
                 "WHERE status = 'running' AND pending_shards = 0 AND lease_expires_ms < ? AND attempts >= max_attempts")
        .bind(1, now_text(*clock_))
        .bind(2, c.now_ms)
        .run();
    auto pick = db_->prepare(
        "SELECT id FROM jobs WHERE (status = 'queued' AND run_after <= ?) "
        "OR (status = 'running' AND pending_shards = 0 AND lease_expires_ms < ?) ORDER BY run_after, id LIMIT 1");
    pick.bind(1, c.now_epoch).bind(2, c.now_ms);
    if (!pick.step()) return std::nullopt;
    const std::int64_t id = pick.get_int(0);
    db_->prepare("UPDATE jobs SET message = CASE WHEN status = 'running' THEN 'claimed again: the lease of attempt ' "
                 "|| attempts || ' expired' ELSE 'started' END, status = 'running', attempts = attempts + 1, "
                 "lease_owner = ?, lease_expires_ms = ?, version = version + 1, started_at = ? WHERE id = ?")
        .bind(1, c.owner)
        .bind(2, c.now_ms + c.lease_ms)
        .bind(3, now_text(*clock_))
        .bind(4, id)
        .run();
    return find(id);
  });
}

bool SqliteJobRepository::heartbeat(const JobLease& lease, std::int64_t expires_ms) {
  db_->prepare(std::string("UPDATE jobs SET lease_expires_ms = ?") + kFence)
      .bind(1, expires_ms)
      .bind(2, lease.id)
      .bind(3, lease.token)
      .run();
  return changes() == 1;
}

bool SqliteJobRepository::set_progress(const JobLease& lease, double progress, const std::string& message) {
  db_->prepare(std::string("UPDATE jobs SET progress = ?, message = ?, version = version + 1") + kFence)
      .bind(1, progress)
      .bind(2, message)
      .bind(3, lease.id)
      .bind(4, lease.token)
      .run();
  return changes() == 1;
}

bool SqliteJobRepository::succeed(const JobLease& lease, const std::string& result_json, const std::string& output) {
  auto st = db_->prepare(std::string("UPDATE jobs SET status = 'succeeded', progress = 1, message = 'done', result = ?, "
                                     "error = NULL, output = ?, lease_owner = NULL, version = version + 1, "
                                     "finished_at = ?") +
                         kFence);
  st.bind(1, result_json);
  if (output.empty()) {
    st.bind_null(2);
  } else {
    st.bind_blob(2, output);
  }
  st.bind(3, now_text(*clock_)).bind(4, lease.id).bind(5, lease.token).run();
  return changes() == 1;
}

bool SqliteJobRepository::fail(const JobLease& lease, const std::string& error_json,
                               std::optional<std::int64_t> retry_at) {
  if (retry_at) {
    db_->prepare(std::string("UPDATE jobs SET status = 'queued', error = ?, run_after = ?, message = 'retry scheduled', "
                             "lease_owner = NULL, version = version + 1") +
                 kFence)
        .bind(1, error_json)
        .bind(2, *retry_at)
        .bind(3, lease.id)
        .bind(4, lease.token)
        .run();
    return changes() == 1;
  }
  db_->prepare(std::string("UPDATE jobs SET status = 'failed', error = ?, message = 'failed', lease_owner = NULL, "
                           "version = version + 1, finished_at = ?") +
               kFence)
      .bind(1, error_json)
      .bind(2, now_text(*clock_))
      .bind(3, lease.id)
      .bind(4, lease.token)
      .run();
  return changes() == 1;
}

bool SqliteJobRepository::mark_cancelled(const JobLease& lease, const std::string& message) {
  return db_->transaction([&] {
    db_->prepare(std::string("UPDATE jobs SET status = 'cancelled', message = ?, lease_owner = NULL, "
                             "version = version + 1, finished_at = ?") +
                 kFence)
        .bind(1, message)
        .bind(2, now_text(*clock_))
        .bind(3, lease.id)
        .bind(4, lease.token)
        .run();
    return changes() == 1;
  });
}

bool SqliteJobRepository::requeue(const JobLease& lease, const std::string& message) {
  db_->prepare(std::string("UPDATE jobs SET status = 'queued', attempts = MAX(attempts - 1, 0), progress = 0, "
                           "message = ?, lease_owner = NULL, version = version + 1") +
               kFence)
      .bind(1, message)
      .bind(2, lease.id)
      .bind(3, lease.token)
      .run();
  return changes() == 1;
}

bool SqliteJobRepository::split(const JobLease& lease, const std::string& shard_kind,
                                const std::vector<std::string>& requests, std::int64_t now_epoch) {
  if (requests.empty()) throw Error::internal("a job cannot be split into no shards");
  return db_->transaction([&] {
    const auto job = find(lease.id);
    if (!job) return false;
    const auto n = static_cast<std::int64_t>(requests.size());
    db_->prepare(std::string("UPDATE jobs SET shards = ?, pending_shards = ?, max_attempts = max_attempts + 1, "
                             "lease_owner = NULL, progress = 0.05, message = ?, version = version + 1") +
                 kFence)
        .bind(1, n)
        .bind(2, n)
        .bind(3, "split into " + std::to_string(n) + " shards")
        .bind(4, lease.id)
        .bind(5, lease.token)
        .run();
    if (changes() != 1) return false;
    for (const auto& request : requests) {
      db_->prepare(
             "INSERT INTO jobs (tenant, username, kind, request, status, max_attempts, run_after, created_at, "
             "parent_id) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)")
          .bind(1, job->tenant)
          .bind(2, job->username)
          .bind(3, shard_kind)
          .bind(4, request)
          .bind(5, job->max_attempts)
          .bind(6, now_epoch)
          .bind(7, now_text(*clock_))
          .bind(8, lease.id)
          .run();
    }
    return true;
  });
}

std::vector<ShardOutput> SqliteJobRepository::shard_outputs(std::int64_t parent) {
  auto st = db_->prepare("SELECT id, status, request, result, error, output FROM jobs WHERE parent_id = ? ORDER BY id");
  st.bind(1, parent);
  std::vector<ShardOutput> out;
  while (st.step()) {
    ShardOutput o;
    o.id = st.get_int(0);
    o.status = parse_job_status(st.get_text(1)).value_or(JobStatus::kFailed);
    o.request = st.get_text(2);
    o.result = st.get_optional_text(3);
    o.error = st.get_optional_text(4);
    if (!st.is_null(5)) o.output = st.get_blob(5);
    out.push_back(std::move(o));
  }
  return out;
}

CancelOutcome SqliteJobRepository::request_cancel(const std::string& tenant, std::int64_t id) {
  return db_->transaction([&] {
    const auto job = find(tenant, id);
    if (!job) return CancelOutcome::kNotFound;
    if (is_terminal(job->status)) return CancelOutcome::kAlreadyFinished;
    const bool waiting = job->status == JobStatus::kRunning && job->pending_shards > 0;
    if (job->status == JobStatus::kQueued || waiting) {
      db_->prepare("UPDATE jobs SET status = 'cancelled', message = ?, lease_owner = NULL, version = version + 1, "
                   "finished_at = ? WHERE id = ?")
          .bind(1, waiting ? "cancelled while its shards ran" : "cancelled before it started")
          .bind(2, now_text(*clock_))
          .bind(3, id)
          .run();
    } else {
      db_->prepare("UPDATE jobs SET cancel_requested = 1, message = 'cancelling', version = version + 1 WHERE id = ?")
          .bind(1, id)
          .run();
    }
    // Its shards: the queued ones end now, the running ones at their next step.
    db_->prepare("UPDATE jobs SET status = 'cancelled', message = 'its job was cancelled', version = version + 1, "
                 "finished_at = ? WHERE parent_id = ? AND status = 'queued'")
        .bind(1, now_text(*clock_))
        .bind(2, id)
        .run();
    db_->prepare("UPDATE jobs SET cancel_requested = 1, version = version + 1 WHERE parent_id = ? AND status = 'running'")
        .bind(1, id)
        .run();
    return job->status == JobStatus::kQueued || waiting ? CancelOutcome::kCancelled : CancelOutcome::kRequested;
  });
}

bool SqliteJobRepository::cancel_requested(std::int64_t id) {
  auto st = db_->prepare("SELECT cancel_requested FROM jobs WHERE id = ?");
  st.bind(1, id);
  return st.step() && st.get_int(0) != 0;
}

std::map<std::string, std::size_t> SqliteJobRepository::count_by_status() {
  std::map<std::string, std::size_t> out;
  for (auto name : kStatusNames) out[std::string(name)] = 0;
  auto st = db_->prepare("SELECT status, COUNT(*) FROM jobs GROUP BY status");
  while (st.step()) out[st.get_text(0)] = static_cast<std::size_t>(st.get_int(1));
  return out;
}

}  // namespace keel::store
