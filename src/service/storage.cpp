// What each tenant keeps, and its bounds (keel/service/storage.h).
#include "keel/service/storage.h"

#include <fmt/format.h>

#include "keel/core/date.h"
#include "keel/core/error.h"
#include "keel/service/admission.h"
#include "keel/store/job_repository.h"
#include "keel/store/modelling_repository.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/storage_repository.h"
#include "keel/store/store.h"
#include "keel/store/user_repository.h"

namespace keel::service {
namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr std::int64_t kBytesPerMiB = 1024 * 1024;

// The tenant's quotas, the server's defaults or its override; none outside the server.
ComputeLimits quotas_of(const Context& cx, const std::string& tenant) {
  return cx.limits ? cx.limits->of(tenant) : ComputeLimits{};
}

// ISO-8601 UTC of `days` before `now_seconds`; "" when `days` is 0 (kept).
std::string cutoff(double now_seconds, double days) {
  if (!(days > 0.0)) return {};
  return iso_utc(static_cast<std::int64_t>(now_seconds - days * kSecondsPerDay));
}

}  // namespace

StorageUsage storage_usage(const Context& cx, const StorageSettings& settings) {
  authorize(cx, kStorageRead, "storage");
  Store& store = require_store(cx, "storage figures");
  const ComputeLimits quotas = quotas_of(cx, cx.actor.tenant);
  StorageUsage out;
  out.tenant = cx.actor.tenant;
  out.job_retention_days = settings.job_retention_days;
  out.assistant_retention_days = settings.assistant_retention_days;
  out.assistant_user_mb = quotas.assistant_user_mb;
  out.whatif_sessions_per_user = quotas.whatif_sessions_per_user;
  out.alm_disk_budget_mb = settings.alm_disk_budget_mb;
  out.alm_user_budget_mb = settings.alm_user_budget_mb;
  out.snapshot_report_retention_days = settings.snapshot_report_retention_days;
  for (auto& row : store.storage().usage(cx.actor.tenant)) {
    if (!row.shared) out.bytes += row.bytes;
    out.areas.push_back({std::move(row.area), std::move(row.owner), row.items, row.rows, row.bytes, row.shared});
  }
  return out;
}

StorageSweep sweep_storage(const Context& cx, const StorageSettings& settings, double now_seconds) {
  Store& store = require_store(cx, "storage bounds");
  StorageSweep out;
  if (const auto before = cutoff(now_seconds, settings.job_retention_days); !before.empty())
    out.jobs_deleted = store.jobs().prune_finished(before);
  const std::string conversations_before = cutoff(now_seconds, settings.assistant_retention_days);
  for (const auto& tenant : store.storage().assistant_tenants()) {
    const std::int64_t budget = quotas_of(cx, tenant).assistant_user_mb * kBytesPerMiB;
    if (conversations_before.empty() && budget <= 0) continue;
    const auto pruned = store.storage().prune_assistant(tenant, conversations_before, budget);
    out.conversations_expired += pruned.expired;
    out.conversations_evicted += pruned.evicted;
  }
  if (const auto before = cutoff(now_seconds, settings.snapshot_report_retention_days); !before.empty())
    out.snapshot_reports_dropped = store.snapshots().prune_reports(before);
  return out;
}

std::size_t hold_assistant_budget(const Context& cx) {
  const std::int64_t budget = quotas_of(cx, cx.actor.tenant).assistant_user_mb * kBytesPerMiB;
  if (budget <= 0 || cx.store == nullptr) return 0;
  return cx.store->storage().prune_assistant(cx.actor.tenant, "", budget).evicted;
}

void check_whatif_session_quota(const Context& cx) {
  const std::int64_t quota = quotas_of(cx, cx.actor.tenant).whatif_sessions_per_user;
  if (quota <= 0) return;
  const auto kept = static_cast<std::int64_t>(
      require_store(cx, "a modelling session is kept").modelling_sessions().count_owned(cx.actor.tenant, cx.actor.user));
  if (kept >= quota) {
    throw Error::conflict(fmt::format("you keep {} what-if sessions, the most a user of tenant {} may: delete one you "
                                      "no longer need (What-if, the session's Delete) before creating another",
                                      kept, cx.actor.tenant));
  }
}

std::size_t prune_revocations(const Context& cx, std::int64_t now_epoch) {
  return require_store(cx, "token revocations").users().prune_revocations(now_epoch);
}

}  // namespace keel::service
