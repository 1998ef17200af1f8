// The descriptions of the requests and results of keel/service/storage.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/storage.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void StorageArea::fields(V& v, S& s) {
  v.field({.name = "area",
           .help = "portfolios, ledger, ledger_snapshots, batch_snapshots, whatif, alm, assistant, jobs, clo, "
                   "cached_results, webhook_deliveries, audit_log, market_data"},
          s.area);
  v.field({.name = "owner", .help = "The user the records belong to (\"\": the tenant's, or shared)"}, s.owner);
  v.field({.name = "items",
           .help = "The area's own things: positions, transactions, snapshots, sessions, conversations, jobs "
                   "(shards not counted), deals, results, deliveries, audit rows"},
          s.items);
  v.field({.name = "rows", .help = "Rows in all, the items' parts included"}, s.rows);
  v.field({.name = "bytes",
           .help = "Estimated: the stored text and blobs plus a fixed amount per row, not the file's pages",
           .unit = "bytes"},
          s.bytes);
  v.field({.name = "shared", .help = "Kept once for every tenant (market data)"}, s.shared);
}
KEEL_SPEC_FIELDS(StorageArea)

template <class V, class S>
void StorageUsage::fields(V& v, S& s) {
  v.field({.name = "tenant"}, s.tenant);
  v.field({.name = "bytes", .help = "The tenant's areas in all (shared market data left out)", .unit = "bytes"},
          s.bytes);
  v.field({.name = "job_retention_days", .help = "Jobs that ended are deleted after this (0: kept)", .unit = "days"},
          s.job_retention_days);
  v.field({.name = "assistant_retention_days",
           .help = "Conversations untouched this long are deleted (0: kept)",
           .unit = "days"},
          s.assistant_retention_days);
  v.field({.name = "assistant_user_mb",
           .help = "Each user's conversations; past it their least recently changed go (0: none)",
           .unit = "MiB"},
          s.assistant_user_mb);
  v.field({.name = "whatif_sessions_per_user", .help = "What-if sessions each user may keep (0: any)"},
          s.whatif_sessions_per_user);
  v.field({.name = "alm_disk_budget_mb", .help = "The tenant's ALM sessions (0: none)", .unit = "MiB"},
          s.alm_disk_budget_mb);
  v.field({.name = "alm_user_budget_mb", .help = "Each user's ALM sessions (0: none)", .unit = "MiB"},
          s.alm_user_budget_mb);
  v.field({.name = "snapshot_report_retention_days",
           .help = "The batch snapshots' reports are dropped this long after they were made, their figures "
                   "kept (0: kept)",
           .unit = "days"},
          s.snapshot_report_retention_days);
  v.field({.name = "areas", .help = "Area by area, by owner (largest first within an area), market data last"},
          s.areas);
}
KEEL_SPEC_FIELDS(StorageUsage)

}  // namespace keel::service
