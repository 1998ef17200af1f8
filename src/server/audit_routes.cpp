// GET /api/v1/audit (admin): the audit log, newest first (?tenant= ?user= ?action= ?limit= ?cursor=).
#include "app.h"
#include "keel/store/audit_repository.h"

namespace keel::server {
namespace {

void list_audit(Call& c) {
  const Page page = read_page(c);
  store::AuditQuery q;
  q.tenant = c.query("tenant");
  q.username = c.query("user");
  q.action = c.query("action");
  q.limit = page.limit + 1;
  if (page.cursor) {
    q.before_id = cursor_number(page, "a:");
  }
  const auto entries = c.store().audit().list(q);
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = 0; i < entries.size() && i < page.limit; ++i) {
    const auto& e = entries[i];
    items.push_back({{"id", e.id},
                     {"at", e.at},
                     {"user", e.username},
                     {"tenant", e.tenant},
                     {"action", e.action},
                     {"resource", e.resource},
                     {"outcome", e.outcome},
                     {"client", e.client},
                     {"request_id", e.request_id},
                     {"details", nlohmann::json::parse(e.details, nullptr, false)}});
  }
  nlohmann::json next = nullptr;
  if (entries.size() > page.limit) next = encode_cursor("a:" + std::to_string(entries[page.limit - 1].id));
  c.send(200, {{"items", items}, {"next_cursor", next}});
}

}  // namespace

void add_audit_routes(App& app) {
  app.add_route({"GET", "/api/v1/audit", "The audit log (admin)", "audit", Permission::kReadAudit, list_audit});
}

}  // namespace keel::server
