// The descriptions of the requests and results of keel/service/alm_sessions.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/alm_sessions.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void AlmSessionCreateRequest::fields(V& v, S& s) {
  v.field({.name = "name", .help = "Session name (at most 200 characters)", .faces = spec::kHttp,
           .required = true, .nonblank = true, .max_length = 200},
          s.name);
  v.field({.name = "ttl_seconds", .help = "Expire after this inactivity", .unit = "seconds", .min = 60,
           .max = 365.0 * 24 * 3600, .faces = spec::kHttp},
          s.ttl_seconds);
  v.flatten(s.inputs);
}
KEEL_SPEC_REQUEST_FIELDS(AlmSessionCreateRequest)

template <class V, class S>
void AlmSessionSettings::fields(V& v, S& s) {
  v.field({.name = "tier1", .help = "Tier 1 capital (null: none)", .unit = "reporting currency"}, s.tier1);
  v.field({.name = "fx", .help = "FX rates: currency -> units of the reporting currency"}, s.fx);
  v.field({.name = "horizon_months", .help = "NII horizon", .unit = "months"}, s.horizon_months);
  v.field({.name = "floor", .help = "The post-shock floor applied"}, s.floor);
  v.field({.name = "gain_weight", .help = "Weight of gains when aggregating currencies", .unit = "fraction"},
          s.gain_weight);
  v.choice({.name = "nii_buckets", .help = "NII periods: anniversary or calendar months"}, s.nii_buckets,
           kNiiBucketsNames);
  v.field({.name = "warnings",
           .help = "What reading the inputs noted when the session was created (rows left out with skip_inactive, "
                   "columns ignored); every run of the session carries them"},
          s.warnings);
}
KEEL_SPEC_REQUEST_FIELDS(AlmSessionSettings)

template <class V, class S>
void AlmSessionInfo::fields(V& v, S& s) {
  v.field({.name = "id", .help = "Session id (HTTP)"}, s.id);
  v.field({.name = "name"}, s.name);
  v.field({.name = "as_of", .help = "Valuation date, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "currency", .help = "Reporting currency"}, s.currency);
  v.field({.name = "source", .help = "Balance-sheet name"}, s.source);
  v.field({.name = "positions"}, s.positions);
  v.field({.name = "curves", .help = "Currencies with a curve"}, s.curves);
  v.field({.name = "results", .help = "Kinds with a stored result (eve, gap, nii)"}, s.results);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "last_accessed", .help = "ISO-8601 UTC"}, s.last_accessed);
  v.field({.name = "ttl_seconds", .unit = "seconds"}, s.ttl_seconds);
  v.field({.name = "expires_at", .help = "ISO-8601 UTC: last_accessed + ttl_seconds"}, s.expires_at);
  v.field({.name = "size_bytes", .help = "Estimated space the session takes", .unit = "bytes"}, s.size_bytes);
  v.field({.name = "settings", .help = "Run settings kept with the session, as it was created"}, s.settings);
  v.field({.name = "owner", .help = "The user who made the session (\"\": stored before sessions had owners)"},
          s.owner);
  v.field({.name = "shared", .help = "Every user of the tenant may see and run it"}, s.shared);
}
KEEL_SPEC_FIELDS(AlmSessionInfo)

template <class V, class S>
void AlmSessionShareRequest::fields(V& v, S& s) {
  v.field({.name = "session", .help = "The session (name or id)", .faces = spec::kCli, .required = true,
           .cli_positional = true},
          s.session);
  v.field({.name = "shared",
           .help = "Share the session with every user of the tenant (false: only its owner and administrators "
                   "see it); default true"},
          s.shared);
}
KEEL_SPEC_REQUEST_FIELDS(AlmSessionShareRequest)

template <class V, class S>
void AlmSessionCreated::fields(V& v, S& s) {
  v.field({.name = "session"}, s.session);
  v.field({.name = "eve"}, s.eve);
  v.field({.name = "nii"}, s.nii);
  v.field({.name = "gap"}, s.gap);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(AlmSessionCreated)

template <class V, class S>
void AlmSessionList::fields(V& v, S& s) {
  v.field({.name = "items"}, s.items);
}
KEEL_SPEC_FIELDS(AlmSessionList)

template <class V, class S>
void AlmSessionResults::fields(V& v, S& s) {
  v.field({.name = "eve", .help = "The latest EVE run"}, s.eve);
  v.field({.name = "nii", .help = "The latest NII run"}, s.nii);
  v.field({.name = "gap", .help = "The latest gap run"}, s.gap);
}
KEEL_SPEC_FIELDS(AlmSessionResults)

template <class V, class S>
void AlmSessionShown::fields(V& v, S& s) {
  v.field({.name = "session"}, s.session);
  v.field({.name = "results"}, s.results);
}
KEEL_SPEC_FIELDS(AlmSessionShown)

template <class V, class S>
void AlmSessionDeleted::fields(V& v, S& s) {
  v.field({.name = "deleted", .help = "The session's name"}, s.deleted);
  v.field({.name = "id", .help = "The session's id (HTTP)"}, s.id);
}
KEEL_SPEC_FIELDS(AlmSessionDeleted)

template <class V, class S>
void AlmSessionCleanupRequest::fields(V& v, S& s) {
  v.field({.name = "disk_budget_mb",
           .help = "Disk budget for all sessions; least recently used are evicted (0: none)", .unit = "MiB",
           .min = 0, .max = double(1LL << 30)},
          s.disk_budget_mb);
  v.field({.name = "user_budget_mb",
           .help = "Disk budget of each user's own sessions, inside the tenant's; a user's least recently used are "
                   "evicted (0: none)",
           .unit = "MiB", .min = 0, .max = double(1LL << 30)},
          s.user_budget_mb);
}
KEEL_SPEC_REQUEST_FIELDS(AlmSessionCleanupRequest)

template <class V, class S>
void AlmUsageRow::fields(V& v, S& s) {
  v.field({.name = "owner", .help = "The user (\"\": sessions kept before owners were, the tenant's)"}, s.owner);
  v.field({.name = "sessions"}, s.sessions);
  v.field({.name = "bytes", .help = "Estimated size of the sessions", .unit = "bytes"}, s.bytes);
}
KEEL_SPEC_FIELDS(AlmUsageRow)

template <class V, class S>
void AlmUsage::fields(V& v, S& s) {
  v.field({.name = "tenant"}, s.tenant);
  v.field({.name = "disk_budget_mb", .help = "The tenant's budget (0: none)", .unit = "MiB"}, s.disk_budget_mb);
  v.field({.name = "user_budget_mb", .help = "Each user's budget (0: none)", .unit = "MiB"}, s.user_budget_mb);
  v.field({.name = "bytes", .help = "The tenant's sessions in all", .unit = "bytes"}, s.bytes);
  v.field({.name = "users", .help = "By owner, largest first"}, s.users);
}
KEEL_SPEC_FIELDS(AlmUsage)

template <class V, class S>
void AlmSessionCleanup::fields(V& v, S& s) {
  v.field({.name = "expired", .help = "Sessions past their time to live"}, s.expired);
  v.field({.name = "evicted", .help = "Least recently used sessions removed for the disk budget"}, s.evicted);
  v.field({.name = "bytes_after", .unit = "bytes"}, s.bytes_after);
}
KEEL_SPEC_FIELDS(AlmSessionCleanup)

}  // namespace keel::service
