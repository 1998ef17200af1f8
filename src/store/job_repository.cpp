// The job queue (keel/store/job_repository.h) on both backends. The queue crosses tenants (a
// worker serves all of them): on PostgreSQL, claiming and counting go through the owner's
// SECURITY DEFINER functions (migration 30: the claim is FOR UPDATE SKIP LOCKED there), and every
// other call runs under the job's own tenant (keel_job_tenant), so row-level security filters and
// checks what the SQL's own conditions do too. On SQLite the claim is the same SQL in one
// BEGIN IMMEDIATE transaction, whose write lock keeps two claimers apart.
#include "keel/store/job_repository.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>

#include "keel/core/error.h"
#include "sql.h"

namespace keel::store {
namespace {

constexpr std::array<std::string_view, 5> kStatusNames = {"queued", "running", "succeeded", "failed",
                                                          "cancelled"};

constexpr std::string_view kSelect =
    "SELECT id, tenant, username, kind, request, status, progress, message, result, error, attempts, "
    "max_attempts, run_after, cancel_requested, version, created_at, started_at, finished_at, lease_owner, "
    "lease_expires_ms, parent_id, shards, pending_shards FROM jobs ";

// The fence of every write by a claimer: the job is still running under the same attempt and is
// not waiting for shards (a split released the lease). Its parameters: the id, then the token.
constexpr std::string_view kFence =
    " WHERE id = ? AND attempts = ? AND status = 'running' AND pending_shards = 0";

constexpr std::string_view kInsert =
    "INSERT INTO jobs (tenant, username, kind, request, status, max_attempts, run_after, created_at, "
    "parent_id) "
    "VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)";

JobStatus status_of(const SqlStatement& st, int column) {
  return parse_job_status(st.get_text(column)).value_or(JobStatus::kFailed);
}

JobRecord read_job(const SqlStatement& st) {
  JobRecord j;
  read_row(st, 0, j.id, j.tenant, j.username, j.kind, j.request);
  j.status = status_of(st, 5);
  read_row(st, 6, j.progress, j.message, j.result, j.error, j.attempts, j.max_attempts, j.run_after,
           j.cancel_requested, j.version, j.created_at, j.started_at, j.finished_at, j.lease_owner,
           j.lease_expires_ms, j.parent_id, j.shards, j.pending_shards);
  return j;
}

// The job of `id` where the running transaction's tenant may see it.
std::optional<JobRecord> read_by_id(SqlConnection& c, std::int64_t id) {
  return c.prepare(fmt::format("{}WHERE id = ?", kSelect)).bind(1, id).first(read_job);
}

// For a call that names a job only by id: its tenant, where rows are tenant-scoped.
bool enter_job_tenant(SqlConnection& c, std::int64_t id) {
  return enter_tenant_of(c, "keel_job_tenant", id);
}

// UPDATE jobs SET `set` (its `?` bound to `values`) under the fence of `lease`, under the job's
// tenant (in a write transaction if `transaction`); true when it changed the row.
template <class... V>
bool fenced(SqlConnection& c, const JobLease& lease, bool transaction, std::string_view set,
            const V&... values) {
  auto write = [&] {
    if (!enter_job_tenant(c, lease.id)) return false;
    auto st = c.prepare(fmt::format("UPDATE jobs SET {}{}", set, kFence));
    SqlBinder b(st);
    (b.add(values), ...);
    b.add(lease.id).add(lease.token);
    return st.run() == 1;
  };
  return transaction ? c.transaction(std::nullopt, write) : c.run(std::nullopt, write);
}

bool acted(CancelOutcome o) {
  return o == CancelOutcome::kCancelled || o == CancelOutcome::kRequested;
}

}  // namespace

std::string_view job_status_name(JobStatus status) {
  return kStatusNames[static_cast<std::size_t>(status)];
}

std::optional<JobStatus> parse_job_status(std::string_view text) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == text) return static_cast<JobStatus>(i);
  }
  return std::nullopt;
}

std::int64_t JobRepository::enqueue(const std::string& tenant, const std::string& username,
                                    const std::string& kind, const std::string& request_json,
                                    int max_attempts, std::int64_t now_epoch) {
  if (max_attempts < 1) throw Error::invalid_input("max_attempts must be at least 1");
  return c_->run(tenant, [&] {
    return c_->prepare(fmt::format("{} RETURNING id", kInsert))
        .bind_all(tenant, username, kind, request_json, max_attempts, now_epoch, clock_->iso8601(),
                  std::nullopt)
        .first_int();
  });
}

std::int64_t JobRepository::enqueue_or_join(const std::string& tenant, const std::string& username,
                                            const std::string& kind, const std::string& request_json, int max_attempts,
                                            std::int64_t now_epoch, bool& joined) {
  if (max_attempts < 1) throw Error::invalid_input("max_attempts must be at least 1");
  return c_->transaction(tenant, [&] {
    // The user's lock (a hash of tenant and user; FNV-1a) taken by every identical request alike.
    std::uint64_t h = 1469598103934665603ull;
    for (const char ch : tenant + '\n' + username) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
    c_->lock_until_commit(static_cast<std::int64_t>(h >> 1));
    auto pending = c_->prepare(
        "SELECT id FROM jobs WHERE tenant = ? AND username = ? AND kind = ? AND parent_id IS NULL AND "
        "status IN ('queued', 'running') AND cancel_requested = 0 AND request = ? ORDER BY id LIMIT 1");
    pending.bind_all(tenant, username, kind, request_json);
    if (pending.step()) {
      joined = true;
      return pending.get_int(0);
    }
    joined = false;
    return c_->prepare(fmt::format("{} RETURNING id", kInsert))
        .bind_all(tenant, username, kind, request_json, max_attempts, now_epoch, clock_->iso8601(), std::nullopt)
        .first_int();
  });
}

std::optional<JobRecord> JobRepository::find(std::int64_t id) {
  return c_->run(std::nullopt, [&]() -> std::optional<JobRecord> {
    if (!enter_job_tenant(*c_, id)) return std::nullopt;
    return read_by_id(*c_, id);
  });
}

std::optional<JobRecord> JobRepository::find(const std::string& tenant, std::int64_t id) {
  return c_->first(tenant, fmt::format("{}WHERE id = ? AND tenant = ?", kSelect), read_job, id, tenant);
}

std::vector<JobRecord> JobRepository::list(const std::string& tenant, std::optional<std::int64_t> before_id,
                                           std::size_t limit, std::optional<JobStatus> status) {
  return c_->run(tenant, [&] {
    auto st =
        c_->prepare(fmt::format("{}WHERE tenant = ? AND parent_id IS NULL{}{} ORDER BY id DESC LIMIT ?",
                                kSelect, before_id ? " AND id < ?" : "", status ? " AND status = ?" : ""));
    SqlBinder b(st);
    b.add(tenant);
    if (before_id) b.add(*before_id);
    if (status) b.add(job_status_name(*status));
    b.add(limit);
    return st.rows(read_job);
  });
}

std::size_t JobRepository::count(const std::string& tenant, std::optional<JobStatus> status) {
  return c_->run(tenant, [&] {
    auto st = c_->prepare(fmt::format("SELECT COUNT(*) FROM jobs WHERE tenant = ? AND parent_id IS NULL{}",
                                      status ? " AND status = ?" : ""));
    SqlBinder b(st);
    b.add(tenant);
    if (status) b.add(job_status_name(*status));
    return static_cast<std::size_t>(st.first_int());
  });
}

std::optional<JobRecord> JobRepository::claim_next(const ClaimOptions& c,
                                                  const std::vector<std::string>& full_tenants) {
  return c_->transaction(std::nullopt, [&]() -> std::optional<JobRecord> {
    const std::string now = clock_->iso8601();
    std::int64_t id = 0;
    if (c_->dialect().row_level_security) {
      // The owner's function runs the statements below (migration 88), the pick FOR UPDATE SKIP
      // LOCKED.
      auto st = c_->prepare("SELECT keel_claim_job(?, ?, ?, ?, ?, ?)");
      st.bind_all(c.now_epoch, c.now_ms, now, c.owner, c.lease_ms, nlohmann::json(full_tenants).dump());
      if (!st.step() || st.is_null(0)) return std::nullopt;
      id = st.get_int(0);
    } else {
      // Expired leases with no attempt left: failed, the last error kept.
      c_->prepare(
            "UPDATE jobs SET status = 'failed', message = 'failed: the lease was lost in every attempt', "
            "error = COALESCE(error, '{\"code\":\"internal\",\"message\":\"the worker running it stopped "
            "(its lease expired) in every attempt\",\"details\":[]}'), lease_owner = NULL, "
            "version = version + 1, finished_at = ? WHERE status = 'running' AND pending_shards = 0 "
            "AND lease_expires_ms < ? AND attempts >= max_attempts")
          .bind_all(now, c.now_ms)
          .run();
      // Fair share (docs/server.md): each user's oldest due job of the tenants not at the
      // claimer's limit; of those, the tenant with the fewest running jobs (live leases, every
      // process), then the tenant whose last claim is the oldest (job_turns), then within it the
      // user likewise, then the oldest job.
      std::string full;
      for (std::size_t i = 0; i < full_tenants.size(); ++i) full += i ? ", ?" : "?";
      auto pick = c_->prepare(fmt::format(
          "WITH due AS (SELECT id, tenant, username, run_after, "
          "ROW_NUMBER() OVER (PARTITION BY tenant, username ORDER BY run_after, id) AS n FROM jobs "
          "WHERE ((status = 'queued' AND run_after <= ?) OR (status = 'running' AND pending_shards = 0 AND "
          "lease_expires_ms < ?)){}), "
          "running AS (SELECT tenant, username, COUNT(*) AS c FROM jobs WHERE status = 'running' AND "
          "pending_shards = 0 AND lease_expires_ms >= ? GROUP BY tenant, username) "
          "SELECT d.id FROM due d "
          "LEFT JOIN (SELECT tenant, SUM(c) AS c FROM running GROUP BY tenant) tr ON tr.tenant = d.tenant "
          "LEFT JOIN running ur ON ur.tenant = d.tenant AND ur.username = d.username "
          "LEFT JOIN (SELECT tenant, MAX(turn) AS t FROM job_turns GROUP BY tenant) tt ON tt.tenant = d.tenant "
          "LEFT JOIN job_turns ut ON ut.tenant = d.tenant AND ut.username = d.username "
          "WHERE d.n = 1 ORDER BY COALESCE(tr.c, 0), COALESCE(tt.t, 0), COALESCE(ur.c, 0), COALESCE(ut.turn, 0), "
          "d.run_after, d.id LIMIT 1",
          full.empty() ? "" : fmt::format(" AND tenant NOT IN ({})", full)));
      SqlBinder b(pick);
      b.add(c.now_epoch).add(c.now_ms);
      for (const auto& t : full_tenants) b.add(t);
      b.add(c.now_ms);
      if (!pick.step()) return std::nullopt;
      id = pick.get_int(0);
      pick.run();  // done with the pick before writing
      auto claim = c_->prepare(
          "UPDATE jobs SET message = CASE WHEN status = 'running' THEN 'claimed again: the lease of attempt "
          "' "
          "|| attempts || ' expired' ELSE 'started' END, status = 'running', attempts = attempts + 1, "
          "lease_owner = ?, lease_expires_ms = ?, version = version + 1, started_at = ? WHERE id = ?");
      claim.bind_all(c.owner, c.now_ms + c.lease_ms, now, id).run();
      c_->prepare(
            "INSERT INTO job_turns (tenant, username, turn) SELECT tenant, username, "
            "(SELECT COALESCE(MAX(turn), 0) + 1 FROM job_turns) FROM jobs WHERE id = ? "
            "ON CONFLICT (tenant, username) DO UPDATE SET turn = excluded.turn")
          .bind(1, id)
          .run();
    }
    return find(id);
  });
}

bool JobRepository::heartbeat(const JobLease& lease, std::int64_t expires_ms) {
  return fenced(*c_, lease, false, "lease_expires_ms = ?", expires_ms);
}

bool JobRepository::set_progress(const JobLease& lease, double progress, const std::string& message) {
  return fenced(*c_, lease, false, "progress = ?, message = ?, version = version + 1", progress, message);
}

bool JobRepository::succeed(const JobLease& lease, const std::string& result_json,
                            const std::string& output) {
  return fenced(*c_, lease, false,
                "status = 'succeeded', progress = 1, message = 'done', result = ?, error = NULL, output = ?, "
                "lease_owner = NULL, version = version + 1, finished_at = ?",
                result_json, output.empty() ? std::nullopt : std::optional<SqlBlob>(SqlBlob{output}),
                clock_->iso8601());
}

bool JobRepository::fail(const JobLease& lease, const std::string& error_json,
                         std::optional<std::int64_t> retry_at) {
  if (retry_at) {
    return fenced(
        *c_, lease, false,
        "status = 'queued', error = ?, run_after = ?, message = 'retry scheduled', lease_owner = NULL, "
        "version = version + 1",
        error_json, *retry_at);
  }
  return fenced(
      *c_, lease, false,
      "status = 'failed', error = ?, message = 'failed', lease_owner = NULL, version = version + 1, "
      "finished_at = ?",
      error_json, clock_->iso8601());
}

bool JobRepository::mark_cancelled(const JobLease& lease, const std::string& message) {
  return fenced(
      *c_, lease, true,
      "status = 'cancelled', message = ?, lease_owner = NULL, version = version + 1, finished_at = ?",
      message, clock_->iso8601());
}

bool JobRepository::requeue(const JobLease& lease, const std::string& message) {
  return fenced(
      *c_, lease, false,
      "status = 'queued', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, progress = 0, "
      "message = ?, lease_owner = NULL, version = version + 1",
      message);
}

bool JobRepository::split(const JobLease& lease, const std::string& shard_kind,
                          const std::vector<std::string>& requests, std::int64_t now_epoch) {
  if (requests.empty()) throw Error::internal("a job cannot be split into no shards");
  return c_->transaction(std::nullopt, [&] {
    if (!enter_job_tenant(*c_, lease.id)) return false;
    const auto n = static_cast<std::int64_t>(requests.size());
    auto st = c_->prepare(
        fmt::format("UPDATE jobs SET shards = ?, pending_shards = ?, max_attempts = max_attempts + 1, "
                    "lease_owner = NULL, progress = 0.05, message = ?, version = version + 1{} "
                    "RETURNING tenant, username, max_attempts - 1",
                    kFence));
    st.bind_all(n, n, fmt::format("split into {} shards", n), lease.id, lease.token);
    if (!st.step()) return false;
    const std::string tenant = st.get_text(0), username = st.get_text(1);
    const std::int64_t max_attempts = st.get_int(2);
    st.run();
    auto insert = c_->prepare(kInsert);
    for (const auto& request : requests) {
      insert.run_row(tenant, username, shard_kind, request, max_attempts, now_epoch, clock_->iso8601(),
                     lease.id);
    }
    return true;
  });
}

std::vector<ShardOutput> JobRepository::shard_outputs(std::int64_t parent) {
  return c_->run(std::nullopt, [&] {
    if (!enter_job_tenant(*c_, parent)) return std::vector<ShardOutput>{};
    return c_
        ->prepare(
            "SELECT id, status, request, result, error, output FROM jobs WHERE parent_id = ? ORDER BY id")
        .bind(1, parent)
        .rows([](const SqlStatement& r) {
          ShardOutput o;
          o.id = r.get_int(0);
          o.status = status_of(r, 1);
          read_row(r, 2, o.request, o.result, o.error);
          if (!r.is_null(5)) o.output = r.get_blob(5);
          return o;
        });
  });
}

CancelOutcome JobRepository::request_cancel(const std::string& tenant, std::int64_t id) {
  // Its shards: the queued ones end now, the running ones at their next step.
  auto cancel_shards = [&] {
    c_->prepare(
          "UPDATE jobs SET status = 'cancelled', message = 'its job was cancelled', version = version + 1, "
          "finished_at = ? WHERE parent_id = ? AND status = 'queued'")
        .bind_all(clock_->iso8601(), id)
        .run();
    c_->prepare(
          "UPDATE jobs SET cancel_requested = 1, version = version + 1 WHERE parent_id = ? AND status = "
          "'running'")
        .bind(1, id)
        .run();
  };
  // With row locks the shards go in a transaction of their own: a shard ending locks itself, then
  // its parent, so taking the parent and then the shards in one transaction could deadlock with it.
  // SQLite's one write lock cannot deadlock: one transaction.
  const bool shards_apart = c_->dialect().row_locks;
  const auto outcome = c_->transaction(tenant, [&] {
    // FOR UPDATE: a worker finishing the job at the same moment waits for this decision.
    auto st = c_->prepare(fmt::format("SELECT status, pending_shards FROM jobs WHERE id = ? AND tenant = ?{}",
                                      c_->dialect().lock(" FOR UPDATE")));
    st.bind_all(id, tenant);
    if (!st.step()) return CancelOutcome::kNotFound;
    const JobStatus status = status_of(st, 0);
    if (is_terminal(status)) return CancelOutcome::kAlreadyFinished;
    const bool waiting = status == JobStatus::kRunning && st.get_int(1) > 0;
    st.run();
    CancelOutcome o = CancelOutcome::kRequested;
    if (status == JobStatus::kQueued || waiting) {
      c_->prepare(
            "UPDATE jobs SET status = 'cancelled', message = ?, lease_owner = NULL, version = version + 1, "
            "finished_at = ? WHERE id = ?")
          .bind_all(waiting ? "cancelled while its shards ran" : "cancelled before it started",
                    clock_->iso8601(), id)
          .run();
      o = CancelOutcome::kCancelled;
    } else {
      c_->prepare(
            "UPDATE jobs SET cancel_requested = 1, message = 'cancelling', version = version + 1 WHERE id = "
            "?")
          .bind(1, id)
          .run();
    }
    if (!shards_apart) cancel_shards();
    return o;
  });
  if (shards_apart && acted(outcome)) c_->transaction(tenant, cancel_shards);
  return outcome;
}

bool JobRepository::cancel_requested(std::int64_t id) {
  return c_->run(std::nullopt, [&] {
    if (!enter_job_tenant(*c_, id)) return false;
    auto st = c_->prepare("SELECT cancel_requested FROM jobs WHERE id = ?");
    st.bind(1, id);
    return st.step() && st.get_int(0) != 0;
  });
}

std::map<std::string, std::size_t> JobRepository::count_by_status() {
  std::map<std::string, std::size_t> out;
  for (auto name : kStatusNames) out[std::string(name)] = 0;
  c_->run(std::nullopt, [&] {
    // Counting crosses tenants: on PostgreSQL, the owner's function.
    auto st =
        c_->prepare(c_->dialect().row_level_security ? "SELECT job_status, job_count FROM keel_job_counts()"
                                                     : "SELECT status, COUNT(*) FROM jobs GROUP BY status");
    while (st.step()) out[st.get_text(0)] = static_cast<std::size_t>(st.get_int(1));
  });
  return out;
}

// ResultCache: the latest result of a portfolio's analysis per kind, under its tenant.
void ResultCache::put(const std::string& tenant, std::int64_t portfolio_id, const std::string& kind,
                      const std::string& json) {
  c_->write(tenant,
            upsert_sql("cached_results", "tenant, portfolio_id, kind, result, computed_at",
                       "tenant, portfolio_id, kind"),
            tenant, portfolio_id, kind, json, clock_->iso8601());
}

std::optional<CachedResult> ResultCache::get(const std::string& tenant, std::int64_t portfolio_id,
                                             const std::string& kind) {
  return c_->first(
      tenant,
      "SELECT result, computed_at FROM cached_results WHERE tenant = ? AND portfolio_id = ? AND kind = ?",
      [](const SqlStatement& r) {
        return CachedResult{r.get_text(0), r.get_text(1)};
      },
      tenant, portfolio_id, kind);
}

std::size_t JobRepository::prune_finished(const std::string& before) {
  return c_->transaction(std::nullopt, [&] {
    if (c_->dialect().row_level_security) {
      auto st = c_->prepare("SELECT keel_jobs_prune(?)");
      st.bind(1, before).step();
      return static_cast<std::size_t>(st.get_int(0));
    }
    constexpr const char* kEnded =
        "SELECT id FROM jobs WHERE parent_id IS NULL AND status IN ('succeeded', 'failed', 'cancelled') "
        "AND finished_at < ?";
    // The shards first (counted: a cascade's deletions would not be), then their jobs.
    const auto shards = c_->prepare(std::string("DELETE FROM jobs WHERE parent_id IN (") + kEnded + ")")
                            .bind(1, before)
                            .run();
    const auto ended = c_->prepare(std::string("DELETE FROM jobs WHERE id IN (") + kEnded + ")").bind(1, before).run();
    return static_cast<std::size_t>(shards + ended);
  });
}

}  // namespace keel::store
