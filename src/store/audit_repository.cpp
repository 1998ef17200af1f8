// The audit log (keel/store/audit_repository.h) on both backends.
#include "keel/store/audit_repository.h"

#include <chrono>
#include <cstdio>

#include "sql.h"

namespace keel::store {
namespace {

// ISO-8601 UTC with milliseconds ("2026-11-23T06:39:17.042Z"), the audit log's format.
std::string now_text_ms(const Clock& clock) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch()).count();
  const auto millis = ((ms % 1000) + 1000) % 1000;
  std::string text = clock.iso8601();  // "...T14:03:59Z": insert ".mmm" before the Z
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(millis));
  text.insert(text.size() - 1, frac);
  return text;
}

}  // namespace

std::int64_t AuditRepository::append(const AuditEntry& e) {
  const auto tenant = e.tenant.empty() ? std::nullopt : std::optional<std::string>(e.tenant);
  return c_->run(tenant, [&] {
    c_->prepare(insert_sql("audit_log",
                           "username, tenant, action, resource, outcome, client, request_id, details, at"))
        .bind_all(e.username, e.tenant, e.action, e.resource, e.outcome, e.client, e.request_id,
                  e.details.empty() ? std::string("{}") : e.details, now_text_ms(*clock_))
        .run();
    // Not RETURNING: under row-level security an entry of no tenant is one the application role
    // may write but not read.
    return c_->prepare(c_->dialect().last_insert_id("audit_log")).first_int();
  });
}

std::vector<AuditEntry> AuditRepository::list(const AuditQuery& q) {
  // Without a tenant, on PostgreSQL only the owner role sees entries (row-level security).
  return c_->run(q.tenant, [&] {
    std::string sql =
        "SELECT id, at, username, tenant, action, resource, outcome, client, request_id, details "
        "FROM audit_log WHERE 1 = 1";
    if (q.tenant) sql += " AND tenant = ?";
    if (q.username) sql += " AND username = ?";
    if (q.action) sql += " AND action = ?";
    if (q.from) sql += " AND at >= ?";
    if (q.to) sql += " AND at < ?";
    if (q.before_id) sql += " AND id < ?";
    sql += " ORDER BY id DESC LIMIT ?";
    auto st = c_->prepare(sql);
    SqlBinder b(st);
    for (const auto* given : {&q.tenant, &q.username, &q.action, &q.from, &q.to}) {
      if (*given) b.add(**given);
    }
    if (q.before_id) b.add(*q.before_id);
    b.add(q.limit);
    return st.rows([](const SqlStatement& r) {
      AuditEntry e;
      read_row(r, 0, e.id, e.at, e.username, e.tenant, e.action, e.resource, e.outcome, e.client,
               e.request_id, e.details);
      return e;
    });
  });
}

}  // namespace keel::store
