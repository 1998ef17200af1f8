// keel/service/audit_log.h: reading the audit log (GET /api/v1/audit) — what the use cases of
// keel/service/rules.h wrote, newest first. Reading it needs the permission read_audit (an
// admin's); an admin reads every tenant's rows unless the query names one.
//
// Thread-safety: stateless; the Store of the Context must not be used concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/rules.h"

namespace keel::service {

// What reading the log needs (no row is written for a read; a refusal is audited as
// auth.forbidden).
inline constexpr UseCase kAuditRead{"read the audit log", Permission::kReadAudit, "audit.read"};

struct AuditLogQuery {
  std::optional<std::string> tenant;  // every tenant when absent
  std::optional<std::string> user;
  std::optional<std::string> action;
  std::optional<std::string> from;         // at >= from: ISO-8601 UTC date or date-time text
  std::optional<std::string> to;           // at < to
  std::optional<std::int64_t> before_id;   // keyset pagination: rows with id < before_id
  std::size_t limit = 100;
};

// One row of the log; details is the JSON object the use case wrote ({} when the stored text is
// not one).
struct AuditLogRow {
  std::int64_t id = 0;
  std::string at;  // ISO-8601 UTC with milliseconds
  std::string user;
  std::string tenant;
  std::string action;
  std::string resource;
  std::string outcome;
  std::string client;
  std::string request_id;
  nlohmann::json details = nlohmann::json::object();
};

// The rows matching `query`, newest first, at most query.limit. Throws Error: forbidden
// (kAuditRead), usage without a store.
std::vector<AuditLogRow> read_audit_log(const Context& cx, const AuditLogQuery& query);

}  // namespace keel::service
