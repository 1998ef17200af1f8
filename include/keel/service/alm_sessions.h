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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// `keel alm session share NAME [--no-shared]`, PUT /api/v1/alm/sessions/{id}/sharing.
struct AlmSessionShareRequest {
  std::string session;  // CLI: the positional NAME; HTTP: the path's {id}
  std::optional<bool> shared;  // default true

  static constexpr const char* kSchemaName = "AlmSessionShareRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct AlmSessionCreated {
  AlmSessionInfo session;
  AlmEveResult eve;
  AlmNiiResult nii;
  AlmGapResult gap;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "AlmSessionCreated";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct AlmSessionList {
  std::vector<AlmSessionInfo> items;

  static constexpr const char* kSchemaName = "AlmSessionList";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct AlmSessionResults {
  std::optional<AlmEveResult> eve;
  std::optional<AlmNiiResult> nii;
  std::optional<AlmGapResult> gap;

  static constexpr const char* kSchemaName = "AlmSessionResults";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct AlmSessionShown {
  AlmSessionInfo session;
  AlmSessionResults results;

  static constexpr const char* kSchemaName = "AlmSessionShown";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct AlmSessionDeleted {
  std::string deleted;
  std::optional<std::int64_t> id;  // HTTP

  static constexpr const char* kSchemaName = "AlmSessionDeleted";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel alm session cleanup`, POST /api/v1/alm/sessions/cleanup.
struct AlmSessionCleanupRequest {
  std::int64_t disk_budget_mb = 1024;  // 0 = no budget
  std::int64_t user_budget_mb = 0;     // each user's own sessions; 0 = none

  static constexpr const char* kSchemaName = "AlmSessionCleanupRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// What a tenant's sessions hold, by owner (GET /api/v1/alm/usage): the numbers the budgets act on.
struct AlmUsageRow {
  std::string owner;  // "" for sessions kept before owners were (the tenant's)
  std::size_t sessions = 0;
  std::int64_t bytes = 0;
  static constexpr const char* kSchemaName = "AlmUsageRow";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct AlmUsage {
  std::string tenant;
  std::int64_t disk_budget_mb = 0;
  std::int64_t user_budget_mb = 0;
  std::int64_t bytes = 0;
  std::vector<AlmUsageRow> users;
  static constexpr const char* kSchemaName = "AlmUsage";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct AlmSessionCleanup {
  std::size_t expired = 0;
  std::size_t evicted = 0;
  std::int64_t bytes_after = 0;

  static constexpr const char* kSchemaName = "AlmSessionCleanup";
  template <class V, class S>
  static void fields(V& v, S& s);
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
