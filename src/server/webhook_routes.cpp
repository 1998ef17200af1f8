// A tenant's webhooks (keel/service/webhooks.h): GET/POST /api/v1/webhooks, PATCH/DELETE
// /api/v1/webhooks/{id}, GET /api/v1/webhooks/{id}/deliveries and POST
// /api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver. The use cases check the permission and
// write the audit row; the routes parse, call one and answer.
#include "app.h"
#include "keel/service/webhooks.h"

namespace keel::server {
namespace {

void list_webhooks(Call& c) { c.send(200, spec::to_json(service::list_webhooks(c.service()))); }

void create_webhook(Call& c) {
  service::CreateWebhookRequest req;
  spec::read_json(c.json_body(), req, "webhook");
  c.send(201, spec::to_json(service::create_webhook(c.service(), req, c.app.config.webhooks.policy)));
}

void update_webhook(Call& c) {
  service::UpdateWebhookRequest req;
  spec::read_json(c.json_body(), req, "webhook change");
  c.send(200, spec::to_json(service::update_webhook(c.service(), c.int_param("id"), req)));
}

void delete_webhook(Call& c) {
  c.send(200, spec::to_json(service::delete_webhook(c.service(), c.int_param("id"))));
}

void list_deliveries(Call& c) {
  const auto q = c.query_as<service::WebhookDeliveriesRequest>("delivery list parameters");
  c.send(200, spec::to_json(service::list_webhook_deliveries(c.service(), c.int_param("id"), q)));
}

void redeliver(Call& c) {
  c.send(200, spec::to_json(service::redeliver_webhook(c.service(), c.int_param("id"), c.int_param("delivery_id"))));
}

}  // namespace

void add_webhook_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/api/v1/webhooks", "The tenant's webhooks (never their secrets)", "webhooks",
                          service::kWebhookList, list_webhooks}
                    .returns<spec::ItemsOf<service::WebhookResult>>());
  app.add_route(RouteSpec{"POST", "/api/v1/webhooks",
                          "Add a webhook {url, events, description}: the answer carries its signing secret, once",
                          "webhooks", service::kWebhookCreate, create_webhook, "json"}
                    .takes<service::CreateWebhookRequest>()
                    .returns<service::WebhookResult>(201));
  app.add_route(RouteSpec{"PATCH", "/api/v1/webhooks/{id}", "Disable or enable a webhook {disabled}", "webhooks",
                          service::kWebhookUpdate, update_webhook, "json"}
                    .takes<service::UpdateWebhookRequest>()
                    .returns<service::WebhookResult>());
  app.add_route(RouteSpec{"DELETE", "/api/v1/webhooks/{id}", "Delete a webhook and its deliveries", "webhooks",
                          service::kWebhookDelete, delete_webhook}
                    .returns<service::WebhookDeleteResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/webhooks/{id}/deliveries",
                          "A webhook's deliveries, newest first: each event, its status, attempts, the last "
                          "answer and the body posted",
                          "webhooks", service::kWebhookList, list_deliveries}
                    .query<service::WebhookDeliveriesRequest>()
                    .returns<spec::ItemsOf<service::WebhookDeliveryResult>>());
  app.add_route(RouteSpec{"POST", "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
                          "Post a delivery again now (a failed one too)", "webhooks", service::kWebhookRedeliver,
                          redeliver}
                    .returns<service::WebhookDeliveryResult>());
}

}  // namespace keel::server
