// keel/service/storage.h: what each tenant keeps, measured, and the bounds on what grows with use
// (docs/server.md, "Storage").
//
// Figures: storage_usage() is the actor's tenant's store area by area (portfolios, ledger, its
// snapshots, batch snapshots, what-if and ALM sessions, assistant transcripts, jobs, CLO deals,
// cached results, webhook deliveries, audit log), each as items, rows and estimated bytes, by
// owner where the records have one, with the bounds the server holds them to and the market data
// every tenant shares. Administrators and managers (manage_users) read it; it writes nothing.
//
// Bounds, each a setting of keel serve (0 turns it off), for every area that grows with use:
//   - jobs that ended are deleted after job_retention_days, with their results and outputs;
//   - assistant conversations untouched for assistant_retention_days are deleted;
//   - each user's conversations are held to their tenant's assistant_user_mb: past it, that user's
//     least recently changed conversations (never their newest, never another user's or tenant's)
//     are deleted, after each question and in the periodic sweep;
//   - each user may keep whatif_sessions_per_user what-if sessions: creating one more is refused;
//   - ALM sessions have their own expiry and budgets (keel/service/alm_sessions.h);
//   - webhook deliveries are deleted 30 days after their last attempt (keel/service/webhooks.h).
// The per-user quotas are per tenant (--tenant-limit TENANT:whatif_sessions=N,assistant_mb=N).
// What records a user's own decisions (portfolios, ledger, CLO deals, snapshots, the audit log)
// is never deleted by a bound: it is counted, for the administrators to see.
//
// Thread-safety: stateless; see the Context's store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/rules.h"

namespace keel::service {

inline constexpr UseCase kStorageRead{"read what the tenant stores", Permission::kManageUsers, ""};

// keel serve's retention settings (the per-user quotas are ComputeLimits', per tenant).
struct StorageSettings {
  double job_retention_days = 30.0;       // --job-retention-days
  double assistant_retention_days = 0.0;  // --assistant-retention-days
  std::int64_t alm_disk_budget_mb = 0;    // --alm-disk-budget-mb (shown; ALM's cleanup holds it)
  std::int64_t alm_user_budget_mb = 0;    // --alm-user-budget-mb (shown)
  double snapshot_report_retention_days = 0.0;  // --snapshot-report-retention-days
};

struct StorageArea {
  std::string area;
  std::string owner;
  std::int64_t items = 0;
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
  bool shared = false;
  static constexpr const char* kSchemaName = "StorageArea";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct StorageUsage {
  std::string tenant;
  std::int64_t bytes = 0;  // the tenant's areas, shared market data left out
  double job_retention_days = 0.0;
  double assistant_retention_days = 0.0;
  std::int64_t assistant_user_mb = 0;
  std::int64_t whatif_sessions_per_user = 0;
  std::int64_t alm_disk_budget_mb = 0;
  std::int64_t alm_user_budget_mb = 0;
  double snapshot_report_retention_days = 0.0;
  std::vector<StorageArea> areas;
  static constexpr const char* kSchemaName = "StorageUsage";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The actor's tenant's figures (above). Throws forbidden (kStorageRead). A read.
StorageUsage storage_usage(const Context& cx, const StorageSettings& settings);

struct StorageSweep {
  std::size_t jobs_deleted = 0;             // shards included
  std::size_t conversations_expired = 0;    // past the retention
  std::size_t conversations_evicted = 0;    // past a user's budget
  std::size_t snapshot_reports_dropped = 0; // batch snapshots' report text, past the retention
};

// Holds every tenant to the bounds (keel serve runs it every ten minutes): jobs and conversations
// past their retention, conversations past each tenant's per-user budget (cx.limits; none without),
// and the report text of batch snapshots past theirs (the snapshots' figures stay).
// `now_seconds` is epoch seconds. Maintenance, not a use case: not audited, as ALM's cleanup.
StorageSweep sweep_storage(const Context& cx, const StorageSettings& settings, double now_seconds);

// The actor's tenant's conversations held to its per-user budget (cx.limits; nothing without):
// the assistant runs it after each question. Returns how many went.
std::size_t hold_assistant_budget(const Context& cx);

// Refuses (conflict, naming the quota and what to do) when the actor already keeps their tenant's
// whatif_sessions_per_user what-if sessions (cx.limits; any number without).
void check_whatif_session_quota(const Context& cx);

// Deletes the token revocations whose tokens have expired by `now_epoch` (keel serve, at the auth
// cache's prune interval): maintenance, not audited.
std::size_t prune_revocations(const Context& cx, std::int64_t now_epoch);

}  // namespace keel::service
