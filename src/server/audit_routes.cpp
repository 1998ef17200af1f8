// GET /api/v1/audit (admin): the audit log, newest first (?tenant= ?user= ?action= ?from= ?to=
// ?limit= ?cursor=), read through keel/service/audit_log.h.
#include <fmt/format.h>

#include "app.h"
#include "keel/service/audit_log.h"
#include "resources.h"

namespace keel::server {
namespace {

// "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ss[Z]": the forms the log's `at` (ISO-8601 UTC) compares with.
bool is_instant(const std::string& s) {
  static constexpr std::string_view kShape = "0000-00-00T00:00:00Z";
  if (s.size() != 10 && s.size() != 19 && s.size() != 20) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char want = kShape[i];
    if (want == '0' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != want) return false;
  }
  return true;
}

void list_audit(Call& c) {
  const auto params = c.query_as<AuditQueryParams>("audit query");
  std::vector<std::string> problems;
  for (const auto& [name, value] : {std::pair{"from", params.from}, std::pair{"to", params.to}}) {
    if (value && !is_instant(*value)) {
      problems.push_back(std::string(name) + ": expected an ISO-8601 UTC date or date-time (2026-11-23 or "
                                             "2026-11-23T09:30:00Z)");
    }
  }
  if (!problems.empty()) throw Error::invalid_input("invalid audit query", problems);
  const Page page = decode_page(params.page.limit, params.page.cursor);
  service::AuditLogQuery q;
  q.tenant = params.tenant;
  q.user = params.user;
  q.action = params.action;
  // The log's `at` has milliseconds ("...T09:30:00.123Z"): compare without the Z, so that a bound
  // "...T09:30:00Z" is the prefix it is meant to be.
  auto bound = [](std::optional<std::string> v) {
    if (v && v->size() == 20) v->pop_back();
    return v;
  };
  q.from = bound(params.from);
  q.to = bound(params.to);
  q.limit = page.limit + 1;
  if (page.cursor) q.before_id = cursor_number(page, "a:");
  auto entries = service::read_audit_log(c.service(), q);
  PageOf<AuditEntryView> out;
  for (std::size_t i = 0; i < entries.size() && i < page.limit; ++i) {
    auto& e = entries[i];
    out.items.push_back({e.id, e.at, e.user, e.tenant, e.action, e.resource, e.outcome, e.client, e.request_id,
                         std::move(e.details)});
  }
  if (entries.size() > page.limit) {
    out.next_cursor.emplace(encode_cursor(fmt::format("a:{}", entries[page.limit - 1].id)));
  }
  c.send(200, spec::to_json(out));
}

}  // namespace

void add_audit_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/api/v1/audit", "The audit log, newest first (admin)", "audit",
                          service::kAuditRead, list_audit}
                    .query<AuditQueryParams>()
                    .returns<PageOf<AuditEntryView>>());
}

}  // namespace keel::server
