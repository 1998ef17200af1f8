// keel/store/alm_repository.h: ALM sessions in the store.
//
// A session keeps an uploaded balance sheet (parsed: one row per position), its curves (one per
// currency, as quoted), an optional user shock table, the run settings (opaque JSON text written
// by the service) and the latest results per kind ("eve", "nii", "gap"; JSON text).
// Sessions expire by inactivity: `last_accessed` (seconds since 1970-01-01 UTC) + `ttl_seconds`;
// `cleanup` deletes expired sessions, then, tenant by tenant, evicts that tenant's
// least-recently-used sessions until the sum of their estimated sizes fits the disk budget (the
// budget holds for each tenant on its own: one tenant's sessions never evict another's). Every write is one transaction. The times that drive
// expiry come in as arguments (`now_epoch`), so the caller decides what "now" is for a TTL; the
// created_at and computed_at texts come from the store's Clock.
//
// AlmRepository is a concrete class, written once over the store's SQL connection (either backend);
// Store::alm_sessions() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/alm/balance_sheet.h"
#include "keel/alm/shocks.h"
#include "keel/portfolio/market_data.h"

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

inline constexpr std::int64_t kDefaultAlmSessionTtlSeconds = 7 * 24 * 3600;  // 7 days

struct AlmSessionInfo {
  std::int64_t id = 0;
  std::string tenant;
  std::string name;
  std::optional<Date> as_of;
  std::string currency;  // reporting currency
  std::string source;    // balance-sheet file name
  std::string settings;  // JSON text (service-defined)
  std::int64_t ttl_seconds = kDefaultAlmSessionTtlSeconds;
  std::int64_t size_bytes = 0;  // estimate of the space the session takes
  std::size_t positions = 0;
  std::string created_at;          // ISO-8601 UTC
  std::int64_t last_accessed = 0;  // seconds since 1970-01-01 UTC
  std::vector<std::string> curve_currencies;
  std::vector<std::string> results;  // kinds with a stored result
  std::string owner;                 // the user who made it ("": made before owners were kept)
  bool shared = false;               // every user of the tenant may see and run it (migration 83)
};

// The expiry rule of every backend and of cleanup: a session unused for longer than its TTL is gone
// (reads do not renew it; cleanup deletes it).
inline bool expired(const AlmSessionInfo& s, std::int64_t now_epoch) {
  return s.last_accessed + s.ttl_seconds < now_epoch;
}

// The error of a session that is missing or expired (Error::not_found).
[[noreturn]] void throw_no_alm_session(const std::string& name, const AlmSessionInfo* expired_session);

struct AlmSessionData {
  AlmSessionInfo info;
  alm::BalanceSheet book;
  std::map<std::string, CurveData> curves;     // by currency
  std::optional<alm::ShockTable> shock_table;  // user table, when one was uploaded
};

struct AlmUsage {
  std::string owner;
  std::size_t sessions = 0;
  std::int64_t bytes = 0;
};

struct AlmCleanupStats {
  std::size_t expired = 0;  // sessions past their TTL
  std::size_t evicted = 0;  // least-recently-used sessions removed for the disk budget
  std::int64_t bytes_after = 0;
};

class AlmRepository {
 public:
  AlmRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Creates the session (throws Error::conflict when the name exists for the tenant).
  AlmSessionInfo create(const std::string& tenant, const std::string& name, const alm::BalanceSheet& book,
                        const std::map<std::string, CurveData>& curves,
                        const std::optional<alm::ShockTable>& shock_table, std::optional<Date> as_of,
                        const std::string& currency, const std::string& settings, std::int64_t ttl_seconds,
                        std::int64_t now_epoch);
  std::vector<AlmSessionInfo> list(const std::string& tenant);
  std::optional<AlmSessionInfo> find(const std::string& tenant, const std::string& name);
  // Everything of the session; marks it accessed at `now_epoch`. Throws Error::not_found when
  // there is none or it expired (an expired session is not renewed).
  AlmSessionData load(const std::string& tenant, const std::string& name, std::int64_t now_epoch);
  // Stores (replaces) the result of `kind` and marks the session accessed.
  void save_result(std::int64_t session_id, const std::string& kind, const std::string& json_text,
                   std::int64_t now_epoch);
  std::optional<std::string> result(std::int64_t session_id, const std::string& kind);
  // Marks the session accessed at `now_epoch` (it moves to the back of the LRU order), unless it
  // expired before `now_epoch`.
  void touch(std::int64_t session_id, std::int64_t now_epoch);
  bool remove(const std::string& tenant, const std::string& name);
  // Sets the session's owner and whether the tenant shares it. Throws Error::not_found for an
  // unknown id.
  void set_access(std::int64_t session_id, const std::string& owner, bool shared);
  // Deletes sessions with last_accessed + ttl < now, then LRU sessions while the total size
  // exceeds `disk_budget_bytes` (0 = no budget), each tenant's sessions against the budget alone.
  // `user_budget_bytes` (0 = none) holds for each user's own sessions first (sessions without an
  // owner, kept before owners were, are the tenant's and count against the tenant's budget only).
  AlmCleanupStats cleanup(std::int64_t now_epoch, std::int64_t disk_budget_bytes, std::int64_t user_budget_bytes = 0);
  // The sessions and estimated bytes of `tenant`, by owner ("" for sessions without one), largest first.
  std::vector<AlmUsage> usage(const std::string& tenant);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
