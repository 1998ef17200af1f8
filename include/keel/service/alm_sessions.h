// keel/service/alm_sessions.h: ALM sessions — `keel alm session create|list|show|delete|cleanup`,
// /api/v1/alm/sessions (create, list, show, delete, cleanup, and a session's shocks), and the
// periodic cleanup of keel serve.
//
// A session keeps the parsed inputs of a balance sheet (book, curves by currency, the shock table),
// the run settings it was created with and the latest EVE, NII and gap results in the store
// (keel/store/alm_repository.h), per tenant, with a time to live; every session of every tenant
// shares one disk budget (least recently used evicted first). Runs on a session are alm_eve,
// alm_nii and alm_gap with AlmRequest::session (keel/service/alm_runs.h); they store their result
// in it. Every session command of the faces first deletes expired sessions and enforces the disk
// budget (alm_session_cleanup). Requests and results are described structs (keel/service/spec.h).
//
// Thread-safety: stateless; the Store must not be shared across threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/service/alm_runs.h"
#include "keel/service/alm_shocks.h"
#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

// A new session: the run inputs plus a name and a time to live.
struct AlmSessionCreateRequest {
  std::string name;
  std::int64_t ttl_seconds = 7 * 24 * 3600;
  AlmRequest inputs;

  static constexpr const char* kSchemaName = "AlmSessionCreateRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "Session name (at most 200 characters)", .faces = spec::kHttp,
             .required = true, .nonblank = true, .max_length = 200},
            s.name);
    v.field({.name = "ttl_seconds", .help = "Expire after this inactivity", .unit = "seconds", .min = 60,
             .max = 365.0 * 24 * 3600, .faces = spec::kHttp},
            s.ttl_seconds);
    v.flatten(s.inputs);
  }
};

// The run settings a session keeps from its creation (the request's, stored with the session): its
// runs use them unless a run's request says otherwise.
struct AlmSessionSettings {
  spec::Nullable<double> tier1;             // Tier 1 capital, reporting currency (null: none)
  std::map<std::string, double> fx;         // currency -> units of the reporting currency
  int horizon_months = 12;                  // NII horizon
  bool floor = true;                        // the post-shock floor applied
  double gain_weight = 0.5;                 // weight of gains when aggregating currencies
  NiiBuckets nii_buckets = NiiBuckets::kAnniversary;  // NII periods
  std::vector<std::string> warnings;        // what reading the inputs noted at creation (rows left out, ...)

  static constexpr const char* kSchemaName = "AlmSessionSettings";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// The settings as the store keeps them (spec::to_json text); defaults for text that is not a settings
// object.
AlmSessionSettings session_settings(const std::string& stored);

struct AlmSessionInfo {
  std::optional<std::int64_t> id;  // HTTP
  std::string name;
  spec::Nullable<std::string> as_of;
  std::string currency;
  std::string source;
  std::size_t positions = 0;
  std::vector<std::string> curves;
  std::vector<std::string> results;
  std::string created_at;
  std::string last_accessed;  // ISO-8601 UTC
  std::int64_t ttl_seconds = 0;
  std::string expires_at;     // ISO-8601 UTC
  std::int64_t size_bytes = 0;
  AlmSessionSettings settings;
  std::string owner;  // "" for a session stored before sessions had owners (shared)
  bool shared = false;

  static constexpr const char* kSchemaName = "AlmSessionInfo";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// `keel alm session share NAME [--no-shared]`, PUT /api/v1/alm/sessions/{id}/sharing.
struct AlmSessionShareRequest {
  std::string session;  // CLI: the positional NAME; HTTP: the path's {id}
  std::optional<bool> shared;  // default true

  static constexpr const char* kSchemaName = "AlmSessionShareRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "session", .help = "The session (name or id)", .faces = spec::kCli, .required = true,
             .cli_positional = true},
            s.session);
    v.field({.name = "shared",
             .help = "Share the session with every user of the tenant (false: only its owner and administrators "
                     "see it); default true"},
            s.shared);
  }
};

struct AlmSessionCreated {
  AlmSessionInfo session;
  AlmEveResult eve;
  AlmNiiResult nii;
  AlmGapResult gap;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "AlmSessionCreated";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "session"}, s.session);
    v.field({.name = "eve"}, s.eve);
    v.field({.name = "nii"}, s.nii);
    v.field({.name = "gap"}, s.gap);
    v.field({.name = "warnings"}, s.warnings);
  }
};

struct AlmSessionList {
  std::vector<AlmSessionInfo> items;

  static constexpr const char* kSchemaName = "AlmSessionList";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "items"}, s.items);
  }
};

struct AlmSessionResults {
  std::optional<AlmEveResult> eve;
  std::optional<AlmNiiResult> nii;
  std::optional<AlmGapResult> gap;

  static constexpr const char* kSchemaName = "AlmSessionResults";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "eve", .help = "The latest EVE run"}, s.eve);
    v.field({.name = "nii", .help = "The latest NII run"}, s.nii);
    v.field({.name = "gap", .help = "The latest gap run"}, s.gap);
  }
};

struct AlmSessionShown {
  AlmSessionInfo session;
  AlmSessionResults results;

  static constexpr const char* kSchemaName = "AlmSessionShown";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "session"}, s.session);
    v.field({.name = "results"}, s.results);
  }
};

struct AlmSessionDeleted {
  std::string deleted;
  std::optional<std::int64_t> id;  // HTTP

  static constexpr const char* kSchemaName = "AlmSessionDeleted";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "deleted", .help = "The session's name"}, s.deleted);
    v.field({.name = "id", .help = "The session's id (HTTP)"}, s.id);
  }
};

// `keel alm session cleanup`, POST /api/v1/alm/sessions/cleanup.
struct AlmSessionCleanupRequest {
  std::int64_t disk_budget_mb = 1024;  // 0 = no budget
  std::int64_t user_budget_mb = 0;     // each user's own sessions; 0 = none

  static constexpr const char* kSchemaName = "AlmSessionCleanupRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// What a tenant's sessions hold, by owner (GET /api/v1/alm/usage): the numbers the budgets act on.
struct AlmUsageRow {
  std::string owner;  // "" for sessions kept before owners were (the tenant's)
  std::size_t sessions = 0;
  std::int64_t bytes = 0;
  static constexpr const char* kSchemaName = "AlmUsageRow";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "owner", .help = "The user (\"\": sessions kept before owners were, the tenant's)"}, s.owner);
    v.field({.name = "sessions"}, s.sessions);
    v.field({.name = "bytes", .help = "Estimated size of the sessions", .unit = "bytes"}, s.bytes);
  }
};

struct AlmUsage {
  std::string tenant;
  std::int64_t disk_budget_mb = 0;
  std::int64_t user_budget_mb = 0;
  std::int64_t bytes = 0;
  std::vector<AlmUsageRow> users;
  static constexpr const char* kSchemaName = "AlmUsage";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "tenant"}, s.tenant);
    v.field({.name = "disk_budget_mb", .help = "The tenant's budget (0: none)", .unit = "MiB"}, s.disk_budget_mb);
    v.field({.name = "user_budget_mb", .help = "Each user's budget (0: none)", .unit = "MiB"}, s.user_budget_mb);
    v.field({.name = "bytes", .help = "The tenant's sessions in all", .unit = "bytes"}, s.bytes);
    v.field({.name = "users", .help = "By owner, largest first"}, s.users);
  }
};

struct AlmSessionCleanup {
  std::size_t expired = 0;
  std::size_t evicted = 0;
  std::int64_t bytes_after = 0;

  static constexpr const char* kSchemaName = "AlmSessionCleanup";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "expired", .help = "Sessions past their time to live"}, s.expired);
    v.field({.name = "evicted", .help = "Least recently used sessions removed for the disk budget"}, s.evicted);
    v.field({.name = "bytes_after", .unit = "bytes"}, s.bytes_after);
  }
};

// What storing, deleting and cleaning up sessions need and write (keel/service/rules.h).
inline constexpr UseCase kAlmSessionCreate{"store ALM sessions", Permission::kImportPositions, "alm_session.create"};
inline constexpr UseCase kAlmSessionDelete{"delete ALM sessions", Permission::kImportPositions, "alm_session.delete"};
inline constexpr UseCase kAlmSessionShare{"share ALM sessions", Permission::kImportPositions, "alm_session.share"};
inline constexpr UseCase kAlmSessionCleanup{"clean up ALM sessions", Permission::kManagePortfolios,
                                            "alm_session.cleanup"};

// Sessions, in the actor's tenant: the store is required (Error::usage otherwise); "now" is
// cx.env.clock. A session belongs to the user who made it (Actor::user) and is private until
// shared: a user sees, runs and names the sessions they own, those shared with the tenant and
// those stored before sessions had owners; an administrator sees every session of the tenant.
// Any other session is answered as missing (not_found, the same words as for a name never used).
// Session names are unique within the tenant, so a name another user's private session holds is
// refused by create (conflict) without showing that session. Every session command of the faces first runs alm_session_cleanup.
// alm_session_create parses, validates and runs everything before it stores the session; audited
// as alm_session.create (resource alm_session/ID, details name and positions). Throws forbidden
// (kAlmSessionCreate), usage without a name, conflict when the tenant has a live session of that
// name (an expired one is deleted first).
AlmSessionCreated alm_session_create(const Context& cx, const AlmSessionCreateRequest& request);
AlmSessionList alm_session_list(const Context& cx);
// The actor's tenant's live session `ref` (its name or numeric id), with its id; not_found when
// there is none or it expired (not renewed). Reads only.
AlmSessionInfo alm_session_find(const Context& cx, std::string_view ref);
// Marks the session accessed. Error::not_found when there is none or it expired (a read never
// renews an expired session; list leaves expired sessions out).
AlmSessionShown alm_session_show(const Context& cx, const std::string& name);
// Audited as alm_session.delete (resource alm_session/ID, details name). Throws forbidden
// (kAlmSessionDelete), not_found as alm_session_show.
// Only the owner or an administrator may delete a session another user can see (forbidden).
AlmSessionDeleted alm_session_delete(const Context& cx, const std::string& name);
// Shares the session with the tenant, or makes it private again (request.shared, default true).
// Only its owner or an administrator may (forbidden; a session the actor cannot see: not_found);
// a session without an owner becomes the actor's when made private. Audited as alm_session.share
// (resource alm_session/ID, details name and shared). Returns the session as stored.
AlmSessionInfo alm_session_share(const Context& cx, const AlmSessionShareRequest& request);
// Deletes expired sessions (of every tenant), then evicts the least recently used until they fit
// the disk budget. Maintenance, not a use case: the faces run it before each session command and
// keel serve periodically, neither audited.
AlmSessionCleanup alm_session_cleanup(const Context& cx, const AlmSessionCleanupRequest& request);
// The same asked for (`keel alm session cleanup`, POST /api/v1/alm/sessions/cleanup): audited as
// alm_session.cleanup (resource alm_sessions, details disk_budget_mb, expired and evicted).
// Throws forbidden (kAlmSessionCleanup).
AlmSessionCleanup clean_up_alm_sessions(const Context& cx, const AlmSessionCleanupRequest& request);
// The actor's tenant's sessions by owner, with the budgets they are held to (admins and managers:
// the alm_session.cleanup permission). A read.
AlmUsage alm_usage(const Context& cx, std::int64_t disk_budget_mb, std::int64_t user_budget_mb);
// The shock table of `currency` (default: the session's reporting currency) with the session's curve
// of that currency: base and shocked zero rates and the floor at the 19 bucket midpoints; the
// session's own shock table when it has one; `floor` defaults to the session's setting. Marks the
// session accessed. not_found (none, or expired); invalid_input naming `currency` when the session
// has no curve in it.
AlmShocksResult alm_session_shocks(const Context& cx, const std::string& name,
                                   const std::optional<std::string>& currency, std::optional<bool> floor);

}  // namespace keel::service
