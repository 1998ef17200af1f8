// keel/store/webhook_repository.h: a tenant's webhooks and their deliveries (tables webhooks and
// webhook_deliveries, migration 99; keel/service/webhooks.h says what they mean).
//
// A delivery is one event for one webhook, kept once per (webhook, event) however many servers
// enqueue it. The sender leases a due delivery before it posts it (lease_until), so two servers
// never post one delivery at once; a lease that lapses (a server stopped mid-post) makes it due
// again.
//
// WebhookRepository is a concrete class, written once over the store's SQL connection (either
// backend); Store::webhooks() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;

struct WebhookRecord {
  std::int64_t id = 0;
  std::string tenant;
  std::string url;
  std::string events;  // comma-separated event types, or "*"
  std::string secret;  // whsec_... while not sealed in the tenant's key vault (keel/service/webhooks.h); "" after
  std::string description;
  std::string created_by;
  std::string created_at;  // ISO-8601 UTC
  bool disabled = false;
  std::string disabled_reason;
};

struct WebhookDelivery {
  std::int64_t id = 0;
  std::string tenant;
  std::int64_t webhook_id = 0;
  std::int64_t event_id = 0;  // the change journal's id of the event
  std::string event;          // its type: job.finished, clo.breach, ...
  std::string payload;        // the JSON body posted
  std::string status;         // pending, delivered, failed
  int attempts = 0;
  double next_attempt_at = 0;  // epoch seconds
  std::optional<int> last_status;  // the HTTP status of the last attempt; nullopt: no answer
  std::string last_error;
  std::string last_attempt_at;  // ISO-8601 UTC; "" before the first
  std::string created_at;
};

class WebhookRepository {
 public:
  WebhookRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  WebhookRecord add(const WebhookRecord& hook);
  std::vector<WebhookRecord> list(const std::string& tenant);
  std::optional<WebhookRecord> find(const std::string& tenant, std::int64_t id);
  // Deletes the webhook and its deliveries; false when the tenant has no such webhook.
  bool remove(const std::string& tenant, std::int64_t id);
  // The last journal id any sender of the store enqueued the events up to (migration 102); nullopt
  // before the first sender ran.
  std::optional<std::int64_t> cursor();
  // Moves the cursor to `last_event_id` (never back).
  void advance_cursor(std::int64_t last_event_id);
  // Replaces the secret the row keeps ("" once it is sealed in the key vault).
  void set_secret(const std::string& tenant, std::int64_t id, const std::string& secret);
  // Stops (or restarts, with reason "") the webhook's deliveries.
  void set_disabled(const std::string& tenant, std::int64_t id, bool disabled, const std::string& reason);
  // The enabled webhooks of every tenant.
  std::vector<WebhookRecord> enabled();

  // Keeps a pending delivery due at `due` unless the webhook has one for the event; true when kept.
  bool enqueue(const WebhookDelivery& delivery, double due);
  // Leases up to `limit` deliveries due at `now` (every tenant's), oldest first, until now +
  // `lease_seconds`: nobody else takes them meanwhile. A disabled webhook's deliveries are not
  // leased: they wait, pending, until it is enabled.
  std::vector<WebhookDelivery> lease_due(double now, double lease_seconds, std::size_t limit);
  // Records an attempt: its HTTP status (nullopt: no answer) and error text, and the outcome —
  // `status` delivered or failed, or pending again at `next_attempt_at`. The lease ends.
  void record_attempt(const std::string& tenant, std::int64_t id, std::optional<int> http_status,
                      const std::string& error, const std::string& status, double next_attempt_at);
  // The webhook's deliveries, newest first, at most `limit`.
  std::vector<WebhookDelivery> deliveries(const std::string& tenant, std::int64_t webhook_id, std::size_t limit);
  std::optional<WebhookDelivery> delivery(const std::string& tenant, std::int64_t id);
  // Deletes every tenant's deliveries delivered or failed before `before` (epoch seconds: their
  // last attempt); returns how many.
  std::size_t prune(double before);
  // Makes a delivery pending again, due at `due` (an administrator's redelivery); false when none.
  bool redeliver(const std::string& tenant, std::int64_t id, double due);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
