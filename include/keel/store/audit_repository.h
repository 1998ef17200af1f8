// keel/store/audit_repository.h: the append-only audit log.
//
// One row per mutation and per login attempt: who, tenant, action ("portfolio.create",
// "auth.login", ...), resource ("portfolio/12"), outcome ("ok", "denied", "failed"), client
// address, request id, time (ISO-8601 UTC with milliseconds) and a JSON object of details. The
// table has triggers that abort any UPDATE or DELETE, so the log can only grow. Callers must
// never put secrets (passwords, tokens, hashes) in details.
//
// AuditRepository is a concrete class, written once over the store's SQL connection (either
// backend); Store::audit() hands it out. `at` comes from the store's Clock.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;  // set by the store (its Clock) when appended
  std::string username;
  std::string tenant;
  std::string action;
  std::string resource;
  std::string outcome = "ok";
  std::string client;
  std::string request_id;
  std::string details = "{}";  // JSON object text
};

struct AuditQuery {
  std::optional<std::string> tenant;
  std::optional<std::string> username;
  std::optional<std::string> action;
  std::optional<std::string> from;  // at >= from (ISO-8601 UTC text: a date or a date-time)
  std::optional<std::string> to;    // at < to
  std::optional<std::int64_t> before_id;  // keyset pagination: entries with id < before_id
  std::size_t limit = 100;
};

class AuditRepository {
 public:
  AuditRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Returns the new entry's id. The entry's `id` and `at` are ignored (the store sets them).
  std::int64_t append(const AuditEntry& entry);
  // Newest first.
  std::vector<AuditEntry> list(const AuditQuery& query);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
