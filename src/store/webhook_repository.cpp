// A tenant's webhooks and their deliveries (keel/store/webhook_repository.h) on both backends.
// Under PostgreSQL's row-level security the sender's questions across tenants (which tenants have
// webhooks, which have deliveries due) go through the owner's keel_webhook_tenants() and
// keel_webhook_due_tenants(); each tenant's rows are then read and written under that tenant.
#include "keel/store/webhook_repository.h"

#include "keel/core/env.h"
#include "keel/core/error.h"
#include "sql.h"

namespace keel::store {
namespace {

constexpr const char* kHookColumns =
    "SELECT id, tenant, url, events, secret, description, created_by, created_at, disabled, disabled_reason "
    "FROM webhooks ";
constexpr const char* kDeliveryColumns =
    "id, tenant, webhook_id, event_id, event, payload, status, attempts, next_attempt_at, last_status, last_error, "
    "COALESCE(last_attempt_at, ''), created_at";

WebhookRecord read_hook(const SqlStatement& st) {
  WebhookRecord h;
  read_row(st, 0, h.id, h.tenant, h.url, h.events, h.secret, h.description, h.created_by, h.created_at, h.disabled,
           h.disabled_reason);
  return h;
}

WebhookDelivery read_delivery(const SqlStatement& st) {
  WebhookDelivery d;
  read_row(st, 0, d.id, d.tenant, d.webhook_id, d.event_id, d.event, d.payload, d.status, d.attempts,
           d.next_attempt_at);
  if (!st.is_null(9)) d.last_status = static_cast<int>(st.get_int(9));
  read_row(st, 10, d.last_error, d.last_attempt_at, d.created_at);
  return d;
}

// The tenants `function` (an owner's lookup under row-level security, `now` its one parameter)
// or `plain` (SQLite; `now` bound to each of its parameters) names.
std::vector<std::string> tenants(SqlConnection& c, const char* function, const char* plain,
                                 const std::optional<double>& now) {
  const bool rls = c.dialect().row_level_security;
  auto st = c.prepare(rls ? function : plain);
  if (now && rls) st.bind(1, *now);
  if (now && !rls) st.bind_all(*now, *now);
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.get_text(0));
  return out;
}

}  // namespace

WebhookRecord WebhookRepository::add(const WebhookRecord& hook) {
  return c_->transaction(hook.tenant, [&] {
    const std::int64_t id =
        c_->prepare("INSERT INTO webhooks (tenant, url, events, secret, description, created_by, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")
            .bind_all(hook.tenant, hook.url, hook.events, hook.secret, hook.description, hook.created_by,
                      clock_->iso8601())
            .first_int();
    return *c_->prepare(std::string(kHookColumns) + "WHERE id = ?").bind(1, id).first(read_hook);
  });
}

std::vector<WebhookRecord> WebhookRepository::list(const std::string& tenant) {
  return c_->rows(tenant, std::string(kHookColumns) + "WHERE tenant = ? ORDER BY id", read_hook, tenant);
}

std::optional<WebhookRecord> WebhookRepository::find(const std::string& tenant, std::int64_t id) {
  return c_->first(tenant, std::string(kHookColumns) + "WHERE tenant = ? AND id = ?", read_hook, tenant, id);
}

bool WebhookRepository::remove(const std::string& tenant, std::int64_t id) {
  return c_->transaction(tenant, [&] {
    c_->prepare("DELETE FROM webhook_deliveries WHERE tenant = ? AND webhook_id = ?").bind_all(tenant, id).run();
    return c_->prepare("DELETE FROM webhooks WHERE tenant = ? AND id = ?").bind_all(tenant, id).run() > 0;
  });
}

void WebhookRepository::set_disabled(const std::string& tenant, std::int64_t id, bool disabled,
                                     const std::string& reason) {
  c_->change(tenant, "UPDATE webhooks SET disabled = ?, disabled_reason = ? WHERE tenant = ? AND id = ?",
             disabled ? 1 : 0, reason, tenant, id);
}

std::optional<std::int64_t> WebhookRepository::cursor() {
  return c_->first(std::nullopt, "SELECT last_event_id FROM webhook_cursor WHERE id = 1",
                   [](const SqlStatement& r) { return r.get_int(0); });
}

void WebhookRepository::advance_cursor(std::int64_t last_event_id) {
  c_->change(std::nullopt,
             "INSERT INTO webhook_cursor (id, last_event_id) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET "
             "last_event_id = CASE WHEN excluded.last_event_id > webhook_cursor.last_event_id THEN "
             "excluded.last_event_id ELSE webhook_cursor.last_event_id END",
             last_event_id);
}

void WebhookRepository::set_secret(const std::string& tenant, std::int64_t id, const std::string& secret) {
  c_->change(tenant, "UPDATE webhooks SET secret = ? WHERE tenant = ? AND id = ?", secret, tenant, id);
}

std::vector<WebhookRecord> WebhookRepository::enabled() {
  return c_->run(std::nullopt, [&] {
    std::vector<WebhookRecord> out;
    for (const auto& tenant : tenants(*c_, "SELECT hook_tenant FROM keel_webhook_tenants()",
                                      "SELECT DISTINCT tenant FROM webhooks WHERE disabled = 0", std::nullopt)) {
      c_->set_tenant(tenant);
      auto rows = c_->prepare(std::string(kHookColumns) + "WHERE tenant = ? AND disabled = 0 ORDER BY id")
                      .bind(1, tenant)
                      .rows(read_hook);
      out.insert(out.end(), rows.begin(), rows.end());
    }
    return out;
  });
}

bool WebhookRepository::enqueue(const WebhookDelivery& d, double due) {
  return c_->transaction(d.tenant, [&] {
    return c_->prepare("INSERT INTO webhook_deliveries (tenant, webhook_id, event_id, event, payload, status, "
                       "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?) "
                       "ON CONFLICT (webhook_id, event_id) DO NOTHING")
               .bind_all(d.tenant, d.webhook_id, d.event_id, d.event, d.payload, due, clock_->iso8601())
               .run() > 0;
  });
}

std::vector<WebhookDelivery> WebhookRepository::lease_due(double now, double lease_seconds, std::size_t limit) {
  std::vector<WebhookDelivery> out;
  const auto due = c_->run(std::nullopt, [&] {
    return tenants(*c_, "SELECT due_tenant FROM keel_webhook_due_tenants(?)",
                   "SELECT DISTINCT tenant FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? "
                   "AND lease_until <= ? AND webhook_id IN (SELECT id FROM webhooks WHERE disabled = 0)",
                   now);
  });
  for (const auto& tenant : due) {
    if (out.size() >= limit) break;
    // The lease's own condition is checked again on the row it updates, so of two servers leasing
    // at once, one gets the row. A disabled webhook's deliveries wait: none is leased until it is
    // enabled again.
    auto rows = c_->transaction(tenant, [&] {
      return c_->prepare(std::string("UPDATE webhook_deliveries SET lease_until = ? WHERE id IN (SELECT id FROM "
                                     "webhook_deliveries WHERE tenant = ? AND status = 'pending' AND "
                                     "next_attempt_at <= ? AND lease_until <= ? AND webhook_id IN (SELECT id FROM "
                                     "webhooks WHERE disabled = 0) ORDER BY id LIMIT ?) "
                                     "AND status = 'pending' AND lease_until <= ? RETURNING ") +
                         kDeliveryColumns)
          .bind_all(now + lease_seconds, tenant, now, now, static_cast<std::int64_t>(limit - out.size()), now)
          .rows(read_delivery);
    });
    out.insert(out.end(), rows.begin(), rows.end());
  }
  return out;
}

void WebhookRepository::record_attempt(const std::string& tenant, std::int64_t id, std::optional<int> http_status,
                                       const std::string& error, const std::string& status, double next_attempt_at) {
  c_->change(tenant,
             "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?, "
             "last_attempt_at = ?, status = ?, next_attempt_at = ?, lease_until = 0 WHERE tenant = ? AND id = ?",
             http_status ? std::optional<std::int64_t>(*http_status) : std::nullopt, error, clock_->iso8601(), status,
             next_attempt_at, tenant, id);
}

std::vector<WebhookDelivery> WebhookRepository::deliveries(const std::string& tenant, std::int64_t webhook_id,
                                                           std::size_t limit) {
  return c_->rows(tenant,
                  std::string("SELECT ") + kDeliveryColumns +
                      " FROM webhook_deliveries WHERE tenant = ? AND webhook_id = ? ORDER BY id DESC LIMIT ?",
                  read_delivery, tenant, webhook_id, static_cast<std::int64_t>(limit));
}

std::optional<WebhookDelivery> WebhookRepository::delivery(const std::string& tenant, std::int64_t id) {
  return c_->first(tenant,
                   std::string("SELECT ") + kDeliveryColumns + " FROM webhook_deliveries WHERE tenant = ? AND id = ?",
                   read_delivery, tenant, id);
}

std::size_t WebhookRepository::prune(double before) {
  return c_->transaction(std::nullopt, [&] {
    if (c_->dialect().row_level_security) {
      auto st = c_->prepare("SELECT keel_webhook_prune(?)");
      st.bind(1, before).step();
      return static_cast<std::size_t>(st.get_int(0));
    }
    return static_cast<std::size_t>(
        c_->prepare("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND next_attempt_at < ?")
            .bind(1, before)
            .run());
  });
}

bool WebhookRepository::redeliver(const std::string& tenant, std::int64_t id, double due) {
  return c_->change(tenant,
                    "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, lease_until = 0 "
                    "WHERE tenant = ? AND id = ?",
                    due, tenant, id) > 0;
}

}  // namespace keel::store
