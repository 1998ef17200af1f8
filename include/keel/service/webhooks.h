// keel/service/webhooks.h: a tenant's webhooks — HTTPS endpoints keel posts the tenant's events
// to, signed, retried, each delivery kept where the tenant's administrators see it
// (docs/webhooks.md).
//
// The events are the change journal's (keel/service/changes.h), whichever process made them:
//   job.finished       a job ended: {job_id, kind, status, user}
//   clo.breach         a CLO determination found a breach: {deal_id, deal}
//   clo.alert          ... an alert: {deal_id, deal}
//   portfolio.changed  a portfolio's data changed: {portfolio_id, portfolio, what}
//   import.warnings    an import stored its rows with warnings: {import, id, name, user, warnings, count}
// A webhook names the types it wants, or "*" for all.
//
// A delivery is posted as the Standard Webhooks specification (standardwebhooks.com) says: the
// body {"type", "timestamp", "tenant", "data"}; headers webhook-id (msg_<delivery id>, the same on
// every attempt: the receiver's key against duplicates), webhook-timestamp (epoch seconds) and
// webhook-signature "v1,<base64 HMAC-SHA256 over id.timestamp.body>", keyed with the secret's
// bytes (the secret is "whsec_" and their base64, shown once when the webhook is made and kept
// sealed in the tenant's key vault as "webhook.ID" when the Context has one). A 2xx answer delivers it. Anything else — another
// status, no answer within the timeout, a refused destination — is tried again after 30 s, 2 min,
// 8 min, 32 min, 2 h 8 min, then every 6 h, up to 8 attempts, then failed; a 410 Gone fails it at
// once and disables the webhook. Each server's sender enqueues the events it reads from the
// journal (once per webhook and event, whichever server enqueues first) and leases due deliveries
// before posting them, so a delivery is posted by one server at a time; delivery is at least once.
//
// Thread-safety: stateless; see the Context's store.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "keel/net/outbound.h"
#include "keel/service/changes.h"
#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

inline constexpr UseCase kWebhookList{"list webhooks", Permission::kManageUsers, ""};
inline constexpr UseCase kWebhookCreate{"add webhooks", Permission::kManageUsers, "webhook.create"};
inline constexpr UseCase kWebhookUpdate{"enable and disable webhooks", Permission::kManageUsers, "webhook.update"};
inline constexpr UseCase kWebhookDelete{"delete webhooks", Permission::kManageUsers, "webhook.delete"};
inline constexpr UseCase kWebhookRedeliver{"redeliver webhook events", Permission::kManageUsers, "webhook.redeliver"};

inline constexpr std::array<std::string_view, 5> kWebhookEventTypes = {"job.finished", "clo.breach", "clo.alert",
                                                                       "portfolio.changed", "import.warnings"};

struct WebhookResult {
  std::int64_t id = 0;
  std::string url;
  std::vector<std::string> events;
  std::string description;
  std::string created_by;
  std::string created_at;
  bool disabled = false;
  std::string disabled_reason;
  std::optional<std::string> secret;  // only in the answer that creates it
  static constexpr const char* kSchemaName = "Webhook";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CreateWebhookRequest {
  std::string url;
  std::vector<std::string> events;
  std::string description;
  static constexpr const char* kSchemaName = "CreateWebhookRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct UpdateWebhookRequest {
  bool disabled = false;
  static constexpr const char* kSchemaName = "UpdateWebhookRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct WebhookDeleteResult {
  bool deleted = true;
  std::int64_t id = 0;
  static constexpr const char* kSchemaName = "WebhookDeleteResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct WebhookDeliveryResult {
  std::int64_t id = 0;
  std::int64_t webhook_id = 0;
  std::string event;
  std::int64_t event_id = 0;
  std::string status;  // pending, delivered, failed
  int attempts = 0;
  std::string next_attempt_at;  // ISO-8601 UTC; "" once delivered or failed
  std::optional<int> last_status;
  std::string last_error;
  std::string last_attempt_at;
  std::string created_at;
  nlohmann::json payload;
  static constexpr const char* kSchemaName = "WebhookDelivery";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct WebhookDeliveriesRequest {
  std::size_t limit = 50;
  static constexpr const char* kSchemaName = "WebhookDeliveriesRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

spec::ItemsOf<WebhookResult> list_webhooks(const Context& cx);
// Refuses (invalid_input) an unknown event type, an http URL whose host `policy` does not list,
// and (forbidden, as every outbound request) a destination `policy` refuses.
WebhookResult create_webhook(const Context& cx, const CreateWebhookRequest& request, const net::OutboundPolicy& policy);
WebhookResult update_webhook(const Context& cx, std::int64_t id, const UpdateWebhookRequest& request);
WebhookDeleteResult delete_webhook(const Context& cx, std::int64_t id);
spec::ItemsOf<WebhookDeliveryResult> list_webhook_deliveries(const Context& cx, std::int64_t id,
                                                             const WebhookDeliveriesRequest& request);
WebhookDeliveryResult redeliver_webhook(const Context& cx, std::int64_t id, std::int64_t delivery_id);

// The Standard Webhooks signature of a delivery: "v1," and the base64 HMAC-SHA256 of
// "<msg_id>.<timestamp>.<body>" under the secret's bytes. Throws Error(invalid_input) for a
// secret that is not whsec_ and base64.
std::string webhook_signature(const std::string& secret, const std::string& msg_id, std::int64_t timestamp,
                              const std::string& body);

// The sender's settings (keel serve --webhook-allow-host, ...).
struct WebhookSenderSettings {
  net::OutboundPolicy policy{.enforce = true};
  double retry_base_seconds = 30;  // the first retry's wait, fourfold each time after
  double retry_max_seconds = 6 * 3600;
  int max_attempts = 8;
  long timeout_ms = 10'000;
  std::size_t batch = 50;  // deliveries posted per turn at most
  double retention_seconds = 30 * 86400.0;  // delivered and failed deliveries are kept this long
};

// What a server's sender keeps between its turns.
struct WebhookSenderState {
  std::int64_t seen = -1;  // the last change of the journal read (-1: from the store's cursor, else its end)
  double pruned_at = 0;    // when old deliveries were last deleted (epoch seconds)
};

// An HTTP POST of a delivery: (status, error). nullopt status: no answer (the error says why).
using WebhookPost = std::function<std::pair<std::optional<int>, std::string>(
    const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body)>;
// libcurl under the settings' outbound policy, no redirects followed.
WebhookPost curl_webhook_post(const WebhookSenderSettings& settings);

// The type and data of a journaled change as a webhook event.
std::pair<std::string, nlohmann::json> webhook_event(const PortfolioChange& change);

// One turn of a server's sender at `now` (epoch seconds): the changes journaled after state.seen
// (every tenant's; seen < 0: start where the store's senders left off, its webhook cursor, or at
// the journal's end for the store's first sender) enqueued for their tenants' webhooks, the cursor
// moved past them, then the due deliveries leased and posted; every ten minutes, the
// deliveries delivered or failed more than the retention ago deleted. Returns how many were posted.
std::size_t run_webhooks(const Context& cx, const WebhookSenderSettings& settings, const WebhookPost& post,
                         double now, WebhookSenderState& state);

}  // namespace keel::service
