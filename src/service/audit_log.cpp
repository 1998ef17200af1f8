// Reading the audit log (keel/service/audit_log.h).
#include "keel/service/audit_log.h"

#include "keel/store/audit_repository.h"
#include "keel/store/store.h"

namespace keel::service {

std::vector<AuditLogRow> read_audit_log(const Context& cx, const AuditLogQuery& query) {
  authorize(cx, kAuditRead, "audit");
  store::AuditQuery q;
  q.tenant = query.tenant;
  q.username = query.user;
  q.action = query.action;
  q.from = query.from;
  q.to = query.to;
  q.before_id = query.before_id;
  q.limit = query.limit;
  std::vector<AuditLogRow> out;
  for (auto& e : require_store(cx, "the audit log is read").audit().list(q)) {
    auto details = nlohmann::json::parse(e.details, nullptr, false);
    if (!details.is_object()) details = nlohmann::json::object();
    out.push_back({e.id, std::move(e.at), std::move(e.username), std::move(e.tenant), std::move(e.action),
                   std::move(e.resource), std::move(e.outcome), std::move(e.client), std::move(e.request_id),
                   std::move(details)});
  }
  return out;
}

}  // namespace keel::service
