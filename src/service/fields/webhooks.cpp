// The descriptions of the requests and results of keel/service/webhooks.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/webhooks.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void WebhookResult::fields(V& v, S& s) {
  v.field({.name = "id"}, s.id);
  v.field({.name = "url", .help = "Where events are posted"}, s.url);
  v.field({.name = "events", .help = "The event types posted (job.finished, clo.breach, clo.alert, "
                                     "portfolio.changed, import.warnings), or [\"*\"] for all"},
          s.events);
  v.field({.name = "description"}, s.description);
  v.field({.name = "created_by"}, s.created_by);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "disabled", .help = "A disabled webhook is posted nothing"}, s.disabled);
  v.field({.name = "disabled_reason", .help = "Why: \"\" when an administrator disabled it, else what the endpoint "
                                              "answered (410 Gone)"},
          s.disabled_reason);
  v.field({.name = "secret",
           .help = "The signing secret (whsec_ and base64), in the answer that creates the webhook only: keep it "
                   "to check each delivery's webhook-signature"},
          s.secret);
}
KEEL_SPEC_FIELDS(WebhookResult)

template <class V, class S>
void CreateWebhookRequest::fields(V& v, S& s) {
  v.field({.name = "url", .help = "An https URL (http only for a host the operator allows: keel serve "
                                  "--webhook-allow-host)",
           .required = true, .max_length = 2000},
          s.url);
  v.field({.name = "events", .help = "Event types: job.finished, clo.breach, clo.alert, portfolio.changed, import.warnings, or *",
           .required = true},
          s.events);
  v.field({.name = "description", .max_length = 200}, s.description);
}
KEEL_SPEC_REQUEST_FIELDS(CreateWebhookRequest)

template <class V, class S>
void UpdateWebhookRequest::fields(V& v, S& s) {
  v.field({.name = "disabled", .help = "true stops the deliveries; false starts them again", .required = true},
          s.disabled);
}
KEEL_SPEC_REQUEST_FIELDS(UpdateWebhookRequest)

template <class V, class S>
void WebhookDeleteResult::fields(V& v, S& s) {
  v.field({.name = "deleted"}, s.deleted);
  v.field({.name = "id"}, s.id);
}
KEEL_SPEC_FIELDS(WebhookDeleteResult)

template <class V, class S>
void WebhookDeliveryResult::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The delivery; its webhook-id header is msg_<id>"}, s.id);
  v.field({.name = "webhook_id"}, s.webhook_id);
  v.field({.name = "event", .help = "The event type"}, s.event);
  v.field({.name = "event_id", .help = "The change journal's id of the event"}, s.event_id);
  v.field({.name = "status", .help = "pending, delivered or failed"}, s.status);
  v.field({.name = "attempts"}, s.attempts);
  v.field({.name = "next_attempt_at", .help = "ISO-8601 UTC, while pending"}, s.next_attempt_at);
  v.field({.name = "last_status", .help = "The HTTP status of the last attempt (absent: no answer)"}, s.last_status);
  v.field({.name = "last_error", .help = "What went wrong at the last attempt (\"\" when it was delivered)"},
          s.last_error);
  v.field({.name = "last_attempt_at", .help = "ISO-8601 UTC (\"\" before the first)"}, s.last_attempt_at);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "payload", .help = "The body posted"}, s.payload);
}
KEEL_SPEC_FIELDS(WebhookDeliveryResult)

template <class V, class S>
void WebhookDeliveriesRequest::fields(V& v, S& s) {
  v.field({.name = "limit", .help = "At most this many, newest first", .min = 1, .max = 500}, s.limit);
}
KEEL_SPEC_REQUEST_FIELDS(WebhookDeliveriesRequest)

}  // namespace keel::service
